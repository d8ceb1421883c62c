package kernels

import (
	"fmt"
	"unsafe"
)

// Regenerate the int8 GEMM kernels (qgemm_amd64.s) and their stubs.
//go:generate go run -C _asm ./int8 -pkg kernels -out ../int8_amd64.s -stubs ../int8_amd64.go

// The int8 GEMM behind quantized pointwise, im2col and fully connected
// layers, with TensorFlow Lite's integer semantics exactly:
//
//	acc[i][j] = bias[j] + rowCorr[i] + sum_k A[i][k] * B[k][j]     int32, wrapping
//	C[i][j]   = clamp(requantize(acc[i][j], j) + Zero, Lo, Hi)      u8
//
// A holds unsigned bytes (activations; int8 data is carried offset by 128,
// see QOut), B signed bytes (weights), the sums int32 as TFLite's are. A
// model's zero points fold into the bias and the row corrections (see
// QFoldZeroPoints): sum_k (a-za)(w-zw) = sum_k a*w - za*sum_k w - zw*sum_k a +
// K*za*zw, the second and fourth terms per column, the third per row.
// requantize is TFLite's MultiplyByQuantizedMultiplier in its default build
// (SaturatingRoundingDoublingHighMul, then RoundingDivideByPOT: two
// roundings), per output channel; see _asm/int8 for how the vector kernels
// compute it. Every kernel set gives identical bytes: integer arithmetic is
// exact, and the requantization is the same function everywhere.

// qLayout is how a set's int8 GEMM wants its weights.
type qLayout uint8

const (
	// qPair16: int16 pairs of w - zw, per k pair 16 columns x 2 weights
	// (64 bytes, two AVX2 vectors: the operand layout of vpmaddwd). The
	// weight zero point is inside the weights: no row corrections.
	qPair16 qLayout = iota
	// qQuad8: the s8 weights themselves, per k quad 16 columns x 4 weights
	// (64 bytes, one AVX-512 vector: the operand layout of vpdpbusd, and
	// four NEON vectors of SDOT's). A weight zero point needs row
	// corrections (RowFactor).
	qQuad8
	// qRow16: int16 w - zw, per k 16 columns (32 bytes, two NEON vectors:
	// the operand of SMLAL by element). No row corrections.
	qRow16
)

// PackedQB is a K x N matrix of int8 weights packed for one set's int8
// GEMM: panels of 16 columns, K padded with zeros (to a multiple of 4 in
// A's bytes) and N to whole panels, in the set's layout (qLayout). It also
// knows how the weights' zero point is handled, so the caller folds the
// zero points with FoldBias and asks RowFactor whether row corrections are
// needed.
type PackedQB struct {
	K, N   int
	layout qLayout
	kg     int // k groups per panel: quads (qQuad8) or pairs (qPair16)
	panels int
	zw     int32
	aOff   int32   // the kernels multiply a - aOff (SDOT on signed bytes: 128); FoldBias adds it back
	q8     []int8  // qQuad8
	p16    []int16 // qPair16
	colSum []int32 // per column: sum over k of the stored weights
}

// PackQB packs w, a row-major K x N int8 matrix with leading dimension
// ldw >= n and zero point zw (as int8 values: a uint8 model's weights and
// zero point minus 128), for the int8 GEMM of ks.
func PackQB(ks *Set, k, n int, w []int8, zw int32, ldw int) *PackedQB {
	if k < 0 || n < 0 || ldw < n {
		panic(fmt.Sprintf("kernels.PackQB: bad shape k=%d n=%d ldw=%d", k, n, ldw))
	}
	if k > 0 && n > 0 && len(w) < (k-1)*ldw+n {
		panic(fmt.Sprintf("kernels.PackQB: len(w)=%d < %d", len(w), (k-1)*ldw+n))
	}
	if zw < -128 || zw > 127 {
		panic(fmt.Sprintf("kernels.PackQB: weight zero point %d outside [-128, 127]", zw))
	}
	p := &PackedQB{K: k, N: n, panels: (n + panelW - 1) / panelW, zw: zw, colSum: make([]int32, n)}
	kp := (k + 3) / 4 * 4
	p.layout = qPair16
	if t := ks.int8(); t != nil {
		p.layout, p.aOff = t.layout, t.aOff
	}
	if p.layout == qQuad8 {
		p.kg = kp / 4
		p.q8 = alignedBytes(p.panels * p.kg * 64)
	} else {
		p.kg = kp / 2 // k pairs (qRow16: a panel is kp rows of 32 bytes, the same size)
		p.p16 = make([]int16, p.panels*p.kg*32)
	}
	for kk := range k {
		for j := range n {
			v := int32(w[kk*ldw+j])
			if p.layout != qQuad8 {
				v -= zw
				p.p16[p.index(kk, j)] = int16(v)
			} else {
				p.q8[p.index(kk, j)] = int8(v)
			}
			p.colSum[j] += v
		}
	}
	return p
}

