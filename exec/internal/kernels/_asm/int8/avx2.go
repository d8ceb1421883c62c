package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// The AVX2 int8 kernels. AVX2 has no exact byte dot product (vpmaddubsw
// saturates at 16 bits), so the products are int16 x int16 pairs summed
// into int32 by vpmaddwd, exact: A's bytes are widened once per row chunk
// (qpackAVX2) into int16 pairs, the weights are stored as int16 with their
// zero point already taken off (w - zw fits 16 bits), and the pair
// products (at most 2 * 255 * 255) add up in int32 as TFLite's do. With the
// weight zero point inside the weights, no row correction is needed: the
// activation zero point folds into the bias alone.

// qpackArgs field offsets. Keep in sync with qpackArgs in ../../qgemm_avx2.go.
const (
	pkSrc  = 0  // *u8: the first row
	pkLda  = 8  // source row stride, bytes
	pkDst  = 16 // *int16: the first packed row
	pkLdd  = 24 // packed row stride, bytes
	pkK    = 32 // bytes per row, a multiple of 4
	pkRows = 40 // rows (>= 1)
)

// packKernel emits qpackAVX2: rows of k bytes (a multiple of 4) widened to
// int16, 16 bytes at a time, then 8, then 4.
func packKernel(ctx *build.Context) {
	const name = "qpackAVX2"
	c := ctx
	c.Function(name)
	c.Attributes(attr.NOSPLIT)
	c.Pragma("noescape")
	c.SignatureExpr("func(args *byte)")
	c.Doc(name + " widens rows of u8 to int16 (the AVX2 int8 GEMM's A operand).")
	a := c.GP64()
	c.Load(c.Param("args"), a)
	arg := func(off int) operand.Mem { return operand.Mem{Base: a, Disp: off} }
	src, dst, rows := c.GP64(), c.GP64(), c.GP64()
	c.MOVQ(arg(pkSrc), src)
	c.MOVQ(arg(pkDst), dst)
	c.MOVQ(arg(pkRows), rows)
	c.Label(name + "_row")
	s, d, n := c.GP64(), c.GP64(), c.GP64()
	c.MOVQ(src, s)
	c.MOVQ(dst, d)
	c.MOVQ(arg(pkK), n)
	y, x := c.YMM(), c.XMM()
	c.Label(name + "_16")
	c.CMPQ(n, operand.U8(16))
	c.JB(operand.LabelRef(name + "_8"))
	c.VPMOVZXBW(operand.Mem{Base: s}, y)
	c.VMOVDQU(y, operand.Mem{Base: d})
	c.ADDQ(operand.U8(16), s)
	c.ADDQ(operand.U8(32), d)
	c.SUBQ(operand.U8(16), n)
	c.JMP(operand.LabelRef(name + "_16"))
	c.Label(name + "_8")
	c.CMPQ(n, operand.U8(8))
	c.JB(operand.LabelRef(name + "_4"))
	c.VPMOVZXBW(operand.Mem{Base: s}, x)
	c.VMOVDQU(x, operand.Mem{Base: d})
	c.ADDQ(operand.U8(8), s)
	c.ADDQ(operand.U8(16), d)
	c.SUBQ(operand.U8(8), n)
	c.Label(name + "_4")
	c.TESTQ(n, n)
	c.JZ(operand.LabelRef(name + "_next"))
	c.VMOVD(operand.Mem{Base: s}, x)
	c.VPMOVZXBW(x, x)
	c.VMOVQ(x, operand.Mem{Base: d})
	c.Label(name + "_next")
	c.ADDQ(arg(pkLda), src)
	c.ADDQ(arg(pkLdd), dst)
	c.DECQ(rows)
	c.JNZ(operand.LabelRef(name + "_row"))
	c.VZEROUPPER()
	c.RET()
}

