package tui

import (
	"slices"
	"strconv"

	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"

	"mnet.dev/mnet/analyze"
)

// layersPanel is the scrollable per-layer table (a bubbles table): every
// layer's output shape, mult-adds, share, weights and, when wide, its
// input, output memory and arithmetic intensity.
type layersPanel struct {
	table  table.Model
	report *analyze.Report
	width  int
	height int
}

func newLayersPanel(k keyMap, st styles) layersPanel {
	t := table.New(table.WithKeyMap(k.tableKeyMap()), table.WithStyles(st.Table), table.WithFocused(true))
	return layersPanel{table: t}
}

type layerCol struct {
	title string
	width int
	right bool
	value func(l *analyze.Layer, total int64) string
}

func (p *layersPanel) columns() []layerCol {
	cols := []layerCol{
		{"#", 3, true, func(l *analyze.Layer, _ int64) string { return strconv.Itoa(l.Index + 1) }},
		{"Layer", 0, false, func(l *analyze.Layer, _ int64) string { return l.Name }},
		{"Type", 15, false, func(l *analyze.Layer, _ int64) string { return l.Type }},
	}
	if p.width >= 110 {
		cols = append(cols, layerCol{"Input", 12, true, func(l *analyze.Layer, _ int64) string { return inputStr(l.In) }})
	}
	cols = append(cols,
		layerCol{"Output", 12, true, func(l *analyze.Layer, _ int64) string { return inputStr(l.Out) }},
		layerCol{"Mult-adds", 11, true, func(l *analyze.Layer, _ int64) string { return count(l.MultAdds) }},
		layerCol{"MA %", 5, true, func(l *analyze.Layer, total int64) string {
			if total == 0 || l.MultAdds == 0 {
				return ""
			}
			return strconv.FormatFloat(100*float64(l.MultAdds)/float64(total), 'f', 1, 64)
		}},
		layerCol{"Params", 9, true, func(l *analyze.Layer, _ int64) string { return count(l.Weights) }},
	)
	if p.width >= 110 {
		cols = append(cols,
			layerCol{"Out mem", 10, true, func(l *analyze.Layer, _ int64) string { return bytesStr(l.OutputBytes) }},
			layerCol{"MA/byte", 7, true, func(l *analyze.Layer, _ int64) string {
				if l.Intensity == 0 {
					return ""
				}
				return strconv.FormatFloat(l.Intensity, 'f', 1, 64)
			}},
		)
	}
	// The layer name takes what is left (each column has one cell of padding).
	used := 0
	for _, c := range cols {
		used += c.width + 1
	}
	for i := range cols {
		if cols[i].width == 0 {
			cols[i].width = max(p.width-used-2, 8)
		}
	}
	return cols
}

// setReport fills the table with a report's layers, keeping the cursor.
func (p *layersPanel) setReport(r *analyze.Report) {
	p.report = r
	p.refresh()
}

// resize fits the table into w x h cells (h includes the header).
func (p *layersPanel) resize(w, h int) {
	if w == p.width && h == p.height {
		return
	}
	p.width, p.height = w, h
	p.refresh()
}

func (p *layersPanel) refresh() {
	if p.report == nil || p.width == 0 {
		return
	}
	cols := p.columns()
	tc := make([]table.Column, len(cols))
	for i, c := range cols {
		t := c.title
		if c.right {
			t = padLeft(t, c.width)
		}
		tc[i] = table.Column{Title: t, Width: c.width}
	}
	total := p.report.Totals.MultAdds
	rows := make([]table.Row, len(p.report.Layers))
	for i := range p.report.Layers {
		l := &p.report.Layers[i]
		row := make(table.Row, len(cols))
		for j, c := range cols {
			v := c.value(l, total)
			if c.right {
				v = padLeft(v, c.width)
			}
			row[j] = v
		}
		rows[i] = row
	}
	if slices.Equal(tc, p.table.Columns()) && p.table.Width() == p.width {
		p.table.SetRows(rows) // the usual case, a new configuration: one render
		return
	}
	// Rows are rendered against the columns: clear them first, so that
	// old rows never meet fewer columns. Keep the cursor.
	cursor := max(p.table.Cursor(), 0)
	p.table.SetRows(nil)
	p.table.SetColumns(tc)
	p.table.SetWidth(p.width)
	p.table.SetHeight(max(p.height, 3))
	p.table.SetRows(rows)
	p.table.SetCursor(min(cursor, len(rows)-1))
}

func (p layersPanel) update(msg tea.Msg) (layersPanel, tea.Cmd) {
	var cmd tea.Cmd
	p.table, cmd = p.table.Update(msg)
	return p, cmd
}

// view renders the table with a line saying where the cursor is.
func (p layersPanel) view(st styles) []string {
	if p.report == nil {
		return nil
	}
	lines := splitLines(p.table.View())
	pos := st.Dim.Render("layer " + strconv.Itoa(p.table.Cursor()+1) + " of " + strconv.Itoa(len(p.report.Layers)) +
		" · j/k scroll · pgup/pgdn · g/G ends · params are weights only")
	return append(lines, pos)
}
