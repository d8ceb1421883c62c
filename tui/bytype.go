package tui

import (
	"math"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"

	"mnet.dev/mnet/analyze"
)

// bar draws share (0-1) as a horizontal bar of at most w cells, in eighths.
func bar(share float64, w int) string {
	if w <= 0 || share <= 0 || math.IsNaN(share) {
		return ""
	}
	eighths := int(math.Round(min(share, 1) * float64(w*8)))
	if eighths == 0 {
		eighths = 1 // a non-zero share stays visible
	}
	full, rest := eighths/8, eighths%8
	s := strings.Repeat("█", full)
	if rest > 0 {
		s += string([]rune("▏▎▍▌▋▊▉")[rest-1])
	}
	return s
}

// byTypeView is the paper's Table 2 for the current configuration: each
// layer type's share of mult-adds and of parameters, as bars.
func byTypeView(st styles, types []analyze.TypeCost, w, h int) []string {
	if h <= 0 {
		return nil
	}
	nameW := 16
	for _, t := range types {
		nameW = max(nameW, min(lipgloss.Width(t.Type), 22))
	}
	colW := max((w-nameW-4-2)/2, 8) // layers column and gaps
	barW := colW - 7                // " 100.0%"
	head := st.Heading.Render(padRight("Table 2 by type", nameW)) + st.Dim.Render(padLeft("#", 3)) + " " +
		st.Dim.Render(padRight("mult-adds", colW)) + "  " + st.Dim.Render("parameters")
	lines := []string{head}
	for i, t := range types {
		if len(lines) == h-1 && i < len(types)-1 {
			lines = append(lines, st.Dim.Render("  … "+strconv.Itoa(len(types)-i)+" more types (Layers view)"))
			break
		}
		ma := st.BarMA.Render(bar(t.MultAddsShare, barW)) + " " + percent(100*t.MultAddsShare)
		p := st.BarP.Render(bar(t.ParamsShare, barW)) + " " + percent(100*t.ParamsShare)
		lines = append(lines, fit(t.Type, nameW)+padLeft(strconv.Itoa(t.Layers), 3)+" "+
			padRight(ma, colW)+"  "+p)
	}
	return lines
}
