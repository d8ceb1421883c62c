package plot

import (
	"fmt"
	"image/color"
	"sort"
	"time"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/analyze/paper"
	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/exec"
	"mnet.dev/mnet/spec"
)

// GenPoint is one published network configuration of the generations
// chart: its family, exact mult-adds (at its spec's class count) and
// published top-1.
type GenPoint struct {
	Family     string // "MobileNet v1", "MobileNetV2", ..., or a baseline's name
	Model      string // the example spec
	Alpha      float64
	Resolution int
	MultAdds   int64
	Params     int64
	Top1       float64
	Source     string // "TF-slim checkpoint", or the paper's table ("MobileNetV3 paper Table 3")
	// Latency is the measured median (with SetLatency; 0 otherwise).
	Latency time.Duration
}

// Label names the point on the chart: "V2 1.4-224", "v1 0.5-160",
// "GoogLeNet".
func (p GenPoint) Label() string {
	short := map[string]string{string(paper.MobileNetV1): "v1", string(paper.MobileNetV2): "V2",
		string(paper.MobileNetV3Large): "V3-L", string(paper.MobileNetV3Small): "V3-S"}[p.Family]
	if short == "" {
		return p.Family
	}
	return fmt.Sprintf("%s %s-%d", short, alphaText(p.Alpha), p.Resolution)
}

// Generations is the data of the generations chart: MobileNet v1's 16
// TF-slim checkpoints, MobileNetV2's 22, MobileNetV3's published points
// (its paper's Table 3) and the v1 paper's baselines on one accuracy /
// mult-add plane, and the Pareto front across all of them.
type Generations struct {
	Points []GenPoint
	// Front indexes the Points no other beats on both cost (mult-adds, or
	// measured latency once SetLatency gave them one) and accuracy,
	// cheapest first.
	Front []int
	// Machine describes the measurements (Measured: SetLatency was called).
	Machine  Machine
	Measured bool
	reports  []*analyze.Report // one per point
}

// Reports returns the analysed configuration of every point, in order:
// what SetLatency's results must follow.
func (d *Generations) Reports() []*analyze.Report { return d.reports }

// SetLatency gives every point its measured median latency (results in the
// order of Reports) and moves the front onto the latency / accuracy plane.
func (d *Generations) SetLatency(results []*exec.Result, m Machine) error {
	if len(results) != len(d.Points) {
		return fmt.Errorf("%d measurements for %d points", len(results), len(d.Points))
	}
	for i, r := range results {
		if r == nil || r.Latency.Median <= 0 {
			return fmt.Errorf("%s: no measured latency", d.Points[i].Label())
		}
		d.Points[i].Latency = r.Latency.Median
	}
	d.Machine, d.Measured = m, true
	d.Front = genFront(d.Points, true)
	return nil
}

// GenerationsData computes the generations chart's points from the
// published tables (paper.Book) and analyze's exact counts.
func GenerationsData() (*Generations, error) {
	b, err := paper.NewBook()
	if err != nil {
		return nil, err
	}
	d := &Generations{}
	add := func(family, model string, alpha float64, res int, top1 float64, source string) error {
		n, err := examples.Load(model)
		if err != nil {
			return err
		}
		o := spec.Options{Alpha: alpha, Resolution: res}
		r, err := analyze.Spec(n, o)
		if err != nil {
			return fmt.Errorf("%s α %g-%d: %w", model, alpha, res, err)
		}
		d.Points = append(d.Points, GenPoint{Family: family, Model: model, Alpha: r.Graph.Alpha, Resolution: r.Graph.Resolution,
			MultAdds: r.Totals.MultAdds, Params: r.Totals.Params, Top1: top1, Source: source})
		d.reports = append(d.reports, r)
		return nil
	}
	for _, c := range b.Checkpoints {
		if err := add(string(paper.MobileNetV1), paper.ModelOf(paper.MobileNetV1), c.Alpha, c.Resolution, c.Top1, "TF-slim checkpoint"); err != nil {
			return nil, err
		}
	}
	for _, c := range b.CheckpointsV2 {
		if err := add(string(paper.MobileNetV2), paper.ModelOf(paper.MobileNetV2), c.Alpha, c.Resolution, c.Top1, "TF-slim checkpoint"); err != nil {
			return nil, err
		}
	}
	for _, a := range b.Successors {
		f := paper.FamilyOf(a.Model)
		if f != paper.MobileNetV3Large && f != paper.MobileNetV3Small {
			continue // V2's own figures: its TF-slim checkpoints are drawn
		}
		if err := add(string(f), a.Model, a.Alpha, a.Resolution, a.Top1, paper.TableName(a.Table)); err != nil {
			return nil, err
		}
	}
	for _, a := range b.Baselines {
		name := string(paper.FamilyOf(a.Model))
		if name == "" {
			name = a.Label
		}
		if err := add(name, a.Model, a.Alpha, a.Resolution, a.Top1, paper.TableName(a.Table)); err != nil {
			return nil, err
		}
	}
	d.Front = genFront(d.Points, false)
	return d, nil
}

// genFront returns the indices of the points no other point beats: every
// cheaper (or equally cheap) point is less accurate, cost being mult-adds
// or, byLatency, the measured latency. Cheapest first; of equal points the
// first is kept.
func genFront(pts []GenPoint, byLatency bool) []int {
	cost := func(p GenPoint) float64 {
		if byLatency {
			return float64(p.Latency)
		}
		return float64(p.MultAdds)
	}
	idx := make([]int, len(pts))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		pa, pb := pts[idx[a]], pts[idx[b]]
		if cost(pa) != cost(pb) {
			return cost(pa) < cost(pb)
		}
		return pa.Top1 > pb.Top1
	})
	var out []int
	best := -1.0
	for _, i := range idx {
		if pts[i].Top1 > best {
			out = append(out, i)
			best = pts[i].Top1
		}
	}
	return out
}

