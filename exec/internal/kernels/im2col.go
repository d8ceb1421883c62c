package kernels

import (
	"fmt"
	"unsafe"
)

// ConvShape describes a grouped KxK convolution's input side for im2col over
// one NHWC image: C input channels in Groups groups of C/Groups, explicit
// top/left padding, output size given.
type ConvShape struct {
	InH, InW, C, KH, KW, SH, SW, PadTop, PadLeft, OutH, OutW, Groups int
}

// Validate reports a shape im2col cannot run.
func (s *ConvShape) Validate() error {
	switch {
	case s.InH < 1 || s.InW < 1 || s.C < 1 || s.Groups < 1 || s.C%s.Groups != 0:
		return fmt.Errorf("im2col: bad input %dx%dx%d in %d groups", s.InH, s.InW, s.C, s.Groups)
	case s.KH < 1 || s.KW < 1 || s.SH < 1 || s.SW < 1:
		return fmt.Errorf("im2col: bad kernel %dx%d stride %dx%d", s.KH, s.KW, s.SH, s.SW)
	case s.PadTop < 0 || s.PadLeft < 0 || s.OutH < 1 || s.OutW < 1:
		return fmt.Errorf("im2col: bad padding %d,%d or output %dx%d", s.PadTop, s.PadLeft, s.OutH, s.OutW)
	}
	return nil
}

// Im2colK is the length of an im2col row, KH*KW*C/Groups: the GEMM's inner
// dimension, matching weights laid out [Cout][KH][KW][C/Groups].
func (s *ConvShape) Im2colK() int { return s.KH * s.KW * s.C / s.Groups }

// Rows is the number of im2col rows, OutH*OutW.
func (s *ConvShape) Rows() int { return s.OutH * s.OutW }

// Im2col writes rows [r0, r1) of group g's im2col matrix: row r is output
// pixel (r/OutW, r%OutW) and holds [kh][kw][channel of the group], zero for
// padding taps. Row r goes to dst[(r-r0)*ld:], so a thread can fill a private
// tile (or pass dst[r0*ld:] to fill a shared matrix); columns [Im2colK, ld)
// are left alone. in is the InH x InW x C view with pixel stride inStride.
func Im2col(s *ConvShape, g int, in []float32, inStride int, dst []float32, ld int, r0, r1 int) {
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
	if len(dst) < (r1-r0-1)*ld+k {
		panic(fmt.Sprintf("im2col: destination has %d floats, want %d", len(dst), (r1-r0-1)*ld+k))
	}
	cg := s.C / s.Groups
	in = in[g*cg:]
	// With the group's channels contiguous from pixel to pixel (one group,
	// no gaps), a kernel row of an interior pixel is one contiguous copy.
	dense := inStride == cg
	rowLen, inRow := s.KW*cg, s.InW*inStride
	// Interior output columns (window inside the input horizontally).
	ox0, ox1 := dwInterior(s.PadLeft, s.SW, s.KW, s.InW, s.OutW)
	for r := r0; r < r1; {
		oy, ox := r/s.OutW, r%s.OutW
		iy0 := oy*s.SH - s.PadTop
		rowIn := dense && iy0 >= 0 && iy0+s.KH <= s.InH
		// The run of this output row up to r1 that is interior: one
		// contiguous copy per kernel row and pixel, the source advancing by
		// SW pixels.
		if rowIn && ox >= ox0 && ox < ox1 {
			n := min(ox1, ox+r1-r) - ox
			im2colRun(s, dst[(r-r0)*ld:], ld, in[(iy0*s.InW+ox*s.SW-s.PadLeft)*cg:], s.SW*cg, rowLen, inRow, n)
			r += n
			continue
		}
		im2colRow(s, dst[(r-r0)*ld:][:k], in, inStride, cg, iy0, ox*s.SW-s.PadLeft)
		r++
	}
}

// im2colRun fills n consecutive im2col rows of interior pixels of a dense
// input: row i gets the KH kernel rows of rowLen values at src[i*step +
// kh*inRow:]. The 3x3xRGB case (the first layer of most image networks)
// copies each 9-value kernel row as one 36-byte block (two 16-byte moves
// and a 4-byte one; Go's array copy would call memmove): MobileNet's
// 224x224 first layer in 75 us (6 ns per pixel) against 170 us with nine
// scalar moves per kernel row and the interior test per pixel.
func im2colRun(s *ConvShape, dst []float32, ld int, src []float32, step, rowLen, inRow, n int) {
	if rowLen == 9 && s.KH == 3 {
		_ = dst[(n-1)*ld+26]
		_ = src[(n-1)*step+2*inRow+8]
		d := unsafe.Pointer(&dst[0])
		x := unsafe.Pointer(&src[0])
		r1, r2 := uintptr(inRow*4), uintptr(2*inRow*4)
		for i := 1; ; i++ {
			move36(d, x)
			move36(unsafe.Add(d, 36), unsafe.Add(x, r1))
			move36(unsafe.Add(d, 72), unsafe.Add(x, r2))
			if i == n {
				return // not advanced past the last row: such a pointer is invalid even unused
			}
			d = unsafe.Add(d, ld*4)
			x = unsafe.Add(x, step*4)
		}
	}
	for i := range n {
		d := dst[i*ld:]
		x := src[i*step:]
		for kh := range s.KH {
			im2colCopy(d[kh*rowLen:(kh+1)*rowLen], x[kh*inRow:])
		}
	}
}

// im2colRow fills one im2col row in the general case (padding taps, or
// pixels not contiguous).
func im2colRow(s *ConvShape, row, in []float32, inStride, cg, iy0, ix0 int) {
	rowLen := s.KW * cg
	kw0, kw1 := dwTapRange(ix0, s.KW, s.InW)
	for kh := range s.KH {
		d := row[kh*rowLen : (kh+1)*rowLen]
		iy := iy0 + kh
		if iy < 0 || iy >= s.InH || kw0 == kw1 {
			clear(d)
			continue
		}
		clear(d[:kw0*cg])
		clear(d[kw1*cg:])
		px := iy*s.InW + ix0
		for kw := kw0; kw < kw1; kw++ {
			im2colCopy(d[kw*cg:(kw+1)*cg], in[(px+kw)*inStride:])
		}
	}
}

// im2colCopy copies len(d) floats from s; a plain loop beats memmove for
// the few-channel rows of first layers.
func im2colCopy(d, s []float32) {
	if len(d) > 16 {
		copy(d, s)
		return
	}
	s = s[:len(d)]
	for i := range d {
		d[i] = s[i]
	}
}

// move36 copies 36 bytes (9 float32) from s to d as two 16-byte moves and
// a 4-byte one.
func move36(d, s unsafe.Pointer) {
	*(*[4]float32)(d) = *(*[4]float32)(s)
	*(*[4]float32)(unsafe.Add(d, 16)) = *(*[4]float32)(unsafe.Add(s, 16))
	*(*float32)(unsafe.Add(d, 32)) = *(*float32)(unsafe.Add(s, 32))
}
