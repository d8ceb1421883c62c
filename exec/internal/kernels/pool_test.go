package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// refPool is the float64 reference pooling (dense output).
func refPool(s *PoolShape, in *tview, isMax, countPad bool) []float64 {
	out := make([]float64, s.OutH*s.OutW*s.C)
	for oy := 0; oy < s.OutH; oy++ {
		for ox := 0; ox < s.OutW; ox++ {
			for c := 0; c < s.C; c++ {
				sum, mx, n, npad := 0.0, math.Inf(-1), 0, 0
				for kh := 0; kh < s.KH; kh++ {
					for kw := 0; kw < s.KW; kw++ {
						iy, ix := oy*s.SH-s.PadTop+kh, ox*s.SW-s.PadLeft+kw
						if iy < s.InH+s.PadBottom && ix < s.InW+s.PadRight {
							npad++ // iy >= -PadTop, ix >= -PadLeft always
						}
						if iy < 0 || iy >= s.InH || ix < 0 || ix >= s.InW {
							continue
						}
						v := float64(in.at(iy, ix, c))
						sum += v
						mx = math.Max(mx, v)
						n++
					}
				}
				var r float64
				switch {
				case n == 0:
					r = 0
				case isMax:
					r = mx
				case countPad:
					r = sum / float64(npad)
				default:
					r = sum / float64(n)
				}
				out[(oy*s.OutW+ox)*s.C+c] = r
			}
		}
	}
	return out
}

func TestPoolRandom(t *testing.T) {
	sets := testSets(t)
	rng := rand.New(rand.NewPCG(7, 8))
	ks := []int{1, 2, 3, 3, 5, 7}
	for it := range 500 {
		var s PoolShape
		s.KH = ks[rng.IntN(len(ks))]
		s.KW = s.KH
		if rng.IntN(4) == 0 {
			s.KW = ks[rng.IntN(len(ks))]
		}
		s.SH = 1 + rng.IntN(3)
		s.SW = s.SH
		if rng.IntN(4) == 0 {
			s.SW = 1 + rng.IntN(3)
		}
		s.InH, s.InW = 1+rng.IntN(14), 1+rng.IntN(14)
		s.C = tChannels[rng.IntN(len(tChannels))]
		var hn, wn string
		s.OutH, s.PadTop, hn = tPadChoice(rng, s.InH, s.KH, s.SH)
		s.OutW, s.PadLeft, wn = tPadChoice(rng, s.InW, s.KW, s.SW)
		switch rng.IntN(3) {
		case 0: // symmetric (Caffe)
			s.PadBottom, s.PadRight = s.PadTop, s.PadLeft
		case 1: // exactly what the output needs (ONNX/TF explicit pads)
			s.PadBottom = max((s.OutH-1)*s.SH+s.KH-s.InH-s.PadTop, 0)
			s.PadRight = max((s.OutW-1)*s.SW+s.KW-s.InW-s.PadLeft, 0)
		}
		inStride := s.C + []int{0, 0, 2}[rng.IntN(3)]
		outStride := s.C + []int{0, 0, 3}[rng.IntN(3)]
		oy0, oy1 := 0, s.OutH
		if rng.IntN(3) == 0 {
			oy0 = rng.IntN(s.OutH)
			oy1 = oy0 + 1 + rng.IntN(s.OutH-oy0)
		}
		in := newTView(s.InH, s.InW, s.C, inStride, tRandVal(rng))
		orig := append([]float32(nil), in.buf...)
		desc := fmt.Sprintf("#%d %dx%dx%d k%dx%d s%dx%d pad %d,%d,%d,%d (%s/%s) out %dx%d str %d/%d rows [%d,%d)",
			it, s.InH, s.InW, s.C, s.KH, s.KW, s.SH, s.SW, s.PadTop, s.PadLeft, s.PadBottom, s.PadRight, hn, wn,
			s.OutH, s.OutW, inStride, outStride, oy0, oy1)
		for _, mode := range []string{"max", "avg", "avgpad"} {
			ref := refPool(&s, in, mode == "max", mode == "avgpad")
			var generic *tview
			for _, ks := range sets {
				out := newTView(s.OutH, s.OutW, s.C, outStride, nil)
				switch mode {
				case "max":
					MaxPool(ks, nil, &s, in.data, inStride, out.data, outStride, oy0, oy1)
				default:
					AvgPool(ks, nil, &s, mode == "avgpad", in.data, inStride, out.data, outStride, oy0, oy1)
				}
				what := fmt.Sprintf("%v %s %s", ks, mode, desc)
				out.checkOut(t, what, ref, oy0, oy1, 1e-5)
				in.checkSame(t, what, orig)
				// The vector kernels do the generic arithmetic in the
				// same order: bit-identical results.
				if generic == nil {
					generic = out
				} else if !sameBits(out.buf, generic.buf) {
					t.Errorf("%s: differs from the generic kernel", what)
				}
			}
		}
		if t.Failed() {
			return
		}
	}
}

func TestGlobalPool(t *testing.T) {
	sets := testSets(t)
	rng := rand.New(rand.NewPCG(9, 10))
	for _, sz := range [][3]int{{1, 1, 1}, {7, 7, 1024}, {3, 5, 65}, {112, 112, 3}, {2, 9, 130}} {
		h, w, c := sz[0], sz[1], sz[2]
		str := c + rng.IntN(3)
		in := newTView(h, w, c, str, func() float32 { return rng.Float32()*2 + 100 }) // offset: tests accumulation accuracy
		orig := append([]float32(nil), in.buf...)
		refAvg := make([]float64, c)
		refMax := make([]float64, c)
		for ch := range c {
			refMax[ch] = math.Inf(-1)
			for p := range h * w {
				v := float64(in.data[p*str+ch])
				refAvg[ch] += v / float64(h*w)
				refMax[ch] = math.Max(refMax[ch], v)
			}
		}
		for _, isMax := range []bool{false, true} {
			var generic *tview
			for _, ks := range sets {
				out := newTView(1, 1, c, c, nil)
				ref := refAvg
				if isMax {
					GlobalMaxPool(ks, nil, in.data, h, w, c, str, out.data)
					ref = refMax
				} else {
					GlobalAvgPool(ks, nil, in.data, h, w, c, str, out.data)
				}
				what := fmt.Sprintf("%v global max=%v %dx%dx%d", ks, isMax, h, w, c)
				out.checkOut(t, what, ref, 0, 1, 1e-6)
				in.checkSame(t, what, orig)
				if generic == nil {
					generic = out
				} else if !sameBits(out.buf, generic.buf) {
					t.Errorf("%s: differs from the generic kernel", what)
				}
			}
		}
	}
}

func TestPoolNoAlloc(t *testing.T) {
	s := PoolShape{InH: 9, InW: 9, C: 70, KH: 3, KW: 3, SH: 2, SW: 2, PadTop: 1, PadLeft: 1, OutH: 5, OutW: 5}
	in := make([]float32, 81*70)
	out := make([]float32, 25*70)
	ws := new(Workspace)
	for _, ks := range Available() {
		if n := testing.AllocsPerRun(10, func() {
			MaxPool(ks, ws, &s, in, 70, out, 70, 0, 5)
			AvgPool(ks, ws, &s, true, in, 70, out, 70, 0, 5)
			GlobalAvgPool(ks, ws, in, 9, 9, 70, 70, out)
			GlobalMaxPool(ks, ws, in, 9, 9, 70, 70, out)
		}); n != 0 {
			t.Errorf("%v: %v allocations per call", ks, n)
		}
	}
}

// sameBits reports whether two buffers are bit-identical.
func sameBits(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return false
		}
	}
	return true
}
