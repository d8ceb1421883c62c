package main

import "fmt"

// The int8 kernels: u8 activations, s8 weights (minus their zero point for
// the widening kernels), int32 sums that wrap as TFLite's do, and TFLite's
// requantization (MultiplyByQuantizedMultiplier, default build) exactly:
//
//	x = acc << L                       SSHL by the column's left shift (qfLShift only)
//	x = SQRDMULH(x, M)                 = (x*M + 2^30) >> 31, TFLite's
//	                                     SaturatingRoundingDoublingHighMul: the
//	                                     instruction is that function (it saturates
//	                                     only for INT32_MIN * INT32_MIN; M >= 0)
//	x = SRSHL(SQADD(x, (x & -R) >> 31), -R)
//	                                   RoundingDivideByPOT as gemmlowp's NEON
//	                                     code computes it: SRSHL by -R rounds half
//	                                     up; subtracting 1 first from a negative x
//	                                     (the fixup, only when R > 0) moves exactly
//	                                     the ties, so they round away from zero
//	out = min(max(x + zo, lo), hi)     then narrowed to bytes
//
// Every step is exact, so the bytes are TFLite's and those of every other
// set; TestRequantNEON (kernels package, arm64) checks the sequence
// against Requantize over random and edge inputs, and the GEMM and
// depthwise tests compare every byte with TFLite's literal arithmetic.
//
// qgemmDot (neondot, ARMv8.2): SDOT by element on the qQuad8 layout (per
// k quad, 16 columns x 4 bytes: four vectors, lane j of vector v holding
// column 4v+j's four weights). SDOT multiplies signed bytes, so A's bytes
// are flipped to a - 128 (EOR 0x80, one per 16 bytes of A, i.e. per 16
// SDOTs) and FoldBias adds 128*sum_k w back (PackedQB.aOff): exact.
//
// qgemmNEON (neon, ARMv8.0): SMLAL/SMLAL2 by element on the qRow16 layout
// (int16 w - zw, 16 columns per k: two vectors), A widened to int16 in
// registers (UXTL); a product is at most 255*255 and the int32 sums wrap.

// qgemmArgs offsets (../../qgemm_simd.go, checked by TestQGemmArgsLayout).
const (
	qA       = 0
	qLda     = 8
	qB       = 16
	qBstride = 24
	qKQ      = 32
	qC       = 40
	qLdc     = 48
	qBlocks  = 56
	qBias    = 64
	qRowCorr = 72
	qMult    = 80
	qLShift  = 88
	qRShift  = 96
	qFlags   = 120
	qZo      = 192
	qLo      = 256
	qHi      = 320
)

// Flag bits (qf* in ../../qgemm_simd.go) as bit numbers.
const (
	bRowCorr = 0
	bLShift  = 1
)

// uzp1 is UZP1 Vd.T, Vn.T, Vm.T: the even elements of n then of m.
func uzp1(a arr, d, n, m V) enc {
	return enc{0x0e001800 | a.q<<30 | a.size<<22 | uint32(m)<<16 | rd(d, n), fmt.Sprintf("uzp1 %s, %s, %s", vn(d, a), vn(n, a), vn(m, a))}
}

// requantRegs are the registers requantize uses: the column vectors and a
// temporary.
type requantRegs struct {
	mult, negR, lsh, zo, lo, hi, t V
}

// requantCols loads the requantization constants of 4 columns (byte
// offset off in the per-column arrays at R (mult), Rr (rsh), Rl (lsh)).
func requantCols(g *gen, q requantRegs, mult, rsh, lsh R, off int, lshift bool) {
	g.I("FMOVQ %d(%v), %s", off, mult, q.mult.F())
	g.I("FMOVQ %d(%v), %s", off, rsh, q.negR.F())
	g.W(neg(q.negR, q.negR))
	if lshift {
		g.I("FMOVQ %d(%v), %s", off, lsh, q.lsh.F())
	}
}

// requantize applies the output stage to x (4 int32 lanes) in place.
func requantize(g *gen, q requantRegs, x V, lshift bool) {
	if lshift {
		g.W(sshl(a4S, x, x, q.lsh))
	}
	g.W(sqrdmulh(a4S, x, x, q.mult))
	g.I("VAND %s, %s, %s", q.negR.B16(), x.B16(), q.t.B16())
	g.W(sshr(q.t, q.t, 31))
	g.W(sqadd(a4S, x, x, q.t))
	g.W(srshl(a4S, x, x, q.negR))
	g.W(addv(a4S, x, x, q.zo))
	g.W(smax(a4S, x, x, q.lo))
	g.W(smin(a4S, x, x, q.hi))
}

