package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// qgemmArgs field offsets (bytes). Keep in sync with qgemmArgs in
// ../../qgemm_simd.go.
const (
	offA       = 0   // *u8: A at the first row of the first block
	offLda     = 8   // A row stride, bytes
	offB       = 16  // *s8: packed B at the first k quad of the first panel
	offBstride = 24  // bytes from one B panel to the next
	offKQ      = 32  // k quads (K rounded up to 4, over 4)
	offC       = 40  // *u8: C at the first row of the first block
	offLdc     = 48  // C row stride, bytes
	offBlocks  = 56  // blocks of mr rows
	offBias    = 64  // *int32: per column, at the call's first column
	offRowCorr = 72  // *int32: per row, at the first row (qfRowCorr)
	offMult    = 80  // *int32: per column multipliers (and one more after the last)
	offLShift  = 88  // *int32: per column left shifts (qfLShift)
	offRShift  = 96  // *int32: per column right shifts
	offRMask   = 104 // *int32: per column 2^R-1
	offRHalf   = 112 // *int32: per column (2^R-1)>>1
	offFlags   = 120 // flag bits below
	offKMask   = 128 // uint64: columns of a partial last panel (bit j: column j)
	offZo      = 192 // [16]int32: the output zero point
	offLo      = 256 // [16]int32: the clamp's lower bound (zero point included)
	offHi      = 320 // [16]int32: the upper bound
	offOnes    = 384 // [16]int32: 1
	offRound   = 448 // [8]int64: 2^30
	offRCCur   = 512 // scratch: the current block's row corrections (the only word the kernels write)
)

// Flag bits.
const (
	qfRowCorr = 1 // add rowcorr[row] to every accumulator of the row
	qfLShift  = 2 // some column has a left shift
	qfMask    = 4 // partial last panel: masked stores (kmask)
)

const panelW = 16 // columns per packed panel

type arch struct {
	name  string
	mr    int
	np    []int
	maxMR []int
	vecs  []reg.VecPhysical
}

var archVNNI = arch{name: "VNNI", mr: 12, np: []int{2, 1}, maxMR: []int{12, 12}, vecs: zmms()}

func zmms() []reg.VecPhysical {
	all := []reg.VecPhysical{
		reg.Z0, reg.Z1, reg.Z2, reg.Z3, reg.Z4, reg.Z5, reg.Z6, reg.Z7,
		reg.Z8, reg.Z9, reg.Z10, reg.Z11, reg.Z12, reg.Z13, reg.Z14, reg.Z15,
		reg.Z16, reg.Z17, reg.Z18, reg.Z19, reg.Z20, reg.Z21, reg.Z22, reg.Z23,
		reg.Z24, reg.Z25, reg.Z26, reg.Z27, reg.Z28, reg.Z29, reg.Z30, reg.Z31,
	}
	return all
}

// General-purpose registers (no BP, SP, R14, R15).
var (
	rBase   = []reg.Register{reg.RAX, reg.RBX, reg.RCX, reg.RDX} // A rows 0,3,6,9 (+lda, +2*lda)
	rBlocks = reg.RSI
	rTmp    = reg.RDI
	rA      = reg.R8  // A block start
	rLda    = reg.R9  // lda in bytes
	rB      = reg.R10 // B cursor
	rBs     = reg.R11 // panel stride in bytes
	rK      = reg.R12 // k quad counter
	rC      = reg.R13 // C block start
)

type kernel struct {
	ctx   *build.Context
	a     arch
	mr    int
	np    int
	acc   [][]reg.VecPhysical // [row][panel]
	bv    []reg.VecPhysical
	t     reg.VecPhysical // A broadcast
	label string
}

func gemmKernel(ctx *build.Context, a arch, mr, np int) {
	k := &kernel{ctx: ctx, a: a, mr: mr, np: np}
	name := fmt.Sprintf("qgemm%s_%dx%d", a.name, mr, np*panelW)
	k.label = name
	n := 0
	next := func() reg.VecPhysical { r := a.vecs[n]; n++; return r }
	k.acc = make([][]reg.VecPhysical, mr)
	for r := range k.acc {
		for range np {
			k.acc[r] = append(k.acc[r], next())
		}
	}
	for range np {
		k.bv = append(k.bv, next())
	}
	k.t = next()
	if n+2 > len(a.vecs) {
		panic(fmt.Sprintf("%s: needs %d vector registers", name, n+2))
	}
	ctx.Function(name)
	ctx.Attributes(attr.NOSPLIT)
	ctx.Pragma("noescape")
	ctx.SignatureExpr("func(args *byte)")
	ctx.Doc(fmt.Sprintf("%s computes blocks x %d rows by %d columns of an int8 GEMM; see the generator.", name, mr, np*panelW))
	k.body()
}

