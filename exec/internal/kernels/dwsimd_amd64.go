//go:build amd64 && !purego

package kernels

import "unsafe"

// dwArgs is the record the generated depthwise kernels read (see
// _asm/dwconv/main.go; TestDWArgsLayout checks the offsets there against this
// layout). The kernels write only the three scratch words.
type dwArgs struct {
	in, w, bias, out unsafe.Pointer
	cs               int // input step between horizontal taps, bytes
	rsAdj            int // input step from the last tap of a kernel row to the next row's first
	wps              int // weight panel stride, bytes (pixel kernel)
	wrsAdj           int // weight step from the last tap of a row to the next row's first (pixel kernel)
	ocs              int // output step between the pixels of a block, bytes
	nkh, nkw         int
	npan             int // full panels (block) / pairs of full panels (pixel)
	npan1            int // 1 if an odd full panel follows the pairs (pixel)
	nrem             int // full vectors in the partial panel
	tail             int // 1 if a masked partial vector follows
	n                int // pixels (pixel kernel) / blocks (block kernel)
	pstep, ostep     int
	lo, hi           float32
	kmask            uint64
	mask             [8]int32
	curIn, curOut    uintptr // scratch, written by the kernels
	count            int     // scratch
}

// dwBlockGeom returns the block kernel's vectors per body and pixels per
// block for a KxK kernel (the generator's isa.blockGeom; the generated stubs'
// comments state them and TestDWBlockGeom checks that the two agree).
func dwBlockGeom(isa ISA, k int) (g, nb int) {
	if isa == AVX2 && k == 3 {
		return 2, 3
	}
	return 1, 6
}

// dwHasBlock reports whether there is a generated interior kernel for a
// KxK stride-S convolution.
func dwHasBlock(k, s int) bool { return (k == 3 || k == 5) && (s == 1 || s == 2) }

// dwCallBlock runs the interior kernel for KxK stride S (dwHasBlock). The
// calls are direct so that the noescape stubs keep the record on the stack.
func dwCallBlock(isa ISA, k, s int, a *byte) {
	switch {
	case isa == AVX512 && k == 3 && s == 1:
		dwBlock3x3S1AVX512(a)
	case isa == AVX512 && k == 3:
		dwBlock3x3S2AVX512(a)
	case isa == AVX512 && s == 1:
		dwBlock5x5S1AVX512(a)
	case isa == AVX512:
		dwBlock5x5S2AVX512(a)
	case k == 3 && s == 1:
		dwBlock3x3S1AVX2(a)
	case k == 3:
		dwBlock3x3S2AVX2(a)
	case s == 1:
		dwBlock5x5S1AVX2(a)
	default:
		dwBlock5x5S2AVX2(a)
	}
}

// dwCallPixel runs the general pixel kernel.
func dwCallPixel(isa ISA, a *byte) {
	if isa == AVX512 {
		dwPixelAVX512(a)
	} else {
		dwPixelAVX2(a)
	}
}

