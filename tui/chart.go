package tui

import (
	"math"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
)

// chartPoint is a point of the trade-off chart.
type chartPoint struct {
	multAdds int64
	top1     float64
	alpha    float64
	res      int
	measured bool
}

// chartCurrent is the current configuration on the chart.
type chartCurrent struct {
	multAdds int64
	top1     float64
	acc      accKind // accNone draws a vertical line at its mult-adds
}

type chartCell struct {
	r     rune
	style *lipgloss.Style
	prio  int
}

// chartViewOf draws ImageNet top-1 against mult-adds (log scale) for the
// published configurations, the current one highlighted and the measured
// ones filled, in w x h cells (axes, tick labels and legend included).
// source names the points' accuracies in the legend ("TF-slim", "V3
// paper").
func chartViewOf(st styles, pts []chartPoint, cur chartCurrent, source string, w, h int) []string {
	const yLabelW = 4 // "70 ┤"
	pw, ph := w-yLabelW-1, h-3
	if pw < 16 || ph < 4 || len(pts) == 0 {
		return []string{st.Dim.Render("(the chart needs a larger window)")}
	}
	// Ranges.
	lo, hi := float64(cur.multAdds), float64(cur.multAdds)
	ylo, yhi := math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		lo, hi = min(lo, float64(p.multAdds)), max(hi, float64(p.multAdds))
		ylo, yhi = min(ylo, p.top1), max(yhi, p.top1)
	}
	if cur.acc != accNone {
		ylo, yhi = min(ylo, cur.top1), max(yhi, cur.top1)
	}
	lo, hi = math.Log10(max(lo, 1)/1.2), math.Log10(max(hi, 1)*1.2)
	step := 5.0
	if ph < 8 {
		step = 10
	}
	ylo, yhi = math.Floor((ylo-0.5)/step)*step, math.Ceil((yhi+0.5)/step)*step
	col := func(x int64) int {
		return int(math.Round((math.Log10(float64(x)) - lo) / (hi - lo) * float64(pw-1)))
	}
	row := func(y float64) int {
		return int(math.Round((yhi - y) / (yhi - ylo) * float64(ph-1)))
	}
	grid := make([][]chartCell, ph)
	for i := range grid {
		grid[i] = make([]chartCell, pw)
	}
	set := func(r, c int, ch rune, s *lipgloss.Style, prio int) bool {
		if r < 0 || r >= ph || c < 0 || c >= pw || grid[r][c].prio >= prio {
			return false
		}
		grid[r][c] = chartCell{ch, s, prio}
		return true
	}
	// The current network's mult-adds as a vertical line when its accuracy
	// is unknown.
	if cur.acc == accNone && cur.multAdds > 0 {
		c := col(cur.multAdds)
		for r := range ph {
			set(r, c, '┊', &st.Accent, 1)
		}
	}
	// Points, then each α's label right of its highest-resolution point,
	// or else left of its lowest.
	type ends struct{ lo, hi chartPoint }
	series := map[float64]ends{}
	var alphas []float64
	for _, p := range pts {
		ch, s := '○', &st.Point
		if p.measured {
			ch, s = '●', &st.Measured
		}
		set(row(p.top1), col(p.multAdds), ch, s, 3)
		e, ok := series[p.alpha]
		if !ok {
			alphas = append(alphas, p.alpha)
			e = ends{p, p}
		}
		if p.res > e.hi.res {
			e.hi = p
		}
		if p.res < e.lo.res {
			e.lo = p
		}
		series[p.alpha] = e
	}
	// place writes label at row r from column c if its cells and one on
	// each side are free.
	place := func(label []rune, r, c int) bool {
		if c < 1 || c+len(label) >= pw {
			return false
		}
		for i := -1; i <= len(label); i++ {
			if grid[r][c+i].prio != 0 {
				return false
			}
		}
		for i, ch := range label {
			set(r, c+i, ch, &st.Dim, 2)
		}
		return true
	}
	for _, a := range alphas {
		e := series[a]
		label := []rune(alphaStr(a))
		if !place(label, row(e.hi.top1), col(e.hi.multAdds)+2) {
			place(label, row(e.lo.top1), col(e.lo.multAdds)-1-len(label))
		}
	}
	if cur.acc != accNone {
		ch := '◆'
		if cur.acc == accEstimated {
			ch = '◇'
		}
		set(row(cur.top1), col(cur.multAdds), ch, &st.Accent, 4)
	}
	// Y axis with ticks every step.
	lines := make([]string, 0, h)
	for r := range ph {
		label := "    "
		tick := "│"
		for y := ylo; y <= yhi; y += step {
			if row(y) == r {
				label, tick = padLeft(strconv.Itoa(int(y)), 3)+" ", "┤"
			}
		}
		var b strings.Builder
		b.WriteString(st.Axis.Render(label + tick))
		for _, c := range grid[r] {
			if c.prio == 0 {
				b.WriteByte(' ')
			} else {
				b.WriteString(c.style.Render(string(c.r)))
			}
		}
		lines = append(lines, b.String())
	}
	// X axis: ticks at 1, 2, 5 x 10^k.
	axis := []rune(strings.Repeat("─", pw))
	labels := []rune(strings.Repeat(" ", pw+8))
	for e := 5; e <= 12; e++ {
		for _, m := range []float64{1, 2, 5} {
			v := m * math.Pow(10, float64(e))
			if math.Log10(v) < lo || math.Log10(v) > hi {
				continue
			}
			c := col(int64(v))
			if c < 0 || c >= pw {
				continue
			}
			axis[c] = '┬'
			s := []rune(siCount(v))
			start := c - len(s)/2
			ok := start >= 0 && start+len(s) < len(labels)
			for i := -1; ok && i <= len(s); i++ {
				if j := start + i; j >= 0 && j < len(labels) && labels[j] != ' ' {
					ok = false
				}
			}
			if ok {
				copy(labels[start:], s)
			}
		}
	}
	lines = append(lines, st.Axis.Render(strings.Repeat(" ", yLabelW)+"└"+string(axis)))
	lines = append(lines, st.Axis.Render(strings.Repeat(" ", yLabelW+1)+strings.TrimRight(string(labels), " ")))
	legend := st.Dim.Render("top-1 % vs mult-adds (log)  ") + st.Point.Render("○") + st.Dim.Render(" "+source+"  ") +
		st.Measured.Render("●") + st.Dim.Render(" measured  ")
	switch cur.acc {
	case accPublished:
		legend += st.Accent.Render("◆") + st.Dim.Render(" current")
	case accEstimated:
		legend += st.Accent.Render("◇") + st.Dim.Render(" current, est.")
	case accPaper:
		legend += st.Accent.Render("◆") + st.Dim.Render(" this network (paper)")
	default:
		legend += st.Accent.Render("┊") + st.Dim.Render(" this network's mult-adds")
	}
	return append(lines, legend)
}

// siCount is a compact tick label: 20M, 500M, 1G.
func siCount(v float64) string {
	switch {
	case v >= 1e9:
		return strconv.FormatFloat(v/1e9, 'f', -1, 64) + "G"
	case v >= 1e6:
		return strconv.FormatFloat(v/1e6, 'f', -1, 64) + "M"
	case v >= 1e3:
		return strconv.FormatFloat(v/1e3, 'f', -1, 64) + "k"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
