// Package vision turns image files into network inputs and network outputs
// into ranked predictions: decoding (PNG, JPEG, BMP), bilinear resizing,
// the preprocessing conventions image classifiers are trained with, and
// top-k selection.
package vision

import (
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // register decoders
	_ "image/png"
	"io"
	"math"
	"os"
	"sort"

	_ "golang.org/x/image/bmp"
)

// MaxPixels bounds the images Load decodes (a 100-megapixel image needs
// 400 MB decoded).
const MaxPixels = 100_000_000

// Load decodes a PNG, JPEG or BMP file, checking its size before decoding
// the pixels.
func Load(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	defer f.Close()
	cfg, format, err := image.DecodeConfig(f)
	if err != nil {
		if errors.Is(err, image.ErrFormat) {
			return nil, fmt.Errorf("image %s: not a PNG, JPEG or BMP file", path)
		}
		return nil, fmt.Errorf("image %s: %w", path, err)
	}
	if cfg.Width < 1 || cfg.Height < 1 || int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return nil, fmt.Errorf("image %s: %dx%d pixels (limit %d)", path, cfg.Width, cfg.Height, MaxPixels)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("image %s: %w", path, err)
	}
	img, _, err := image.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("image %s (%s): %w", path, format, err)
	}
	return img, nil
}

// ResizeRGB samples img to w x h with bilinear interpolation (pixel
// centres at half-integer coordinates, edges clamped, no antialiasing: what
// TensorFlow's resize with half_pixel_centers does) and returns the RGB
// values in [0, 255], HWC. An image already w x h is copied unchanged.
func ResizeRGB(img image.Image, w, h int) []float32 {
	b := img.Bounds()
	sw, sh := b.Dx(), b.Dy()
	src := make([]float32, sw*sh*3)
	for y := range sh {
		for x := range sw {
			r, g, bl, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			i := (y*sw + x) * 3
			src[i], src[i+1], src[i+2] = float32(r>>8), float32(g>>8), float32(bl>>8)
		}
	}
	if sw == w && sh == h {
		return src
	}
	out := make([]float32, w*h*3)
	sx, sy := float64(sw)/float64(w), float64(sh)/float64(h)
	for y := range h {
		fy := max((float64(y)+0.5)*sy-0.5, 0)
		y0 := min(int(fy), sh-1)
		y1 := min(y0+1, sh-1)
		dy := float32(fy - float64(y0))
		for x := range w {
			fx := max((float64(x)+0.5)*sx-0.5, 0)
			x0 := min(int(fx), sw-1)
			x1 := min(x0+1, sw-1)
			dx := float32(fx - float64(x0))
			for c := range 3 {
				p00, p01 := src[(y0*sw+x0)*3+c], src[(y0*sw+x1)*3+c]
				p10, p11 := src[(y1*sw+x0)*3+c], src[(y1*sw+x1)*3+c]
				top := p00 + (p01-p00)*dx
				bot := p10 + (p11-p10)*dx
				out[(y*w+x)*3+c] = top + (bot-top)*dy
			}
		}
	}
	return out
}

// Preprocess is a mapping from pixel values in [0, 255] to network inputs.
type Preprocess struct {
	Name        string
	Scale, Bias float32 // value = pixel*Scale + Bias
}

// Preprocessing conventions.
var (
	// Inception is x/127.5 - 1, the [-1, 1] range of TF-slim's MobileNets
	// and Inception networks (float models).
	Inception = Preprocess{Name: "inception", Scale: 1 / 127.5, Bias: -1}
	// Unit is x/255, [0, 1].
	Unit = Preprocess{Name: "unit", Scale: 1.0 / 255, Bias: 0}
	// Raw passes pixel values through, [0, 255].
	Raw = Preprocess{Name: "raw", Scale: 1, Bias: 0}
)

// Quantized is the mapping a quantized model declares for its uint8 input:
// value = scale * (pixel - zeroPoint) (for TF-slim's MobileNets,
// (x - 128)/128).
func Quantized(scale float32, zeroPoint int64) Preprocess {
	return Preprocess{Name: fmt.Sprintf("quantized input (x - %d) * %g", zeroPoint, scale), Scale: scale, Bias: -scale * float32(zeroPoint)}
}

// Apply maps rgb (values in [0, 255]) into dst.
func (p Preprocess) Apply(rgb, dst []float32) {
	for i, v := range rgb {
		dst[i] = float32(v*p.Scale) + p.Bias // rounded product: no fused multiply-add on arm64
	}
}

// ApplyQuantized maps rgb through p and quantizes the values to an 8-bit
// input of scale and zero point (q = round(value/scale) + zeroPoint, halves
// away from zero, clamped to [lo, hi], the type's range), into dst as
// bytes (an int8 value's two's complement). With the mapping the input
// declares (Quantized) this is the pixel value rounded, as a quantized
// model is fed.
func (p Preprocess) ApplyQuantized(rgb []float32, scale float32, zeroPoint, lo, hi int32, dst []byte) {
	for i, v := range rgb {
		x := float64(float32(v*p.Scale)+p.Bias) / float64(scale)
		q := int32(math.Round(x)) + zeroPoint
		dst[i] = byte(min(max(q, lo), hi))
	}
}

// Prediction is one class with its probability.
type Prediction struct {
	Index       int
	Probability float32
}

// TopK returns the k most probable classes, most probable first (ties by
// index).
func TopK(probs []float32, k int) []Prediction {
	out := make([]Prediction, len(probs))
	for i, p := range probs {
		out[i] = Prediction{i, p}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Probability > out[b].Probability })
	return out[:min(k, len(out))]
}
