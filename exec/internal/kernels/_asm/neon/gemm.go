package main

import "fmt"

// gemmArgs offsets (../../gemm_simd.go, checked by TestGemmArgsLayout).
const (
	gA       = 0
	gLda     = 8
	gB       = 16
	gBstride = 24
	gK       = 32
	gSegs    = 40
	gSegadj  = 48
	gC       = 56
	gLdc     = 64
	gBlocks  = 72
	gBias    = 80
	gFlags   = 88
	gThree   = 256
	gSix     = 320
	gSixth   = 384
	gRes     = 448
	gLdr     = 456
	gResCur  = 464
)

// Flag bits (kf* in ../../gemm_simd.go), as bit numbers for TBZ/TBNZ.
const (
	bMax      = 0 // kfMax
	bMin      = 1 // kfMin
	bAccum    = 2 // kfAccum
	bBias     = 4 // kfBias
	bHSwish   = 6 // kfHSwish
	bHSigmoid = 7 // kfHSigmoid
	bResidual = 8 // kfResidual
)

const panelW = 16

// gemmShapes are the NEON micro-kernels: mr x 16 for mr = 1..6 (4*mr
// accumulators, mr A vectors, 2 B vectors: 32 registers at mr = 6) and
// mr x 32 for mr = 1..3 (8*mr accumulators), which serve blocks of up to 3
// rows: a 1-row block then has 8 independent FMA chains instead of 4,
// enough to cover the FMLA latency (4 cycles) on two pipes.
var gemmShapes = []struct{ np, maxMR int }{{1, 6}, {2, 3}}

