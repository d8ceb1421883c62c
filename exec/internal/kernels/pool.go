package kernels

import "fmt"

//go:generate go run -C _asm ./pool -out ../pool_amd64.s -stubs ../pool_amd64.go -pkg kernels

// PoolShape describes a pooling window over one NHWC image (pure Go kernels).
// As for convolutions, padding is explicit: PadTop and PadLeft place the first
// tap of output (0, 0) at input (-PadTop, -PadLeft) and OutH, OutW are given,
// so the caller chooses floor or Caffe's ceil mode. PadBottom and PadRight
// only matter to AvgPool with countPad: they bound the padded extent whose
// taps count towards the divisor.
type PoolShape struct {
	InH, InW, C, KH, KW, SH, SW, PadTop, PadLeft, OutH, OutW int
	PadBottom, PadRight                                      int
}

// Validate reports a shape the kernels cannot run.
func (s *PoolShape) Validate() error {
	switch {
	case s.InH < 1 || s.InW < 1 || s.C < 1:
		return fmt.Errorf("pool: bad input %dx%dx%d", s.InH, s.InW, s.C)
	case s.KH < 1 || s.KW < 1 || s.SH < 1 || s.SW < 1:
		return fmt.Errorf("pool: bad window %dx%d stride %dx%d", s.KH, s.KW, s.SH, s.SW)
	case s.PadTop < 0 || s.PadLeft < 0 || s.PadBottom < 0 || s.PadRight < 0 || s.OutH < 1 || s.OutW < 1:
		return fmt.Errorf("pool: bad padding %d,%d,%d,%d or output %dx%d", s.PadTop, s.PadLeft, s.PadBottom, s.PadRight, s.OutH, s.OutW)
	}
	return nil
}

func (s *PoolShape) check(in []float32, inStride int, out []float32, outStride int, oy0, oy1 int) {
	if err := s.Validate(); err != nil {
		panic(err)
	}
	dkCheckView("pool input", in, s.InH*s.InW, s.C, inStride)
	if oy0 < 0 || oy1 > s.OutH || oy0 > oy1 {
		panic(fmt.Sprintf("pool: rows [%d, %d) outside [0, %d)", oy0, oy1, s.OutH))
	}
	if oy0 < oy1 {
		dkCheckView("pool output", out, oy1*s.OutW, s.C, outStride)
	}
}

// poolKernels panics if this machine cannot run ks, and returns its
// pooling kernels (nil: the generic loops).
func (ks *Set) poolKernels() *poolTable {
	if !ks.native {
		panic(fmt.Sprintf("kernels: kernel set %v not supported here", ks))
	}
	return ks.pool
}

// dkCheckView panics unless buf holds pixels of c channels at stride str.
func dkCheckView[T any](what string, buf []T, pixels, c, str int) {
	if str < c {
		panic(fmt.Sprintf("%s: pixel stride %d below %d channels", what, str, c))
	}
	if need := (pixels-1)*str + c; pixels > 0 && len(buf) < need {
		panic(fmt.Sprintf("%s: %d floats, want %d", what, len(buf), need))
	}
}

// MaxPool writes output rows [oy0, oy1) of a max pooling; padding taps are
// ignored (and a NaN tap is, unless it is the window's first), and a window
// with no tap inside the input yields 0. The vector sets run the kernels of
// _asm/pool (AVX-512 machines the AVX2 ones), bit for bit the generic
// result (ws holds their argument record; nil: one of their own, which
// allocates): GoogLeNet's pool2
// (56x56x192, 3x3 stride 2) in 0.09 ms on one Zen 3 core against 1.7 ms for
// the generic loop (a compare and branch per value); whole GoogLeNet's max
// pools 0.9 ms instead of 33.
func MaxPool(ks *Set, ws *Workspace, s *PoolShape, in []float32, inStride int, out []float32, outStride int, oy0, oy1 int) {
	s.check(in, inStride, out, outStride, oy0, oy1)
	if t := ks.poolKernels(); t != nil {
		t.pool(workspace(ws), s, true, false, in, inStride, out, outStride, oy0, oy1)
		return
	}
	c := s.C
	for oy := oy0; oy < oy1; oy++ {
		iy0 := oy*s.SH - s.PadTop
		kh0, kh1 := dwTapRange(iy0, s.KH, s.InH)
		for ox := 0; ox < s.OutW; ox++ {
			ix0 := ox*s.SW - s.PadLeft
			kw0, kw1 := dwTapRange(ix0, s.KW, s.InW)
			o := out[(oy*s.OutW+ox)*outStride:][:c]
			if kh0 == kh1 || kw0 == kw1 {
				clear(o)
				continue
			}
			first := true
			for kh := kh0; kh < kh1; kh++ {
				px := (iy0+kh)*s.InW + ix0
				for kw := kw0; kw < kw1; kw++ {
					x := in[(px+kw)*inStride:][:c]
					if first {
						copy(o, x)
						first = false
						continue
					}
					poolMax(o, x)
				}
			}
		}
	}
}

