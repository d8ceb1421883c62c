//go:build amd64 && !purego

package kernels

import "unsafe"

// Flag bits of the generated kernels (keep in sync with _asm/gemm).
const (
	kfMax   = 1  // clamp below at actClamp[0]
	kfMin   = 2  // clamp above at actClamp[1]
	kfAccum = 4  // start from C (K blocks after the first)
	kfMask  = 8  // partial panel: masked C/bias loads and stores
	kfBias  = 16 // start from bias
	kfPf    = 32 // first block: prefetch the next call's B panels
	// With kfMask on AVX2, per 8-lane vector v of the panels: kfFull<<v
	// the vector is whole, kfPart<<v it is the partial one, neither: empty
	// (whole vectors are stored unmasked, empty ones not at all).
	kfFull = 1 << 8
	kfPart = 1 << 12
)

// maskWin is a sliding window of AVX2 lane masks: &maskWin[32-nc] gives
// 32 int32 lanes (4 ymm masks) of which the first nc are all ones.
var maskWin = [64]int32{
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
}

func actFlags(act Act) uint {
	switch act {
	case ActReLU:
		return kfMax
	case ActReLU6:
		return kfMax | kfMin
	}
	return 0
}

// gemmAsm runs the assembly kernels of isa; see the loop-order notes in
// gemm.go. It reports false if isa has no assembly path in this build.
func gemmAsm(isa ISA, m int, a []float32, lda int, sg Segs, b *PackedB, n0, n1 int, bias []float32, act Act, c []float32, ldc int) bool {
	if isa != AVX2 && isa != AVX512 {
		return false
	}
	gemmAsmBlocked(isa, gemmBlocking(m, sg.N*sg.Len, RowBlock(isa)), m, a, lda, sg, b, n0, n1, bias, act, c, ldc)
	return true
}

// gemmAsmBlocked is gemmAsm with the cache blocking given (tests use tiny
// blocks to exercise the K-block and row-chunk paths on small shapes).
//
// A K block is a range of whole segments (sg.N > 1: max(1, kc/Len) of them)
// or, for one segment, a range of kc of its values.
//
// A call of several row blocks whose next call (same rows, next panels) has
// a full set of panels asks the kernel to prefetch them (kfPf; the kernel
// does so in its first block only, see _asm/gemm). Not for one-block calls:
// a GEMV (the fully connected layer, m = 1) only streams its panels from
// memory, and prefetching the next ones while it does measured 8% slower.
func gemmAsmBlocked(isa ISA, bl blocking, m int, a []float32, lda int, sg Segs, b *PackedB, n0, n1 int, bias []float32, act Act, c []float32, ldc int) {
	sp := splitRows(m, RowBlock(isa))

	var aBase, bBase, biasP *float32
	if sg.Len > 0 {
		aBase = &a[0]
		bBase = &b.data[0]
	}
	if bias != nil {
		biasP = &bias[n0]
	}
	cBase := unsafe.Pointer(&c[0])
	bstride := b.K * panelB
	p0, p1 := n0/panelW, (n1+panelW-1)/panelW
	perK := max(bl.kc/max(sg.Len, 1), 1) // segments per K block (sg.N > 1)

	for s0, v0 := 0, 0; ; {
		// This K block: segments [s0, s0+ns), values [v0, v0+kl) of each.
		ns, kl := min(perK, sg.N-s0), sg.Len
		if sg.N == 1 {
			ns, kl = 1, min(bl.kc, sg.Len-v0)
		}
		last := s0+ns >= sg.N && v0+kl >= sg.Len
		var flags uint
		if s0 > 0 || v0 > 0 {
			flags |= kfAccum
		} else if bias != nil {
			flags |= kfBias
		}
		if last {
			flags |= actFlags(act)
		}
		segadj := (sg.Stride - kl) * 4
		row := 0
		for seg := range 2 {
			nblk, h := sp.nbig, sp.hi
			if seg == 1 {
				nblk, h = sp.nsmall, sp.lo
			}
			per := max(bl.mc/h, 1)
			for bi := 0; bi < nblk; bi += per {
				nb := min(per, nblk-bi)
				var ap *float32
				if sg.Len > 0 {
					ap = (*float32)(unsafe.Add(unsafe.Pointer(aBase), (row*lda+s0*sg.Stride+v0)*4))
				}
				for p := p0; p < p1; {
					// Two panels per call: AVX-512 always (12x32), AVX2
					// for blocks of 1-2 rows (1x32, 2x32 keep 8
					// accumulators without splitting k).
					np := 1
					if p+1 < p1 && (isa == AVX512 || h <= 2) {
						np = 2
					}
					j0 := p * panelW
					nc := min(np*panelW, n1-j0)
					f := flags
					if nc < np*panelW {
						f |= kfMask | (1<<(nc/8)-1)*kfFull
						if nc%8 != 0 {
							f |= kfPart << (nc / 8)
						}
					}
					if p+2*np <= p1 && nb > 1 {
						f |= kfPf
					}
					var bp, bb *float32
					if sg.Len > 0 {
						bp = (*float32)(unsafe.Add(unsafe.Pointer(bBase), p*bstride+(sg.K0+s0*sg.Len+v0)*panelB))
					}
					if biasP != nil {
						bb = (*float32)(unsafe.Add(unsafe.Pointer(biasP), (j0-n0)*4))
					}
					cp := (*float32)(unsafe.Add(cBase, (row*ldc+j0)*4))
					if isa == AVX2 {
						callAVX2(h, np, ap, lda*4, bp, bstride, kl, ns, segadj, cp, ldc*4, nb, bb, f, &maskWin[2*panelW-nc])
					} else {
						callAVX512(h, np, ap, lda*4, bp, bstride, kl, ns, segadj, cp, ldc*4, nb, bb, f, uint64(1)<<nc-1)
					}
					p += np
				}
				row += nb * h
			}
		}
		if last {
			break
		}
		if sg.N == 1 {
			v0 += kl
		} else {
			s0 += ns
		}
	}
}

