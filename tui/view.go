package tui

import (
	"fmt"
	"sort"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"mnet.dev/mnet/analyze/paper"
)

// The fixed parts of the screen, in lines.
const (
	topLines    = 2 // title bar, controls
	headerLines = 6 // totals | accuracy and latency
	tabLines    = 1
	bottomLines = 2 // status or prompt, footer
)

// View renders the explorer on the alternate screen.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "mnet tui: " + m.label(m.cur.cfg)
	return v
}

func (m Model) size() (int, int) {
	w, h := m.width, m.height
	if w <= 0 || h <= 0 {
		w, h = 80, 24
	}
	return w, h
}

// bodyHeight is the height left for the current view.
func (m Model) bodyHeight() int {
	_, h := m.size()
	return max(h-topLines-headerLines-tabLines-bottomLines, 0)
}

// layoutLayers sizes the layer table to the body (one line is its
// position line).
func (m *Model) layoutLayers() {
	w, _ := m.size()
	m.layers.resize(w, m.bodyHeight()-1)
}

// render is the whole screen as text.
func (m Model) render() string {
	w, h := m.size()
	lines := []string{m.titleBar(w)}
	if m.help {
		lines = append(lines, helpView(m.st, m.keys, w, h-1)...)
		return strings.Join(block(lines, w, h), "\n")
	}
	lines = append(lines, controlsView(m.st, m.cur, w))
	lines = append(lines, block(m.header(w), w, headerLines)...)
	lines = append(lines, m.tabs(w))
	lines = append(lines, block(m.body(w, m.bodyHeight()), w, m.bodyHeight())...)
	l1, l2 := m.bottom(w)
	lines = append(lines, l1, l2)
	return strings.Join(block(lines, w, h), "\n")
}

func (m Model) titleBar(w int) string {
	e := m.entries[m.cur.cfg.entry]
	left := " mnet tui  " + e.Network.Name
	if e.Name != e.Network.Name {
		left += " (" + e.Name + ")"
	}
	right := fmt.Sprintf("network %d/%d · ? help · q quit ", m.cur.cfg.entry+1, len(m.entries))
	gap := w - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return m.st.Title.Render(fit(left, w))
	}
	return m.st.Title.Render(left) + m.st.Title.Render(strings.Repeat(" ", gap)) + m.st.TitleDim.Render(right)
}

// header is the totals beside the accuracy and the latency.
func (m Model) header(w int) []string {
	wide := w >= 110
	leftW := 40
	if wide {
		leftW = 66
	}
	rightW := w - leftW - 2
	left := indent(totalsView(m.st, m.cur, wide))
	acc := accuracyView(m.st, m.cur.acc, m.book.fit, rightW, 4)
	c := m.cur.cfg
	running := m.meas.running() && m.meas.job.task.key == c
	right := append(acc, latencyView(m.st, m.meas.result(c), running)...)
	if rightW < 24 {
		return append(left, right...)
	}
	return beside(left, leftW, 2, right)
}

func indent(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = " " + l
	}
	return out
}

func (m Model) tabs(w int) string {
	var b strings.Builder
	b.WriteString(" ")
	for v := range numViews {
		name := fmt.Sprintf("%d %s", v+1, v)
		if v == m.view {
			b.WriteString(m.st.TabOn.Render("[" + name + "]"))
		} else {
			b.WriteString(m.st.Tab.Render(" " + name + " "))
		}
		b.WriteString(" ")
	}
	n := w - lipgloss.Width(b.String())
	if n > 0 {
		b.WriteString(m.st.Rule.Render(strings.Repeat("─", n)))
	}
	return b.String()
}

// body is the current view, or the picker over it.
func (m Model) body(w, h int) []string {
	if m.picker.open {
		return m.picker.view(m.st, m.entries, m.cur.cfg.entry, w, h)
	}
	switch m.view {
	case viewLayers:
		return m.layers.view(m.st)
	case viewTradeoff:
		return m.tradeoffView(w, h)
	case viewBudget:
		grid := m.book.gridOf(m.ids[m.cur.cfg.entry].Family)
		return indent(budgetView(m.st, budgetData{
			b: m.budget, alphas: grid.Alphas, res: grid.Resolutions, pts: m.grid,
			measured: m.measuredAt(m.cur.cfg.entry), cur: m.cur,
			curMeas: m.meas.result(m.cur.cfg),
			hasAcc:  m.hasAccuracy(m.cur.cfg.entry),
		}, w-1))
	default:
		return m.overview(w, h)
	}
}

