package vision

import (
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func gradient(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(10 * x), uint8(20 * y), 7, 255})
		}
	}
	return img
}

func TestResize(t *testing.T) {
	img := gradient(4, 3)
	// Same size: an exact copy.
	same := ResizeRGB(img, 4, 3)
	if same[(2*4+3)*3] != 30 || same[(2*4+3)*3+1] != 40 || same[2] != 7 {
		t.Errorf("copy: %v", same[:6])
	}
	// Downsampling by 2 along x with half-pixel centres samples at x =
	// 0.5, 2.5: the average of neighbours, a linear ramp stays linear.
	half := ResizeRGB(img, 2, 3)
	if half[0] != 5 || half[3] != 25 {
		t.Errorf("R of the 2x3 resize: %v %v, want 5 25", half[0], half[3])
	}
	// Upsampling keeps the ramp and clamps at the edges.
	up := ResizeRGB(img, 8, 3)
	if up[0] != 0 || math.Abs(float64(up[3])-2.5) > 1e-6 || math.Abs(float64(up[2*3])-7.5) > 1e-6 || up[7*3] != 30 {
		t.Errorf("R of the 8x3 resize: %v %v %v %v", up[0], up[3], up[6], up[21])
	}
}

func TestPreprocess(t *testing.T) {
	dst := make([]float32, 3)
	Inception.Apply([]float32{0, 127.5, 255}, dst)
	if dst[0] != -1 || dst[1] != 0 || dst[2] != 1 {
		t.Errorf("inception %v", dst)
	}
	Quantized(1.0/128, 128).Apply([]float32{0, 128, 255}, dst)
	if dst[0] != -1 || dst[1] != 0 || math.Abs(float64(dst[2])-127.0/128) > 1e-7 {
		t.Errorf("quantized %v", dst)
	}
}

func TestTopK(t *testing.T) {
	got := TopK([]float32{0.1, 0.5, 0.2, 0.5, 0}, 3)
	if len(got) != 3 || got[0].Index != 1 || got[1].Index != 3 || got[2].Index != 2 {
		t.Errorf("TopK = %+v", got)
	}
	if len(TopK([]float32{1}, 5)) != 1 {
		t.Error("k beyond the classes")
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "g.png")
	f, _ := os.Create(good)
	png.Encode(f, gradient(5, 2))
	f.Close()
	img, err := Load(good)
	if err != nil || img.Bounds().Dx() != 5 {
		t.Fatalf("Load: %v", err)
	}
	data, _ := os.ReadFile(good)
	trunc := filepath.Join(dir, "t.png")
	os.WriteFile(trunc, data[:len(data)/2], 0o644)
	junk := filepath.Join(dir, "j.jpg")
	os.WriteFile(junk, []byte("hello"), 0o644)
	for _, c := range []struct{ path, want string }{
		{filepath.Join(dir, "none.png"), "no such file"},
		{trunc, "t.png"},
		{junk, "not a PNG, JPEG or BMP"},
	} {
		if _, err := Load(c.path); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.path, err, c.want)
		}
	}
}
