package kernels

import (
	"fmt"
	"math"
)

//go:generate go run -C _asm ./dwconv -out ../dwconv_amd64.s -stubs ../dwconv_amd64.go -pkg kernels

// DWShape describes a depthwise convolution over one NHWC image. Output
// channel c*Mult+j reads input channel c (the TFLite/TF layout). Padding is
// explicit: PadTop and PadLeft place the first tap of output (0, 0) at input
// (-PadTop, -PadLeft); the bottom and right padding follow from OutH and OutW.
// Taps outside the input read zero.
type DWShape struct {
	InH, InW, C, Mult, KH, KW, SH, SW, PadTop, PadLeft, OutH, OutW int
}

// Validate reports a shape the kernels cannot run.
func (s *DWShape) Validate() error {
	switch {
	case s.InH < 1 || s.InW < 1 || s.C < 1 || s.Mult < 1:
		return fmt.Errorf("depthwise: bad input %dx%dx%d, multiplier %d", s.InH, s.InW, s.C, s.Mult)
	case s.KH < 1 || s.KW < 1 || s.SH < 1 || s.SW < 1:
		return fmt.Errorf("depthwise: bad kernel %dx%d stride %dx%d", s.KH, s.KW, s.SH, s.SW)
	case s.PadTop < 0 || s.PadLeft < 0 || s.OutH < 1 || s.OutW < 1:
		return fmt.Errorf("depthwise: bad padding %d,%d or output %dx%d", s.PadTop, s.PadLeft, s.OutH, s.OutW)
	}
	return nil
}

// OutC is the number of output channels, C*Mult.
func (s *DWShape) OutC() int { return s.C * s.Mult }

// FLOPs counts 2 per multiply-add of the full output (padding taps included,
// as is conventional): 2*KH*KW*C*Mult*OutH*OutW.
func (s *DWShape) FLOPs() int64 {
	return 2 * int64(s.KH*s.KW) * int64(s.OutC()) * int64(s.OutH*s.OutW)
}

// PackedDW holds depthwise weights ready for the kernels: always the plain
// [KH][KW][C*Mult] copy the generic kernel reads and, when packed for a SIMD
// set with Mult 1, panels of 16 channels [ceil(C/16)][KH][KW][16] (zero
// padded) for the vector kernels, so the taps of a channel step are one
// contiguous stream. AVX2 and AVX-512 share the panel layout. It is read-only
// once built and may be shared by any number of goroutines.
type PackedDW struct {
	kh, kw, c, mult int
	w               []float32 // [KH][KW][C*Mult]
	panels          []float32 // [ceil(C/16)][KH][KW][16], or nil
	zero            []float32 // C*Mult zeros, the bias when none is given
}

// dwPanel is the channel width of a weight panel: one AVX-512 vector, two
// AVX2 vectors, one 64-byte cache line.
const dwPanel = 16

// PackDW packs weights laid out [KH][KW][C*Mult] (TFLite's [1,KH,KW,C*M])
// for the kernels of ks.
func PackDW(ks *Set, s DWShape, w []float32) *PackedDW {
	if err := s.Validate(); err != nil {
		panic(err)
	}
	cm := s.OutC()
	taps := s.KH * s.KW
	if len(w) != taps*cm {
		panic(fmt.Sprintf("depthwise: %d weights, want %d (%dx%dx%d)", len(w), taps*cm, s.KH, s.KW, cm))
	}
	p := &PackedDW{kh: s.KH, kw: s.KW, c: s.C, mult: s.Mult,
		w: append([]float32(nil), w...), zero: make([]float32, cm)}
	if ks.dw != nil && s.Mult == 1 {
		np := (cm + dwPanel - 1) / dwPanel
		p.panels = make([]float32, np*taps*dwPanel)
		for c := range cm {
			for t := range taps {
				p.panels[(c/dwPanel*taps+t)*dwPanel+c%dwPanel] = w[t*cm+c]
			}
		}
	}
	return p
}

// Bytes is the memory the packed weights hold.
func (p *PackedDW) Bytes() int { return 4 * (len(p.w) + len(p.panels) + len(p.zero)) }

// dwTapRange returns the taps [k0, k1) of a k-tap window starting at input
// coordinate first that fall inside [0, n).
func dwTapRange(first, k, n int) (k0, k1 int) {
	k0, k1 = 0, k
	if first < 0 {
		k0 = -first
	}
	if first+k > n {
		k1 = n - first
	}
	if k1 < k0 {
		k1 = k0
	}
	return k0, k1
}

// dwInterior returns the outputs [o0, o1) whose windows lie wholly inside
// the input (possibly empty, o0 >= o1).
func dwInterior(pad, stride, k, in, out int) (o0, o1 int) {
	o0 = (pad + stride - 1) / stride
	if in+pad-k < 0 {
		return o0, o0
	}
	o1 = (in+pad-k)/stride + 1
	o1 = min(o1, out)
	return o0, max(o1, o0)
}

