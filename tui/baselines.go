package tui

import "mnet.dev/mnet/analyze"

// baselinesView compares the current configuration with the baselines of
// the paper's Tables 8 and 9: how many times fewer mult-adds and
// parameters it has (both exact, from analyze), beside each baseline's
// published top-1 (and, when wide, its own counts).
func baselinesView(st styles, bls []baseline, t analyze.Totals, w int) []string {
	const nameW, accW, ratioW = 16, 7, 24
	wide := w >= 100
	head := st.Heading.Render(padRight("vs. Tables 8, 9", nameW)) + st.Dim.Render(padLeft("top-1", accW)+"   ")
	if wide {
		head += st.Dim.Render(padLeft("its mult-adds", 14) + padLeft("params", 10) + "   ")
	}
	head += st.Dim.Render("this network has")
	lines := []string{head}
	for _, b := range bls {
		top1 := b.top1
		if top1 == "" {
			top1 = "-"
		}
		l := padRight(b.label, nameW) + padLeft(top1, accW) + "   "
		if wide {
			l += st.Dim.Render(padLeft(millions(b.multAdds), 14) + padLeft(millions(b.params), 10) + "   ")
		}
		l += padRight(ratio(b.multAdds, t.MultAdds)+" mult-adds", ratioW) + ratio(b.params, t.Params) + " params"
		lines = append(lines, l)
	}
	return lines
}