// index is where weight (k, j) lies in the packed data (elements).
func (p *PackedQB) index(k, j int) int {
	switch p.layout {
	case qPair16:
		return (j/panelW*p.kg+k/2)*32 + (j%panelW)*2 + k%2
	case qRow16:
		return j/panelW*p.kg*32 + k*panelW + j%panelW
	}
	return (j/panelW*p.kg+k/4)*64 + (j%panelW)*4 + k%4
}

// KPadded is K rounded up to 4: the bytes of each A row the kernels read.
func (p *PackedQB) KPadded() int { return (p.K + 3) / 4 * 4 }

// Bytes returns the size of the packed data.
func (p *PackedQB) Bytes() int { return len(p.q8) + 2*len(p.p16) }

// FoldBias returns the GEMM bias (per column, padded to whole panels) of a
// layer whose activations have zero point za, with both zero points folded
// in: sum_k (a-za)(w-zw) + bias = sum_k a*s + [bias - za*sum_k s + K*za*zs]
// + [-zs*sum_k a], where s is the stored weight (w - zw, or w) and zs its
// zero point (0, or zw); the last term is the row correction (RowFactor).
// Kernels that multiply a - aOff rather than a (NEON's SDOT, on signed
// bytes) get aOff*sum_k s back here. bias may be nil.
func (p *PackedQB) FoldBias(bias []int32, za int32) []int32 {
	zs := int32(0)
	if p.layout == qQuad8 {
		zs = p.zw
	}
	out := make([]int32, p.panels*panelW)
	for j := range p.N {
		var b int32
		if bias != nil {
			b = bias[j]
		}
		out[j] = b - za*p.colSum[j] + int32(p.K)*za*zs + p.aOff*p.colSum[j]
	}
	return out
}

// RowFactor is the factor of the row corrections the layer needs (QRowSums
// with it gives QGemm's rowCorr), or 0 when it needs none: the weights'
// zero point when the layout keeps it out of the stored weights.
func (p *PackedQB) RowFactor() int32 {
	if p.layout == qQuad8 {
		return -p.zw
	}
	return 0
}

// alignedBytes returns n zeroed bytes starting on a 64-byte boundary.
func alignedBytes(n int) []int8 {
	if n == 0 {
		return nil
	}
	buf := make([]int8, n+bAlign)
	off := 0
	if r := uintptr(unsafe.Pointer(&buf[0])) % bAlign; r != 0 {
		off = int(bAlign - r)
	}
	return buf[off : off+n : off+n]
}

// QOut is an int8 layer's output stage: per output channel TFLite's
// quantized multiplier and shift, then the output zero point and the
// activation's clamp, all in the u8 domain (int8 tensors are carried as
// u8 offset by 128: a zero point z of an int8 tensor is z+128 here, and
// its range [-128, 127] is [0, 255]). The per-channel arrays are padded to
// whole 16-column panels.
type QOut struct {
	n                      int
	mult, lsh, rsh, rm, rh []int32 // mult has one more element (the odd lanes' read)
	anyLShift              bool
	zero, lo, hi           int32
	zeroV, loV, hiV, onesV [16]int32
}

