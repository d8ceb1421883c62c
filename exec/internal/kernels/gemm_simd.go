package kernels

import "unsafe"

// The driver of the vector GEMM micro-kernels, written once over a set's
// gemmTable (see the loop-order notes in gemm.go and the kernels'
// generator, _asm/gemm).

// Flag bits of the micro-kernels' flags word (keep in sync with _asm/gemm).
const (
	kfMax      = 1   // max(acc, 0): ReLU, ReLU6
	kfMin      = 2   // min(acc, 6): ReLU6
	kfAccum    = 4   // start from C (K blocks after the first)
	kfMask     = 8   // partial panel: masked C/bias loads and stores
	kfBias     = 16  // start from bias
	kfPf       = 32  // first block: prefetch the next call's B panels
	kfHSwish   = 64  // hard-swish epilogue
	kfHSigmoid = 128 // hard-sigmoid epilogue
	kfResidual = 256 // acc += R before the activation
	// With kfMask, per vector v of maskLanes lanes of the panels:
	// kfFull<<v the vector is whole, kfPart<<v it is the partial one,
	// neither: empty (whole vectors are stored unmasked, empty ones not at
	// all; the AVX2 kernels read these, AVX-512 uses kmask).
	kfFull = 1 << 16
	kfPart = 1 << 24
)

// maxMR bounds the height of any set's GEMM micro-kernel.
const maxMR = 16

// gemmTable is a set's GEMM micro-kernels: kern[np-1][mr] computes blocks
// of mr rows by np panels (16*np columns).
type gemmTable struct {
	mr        int // rows of the main kernel: RowBlock
	pairMax   int // the two-panel kernels serve blocks of up to pairMax rows
	maskLanes int // lanes per vector of the kfFull/kfPart flags
	// tailScratch: the kernels have no masked loads and stores (NEON); a
	// partial last panel is computed in a whole-panel scratch (bias, C of
	// an accumulating K block and the residual copied in, the result's
	// columns copied out), see gemmTail.
	tailScratch bool
	kern        [2][maxMR + 1]Kernel
}

// gemmArgs is the record the GEMM micro-kernels read (offsets in
// _asm/gemm, checked by TestGemmArgsLayout). The kernels write nothing in
// it but resCur.
type gemmArgs struct {
	a       unsafe.Pointer // A at the first row of the first block
	lda     int            // bytes
	b       unsafe.Pointer // packed B at the first k step of the first panel
	bstride int            // bytes from one panel to the next
	k       int            // k steps per segment
	segs    int
	segadj  int // bytes from the end of a segment of A to the next
	c       unsafe.Pointer
	ldc     int // bytes
	blocks  int
	bias    unsafe.Pointer
	flags   uint
	kmask   uint64 // lane mask of a partial last panel (bit j: column j)
	_       [3]uint64
	vmask   [32]int32 // the same as four 8-lane vector masks
	three   [16]float32
	six     [16]float32
	sixth   [16]float32
	res     unsafe.Pointer // R at the first row of the first block (kfResidual)
	ldr     int            // bytes
	resCur  uintptr        // scratch: the kernels' R cursor (not a Go pointer: the kernels write it)
}

func (a *gemmArgs) initConsts() {
	for i := range a.three {
		a.three[i], a.six[i], a.sixth[i] = 3, 6, sixth
	}
}

// maskWin is a sliding window of lane masks: maskWin[32-nc:64-nc] is 32
// int32 lanes of which the first nc are all ones.
var maskWin = [64]int32{
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
}

// actFlags returns the epilogue flags of an activation.
func actFlags(act Act) uint {
	switch act {
	case ActReLU:
		return kfMax
	case ActReLU6:
		return kfMax | kfMin
	case ActHardSwish:
		return kfHSwish
	case ActHardSigmoid:
		return kfHSigmoid
	}
	return 0
}

