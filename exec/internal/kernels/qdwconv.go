package kernels

import "fmt"

// PackedQDW holds an int8 depthwise convolution's weights with their zero
// point taken off, w - zw as int32 (at most 255 in magnitude), in the
// [KH][KW][C*Mult] layout. Read-only once built.
type PackedQDW struct {
	kh, kw, c, mult int
	w               []int32
	padded          []int32 // Mult 1: w's values with zero high halves (the vector kernel's vpmaddwd operand), 16 more at the end
	rowSum          []int32 // Mult 1: per kernel row and channel, the sum of the row's weights
}

// PackQDW packs weights (already minus their zero point, laid out
// [KH][KW][C*Mult]) for the int8 depthwise kernels.
func PackQDW(s DWShape, w []int32) *PackedQDW {
	if err := s.Validate(); err != nil {
		panic(err)
	}
	if len(w) != s.KH*s.KW*s.OutC() {
		panic(fmt.Sprintf("depthwise: %d weights, want %d", len(w), s.KH*s.KW*s.OutC()))
	}
	for _, v := range w {
		if v < -255 || v > 255 {
			panic(fmt.Sprintf("depthwise: weight %d is not an 8-bit value minus an 8-bit zero point", v))
		}
	}
	p := &PackedQDW{kh: s.KH, kw: s.KW, c: s.C, mult: s.Mult, w: append([]int32(nil), w...)}
	if s.Mult == 1 {
		p.padded = make([]int32, len(w)+16)
		for i, v := range w {
			p.padded[i] = v & 0xffff
		}
		p.rowSum = make([]int32, s.KH*s.C)
		for kh := range s.KH {
			for kw := range s.KW {
				for c := range s.C {
					p.rowSum[kh*s.C+c] += w[(kh*s.KW+kw)*s.C+c]
				}
			}
		}
	}
	return p
}

// QDepthwise computes output rows [oy0, oy1) of an int8 depthwise
// convolution with TFLite's semantics (reference/depthwiseconv_uint8.h,
// integer_ops/depthwise_conv.h): per output channel, bias + the sum over
// the in-bounds taps of (x - zIn) * (w - zw), requantized and clamped as
// out says. in is an InH x InW x C u8 view with pixel stride inStride, o
// an OutH x OutW x C*Mult u8 view with pixel stride outStride; bias has
// C*Mult values (nil: zero). Distinct row ranges may run concurrently and
// give the same bytes however the rows are split.
func QDepthwise(ks *Set, ws *Workspace, s *DWShape, in []uint8, inStride int, zIn int32, w *PackedQDW, bias []int32, out *QOut, o []uint8, outStride int, oy0, oy1 int) {
	if err := s.Validate(); err != nil {
		panic(err)
	}
	cm := s.OutC()
	switch {
	case !ks.native:
		panic(fmt.Sprintf("depthwise: kernel set %v not supported here", ks))
	case w.kh != s.KH || w.kw != s.KW || w.c != s.C || w.mult != s.Mult:
		panic(fmt.Sprintf("depthwise: weights packed for %dx%d C=%d mult %d, shape %dx%d C=%d mult %d", w.kh, w.kw, w.c, w.mult, s.KH, s.KW, s.C, s.Mult))
	case out.n != cm:
		panic(fmt.Sprintf("depthwise: output stage for %d channels, want %d", out.n, cm))
	case bias != nil && len(bias) < cm:
		panic(fmt.Sprintf("depthwise: %d biases, want %d", len(bias), cm))
	case oy0 < 0 || oy1 > s.OutH || oy0 > oy1:
		panic(fmt.Sprintf("depthwise: rows [%d, %d) outside [0, %d)", oy0, oy1, s.OutH))
	case zIn < 0 || zIn > 255:
		panic(fmt.Sprintf("depthwise: input zero point %d outside [0, 255]", zIn))
	}
	dkCheckView("depthwise input", in, s.InH*s.InW, s.C, inStride)
	if oy0 == oy1 {
		return
	}
	dkCheckView("depthwise output", o, oy1*s.OutW, cm, outStride)
	if t := ks.int8(); t != nil && t.dw.ok() && w.padded != nil && bias != nil && s.C%t.dwMult == 0 {
		t.qdepthwise(workspace(ws), s, in, inStride, zIn, w, bias, out, o, outStride, oy0, oy1)
		return
	}
	qdwGeneric(s, in, inStride, zIn, w, bias, out, o, outStride, oy0, oy1)
}

// qdwGeneric is the portable int8 depthwise kernel.
func qdwGeneric(s *DWShape, in []uint8, inStride int, zIn int32, w *PackedQDW, bias []int32, out *QOut, o []uint8, outStride int, oy0, oy1 int) {
	cm := s.OutC()
	var acc [64]int32
	for oy := oy0; oy < oy1; oy++ {
		iy0 := oy*s.SH - s.PadTop
		kh0, kh1 := dwTapRange(iy0, s.KH, s.InH)
		for ox := range s.OutW {
			ix0 := ox*s.SW - s.PadLeft
			kw0, kw1 := dwTapRange(ix0, s.KW, s.InW)
			dst := o[(oy*s.OutW+ox)*outStride:][:cm]
			for c0 := 0; c0 < cm; c0 += len(acc) {
				a := acc[:min(len(acc), cm-c0)]
				for i := range a {
					a[i] = 0
					if bias != nil {
						a[i] = bias[c0+i]
					}
				}
				for kh := kh0; kh < kh1; kh++ {
					for kw := kw0; kw < kw1; kw++ {
						x := in[((iy0+kh)*s.InW+ix0+kw)*inStride:]
						wt := w.w[(kh*s.KW+kw)*cm+c0:]
						for i := range a {
							oc := c0 + i
							a[i] += (int32(x[oc/s.Mult]) - zIn) * wt[i]
						}
					}
				}
				for i, v := range a {
					dst[c0+i] = out.store(v, c0+i)
				}
			}
		}
	}
}
