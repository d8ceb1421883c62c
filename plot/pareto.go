package plot

import (
	"fmt"
	"sort"

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

// Pareto is the data of the pareto chart: measured latency and accuracy of
// MobileNet v1 over an α x resolution grid, and the Pareto frontier.
type Pareto struct {
	Accuracy string
	Points   []Point // α descending, then resolution descending; Latency set
	// Frontier indexes the Points no other point beats on both latency and
	// accuracy, fastest first.
	Frontier []int
	Fit      *paper.Fit
	Machine  Machine
}

// ParetoConfigs analyzes MobileNet v1 at every α and resolution (α
// descending, then resolution descending, without repeats): the
// configurations pareto measures, in the order ParetoData takes their
// measurements.
func ParetoConfigs(alphas []float64, resolutions []int) ([]*analyze.Report, error) {
	n, err := examples.Load(paper.ModelOf(paper.MobileNetV1))
	if err != nil {
		return nil, err
	}
	as, rs := uniqFloats(alphas), uniqInts(resolutions)
	sort.Sort(sort.Reverse(sort.Float64Slice(as)))
	sort.Sort(sort.Reverse(sort.IntSlice(rs)))
	var reports []*analyze.Report
	for _, a := range as {
		for _, r := range rs {
			if err := (Config{a, r}).check(); err != nil {
				return nil, err
			}
			rep, err := analyze.Spec(n, spec.Options{Alpha: a, Resolution: r})
			if err != nil {
				return nil, fmt.Errorf("α %g, resolution %d: %w", a, r, err)
			}
			reports = append(reports, rep)
		}
	}
	if len(reports) == 0 {
		return nil, fmt.Errorf("empty α or resolution range")
	}
	return reports, nil
}

// ParetoData gives each configuration of ParetoConfigs its measured median
// latency (results, in the same order, as exec.Measure returns them) and
// its accuracy (published, or estimated), and finds the frontier. mach
// describes the measurements for the caption.
func ParetoData(accuracy string, reports []*analyze.Report, results []*exec.Result, mach Machine) (*Pareto, error) {
	mode, pol, err := policy(accuracy)
	if err != nil {
		return nil, err
	}
	if len(results) != len(reports) || len(reports) == 0 {
		return nil, fmt.Errorf("%d measurements for %d configurations", len(results), len(reports))
	}
	book, err := paper.NewBook()
	if err != nil {
		return nil, err
	}
	n, err := examples.Load(paper.ModelOf(paper.MobileNetV1))
	if err != nil {
		return nil, err
	}
	configs := make([]Config, len(reports))
	for i, r := range reports {
		configs[i] = Config{r.Graph.Alpha, r.Graph.Resolution}
	}
	pts, err := points(n, book, pol, configs)
	if err != nil {
		return nil, err
	}
	for i := range pts {
		if results[i] == nil || results[i].Latency.Median <= 0 {
			return nil, fmt.Errorf("%s: no measured latency", pts[i].Config)
		}
		pts[i].Latency = results[i].Latency.Median
	}
	return &Pareto{Accuracy: mode, Points: pts, Frontier: ParetoFrontier(pts), Fit: book.Fit, Machine: mach}, nil
}

// ParetoFrontier returns the indices of the points that no other point
// beats, fastest first: a point is on the frontier when every faster (or
// equally fast) point is less accurate. Of equal points the first is kept.
func ParetoFrontier(pts []Point) []int {
	idx := make([]int, len(pts))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		pa, pb := pts[idx[a]], pts[idx[b]]
		if pa.Latency != pb.Latency {
			return pa.Latency < pb.Latency
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

// DrawPareto draws accuracy against measured latency, one colour per α,
// with the frontier as a step line and its points labelled.
func DrawPareto(d *Pareto) *Figure {
	thr := "threads"
	if d.Machine.Threads == 1 {
		thr = "thread"
	}
	p := newPlot(fmt.Sprintf("MobileNet v1: accuracy vs. latency measured on this machine (%d %s)", d.Machine.Threads, thr),
		"Latency (ms, log scale)", "ImageNet top-1 accuracy (%)")
	p.X.Scale = gplot.LogScale{}
	p.X.Tick.Marker = logTicks{}
	addGrid(p, true, true)
	leg := newLegend(false, false)
	ms := func(pt Point) float64 { return pt.Latency.Seconds() * 1e3 }

	lab := &labeller{}
	var xs, ys []float64
	// The frontier first, under the points.
	var front plotter.XYs
	var frontLine [][2]float64
	for k, i := range d.Frontier {
		pt := d.Points[i]
		if k > 0 {
			prev := front[len(front)-1]
			front = append(front, plotter.XY{X: ms(pt), Y: prev.Y})
		}
		front = append(front, plotter.XY{X: ms(pt), Y: pt.Top1})
	}
	for _, f := range front {
		frontLine = append(frontLine, [2]float64{f.X, f.Y})
	}
	frontStyle := draw.LineStyle{Color: okBlack, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(4), vg.Points(2.5)}}
	if len(front) > 1 {
		l, _ := plotter.NewLine(front)
		l.LineStyle = frontStyle
		p.Add(l)
		lab.lines = append(lab.lines, frontLine)
	}

	alphas := []float64{}
	seen := map[float64]bool{}
	for _, pt := range d.Points {
		if !seen[pt.Alpha] {
			seen[pt.Alpha] = true
			alphas = append(alphas, pt.Alpha)
		}
	}
	acols := alphaColors(alphas)
	onFront := map[int]bool{}
	for _, i := range d.Frontier {
		onFront[i] = true
	}
	sources := map[Source]bool{}
	for i, pt := range d.Points {
		x, y := ms(pt), pt.Top1
		xs, ys = append(xs, x), append(ys, y)
		sources[pt.Source] = true
		p.Add(scatter(plotter.XYs{{X: x, Y: y}}, markerFor(pt.Source, d.Accuracy), vg.Points(pointRadius), acols[pt.Alpha]))
		if onFront[i] {
			lab.labels = append(lab.labels, pointLabel{X: x, Y: y, Text: fmt.Sprintf("%s-%d", alphaText(pt.Alpha), pt.Resolution),
				Color: okBlack, Clear: vg.Points(pointRadius)})
		} else {
			lab.markers = append(lab.markers, marked{X: x, Y: y, Radius: vg.Points(pointRadius)})
		}
	}
	for _, a := range alphas {
		leg.add("α = "+alphaText(a), glyphThumb{Shape: marker{shape: circle}, Radius: vg.Points(pointRadius), Color: acols[a]})
	}
	leg.add("Pareto frontier (labelled α-resolution)", lineThumb{line: frontStyle})
	if d.Accuracy == AccuracyPaper && sources[Checkpoint] {
		leg.add("TF-slim checkpoint (not in the paper)", glyphThumb{Shape: marker{shape: circle, open: true}, Radius: vg.Points(pointRadius), Color: darkGrey})
	}
	if sources[Estimated] {
		leg.add(fmt.Sprintf("estimated accuracy (fit, ±%.1f pts)", d.Fit.LOO), glyphThumb{Shape: marker{shape: diamond, open: true}, Radius: vg.Points(pointRadius), Color: darkGrey})
	}
	setLogRange(&p.X, xs, 1.25)
	setLinearRange(&p.Y, ys, 2.5, 5)
	lab.legend = leg
	p.Add(lab, leg)

	src := "Accuracy: TF-slim's published MobileNet v1 checkpoints."
	if d.Accuracy == AccuracyPaper {
		src = "Accuracy: the paper's own figures (Tables 4-9) where it prints one, TF-slim's published checkpoints elsewhere (open circles)."
	}
	caps := []string{d.Machine.String() + " " + src +
		" A point is on the frontier when no other configuration is both faster and more accurate."}
	if sources[Estimated] {
		caps = append(caps, "Open diamonds: no published accuracy; "+d.Fit.Describe()+".")
	}
	return &Figure{panels: []*gplot.Plot{p}, Caption: caps}
}
