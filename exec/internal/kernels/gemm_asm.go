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
func gemmAsm(isa ISA, m int, a []float32, lda int, b *PackedB, n0, n1 int, bias []float32, act Act, c []float32, ldc int) bool {
	if isa != AVX2 && isa != AVX512 {
		return false
	}
	gemmAsmBlocked(isa, gemmBlocking(m, b.K, RowBlock(isa)), m, a, lda, b, n0, n1, bias, act, c, ldc)
	return true
}

// gemmAsmBlocked is gemmAsm with the cache blocking given (tests use tiny
// blocks to exercise the K-block and row-chunk paths on small shapes).
func gemmAsmBlocked(isa ISA, bl blocking, m int, a []float32, lda int, b *PackedB, n0, n1 int, bias []float32, act Act, c []float32, ldc int) {
	k := b.K
	sp := splitRows(m, RowBlock(isa))

	var aBase, bBase, biasP *float32
	if k > 0 {
		aBase = &a[0]
		bBase = &b.data[0]
	}
	if bias != nil {
		biasP = &bias[n0]
	}
	cBase := unsafe.Pointer(&c[0])
	bstride := k * panelB
	p0, p1 := n0/panelW, (n1+panelW-1)/panelW

	for k0 := 0; ; k0 += bl.kc {
		kl := min(bl.kc, k-k0)
		var flags uint
		if k0 > 0 {
			flags |= kfAccum
		} else if bias != nil {
			flags |= kfBias
		}
		if k0+kl >= k {
			flags |= actFlags(act)
		}
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
				if k > 0 {
					ap = (*float32)(unsafe.Add(unsafe.Pointer(aBase), (row*lda+k0)*4))
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
						f |= kfMask
					}
					var bp, bb *float32
					if k > 0 {
						bp = (*float32)(unsafe.Add(unsafe.Pointer(bBase), p*bstride+k0*panelB))
					}
					if biasP != nil {
						bb = (*float32)(unsafe.Add(unsafe.Pointer(biasP), (j0-n0)*4))
					}
					cp := (*float32)(unsafe.Add(cBase, (row*ldc+j0)*4))
					if isa == AVX2 {
						callAVX2(h, np, ap, lda*4, bp, bstride, kl, cp, ldc*4, nb, bb, f, &maskWin[2*panelW-nc])
					} else {
						callAVX512(h, np, ap, lda*4, bp, bstride, kl, cp, ldc*4, nb, bb, f, uint64(1)<<nc-1)
					}
					p += np
				}
				row += nb * h
			}
		}
		if k0+kl >= k {
			break
		}
	}
}

func callAVX2(mr, np int, a *float32, lda int, b *float32, bstride, k int, c *float32, ldc, blocks int, bias *float32, flags uint, mask *int32) {
	cl := &actClamp[0]
	if np == 2 {
		switch mr {
		case 2:
			gemmAVX2_2x32(a, lda, b, bstride, k, c, ldc, blocks, bias, cl, flags, mask)
		case 1:
			gemmAVX2_1x32(a, lda, b, bstride, k, c, ldc, blocks, bias, cl, flags, mask)
		default:
			panic("kernels: bad AVX2 two-panel block height")
		}
		return
	}
	switch mr {
	case 6:
		gemmAVX2_6x16(a, lda, b, 0, k, c, ldc, blocks, bias, cl, flags, mask)
	case 5:
		gemmAVX2_5x16(a, lda, b, 0, k, c, ldc, blocks, bias, cl, flags, mask)
	case 4:
		gemmAVX2_4x16(a, lda, b, 0, k, c, ldc, blocks, bias, cl, flags, mask)
	case 3:
		gemmAVX2_3x16(a, lda, b, 0, k, c, ldc, blocks, bias, cl, flags, mask)
	case 2:
		gemmAVX2_2x16(a, lda, b, 0, k, c, ldc, blocks, bias, cl, flags, mask)
	case 1:
		gemmAVX2_1x16(a, lda, b, 0, k, c, ldc, blocks, bias, cl, flags, mask)
	default:
		panic("kernels: bad AVX2 block height")
	}
}