// genStyle is a family's colour and marker.
func genStyle(family string) (color.Color, shape) {
	switch family {
	case string(paper.MobileNetV1):
		return okBlue, circle
	case string(paper.MobileNetV2):
		return okVermillion, square
	case string(paper.MobileNetV3Large):
		return okGreen, triangle
	case string(paper.MobileNetV3Small):
		return okPurple, diamond
	}
	return darkGrey, invTriangle
}

// DrawGenerations draws accuracy against mult-adds for the three
// generations and the baselines, the Pareto front as a dashed step line
// with its points labelled.
func DrawGenerations(d *Generations) *Figure {
	title, xLabel := "Three MobileNet generations: ImageNet accuracy vs. mult-adds", "Mult-adds (millions, log scale)"
	if d.Measured {
		thr := "threads"
		if d.Machine.Threads == 1 {
			thr = "thread"
		}
		title = fmt.Sprintf("Three MobileNet generations: accuracy vs. latency measured here (%d %s)", d.Machine.Threads, thr)
		xLabel = "Latency (ms, log scale)"
	}
	p := newPlot(title, xLabel, "ImageNet top-1 accuracy (%)")
	p.X.Scale = gplot.LogScale{}
	p.X.Tick.Marker = logTicks{}
	addGrid(p, true, true)
	leg := newLegend(false, false)
	lab := &labeller{}
	mm := func(pt GenPoint) float64 {
		if d.Measured {
			return pt.Latency.Seconds() * 1e3
		}
		return float64(pt.MultAdds) / 1e6
	}

	var front plotter.XYs
	for k, i := range d.Front {
		pt := d.Points[i]
		if k > 0 {
			front = append(front, plotter.XY{X: mm(pt), Y: front[len(front)-1].Y})
		}
		front = append(front, plotter.XY{X: mm(pt), Y: pt.Top1})
	}
	frontStyle := draw.LineStyle{Color: okBlack, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(4), vg.Points(2.5)}}
	if len(front) > 1 {
		l, _ := plotter.NewLine(front)
		l.LineStyle = frontStyle
		p.Add(l)
		var line [][2]float64
		for _, f := range front {
			line = append(line, [2]float64{f.X, f.Y})
		}
		lab.lines = append(lab.lines, line)
	}
	onFront := map[int]bool{}
	for _, i := range d.Front {
		onFront[i] = true
	}
	var xs, ys []float64
	var families []string
	seen := map[string]bool{}
	for i, pt := range d.Points {
		col, sh := genStyle(pt.Family)
		x, y := mm(pt), pt.Top1
		xs, ys = append(xs, x), append(ys, y)
		p.Add(scatter(plotter.XYs{{X: x, Y: y}}, marker{shape: sh}, vg.Points(pointRadius), col))
		if onFront[i] || !isMobileNetFamily(pt.Family) {
			lab.labels = append(lab.labels, pointLabel{X: x, Y: y, Text: pt.Label(), Color: okBlack, Clear: vg.Points(pointRadius)})
		} else {
			lab.markers = append(lab.markers, marked{X: x, Y: y, Radius: vg.Points(pointRadius)})
		}
		if !seen[pt.Family] {
			seen[pt.Family] = true
			families = append(families, pt.Family)
		}
	}
	for _, f := range families {
		if !isMobileNetFamily(f) {
			continue
		}
		col, sh := genStyle(f)
		leg.add(f, glyphThumb{Shape: marker{shape: sh}, Radius: vg.Points(pointRadius), Color: col})
	}
	col, sh := genStyle("")
	leg.add("v1 paper's baselines (Tables 8, 9)", glyphThumb{Shape: marker{shape: sh}, Radius: vg.Points(pointRadius), Color: col})
	leg.add("Pareto front across generations (labelled)", lineThumb{line: frontStyle})
	setLogRange(&p.X, xs, 1.3)
	setLinearRange(&p.Y, ys, 2.5, 5)
	lab.legend = leg
	p.Add(lab, leg)
	caps := []string{}
	if d.Measured {
		caps = append(caps, d.Machine.String())
	}
	caps = append(caps, fmt.Sprintf("Mult-adds: mnet's exact counts (one multiply-accumulate each; 1000 classes). "+
		"Accuracy: TF-slim's published checkpoints for v1 (%d) and V2 (%d), the MobileNetV3 paper's Table 3 for V3 (%d), "+
		"the MobileNets paper's Tables 8 and 9 for the baselines. A point is on the front when no other network is both cheaper and more accurate.",
		count(d.Points, string(paper.MobileNetV1)), count(d.Points, string(paper.MobileNetV2)),
		count(d.Points, string(paper.MobileNetV3Large))+count(d.Points, string(paper.MobileNetV3Small))))
	return &Figure{panels: []*gplot.Plot{p}, Caption: caps}
}

func isMobileNetFamily(f string) bool {
	switch f {
	case string(paper.MobileNetV1), string(paper.MobileNetV2), string(paper.MobileNetV3Large), string(paper.MobileNetV3Small):
		return true
	}
	return false
}

func count(pts []GenPoint, family string) int {
	n := 0
	for _, p := range pts {
		if p.Family == family {
			n++
		}
	}
	return n
}