// The AVX2 GEMM kernels read a qgemmArgs record (qgemm.go's offsets): a is
// the packed int16 A, lda its row stride in bytes, kq the k pairs, b the
// int16-pair panels (per k pair 16 columns x 2 weights: 64 bytes, two ymm).
// A partial last panel is written to a 16-byte-wide scratch by the driver
// (AVX2 has no byte-masked store), so there is no masked path here.
var ymmRegs = []reg.VecPhysical{
	reg.Y0, reg.Y1, reg.Y2, reg.Y3, reg.Y4, reg.Y5, reg.Y6, reg.Y7,
	reg.Y8, reg.Y9, reg.Y10, reg.Y11, reg.Y12, reg.Y13, reg.Y14, reg.Y15,
}

// gemmAVX2Kernel emits qgemmAVX2_{mr}x16: blocks of mr rows by 16 columns,
// each k pair one broadcast per row, two vpmaddwd and two vpaddd.
func gemmAVX2Kernel(ctx *build.Context, mr int) {
	name := fmt.Sprintf("qgemmAVX2_%dx16", mr)
	c := ctx
	lbl := func(s string) string { return name + "_" + s }
	args := func(r reg.Register) { c.Load(c.Param("args"), r) }
	load := func(off int, r reg.Register) {
		args(r)
		c.MOVQ(operand.Mem{Base: r, Disp: off}, r)
	}
	n := 0
	next := func() reg.VecPhysical { r := ymmRegs[n]; n++; return r }
	acc := make([][2]reg.VecPhysical, mr)
	for r := range acc {
		acc[r] = [2]reg.VecPhysical{next(), next()}
	}
	bv := [2]reg.VecPhysical{next(), next()}
	t, p := next(), next()
	if n > 16 {
		panic(name + ": too many registers")
	}
	c.Function(name)
	c.Attributes(attr.NOSPLIT)
	c.Pragma("noescape")
	c.SignatureExpr("func(args *byte)")
	c.Doc(fmt.Sprintf("%s computes blocks x %d rows by 16 columns of an int8 GEMM on int16 pairs (AVX2); see avx2.go.", name, mr))

	load(offA, rA)
	load(offLda, rLda)
	load(offC, rC)
	load(offBlocks, rBlocks)
	c.TESTQ(rBlocks, rBlocks)
	c.JZ(operand.LabelRef(lbl("ret")))
	c.Label(lbl("block"))
	load(offBias, rTmp)
	for v := range 2 {
		c.VMOVDQU(operand.Mem{Base: rTmp, Disp: 32 * v}, acc[0][v])
	}
	for r := 1; r < mr; r++ {
		for v := range 2 {
			c.VMOVDQA(acc[0][v], acc[r][v])
		}
	}
	groups := (mr + 2) / 3
	c.MOVQ(rA, rBase[0])
	for g := 1; g < groups; g++ {
		c.LEAQ(operand.Mem{Base: rBase[g-1], Index: rLda, Scale: 2}, rBase[g])
		c.ADDQ(rLda, rBase[g])
	}
	last := rBase[groups-1]
	switch mr - 3*(groups-1) {
	case 1:
		c.LEAQ(operand.Mem{Base: last, Index: rLda, Scale: 1}, rA)
	case 2:
		c.LEAQ(operand.Mem{Base: last, Index: rLda, Scale: 2}, rA)
	case 3:
		c.LEAQ(operand.Mem{Base: last, Index: rLda, Scale: 2}, rA)
		c.ADDQ(rLda, rA)
	}
	load(offB, rB)
	rowMem := func(r, disp int) operand.Mem {
		m := operand.Mem{Base: rBase[r/3], Disp: disp}
		switch r % 3 {
		case 1:
			m.Index, m.Scale = rLda, 1
		case 2:
			m.Index, m.Scale = rLda, 2
		}
		return m
	}
	step := func(u int) {
		for v := range 2 {
			c.VMOVDQU(operand.Mem{Base: rB, Disp: 64*u + 32*v}, bv[v])
		}
		for r := range mr {
			c.VPBROADCASTD(rowMem(r, 4*u), t)
			for v := range 2 {
				c.VPMADDWD(bv[v], t, p)
				c.VPADDD(p, acc[r][v], acc[r][v])
			}
		}
	}
	adv := func(steps int) {
		for g := range groups {
			c.ADDQ(operand.U32(4*steps), rBase[g])
		}
		c.ADDQ(operand.U32(64*steps), rB)
	}
	load(offKQ, rK)
	c.SHRQ(operand.Imm(2), rK)
	c.JZ(operand.LabelRef(lbl("ktail")))
	c.Label(lbl("kloop"))
	for u := range 4 {
		step(u)
	}
	adv(4)
	c.DECQ(rK)
	c.JNZ(operand.LabelRef(lbl("kloop")))
	c.Label(lbl("ktail"))
	load(offKQ, rK)
	c.ANDQ(operand.Imm(3), rK)
	c.JZ(operand.LabelRef(lbl("kdone")))
	c.Label(lbl("kloop1"))
	step(0)
	adv(1)
	c.DECQ(rK)
	c.JNZ(operand.LabelRef(lbl("kloop1")))
	c.Label(lbl("kdone"))

	// Epilogue: left shifts, requantization, packing to 16 bytes per row.
	am := rB
	load(offFlags, rTmp)
	c.TESTQ(operand.U32(qfLShift), rTmp)
	c.JZ(operand.LabelRef(lbl("nolshift")))
	load(offLShift, rK)
	for r := range mr {
		for v := range 2 {
			c.VPSLLVD(operand.Mem{Base: rK, Disp: 32 * v}, acc[r][v], acc[r][v])
		}
	}
	c.Label(lbl("nolshift"))
	args(am)
	rq := requantAVX2{ctx: c, t1: bv[0], t2: bv[1], round: t}
	c.VMOVDQU(operand.Mem{Base: am, Disp: offRound}, rq.round)
	mult, rsh, rm, rh := reg.RAX, reg.RBX, reg.RCX, reg.RDX
	load(offMult, mult)
	load(offRShift, rsh)
	load(offRMask, rm)
	load(offRHalf, rh)
	for r := range mr {
		for v := range 2 {
			d := 32 * v
			rq.apply(acc[r][v], operand.Mem{Base: mult, Disp: d}, operand.Mem{Base: rsh, Disp: d},
				operand.Mem{Base: rm, Disp: d}, operand.Mem{Base: rh, Disp: d}, am, offZo, offLo, offHi)
		}
	}
	load(offLdc, rK)
	for r := range mr {
		storeBytes16(c, acc[r][0], acc[r][1], bv[0], bv[1], operand.Mem{Base: rC})
		c.ADDQ(rK, rC)
	}
	c.DECQ(rBlocks)
	c.JNZ(operand.LabelRef(lbl("block")))
	c.Label(lbl("ret"))
	c.VZEROUPPER()
	c.RET()
}