func (k *kernel) lbl(s string) string { return k.label + "_" + s }

func (k *kernel) args(r reg.Register) { k.ctx.Load(k.ctx.Param("args"), r) }

// load loads the record field at byte offset off into r.
func (k *kernel) load(off int, r reg.Register) {
	k.args(r)
	k.ctx.MOVQ(operand.Mem{Base: r, Disp: off}, r)
}

// rowMem addresses A row r (relative to the current bases) at byte offset disp.
func (k *kernel) rowMem(r, disp int) operand.Mem {
	m := operand.Mem{Base: rBase[r/3], Disp: disp}
	switch r % 3 {
	case 1:
		m.Index, m.Scale = rLda, 1
	case 2:
		m.Index, m.Scale = rLda, 2
	}
	return m
}

// step emits one k quad at offset u (A: 4u bytes, B: 64u bytes).
func (k *kernel) step(u int) {
	c := k.ctx
	for p := range k.np {
		m := operand.Mem{Base: rB, Disp: u * 64}
		if p == 1 {
			m.Index, m.Scale = rBs, 1
		}
		c.VMOVDQU32(m, k.bv[p])
	}
	for r := range k.mr {
		c.VPBROADCASTD(k.rowMem(r, 4*u), k.t)
		for p := range k.np {
			c.VPDPBUSD(k.bv[p], k.t, k.acc[r][p])
		}
	}
}

func (k *kernel) advance(steps int) {
	c := k.ctx
	for g := 0; g < (k.mr+2)/3; g++ {
		c.ADDQ(operand.U32(4*steps), rBase[g])
	}
	c.ADDQ(operand.U32(64*steps), rB)
}

const unroll = 4

func (k *kernel) body() {
	c := k.ctx
	k.load(offA, rA)
	k.load(offLda, rLda)
	k.load(offC, rC)
	k.load(offBlocks, rBlocks)
	if k.np > 1 {
		k.load(offBstride, rBs)
	}
	c.TESTQ(rBlocks, rBlocks)
	c.JZ(operand.LabelRef(k.lbl("ret")))
	k.args(rTmp)
	c.MOVQ(operand.Mem{Base: rTmp, Disp: offRowCorr}, rK)
	c.MOVQ(rK, operand.Mem{Base: rTmp, Disp: offRCCur})

	c.Label(k.lbl("block"))
	// Accumulators start at the bias (a full panel's worth: the bias is
	// padded to whole panels).
	k.load(offBias, rTmp)
	for p := range k.np {
		c.VMOVDQU32(operand.Mem{Base: rTmp, Disp: 64 * p}, k.acc[0][p])
	}
	for r := 1; r < k.mr; r++ {
		for p := range k.np {
			c.VMOVDQA32(k.acc[0][p], k.acc[r][p])
		}
	}

	groups := (k.mr + 2) / 3
	c.MOVQ(rA, rBase[0])
	for g := 1; g < groups; g++ {
		c.LEAQ(operand.Mem{Base: rBase[g-1], Index: rLda, Scale: 2}, rBase[g])
		c.ADDQ(rLda, rBase[g])
	}
	last := rBase[groups-1]
	switch k.mr - 3*(groups-1) {
	case 1:
		c.LEAQ(operand.Mem{Base: last, Index: rLda, Scale: 1}, rA)
	case 2:
		c.LEAQ(operand.Mem{Base: last, Index: rLda, Scale: 2}, rA)
	case 3:
		c.LEAQ(operand.Mem{Base: last, Index: rLda, Scale: 2}, rA)
		c.ADDQ(rLda, rA)
	}
	k.load(offB, rB)

	k.load(offKQ, rK)
	c.SHRQ(operand.Imm(2), rK)
	c.JZ(operand.LabelRef(k.lbl("ktail")))
	c.Label(k.lbl("kloop"))
	for u := range unroll {
		k.step(u)
	}
	k.advance(unroll)
	c.DECQ(rK)
	c.JNZ(operand.LabelRef(k.lbl("kloop")))
	c.Label(k.lbl("ktail"))
	k.load(offKQ, rK)
	c.ANDQ(operand.Imm(unroll-1), rK)
	c.JZ(operand.LabelRef(k.lbl("kdone")))
	c.Label(k.lbl("kloop1"))
	k.step(0)
	k.advance(1)
	c.DECQ(rK)
	c.JNZ(operand.LabelRef(k.lbl("kloop1")))
	c.Label(k.lbl("kdone"))

	k.epilogue()

	c.DECQ(rBlocks)
	c.JNZ(operand.LabelRef(k.lbl("block")))
	c.Label(k.lbl("ret"))
	c.VZEROUPPER()
	c.RET()
}

