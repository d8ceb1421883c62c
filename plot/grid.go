package plot

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg/draw"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/exec"
	"mnet.dev/mnet/spec"
)

// Grid is the data of the grid chart: a network's mult-adds (and measured
// latency) at every α and resolution.
type Grid struct {
	Network     string
	Alphas      []float64 // ascending, without repeats
	Resolutions []int     // ascending, without repeats
	// MultAdds[i][j] is at Resolutions[i], Alphas[j].
	MultAdds [][]int64
	Params   [][]int64
	// Latency[i][j] is the measured median (nil until SetLatency).
	Latency [][]time.Duration
	Machine Machine

	reports [][]*analyze.Report
}

// GridData analyzes n at every α and resolution (base supplies classes,
// rounding and padding).
func GridData(n *spec.Network, base spec.Options, alphas []float64, resolutions []int) (*Grid, error) {
	as := uniqFloats(alphas)
	rs := uniqInts(resolutions)
	sort.Float64s(as)
	sort.Ints(rs)
	if len(as) == 0 || len(rs) == 0 {
		return nil, fmt.Errorf("empty α or resolution range")
	}
	for _, a := range as {
		for _, r := range rs {
			if err := (Config{a, r}).check(); err != nil {
				return nil, err
			}
		}
	}
	g := &Grid{Network: n.Name, Alphas: as, Resolutions: rs}
	for _, res := range rs {
		var ma, pa []int64
		var reps []*analyze.Report
		for _, a := range as {
			o := base
			o.Alpha, o.Resolution = a, res
			r, err := analyze.Spec(n, o)
			if err != nil {
				return nil, fmt.Errorf("α %g, resolution %d: %w", a, res, err)
			}
			ma, pa = append(ma, r.Totals.MultAdds), append(pa, r.Totals.Params)
			reps = append(reps, r)
		}
		g.MultAdds, g.Params = append(g.MultAdds, ma), append(g.Params, pa)
		g.reports = append(g.reports, reps)
	}
	return g, nil
}

// Reports are the analysed cells, resolution by resolution and α by α
// within each: the configurations to measure for a latency grid, in the
// order SetLatency takes them.
func (g *Grid) Reports() []*analyze.Report {
	var all []*analyze.Report
	for _, row := range g.reports {
		all = append(all, row...)
	}
	return all
}

// SetLatency gives every cell its measured median latency: results in the
// order of Reports, as exec.Measure returns them; mach describes the
// measurements for the caption.
func (g *Grid) SetLatency(results []*exec.Result, mach Machine) error {
	if n := len(g.Alphas) * len(g.Resolutions); len(results) != n {
		return fmt.Errorf("%d measurements for %d cells", len(results), n)
	}
	lat := make([][]time.Duration, len(g.Resolutions))
	k := 0
	for i := range g.Resolutions {
		lat[i] = make([]time.Duration, len(g.Alphas))
		for j := range g.Alphas {
			if results[k] == nil || results[k].Latency.Median <= 0 {
				return fmt.Errorf("α %g, resolution %d: no measured latency", g.Alphas[j], g.Resolutions[i])
			}
			lat[i][j] = results[k].Latency.Median
			k++
		}
	}
	g.Latency, g.Machine = lat, mach
	return nil
}

// DrawGrid draws the grid as a heat map with a log colour scale (viridis),
// each cell annotated with its value where it fits.
func DrawGrid(g *Grid) *Figure {
	measured := g.Latency != nil
	vals := make([][]float64, len(g.Resolutions))
	for i := range g.Resolutions {
		vals[i] = make([]float64, len(g.Alphas))
		for j := range g.Alphas {
			if measured {
				vals[i][j] = g.Latency[i][j].Seconds() * 1e3
			} else {
				vals[i][j] = float64(g.MultAdds[i][j]) / 1e6
			}
		}
	}
	what, unit := "mult-adds", "Mult-adds (millions)"
	if measured {
		what, unit = "measured latency", "Latency (ms)"
	}
	p := newPlot(fmt.Sprintf("%s: %s over width multiplier × resolution", g.Network, what),
		"Width multiplier α", "Input resolution (pixels)")
	xs := make([]string, len(g.Alphas))
	for j, a := range g.Alphas {
		xs[j] = alphaText(a)
	}
	ys := make([]string, len(g.Resolutions))
	for i, r := range g.Resolutions {
		ys[i] = strconv.Itoa(r)
	}
	p.NominalX(thin(xs, 16)...)
	p.NominalY(thin(ys, 20)...)
	p.X.Tick.Label = textStyle(tickSize, draw.XCenter, draw.YTop)
	p.Y.Tick.Label = textStyle(tickSize, draw.XRight, draw.YCenter)
	p.X.Tick.Length, p.Y.Tick.Length = 0, 0
	p.X.LineStyle.Width, p.Y.LineStyle.Width = 0, 0
	p.X.Padding, p.Y.Padding = 0, 0
	p.X.Min, p.X.Max = -0.5, float64(len(g.Alphas))-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(len(g.Resolutions))-0.5
	lo, hi := valueRange(vals)
	scale := logColorScale{lo: lo, hi: hi}
	p.Add(&heatCells{vals: vals, scale: scale, format: cellFormat(measured)})

	fig := &Figure{panels: []*gplot.Plot{p}, side: colorBarPlot(scale, unit), sideW: 0.13}
	fig.Caption = []string{"Mult-adds are multiply-accumulates of the convolutions and fully connected layers, counted exactly by mnet; " +
		"colour on a log scale."}
	if measured {
		fig.Caption = []string{"Latency of one inference; colour on a log scale. " + g.Machine.String()}
	}
	return fig
}

func cellFormat(measured bool) func(float64) string {
	return func(v float64) string {
		if measured {
			return strconv.FormatFloat(v, 'f', 2, 64)
		}
		return sigFigures(v)
	}
}

// sigFigures prints v with three significant figures, no exponent: 569,
// 41.5, 1.23, 15470.
func sigFigures(v float64) string {
	switch {
	case v >= 100:
		return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

func valueRange(vals [][]float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, row := range vals {
		for _, v := range row {
			if v > 0 {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	if math.IsInf(lo, 0) {
		return 1, 10
	}
	if hi <= lo {
		lo, hi = lo/1.5, hi*1.5
	}
	return lo, hi
}