// narrow packs four vectors of values in [0, 255] into the bytes of d
// (x0's lanes first); x0..x3 are clobbered.
func narrow(g *gen, d V, x []V) {
	g.W(uzp1(a8H, x[0], x[0], x[1]))
	g.W(uzp1(a8H, x[2], x[2], x[3]))
	g.W(uzp1(a16B, d, x[0], x[2]))
}

// qgemmKernel emits qgemmDot_{mr}x16 (dot) or qgemmNEON_{mr}x16.
//
// Registers: R1 the next block's A, R2 lda, R3 B, R6 C, R7 blocks left,
// R8 and R19 temporaries, R10-R15 the block's A rows, R16 ldc, R17 flags,
// R20 the row corrections' cursor, R21-R23 the multiplier, right and left
// shift arrays.
func qgemmKernel(g *gen, mr int, dot bool) {
	name := fmt.Sprintf("qgemmNEON_%dx16", mr)
	doc := fmt.Sprintf("computes blocks x %d rows by 16 columns of an int8 GEMM on int16 multiplies (SMLAL); see the generator.", mr)
	if dot {
		name = fmt.Sprintf("qgemmDot_%dx16", mr)
		doc = fmt.Sprintf("computes blocks x %d rows by 16 columns of an int8 GEMM on dot products (SDOT); see the generator.", mr)
	}
	g.text(name, doc)
	var va vecAlloc
	var av []V
	if !dot {
		av = va.many(mr) // SMLAL by element: the H operand must be V0-V15
	}
	acc := make([][]V, mr)
	for r := range acc {
		acc[r] = va.many(4)
	}
	if dot {
		av = va.many(mr)
	}
	var b0, b1, flip V
	if dot {
		b0, flip = va.one(), va.one()
	} else {
		b0, b1 = va.one(), va.one()
	}
	rows := []R{10, 11, 12, 13, 14, 15}

	g.loadArg(1, qA)
	g.loadArg(2, qLda)
	g.loadArg(6, qC)
	g.loadArg(16, qLdc)
	g.loadArg(7, qBlocks)
	g.loadArg(17, qFlags)
	g.loadArg(20, qRowCorr)
	g.loadArg(21, qMult)
	g.loadArg(22, qRShift)
	g.loadArg(23, qLShift)
	g.I("CBZ R7, %s", g.lbl("ret"))
	if dot {
		g.I("VMOVI $128, %s", flip.B16())
	}

	g.L("block")
	g.loadArg(8, qBias)
	loadRow(g, 8, acc[0])
	for r := 1; r < mr; r++ {
		for v := range 4 {
			g.I("VMOV %s, %s", acc[0][v].B16(), acc[r][v].B16())
		}
	}
	g.I("TBZ $%d, R17, %s", bRowCorr, g.lbl("norc"))
	for r := range mr {
		t := av[0] // free until the k loop loads it
		g.I("VLD1R.P 4(R20), [%s]", t.S4())
		for v := range 4 {
			g.W(addv(a4S, acc[r][v], acc[r][v], t))
		}
	}
	g.L("norc")

	g.I("MOVD R1, R10")
	for r := 1; r < mr; r++ {
		g.I("ADD R2, %v, %v", rows[r-1], rows[r])
	}
	g.I("ADD R2, %v, R1", rows[mr-1])
	g.loadArg(3, qB)
	g.loadArg(8, qKQ)
	if dot {
		// 4 k quads per step: one 16-byte load of each A row.
		g.I("LSR $2, R8, R19")
		g.I("CBZ R19, %s", g.lbl("ktail"))
		g.L("kloop")
		for r := range mr {
			g.I("FMOVQ.P 16(%v), %s", rows[r], av[r].F())
			g.I("VEOR %s, %s, %s", flip.B16(), av[r].B16(), av[r].B16())
		}
		for u := range 4 {
			for v := range 4 {
				g.I("FMOVQ %d(R3), %s", 64*u+16*v, b0.F())
				for r := range mr {
					g.W(dot4(acc[r][v], b0, av[r], u))
				}
			}
		}
		g.I("ADD $256, R3, R3")
		g.I("SUBS $1, R19, R19")
		g.I("BNE %s", g.lbl("kloop"))
		g.L("ktail")
		g.I("ANDS $3, R8, R19")
		g.I("BEQ %s", g.lbl("kdone"))
		g.L("kloop1")
		for r := range mr {
			g.I("FMOVS.P 4(%v), %s", rows[r], av[r].F())
			g.I("VEOR %s, %s, %s", flip.B16(), av[r].B16(), av[r].B16())
		}
		for v := range 4 {
			g.I("FMOVQ %d(R3), %s", 16*v, b0.F())
			for r := range mr {
				g.W(dot4(acc[r][v], b0, av[r], 0))
			}
		}
		g.I("ADD $64, R3, R3")
		g.I("SUBS $1, R19, R19")
		g.I("BNE %s", g.lbl("kloop1"))
	} else {
		// kq counts k pairs: 8 k (4 pairs) per step, one 8-byte load of
		// each A row widened to int16; then 4 k at most (kp is a multiple
		// of 4).
		g.I("LSR $2, R8, R19")
		g.I("CBZ R19, %s", g.lbl("ktail"))
		g.L("kloop")
		for r := range mr {
			g.I("FMOVD.P 8(%v), %s", rows[r], av[r].F())
			g.W(uxtl(av[r], av[r]))
		}
		wideSteps(g, 8, acc, av, b0, b1)
		g.I("ADD $256, R3, R3")
		g.I("SUBS $1, R19, R19")
		g.I("BNE %s", g.lbl("kloop"))
		g.L("ktail")
		g.I("TBZ $1, R8, %s", g.lbl("kdone"))
		for r := range mr {
			g.I("FMOVS.P 4(%v), %s", rows[r], av[r].F())
			g.W(uxtl(av[r], av[r]))
		}
		wideSteps(g, 4, acc, av, b0, b1)
		g.I("ADD $128, R3, R3")
	}
	g.L("kdone")

	// Output stage, 4 columns at a time over all rows, then the bytes.
	var free []V
	free = append(free, av...)
	if dot {
		free = append(free, b0) // not flip: the next block needs it
	} else {
		free = append(free, b0, b1)
	}
	for va.n < 32 {
		free = append(free, va.one())
	}
	if len(free) < 7 {
		panic(name + ": too few registers for the output stage")
	}
	q := requantRegs{mult: free[0], negR: free[1], lsh: free[2], zo: free[3], lo: free[4], hi: free[5], t: free[6]}
	g.I("FMOVQ %d(R0), %s", qZo, q.zo.F())
	g.I("FMOVQ %d(R0), %s", qLo, q.lo.F())
	g.I("FMOVQ %d(R0), %s", qHi, q.hi.F())
	for _, lsh := range []bool{false, true} {
		lbl := "rq"
		if lsh {
			lbl = "rql"
			g.L(lbl)
		} else {
			g.I("TBNZ $%d, R17, %s", bLShift, g.lbl("rql"))
		}
		for v := range 4 {
			requantCols(g, q, 21, 22, 23, 16*v, lsh)
			for r := range mr {
				requantize(g, q, acc[r][v], lsh)
			}
		}
		if !lsh {
			g.I("B %s", g.lbl("rqdone"))
		}
	}
	g.L("rqdone")
	for r := range mr {
		narrow(g, acc[r][0], acc[r])
		g.I("FMOVQ %s, (R6)", acc[r][0].F())
		g.I("ADD R16, R6, R6")
	}
	g.I("SUBS $1, R7, R7")
	g.I("BNE %s", g.lbl("block"))
	g.L("ret")
	g.I("RET")
}

