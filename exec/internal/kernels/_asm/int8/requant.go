package main

import (
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// requant emits TFLite's requantization (see the package comment) of one
// vector of int32 accumulators at a time, shared by the GEMM and the
// depthwise kernels: two temporaries, a register holding the rounding
// constant 2^30 in every 64-bit lane, and two opmask registers (the odd
// dword lanes, the round-up lanes).
type requant struct {
	ctx       *build.Context
	t1, t2    reg.Register
	round     reg.Register
	kOdd, kGt reg.Register
}

// setup loads the rounding constant from the record (args + off) and the
// odd-lane mask.
func (q *requant) setup(args reg.Register, off int) {
	c := q.ctx
	c.VMOVDQU64(operand.Mem{Base: args, Disp: off}, q.round)
	c.MOVL(operand.U32(0xaaaa), q.tmpGP())
	c.KMOVW(q.tmpGP(), q.kOdd)
}

// tmpGP is a scratch register for setup: DI is the generators' temporary.
func (q *requant) tmpGP() reg.Register { return reg.EDI }

// apply requantizes x in place: the high multiply by the channel
// multipliers at mult (16 columns; one more is read, mult+4 for the odd
// lanes), the rounding shift right by rsh with masks rm and halves rh,
// then the output zero point and the clamp from the record (args + the
// offsets of ones, zero, lo, hi), leaving bytes' worth of values in x.
func (q *requant) apply(x reg.Register, mult, rsh, rm, rh operand.Mem, args reg.Register, ones, zero, lo, hi int) {
	c := q.ctx
	t1, t2 := q.t1, q.t2
	mo := mult
	mo.Disp += 4
	// SaturatingRoundingDoublingHighMul: even lanes, then odd ones.
	c.VPMULDQ(mult, x, t1)
	c.VPSRLQ(operand.Imm(32), x, t2)
	c.VPMULDQ(mo, t2, t2)
	c.VPADDQ(q.round, t1, t1)
	c.VPADDQ(q.round, t2, t2)
	c.VPSRLQ(operand.Imm(31), t1, t1)
	c.VPSLLQ(operand.Imm(1), t2, t2)
	c.VPBLENDMD(t2, t1, q.kOdd, x)
	// RoundingDivideByPOT: (x >> R) + ((x & mask) > (mask >> 1) + (x < 0)).
	c.VPSRAVD(rsh, x, t1)
	c.VPANDD(rm, x, t2)
	c.VPSRLD(operand.Imm(31), x, x)
	c.VPADDD(rh, x, x)
	c.VPCMPGTD(x, t2, q.kGt)
	c.VPADDD(operand.Mem{Base: args, Disp: ones}, t1, q.kGt, t1)
	// The output zero point and the clamp.
	c.VPADDD(operand.Mem{Base: args, Disp: zero}, t1, t1)
	c.VPMAXSD(operand.Mem{Base: args, Disp: lo}, t1, t1)
	c.VPMINSD(operand.Mem{Base: args, Disp: hi}, t1, x)
}
