package plot

import (
	"image/color"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// pointLabel is a text to place beside a data point.
type pointLabel struct {
	X, Y  float64 // the point, in data coordinates
	Text  string
	Color color.Color
	Size  vg.Length // font size (0: labelSize)
	Clear vg.Length // the point's marker radius: the label keeps clear of it
}

// marked is a marker without a label that labels must not cover.
type marked struct {
	X, Y   float64
	Radius vg.Length
}

// labeller places labels beside their points so that they overlap neither
// each other, nor markers, nor the lines given, nor the legend, and stay in
// the data area: for each label in turn it tries eight directions at
// growing distances and keeps the first free place (or the least covered
// one), drawing a leader line when the label had to move away. Points that
// sit close together (1.0 MobileNet-224 and GoogLeNet) thus get their
// labels on opposite sides.
type labeller struct {
	labels  []pointLabel
	markers []marked
	lines   [][][2]float64 // polylines in data coordinates
	legend  *legend        // kept clear (may be nil)
}

// candidate directions, in order of preference: right, left, above, below,
// then the diagonals.
var directions = [...][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, 1}, {-1, 1}, {1, -1}, {-1, -1}}

// distances are multiples of the base gap tried in turn.
var distances = [...]vg.Length{1, 2.2, 3.6, 5.5}

func (l *labeller) Plot(c draw.Canvas, p *gplot.Plot) {
	trX, trY := p.Transforms(&c)
	pt := func(x, y float64) vg.Point { return vg.Point{X: trX(x), Y: trY(y)} }

	var occupied []vg.Rectangle
	for _, m := range l.markers {
		occupied = append(occupied, around(pt(m.X, m.Y), m.Radius))
	}
	for _, lb := range l.labels {
		occupied = append(occupied, around(pt(lb.X, lb.Y), lb.Clear))
	}
	if leg := l.legend.rect(c); leg.Size().X > 0 {
		occupied = append(occupied, grow(leg, vg.Points(4)))
	}
	var segs [][2]vg.Point
	for _, line := range l.lines {
		for i := 1; i < len(line); i++ {
			segs = append(segs, [2]vg.Point{pt(line[i-1][0], line[i-1][1]), pt(line[i][0], line[i][1])})
		}
	}

	for _, lb := range l.labels {
		sty := l.style(lb)
		w, h := sty.Width(lb.Text), sty.Height(lb.Text)
		at := pt(lb.X, lb.Y)
		gap := lb.Clear + vg.Points(2.5)
		best, bestCost, bestFar := vg.Rectangle{}, -1.0, false
	search:
		for di, d := range distances {
			for _, dir := range directions {
				r := place(at, dir, gap*d, w, h)
				cost := overlapCost(r, c.Rectangle, occupied, segs)
				// Prefer near places: a little cost per step away.
				cost += float64(di) * 2
				if bestCost < 0 || cost < bestCost {
					best, bestCost, bestFar = r, cost, di > 0
				}
				if cost <= float64(di)*2 {
					break search
				}
			}
		}
		if bestFar {
			c.StrokeLine2(draw.LineStyle{Color: midGrey, Width: vg.Points(0.5)},
				at.X, at.Y, clampTo(at.X, best.Min.X, best.Max.X), clampTo(at.Y, best.Min.Y, best.Max.Y))
		}
		halo := best
		halo.Min.X -= vg.Points(1)
		halo.Max.X += vg.Points(1)
		c.SetColor(color.NRGBA{255, 255, 255, 200})
		c.Fill(halo.Path())
		// Plain text puts the baseline at size - ascent above the point;
		// lift it so the glyphs fill the box.
		c.FillText(sty, vg.Point{X: best.Min.X, Y: best.Min.Y + h - sty.Font.Size}, lb.Text)
		occupied = append(occupied, grow(best, vg.Points(1)))
	}
}

func (l *labeller) style(lb pointLabel) text.Style {
	size := lb.Size
	if size == 0 {
		size = labelSize
	}
	sty := textStyle(size, draw.XLeft, draw.YBottom)
	if lb.Color != nil {
		sty.Color = lb.Color
	}
	return sty
}

// place puts a w x h box beside at, in direction dir, gap away.
func place(at vg.Point, dir [2]int, gap, w, h vg.Length) vg.Rectangle {
	var x, y vg.Length
	switch dir[0] {
	case 1:
		x = at.X + gap
	case -1:
		x = at.X - gap - w
	default:
		x = at.X - w/2
	}
	switch dir[1] {
	case 1:
		y = at.Y + gap*0.8
	case -1:
		y = at.Y - gap*0.8 - h
	default:
		y = at.Y - h/2
	}
	if dir[0] != 0 && dir[1] != 0 { // diagonals: pull in a little
		x -= vg.Length(dir[0]) * gap * 0.3
	}
	return vg.Rectangle{Min: vg.Point{X: x, Y: y}, Max: vg.Point{X: x + w, Y: y + h}}
}

// overlapCost scores a label box: area covered of other boxes, area
// outside the data area (heavily), and lines crossed.
func overlapCost(r, area vg.Rectangle, occupied []vg.Rectangle, segs [][2]vg.Point) float64 {
	var cost float64
	inside := intersect(r, area)
	cost += 50 * float64(rectArea(r)-rectArea(inside))
	for _, o := range occupied {
		cost += float64(rectArea(intersect(r, o)))
	}
	h := float64(r.Max.Y - r.Min.Y)
	for _, s := range segs {
		if segmentHits(s[0], s[1], r) {
			cost += h * h * 0.5
		}
	}
	return cost
}

func around(p vg.Point, r vg.Length) vg.Rectangle {
	return vg.Rectangle{Min: vg.Point{X: p.X - r, Y: p.Y - r}, Max: vg.Point{X: p.X + r, Y: p.Y + r}}
}

func grow(r vg.Rectangle, d vg.Length) vg.Rectangle {
	return vg.Rectangle{Min: vg.Point{X: r.Min.X - d, Y: r.Min.Y - d}, Max: vg.Point{X: r.Max.X + d, Y: r.Max.Y + d}}
}

func intersect(a, b vg.Rectangle) vg.Rectangle {
	r := vg.Rectangle{
		Min: vg.Point{X: max(a.Min.X, b.Min.X), Y: max(a.Min.Y, b.Min.Y)},
		Max: vg.Point{X: min(a.Max.X, b.Max.X), Y: min(a.Max.Y, b.Max.Y)},
	}
	if r.Max.X < r.Min.X || r.Max.Y < r.Min.Y {
		return vg.Rectangle{}
	}
	return r
}

func rectArea(r vg.Rectangle) vg.Length { return (r.Max.X - r.Min.X) * (r.Max.Y - r.Min.Y) }

func clampTo(v, lo, hi vg.Length) vg.Length { return min(max(v, lo), hi) }

// segmentHits reports whether the segment a-b passes through r
// (Liang-Barsky clipping).
func segmentHits(a, b vg.Point, r vg.Rectangle) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := float64(b.X-a.X), float64(b.Y-a.Y)
	clip := func(p, q float64) bool {
		if p == 0 {
			return q >= 0
		}
		t := q / p
		if p < 0 {
			if t > t1 {
				return false
			}
			t0 = max(t0, t)
		} else {
			if t < t0 {
				return false
			}
			t1 = min(t1, t)
		}
		return true
	}
	return clip(-dx, float64(a.X-r.Min.X)) && clip(dx, float64(r.Max.X-a.X)) &&
		clip(-dy, float64(a.Y-r.Min.Y)) && clip(dy, float64(r.Max.Y-a.Y)) && t0 <= t1
}
