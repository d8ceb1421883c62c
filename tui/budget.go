package tui

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/internal/render"
)

// budgetKind is the quantity a device budget limits.
type budgetKind int

const (
	budgetMultAdds budgetKind = iota
	budgetParams
	budgetWeights
	budgetActivations
	budgetLatency
	numBudgetKinds
)

func (k budgetKind) String() string {
	return [...]string{"mult-adds", "parameters", "weight memory", "activation memory", "latency"}[k]
}

// unitHint says how a limit is typed.
func (k budgetKind) unitHint() string {
	switch k {
	case budgetMultAdds, budgetParams:
		return "in millions, or with k, M, G: 150M"
	case budgetWeights, budgetActivations:
		return "in MiB, or with KB, KiB, MB, GB, GiB: 4MiB"
	default:
		return "in ms, or with µs (us), s: 5ms"
	}
}

// budget is a device budget: a limit on one quantity.
type budget struct {
	kind  budgetKind
	limit float64 // a count, bytes, or nanoseconds
	set   bool
}

var limitRE = regexp.MustCompile(`^([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*([a-zA-Zµ]*)$`)

// parseLimit reads a typed limit for kind k.
func parseLimit(k budgetKind, s string) (float64, error) {
	s = strings.TrimSpace(s)
	for _, p := range []string{"<=", "≤", "<"} {
		s = strings.TrimSpace(strings.TrimPrefix(s, p))
	}
	m := limitRE.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%q is not a limit; type a number %s", s, k.unitHint())
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil || v <= 0 || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a positive number", m[1])
	}
	unit := strings.ToLower(m[2])
	var scale float64
	switch k {
	case budgetMultAdds, budgetParams:
		scale = map[string]float64{"": 1e6, "m": 1e6, "k": 1e3, "g": 1e9, "b": 1e9}[unit]
	case budgetWeights, budgetActivations:
		scale = map[string]float64{"": 1 << 20, "b": 1, "kb": 1e3, "kib": 1 << 10, "k": 1 << 10,
			"mb": 1e6, "mib": 1 << 20, "m": 1 << 20, "gb": 1e9, "gib": 1 << 30, "g": 1 << 30}[unit]
	case budgetLatency:
		scale = map[string]float64{"": 1e6, "ms": 1e6, "us": 1e3, "µs": 1e3, "ns": 1, "s": 1e9}[unit]
	}
	if scale == 0 {
		return 0, fmt.Errorf("unknown unit %q for %s; type a number %s", m[2], k, k.unitHint())
	}
	if v*scale > 1e18 {
		return 0, errors.New("the limit is absurdly large")
	}
	return v * scale, nil
}

// format shows a value of the budget's quantity.
func (k budgetKind) format(v float64) string {
	switch k {
	case budgetMultAdds, budgetParams:
		return render.Float(v/1e6, 2) + " M"
	case budgetWeights, budgetActivations:
		return bytesStr(int64(v))
	default:
		return duration(time.Duration(v))
	}
}

// quantity is a value with the quantity's name: "149.5 M mult-adds".
func (k budgetKind) quantity(v float64) string {
	if k == budgetLatency {
		return duration(time.Duration(v)) + " median latency"
	}
	return k.format(v) + " " + k.String()
}

// short is a compact form for the grid's cells.
func (k budgetKind) short(v float64) string {
	switch k {
	case budgetMultAdds, budgetParams:
		m := v / 1e6
		if m >= 100 {
			return strconv.FormatFloat(m, 'f', 0, 64) + "M"
		}
		if m >= 10 {
			return strconv.FormatFloat(m, 'f', 1, 64) + "M"
		}
		return strconv.FormatFloat(m, 'f', 2, 64) + "M"
	case budgetWeights, budgetActivations:
		return strings.ReplaceAll(bytesStr(int64(v)), " ", "")
	default:
		return strings.ReplaceAll(duration(time.Duration(v)), " ", "")
	}
}

// value is the budget's quantity for a configuration; latency is known
// only once measured.
func (k budgetKind) value(t analyze.Totals, m *Measurement) (float64, bool) {
	switch k {
	case budgetMultAdds:
		return float64(t.MultAdds), true
	case budgetParams:
		return float64(t.Params), true
	case budgetWeights:
		return float64(t.WeightBytes), true
	case budgetActivations:
		return float64(t.PeakActivationBytes), true
	default:
		if m == nil {
			return 0, false
		}
		return float64(m.Median), true
	}
}

// fitState is a configuration's standing against the budget.
type fitState int

const (
	fitNoBudget fitState = iota
	fitUnknown           // latency not measured
	fitYes
	fitNo
)

func (b budget) check(t analyze.Totals, m *Measurement) (fitState, float64) {
	v, ok := b.kind.value(t, m)
	switch {
	case !ok:
		return fitUnknown, 0
	case !b.set:
		return fitNoBudget, v
	case v <= b.limit:
		return fitYes, v
	default:
		return fitNo, v
	}
}

// best is the most accurate grid point that fits (by published accuracy,
// then fewer mult-adds); for networks without accuracy, the one with the
// most mult-adds. ok is false when nothing fits.
func (b budget) best(pts []gridPoint, measured func(alpha float64, res int) *Measurement) (gridPoint, bool) {
	var best gridPoint
	found := false
	for _, p := range pts {
		if p.err != nil {
			continue
		}
		if s, _ := b.check(p.totals, measured(p.alpha, p.res)); s != fitYes {
			continue
		}
		better := !found
		switch {
		case better:
		case p.acc.kind != accNone:
			better = p.acc.top1 > best.acc.top1 || (p.acc.top1 == best.acc.top1 && p.totals.MultAdds < best.totals.MultAdds)
		default:
			better = p.totals.MultAdds > best.totals.MultAdds
		}
		if better {
			best, found = p, true
		}
	}
	return best, found
}

