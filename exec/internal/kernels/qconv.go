package kernels

import "fmt"

// QIm2col is Im2col for u8 tensors: rows [r0, r1) of group g's im2col
// matrix, row r (output pixel r/OutW, r%OutW) holding [kh][kw][channel of
// the group] at dst[(r-r0)*ld:], padding taps set to pad. An int8
// convolution pads with the input's zero point (TFLite's kernels skip
// out-of-range taps, which is the same as adding (zero point - zero
// point) * w), so that the zero-point terms folded into the bias hold for
// every row. Columns [Im2colK, ld) are set to 0: the int8 GEMM reads rows
// in whole k quads, and zero times its zero weights is zero.
func QIm2col(s *ConvShape, g int, in []uint8, inStride int, pad uint8, dst []uint8, ld int, r0, r1 int) {
	if err := s.Validate(); err != nil {
		panic(err)
	}
	k := s.Im2colK()
	if g < 0 || g >= s.Groups || ld < k || r0 < 0 || r1 > s.Rows() || r0 > r1 {
		panic(fmt.Sprintf("im2col: group %d of %d, ld %d < %d or rows [%d, %d) outside [0, %d)", g, s.Groups, ld, k, r0, r1, s.Rows()))
	}
	dkCheckView("im2col input", in, s.InH*s.InW, s.C, inStride)
	if r0 == r1 {
		return
	}
	if len(dst) < (r1-r0)*ld {
		panic(fmt.Sprintf("im2col: destination has %d bytes, want %d", len(dst), (r1-r0)*ld))
	}
	cg := s.C / s.Groups
	in = in[g*cg:]
	// A window inside the input reads KH runs of KW pixels; when the
	// pixels are dense and of one group, each run is KW*C contiguous bytes.
	run := 0
	if s.Groups == 1 && inStride == s.C {
		run = s.KW * s.C
	}
	for r := r0; r < r1; r++ {
		row := dst[(r-r0)*ld : (r-r0+1)*ld]
		oy, ox := r/s.OutW, r%s.OutW
		iy0, ix0 := oy*s.SH-s.PadTop, ox*s.SW-s.PadLeft
		if run > 0 && iy0 >= 0 && ix0 >= 0 && iy0+s.KH <= s.InH && ix0+s.KW <= s.InW {
			for kh := range s.KH {
				copyShort(row[kh*run:(kh+1)*run], in[((iy0+kh)*s.InW+ix0)*inStride:])
			}
			clear(row[k:])
			continue
		}
		i := 0
		for kh := range s.KH {
			iy := iy0 + kh
			for kw := range s.KW {
				ix := ix0 + kw
				d := row[i : i+cg]
				if iy < 0 || iy >= s.InH || ix < 0 || ix >= s.InW {
					for c := range d {
						d[c] = pad
					}
				} else {
					copyShort(d, in[(iy*s.InW+ix)*inStride:])
				}
				i += cg
			}
		}
		clear(row[k:])
	}
}

// copyShort is copy for the few bytes of an im2col run (a call to the
// runtime's memmove costs more than the copy below 16 bytes).
func copyShort(d, s []uint8) {
	if len(d) >= 16 {
		copy(d, s)
		return
	}
	s = s[:len(d)]
	for i := range d {
		d[i] = s[i]
	}
}