func callAVX2(mr, np int, a *float32, lda int, b *float32, bstride, k, segs, segadj int, c *float32, ldc, blocks int, bias *float32, flags uint, mask *int32) {
	cl := &actClamp[0]
	if np == 2 {
		switch mr {
		case 2:
			gemmAVX2_2x32(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
		case 1:
			gemmAVX2_1x32(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
		default:
			panic("kernels: bad AVX2 two-panel block height")
		}
		return
	}
	switch mr {
	case 6:
		gemmAVX2_6x16(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
	case 5:
		gemmAVX2_5x16(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
	case 4:
		gemmAVX2_4x16(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
	case 3:
		gemmAVX2_3x16(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
	case 2:
		gemmAVX2_2x16(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
	case 1:
		gemmAVX2_1x16(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
	default:
		panic("kernels: bad AVX2 block height")
	}
}

func callAVX512(mr, np int, a *float32, lda int, b *float32, bstride, k, segs, segadj int, c *float32, ldc, blocks int, bias *float32, flags uint, mask uint64) {
	cl := &actClamp[0]
	if np == 2 {
		switch mr {
		case 12:
			gemmAVX512_12x32(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
		case 11:
			gemmAVX512_11x32(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
		case 10:
			gemmAVX512_10x32(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
		case 9:
			gemmAVX512_9x32(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
		case 8:
			gemmAVX512_8x32(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
		case 7:
			gemmAVX512_7x32(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
		case 6:
			gemmAVX512_6x32(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
		case 5:
			gemmAVX512_5x32(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
		case 4:
			gemmAVX512_4x32(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
		case 3:
			gemmAVX512_3x32(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
		case 2:
			gemmAVX512_2x32(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
		case 1:
			gemmAVX512_1x32(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
		default:
			panic("kernels: bad AVX-512 block height")
		}
		return
	}
	switch mr {
	case 12:
		gemmAVX512_12x16(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
	case 11:
		gemmAVX512_11x16(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
	case 10:
		gemmAVX512_10x16(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
	case 9:
		gemmAVX512_9x16(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
	case 8:
		gemmAVX512_8x16(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
	case 7:
		gemmAVX512_7x16(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
	case 6:
		gemmAVX512_6x16(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
	case 5:
		gemmAVX512_5x16(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
	case 4:
		gemmAVX512_4x16(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
	case 3:
		gemmAVX512_3x16(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
	case 2:
		gemmAVX512_2x16(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
	case 1:
		gemmAVX512_1x16(a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, cl, flags, mask)
	default:
		panic("kernels: bad AVX-512 block height")
	}
}
