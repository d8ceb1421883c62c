package plot

import (
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"strings"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Size is an output size in pixels and its resolution. For SVG and PDF the
// page is Width/DPI x Height/DPI inches. Text is sized in points, so the
// DPI sets how large it is in pixels. A zero Width or Height keeps the
// chart's default size in inches (8 x 5.33 for most) at the DPI.
type Size struct {
	Width, Height int // pixels
	DPI           int
}

// Size defaults and limits.
const (
	DefaultWidth  = 1200
	DefaultHeight = 800
	DefaultDPI    = 150
	minPixels     = 200
	maxPixels     = 10000
	maxArea       = 40_000_000 // pixels: 160 MB of RGBA
	minDPI        = 36
	maxDPI        = 1200
)

// resolve fills zero fields from def, a size at DefaultDPI: the DPI
// defaults to DefaultDPI, and a missing width or height keeps def's size in
// inches at the chosen DPI (so --dpi alone changes the resolution, not the
// layout).
func (s Size) resolve(def Size) Size {
	if s.DPI == 0 {
		s.DPI = DefaultDPI
	}
	if def.Width == 0 {
		def.Width = DefaultWidth
	}
	if def.Height == 0 {
		def.Height = DefaultHeight
	}
	if s.Width == 0 {
		s.Width = int(math.Round(float64(def.Width) * float64(s.DPI) / DefaultDPI))
	}
	if s.Height == 0 {
		s.Height = int(math.Round(float64(def.Height) * float64(s.DPI) / DefaultDPI))
	}
	return s
}

// Check validates a size (zero fields mean the default).
func (s Size) Check() error {
	for _, d := range []struct {
		name string
		v    int
	}{{"width", s.Width}, {"height", s.Height}} {
		if d.v != 0 && (d.v < minPixels || d.v > maxPixels) {
			return fmt.Errorf("%s %d pixels out of range [%d, %d]", d.name, d.v, minPixels, maxPixels)
		}
	}
	if s.DPI != 0 && (s.DPI < minDPI || s.DPI > maxDPI) {
		return fmt.Errorf("DPI %d out of range [%d, %d]", s.DPI, minDPI, maxDPI)
	}
	return s.resolve(Size{}).checkArea()
}

// checkArea refuses images over the pixel limits once the size is resolved.
func (s Size) checkArea() error {
	if s.Width > maxPixels || s.Height > maxPixels || s.Width*s.Height > maxArea {
		return fmt.Errorf("%d x %d pixels: the limit is %d a side and %d million in all (lower the DPI or the size)",
			s.Width, s.Height, maxPixels, maxArea/1_000_000)
	}
	return nil
}

// inches converts pixels at the size's DPI to a vg length.
func (s Size) length(px int) vg.Length { return vg.Length(px) * vg.Inch / vg.Length(s.DPI) }

// Formats lists the output formats, named by file extension.
func Formats() []string { return []string{"png", "svg", "pdf"} }

// Figure is a drawn chart: one plot, or several stacked with aligned axes,
// an optional narrow side plot (a colour scale), and a caption under it.
type Figure struct {
	// Title is drawn above stacked panels (a single plot carries its own).
	Title string
	// Caption is drawn under the chart, one paragraph per entry, wrapped.
	Caption []string
	// Size is the figure's preferred size in pixels at DefaultDPI (zero
	// fields: DefaultWidth, DefaultHeight).
	Size Size

	panels []*gplot.Plot
	keys   []key       // a legend row under the title
	side   *gplot.Plot // drawn to the right of the panels
	sideW  float64     // fraction of the width for side
}

const margin = 10 // points around the figure

// Draw draws the figure on c.
func (f *Figure) Draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	c = draw.Crop(c, vg.Points(margin), -vg.Points(margin), vg.Points(margin*0.6), -vg.Points(margin*0.6))

	if len(f.Caption) > 0 {
		sty := textStyle(captionSize, draw.XLeft, draw.YBottom)
		sty.Color = darkGrey
		width := c.Max.X - c.Min.X
		var lines []string
		for _, para := range f.Caption {
			lines = append(lines, wrap(sty, para, width)...)
		}
		lh := sty.Height("Mg") * 1.18
		y := c.Min.Y + vg.Points(1)
		for i := len(lines) - 1; i >= 0; i-- {
			c.FillText(sty, vg.Point{X: c.Min.X, Y: y}, lines[i])
			y += lh
		}
		c = draw.Crop(c, 0, 0, lh*vg.Length(len(lines))+vg.Points(8), 0)
	}

	if f.side != nil && len(f.panels) == 1 {
		// The side plot (a colour scale) spans the main plot's data area
		// vertically.
		w := (c.Max.X - c.Min.X) * vg.Length(f.sideW)
		main := c
		main.Max.X -= w + vg.Points(6)
		dc := f.panels[0].DataCanvas(main)
		side := c
		side.Min.X = c.Max.X - w
		side.Min.Y, side.Max.Y = dc.Min.Y, dc.Max.Y
		f.side.Draw(side)
		c = main
	}

	switch len(f.panels) {
	case 0:
	case 1:
		f.panels[0].Draw(c)
	default:
		if f.Title != "" {
			sty := textStyle(titleSize, draw.XCenter, draw.YTop)
			c.FillText(sty, vg.Point{X: c.Center().X, Y: c.Max.Y}, f.Title)
			c.Max.Y -= sty.Height(f.Title) + vg.Points(8)
		}
		if len(f.keys) > 0 {
			c.Max.Y -= drawKeys(c, f.keys)
		}
		rows := make([][]*gplot.Plot, len(f.panels))
		for i, p := range f.panels {
			rows[i] = []*gplot.Plot{p}
		}
		t := draw.Tiles{Rows: len(rows), Cols: 1, PadY: vg.Points(10)}
		canvases := gplot.Align(rows, t, c)
		for i, p := range f.panels {
			p.Draw(canvases[i][0])
		}
	}
}

// wrap breaks a paragraph into lines no wider than width.
func wrap(sty text.Style, para string, width vg.Length) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(para) {
		try := w
		if line != "" {
			try = line + " " + w
		}
		if line != "" && sty.Width(try) > width {
			lines = append(lines, line)
			line = w
			continue
		}
		line = try
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// Write renders the figure in format ("png", "svg" or "pdf") at size (zero
// fields: the figure's defaults) to w.
func (f *Figure) Write(w io.Writer, format string, size Size) error {
	if err := size.Check(); err != nil {
		return err
	}
	size = size.resolve(f.Size)
	if err := size.checkArea(); err != nil {
		return err
	}
	var wt io.WriterTo
	switch strings.ToLower(format) {
	case "png", "":
		img := image.NewRGBA(image.Rect(0, 0, size.Width, size.Height))
		c := vgimg.NewWith(vgimg.UseImage(img), vgimg.UseDPI(size.DPI))
		f.Draw(draw.New(c))
		wt = vgimg.PngCanvas{Canvas: c}
	case "svg":
		c := vgsvg.NewWith(vgsvg.UseWH(size.length(size.Width), size.length(size.Height)), vgsvg.EmbedFonts(true))
		f.Draw(draw.New(c))
		wt = c
	case "pdf":
		c := vgpdf.New(size.length(size.Width), size.length(size.Height))
		f.Draw(draw.New(c))
		wt = c
	default:
		return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats(), ", "))
	}
	_, err := wt.WriteTo(w)
	return err
}