// epilogue adds the row corrections, requantizes every accumulator, clamps,
// packs to bytes and stores the block; rC moves on to the next block. The
// B and broadcast registers are free here, and two more hold the rounding
// constant and a temporary; the A row bases are free general registers.
func (k *kernel) epilogue() {
	c := k.ctx
	n := k.mr*k.np + k.np + 1
	rq := requant{ctx: c, t1: k.a.vecs[n+1], t2: k.bv[0], round: k.a.vecs[n], kOdd: reg.K1, kGt: reg.K2}
	args := rB // free after the k loop

	k.load(offFlags, rTmp)
	c.TESTQ(operand.U32(qfRowCorr), rTmp)
	c.JZ(operand.LabelRef(k.lbl("norowcorr")))
	k.load(offRCCur, rK)
	for r := range k.mr {
		c.VPBROADCASTD(operand.Mem{Base: rK, Disp: 4 * r}, k.t)
		for p := range k.np {
			c.VPADDD(k.t, k.acc[r][p], k.acc[r][p])
		}
	}
	// The next block's corrections follow this block's.
	c.ADDQ(operand.U32(4*k.mr), rK)
	k.args(args)
	c.MOVQ(rK, operand.Mem{Base: args, Disp: offRCCur})
	c.Label(k.lbl("norowcorr"))

	// Left shifts (rare: multipliers above 1).
	c.TESTQ(operand.U32(qfLShift), rTmp)
	c.JZ(operand.LabelRef(k.lbl("nolshift")))
	k.load(offLShift, rK)
	for r := range k.mr {
		for p := range k.np {
			c.VPSLLVD(operand.Mem{Base: rK, Disp: 64 * p}, k.acc[r][p], k.acc[r][p])
		}
	}
	c.Label(k.lbl("nolshift"))

	k.args(args)
	rq.setup(args, offRound)
	mult, rsh, rm, rh := reg.RAX, reg.RBX, reg.RCX, reg.RDX
	k.load(offMult, mult)
	k.load(offRShift, rsh)
	k.load(offRMask, rm)
	k.load(offRHalf, rh)
	for r := range k.mr {
		for p := range k.np {
			d := 64 * p
			rq.apply(k.acc[r][p], operand.Mem{Base: mult, Disp: d}, operand.Mem{Base: rsh, Disp: d},
				operand.Mem{Base: rm, Disp: d}, operand.Mem{Base: rh, Disp: d}, args, offOnes, offZo, offLo, offHi)
		}
	}

	// Stores: 16 bytes per panel and row; the partial last panel masked.
	k.load(offLdc, rK)
	k.load(offFlags, rTmp) // setup took DI
	c.TESTQ(operand.U32(qfMask), rTmp)
	c.JNZ(operand.LabelRef(k.lbl("storemask")))
	for r := range k.mr {
		for p := range k.np {
			c.VPMOVUSDB(k.acc[r][p], operand.Mem{Base: rC, Disp: 16 * p})
		}
		c.ADDQ(rK, rC)
	}
	c.JMP(operand.LabelRef(k.lbl("stored")))
	c.Label(k.lbl("storemask"))
	kSt := []reg.Register{reg.K3, reg.K4}
	for p := range k.np {
		c.KMOVW(operand.Mem{Base: args, Disp: offKMask + 2*p}, kSt[p])
	}
	for r := range k.mr {
		for p := range k.np {
			c.VPMOVUSDB(k.acc[r][p], kSt[p], operand.Mem{Base: rC, Disp: 16 * p})
		}
		c.ADDQ(rK, rC)
	}
	c.Label(k.lbl("stored"))
}