func callAVX512(mr, np int, a *float32, lda int, b *float32, bstride, k int, c *float32, ldc, blocks int, bias *float32, flags uint, mask uint64) {
	cl := &actClamp[0]
	if np == 2 {
		switch mr {
		case 12:
			gemmAVX512_12x32(a, lda, b, bstride, k, c, ldc, blocks, bias, cl, flags, mask)
		case 11:
			gemmAVX512_11x32(a, lda, b, bstride, k, c, ldc, blocks, bias, cl, flags, mask)
		case 10:
			gemmAVX512_10x32(a, lda, b, bstride, k, c, ldc, blocks, bias, cl, flags, mask)
		case 9:
			gemmAVX512_9x32(a, lda, b, bstride, k, c, ldc, blocks, bias, cl, flags, mask)
		case 8:
			gemmAVX512_8x32(a, lda, b, bstride, k, c, ldc, blocks, bias, cl, flags, mask)
		case 7:
			gemmAVX512_7x32(a, lda, b, bstride, k, c, ldc, blocks, bias, cl, flags, mask)
		case 6:
			gemmAVX512_6x32(a, lda, b, bstride, k, c, ldc, blocks, bias, cl, flags, mask)
		case 5:
			gemmAVX512_5x32(a, lda, b, bstride, k, c, ldc, blocks, bias, cl, flags, mask)
		case 4:
			gemmAVX512_4x32(a, lda, b, bstride, k, c, ldc, blocks, bias, cl, flags, mask)
		case 3:
			gemmAVX512_3x32(a, lda, b, bstride, k, c, ldc, blocks, bias, cl, flags, mask)
		case 2:
			gemmAVX512_2x32(a, lda, b, bstride, k, c, ldc, blocks, bias, cl, flags, mask)
		case 1:
			gemmAVX512_1x32(a, lda, b, bstride, k, c, ldc, blocks, bias, cl, flags, mask)
		default:
			panic("kernels: bad AVX-512 block height")
		}
		return
	}
	switch mr {
	case 12:
		gemmAVX512_12x16(a, lda, b, bstride, k, c, ldc, blocks, bias, cl, flags, mask)
	case 11:
		gemmAVX512_11x16(a, lda, b, bstride, k, c, ldc, blocks, bias, cl, flags, mask)
	case 10:
		gemmAVX512_10x16(a, lda, b, bstride, k, c, ldc, blocks, bias, cl, flags, mask)
	case 9:
		gemmAVX512_9x16(a, lda, b, bstride, k, c, ldc, blocks, bias, cl, flags, mask)
	case 8:
		gemmAVX512_8x16(a, lda, b, bstride, k, c, ldc, blocks, bias, cl, flags, mask)
	case 7:
		gemmAVX512_7x16(a, lda, b, bstride, k, c, ldc, blocks, bias, cl, flags, mask)
	case 6:
		gemmAVX512_6x16(a, lda, b, bstride, k, c, ldc, blocks, bias, cl, flags, mask)
	case 5:
		gemmAVX512_5x16(a, lda, b, bstride, k, c, ldc, blocks, bias, cl, flags, mask)
	case 4:
		gemmAVX512_4x16(a, lda, b, bstride, k, c, ldc, blocks, bias, cl, flags, mask)
	case 3:
		gemmAVX512_3x16(a, lda, b, bstride, k, c, ldc, blocks, bias, cl, flags, mask)
	case 2:
		gemmAVX512_2x16(a, lda, b, bstride, k, c, ldc, blocks, bias, cl, flags, mask)
	case 1:
		gemmAVX512_1x16(a, lda, b, bstride, k, c, ldc, blocks, bias, cl, flags, mask)
	default:
		panic("kernels: bad AVX-512 block height")
	}
}