// overview is the per-type bars and the baselines; on a tall screen the
// trade-off chart too.
func (m Model) overview(w, h int) []string {
	bl := baselinesView(m.st, m.book.baselines, m.cur.report.Totals, w-1)
	typesH := max(h-len(bl)-1, 2)
	if h >= 26 {
		typesH = min(typesH, len(m.cur.report.ByType)+1)
	}
	lines := byTypeView(m.st, m.cur.report.ByType, w-1, typesH)
	lines = append(lines, "")
	lines = append(lines, bl...)
	note := wrap("mult-adds: multiply-accumulates, FLOPs = 2x · params: weights only · float32", w-2)
	if rest := h - len(lines) - 1; rest >= 10+len(note)+1 {
		pts, cur := m.chartData()
		lines = append(lines, "")
		lines = append(lines, chartViewOf(m.st, pts, cur, m.chartSource(), min(w-1, 100), rest-len(note)-1)...)
	}
	if h-len(lines) >= len(note)+1 {
		lines = append(lines, "")
		for _, l := range note {
			lines = append(lines, m.st.Dim.Render(l))
		}
	}
	return indent(lines)
}

// chartData is the published grid with its measured points, and the
// current configuration: MobileNetV2's or V3's own published points when
// the current network is one of them, else MobileNet v1's.
func (m Model) chartData() ([]chartPoint, chartCurrent) {
	var pts []chartPoint
	if e := m.cur.cfg.entry; m.successor(e) {
		for _, p := range m.grid {
			if p.err != nil || p.acc.kind == accNone {
				continue
			}
			measured := m.meas.result(config{entry: e, alpha: p.alpha, res: p.res}) != nil
			pts = append(pts, chartPoint{multAdds: p.totals.MultAdds, top1: p.acc.top1, alpha: p.alpha, res: p.res, measured: measured})
		}
	}
	for _, p := range m.book.mobilenet {
		if len(pts) > 0 && m.successor(m.cur.cfg.entry) {
			break
		}
		if p.err != nil {
			continue
		}
		measured := m.mnEntry >= 0 && m.meas.result(config{entry: m.mnEntry, alpha: p.alpha, res: p.res}) != nil
		pts = append(pts, chartPoint{multAdds: p.totals.MultAdds, top1: p.acc.top1, alpha: p.alpha, res: p.res, measured: measured})
	}
	cur := chartCurrent{multAdds: m.cur.report.Totals.MultAdds, top1: m.cur.acc.top1, acc: m.cur.acc.kind}
	return pts, cur
}

// tradeoffView is the chart with what the current point is, how an
// estimate is made, and the session's measurements when wide.
func (m Model) tradeoffView(w, h int) []string {
	c := m.cur.cfg
	t := m.cur.report.Totals
	var notes []string
	switch m.cur.acc.kind {
	case accPublished:
		notes = append(notes, m.st.Accent.Render("◆ ")+fmt.Sprintf("%s: %s mult-adds, %s params, top-1 %s (TF-slim)",
			configName(c.alpha, c.res), millions(t.MultAdds), millions(t.Params), percent(m.cur.acc.top1)))
	case accEstimated:
		notes = append(notes, m.st.Accent.Render("◇ ")+fmt.Sprintf("%s: %s mult-adds, %s params, top-1 %s",
			configName(c.alpha, c.res), millions(t.MultAdds), millions(t.Params), m.st.Est.Render(percent(m.cur.acc.top1)+" est.")))
		desc := m.book.fit.Describe()
		if m.cur.acc.extrapolated {
			desc = "Extrapolated outside the published range: unreliable. " + desc
		}
		for _, l := range wrap(desc, w-3) {
			notes = append(notes, "  "+m.st.Dim.Render(l))
		}
	case accPaper:
		notes = append(notes, m.st.Accent.Render("◆ ")+fmt.Sprintf("%s: %s mult-adds, %s params, top-1 %s (%s)",
			m.entries[c.entry].Network.Name, millions(t.MultAdds), millions(t.Params), percent(m.cur.acc.top1), tableShort(m.cur.acc.table)))
	default:
		whose := "MobileNet v1's"
		if m.successor(c.entry) {
			whose = string(m.ids[c.entry].Family) + "'s published ones"
		}
		notes = append(notes, m.st.Accent.Render("┊ ")+fmt.Sprintf("%s %s: %s mult-adds (the points are %s)",
			m.entries[c.entry].Network.Name, configName(c.alpha, c.res), millions(t.MultAdds), whose))
	}
	chartW := w - 1
	var side []string
	if w >= 110 {
		side = m.measuredList()
		chartW = w - 1 - 40
	}
	pts, cur := m.chartData()
	chart := chartViewOf(m.st, pts, cur, m.chartSource(), chartW, max(h-len(notes), 6))
	if side != nil {
		chart = beside(chart, chartW, 2, side)
	}
	return indent(append(chart, notes...))
}

