package plot

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"gonum.org/v1/plot/cmpimg"

	"mnet.dev/mnet/internal/golden"
	"mnet.dev/mnet/spec"
)

// goldenSize renders the golden images at half the default resolution: the
// same layout, a quarter of the pixels.
var goldenSize = Size{DPI: DefaultDPI / 2}

// renderPNG builds the request and renders it at size.
func renderPNG(t *testing.T, req Request, size Size) []byte {
	t.Helper()
	fig, err := Build(req)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := fig.Write(&buf, "png", size); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// checkImage decodes a PNG and checks its size and that it is a chart: many
// colours, a fair amount ink, and not one flat colour.
func checkImage(t *testing.T, b []byte, w, h int) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decoding PNG: %v", err)
	}
	if got := img.Bounds().Size(); got.X != w || got.Y != h {
		t.Errorf("size %v, want %dx%d", got, w, h)
	}
	colors := map[color.RGBA]bool{}
	ink := 0
	bnd := img.Bounds()
	for y := bnd.Min.Y; y < bnd.Max.Y; y++ {
		for x := bnd.Min.X; x < bnd.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			colors[c] = true
			if c.R < 200 || c.G < 200 || c.B < 200 {
				ink++
			}
		}
	}
	frac := float64(ink) / float64(bnd.Dx()*bnd.Dy())
	if len(colors) < 50 || frac < 0.01 || frac > 0.9 {
		t.Errorf("blank-looking image: %d colours, %.1f%% ink", len(colors), 100*frac)
	}
	return img
}

// checkGolden compares a PNG with its golden file within a small
// tolerance (font rasterisation may differ in the last bit across
// platforms); go test -update rewrites it.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	golden.CheckWith(t, path, got, func(got, want []byte) (bool, string, error) {
		ok, err := cmpimg.EqualApprox("png", got, want, 0.001)
		return ok, "", err
	})
}

// TestChartsGolden renders every deterministic chart, checks the image and
// compares it with its golden file.
func TestChartsGolden(t *testing.T) {
	googlenet := load(t, "googlenet")
	for _, c := range []struct {
		name string
		req  Request
	}{
		{"tradeoff.png", Request{Kind: KindTradeoff}},
		{"tradeoff_paper_highlight.png", Request{Kind: KindTradeoff, Accuracy: AccuracyPaper, Highlight: []Config{{0.6, 200}}}},
		{"params.png", Request{Kind: KindParams}},
		{"bytype.png", Request{Kind: KindByType}},
		{"bytype_googlenet.png", Request{Kind: KindByType, Network: googlenet}},
		{"layers.png", Request{Kind: KindLayers, Options: spec.Options{Alpha: 0.75, Resolution: 192}}},
		{"grid.png", Request{Kind: KindGrid}},
		{"grid_fine.png", Request{Kind: KindGrid, Alphas: []float64{0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2}, Resolutions: []int{96, 128, 160, 192, 224, 256}}},
	} {
		path := golden.Path(t, c.name) // testdata/TestChartsGolden/NAME
		t.Run(strings.TrimSuffix(c.name, ".png"), func(t *testing.T) {
			b := renderPNG(t, c.req, goldenSize)
			w, h := DefaultWidth/2, DefaultHeight/2
			if c.req.Kind == KindLayers {
				h = (300 + 230*3) / 2 // taller: one panel per quantity
			}
			checkImage(t, b, w, h)
			checkGolden(t, path, b)
		})
	}
}

// TestSizes: the default size, and --width/--height/--dpi.
func TestSizes(t *testing.T) {
	req := Request{Kind: KindParams}
	checkImage(t, renderPNG(t, req, Size{}), DefaultWidth, DefaultHeight)
	checkImage(t, renderPNG(t, req, Size{Width: 640, Height: 480, DPI: 96}), 640, 480)
	checkImage(t, renderPNG(t, req, Size{DPI: 300}), 2*DefaultWidth, 2*DefaultHeight) // same inches
	checkImage(t, renderPNG(t, req, Size{Width: 900}), 900, DefaultHeight)
	if err := (&Request{Kind: KindParams, DPI: 1200}).Check(); err == nil {
		t.Error("9600 x 6400 pixels accepted")
	}
	fig, _ := Build(req)
	if err := fig.Write(&bytes.Buffer{}, "png", Size{Width: 8000, DPI: 1200}); err == nil {
		t.Error("8000 x 6400 pixels accepted")
	}
	if err := (Size{Width: 50}).Check(); err == nil {
		t.Error("50 pixels wide accepted")
	}
	if err := (Size{DPI: 5000}).Check(); err == nil {
		t.Error("5000 dpi accepted")
	}
}

// TestVectorFormats: SVG and PDF by name.
func TestVectorFormats(t *testing.T) {
	fig, err := Build(Request{Kind: KindTradeoff})
	if err != nil {
		t.Fatal(err)
	}
	for format, magic := range map[string]string{"svg": "<?xml", "pdf": "%PDF-"} {
		var buf bytes.Buffer
		if err := fig.Write(&buf, format, Size{Width: 600, Height: 400, DPI: 75}); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(buf.Bytes(), []byte(magic)) || buf.Len() < 1000 {
			t.Errorf("%s: starts %q, %d bytes", format, buf.Bytes()[:min(buf.Len(), 10)], buf.Len())
		}
	}
	if err := fig.Write(&bytes.Buffer{}, "gif", Size{}); err == nil {
		t.Error("gif accepted")
	}
}