// storeBytes16 packs two vectors of 8 int32 in [0, 255] (columns 0-7 and
// 8-15) into 16 bytes in column order at m, with two temporaries.
func storeBytes16(c *build.Context, lo, hi, t, u reg.VecPhysical, m operand.Mem) {
	// vpackssdw works within 128-bit lanes: t = lo[0:4] hi[0:4] | lo[4:8] hi[4:8]
	// (words); vpermq 0xd8 puts the quadwords in column order lo | hi.
	c.VPACKSSDW(hi, lo, t)
	c.VPERMQ(operand.Imm(0xd8), t, t)
	c.VEXTRACTI128(operand.Imm(1), t, u.AsX())
	c.VPACKUSWB(u.AsX(), t.AsX(), t.AsX())
	c.VMOVDQU(t.AsX(), m)
}

// requantAVX2 is requant for 8-lane ymm vectors: the odd lanes' results are
// blended in with an immediate, and the round-up lanes are a vector mask.
type requantAVX2 struct {
	ctx    *build.Context
	t1, t2 reg.Register
	round  reg.Register
}

func (q *requantAVX2) apply(x reg.Register, mult, rsh, rm, rh operand.Mem, args reg.Register, zero, lo, hi int) {
	c := q.ctx
	t1, t2 := q.t1, q.t2
	mo := mult
	mo.Disp += 4
	c.VPMULDQ(mult, x, t1)
	c.VPSRLQ(operand.Imm(32), x, t2)
	c.VPMULDQ(mo, t2, t2)
	c.VPADDQ(q.round, t1, t1)
	c.VPADDQ(q.round, t2, t2)
	c.VPSRLQ(operand.Imm(31), t1, t1)
	c.VPSLLQ(operand.Imm(1), t2, t2)
	c.VPBLENDD(operand.Imm(0xaa), t2, t1, x)
	c.VPSRAVD(rsh, x, t1)
	c.VPAND(rm, x, t2)
	c.VPSRLD(operand.Imm(31), x, x)
	c.VPADDD(rh, x, x)
	c.VPCMPGTD(x, t2, t2) // -1 where the remainder exceeds the threshold
	c.VPSUBD(t2, t1, t1)
	c.VPADDD(operand.Mem{Base: args, Disp: zero}, t1, t1)
	c.VPMAXSD(operand.Mem{Base: args, Disp: lo}, t1, t1)
	c.VPMINSD(operand.Mem{Base: args, Disp: hi}, t1, x)
}

