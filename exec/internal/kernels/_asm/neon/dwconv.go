package main

import "fmt"

// dwArgs offsets (../../dwconv_simd.go, checked by TestDWArgsLayout).
const (
	dIn     = 0
	dW      = 8
	dBias   = 16
	dOut    = 24
	dCS     = 32
	dRSAdj  = 40
	dWPS    = 48
	dWRSAdj = 56
	dOCS    = 64
	dNKH    = 72
	dNKW    = 80
	dNPan   = 88
	dNPan1  = 96
	dNRem   = 104
	dTail   = 112
	dN      = 120
	dPStep  = 128
	dOStep  = 136
	dLo     = 144
	dHi     = 148
	dKMask  = 152
	dEp     = 192
	dThree  = 256
	dSixth  = 320
)

// The depthwise kernels keep all their state in registers: R1 the current
// pixel's (block's) input, R2 its output, R3 pixels (blocks) left, R4 cs,
// R5 rsAdj (the block kernels: minus cs, as their loads post-increment
// past the last column), R6 ocs, R7 the channel offset co, R8 the weights
// of the current panel, R9 the input cursor, R10 the weight cursor, R11
// and R12 the kernel row and column counters, R13 the output cursor, R14
// and R21 temporaries, R15 the bias, R16 wrsAdj, R17 wps, R19 pstep, R20
// ostep, R22 and R23 loop counters.
//
// Channels past the last whole vector (1 to 3 of them, as kmask says) are
// loaded and stored lane by lane: one copy of the body for each count.

// vecAlloc hands out vector registers in order.
type vecAlloc struct{ n V }

func (a *vecAlloc) one() V { v := a.n; a.n++; return v }

func (a *vecAlloc) many(k int) []V {
	out := make([]V, k)
	for i := range out {
		out[i] = a.one()
	}
	if a.n > 32 {
		panic("out of vector registers")
	}
	return out
}

// list is a register list for VLD1/VST1: consecutive registers.
func list(vs []V) string {
	s := "["
	for i, v := range vs {
		if i > 0 {
			s += ", "
		}
		if i > 0 && vs[i-1]+1 != v {
			panic("register list not consecutive")
		}
		s += v.S4()
	}
	return s + "]"
}

// loadPart loads the first lanes (1-3) of a vector at off(base), the
// others zero (tmp: a scratch register).
func loadPart(g *gen, dst V, base R, off, lanes int, tmp R) {
	switch lanes {
	case 1:
		g.I("FMOVS %d(%v), %s", off, base, dst.F())
	case 2:
		g.I("FMOVD %d(%v), %s", off, base, dst.F())
	case 3:
		g.I("FMOVD %d(%v), %s", off, base, dst.F())
		g.I("MOVWU %d(%v), %v", off+8, base, tmp)
		g.I("VMOV %v, V%d.S[2]", tmp, int(dst))
	default:
		panic("loadPart lanes")
	}
}

// storePart stores the first lanes (1-3) of src at off(base).
func storePart(g *gen, src V, base R, off, lanes int, tmp R) {
	switch lanes {
	case 1:
		g.I("FMOVS %s, %d(%v)", src.F(), off, base)
	case 2:
		g.I("FMOVD %s, %d(%v)", src.F(), off, base)
	case 3:
		g.I("FMOVD %s, %d(%v)", src.F(), off, base)
		g.I("VMOV V%d.S[2], %v", int(src), tmp)
		g.I("MOVW %v, %d(%v)", tmp, off+8, base)
	default:
		panic("storePart lanes")
	}
}

// loadVecs loads len(dst) vectors at off(base); lanes > 0: one partial
// vector.
func loadVecs(g *gen, dst []V, base R, off, lanes int) {
	if lanes > 0 {
		loadPart(g, dst[0], base, off, lanes, 21)
		return
	}
	for v := 0; v < len(dst); v += 2 {
		if v+1 < len(dst) {
			g.I("FLDPQ %d(%v), (%s, %s)", off+16*v, base, dst[v].F(), dst[v+1].F())
		} else {
			g.I("FMOVQ %d(%v), %s", off+16*v, base, dst[v].F())
		}
	}
}

// storeVecs stores src at off(base); lanes > 0: one partial vector.
func storeVecs(g *gen, src []V, base R, off, lanes int) {
	if lanes > 0 {
		storePart(g, src[0], base, off, lanes, 21)
		return
	}
	for v := 0; v < len(src); v += 2 {
		if v+1 < len(src) {
			g.I("FSTPQ (%s, %s), %d(%v)", src[v].F(), src[v+1].F(), off+16*v, base)
		} else {
			g.I("FMOVQ %s, %d(%v)", src[v].F(), off+16*v, base)
		}
	}
}

