package plot

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// DrawTradeoff draws accuracy against mult-adds (the paper's Figure 4).
func DrawTradeoff(d *Tradeoff) *Figure { return drawAccuracyCost(d, false) }

// DrawParams draws accuracy against parameters (the paper's Figure 5).
func DrawParams(d *Tradeoff) *Figure { return drawAccuracyCost(d, true) }

const (
	pointRadius    = 3.6 // points
	baselineRadius = 4.2
	lineWidth      = 1.6
)

// markerFor is the marker of a point by its accuracy source: filled for
// the chosen published source, open for TF-slim's in paper mode, an open
// diamond for estimates.
func markerFor(src Source, mode string) marker {
	switch {
	case src == Estimated:
		return marker{shape: diamond, open: true}
	case src == Checkpoint && mode == AccuracyPaper:
		return marker{shape: circle, open: true}
	}
	return marker{shape: circle}
}

// baselineShape gives each baseline its own marker shape.
func baselineShape(model string) shape {
	switch model {
	case "googlenet":
		return triangle
	case "vgg16":
		return square
	case "squeezenet":
		return diamond
	case "alexnet":
		return invTriangle
	}
	return circle
}

func drawAccuracyCost(d *Tradeoff, byParams bool) *Figure {
	cost := func(ma, pa int64) float64 {
		if byParams {
			return float64(pa) / 1e6
		}
		return float64(ma) / 1e6
	}
	title := "MobileNet v1: ImageNet accuracy vs. mult-adds"
	xLabel := "Mult-adds (millions, log scale)"
	if byParams {
		title = "MobileNet v1: ImageNet accuracy vs. parameters"
		xLabel = "Parameters (millions, weights only, log scale)"
	}
	p := newPlot(title, xLabel, "ImageNet top-1 accuracy (%)")
	p.X.Scale = gplot.LogScale{}
	p.X.Tick.Marker = logTicks{}
	addGrid(p, true, true)
	leg := newLegend(false, false)

	lab := &labeller{}
	var xs, ys []float64

	// One line per α through its published configurations.
	alphas := []float64{}
	byAlpha := map[float64][]Point{}
	extra := d.Points[d.Published:]
	for _, pt := range d.Points[:d.Published] {
		if _, ok := byAlpha[pt.Alpha]; !ok {
			alphas = append(alphas, pt.Alpha)
		}
		byAlpha[pt.Alpha] = append(byAlpha[pt.Alpha], pt)
	}
	sources := map[Source]bool{}
	acols := alphaColors(alphas)
	for _, a := range alphas {
		pts := byAlpha[a]
		sort.Slice(pts, func(x, y int) bool { return pts[x].Resolution < pts[y].Resolution })
		col := acols[a]
		xys := make(plotter.XYs, len(pts))
		var line [][2]float64
		for j, pt := range pts {
			xys[j] = plotter.XY{X: cost(pt.MultAdds, pt.Params), Y: pt.Top1}
			line = append(line, [2]float64{xys[j].X, xys[j].Y})
		}
		l, _ := plotter.NewLine(xys)
		l.LineStyle = draw.LineStyle{Color: col, Width: vg.Points(lineWidth)}
		p.Add(l)
		lab.lines = append(lab.lines, line)
		for j, pt := range pts {
			sources[pt.Source] = true
			p.Add(scatter(plotter.XYs{xys[j]}, markerFor(pt.Source, d.Accuracy), vg.Points(pointRadius), col))
			lab.labels = append(lab.labels, pointLabel{X: xys[j].X, Y: xys[j].Y, Text: fmt.Sprint(pt.Resolution),
				Color: labelColor(col), Clear: vg.Points(pointRadius)})
			xs, ys = append(xs, xys[j].X), append(ys, xys[j].Y)
		}
		glyph := draw.GlyphStyle{Shape: marker{shape: circle}, Radius: vg.Points(pointRadius), Color: col}
		leg.add("α = "+alphaText(a), lineThumb{line: l.LineStyle, glyph: &glyph})
	}

	// Highlighted configurations off the published grid.
	for _, pt := range extra {
		sources[pt.Source] = true
		x, y := cost(pt.MultAdds, pt.Params), pt.Top1
		p.Add(scatter(plotter.XYs{{X: x, Y: y}}, markerFor(pt.Source, d.Accuracy), vg.Points(pointRadius), okBlack))
		xs, ys = append(xs, x), append(ys, y)
	}
	var selected []string
	for i, pt := range d.Points {
		if !pt.Highlight {
			continue
		}
		x, y := cost(pt.MultAdds, pt.Params), pt.Top1
		p.Add(scatter(plotter.XYs{{X: x, Y: y}}, ringMark{width: vg.Points(1.4)}, vg.Points(pointRadius+3.5), okBlack))
		name := pt.Config.String()
		switch {
		case pt.Source == Estimated && pt.Extrapolated:
			name += fmt.Sprintf(" (extrapolated %.1f%%)", pt.Top1)
		case pt.Source == Estimated:
			name += fmt.Sprintf(" (estimated %.1f%%)", pt.Top1)
		}
		selected = append(selected, name)
		if i >= d.Published {
			lab.labels = append(lab.labels, pointLabel{X: x, Y: y, Text: name, Color: okBlack, Clear: vg.Points(pointRadius + 4)})
		}
	}

	// Baselines.
	for _, b := range d.Baselines {
		x, y := cost(b.MultAdds, b.Params), b.Top1
		p.Add(scatter(plotter.XYs{{X: x, Y: y}}, marker{shape: baselineShape(b.Model)}, vg.Points(baselineRadius), darkGrey))
		lab.labels = append(lab.labels, pointLabel{X: x, Y: y, Text: b.Name, Color: okBlack, Size: labelSize + 0.5,
			Clear: vg.Points(baselineRadius + 1)})
		xs, ys = append(xs, x), append(ys, y)
	}

	// Marker kinds in the legend.
	switch d.Accuracy {
	case AccuracyPaper:
		if sources[Paper] {
			leg.add("paper's figure (Tables 4-9)", glyphThumb{Shape: marker{shape: circle}, Radius: vg.Points(pointRadius), Color: darkGrey})
		}
		if sources[Checkpoint] {
			leg.add("TF-slim checkpoint (not in the paper)", glyphThumb{Shape: marker{shape: circle, open: true}, Radius: vg.Points(pointRadius), Color: darkGrey})
		}
	default:
		leg.add("TF-slim checkpoint", glyphThumb{Shape: marker{shape: circle}, Radius: vg.Points(pointRadius), Color: darkGrey})
	}
	if sources[Estimated] {
		leg.add(fmt.Sprintf("estimated (fit, ±%.1f pts)", d.Fit.LOO), glyphThumb{Shape: marker{shape: diamond, open: true}, Radius: vg.Points(pointRadius), Color: darkGrey})
	}
	if len(selected) > 0 {
		leg.add("selected (ringed)", glyphThumb{Shape: ringMark{width: vg.Points(1.4)}, Radius: vg.Points(pointRadius + 2.5), Color: okBlack})
	}
	leg.add("baselines (Tables 8-9)", glyphThumb{Shape: marker{shape: square}, Radius: vg.Points(pointRadius), Color: darkGrey})

	setLogRange(&p.X, xs, 1.5)
	setLinearRange(&p.Y, ys, 2.5, 5)
	lab.legend = leg
	p.Add(lab, leg)

	return &Figure{panels: []*gplot.Plot{p}, Caption: tradeoffCaption(d, byParams)}
}