// dwAVX2Kernel emits qdwAVX2, the 8-channel-vector form of qdwAVX512 (same
// record, qdw.go's offsets) for channel counts that are multiples of 8 (no
// tail): VPMOVZXBD of 8 bytes, the zero point off, vpmaddwd with the
// high-half-zero weights, vpaddd; the requantization; 8 bytes stored.
func dwAVX2Kernel(ctx *build.Context) {
	const name = "qdwAVX2"
	c := ctx
	c.Function(name)
	c.Attributes(attr.NOSPLIT)
	c.Pragma("noescape")
	c.SignatureExpr("func(args *byte)")
	c.Doc(name + " computes a.n output pixels of an int8 depthwise convolution over an nkh x nkw rectangle of taps (AVX2, 8 channels per vector, no partial vector).")
	a := c.GP64()
	c.Load(c.Param("args"), a)
	arg := func(off int) operand.Mem { return operand.Mem{Base: a, Disp: off} }
	load := func(off int) reg.GPVirtual {
		r := c.GP64()
		c.MOVQ(arg(off), r)
		return r
	}
	zx := c.YMM()
	c.VMOVDQU(arg(dwZx), zx)
	round := c.YMM()
	c.VMOVDQU(arg(dwRound), round)
	for _, p := range [][2]int{{dwIn, dwCurIn}, {dwOut, dwCurOut}, {dwN, dwCount}} {
		r := load(p[0])
		c.MOVQ(r, arg(p[1]))
	}
	c.Label(name + "_pixel")
	co := c.GP64()
	c.XORQ(co, co)
	nv := load(dwNVec)
	c.Label(name + "_vec")
	acc, x := c.YMM(), c.YMM()
	bias := load(dwBias)
	c.VMOVDQU(operand.Mem{Base: bias, Index: co, Scale: 4}, acc)
	p := load(dwCurIn)
	c.ADDQ(co, p)
	pw := load(dwW)
	c.LEAQ(operand.Mem{Base: pw, Index: co, Scale: 4}, pw)
	cs, wstep := load(dwCS), load(dwWStep)
	kh := load(dwNKH)
	c.Label(name + "_kh")
	kw := load(dwNKW)
	c.Label(name + "_kw")
	c.VPMOVZXBD(operand.Mem{Base: p}, x)
	c.VPSUBD(zx, x, x)
	c.VPMADDWD(operand.Mem{Base: pw}, x, x)
	c.VPADDD(x, acc, acc)
	c.ADDQ(cs, p)
	c.ADDQ(wstep, pw)
	c.DECQ(kw)
	c.JNZ(operand.LabelRef(name + "_kw"))
	c.ADDQ(arg(dwRSAdj), p)
	c.ADDQ(arg(dwWRSAdj), pw)
	c.DECQ(kh)
	c.JNZ(operand.LabelRef(name + "_kh"))
	c.TESTQ(operand.U32(qfLShift), arg(dwFlags))
	c.JZ(operand.LabelRef(name + "_nolshift"))
	lsh := load(dwLShift)
	c.VPSLLVD(operand.Mem{Base: lsh, Index: co, Scale: 4}, acc, acc)
	c.Label(name + "_nolshift")
	mem := func(off int) operand.Mem { return operand.Mem{Base: load(off), Index: co, Scale: 4} }
	rq := requantAVX2{ctx: c, t1: c.YMM(), t2: c.YMM(), round: round}
	rq.apply(acc, mem(dwMult), mem(dwRShift), mem(dwRMask), mem(dwRHalf), a, dwZo, dwLo, dwHi)
	// 8 int32 to 8 bytes: packs within lanes, then the low quadwords of
	// both lanes together.
	t := c.YMM()
	c.VPACKUSDW(acc, acc, t)
	c.VPERMQ(operand.Imm(0x08), t, t)
	c.VPACKUSWB(t.AsX(), t.AsX(), t.AsX())
	q := load(dwCurOut)
	c.VMOVQ(t.AsX(), operand.Mem{Base: q, Index: co, Scale: 1})
	c.ADDQ(operand.U32(8), co)
	c.DECQ(nv)
	c.JNZ(operand.LabelRef(name + "_vec"))
	for _, pp := range [][2]int{{dwCurIn, dwPStep}, {dwCurOut, dwOStep}} {
		r := load(pp[0])
		c.ADDQ(arg(pp[1]), r)
		c.MOVQ(r, arg(pp[0]))
	}
	cnt := load(dwCount)
	c.DECQ(cnt)
	c.MOVQ(cnt, arg(dwCount))
	c.JNZ(operand.LabelRef(name + "_pixel"))
	c.VZEROUPPER()
	c.RET()
}