// dwEpilogue applies the record's epilogue (ep: clamp to [lo, hi],
// hard-swish or hard-sigmoid, see _asm/dwconv) to every accumulator of
// groups and stores group i with store(i): three copies of the stores,
// chosen once. "x < lo: lo" and "x > hi: hi" as compares and inserts, so
// NaN and -0 pass as in the generic kernel. free: six registers.
func dwEpilogue(g *gen, groups [][]V, free []V, label string, store func(i int)) {
	lo, hi, m, u, three, sixth := free[0], free[1], free[2], free[3], free[4], free[5]
	g.I("FMOVS %d(R0), %s", dLo, lo.F())
	g.I("VDUP V%d.S[0], %s", int(lo), lo.S4())
	g.I("FMOVS %d(R0), %s", dHi, hi.F())
	g.I("VDUP V%d.S[0], %s", int(hi), hi.S4())
	clamp := func(x V) {
		g.W(fcmgt(a4S, m, lo, x))
		g.W(bit(x, lo, m))
		g.W(fcmgt(a4S, m, x, hi))
		g.W(bit(x, hi, m))
	}
	g.I("MOVD %d(R0), R14", dEp)
	g.I("CBNZ R14, %s", g.lbl(label+"_hard"))
	for i, grp := range groups {
		for _, x := range grp {
			clamp(x)
		}
		store(i)
	}
	g.I("B %s", g.lbl(label+"_epdone"))
	g.L(label + "_hard")
	g.I("FMOVQ %d(R0), %s", dThree, three.F())
	g.I("FMOVQ %d(R0), %s", dSixth, sixth.F())
	g.I("CMP $1, R14")
	g.I("BNE %s", g.lbl(label+"_hsigmoid"))
	for i, grp := range groups {
		for _, x := range grp {
			g.W(fadd(a4S, u, x, three))
			clamp(u)
			g.W(fmul(a4S, u, u, sixth))
			g.W(fmul(a4S, x, x, u))
		}
		store(i)
	}
	g.I("B %s", g.lbl(label+"_epdone"))
	g.L(label + "_hsigmoid")
	for i, grp := range groups {
		for _, x := range grp {
			g.W(fadd(a4S, x, x, three))
			clamp(x)
			g.W(fmul(a4S, x, x, sixth))
		}
		store(i)
	}
	g.L(label + "_epdone")
}

// tailDispatch emits the partial-vector part: nothing without a tail,
// else body(lanes) for the 1, 2 or 3 lanes kmask has.
func tailDispatch(g *gen, label string, body func(lanes int, label string)) {
	g.loadArg(14, dTail)
	g.I("CBZ R14, %s", g.lbl(label+"_end"))
	g.loadArg(14, dKMask)
	g.I("TBZ $1, R14, %s", g.lbl(label+"1"))
	g.I("TBZ $2, R14, %s", g.lbl(label+"2"))
	body(3, label+"3b")
	g.I("B %s", g.lbl(label+"_end"))
	g.L(label + "2")
	body(2, label+"2b")
	g.I("B %s", g.lbl(label+"_end"))
	g.L(label + "1")
	body(1, label+"1b")
	g.L(label + "_end")
}

// dwGeom is the NEON block geometry: vectors per body G and pixels per
// block NB. 3x3: a whole 16-channel line per body (G 4), 4 pixels: 16
// accumulators, 12 weights, 4 inputs (32 registers). 5x5: G 2, 6 pixels:
// 12 accumulators, 10 weights, 2 inputs.
func dwGeom(k int) (G, NB int) {
	if k == 3 {
		return 4, 4
	}
	return 2, 6
}

func dwPrologue(g *gen) {
	g.loadArg(1, dIn)
	g.loadArg(2, dOut)
	g.loadArg(3, dN)
	g.loadArg(4, dCS)
	g.loadArg(5, dRSAdj)
	g.loadArg(6, dOCS)
	g.loadArg(15, dBias)
	g.loadArg(16, dWRSAdj)
	g.loadArg(17, dWPS)
	g.loadArg(19, dPStep)
	g.loadArg(20, dOStep)
}