// gemmKernel emits gemmNEON_{mr}x{16np}: blocks x mr rows by 16*np
// columns (see the package comment for the arithmetic).
//
// Registers: R1 the next block's A, R2 lda, R3/R5 B (first/second
// panel), R4 bstride, R6 C, R7 blocks left, R8 and R19 temporaries, R9
// segments left, R10-R15 the block's A rows, R16 ldc, R17 flags.
func gemmKernel(g *gen, mr, np int) {
	nvec := 4 * np
	name := fmt.Sprintf("gemmNEON_%dx%d", mr, 16*np)
	g.text(name, fmt.Sprintf("computes blocks x %d rows by %d columns of C; see the generator.", mr, 16*np))
	acc := make([][]V, mr)
	n := V(0)
	for r := range acc {
		for range nvec {
			acc[r] = append(acc[r], n)
			n++
		}
	}
	av := make([]V, mr)
	for r := range av {
		av[r] = n
		n++
	}
	b0, b1 := n, n+1
	if n+2 > 32 {
		panic(name + ": too many registers")
	}
	var free []V // outside the accumulators (epilogue temporaries)
	for v := V(4 * np * mr); v < 32; v++ {
		free = append(free, v)
	}
	rows := []R{10, 11, 12, 13, 14, 15}

	g.loadArg(1, gA)
	g.loadArg(2, gLda)
	g.loadArg(6, gC)
	g.loadArg(16, gLdc)
	g.loadArg(7, gBlocks)
	g.loadArg(4, gBstride)
	g.I("CBZ R7, %s", g.lbl("ret"))
	g.loadArg(8, gRes)
	g.storeArg(8, gResCur)

	g.L("block")
	g.loadArg(17, gFlags)
	g.I("TBNZ $%d, R17, %s", bAccum, g.lbl("initc"))
	g.I("TBZ $%d, R17, %s", bBias, g.lbl("initzero"))
	g.loadArg(8, gBias)
	loadRow(g, 8, acc[0])
	for r := 1; r < mr; r++ {
		for v := range nvec {
			g.I("VMOV %s, %s", acc[0][v].B16(), acc[r][v].B16())
		}
	}
	g.I("B %s", g.lbl("initdone"))
	g.L("initzero")
	for r := range mr {
		for _, x := range acc[r] {
			g.I("VEOR %s, %s, %s", x.B16(), x.B16(), x.B16())
		}
	}
	g.I("B %s", g.lbl("initdone"))
	g.L("initc")
	g.I("MOVD R6, R8")
	for r := range mr {
		loadRow(g, 8, acc[r])
		if r < mr-1 {
			g.I("ADD R16, R8, R8")
		}
	}
	g.L("initdone")

	// Row pointers; R1 moves on to the next block.
	g.I("MOVD R1, R10")
	for r := 1; r < mr; r++ {
		g.I("ADD R2, %v, %v", rows[r-1], rows[r])
	}
	g.I("ADD R2, %v, R1", rows[mr-1])
	g.loadArg(3, gB)
	g.loadArg(9, gSegs)

	// step emits one k step (index u of the loaded A vectors, B at byte
	// offset 64*u of the cursors).
	step := func(u int) {
		for v := 0; v < nvec; v += 2 {
			base := R(3)
			if v >= 4 {
				base = 5
			}
			g.I("FLDPQ %d(%v), (%s, %s)", 64*u+(v%4)*16, base, b0.F(), b1.F())
			for r := range mr {
				g.W(fmlaElem(acc[r][v], b0, av[r], u))
			}
			for r := range mr {
				g.W(fmlaElem(acc[r][v+1], b1, av[r], u))
			}
		}
	}
	g.L("seg")
	if np == 2 {
		g.I("ADD R4, R3, R5")
	}
	g.loadArg(8, gK)
	g.I("LSR $2, R8, R19")
	g.I("CBZ R19, %s", g.lbl("ktail"))
	g.L("kloop")
	for r := range mr {
		g.I("FMOVQ.P 16(%v), %s", rows[r], av[r].F())
	}
	for u := range 4 {
		step(u)
	}
	g.I("ADD $256, R3, R3")
	if np == 2 {
		g.I("ADD $256, R5, R5")
	}
	g.I("SUBS $1, R19, R19")
	g.I("BNE %s", g.lbl("kloop"))
	g.L("ktail")
	g.I("ANDS $3, R8, R19")
	g.I("BEQ %s", g.lbl("segend"))
	g.L("kloop1")
	for r := range mr {
		g.I("FMOVS.P 4(%v), %s", rows[r], av[r].F())
	}
	step(0)
	g.I("ADD $64, R3, R3")
	if np == 2 {
		g.I("ADD $64, R5, R5")
	}
	g.I("SUBS $1, R19, R19")
	g.I("BNE %s", g.lbl("kloop1"))
	g.L("segend")
	g.I("SUBS $1, R9, R9")
	g.I("BEQ %s", g.lbl("segsdone"))
	g.loadArg(8, gSegadj)
	for r := range mr {
		g.I("ADD R8, %v, %v", rows[r], rows[r])
	}
	g.I("B %s", g.lbl("seg"))
	g.L("segsdone")

	// Residual: acc += R (its rows ldr apart); the cursor moves on.
	g.I("TBZ $%d, R17, %s", bResidual, g.lbl("nores"))
	g.loadArg(8, gResCur)
	g.loadArg(19, gLdr)
	t := free[len(free)-1]
	for r := range mr {
		for v := range nvec {
			g.I("FMOVQ %d(R8), %s", 16*v, t.F())
			g.W(fadd(a4S, acc[r][v], acc[r][v], t))
		}
		g.I("ADD R19, R8, R8")
	}
	g.storeArg(8, gResCur)
	g.L("nores")

	var all []V
	for r := range mr {
		all = append(all, acc[r]...)
	}
	epilogue(g, all, free, gThree, gSix, gSixth)

	// Store; C moves on to the next block.
	for r := range mr {
		for v := 0; v < nvec; v += 2 {
			g.I("FSTPQ (%s, %s), %d(R6)", acc[r][v].F(), acc[r][v+1].F(), 16*v)
		}
		g.I("ADD R16, R6, R6")
	}
	g.I("SUBS $1, R7, R7")
	g.I("BNE %s", g.lbl("block"))
	g.L("ret")
	g.I("RET")
}