// peakAVX2Kernel emits peakQAVX2: iters x nacc independent vpmaddwd +
// vpaddd pairs (16 int16 MACs each), the AVX2 int8 kernels' ceiling.
func peakAVX2Kernel(ctx *build.Context, nacc int) {
	const name = "peakQAVX2"
	ctx.Function(name)
	ctx.Attributes(attr.NOSPLIT)
	ctx.Pragma("noescape")
	ctx.SignatureExpr("func(args *byte)")
	ctx.Doc(fmt.Sprintf("%s runs iters x %d independent vpmaddwd+vpaddd (16 MACs each) on registers.", name, nacc))
	x, y := ymmRegs[2*nacc], ymmRegs[2*nacc+1]
	for i := range 2*nacc + 2 {
		ctx.VPXOR(ymmRegs[i], ymmRegs[i], ymmRegs[i])
	}
	ctx.Load(ctx.Param("args"), reg.R12)
	ctx.MOVQ(operand.Mem{Base: reg.R12}, reg.R12)
	ctx.TESTQ(reg.R12, reg.R12)
	ctx.JZ(operand.LabelRef(name + "_done"))
	ctx.Label(name + "_loop")
	for i := range nacc {
		ctx.VPMADDWD(x, y, ymmRegs[nacc+i])
		ctx.VPADDD(ymmRegs[nacc+i], ymmRegs[i], ymmRegs[i])
	}
	ctx.DECQ(reg.R12)
	ctx.JNZ(operand.LabelRef(name + "_loop"))
	ctx.Label(name + "_done")
	ctx.VZEROUPPER()
	ctx.RET()
}