// dwBlockKernel emits dwBlock{K}x{K}S{S}NEON: n blocks of NB adjacent
// output pixels whose windows are inside the input horizontally (the
// driver and the arithmetic as the amd64 kernels, _asm/dwconv).
func dwBlockKernel(g *gen, K, S int) {
	G, NB := dwGeom(K)
	name := fmt.Sprintf("dwBlock%dx%dS%dNEON", K, K, S)
	g.text(name, fmt.Sprintf("computes a.n blocks of %d output pixels of a %dx%d stride-%d depthwise convolution, %d vector(s) of 4 lanes per body (NEON).", NB, K, K, S, G))
	dwPrologue(g)
	g.I("SUB R4, R5, R5")
	g.L("block")
	g.I("MOVD ZR, R7")
	g.loadArg(8, dW)
	g.loadArg(22, dNPan)
	g.I("CBZ R22, %s", g.lbl("panel_end"))
	g.L("panel")
	for sb := 0; sb < 4/G; sb++ {
		dwBlockBody(g, K, S, NB, G, sb*G*16, 0, fmt.Sprintf("p%d", sb))
		g.I("ADD $%d, R7, R7", G*16)
	}
	g.I("ADD $%d, R8, R8", K*K*64)
	g.I("SUBS $1, R22, R22")
	g.I("BNE %s", g.lbl("panel"))
	g.L("panel_end")
	g.loadArg(23, dNRem)
	g.I("CBZ R23, %s", g.lbl("rem_end"))
	g.L("rem")
	dwBlockBody(g, K, S, NB, 1, 0, 0, "r")
	g.I("ADD $16, R7, R7")
	g.I("ADD $16, R8, R8")
	g.I("SUBS $1, R23, R23")
	g.I("BNE %s", g.lbl("rem"))
	g.L("rem_end")
	tailDispatch(g, "tail", func(lanes int, label string) {
		dwBlockBody(g, K, S, NB, 1, 0, lanes, label)
	})
	g.I("ADD R19, R1, R1")
	g.I("ADD R20, R2, R2")
	g.I("SUBS $1, R3, R3")
	g.I("BNE %s", g.lbl("block"))
	g.I("RET")
}

// dwBlockBody computes one block for G vectors of channels at byte
// offset co (R7), their weights at wdisp from the panel's (R8); lanes > 0:
// one partial vector of that many channels.
func dwBlockBody(g *gen, K, S, NB, G, wdisp, lanes int, label string) {
	var va vecAlloc
	acc := make([][]V, NB)
	for i := range acc {
		acc[i] = va.many(G)
	}
	w := make([][]V, K)
	for k := range w {
		w[k] = va.many(G)
	}
	x := va.many(G)
	g.I("ADD R7, R15, R14")
	loadVecs(g, acc[0], 14, 0, lanes)
	for i := 1; i < NB; i++ {
		for j := range G {
			g.I("VMOV %s, %s", acc[0][j].B16(), acc[i][j].B16())
		}
	}
	g.I("ADD R7, R1, R9")
	g.I("ADD $%d, R8, R10", wdisp)
	g.loadArg(11, dNKH)
	g.L(label + "_kh")
	for k := range K {
		loadVecs(g, w[k], 10, k*64, 0)
	}
	ncols := (NB-1)*S + K
	for j := range ncols {
		if lanes > 0 {
			loadPart(g, x[0], 9, 0, lanes, 21)
			g.I("ADD R4, R9, R9")
		} else {
			g.I("VLD1.P (R9)(R4), %s", list(x))
		}
		for i := range NB {
			if k := j - i*S; k >= 0 && k < K {
				for gg := range G {
					g.W(fmla(acc[i][gg], w[k][gg], x[gg]))
				}
			}
		}
	}
	g.I("ADD R5, R9, R9")
	g.I("ADD $%d, R10, R10", K*64)
	g.I("SUBS $1, R11, R11")
	g.I("BNE %s", g.lbl(label+"_kh"))
	// Outputs: pixel i at co + i*ocs from the block's output.
	g.I("ADD R7, R2, R13")
	var free []V
	for _, r := range w {
		free = append(free, r...)
	}
	free = append(free, x...)
	if len(free) < 6 {
		free = append(free, va.many(6-len(free))...)
	}
	dwEpilogue(g, acc, free, label, func(i int) {
		storeVecs(g, acc[i], 13, 0, lanes)
		if i < NB-1 {
			g.I("ADD R6, R13, R13")
		} else {
			g.I("ADD R7, R2, R13") // back to pixel 0 for the next copy
		}
	})
}

