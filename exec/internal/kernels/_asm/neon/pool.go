package main

import "fmt"

// poolArgs offsets (../../pool_simd.go, checked by TestPoolArgsLayout).
const (
	pIn    = 0
	pOut   = 8
	pN     = 16
	pPStep = 24
	pOStep = 32
	pNKH   = 40
	pNKW   = 48
	pCS    = 56
	pRS    = 64
	pNV4   = 72
	pNV1   = 80
	pTail  = 88
	pScale = 96
	pMask  = 104 // [8]int32: lane i of the partial vector is all ones if present
)

// poolVectors runs body over a pixel's channels from p (R9) and o (R13):
// groups of 4 vectors, single vectors, then the partial vector (1-3
// lanes, as the mask says), advancing R9 and R13.
func poolVectors(g *gen, body func(nv, lanes int, label string)) {
	g.loadArg(22, pNV4)
	g.I("CBZ R22, %s", g.lbl("v4_end"))
	g.L("v4")
	body(4, 0, "b4")
	g.I("ADD $64, R9, R9")
	g.I("ADD $64, R13, R13")
	g.I("SUBS $1, R22, R22")
	g.I("BNE %s", g.lbl("v4"))
	g.L("v4_end")
	g.loadArg(23, pNV1)
	g.I("CBZ R23, %s", g.lbl("v1_end"))
	g.L("v1")
	body(1, 0, "b1")
	g.I("ADD $16, R9, R9")
	g.I("ADD $16, R13, R13")
	g.I("SUBS $1, R23, R23")
	g.I("BNE %s", g.lbl("v1"))
	g.L("v1_end")
	g.loadArg(14, pTail)
	g.I("CBZ R14, %s", g.lbl("t_end"))
	g.I("MOVW %d(R0), R14", pMask+4)
	g.I("CBZ R14, %s", g.lbl("t1"))
	g.I("MOVW %d(R0), R14", pMask+8)
	g.I("CBZ R14, %s", g.lbl("t2"))
	body(1, 3, "t3b")
	g.I("B %s", g.lbl("t_end"))
	g.L("t2")
	body(1, 2, "t2b")
	g.I("B %s", g.lbl("t_end"))
	g.L("t1")
	body(1, 1, "t1b")
	g.L("t_end")
}

// poolWindowKernel emits poolMaxNEON or poolAvgNEON: n output pixels,
// each the maximum or the mean of an nkh x nkw rectangle of taps, with the
// generic loops' operations in their order: max starts from the first tap
// and takes a tap only if it is greater (FCMGT, BIT: a NaN tap is
// skipped, a NaN first tap stays); avg adds the taps to +0 in order, then
// multiplies by the scale.
func poolWindowKernel(g *gen, avg bool) {
	name := "poolMaxNEON"
	if avg {
		name = "poolAvgNEON"
	}
	g.text(name, "computes a.n output pixels of a pooling over an nkh x nkw rectangle of taps (NEON).")
	g.loadArg(1, pIn)
	g.loadArg(2, pOut)
	g.loadArg(3, pN)
	g.loadArg(4, pCS)
	g.loadArg(5, pRS)
	scale := V(31)
	if avg {
		g.I("FMOVS %d(R0), %s", pScale, scale.F())
		g.I("VDUP V31.S[0], V31.S4")
	}
	g.L("pixel")
	g.I("MOVD R1, R9")
	g.I("MOVD R2, R13")
	poolVectors(g, func(nv, lanes int, label string) {
		var va vecAlloc
		acc, x, m := va.many(nv), va.many(nv), va.many(nv)
		if avg {
			for _, a := range acc {
				g.I("VEOR %s, %s, %s", a.B16(), a.B16(), a.B16())
			}
		} else {
			poolLoad(g, acc, 9, lanes)
		}
		g.I("MOVD R9, R10")
		g.loadArg(11, pNKH)
		g.L(label + "_kh")
		g.I("MOVD R10, R14")
		g.loadArg(12, pNKW)
		g.L(label + "_kw")
		poolLoad(g, x, 14, lanes)
		for u := range nv {
			if avg {
				g.W(fadd(a4S, acc[u], acc[u], x[u]))
			} else {
				g.W(fcmgt(a4S, m[u], x[u], acc[u]))
				g.W(bit(acc[u], x[u], m[u]))
			}
		}
		g.I("ADD R4, R14, R14")
		g.I("SUBS $1, R12, R12")
		g.I("BNE %s", g.lbl(label+"_kw"))
		g.I("ADD R5, R10, R10")
		g.I("SUBS $1, R11, R11")
		g.I("BNE %s", g.lbl(label+"_kh"))
		if avg {
			for _, a := range acc {
				g.W(fmul(a4S, a, a, scale))
			}
		}
		poolStore(g, acc, 13, lanes)
	})
	g.loadArg(14, pPStep)
	g.I("ADD R14, R1, R1")
	g.loadArg(14, pOStep)
	g.I("ADD R14, R2, R2")
	g.I("SUBS $1, R3, R3")
	g.I("BNE %s", g.lbl("pixel"))
	g.I("RET")
}

func poolLoad(g *gen, dst []V, base R, lanes int) {
	if len(dst) == 4 {
		g.I("VLD1 (%v), %s", base, list(dst))
		return
	}
	loadVecs(g, dst, base, 0, lanes)
}

func poolStore(g *gen, src []V, base R, lanes int) {
	if len(src) == 4 {
		g.I("VST1 %s, (%v)", list(src), base)
		return
	}
	storeVecs(g, src, base, 0, lanes)
}

// globalAvgKernel emits globalAvgNEON: per channel the float64 sum of n
// pixels (pstep bytes apart) in pixel order from +0, times the float64
// scale, rounded to float32: the generic loop's arithmetic, two channels
// per float64 vector.
func globalAvgKernel(g *gen) {
	g.text("globalAvgNEON", "averages a.n pixels into one, channel by channel, summing in float64 (NEON).")
	g.I("MOVD %d(R0), R9", pIn)
	g.I("MOVD %d(R0), R13", pOut)
	g.I("FMOVD %d(R0), F31", pScale)
	g.I("VDUP V31.D[0], V31.D2")
	poolVectors(g, func(nv, lanes int, label string) {
		var va vecAlloc
		acc := va.many(2 * nv)
		x := va.many(nv)
		t := va.one()
		for _, a := range acc {
			g.I("VEOR %s, %s, %s", a.B16(), a.B16(), a.B16())
		}
		g.I("MOVD R9, R14")
		g.loadArg(11, pN)
		g.L(label + "_px")
		poolLoad(g, x, 14, lanes)
		for u := range nv {
			g.W(fcvtl(t, x[u], false))
			g.W(fadd(a2D, acc[2*u], acc[2*u], t))
			g.W(fcvtl(t, x[u], true))
			g.W(fadd(a2D, acc[2*u+1], acc[2*u+1], t))
		}
		g.loadArg(12, pPStep)
		g.I("ADD R12, R14, R14")
		g.I("SUBS $1, R11, R11")
		g.I("BNE %s", g.lbl(label+"_px"))
		for u := range nv {
			g.W(fmul(a2D, acc[2*u], acc[2*u], 31))
			g.W(fmul(a2D, acc[2*u+1], acc[2*u+1], 31))
			g.W(fcvtn(x[u], acc[2*u], false))
			g.W(fcvtn(x[u], acc[2*u+1], true))
		}
		poolStore(g, x, 13, lanes)
	})
	g.I("RET")
}

var _ = fmt.Sprint