// NewQOut builds an output stage for n channels from TFLite's per-channel
// quantized multipliers (in [2^30, 2^31), or 0) and shifts (positive: left),
// the output zero point and the clamp bounds (both in [0, 255], the zero
// point included). One multiplier and shift may serve every channel.
func NewQOut(n int, mult []int32, shift []int, zero, lo, hi int32) (*QOut, error) {
	if len(mult) != len(shift) || (len(mult) != n && len(mult) != 1) {
		return nil, fmt.Errorf("int8 output stage: %d multipliers, %d shifts for %d channels", len(mult), len(shift), n)
	}
	if lo < 0 || hi > 255 || lo > hi || zero < 0 || zero > 255 {
		return nil, fmt.Errorf("int8 output stage: zero point %d, clamp [%d, %d] outside [0, 255]", zero, lo, hi)
	}
	pad := (n + panelW - 1) / panelW * panelW
	q := &QOut{n: n, zero: zero, lo: lo, hi: hi,
		mult: make([]int32, pad+1), lsh: make([]int32, pad), rsh: make([]int32, pad),
		rm: make([]int32, pad), rh: make([]int32, pad)}
	for j := range n {
		m, s := mult[0], shift[0]
		if len(mult) == n {
			m, s = mult[j], shift[j]
		}
		if m < 0 || (m != 0 && m < 1<<30) {
			return nil, fmt.Errorf("int8 output stage: channel %d: multiplier %d outside [2^30, 2^31)", j, m)
		}
		if s < -31 || s > 31 {
			return nil, fmt.Errorf("int8 output stage: channel %d: shift %d outside [-31, 31]", j, s)
		}
		q.mult[j] = m
		if s > 0 {
			q.lsh[j] = int32(s)
			q.anyLShift = true
		} else {
			q.rsh[j] = int32(-s)
		}
		q.rm[j] = 1<<q.rsh[j] - 1
		q.rh[j] = q.rm[j] >> 1
	}
	for i := range q.zeroV {
		q.zeroV[i], q.loV[i], q.hiV[i], q.onesV[i] = zero, lo, hi, 1
	}
	return q, nil
}

// Requantize is TFLite's MultiplyByQuantizedMultiplier (default build:
// double rounding) for multiplier mult (in [2^30, 2^31), or 0) and shift
// (positive: left): the generic kernels' output stage.
func Requantize(acc, mult int32, shift int) int32 {
	l, r := 0, 0
	if shift > 0 {
		l = shift
	} else {
		r = -shift
	}
	return requant(acc, mult, int32(l), int32(r))
}

// requant is Requantize with the shift split into its left and right parts.
func requant(acc, mult, lsh, rsh int32) int32 {
	x := acc << lsh // wraps, as int32 multiplication by 1<<lsh does in TFLite
	// SaturatingRoundingDoublingHighMul: (x*m + nudge) / 2^31 truncated,
	// nudge 2^30 or 1-2^30 by the product's sign, equals (x*m + 2^30) >> 31
	// arithmetic; the saturating case needs m = INT32_MIN.
	x = int32((int64(x)*int64(mult) + 1<<30) >> 31)
	// RoundingDivideByPOT: round half away from zero.
	mask := int32(1)<<rsh - 1
	rem := x & mask
	thr := mask >> 1
	if x < 0 {
		thr++
	}
	x >>= rsh
	if rem > thr {
		x++
	}
	return x
}

// store returns the output byte of channel j for accumulator acc.
func (q *QOut) store(acc int32, j int) uint8 {
	v := requant(acc, q.mult[j], q.lsh[j], q.rsh[j]) + q.zero
	return uint8(min(max(v, q.lo), q.hi))
}