// dwPixelKernel emits dwPixelNEON: n output pixels over the same nkh x
// nkw rectangle of taps, channels two weight panels (8 vectors) at a
// time, then an odd panel, the whole vectors of a partial panel, and the
// partial vector.
func dwPixelKernel(g *gen) {
	name := "dwPixelNEON"
	g.text(name, "computes a.n output pixels of a depthwise convolution over an nkh x nkw rectangle of taps (NEON, 4 lanes).")
	dwPrologue(g)
	g.L("pixel")
	g.I("MOVD ZR, R7")
	g.loadArg(8, dW)
	g.loadArg(22, dNPan)
	g.I("CBZ R22, %s", g.lbl("pair_end"))
	g.L("pair")
	dwPixelBody(g, 8, 0, "two")
	g.I("ADD $128, R7, R7")
	g.I("ADD R17, R8, R8")
	g.I("ADD R17, R8, R8")
	g.I("SUBS $1, R22, R22")
	g.I("BNE %s", g.lbl("pair"))
	g.L("pair_end")
	g.loadArg(14, dNPan1)
	g.I("CBZ R14, %s", g.lbl("one_end"))
	dwPixelBody(g, 4, 0, "one")
	g.I("ADD $64, R7, R7")
	g.I("ADD R17, R8, R8")
	g.L("one_end")
	g.loadArg(23, dNRem)
	g.I("CBZ R23, %s", g.lbl("rem_end"))
	g.L("rem")
	dwPixelBody(g, 1, 0, "r")
	g.I("ADD $16, R7, R7")
	g.I("ADD $16, R8, R8")
	g.I("SUBS $1, R23, R23")
	g.I("BNE %s", g.lbl("rem"))
	g.L("rem_end")
	tailDispatch(g, "tail", func(lanes int, label string) {
		dwPixelBody(g, 1, lanes, label)
	})
	g.I("ADD R19, R1, R1")
	g.I("ADD R20, R2, R2")
	g.I("SUBS $1, R3, R3")
	g.I("BNE %s", g.lbl("pixel"))
	g.I("RET")
}

// dwPixelBody computes nv vectors of channels from co (R7) for one pixel;
// vector u's weights are in panel u/4 (R8, or R8+wps for the second of a
// pair) at (u%4)*16; lanes > 0: one partial vector.
func dwPixelBody(g *gen, nv, lanes int, label string) {
	var va vecAlloc
	acc := va.many(nv)
	x := va.many(nv)
	w := va.many(nv)
	extra := va.many(6 - min(6, 2*nv)) // epilogue temporaries beyond x and w
	g.I("ADD R7, R15, R14")
	loadVecs(g, acc, 14, 0, lanes)
	g.I("ADD R7, R1, R9")
	g.I("MOVD R8, R10")
	g.loadArg(11, dNKH)
	g.L(label + "_kh")
	g.loadArg(12, dNKW)
	g.L(label + "_kw")
	switch {
	case lanes > 0:
		loadPart(g, x[0], 9, 0, lanes, 21)
		g.I("FMOVQ (R10), %s", w[0].F())
	case nv == 1:
		g.I("FMOVQ (R9), %s", x[0].F())
		g.I("FMOVQ (R10), %s", w[0].F())
	default:
		g.I("VLD1 (R9), %s", list(x[:4]))
		g.I("VLD1 (R10), %s", list(w[:4]))
		if nv == 8 {
			g.I("ADD $64, R9, R14")
			g.I("VLD1 (R14), %s", list(x[4:]))
			g.I("ADD R17, R10, R14")
			g.I("VLD1 (R14), %s", list(w[4:]))
		}
	}
	for u := range nv {
		g.W(fmla(acc[u], w[u], x[u]))
	}
	g.I("ADD R4, R9, R9")
	g.I("ADD $64, R10, R10")
	g.I("SUBS $1, R12, R12")
	g.I("BNE %s", g.lbl(label+"_kw"))
	g.I("ADD R5, R9, R9")
	g.I("ADD R16, R10, R10")
	g.I("SUBS $1, R11, R11")
	g.I("BNE %s", g.lbl(label+"_kh"))
	g.I("ADD R7, R2, R13")
	free := append(append(append([]V{}, x...), w...), extra...)
	dwEpilogue(g, [][]V{acc}, free, label, func(int) {
		storeVecs(g, acc, 13, 0, lanes)
	})
}
