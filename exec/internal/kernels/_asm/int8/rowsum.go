package main

import (
	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
)

// qrowsumArgs field offsets. Keep in sync with qrowsumArgs in
// ../../qrowsum_simd.go.
const (
	rsSrc    = 0  // *u8: the first row
	rsLda    = 8  // row stride, bytes
	rsK      = 16 // bytes summed per row (>= 1)
	rsRows   = 24 // rows (>= 1)
	rsFactor = 32 // int64: each sum is multiplied by it
	rsDst    = 40 // *int32: one result per row
	rsKMask  = 48 // uint64: the bytes of the last partial 64-byte step (0: none)
)

// rowSumKernel emits qrowsumVNNI: per row, factor x the sum of its k
// unsigned bytes, as int32 (the int8 GEMM's weight-zero-point row
// corrections). vpsadbw against zero sums each 8-byte group into a 64-bit
// lane, 64 bytes per instruction; a masked load takes the tail.
func rowSumKernel(ctx *build.Context) {
	const name = "qrowsumVNNI"
	c := ctx
	c.Function(name)
	c.Attributes(attr.NOSPLIT)
	c.Pragma("noescape")
	c.SignatureExpr("func(args *byte)")
	c.Doc(name + " writes factor x the byte sum of each row (AVX-512BW vpsadbw).")
	a := c.GP64()
	c.Load(c.Param("args"), a)
	arg := func(off int) operand.Mem { return operand.Mem{Base: a, Disp: off} }
	src, dst, rows, factor := c.GP64(), c.GP64(), c.GP64(), c.GP64()
	c.MOVQ(arg(rsSrc), src)
	c.MOVQ(arg(rsDst), dst)
	c.MOVQ(arg(rsRows), rows)
	c.MOVQ(arg(rsFactor), factor)
	kTail := c.K()
	c.KMOVQ(arg(rsKMask), kTail)
	zero, acc, acc2, x := c.ZMM(), c.ZMM(), c.ZMM(), c.ZMM()
	c.VPXORQ(zero, zero, zero)
	c.Label(name + "_row")
	p, n := c.GP64(), c.GP64()
	c.MOVQ(src, p)
	c.MOVQ(arg(rsK), n)
	c.VPXORQ(acc, acc, acc)
	c.VPXORQ(acc2, acc2, acc2)
	// Two accumulators, 128 bytes per iteration.
	c.Label(name + "_128")
	c.CMPQ(n, operand.U32(128))
	c.JB(operand.LabelRef(name + "_64"))
	c.VPSADBW(operand.Mem{Base: p}, zero, x)
	c.VPADDQ(x, acc, acc)
	c.VPSADBW(operand.Mem{Base: p, Disp: 64}, zero, x)
	c.VPADDQ(x, acc2, acc2)
	c.ADDQ(operand.U32(128), p)
	c.SUBQ(operand.U32(128), n)
	c.JMP(operand.LabelRef(name + "_128"))
	c.Label(name + "_64")
	c.CMPQ(n, operand.U32(64))
	c.JB(operand.LabelRef(name + "_tail"))
	c.VPSADBW(operand.Mem{Base: p}, zero, x)
	c.VPADDQ(x, acc, acc)
	c.ADDQ(operand.U32(64), p)
	c.SUBQ(operand.U32(64), n)
	c.Label(name + "_tail")
	c.TESTQ(n, n)
	c.JZ(operand.LabelRef(name + "_sum"))
	c.VMOVDQU8_Z(operand.Mem{Base: p}, kTail, x)
	c.VPSADBW(x, zero, x)
	c.VPADDQ(x, acc, acc)
	c.Label(name + "_sum")
	c.VPADDQ(acc2, acc, acc)
	y := c.YMM()
	c.VEXTRACTI64X4(operand.U8(1), acc, y)
	c.VPADDQ(y, acc.AsY(), y)
	xx := c.XMM()
	c.VEXTRACTI128(operand.U8(1), y, xx)
	c.VPADDQ(xx, y.AsX(), xx)
	t := c.XMM()
	c.VPSHUFD(operand.U8(0x4e), xx, t)
	c.VPADDQ(t, xx, xx)
	s := c.GP64()
	c.VMOVQ(xx, s)
	c.IMULQ(factor, s)
	c.MOVL(s.As32(), operand.Mem{Base: dst})
	c.ADDQ(arg(rsLda), src)
	c.ADDQ(operand.U8(4), dst)
	c.DECQ(rows)
	c.JNZ(operand.LabelRef(name + "_row"))
	c.VZEROUPPER()
	c.RET()
}