// dot4 is the by-element SDOT of the kernels.
func dot4(d, n, m V, i int) enc { return dot(d, n, m, i, false) }

// wideSteps emits k steps 0..n-1 of the widening kernel: per k, the 16
// int16 weights (two vectors, B + 32k) times lane k of each row's widened
// A, into the row's four accumulators.
func wideSteps(g *gen, n int, acc [][]V, av []V, b0, b1 V) {
	for k := range n {
		g.I("FLDPQ %d(R3), (%s, %s)", 32*k, b0.F(), b1.F())
		for r := range acc {
			g.W(smlalElem(acc[r][0], b0, av[r], k, false))
			g.W(smlalElem(acc[r][1], b0, av[r], k, true))
			g.W(smlalElem(acc[r][2], b1, av[r], k, false))
			g.W(smlalElem(acc[r][3], b1, av[r], k, true))
		}
	}
}

// qpeakKernel emits the int8 peak loops: peakDotNEON, nacc independent
// SDOTs (16 MACs each), or peakQNEON, nacc SMLALs (4 MACs each).
func qpeakKernel(g *gen, nacc int, dotp bool) {
	name, doc := "peakQNEON", fmt.Sprintf("runs iters x %d independent SMLAL (4 int16 MACs each) on registers.", nacc)
	if dotp {
		name, doc = "peakDotNEON", fmt.Sprintf("runs iters x %d independent SDOT (16 int8 MACs each) on registers.", nacc)
	}
	g.text(name, doc)
	for i := range nacc + 2 {
		g.I("VEOR V%d.B16, V%d.B16, V%d.B16", i, i, i)
	}
	g.I("MOVD (R0), R1")
	g.I("CBZ R1, %s", g.lbl("done"))
	g.L("loop")
	x, y := V(nacc), V(nacc+1)
	if !dotp {
		x, y = 0, 1 // the by-element operand must be V0-V15
	}
	for i := range nacc {
		if dotp {
			g.W(dot(V(i), x, y, i%4, false))
		} else {
			g.W(smlalElem(V(i+2), x, y, i%8, false))
		}
	}
	g.I("SUBS $1, R1, R1")
	g.I("BNE %s", g.lbl("loop"))
	g.L("done")
	g.I("RET")
}