// dwSIMD runs a Mult-1 depthwise convolution with the generated kernels:
// per output row, the left and right border pixels (some taps out of range)
// go one at a time to the pixel kernel, the interior to the block kernel in
// blocks of nb pixels (the last block shifted left to overlap the previous
// one rather than leave a remainder), or to the pixel kernel when there is no
// block kernel or too few interior pixels. Rows cut by the top or bottom
// border just accumulate fewer kernel rows. Arguments were checked by
// Depthwise.
func dwSIMD(isa ISA, s *DWShape, in []float32, inStride int, w *PackedDW, bias []float32, act Act, out []float32, outStride int, oy0, oy1 int) bool {
	lanes := 8
	if isa == AVX512 {
		lanes = 16
	}
	vpp := dwPanel / lanes
	block := s.KH == s.KW && s.SH == s.SW && dwHasBlock(s.KH, s.SW)
	_, nb := dwBlockGeom(isa, s.KH)
	taps := s.KH * s.KW

	var a dwArgs
	a.lo, a.hi = dwClamp(act)
	cs := inStride * 4
	rs := s.InW * cs
	a.cs = cs
	a.wps = taps * dwPanel * 4
	ocs := outStride * 4
	ap := (*byte)(unsafe.Pointer(&a))
	bias = bias[:s.C]
	full, tail := s.C/lanes, s.C%lanes
	fullPanels := full / vpp
	a.nrem = full % vpp
	if tail != 0 {
		a.tail = 1
		a.kmask = 1<<tail - 1
		// a.mask is the AVX2 lane mask (8 lanes); AVX-512 reads kmask,
		// and its tail can be up to 15 lanes.
		for i := range min(tail, len(a.mask)) {
			a.mask[i] = -1
		}
	}
	a.bias = unsafe.Pointer(&bias[0])
	wp := w.panels

	// runPixels sends n pixels from (oy, ox), all with taps [kw0, kw1) in
	// kernel rows [kh0, kh0+a.nkh), to the pixel kernel.
	runPixels := func(iyk, oy, ox, kh0, kw0, kw1, n int) {
		ix := ox*s.SW - s.PadLeft + kw0
		a.in = unsafe.Pointer(&in[(iyk*s.InW+ix)*inStride])
		a.w = unsafe.Pointer(&wp[(kh0*s.KW+kw0)*dwPanel])
		a.out = unsafe.Pointer(&out[(oy*s.OutW+ox)*outStride])
		a.nkw = kw1 - kw0
		a.rsAdj = rs - a.nkw*cs
		a.wrsAdj = (s.KW - a.nkw) * dwPanel * 4
		a.npan, a.npan1 = fullPanels/2, fullPanels%2
		a.n = n
		a.pstep = s.SW * cs
		a.ostep = ocs
		dwCallPixel(isa, ap)
	}
	// runBlocks sends n blocks of nb pixels from (oy, ox) to the block
	// kernel.
	runBlocks := func(iyk, oy, ox, kh0, n int) {
		ix := ox*s.SW - s.PadLeft
		a.in = unsafe.Pointer(&in[(iyk*s.InW+ix)*inStride])
		a.w = unsafe.Pointer(&wp[kh0*s.KW*dwPanel])
		a.out = unsafe.Pointer(&out[(oy*s.OutW+ox)*outStride])
		a.rsAdj = rs - ((nb-1)*s.SW+s.KW-1)*cs
		a.ocs = ocs
		a.npan = fullPanels
		a.n = n
		a.pstep = nb * s.SW * cs
		a.ostep = nb * ocs
		dwCallBlock(isa, s.KH, s.SW, ap)
	}

	oxA, oxB := dwInterior(s.PadLeft, s.SW, s.KW, s.InW, s.OutW)
	for oy := oy0; oy < oy1; oy++ {
		iy0 := oy*s.SH - s.PadTop
		kh0, kh1 := dwTapRange(iy0, s.KH, s.InH)
		if kh1 == kh0 {
			for ox := range s.OutW {
				dwFillAct(out[(oy*s.OutW+ox)*outStride:][:s.C], bias, act)
			}
			continue
		}
		a.nkh = kh1 - kh0
		iyk := iy0 + kh0
		for ox := 0; ox < s.OutW; {
			if ox == oxA && oxA < oxB {
				n := oxB - oxA
				switch {
				case block && n >= nb:
					runBlocks(iyk, oy, ox, kh0, n/nb)
					if n%nb != 0 {
						runBlocks(iyk, oy, oxB-nb, kh0, 1)
					}
				default:
					runPixels(iyk, oy, ox, kh0, 0, s.KW, n)
				}
				ox = oxB
				continue
			}
			kw0, kw1 := dwTapRange(ox*s.SW-s.PadLeft, s.KW, s.InW)
			if kw1 == kw0 {
				dwFillAct(out[(oy*s.OutW+ox)*outStride:][:s.C], bias, act)
			} else {
				runPixels(iyk, oy, ox, kh0, kw0, kw1, 1)
			}
			ox++
		}
	}
	return true
}