// QGemm computes C[i][j] = clamp(requantize(bias[j] + rowCorr[i] + sum_k
// A[i][k]*B[k][j]) + Zero) for i in [0, m), j in [n0, n1) with the kernels
// of ks (argument records in ws; nil: a Workspace of its own, which
// allocates). A is row-major u8 with leading dimension lda; each row's
// b.KPadded() bytes are read (those past K are multiplied by zero weights),
// so len(a) >= (m-1)*lda + b.KPadded(). bias has one int32 per column,
// padded to whole panels (len >= 16*ceil(N/16)); rowCorr, one per row, may
// be nil. C is u8 with leading dimension ldc; only [0,m) x [n0,n1) is
// written. n0 is a multiple of 16 and n1 one or N. Every set gives the
// same bytes, however the rows and columns are split.
func QGemm(ks *Set, ws *Workspace, m int, a []uint8, lda int, b *PackedQB, n0, n1 int, bias, rowCorr []int32, out *QOut, c []uint8, ldc int) {
	switch {
	case !ks.native:
		panic(fmt.Sprintf("kernels.QGemm: kernel set %v not supported here", ks))
	case m < 0 || n0 < 0 || n1 > b.N || n0 > n1:
		panic(fmt.Sprintf("kernels.QGemm: bad range m=%d [%d,%d) of N=%d", m, n0, n1, b.N))
	case n0%panelW != 0 || (n1%panelW != 0 && n1 != b.N):
		panic(fmt.Sprintf("kernels.QGemm: [%d,%d) not on %d-column panels (N=%d)", n0, n1, panelW, b.N))
	case out.n != b.N:
		panic(fmt.Sprintf("kernels.QGemm: output stage for %d channels, B has %d", out.n, b.N))
	case len(bias) < b.panels*panelW:
		panic(fmt.Sprintf("kernels.QGemm: %d biases, want %d (whole panels)", len(bias), b.panels*panelW))
	}
	if m == 0 || n0 == n1 {
		return
	}
	switch {
	case lda < 0 || len(a) < (m-1)*lda+b.KPadded():
		panic(fmt.Sprintf("kernels.QGemm: A too short or lda=%d < 0 (len %d, m %d, row %d bytes)", lda, len(a), m, b.KPadded()))
	case ldc < n1 || len(c) < (m-1)*ldc+n1:
		panic(fmt.Sprintf("kernels.QGemm: C too short or ldc=%d < n1=%d (len %d, m %d)", ldc, n1, len(c), m))
	case rowCorr != nil && len(rowCorr) < m:
		panic(fmt.Sprintf("kernels.QGemm: %d row corrections for %d rows", len(rowCorr), m))
	}
	if t := ks.int8(); t != nil && t.gemm != nil && t.layout == b.layout && t.aOff == b.aOff {
		if t.gemm.pack.ok() {
			t.gemm.qgemmPacked(workspace(ws), m, a, lda, b, n0, n1, bias, rowCorr, out, c, ldc)
		} else {
			t.gemm.qgemm(workspace(ws), m, a, lda, b, n0, n1, bias, rowCorr, out, c, ldc)
		}
		return
	}
	qgemmGeneric(m, a, lda, b, n0, n1, bias, rowCorr, out, c, ldc)
}

// qgemmGeneric is the portable int8 GEMM: one column and row at a time,
// over either layout.
func qgemmGeneric(m int, a []uint8, lda int, b *PackedQB, n0, n1 int, bias, rowCorr []int32, out *QOut, c []uint8, ldc int) {
	for j := n0; j < n1; j++ {
		base, step, group := b.index(0, j), 32, 2
		switch b.layout {
		case qQuad8:
			step, group = 64, 4
		case qRow16:
			step, group = panelW, 1
		}
		for i := range m {
			row := a[i*lda : i*lda+b.K]
			acc := bias[j]
			if rowCorr != nil {
				acc += rowCorr[i]
			}
			for kk, x := range row {
				off := base + kk/group*step + kk%group
				if b.layout == qQuad8 {
					acc += (int32(x) - b.aOff) * int32(b.q8[off])
				} else {
					acc += int32(x) * int32(b.p16[off])
				}
			}
			c[i*ldc+j] = out.store(acc, j)
		}
	}
}

// QRowSums sets out[i] = factor * sum_{t<k} A[i][t] for m rows of A: the
// row corrections QGemm needs when the weights' zero point is not inside
// the packed weights (factor PackedQB.RowFactor), with the kernels of ks
// (argument record in ws; nil: one of its own, which allocates).
func QRowSums(ks *Set, ws *Workspace, m int, a []uint8, lda, k int, factor int32, out []int32) {
	if m <= 0 {
		return
	}
	if k < 0 || lda < k || len(a) < (m-1)*lda+k || len(out) < m {
		panic(fmt.Sprintf("kernels.QRowSums: %d rows of %d bytes (lda %d) in %d bytes into %d", m, k, lda, len(a), len(out)))
	}
	if t := ks.int8(); t != nil && t.rowSum.ok() && k > 0 {
		qrowsumSIMD(t.rowSum, workspace(ws), m, a, lda, k, factor, out)
		return
	}
	for i := range m {
		s := int32(0)
		for _, v := range a[i*lda : i*lda+k] {
			s += int32(v)
		}
		out[i] = factor * s
	}
}
