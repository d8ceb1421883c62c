package plot

import (
	"fmt"
	"image/color"
	"time"

	"mnet.dev/mnet/analyze"
)

// LayerCost is one layer's costs along the depth of a network.
type LayerCost struct {
	Index           int // the graph node's index
	Name, Type      string
	MultAdds        int64
	Params          int64 // weights only
	ActivationBytes int64 // the layer's output activation (float32)
	Time            time.Duration
}

// Layers is the data of the layers chart.
type Layers struct {
	Network    string
	Alpha      float64
	Resolution int
	// Layers are the layers with any cost (mult-adds, weights, an output
	// activation, or measured time), in network order.
	Layers []LayerCost
	Types  []string // the types present, in order of first appearance
	// Computing are the types with mult-adds or weights.
	Computing map[string]bool
	Profile   *Profile // nil when not measured
}

// LayersData lists every layer's mult-adds, weights and output activation
// from analyze's report, with its median time when prof is not nil.
// Layers that pass their input on untouched (dropout, flatten) and cost
// nothing are left out.
func LayersData(r *analyze.Report, prof *Profile) *Layers {
	d := &Layers{Network: r.Graph.Name, Alpha: r.Graph.Alpha, Resolution: r.Graph.Resolution, Profile: prof,
		Computing: map[string]bool{}}
	times := map[int]time.Duration{}
	if prof != nil {
		for _, l := range prof.Result.Layers {
			times[l.Index] += l.Median
		}
	}
	seen := map[string]bool{}
	for _, l := range r.Layers {
		t := times[l.Index]
		if l.MultAdds == 0 && l.Weights == 0 && l.OutputBytes == 0 && t == 0 {
			continue
		}
		d.Layers = append(d.Layers, LayerCost{Index: l.Index, Name: l.Name, Type: l.Type, MultAdds: l.MultAdds,
			Params: l.Weights, ActivationBytes: l.OutputBytes, Time: t})
		if l.MultAdds > 0 || l.Weights > 0 {
			d.Computing[l.Type] = true
		}
		if !seen[l.Type] {
			seen[l.Type] = true
			d.Types = append(d.Types, l.Type)
		}
	}
	return d
}

// typeColor gives the fixed colours of the common layer types; other
// types that compute (convolutions, fully connected) take the remaining
// palette colours in order of appearance, and types that only move data
// (pooling, LRN, concat, softmax) take shades of grey.
func typeColor(t string) (color.Color, bool) {
	switch t {
	case "Conv 1x1":
		return okBlue, true
	case "Conv DW 3x3":
		return okOrange, true
	case "Conv 3x3":
		return okGreen, true
	case "Fully Connected":
		return okVermillion, true
	}
	return nil, false
}

var greys = []color.Color{
	color.NRGBA{0x59, 0x59, 0x59, 0xff}, color.NRGBA{0x99, 0x99, 0x99, 0xff},
	color.NRGBA{0x33, 0x33, 0x33, 0xff}, color.NRGBA{0xbb, 0xbb, 0xbb, 0xff},
	color.NRGBA{0x77, 0x77, 0x77, 0xff}, color.NRGBA{0xd4, 0xd4, 0xd4, 0xff},
}

// colorsFor gives each type its colour; computing says which types have
// mult-adds or weights.
func colorsFor(types []string, computing map[string]bool) map[string]color.Color {
	out := map[string]color.Color{}
	used := map[color.Color]bool{}
	for _, t := range types {
		if c, ok := typeColor(t); ok {
			out[t] = c
			used[c] = true
		}
	}
	var rest []color.Color
	for _, c := range []color.Color{okPurple, okSkyBlue, okYellow, okBlack, okBlue, okOrange, okGreen, okVermillion} {
		if !used[c] {
			rest = append(rest, c)
		}
	}
	ci, gi := 0, 0
	for _, t := range types {
		if _, ok := out[t]; ok {
			continue
		}
		switch {
		case computing[t] && ci < len(rest):
			out[t] = rest[ci]
			ci++
		default:
			out[t] = greys[gi%len(greys)]
			gi++
		}
	}
	return out
}

// DrawLayers draws one bar per layer along the depth, coloured by type, in
// stacked panels: mult-adds, parameters, activation memory and (when
// measured) time.
func DrawLayers(d *Layers) *Figure {
	cols := colorsFor(d.Types, d.Computing)
	type panel struct {
		label string
		value func(LayerCost) float64
	}
	panels := []panel{
		{"Mult-adds (M)", func(l LayerCost) float64 { return float64(l.MultAdds) / 1e6 }},
		{"Parameters (M)", func(l LayerCost) float64 { return float64(l.Params) / 1e6 }},
		{"Activation (MB)", func(l LayerCost) float64 { return float64(l.ActivationBytes) / 1e6 }},
	}
	if d.Profile != nil {
		panels = append(panels, panel{"Time (ms)", func(l LayerCost) float64 { return l.Time.Seconds() * 1e3 }})
	}
	fig := &Figure{
		Title: fmt.Sprintf("%s (α = %s, %d px): cost of each layer%s", d.Network, alphaText(d.Alpha), d.Resolution, measuredSuffix(d.Profile)),
		Size:  Size{Width: DefaultWidth, Height: 300 + 230*len(panels)},
	}
	n := len(d.Layers)
	step := niceIntStep(float64(n), 12)
	for i, pn := range panels {
		xLabel := ""
		if i == len(panels)-1 {
			xLabel = "Layer (in network order)"
		}
		p := newPlot("", xLabel, pn.label)
		addGrid(p, false, true)
		bars := &groupedBars{}
		hi := 0.0
		for j, l := range d.Layers {
			v := pn.value(l)
			hi = max(hi, v)
			bars.bars = append(bars.bars, bar{x: float64(j + 1), w: 0.78, h: v, col: cols[l.Type]})
		}
		p.Add(bars)
		p.X.Min, p.X.Max = 0.4, float64(n)+0.6
		p.X.Tick.Marker = stepTicks{step: step}
		if hi == 0 {
			hi = 1
		}
		ystep := niceStep(hi, 4)
		p.Y.Min, p.Y.Max = 0, hi*1.06
		p.Y.Tick.Marker = stepTicks{step: ystep}
		if i < len(panels)-1 {
			p.X.Tick.Label.Color = color.Transparent // shared x axis: numbers on the bottom panel only
		}
		fig.panels = append(fig.panels, p)
	}
	for _, t := range d.Types {
		fig.keys = append(fig.keys, key{label: t, thumb: boxThumb{fill: cols[t]}})
	}
	fig.Caption = []string{"Mult-adds are multiply-accumulates; parameters are weights only; activation is the size of the layer's " +
		"output tensor in float32 (1 MB = 1,000,000 bytes); all counted exactly by mnet. Layers that cost nothing (dropout, flatten) are left out."}
	if d.Profile != nil {
		fig.Caption = append(fig.Caption, "Time: each layer's median. "+d.Profile.Machine.String())
	}
	return fig
}

// measuredSuffix marks the title of a chart with measured time.
func measuredSuffix(p *Profile) string {
	if p == nil {
		return ""
	}
	return ", time measured on this machine"
}