// qdwArgs offsets (../../qdwconv_simd.go, checked by TestQDWArgsLayout).
const (
	qdIn     = 0
	qdW      = 8
	qdBias   = 16
	qdOut    = 24
	qdCS     = 32
	qdRSAdj  = 40
	qdWStep  = 48
	qdWRSAdj = 56
	qdNKH    = 64
	qdNKW    = 72
	qdNVec   = 80
	qdN      = 96
	qdPStep  = 104
	qdOStep  = 112
	qdMult   = 120
	qdLShift = 128
	qdRShift = 136
	qdFlags  = 160
	qdZo     = 192
	qdLo     = 256
	qdHi     = 320
	qdZx     = 512
)

// qdwKernel emits qdwNEON: n output pixels of an int8 depthwise
// convolution over the same nkh x nkw rectangle of in-bounds taps, 8
// channels per vector (C a multiple of 8; the driver sends other channel
// counts to the generic kernel), 32 channels per body while they last:
//
//	acc = bias; per tap: acc += (x - zx) * w        USUBL (u8 - u8 as int16, exact:
//	                                                 |x - zx| <= 255), SMLAL/SMLAL2
//	out = requantize(acc) + zo, clamped, narrowed
//
// The weights are the packed int32 ones whose high halves are zero
// (PackedQDW.padded): LD2 of their int16 halves leaves w in one register.
// Both arm64 sets use it: SDOT needs each channel's taps in adjacent bytes
// (a transpose of the input per pixel) and signed bytes, which x - zx
// (up to 255 in magnitude) is not.
//
// Registers: R1 the pixel's input, R2 its output, R3 pixels left, R4 cs,
// R5 rsAdj, R6 wstep, R7 wrsAdj, R8 the channel offset, R9 the input
// cursor, R10 the weight cursor, R11 and R12 the row and column counters,
// R13 and R14 temporaries, R15 bias, R16 mult, R17 rsh, R19 lsh, R20 pstep,
// R21 ostep, R22 and R23 the channel loop counters, R24 the weights, R25
// flags.
func qdwKernel(g *gen) {
	g.text("qdwNEON", "computes a.n output pixels of an int8 depthwise convolution over an nkh x nkw rectangle of taps (NEON, 8 channels per vector, no partial vector).")
	for _, a := range []struct {
		r   R
		off int
	}{{1, qdIn}, {2, qdOut}, {3, qdN}, {4, qdCS}, {5, qdRSAdj}, {6, qdWStep}, {7, qdWRSAdj}, {15, qdBias},
		{16, qdMult}, {17, qdRShift}, {19, qdLShift}, {20, qdPStep}, {21, qdOStep}, {24, qdW}, {25, qdFlags}} {
		g.loadArg(a.r, a.off)
	}
	zx, zo, lo, hi := V(31), V(30), V(29), V(28)
	g.I("MOVW %d(R0), R13", qdZx)
	g.I("VDUP R13, %s", zx.B16())
	g.I("FMOVQ %d(R0), %s", qdZo, zo.F())
	g.I("FMOVQ %d(R0), %s", qdLo, lo.F())
	g.I("FMOVQ %d(R0), %s", qdHi, hi.F())
	g.L("pixel")
	g.I("MOVD ZR, R8")
	g.loadArg(22, qdNVec)
	g.I("LSR $2, R22, R22")
	g.I("CBZ R22, %s", g.lbl("v4_end"))
	g.L("v4")
	qdwBody(g, 4, zx, zo, lo, hi, "b4")
	g.I("ADD $32, R8, R8")
	g.I("SUBS $1, R22, R22")
	g.I("BNE %s", g.lbl("v4"))
	g.L("v4_end")
	g.loadArg(23, qdNVec)
	g.I("ANDS $3, R23, R23")
	g.I("BEQ %s", g.lbl("v1_end"))
	g.L("v1")
	qdwBody(g, 1, zx, zo, lo, hi, "b1")
	g.I("ADD $8, R8, R8")
	g.I("SUBS $1, R23, R23")
	g.I("BNE %s", g.lbl("v1"))
	g.L("v1_end")
	g.I("ADD R20, R1, R1")
	g.I("ADD R21, R2, R2")
	g.I("SUBS $1, R3, R3")
	g.I("BNE %s", g.lbl("pixel"))
	g.I("RET")
}