// gemmBlocked runs a GEMM on the set's micro-kernels with the cache
// blocking given (tests use tiny blocks to exercise the K-block and
// row-chunk paths on small shapes). Arguments were checked by GemmSegs.
//
// A K block is a range of whole segments (sg.N > 1: max(1, kc/Len) of them)
// or, for one segment, a range of kc of its values.
//
// A call of several row blocks whose next call (same rows, next panels) has
// a full set of panels asks the kernel to prefetch them (kfPf; the kernel
// does so in its first block only, and only the kernels the driver calls
// with several blocks have that path, see _asm/gemm). Not for one-block
// calls: a GEMV (the fully connected layer, m = 1) only streams its panels
// from memory, and prefetching the next ones while it does measured 8%
// slower.
func (t *gemmTable) gemmBlocked(ws *Workspace, bl blocking, m int, a []float32, lda int, sg Segs, b *PackedB, n0, n1 int, bias []float32, act Act, c []float32, ldc int, res []float32, ldr int) {
	sp := splitRows(m, t.mr)
	r := &ws.gemm
	rp := (*byte)(unsafe.Pointer(r))

	var aBase, bBase, biasP unsafe.Pointer
	if sg.Len > 0 {
		aBase = unsafe.Pointer(&a[0])
		bBase = unsafe.Pointer(&b.data[0])
	}
	if bias != nil {
		biasP = unsafe.Pointer(&bias[n0])
	}
	cBase := unsafe.Pointer(&c[0])
	var resBase unsafe.Pointer
	if res != nil {
		resBase = unsafe.Pointer(&res[0])
		r.ldr = ldr * 4
	}
	r.bstride = b.K * panelB
	r.lda, r.ldc = lda*4, ldc*4
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
			if res != nil {
				flags |= kfResidual
			}
		}
		r.k, r.segs, r.segadj = kl, ns, (sg.Stride-kl)*4
		row := 0
		for seg := range 2 {
			nblk, h := sp.nbig, sp.hi
			if seg == 1 {
				nblk, h = sp.nsmall, sp.lo
			}
			per := max(bl.mc/h, 1)
			for bi := 0; bi < nblk; bi += per {
				nb := min(per, nblk-bi)
				r.blocks = nb
				if sg.Len > 0 {
					r.a = unsafe.Add(aBase, (row*lda+s0*sg.Stride+v0)*4)
				}
				for p := p0; p < p1; {
					// Two panels per call where the set has the kernel
					// (AVX-512: every height, 12x32; AVX2: blocks of 1-2
					// rows, 1x32 and 2x32 keep 8 accumulators).
					np := 1
					if p+1 < p1 && h <= t.pairMax {
						np = 2
					}
					j0 := p * panelW
					nc := min(np*panelW, n1-j0)
					f := flags
					if nc < np*panelW && !t.tailScratch {
						l := t.maskLanes
						f |= kfMask | (1<<(nc/l)-1)*kfFull
						if nc%l != 0 {
							f |= kfPart << (nc / l)
						}
						r.kmask = 1<<nc - 1
						copy(r.vmask[:], maskWin[2*panelW-nc:])
					}
					if p+2*np <= p1 && nb > 1 {
						f |= kfPf
					}
					r.flags = f
					if sg.Len > 0 {
						r.b = unsafe.Add(bBase, p*r.bstride+(sg.K0+s0*sg.Len+v0)*panelB)
					}
					if biasP != nil {
						r.bias = unsafe.Add(biasP, (j0-n0)*4)
					}
					r.c = unsafe.Add(cBase, (row*ldc+j0)*4)
					if resBase != nil {
						r.res = unsafe.Add(resBase, (row*ldr+j0)*4)
					}
					if nc < np*panelW && t.tailScratch {
						ws.gemmTail(t.kern[np-1][h], nb*h, np*panelW, nc, bias, j0, c[row*ldc+j0:], ldc, res, row*ldr+j0, ldr)
					} else {
						t.kern[np-1][h].call(rp)
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
	r.a, r.b, r.c, r.bias, r.res = nil, nil, nil, nil, nil // keep no buffer alive
}

// gemmTail runs kernel k (its record set up for rows of C starting at
// c, columns [j0, j0+nc) of a w-wide call) with the block computed in a
// w-wide scratch instead of C: the kernels' whole-vector loads and stores
// then never touch the columns past nc. What the kernel reads from C (an
// accumulating K block), the bias and the residual are copied in first,
// zero past nc, so every element goes through the same operations as in
// a whole panel.
func (ws *Workspace) gemmTail(k Kernel, rows, w, nc int, bias []float32, j0 int, c []float32, ldc int, res []float32, r0, ldr int) {
	r := &ws.gemm
	if need := 2 * rows * w; len(ws.gtail) < need {
		ws.gtail = make([]float32, need)
	}
	sc, sr := ws.gtail[:rows*w], ws.gtail[rows*w:2*rows*w]
	if r.flags&kfAccum != 0 {
		for i := range rows {
			copy(sc[i*w:i*w+nc], c[i*ldc:i*ldc+nc])
		}
	}
	if r.flags&kfBias != 0 {
		clear(ws.gbias[:])
		copy(ws.gbias[:nc], bias[j0:j0+nc])
		r.bias = unsafe.Pointer(&ws.gbias[0])
	}
	ldc0, c0, ldr0 := r.ldc, r.c, r.ldr
	if r.flags&kfResidual != 0 {
		for i := range rows {
			copy(sr[i*w:i*w+nc], res[r0+i*ldr:r0+i*ldr+nc])
		}
		r.res, r.ldr = unsafe.Pointer(&sr[0]), w*4
	}
	r.c, r.ldc = unsafe.Pointer(&sc[0]), w*4
	k.call((*byte)(unsafe.Pointer(r)))
	for i := range rows {
		copy(c[i*ldc:i*ldc+nc], sc[i*w:i*w+nc])
	}
	r.c, r.ldc, r.ldr = c0, ldc0, ldr0
}