// measuredList lists the session's measurements, fastest first.
func (m Model) measuredList() []string {
	lines := []string{m.st.Heading.Render("Measured this session")}
	type row struct {
		k config
		r Measurement
	}
	var rows []row
	for k, r := range m.meas.results {
		rows = append(rows, row{k, r})
	}
	if len(rows) == 0 {
		return append(lines, m.st.Dim.Render("nothing yet: m measures the"), m.st.Dim.Render("current point, M the grid"))
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].r.Median != rows[j].r.Median {
			return rows[i].r.Median < rows[j].r.Median
		}
		return rows[i].k.res < rows[j].k.res
	})
	for _, r := range rows {
		name := fileBase(m.entries[r.k.entry])
		lines = append(lines, fmt.Sprintf("%-14s %-8s %9s %6.1f GF/s", fit(name, 14), configName(r.k.alpha, r.k.res),
			duration(r.r.Median), r.r.GFLOPS))
	}
	return lines
}

// bottom is the status (or prompt, or measurement progress) line and the
// footer (or the prompt's hint).
func (m Model) bottom(w int) (string, string) {
	if m.prompt.active() {
		return m.prompt.view(m.st, w)
	}
	if m.meas.running() {
		return m.meas.view(m.st, w), m.footer(w)
	}
	if m.status == "" {
		return "", m.footer(w)
	}
	// A long message takes the footer's line too (esc clears it).
	prefix, style := " ", m.st.Info
	if m.statusErr {
		prefix, style = m.st.Error.Render(" ✗ "), m.st.Error.UnsetBold()
	}
	pw := lipgloss.Width(prefix)
	lines := wrap(m.status, w-pw-1)
	if len(lines) == 1 {
		return prefix + style.Render(lines[0]), m.footer(w)
	}
	return prefix + style.Render(lines[0]), strings.Repeat(" ", pw) + style.Render(strings.Join(lines[1:], " "))
}

// footer shows the view's most useful keys that fit, always with help and
// quit.
func (m Model) footer(w int) string {
	items := m.keys.shortHelp(m.view)
	render := func(it footerItem) string { return m.st.Key.Render(it.Key) + " " + m.st.KeyDesc.Render(it.Desc) }
	tail := items[len(items)-2:]
	tailS := render(tail[0]) + "  " + render(tail[1])
	var b strings.Builder
	b.WriteString(" ")
	for _, it := range items[:len(items)-2] {
		s := render(it) + "  "
		if lipgloss.Width(b.String())+lipgloss.Width(s)+lipgloss.Width(tailS) > w {
			break
		}
		b.WriteString(s)
	}
	return b.String() + tailS
}

// tableShort names a published table briefly: "paper, Table 8" (the
// MobileNets paper's), "V3 paper, Table 3".
func tableShort(id string) string {
	if len(id) > 3 && id[0] == 'V' && id[2] == '-' {
		return id[:2] + " paper, Table " + id[3:]
	}
	return "paper, Table " + id
}

// chartSource names where the chart's points' accuracies come from.
func (m Model) chartSource() string {
	if f := m.ids[m.cur.cfg.entry].Family; f == paper.MobileNetV3Large || f == paper.MobileNetV3Small {
		return "V3 paper"
	}
	return "TF-slim"
}
