package kernels

import "unsafe"

// The driver of the AVX2 int8 GEMM (qPair16: int16 pairs, vpmaddwd),
// written over the same qgemmTable shape: A rows are widened to int16 a
// chunk at a time into the workspace, then every panel passes over the
// chunk. The micro-kernels store whole 16-byte rows; a partial last panel
// is written to a 16-wide scratch and its columns copied out.

// qpackArgs is the record of the A-widening kernel (offsets in
// _asm/int8/avx2.go).
type qpackArgs struct {
	src  unsafe.Pointer
	lda  int
	dst  unsafe.Pointer
	ldd  int
	k    int
	rows int
}

// qpackRows bounds a chunk: 96 KiB of widened A (the 16 columns' panels
// then stream past it from L2).
const qpackBytes = 96 << 10

func (t *qgemmTable) qgemmPacked(ws *Workspace, m int, a []uint8, lda int, b *PackedQB, n0, n1 int, bias, rowCorr []int32, out *QOut, c []uint8, ldc int) {
	kp := b.KPadded()
	ldd := 2 * kp // bytes of a widened row
	mc := max(qpackBytes/ldd/t.mr*t.mr, t.mr)
	mc = min(mc, m)
	if len(ws.qa) < mc*kp {
		ws.qa = make([]int16, mc*kp)
	}
	if len(ws.qc) < mc*panelW {
		ws.qc = make([]uint8, mc*panelW)
	}
	r := &ws.q8
	rp := (*byte)(unsafe.Pointer(r))
	pk := &ws.qpack
	pkp := (*byte)(unsafe.Pointer(pk))
	r.zero, r.lo, r.hi, r.ones = out.zeroV, out.loV, out.hiV, out.onesV
	for i := range r.round {
		r.round[i] = 1 << 30
	}
	r.lda = ldd
	r.bstride = b.kg * 64
	r.kq = b.kg
	r.flags = 0
	if out.anyLShift {
		r.flags = qfLShift
	}
	bBase := unsafe.Pointer(&b.p16[0])
	p0, p1 := n0/panelW, (n1+panelW-1)/panelW
	for row := 0; row < m; row += mc {
		rows := min(mc, m-row)
		*pk = qpackArgs{src: unsafe.Pointer(&a[row*lda]), lda: lda, dst: unsafe.Pointer(&ws.qa[0]), ldd: ldd, k: kp, rows: rows}
		t.pack.call(pkp)
		sp := splitRows(rows, t.mr)
		for p := p0; p < p1; p++ {
			j0 := p * panelW
			nc := min(panelW, n1-j0)
			cb, ldcb := unsafe.Pointer(&c[row*ldc+j0]), ldc
			if nc < panelW {
				cb, ldcb = unsafe.Pointer(&ws.qc[0]), panelW
			}
			r.b = unsafe.Add(bBase, p*r.bstride)
			r.bias = unsafe.Pointer(&bias[j0])
			r.mult = unsafe.Pointer(&out.mult[j0])
			r.lsh = unsafe.Pointer(&out.lsh[j0])
			r.rsh = unsafe.Pointer(&out.rsh[j0])
			r.rm = unsafe.Pointer(&out.rm[j0])
			r.rh = unsafe.Pointer(&out.rh[j0])
			r.ldc = ldcb
			r0 := 0
			for seg := range 2 {
				nb, h := sp.nbig, sp.hi
				if seg == 1 {
					nb, h = sp.nsmall, sp.lo
				}
				if nb == 0 {
					continue
				}
				r.a = unsafe.Pointer(&ws.qa[r0*kp])
				r.c = unsafe.Add(cb, r0*ldcb)
				r.blocks = nb
				t.kern[0][h].call(rp)
				r0 += nb * h
			}
			if nc < panelW {
				for i := range rows {
					copy(c[(row+i)*ldc+j0:(row+i)*ldc+j0+nc], ws.qc[i*panelW:])
				}
			}
		}
	}
	if rowCorr != nil {
		panic("kernels: row corrections with the int16-pair layout") // PackQB folds zw into the weights
	}
	*r = qgemmArgs{}
	*pk = qpackArgs{}
}