// loadRow loads len(dst) consecutive vectors from base (pairs with LDP).
func loadRow(g *gen, base R, dst []V) {
	for v := 0; v < len(dst); v += 2 {
		g.I("FLDPQ %d(%v), (%s, %s)", 16*v, base, dst[v].F(), dst[v+1].F())
	}
}

// epilogue applies the activation the flags (R17) ask for to every
// accumulator, with the exact float32 operations of Act.apply: ReLU is
// "x < 0: +0" (FCMLT #0 then BIC, so -0 and NaN pass unchanged, as Go's
// comparison does; FMAX would turn -0 into +0 and quiet a signalling NaN),
// ReLU6 then "x > 6: 6" (FCMGT then BIT), hard-swish x*((min(max(x+3,0),6))
// *(1/6)) and hard-sigmoid min(max(x+3,0),6)*(1/6) with the same clamps,
// each product a separate FMUL (never fused). free holds at least five
// registers outside the accumulators; the constants 3, 6 and float32(1/6)
// are read from the record (R0) at the offsets given.
func epilogue(g *gen, acc, free []V, offThree, offSix, offSixth int) {
	m, six, three, sixth, u := free[0], free[1], free[2], free[3], free[4]
	g.I("TBNZ $%d, R17, %s", bHSwish, g.lbl("hswish"))
	g.I("TBNZ $%d, R17, %s", bHSigmoid, g.lbl("hsigmoid"))
	g.I("TBZ $%d, R17, %s", bMax, g.lbl("epdone"))
	for _, x := range acc {
		clampLo(g, x, m)
	}
	g.I("TBZ $%d, R17, %s", bMin, g.lbl("epdone"))
	g.I("FMOVQ %d(R0), %s", offSix, six.F())
	for _, x := range acc {
		clampHi(g, x, six, m)
	}
	g.I("B %s", g.lbl("epdone"))
	consts := func() {
		g.I("FMOVQ %d(R0), %s", offSix, six.F())
		g.I("FMOVQ %d(R0), %s", offThree, three.F())
		g.I("FMOVQ %d(R0), %s", offSixth, sixth.F())
	}
	g.L("hswish")
	consts()
	for _, x := range acc {
		g.W(fadd(a4S, u, x, three))
		clampLo(g, u, m)
		clampHi(g, u, six, m)
		g.W(fmul(a4S, u, u, sixth))
		g.W(fmul(a4S, x, x, u))
	}
	g.I("B %s", g.lbl("epdone"))
	g.L("hsigmoid")
	consts()
	for _, x := range acc {
		g.W(fadd(a4S, x, x, three))
		clampLo(g, x, m)
		clampHi(g, x, six, m)
		g.W(fmul(a4S, x, x, sixth))
	}
	g.L("epdone")
}

// clampLo sets the lanes of x below 0 to +0 (m: scratch).
func clampLo(g *gen, x, m V) {
	g.W(fcmltz(m, x))
	g.W(bic(x, x, m))
}

// clampHi sets the lanes of x above hi to hi (m: scratch).
func clampHi(g *gen, x, hi, m V) {
	g.W(fcmgt(a4S, m, x, hi))
	g.W(bit(x, hi, m))
}

// peakKernel emits peakNEON: iters x nacc independent FMLAs on registers
// (the record's first word is iters).
func peakKernel(g *gen, nacc int) {
	g.text("peakNEON", fmt.Sprintf("runs iters x %d independent 4-lane FMLAs on registers.", nacc))
	for i := range nacc + 2 {
		g.I("VEOR V%d.B16, V%d.B16, V%d.B16", i, i, i)
	}
	g.I("MOVD (R0), R1")
	g.I("CBZ R1, %s", g.lbl("done"))
	g.L("loop")
	for i := range nacc {
		g.W(fmla(V(i), V(nacc), V(nacc+1)))
	}
	g.I("SUBS $1, R1, R1")
	g.I("BNE %s", g.lbl("loop"))
	g.L("done")
	g.I("RET")
}
