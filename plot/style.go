package plot

import (
	"image/color"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Font sizes, in points.
const (
	titleSize   = 13
	axisSize    = 11
	tickSize    = 9.5
	legendSize  = 9.5
	labelSize   = 8.5
	captionSize = 8
)

// sans is the typeface of every text: Liberation Sans, embedded in
// gonum/plot (no system fonts needed).
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// Okabe-Ito colours (Okabe and Ito 2008, "Color Universal Design"),
// distinguishable with every common colour-vision deficiency.
var (
	okBlack      = color.NRGBA{0x00, 0x00, 0x00, 0xff}
	okOrange     = color.NRGBA{0xe6, 0x9f, 0x00, 0xff}
	okSkyBlue    = color.NRGBA{0x56, 0xb4, 0xe9, 0xff}
	okGreen      = color.NRGBA{0x00, 0x9e, 0x73, 0xff}
	okYellow     = color.NRGBA{0xf0, 0xe4, 0x42, 0xff}
	okBlue       = color.NRGBA{0x00, 0x72, 0xb2, 0xff}
	okVermillion = color.NRGBA{0xd5, 0x5e, 0x00, 0xff}
	okPurple     = color.NRGBA{0xcc, 0x79, 0xa7, 0xff}
	gridGrey     = color.NRGBA{0xdd, 0xdd, 0xdd, 0xff}
	darkGrey     = color.NRGBA{0x44, 0x44, 0x44, 0xff}
	midGrey      = color.NRGBA{0x88, 0x88, 0x88, 0xff}
)

// alphaColors gives each width multiplier its colour: the paper's four
// always the same (1.0 blue, 0.75 vermillion, 0.5 green, 0.25 purple), the
// others the remaining palette colours in order, then grey.
func alphaColors(alphas []float64) map[float64]color.Color {
	fixed := map[float64]color.Color{1: okBlue, 0.75: okVermillion, 0.5: okGreen, 0.25: okPurple}
	rest := []color.Color{okOrange, okSkyBlue, okBlack, okYellow}
	out := map[float64]color.Color{}
	i := 0
	for _, a := range alphas {
		if _, ok := out[a]; ok {
			continue
		}
		if c, ok := fixed[a]; ok {
			out[a] = c
			continue
		}
		if i < len(rest) {
			out[a] = rest[i]
		} else {
			out[a] = midGrey
		}
		i++
	}
	return out
}

// textStyle is a sans-serif text style of the given size.
func textStyle(size vg.Length, xa text.XAlignment, ya text.YAlignment) text.Style {
	return text.Style{
		Color:   okBlack,
		Font:    font.From(sans, size),
		XAlign:  xa,
		YAlign:  ya,
		Handler: text.Plain{Fonts: font.DefaultCache},
	}
}

// newPlot returns a plot with mnet's style: sans-serif text everywhere,
// light axes. The package-level defaults of
// gonum/plot are not touched.
func newPlot(title, xLabel, yLabel string) *gplot.Plot {
	p := gplot.New()
	p.Title.Text = title
	p.Title.TextStyle = textStyle(titleSize, draw.XCenter, draw.YTop)
	p.Title.Padding = vg.Points(8)
	for _, ax := range []*gplot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle = textStyle(axisSize, draw.XCenter, draw.YBottom)
		ax.Label.Padding = vg.Points(4)
		ax.Tick.Label = textStyle(tickSize, ax.Tick.Label.XAlign, ax.Tick.Label.YAlign)
		ax.Tick.Length = vg.Points(4)
		ax.LineStyle.Color = darkGrey
		ax.Tick.LineStyle.Color = darkGrey
		ax.Padding = vg.Points(2)
	}
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	return p
}

// addGrid adds light grid lines at the major ticks (drawn first, under the
// data).
func addGrid(p *gplot.Plot, vertical, horizontal bool) {
	g := plotter.NewGrid()
	sty := draw.LineStyle{Color: gridGrey, Width: vg.Points(0.5)}
	g.Vertical, g.Horizontal = draw.LineStyle{}, draw.LineStyle{}
	if vertical {
		g.Vertical = sty
	}
	if horizontal {
		g.Horizontal = sty
	}
	p.Add(g)
}