// dwClamp returns the clamp bounds the generic kernel's inner loops apply
// for an activation: ReLU's and ReLU6's, or none for the activations it
// applies in a pass of their own (Act.applyAll).
func dwClamp(act Act) (lo, hi float32) {
	switch act {
	case ActReLU:
		return 0, float32(math.Inf(1))
	case ActReLU6:
		return 0, 6
	}
	return float32(math.Inf(-1)), float32(math.Inf(1))
}

// dwLateAct is the activation the generic kernel applies after its inner
// loops (those beyond a clamp).
func dwLateAct(act Act) Act {
	if act == ActHardSwish || act == ActHardSigmoid {
		return act
	}
	return ActNone
}

// Depthwise computes output rows [oy0, oy1) of a depthwise convolution with
// the kernels of ks (argument records in ws; nil: one of its own, which
// allocates), the bias (folded batch norm; nil for none) and activation
// fused. in is an
// InH x InW x C view with pixel stride inStride >= C, out an OutH x OutW x
// C*Mult view with pixel stride outStride >= C*Mult; only the C*Mult channels
// of the rows written are touched. Distinct row ranges may run concurrently
// (with a Workspace each), and give the same bits however the rows are
// split. The vector kernels serve Mult 1 with weights packed for a set with
// depthwise kernels (any: the panel layout is shared); Mult > 1, or weights
// packed for the generic set, take the generic kernel whatever ks says. It
// panics on inconsistent arguments (short buffers, mismatched weights, a
// set this machine cannot run) and allocates nothing given a Workspace.
func Depthwise(ks *Set, ws *Workspace, s *DWShape, in []float32, inStride int, w *PackedDW, bias []float32, act Act, out []float32, outStride int, oy0, oy1 int) {
	if err := s.Validate(); err != nil {
		panic(err)
	}
	cm := s.OutC()
	switch {
	case !ks.native:
		panic(fmt.Sprintf("depthwise: kernel set %v not supported here", ks))
	case act >= numActs:
		panic(fmt.Sprintf("depthwise: bad activation %v", act))
	case w.kh != s.KH || w.kw != s.KW || w.c != s.C || w.mult != s.Mult:
		panic(fmt.Sprintf("depthwise: weights packed for %dx%d C=%d mult %d, shape %dx%d C=%d mult %d", w.kh, w.kw, w.c, w.mult, s.KH, s.KW, s.C, s.Mult))
	case inStride < s.C || outStride < cm:
		panic(fmt.Sprintf("depthwise: strides %d, %d below channels %d, %d", inStride, outStride, s.C, cm))
	case len(in) < (s.InH*s.InW-1)*inStride+s.C:
		panic(fmt.Sprintf("depthwise: input has %d floats, want %d", len(in), (s.InH*s.InW-1)*inStride+s.C))
	case oy0 < 0 || oy1 > s.OutH || oy0 > oy1:
		panic(fmt.Sprintf("depthwise: rows [%d, %d) outside [0, %d)", oy0, oy1, s.OutH))
	case bias != nil && len(bias) < cm:
		panic(fmt.Sprintf("depthwise: %d biases, want %d", len(bias), cm))
	}
	if oy0 == oy1 {
		return
	}
	if need := (oy1*s.OutW-1)*outStride + cm; len(out) < need {
		panic(fmt.Sprintf("depthwise: output has %d floats, want %d", len(out), need))
	}
	if bias == nil {
		bias = w.zero
	}
	if t := ks.dw; t != nil && w.panels != nil {
		t.depthwise(workspace(ws), s, in, inStride, w, bias, act, out, outStride, oy0, oy1)
		return
	}
	dwGeneric(s, in, inStride, w, bias, act, out, outStride, oy0, oy1)
}

