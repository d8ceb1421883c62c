package tui

import "strings"

// helpView lists every key binding, grouped, in as many columns of about
// 40 cells as fit, each group kept whole.
func helpView(st styles, k keyMap, w, h int) []string {
	const keyW = 10
	var groups [][]string
	total := 0
	for _, g := range k.fullHelp() {
		lines := []string{st.Heading.Render(g.Title)}
		for _, r := range g.Rows {
			lines = append(lines, st.Key.Render(padRight(r.Key, keyW))+r.Desc)
		}
		lines = append(lines, "")
		groups = append(groups, lines)
		total += len(lines)
	}
	ncol := max(min(w/40, len(groups)), 1)
	// Fill columns in order, each up to about an equal share of the lines.
	share := (total + ncol - 1) / ncol
	cols := make([][]string, 1, ncol)
	for _, g := range groups {
		c := &cols[len(cols)-1]
		if len(*c) > 0 && len(*c)+len(g) > share+2 && len(cols) < ncol {
			cols = append(cols, nil)
			c = &cols[len(cols)-1]
		}
		*c = append(*c, g...)
	}
	colW := w / len(cols)
	lines := []string{" " + st.Heading.Render("Keys") + st.Dim.Render("   ? or esc closes this help"), ""}
	rows := 0
	for _, c := range cols {
		rows = max(rows, len(c))
	}
	for r := range rows {
		var b strings.Builder
		for i, c := range cols {
			l := ""
			if r < len(c) {
				l = c[r]
			}
			if i < len(cols)-1 {
				l = fit(l, colW-1) + " "
			}
			b.WriteString(l)
		}
		lines = append(lines, " "+b.String())
	}
	return lines
}
