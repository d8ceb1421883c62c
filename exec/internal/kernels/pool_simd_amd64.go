//go:build amd64 && !purego

package kernels

import (
	"math"
	"unsafe"
)

// poolArgs is the record the generated pooling kernels read (see
// _asm/pool/main.go; TestPoolArgsLayout checks the offsets there against
// this layout). The kernels write nothing in it.
type poolArgs struct {
	in, out      unsafe.Pointer
	n            int
	pstep, ostep int // bytes
	nkh, nkw     int
	cs, rs       int // bytes
	nv4, nv1     int
	tail         int
	scale        uint64 // float32 bits (window kernels) or float64 bits (global)
	mask         [8]int32
}

// setChannels splits c channels into groups of 4 vectors, single vectors
// and a masked tail.
func (a *poolArgs) setChannels(c int) {
	a.nv4, a.nv1 = c/32, c%32/8
	if r := c % 8; r != 0 {
		a.tail = 1
		for i := range r {
			a.mask[i] = -1
		}
	}
}

// poolSIMD runs output rows [oy0, oy1) of a max or average pooling on the
// AVX2 kernels (also on AVX-512 machines): per row, the interior pixels
// (window inside the input horizontally) in one call, the border pixels
// one call each with their clipped window. It reports false when isa has
// no vector path. The results are bit for bit those of the generic
// kernels (same operations in the same order).
func poolSIMD(isa ISA, s *PoolShape, isMax, countPad bool, in []float32, inStride int, out []float32, outStride int, oy0, oy1 int) bool {
	if isa != AVX2 && isa != AVX512 {
		return false
	}
	var a poolArgs
	a.setChannels(s.C)
	a.cs = inStride * 4
	a.rs = s.InW * inStride * 4
	a.pstep = s.SW * inStride * 4
	a.ostep = outStride * 4
	ap := (*byte)(unsafe.Pointer(&a))
	ox0, ox1 := dwInterior(s.PadLeft, s.SW, s.KW, s.InW, s.OutW)
	run := func(oy, ox, n, iy, ix, nkh, nkw, div int) {
		if nkh <= 0 || nkw <= 0 || div <= 0 {
			// No tap inside (or no divisor): zeros, as the generic kernels.
			for i := range n {
				clear(out[(oy*s.OutW+ox+i)*outStride:][:s.C])
			}
			return
		}
		a.in = unsafe.Pointer(&in[(iy*s.InW+ix)*inStride])
		a.out = unsafe.Pointer(&out[(oy*s.OutW+ox)*outStride])
		a.n, a.nkh, a.nkw = n, nkh, nkw
		if isMax {
			poolMaxAVX2(ap)
			return
		}
		a.scale = uint64(math.Float32bits(1 / float32(div)))
		poolAvgAVX2(ap)
	}
	for oy := oy0; oy < oy1; oy++ {
		iy0 := oy*s.SH - s.PadTop
		kh0, kh1 := dwTapRange(iy0, s.KH, s.InH)
		nh := kh1 - kh0
		if countPad {
			nh = min(iy0+s.KH, s.InH+s.PadBottom) - iy0
		}
		for ox := 0; ox < s.OutW; ox++ {
			ix0 := ox*s.SW - s.PadLeft
			if ox == ox0 && ox0 < ox1 {
				// Interior: full rows of taps, one divisor.
				run(oy, ox, ox1-ox0, iy0+kh0, ix0, kh1-kh0, s.KW, nh*s.KW)
				ox = ox1 - 1
				continue
			}
			kw0, kw1 := dwTapRange(ix0, s.KW, s.InW)
			nw := kw1 - kw0
			if countPad {
				nw = min(ix0+s.KW, s.InW+s.PadRight) - ix0
			}
			run(oy, ox, 1, iy0+kh0, ix0+kw0, kh1-kh0, kw1-kw0, nh*nw)
		}
	}
	return true
}

// globalSIMD pools an h x w x c view into one pixel: the mean (float64
// sums, as GlobalAvgPool) or the maximum (the window kernel over all
// pixels). It reports false when isa has no vector path.
func globalSIMD(isa ISA, isMax bool, in []float32, h, w, c, inStride int, out []float32) bool {
	if isa != AVX2 && isa != AVX512 {
		return false
	}
	var a poolArgs
	a.setChannels(c)
	a.in, a.out = unsafe.Pointer(&in[0]), unsafe.Pointer(&out[0])
	ap := (*byte)(unsafe.Pointer(&a))
	if isMax {
		a.n, a.nkh, a.nkw = 1, h, w
		a.cs, a.rs = inStride*4, w*inStride*4
		poolMaxAVX2(ap)
		return true
	}
	a.n, a.pstep = h*w, inStride*4
	a.scale = math.Float64bits(1 / float64(h*w))
	globalAvgAVX2(ap)
	return true
}
