package tui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"mnet.dev/mnet/internal/render"
)

// Number formats shared by the panels; they use the conventions of mnet's
// other commands (internal/render): thousands separators, M = 10^6, binary
// units for bytes.

func count(v int64) string { return render.Int(v) }

// millions is v in millions with two decimals: "76.52 M".
func millions(v int64) string {
	s := render.Millions(v, 2)
	whole, frac, _ := strings.Cut(s, ".")
	if n, err := strconv.ParseInt(whole, 10, 64); err == nil {
		whole = render.Int(n)
	}
	return whole + "." + frac + " M"
}

func bytesStr(b int64) string { return render.Bytes(b) }

func alphaStr(a float64) string { return render.Alpha(a) }

// configName is the paper's short name of a configuration: 0.5-160.
func configName(alpha float64, res int) string {
	return alphaStr(alpha) + "-" + strconv.Itoa(res)
}

// duration is a latency with three significant digits: 3.21 ms, 812 µs.
func duration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0"
	case d < time.Microsecond:
		return fmt.Sprintf("%d ns", d.Nanoseconds())
	case d < time.Millisecond:
		return sig3(float64(d)/float64(time.Microsecond)) + " µs"
	case d < time.Second:
		return sig3(float64(d)/float64(time.Millisecond)) + " ms"
	default:
		return sig3(d.Seconds()) + " s"
	}
}

// sig3 prints v with three significant digits (v >= 1).
func sig3(v float64) string {
	switch {
	case v < 10:
		return strconv.FormatFloat(v, 'f', 2, 64)
	case v < 100:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
}

// ratio is how many times fewer (or more) b is than a: "20.7x fewer".
func ratio(base, cur int64) string {
	if base <= 0 || cur <= 0 {
		return "-"
	}
	if base == cur {
		return "as many"
	}
	r := float64(base) / float64(cur)
	word := "fewer"
	if r < 1 {
		r, word = 1/r, "more"
	}
	return times(r) + " " + word
}

func times(r float64) string {
	switch {
	case r < 10:
		return strconv.FormatFloat(r, 'f', 2, 64) + "x"
	case r < 100:
		return strconv.FormatFloat(r, 'f', 1, 64) + "x"
	default:
		return strconv.FormatFloat(r, 'f', 0, 64) + "x"
	}
}

func percent(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) + "%" }

// padRight and padLeft pad a possibly styled string to w cells.
func padRight(s string, w int) string {
	if n := lipgloss.Width(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

func padLeft(s string, w int) string {
	if n := lipgloss.Width(s); n < w {
		return strings.Repeat(" ", w-n) + s
	}
	return s
}

// fit truncates a styled line to w cells (with an ellipsis) and pads it.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if lipgloss.Width(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	return padRight(s, w)
}

// block fits lines into a w x h box: each line truncated and padded to w,
// missing lines blank, extra lines dropped.
func block(lines []string, w, h int) []string {
	out := make([]string, 0, max(h, 0))
	for i := 0; i < h; i++ {
		l := ""
		if i < len(lines) {
			l = lines[i]
		}
		out = append(out, fit(l, w))
	}
	return out
}

// beside joins two columns of lines, the left one w cells wide.
func beside(left []string, w int, gap int, right []string) []string {
	n := max(len(left), len(right))
	out := make([]string, n)
	for i := range n {
		var l, r string
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		out[i] = fit(l, w) + strings.Repeat(" ", gap) + r
	}
	return out
}

// wrap breaks plain text into lines of at most w cells.
func wrap(s string, w int) []string {
	if w < 10 {
		w = 10
	}
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			switch {
			case line == "":
				line = word
			case lipgloss.Width(line)+1+lipgloss.Width(word) <= w:
				line += " " + word
			default:
				out = append(out, line)
				line = word
			}
		}
		out = append(out, line)
	}
	return out
}

// splitLines splits rendered text into lines.
func splitLines(s string) []string { return strings.Split(s, "\n") }
