package plot

import (
	"image/color"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// logColorScale maps values to viridis on a log scale.
type logColorScale struct{ lo, hi float64 }

func (s logColorScale) t(v float64) float64 {
	if v <= 0 {
		return 0
	}
	t := (math.Log(v) - math.Log(s.lo)) / (math.Log(s.hi) - math.Log(s.lo))
	return min(max(t, 0), 1)
}

func (s logColorScale) color(v float64) color.Color { return viridis(s.t(v)) }

// viridisStops are matplotlib's viridis at t = 0, 1/8, ... 1: perceptually
// uniform, readable in grey and with colour-vision deficiencies.
var viridisStops = [...]color.NRGBA{
	{0x44, 0x01, 0x54, 0xff}, {0x47, 0x2c, 0x7a, 0xff}, {0x3b, 0x51, 0x8b, 0xff},
	{0x2c, 0x71, 0x8e, 0xff}, {0x21, 0x90, 0x8d, 0xff}, {0x27, 0xad, 0x81, 0xff},
	{0x5c, 0xc8, 0x63, 0xff}, {0xaa, 0xdc, 0x32, 0xff}, {0xfd, 0xe7, 0x25, 0xff},
}

func viridis(t float64) color.NRGBA {
	t = min(max(t, 0), 1) * float64(len(viridisStops)-1)
	i := min(int(t), len(viridisStops)-2)
	f := t - float64(i)
	a, b := viridisStops[i], viridisStops[i+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*(1-f) + float64(y)*f)) }
	return color.NRGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xff}
}

// heatCells draws one coloured cell per value at integer coordinates, with
// the value printed in it when it fits.
type heatCells struct {
	vals   [][]float64 // [y][x]
	scale  logColorScale
	format func(float64) string
}

func (h *heatCells) Plot(c draw.Canvas, p *gplot.Plot) {
	trX, trY := p.Transforms(&c)
	// All values or none: the largest font (down to 6.5 pt) at which every
	// value fits its cell.
	cellW := trX(0.5) - trX(-0.5)
	cellH := trY(0.5) - trY(-0.5)
	var sty text.Style
	show := false
	for size := vg.Length(tickSize); size >= 6.5 && !show; size -= 0.5 {
		sty = textStyle(size, draw.XCenter, draw.YCenter)
		show = true
		for _, row := range h.vals {
			for _, v := range row {
				txt := h.format(v)
				if sty.Width(txt) > cellW*0.88 || sty.Height(txt) > cellH*0.9 {
					show = false
				}
			}
		}
	}
	for i, row := range h.vals {
		for j, v := range row {
			r := vg.Rectangle{
				Min: vg.Point{X: trX(float64(j) - 0.5), Y: trY(float64(i) - 0.5)},
				Max: vg.Point{X: trX(float64(j) + 0.5), Y: trY(float64(i) + 0.5)},
			}
			c.SetColor(h.scale.color(v))
			c.Fill(r.Path())
			c.SetLineStyle(draw.LineStyle{Color: color.White, Width: vg.Points(0.75)})
			c.Stroke(r.Path())
			if !show {
				continue
			}
			txt := h.format(v)
			s := sty
			if h.scale.t(v) > 0.55 {
				s.Color = okBlack
			} else {
				s.Color = color.White
			}
			ctr := vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: (r.Min.Y + r.Max.Y) / 2}
			c.FillText(s, vg.Point{X: ctr.X, Y: ctr.Y + (sty.Height(txt)-sty.Font.Size)/2}, txt)
		}
	}
}

// thin blanks labels so that at most about n are shown (every k-th, the
// first always).
func thin(labels []string, n int) []string {
	if len(labels) <= n {
		return labels
	}
	k := (len(labels) + n - 1) / n
	out := make([]string, len(labels))
	for i := range labels {
		if i%k == 0 {
			out[i] = labels[i]
		}
	}
	return out
}

// colorBarPlot is a vertical colour scale for s, on a log axis.
func colorBarPlot(s logColorScale, label string) *gplot.Plot {
	p := newPlot("", "", label)
	p.Y.Scale = gplot.LogScale{}
	p.Y.Tick.Marker = logTicks{}
	p.Y.Min, p.Y.Max = s.lo, s.hi
	p.X.Min, p.X.Max = 0, 1
	p.HideX()
	p.Y.Padding = 0
	p.Add(colorBar{s})
	return p
}

type colorBar struct{ s logColorScale }

func (b colorBar) Plot(c draw.Canvas, p *gplot.Plot) {
	const steps = 128
	x0, x1 := c.Min.X, c.Min.X+min(c.Max.X-c.Min.X, vg.Points(14))
	for k := range steps {
		y0 := c.Min.Y + (c.Max.Y-c.Min.Y)*vg.Length(k)/steps
		y1 := c.Min.Y + (c.Max.Y-c.Min.Y)*vg.Length(k+1)/steps
		r := vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x1, Y: y1 + 0.3}}
		c.SetColor(viridis((float64(k) + 0.5) / steps))
		c.Fill(r.Path())
	}
}
