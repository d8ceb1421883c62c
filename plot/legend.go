package plot

import (
	"image/color"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legend is drawn by mnet rather than gonum/plot (whose legend ignores the
// padding of the data area): a framed white box in a corner of the data
// area, thumbnails on the left, text on the right. The labeller keeps
// labels off it.
type legend struct {
	entries     []key
	top, left   bool
	inset, pad  vg.Length
	thumbW, gap vg.Length
}

func newLegend(top, left bool) *legend {
	return &legend{top: top, left: left, inset: vg.Points(6), pad: vg.Points(5), thumbW: vg.Points(20), gap: vg.Points(5)}
}

func (l *legend) add(label string, thumb gplot.Thumbnailer) {
	l.entries = append(l.entries, key{label: label, thumb: thumb})
}

func (l *legend) rowHeight() vg.Length {
	return textStyle(legendSize, draw.XLeft, draw.YBottom).Height("Mg") * 1.25
}

// rect is the legend's box within the data canvas c.
func (l *legend) rect(c draw.Canvas) vg.Rectangle {
	if l == nil || len(l.entries) == 0 {
		return vg.Rectangle{}
	}
	sty := textStyle(legendSize, draw.XLeft, draw.YBottom)
	var w vg.Length
	for _, e := range l.entries {
		w = max(w, sty.Width(e.label))
	}
	w += l.thumbW + l.gap + 2*l.pad
	h := l.rowHeight()*vg.Length(len(l.entries)) + 2*l.pad
	var r vg.Rectangle
	if l.left {
		r.Min.X = c.Min.X + l.inset
	} else {
		r.Min.X = c.Max.X - l.inset - w
	}
	if l.top {
		r.Min.Y = c.Max.Y - l.inset - h
	} else {
		r.Min.Y = c.Min.Y + l.inset
	}
	r.Max = vg.Point{X: r.Min.X + w, Y: r.Min.Y + h}
	return r
}

func (l *legend) Plot(c draw.Canvas, _ *gplot.Plot) {
	if len(l.entries) == 0 {
		return
	}
	r := l.rect(c)
	c.SetColor(color.White)
	c.Fill(r.Path())
	c.SetLineStyle(draw.LineStyle{Color: gridGrey, Width: vg.Points(0.75)})
	c.Stroke(r.Path())
	sty := textStyle(legendSize, draw.XLeft, draw.YBottom)
	rh := l.rowHeight()
	th := sty.Height("Mg")
	y := r.Max.Y - l.pad - rh
	for _, e := range l.entries {
		x := r.Min.X + l.pad
		yc := y + (rh-th)/2
		tc := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{Min: vg.Point{X: x, Y: yc}, Max: vg.Point{X: x + l.thumbW, Y: yc + th}}}
		e.thumb.Thumbnail(&tc)
		c.FillText(sty, vg.Point{X: x + l.thumbW + l.gap, Y: yc + th - sty.Font.Size}, e.label)
		y -= rh
	}
}

// key is an entry of a figure-level legend row.
type key struct {
	label string
	thumb gplot.Thumbnailer
}

// drawKeys draws keys in rows centred under the top of c and returns the
// height used.
func drawKeys(c draw.Canvas, keys []key) vg.Length {
	sty := textStyle(legendSize, draw.XLeft, draw.YBottom)
	h := sty.Height("Mg")
	thumbW := vg.Points(12)
	gap, space := vg.Points(14), vg.Points(4)
	width := c.Max.X - c.Min.X
	var rows [][]key
	var rowW []vg.Length
	var cur []key
	var w vg.Length
	for _, k := range keys {
		kw := thumbW + space + sty.Width(k.label)
		if len(cur) > 0 && w+gap+kw > width {
			rows, rowW = append(rows, cur), append(rowW, w)
			cur, w = nil, 0
		}
		if len(cur) > 0 {
			w += gap
		}
		cur = append(cur, k)
		w += kw
	}
	if len(cur) > 0 {
		rows, rowW = append(rows, cur), append(rowW, w)
	}
	y := c.Max.Y - h
	for i, row := range rows {
		x := c.Min.X + (width-rowW[i])/2
		for _, k := range row {
			tc := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{Min: vg.Point{X: x, Y: y}, Max: vg.Point{X: x + thumbW, Y: y + h}}}
			k.thumb.Thumbnail(&tc)
			x += thumbW + space
			c.FillText(sty, vg.Point{X: x, Y: y + h - sty.Font.Size}, k.label)
			x += sty.Width(k.label) + gap
		}
		y -= h * 1.3
	}
	return h*1.3*vg.Length(len(rows)) + vg.Points(4)
}