// budgetData is what the budget view shows.
type budgetData struct {
	b        budget
	alphas   []float64
	res      []int
	pts      []gridPoint // alphas x res, in that order
	measured func(alpha float64, res int) *Measurement
	cur      *analysis
	curMeas  *Measurement
	hasAcc   bool // the network has published accuracies
}

// budgetView shows the published grid of the current network against the
// budget: each point's value of the limited quantity, its top-1, whether it
// fits, the most accurate point that fits, and where the current
// configuration stands.
func budgetView(st styles, d budgetData, w int) []string {
	var lines []string
	if d.b.set {
		lines = append(lines, st.Heading.Render("Budget  ")+st.Label.Render(d.b.kind.String()+" ≤ "+d.b.kind.format(d.b.limit))+
			st.Dim.Render("   b: change · enter: go to the best that fits"))
	} else {
		lines = append(lines, st.Heading.Render("Budget  ")+st.Dim.Render("none: b sets a limit on mult-adds, parameters, weight"),
			st.Dim.Render("        or activation memory, or latency (tab in the prompt picks which)"))
	}
	// The grid.
	cellW := max(min((w-8)/max(len(d.res), 1), 20), 10)
	head := st.Dim.Render(padRight("α \\ res", 8))
	for _, r := range d.res {
		head += st.Dim.Render(padRight("  "+strconv.Itoa(r), cellW))
	}
	lines = append(lines, "", head)
	best, hasBest := d.b.best(d.pts, d.measured)
	for i, a := range d.alphas {
		line := st.Dim.Render(padRight(alphaStr(a), 8))
		for j := range d.res {
			p := d.pts[i*len(d.res)+j]
			line += padRight(budgetCell(st, d, p, hasBest && best.alpha == p.alpha && best.res == p.res), cellW)
		}
		lines = append(lines, line)
	}
	lines = append(lines, "")
	// The best and the current configuration.
	switch {
	case !d.b.set:
	case hasBest && d.hasAcc:
		v, _ := d.b.kind.value(best.totals, d.measured(best.alpha, best.res))
		lines = append(lines, st.Good.Render("★ ")+st.Label.Render("Most accurate that fits: "+configName(best.alpha, best.res))+
			st.Value.Render(fmt.Sprintf("  top-1 %s, %s", percent(best.acc.top1), d.b.kind.quantity(v))))
	case hasBest:
		v, _ := d.b.kind.value(best.totals, d.measured(best.alpha, best.res))
		lines = append(lines, st.Good.Render("★ ")+st.Label.Render("Largest that fits: "+configName(best.alpha, best.res))+
			st.Value.Render(fmt.Sprintf("  %s mult-adds, %s", millions(best.totals.MultAdds), d.b.kind.quantity(v))),
			st.Dim.Render("  (no published accuracy for this network: ranked by mult-adds)"))
	case d.b.kind == budgetLatency:
		lines = append(lines, st.Bad.Render("✗ ")+"nothing measured fits"+st.Dim.Render(" (M measures the whole grid)"))
	default:
		lines = append(lines, st.Bad.Render("✗ ")+"nothing on the grid fits")
	}
	if d.b.set {
		s, v := d.b.check(d.cur.report.Totals, d.curMeas)
		name := "This configuration (" + configName(d.cur.cfg.alpha, d.cur.cfg.res) + ")"
		switch s {
		case fitYes:
			lines = append(lines, st.Good.Render("✓ ")+name+" has "+d.b.kind.quantity(v)+": fits")
		case fitNo:
			lines = append(lines, st.Bad.Render("✗ ")+name+" has "+d.b.kind.quantity(v)+": does not fit")
		case fitUnknown:
			lines = append(lines, st.Dim.Render("? ")+name+": latency not measured (m measures it)")
		}
	}
	legend := "★ most accurate that fits  ✓ fits  ✗ does not"
	if d.b.kind == budgetLatency {
		legend += "  ? not measured"
	}
	if !d.hasAcc {
		legend = strings.Replace(legend, "most accurate", "largest", 1)
	}
	return append(lines, st.Dim.Render(legend))
}

func budgetCell(st styles, d budgetData, p gridPoint, isBest bool) string {
	if p.err != nil {
		return st.Dim.Render("n/a")
	}
	s, v := d.b.check(p.totals, d.measured(p.alpha, p.res))
	var mark string
	switch {
	case isBest:
		mark = st.Good.Render("★")
	case s == fitYes:
		mark = st.Good.Render("✓")
	case s == fitNo:
		mark = st.Bad.Render("✗")
	case s == fitUnknown:
		mark = st.Dim.Render("?")
	default:
		mark = st.Dim.Render("·")
	}
	val := "-"
	if s != fitUnknown {
		val = d.b.kind.short(v)
	}
	out := mark + " " + padRight(val, 6)
	if p.acc.kind != accNone {
		out += " " + percent(p.acc.top1)
	}
	if d.cur.cfg.alpha == p.alpha && d.cur.cfg.res == p.res {
		return st.Accent.Render("▸") + out
	}
	return " " + out
}