// scatter returns a scatter plotter of one point style.
func scatter(xys plotter.XYs, shape draw.GlyphDrawer, radius vg.Length, c color.Color) *plotter.Scatter {
	s, _ := plotter.NewScatter(xys) // only fails on NaN/Inf, checked by callers
	s.GlyphStyle = draw.GlyphStyle{Shape: shape, Radius: radius, Color: c}
	return s
}

// glyphThumb is a legend thumbnail of one glyph.
type glyphThumb draw.GlyphStyle

func (g glyphThumb) Thumbnail(c *draw.Canvas) {
	c.DrawGlyph(draw.GlyphStyle(g), c.Center())
}

// lineThumb is a legend thumbnail of a line with an optional glyph.
type lineThumb struct {
	line  draw.LineStyle
	glyph *draw.GlyphStyle
}

func (l lineThumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(l.line, c.Min.X, y, c.Max.X, y)
	if l.glyph != nil {
		c.DrawGlyph(*l.glyph, c.Center())
	}
}

// boxThumb is a legend thumbnail of a filled bar.
type boxThumb struct{ fill color.Color }

func (b boxThumb) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	h := r.Max.Y - r.Min.Y
	r.Min.X += h * 0.15
	r.Max.X -= h * 0.15
	r.Min.Y += h * 0.1
	r.Max.Y -= h * 0.1
	c.SetColor(b.fill)
	c.Fill(r.Path())
}

// shape is a marker outline.
type shape int

const (
	circle shape = iota
	square
	triangle
	diamond
	invTriangle
)

// marker is a glyph with a proper outline: filled markers get a thin white
// edge (so overlapping markers stay apart), open markers a white fill and a
// coloured outline (so lines under them are hidden).
type marker struct {
	shape shape
	open  bool
}

func (m marker) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	p := m.path(sty.Radius, pt)
	if m.open {
		c.SetColor(color.White)
		c.Fill(p)
		c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: sty.Radius * 0.45})
		c.Stroke(p)
		return
	}
	c.SetColor(sty.Color)
	c.Fill(p)
	c.SetLineStyle(draw.LineStyle{Color: color.White, Width: sty.Radius * 0.2})
	c.Stroke(p)
}

// path is the marker's outline, of about the same visual weight for every
// shape at one radius.
func (m marker) path(r vg.Length, pt vg.Point) vg.Path {
	var p vg.Path
	poly := func(pts ...vg.Point) {
		p.Move(vg.Point{X: pt.X + pts[0].X, Y: pt.Y + pts[0].Y})
		for _, q := range pts[1:] {
			p.Line(vg.Point{X: pt.X + q.X, Y: pt.Y + q.Y})
		}
		p.Close()
	}
	switch m.shape {
	case square:
		a := r * 0.88
		poly(vg.Point{X: -a, Y: -a}, vg.Point{X: a, Y: -a}, vg.Point{X: a, Y: a}, vg.Point{X: -a, Y: a})
	case triangle, invTriangle:
		a := r * 1.3
		s := vg.Length(1)
		if m.shape == invTriangle {
			s = -1
		}
		poly(vg.Point{X: 0, Y: s * a}, vg.Point{X: -a * 0.866, Y: -s * a * 0.5}, vg.Point{X: a * 0.866, Y: -s * a * 0.5})
	case diamond:
		a := r * 1.25
		poly(vg.Point{X: 0, Y: a}, vg.Point{X: a, Y: 0}, vg.Point{X: 0, Y: -a}, vg.Point{X: -a, Y: 0})
	default:
		p.Move(vg.Point{X: pt.X + r, Y: pt.Y})
		p.Arc(pt, r, 0, 2*math.Pi)
		p.Close()
	}
	return p
}