func tradeoffCaption(d *Tradeoff, byParams bool) []string {
	cost := "Mult-adds are multiply-accumulates of the convolutions and the fully connected layer"
	if byParams {
		cost = "Parameters are weights only (no biases or batch norm)"
	}
	var src string
	switch d.Accuracy {
	case AccuracyPaper:
		src = "Accuracy: the paper's own figures (Howard et al. 2017, Tables 4-9) where it prints one (filled), TF-slim's published checkpoints elsewhere (open)."
	default:
		src = "Accuracy: TF-slim's 16 published MobileNet v1 checkpoints (tensorflow/models research/slim, 2018 release)."
	}
	caps := []string{
		fmt.Sprintf("%s, counted exactly by mnet at %d classes; one line per width multiplier α, points labelled with the input resolution. %s "+
			"Baselines: accuracy as the paper's Tables 8-9 print it, cost counted by mnet from its example specs.", cost, d.Classes, src),
	}
	for _, pt := range d.Points {
		if pt.Source == Estimated {
			est := "Open diamond: no published accuracy; " + d.Fit.Describe() + "."
			if anyExtrapolated(d.Points) {
				est += " Beyond the published range the estimate is an extrapolation."
			}
			caps = append(caps, est)
			break
		}
	}
	return caps
}

func anyExtrapolated(pts []Point) bool {
	for _, p := range pts {
		if p.Source == Estimated && p.Extrapolated {
			return true
		}
	}
	return false
}

// ringMark is a ring around a point, marking a selection.
type ringMark struct{ width vg.Length }

func (r ringMark) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: r.width})
	var p vg.Path
	p.Move(vg.Point{X: pt.X + sty.Radius, Y: pt.Y})
	p.Arc(pt, sty.Radius, 0, 2*math.Pi)
	p.Close()
	c.Stroke(p)
}

// setLogRange fits a log axis to xs with a margin factor each side.
func setLogRange(a *gplot.Axis, xs []float64, factor float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		lo, hi = min(lo, x), max(hi, x)
	}
	if math.IsInf(lo, 0) {
		lo, hi = 1, 10
	}
	a.Min, a.Max = lo/factor, hi*factor
}

// setLinearRange fits a linear axis to ys with a margin, rounded out to
// multiples of round.
func setLinearRange(a *gplot.Axis, ys []float64, margin, round float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, y := range ys {
		lo, hi = min(lo, y), max(hi, y)
	}
	if math.IsInf(lo, 0) {
		lo, hi = 0, 1
	}
	a.Min = math.Floor((lo-margin)/round) * round
	a.Max = math.Ceil((hi+margin)/round) * round
	a.Tick.Marker = stepTicks{step: round}
}

// labelColor darkens a series colour a little for text, keeping its hue
// (the light Okabe-Ito colours are hard to read as thin text).
func labelColor(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	const k = 0.78
	return color.NRGBA{uint8(float64(r>>8) * k), uint8(float64(g>>8) * k), uint8(float64(b>>8) * k), 0xff}
}