// AvgPool writes output rows [oy0, oy1) of an average pooling. With countPad
// false the divisor is the number of taps inside the input (TF, and ONNX's
// count_include_pad=0); with countPad true it is the number of taps inside
// the padded extent [-PadTop, InH+PadBottom) x [-PadLeft, InW+PadRight)
// (Caffe, ONNX count_include_pad=1; taps a ceil-mode window hangs beyond that
// extent never count). Padding taps add zero; an empty divisor yields 0.
// The vector sets run their kernels, bit for bit the generic result.
func AvgPool(ks *Set, ws *Workspace, s *PoolShape, countPad bool, in []float32, inStride int, out []float32, outStride int, oy0, oy1 int) {
	s.check(in, inStride, out, outStride, oy0, oy1)
	if t := ks.poolKernels(); t != nil {
		t.pool(workspace(ws), s, false, countPad, in, inStride, out, outStride, oy0, oy1)
		return
	}
	c := s.C
	for oy := oy0; oy < oy1; oy++ {
		iy0 := oy*s.SH - s.PadTop
		kh0, kh1 := dwTapRange(iy0, s.KH, s.InH)
		nh := kh1 - kh0
		if countPad {
			nh = min(iy0+s.KH, s.InH+s.PadBottom) - iy0
		}
		for ox := 0; ox < s.OutW; ox++ {
			ix0 := ox*s.SW - s.PadLeft
			kw0, kw1 := dwTapRange(ix0, s.KW, s.InW)
			nw := kw1 - kw0
			if countPad {
				nw = min(ix0+s.KW, s.InW+s.PadRight) - ix0
			}
			o := out[(oy*s.OutW+ox)*outStride:][:c]
			clear(o)
			if kh0 == kh1 || kw0 == kw1 || nh <= 0 || nw <= 0 {
				continue
			}
			for kh := kh0; kh < kh1; kh++ {
				px := (iy0+kh)*s.InW + ix0
				for kw := kw0; kw < kw1; kw++ {
					poolAdd(o, in[(px+kw)*inStride:])
				}
			}
			poolScale(o, 1/float32(nh*nw))
		}
	}
}

// poolMax does o = max(o, x) over len(o) (a NaN in x is ignored).
func poolMax(o, x []float32) {
	x = x[:len(o)]
	for i, v := range x {
		if v > o[i] {
			o[i] = v
		}
	}
}

// poolAdd does o += x over len(o).
func poolAdd(o, x []float32) {
	x = x[:len(o)]
	for i, v := range x {
		o[i] += v
	}
}

func poolScale(o []float32, f float32) {
	for i := range o {
		o[i] *= f
	}
}

// GlobalAvgPool averages an h x w x c view (pixel stride inStride) to c
// values in out, accumulating in float64 (each channel summed in pixel
// order). The vector sets run their kernel (bit for bit the same sums):
// 7x7x1024, MobileNet's head, in 8 us on one Zen 3 core. The
// generic loop keeps eight channels' sums in registers across the image
// (27 us; 40 us summing 64-channel chunks through a stack array, whose 49
// pixels 4 KiB apart share an L1 set).
func GlobalAvgPool(ks *Set, ws *Workspace, in []float32, h, w, c, inStride int, out []float32) {
	dkCheckView("global pool input", in, h*w, c, inStride)
	out = out[:c]
	if t := ks.poolKernels(); t != nil {
		t.global(workspace(ws), false, in, h, w, c, inStride, out)
		return
	}
	n := h * w
	inv := 1 / float64(n)
	c0 := 0
	for ; c0+8 <= c; c0 += 8 {
		var a0, a1, a2, a3, a4, a5, a6, a7 float64
		for p := range n {
			x := in[p*inStride+c0:][:8:8]
			a0 += float64(x[0])
			a1 += float64(x[1])
			a2 += float64(x[2])
			a3 += float64(x[3])
			a4 += float64(x[4])
			a5 += float64(x[5])
			a6 += float64(x[6])
			a7 += float64(x[7])
		}
		o := out[c0 : c0+8 : c0+8]
		o[0], o[1], o[2], o[3] = float32(a0*inv), float32(a1*inv), float32(a2*inv), float32(a3*inv)
		o[4], o[5], o[6], o[7] = float32(a4*inv), float32(a5*inv), float32(a6*inv), float32(a7*inv)
	}
	for ; c0 < c; c0++ {
		a := 0.0
		for p := range n {
			a += float64(in[p*inStride+c0])
		}
		out[c0] = float32(a * inv)
	}
}

// GlobalMaxPool takes the channel-wise maximum of an h x w x c view into out
// (a NaN is ignored unless it is in the first pixel).
func GlobalMaxPool(ks *Set, ws *Workspace, in []float32, h, w, c, inStride int, out []float32) {
	dkCheckView("global pool input", in, h*w, c, inStride)
	out = out[:c]
	if t := ks.poolKernels(); t != nil {
		t.global(workspace(ws), true, in, h, w, c, inStride, out)
		return
	}
	copy(out, in[:c])
	for p := 1; p < h*w; p++ {
		poolMax(out, in[p*inStride:])
	}
}
