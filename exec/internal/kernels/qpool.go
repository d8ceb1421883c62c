package kernels

import "fmt"

// QAvgPool writes output rows [oy0, oy1) of an int8 average pooling with
// TFLite's semantics (reference/pooling.h, integer_ops/pooling.h): the sum
// of the in-bounds taps, divided by their count rounding half away from
// zero, clamped to [lo, hi]. Pooling keeps its input's scale and zero
// point, so no requantization: for uint8 tensors (signed false) the sums
// are of the stored bytes; for int8 ones (signed, carried as u8 offset by
// 128) of the int8 values, and a negative sum rounds away from zero too.
// A window with no tap inside the input yields the clamped zero point of
// the rounding (0, i.e. 128 for int8). countPad is not supported: TFLite has
// no such mode for quantized pooling.
func QAvgPool(s *PoolShape, signed bool, in []uint8, inStride int, lo, hi int32, out []uint8, outStride int, oy0, oy1 int) {
	if err := s.Validate(); err != nil {
		panic(err)
	}
	dkCheckView("pool input", in, s.InH*s.InW, s.C, inStride)
	if oy0 < 0 || oy1 > s.OutH || oy0 > oy1 {
		panic(fmt.Sprintf("pool: rows [%d, %d) outside [0, %d)", oy0, oy1, s.OutH))
	}
	if oy0 == oy1 {
		return
	}
	dkCheckView("pool output", out, oy1*s.OutW, s.C, outStride)
	off := int32(0)
	if signed {
		off = 128
	}
	var acc [64]int32
	for oy := oy0; oy < oy1; oy++ {
		iy0 := oy*s.SH - s.PadTop
		kh0, kh1 := dwTapRange(iy0, s.KH, s.InH)
		for ox := range s.OutW {
			ix0 := ox*s.SW - s.PadLeft
			kw0, kw1 := dwTapRange(ix0, s.KW, s.InW)
			n := int32((kh1 - kh0) * (kw1 - kw0))
			dst := out[(oy*s.OutW+ox)*outStride:][:s.C]
			for c0 := 0; c0 < s.C; c0 += len(acc) {
				a := acc[:min(len(acc), s.C-c0)]
				clear(a)
				for kh := kh0; kh < kh1; kh++ {
					for kw := kw0; kw < kw1; kw++ {
						x := in[((iy0+kh)*s.InW+ix0+kw)*inStride+c0:][:len(a)]
						for i, v := range x {
							a[i] += int32(v)
						}
					}
				}
				for i, v := range a {
					v -= n * off
					if n > 0 {
						if v >= 0 {
							v = (v + n/2) / n
						} else {
							v = (v - n/2) / n
						}
					}
					v += off
					dst[c0+i] = uint8(min(max(v, lo), hi))
				}
			}
		}
	}
}

// QMaxPool writes output rows [oy0, oy1) of an int8 max pooling with
// TFLite's semantics (reference/pooling.h MaxPool, integer_ops/pooling.h):
// the largest in-bounds tap, clamped to [lo, hi]. The order of 8-bit values
// is the same in the u8 domain int8 tensors are carried in, so one kernel
// serves both. A window with no tap inside the input yields lo.
func QMaxPool(s *PoolShape, in []uint8, inStride int, lo, hi int32, out []uint8, outStride int, oy0, oy1 int) {
	if err := s.Validate(); err != nil {
		panic(err)
	}
	dkCheckView("pool input", in, s.InH*s.InW, s.C, inStride)
	if oy0 < 0 || oy1 > s.OutH || oy0 > oy1 {
		panic(fmt.Sprintf("pool: rows [%d, %d) outside [0, %d)", oy0, oy1, s.OutH))
	}
	if oy0 == oy1 {
		return
	}
	dkCheckView("pool output", out, oy1*s.OutW, s.C, outStride)
	l, h := uint8(min(max(lo, 0), 255)), uint8(min(max(hi, 0), 255))
	for oy := oy0; oy < oy1; oy++ {
		iy0 := oy*s.SH - s.PadTop
		kh0, kh1 := dwTapRange(iy0, s.KH, s.InH)
		for ox := range s.OutW {
			ix0 := ox*s.SW - s.PadLeft
			kw0, kw1 := dwTapRange(ix0, s.KW, s.InW)
			dst := out[(oy*s.OutW+ox)*outStride:][:s.C]
			for i := range dst {
				dst[i] = 0
			}
			for kh := kh0; kh < kh1; kh++ {
				for kw := kw0; kw < kw1; kw++ {
					x := in[((iy0+kh)*s.InW+ix0+kw)*inStride:][:s.C]
					for i, v := range x {
						dst[i] = max(dst[i], v)
					}
				}
			}
			for i, v := range dst {
				dst[i] = min(max(v, l), h)
			}
		}
	}
}
