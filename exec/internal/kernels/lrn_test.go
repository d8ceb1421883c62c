package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestLRNRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for it := range 200 {
		c := tChannels[rng.IntN(len(tChannels))]
		p := LRNParams{
			Size:  []int{1, 2, 3, 5, 7, 11}[rng.IntN(6)],
			Alpha: []float32{1e-4, 0.5, 2}[rng.IntN(3)],
			Beta:  []float32{0.75, 0.5, 1, 0.6}[rng.IntN(4)],
			K:     []float32{1, 2, 0.5}[rng.IntN(3)],
		}
		h, w := 1+rng.IntN(4), 1+rng.IntN(5)
		inStride, outStride := c+rng.IntN(2)*3, c+rng.IntN(2)*2
		in := newTView(h, w, c, inStride, func() float32 { return (rng.Float32()*2 - 1) * 3 })
		orig := append([]float32(nil), in.buf...)
		y0, y1 := 0, h
		if rng.IntN(2) == 0 {
			y0 = rng.IntN(h)
			y1 = y0 + 1 + rng.IntN(h-y0)
		}
		ref := make([]float64, h*w*c)
		pre := (p.Size - 1) / 2
		for px := range h * w {
			for ch := range c {
				sum := 0.0
				for j := ch - pre; j < ch-pre+p.Size; j++ {
					if j >= 0 && j < c {
						v := float64(in.data[px*inStride+j])
						sum += v * v
					}
				}
				d := float64(p.K) + float64(p.Alpha)/float64(p.Size)*sum
				ref[px*c+ch] = float64(in.data[px*inStride+ch]) / math.Pow(d, float64(p.Beta))
			}
		}
		out := newTView(h, w, c, outStride, nil)
		LRN(p, c, in.data, inStride, out.data, outStride, y0*w, y1*w)
		desc := fmt.Sprintf("#%d %dx%dx%d %+v str %d/%d rows [%d,%d)", it, h, w, c, p, inStride, outStride, y0, y1)
		out.checkOut(t, desc, ref, y0, y1, 1e-5)
		in.checkSame(t, desc, orig)
		if t.Failed() {
			return
		}
	}
}