// qdwBody computes nv vectors of 8 channels from the channel offset R8.
func qdwBody(g *gen, nv int, zx, zo, lo, hi V, label string) {
	var va vecAlloc
	acc := va.many(2 * nv)
	x := va.many((nv + 1) / 2)
	x16 := va.many(nv)
	w := va.many(2 * nv) // LD2 pairs: w[2i] the weights, w[2i+1] the zero halves
	q := requantRegs{zo: zo, lo: lo, hi: hi}
	q.mult, q.negR, q.lsh, q.t = va.one(), va.one(), va.one(), va.one()
	if va.n > 28 {
		panic("qdwBody: registers")
	}
	g.I("ADD R8<<2, R15, R13")
	loadVecs(g, acc, 13, 0, 0)
	g.I("ADD R8, R1, R9")
	g.I("ADD R8<<2, R24, R10")
	g.loadArg(11, qdNKH)
	g.L(label + "_kh")
	g.loadArg(12, qdNKW)
	g.L(label + "_kw")
	if nv == 4 {
		g.I("FLDPQ (R9), (%s, %s)", x[0].F(), x[1].F())
		for i := range 4 {
			g.W(usubl(x16[i], x[i/2], zx, i%2 == 1))
		}
	} else {
		g.I("FMOVD (R9), %s", x[0].F())
		g.W(usubl(x16[0], x[0], zx, false))
	}
	g.I("MOVD R10, R13")
	for i := range nv {
		g.I("VLD2.P 32(R13), [V%d.H8, V%d.H8]", int(w[2*i]), int(w[2*i+1]))
	}
	for i := range nv {
		g.W(smlal(acc[2*i], x16[i], w[2*i], false))
		g.W(smlal(acc[2*i+1], x16[i], w[2*i], true))
	}
	g.I("ADD R4, R9, R9")
	g.I("ADD R6, R10, R10")
	g.I("SUBS $1, R12, R12")
	g.I("BNE %s", g.lbl(label+"_kw"))
	g.I("ADD R5, R9, R9")
	g.I("ADD R7, R10, R10")
	g.I("SUBS $1, R11, R11")
	g.I("BNE %s", g.lbl(label+"_kh"))

	g.I("ADD R8<<2, R16, R13")
	g.I("ADD R8<<2, R17, R14")
	g.I("ADD R8<<2, R19, R12")
	for _, lsh := range []bool{false, true} {
		if lsh {
			g.L(label + "_rql")
		} else {
			g.I("TBNZ $%d, R25, %s", bLShift, g.lbl(label+"_rql"))
		}
		for v := range 2 * nv {
			requantCols(g, q, 13, 14, 12, 16*v, lsh)
			requantize(g, q, acc[v], lsh)
		}
		if !lsh {
			g.I("B %s", g.lbl(label+"_rqdone"))
		}
	}
	g.L(label + "_rqdone")
	g.I("ADD R8, R2, R13")
	if nv == 4 {
		narrow(g, acc[0], acc[0:4])
		narrow(g, acc[4], acc[4:8])
		g.I("FSTPQ (%s, %s), (R13)", acc[0].F(), acc[4].F())
	} else {
		g.W(uzp1(a8H, acc[0], acc[0], acc[1]))
		g.W(uzp1(a16B, acc[0], acc[0], acc[0]))
		g.I("FMOVD %s, (R13)", acc[0].F())
	}
}
