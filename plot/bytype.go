package plot

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"
	"time"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/exec"
)

// Profile is a per-layer timing of one configuration (exec.Measure with
// MeasureOptions.Profile) and where it was made.
type Profile struct {
	Result  *exec.Result
	Machine Machine
}

// TypeShare is one layer type's share of a network's cost.
type TypeShare struct {
	Type          string
	Layers        int
	MultAdds      int64
	Params        int64 // weights only
	MultAddsShare float64
	ParamsShare   float64
	Time          time.Duration // sum of the type's per-layer median times
	TimeShare     float64       // of the sum over all layers
}

// ByType is the data of the bytype chart: the paper's Table 2 for any
// network, with measured time when profiled.
type ByType struct {
	Network    string
	Alpha      float64
	Resolution int
	Types      []TypeShare
	Profile    *Profile // nil when not measured
}

// ByTypeData takes the per-type costs from analyze's report (the paper's
// Table 2) and, when prof is not nil, the share of measured time per type.
// Types that cost time but no mult-adds or weights (pooling, softmax) are
// added after the others.
func ByTypeData(r *analyze.Report, prof *Profile) *ByType {
	d := &ByType{Network: r.Graph.Name, Alpha: r.Graph.Alpha, Resolution: r.Graph.Resolution, Profile: prof}
	idx := map[string]int{}
	for _, tc := range r.ByType {
		idx[tc.Type] = len(d.Types)
		d.Types = append(d.Types, TypeShare{Type: tc.Type, Layers: tc.Layers, MultAdds: tc.MultAdds, Params: tc.Params,
			MultAddsShare: tc.MultAddsShare, ParamsShare: tc.ParamsShare})
	}
	if prof == nil {
		return d
	}
	var total time.Duration
	for _, tt := range prof.Result.ByType() {
		i, ok := idx[tt.Type]
		if !ok {
			i = len(d.Types)
			idx[tt.Type] = i
			d.Types = append(d.Types, TypeShare{Type: tt.Type})
		}
		d.Types[i].Time += tt.Time
		total += tt.Time
	}
	if total > 0 {
		for i := range d.Types {
			d.Types[i].TimeShare = float64(d.Types[i].Time) / float64(total)
		}
	}
	return d
}

// DrawByType draws grouped bars: per layer type, the share of mult-adds, of
// parameters and (when measured) of time.
func DrawByType(d *ByType) *Figure {
	title := fmt.Sprintf("%s (α = %s, %d px): cost by layer type%s", d.Network, alphaText(d.Alpha), d.Resolution, measuredSuffix(d.Profile))
	p := newPlot(title, "Layer type", "Share of the network's total (%)")
	addGrid(p, false, true)
	leg := newLegend(true, false)

	type series struct {
		name  string
		col   color.Color
		value func(TypeShare) float64
	}
	ss := []series{
		{"Mult-adds", okBlue, func(t TypeShare) float64 { return 100 * t.MultAddsShare }},
		{"Parameters (weights)", okOrange, func(t TypeShare) float64 { return 100 * t.ParamsShare }},
	}
	if d.Profile != nil {
		ss = append(ss, series{"Measured time", okGreen, func(t TypeShare) float64 { return 100 * t.TimeShare }})
	}
	// Type names share the axis: with many types, break them into lines
	// (the slot width is judged at the default size).
	names := make([]string, len(d.Types))
	tick := textStyle(tickSize, draw.XCenter, draw.YTop)
	slot := vg.Points(470) / vg.Length(max(len(d.Types), 1))
	for i, t := range d.Types {
		names[i] = t.Type
		if tick.Width(t.Type) > slot*0.95 {
			names[i] = strings.ReplaceAll(t.Type, " ", "\n")
		}
	}
	p.NominalX(names...)
	p.X.Tick.Label = textStyle(tickSize, draw.XCenter, draw.YTop)
	p.X.Tick.Length = 0

	// Bars are sized in data units through a custom plotter so that the
	// groups fill their slots whatever the output size.
	groupW := 0.8
	barW := groupW / float64(len(ss))
	bars := &groupedBars{}
	for si, s := range ss {
		for ti, t := range d.Types {
			v := s.value(t)
			x := float64(ti) - groupW/2 + barW*(float64(si)+0.5)
			bars.bars = append(bars.bars, bar{x: x, w: barW * 0.92, h: v, col: s.col, label: shareLabel(v)})
		}
		leg.add(s.name, boxThumb{fill: s.col})
	}
	p.Add(bars)
	p.X.Min, p.X.Max = -0.6, float64(len(d.Types))-0.4
	p.Y.Min, p.Y.Max = 0, 108
	p.Y.Tick.Marker = stepTicks{step: 20}
	p.Add(leg)

	caps := []string{"Mult-adds are multiply-accumulates; parameters are weights only (no biases or batch norm); both counted exactly by mnet. " +
		"Each bar is the type's share of the whole network, in percent, as in the MobileNets paper's Table 2."}
	if d.Profile != nil {
		caps = append(caps, "Measured time: the type's share of the summed per-layer median times. "+d.Profile.Machine.String())
	}
	return &Figure{panels: []*gplot.Plot{p}, Caption: caps}
}

// shareLabel prints a percentage for a bar with two decimals, as the
// paper's Table 2 does: 94.86, 0.02, 0.
func shareLabel(v float64) string {
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// bar is one bar in data units, with a value label on top.
type bar struct {
	x, w, h float64
	col     color.Color
	label   string
}

// groupedBars draws bars with their value labels.
type groupedBars struct{ bars []bar }

func (g *groupedBars) Plot(c draw.Canvas, p *gplot.Plot) {
	trX, trY := p.Transforms(&c)
	sty := textStyle(labelSize-0.5, draw.XCenter, draw.YBottom)
	sty.Color = darkGrey
	for _, b := range g.bars {
		x0, x1 := trX(b.x-b.w/2), trX(b.x+b.w/2)
		y0, y1 := trY(0), trY(b.h)
		if y1-y0 < vg.Points(0.6) && b.h > 0 {
			y1 = y0 + vg.Points(0.6) // a visible sliver for tiny shares
		}
		r := vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x1, Y: y1}}
		c.SetColor(b.col)
		c.Fill(r.Path())
		switch slot := (x1 - x0) / 0.92; {
		case b.label == "":
		case sty.Width(b.label) <= slot:
			c.FillText(sty, vg.Point{X: (x0 + x1) / 2, Y: y1 + vg.Points(1.5)}, b.label)
		case sty.Height(b.label) <= slot:
			// Too narrow: the value reads upwards.
			up := sty
			up.Rotation, up.XAlign, up.YAlign = math.Pi/2, draw.XLeft, draw.YCenter
			c.FillText(up, vg.Point{X: (x0 + x1) / 2, Y: y1 + vg.Points(1.5)}, b.label)
		}
	}
}