// dwGeneric is the portable kernel: per output pixel it initialises the
// output channels with the bias, accumulates the in-bounds taps kernel row by
// kernel row straight into them, and applies the activation.
func dwGeneric(s *DWShape, in []float32, inStride int, w *PackedDW, bias []float32, act Act, out []float32, outStride int, oy0, oy1 int) {
	c, m := s.C, s.Mult
	cm := c * m
	cp := cm
	bias = bias[:cm]
	lo, hi := dwClamp(act)
	late := dwLateAct(act)
	// Interior pixels of a 3x3 kernel in one pass over 19 streams (bias,
	// 9 inputs, 9 weights); with more channels the streams sit a multiple
	// of 4 KiB apart often enough to thrash L1 sets, and a pass per kernel
	// row (7 streams) is faster.
	fused := m == 1 && s.KH == 3 && s.KW == 3 && cm <= 256
	for oy := oy0; oy < oy1; oy++ {
		iy0 := oy*s.SH - s.PadTop
		kh0, kh1 := dwTapRange(iy0, s.KH, s.InH)
		for ox := 0; ox < s.OutW; ox++ {
			ix0 := ox*s.SW - s.PadLeft
			kw0, kw1 := dwTapRange(ix0, s.KW, s.InW)
			o := out[(oy*s.OutW+ox)*outStride:][:cm]
			if fused && kh1-kh0 == 3 && kw1-kw0 == 3 {
				p0, p1, p2 := (iy0*s.InW+ix0)*inStride, ((iy0+1)*s.InW+ix0)*inStride, ((iy0+2)*s.InW+ix0)*inStride
				ws := w.w
				dw3x3Pixel(o, bias, lo, hi,
					in[p0:], in[p0+inStride:], in[p0+2*inStride:],
					in[p1:], in[p1+inStride:], in[p1+2*inStride:],
					in[p2:], in[p2+inStride:], in[p2+2*inStride:],
					ws, ws[cp:], ws[2*cp:], ws[3*cp:], ws[4*cp:], ws[5*cp:], ws[6*cp:], ws[7*cp:], ws[8*cp:])
				late.applyAll(o)
				continue
			}
			copy(o, bias)
			for kh := kh0; kh < kh1; kh++ {
				px := (iy0+kh)*s.InW + ix0
				wr := w.w[kh*s.KW*cp:]
				kw := kw0
				if m == 1 {
					for ; kw+3 <= kw1; kw += 3 {
						dwMadd3(o, in[(px+kw)*inStride:], in[(px+kw+1)*inStride:], in[(px+kw+2)*inStride:],
							wr[kw*cp:], wr[(kw+1)*cp:], wr[(kw+2)*cp:])
					}
					for ; kw < kw1; kw++ {
						dwMadd(o, in[(px+kw)*inStride:], wr[kw*cp:])
					}
					continue
				}
				for ; kw < kw1; kw++ {
					x := in[(px+kw)*inStride:][:c]
					wt := wr[kw*cp:][:cm]
					for ci, xv := range x {
						oo := o[ci*m : ci*m+m]
						ww := wt[ci*m : ci*m+m]
						for j := range oo {
							oo[j] += xv * ww[j]
						}
					}
				}
			}
			act.applyAll(o)
		}
	}
}

// dw3x3Pixel computes one interior pixel of a 3x3 Mult-1 convolution in one
// pass: o = clamp(b + sum of x_t*w_t, lo, hi), NaN propagating.
func dw3x3Pixel(o, b []float32, lo, hi float32, x0, x1, x2, x3, x4, x5, x6, x7, x8, w0, w1, w2, w3, w4, w5, w6, w7, w8 []float32) {
	n := len(o)
	b = b[:n]
	x0, x1, x2, x3, x4, x5, x6, x7, x8 = x0[:n], x1[:n], x2[:n], x3[:n], x4[:n], x5[:n], x6[:n], x7[:n], x8[:n]
	w0, w1, w2, w3, w4, w5, w6, w7, w8 = w0[:n], w1[:n], w2[:n], w3[:n], w4[:n], w5[:n], w6[:n], w7[:n], w8[:n]
	for i := range o {
		v := b[i] + x0[i]*w0[i] + x1[i]*w1[i] + x2[i]*w2[i]
		v += x3[i]*w3[i] + x4[i]*w4[i] + x5[i]*w5[i]
		v += x6[i]*w6[i] + x7[i]*w7[i] + x8[i]*w8[i]
		if v < lo {
			v = lo
		} else if v > hi {
			v = hi
		}
		o[i] = v
	}
}

// dwMadd does o += x*w over len(o).
func dwMadd(o, x, w []float32) {
	n := len(o)
	x, w = x[:n], w[:n]
	i := 0
	for ; i+4 <= n; i += 4 {
		oo, xx, ww := o[i:i+4:i+4], x[i:i+4:i+4], w[i:i+4:i+4]
		oo[0] += xx[0] * ww[0]
		oo[1] += xx[1] * ww[1]
		oo[2] += xx[2] * ww[2]
		oo[3] += xx[3] * ww[3]
	}
	for ; i < n; i++ {
		o[i] += x[i] * w[i]
	}
}

// dwMadd3 does o += x0*w0 + x1*w1 + x2*w2 (in that order) over len(o).
func dwMadd3(o, x0, x1, x2, w0, w1, w2 []float32) {
	n := len(o)
	x0, x1, x2 = x0[:n], x1[:n], x2[:n]
	w0, w1, w2 = w0[:n], w1[:n], w2[:n]
	for i := range o {
		o[i] = o[i] + x0[i]*w0[i] + x1[i]*w1[i] + x2[i]*w2[i]
	}
}

// dwFillAct writes act(bias) to o (a pixel with no in-bounds taps).
func dwFillAct(o, bias []float32, act Act) {
	copy(o, bias[:len(o)])
	act.applyAll(o)
}
