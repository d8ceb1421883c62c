package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// qdwArgs field offsets (bytes). Keep in sync with qdwArgs in
// ../../qdwconv_simd.go.
const (
	dwIn     = 0   // *u8: the first pixel's first tap, channel 0
	dwW      = 8   // *int32: the first tap's weights (w - zw), [tap][C]
	dwBias   = 16  // *int32: C biases
	dwOut    = 24  // *u8: the first output pixel, channel 0
	dwCS     = 32  // input step between the taps of a row (bytes)
	dwRSAdj  = 40  // input step from a row's last tap to the next row's first
	dwWStep  = 48  // weight step between taps (bytes: 4C)
	dwWRSAdj = 56  // weight step from a row's last tap to the next row's first
	dwNKH    = 64  // kernel rows (>= 1)
	dwNKW    = 72  // kernel columns (>= 1)
	dwNVec   = 80  // full 16-channel vectors
	dwTail   = 88  // 1 if a masked partial vector follows
	dwN      = 96  // output pixels (>= 1)
	dwPStep  = 104 // input advance per output pixel (bytes)
	dwOStep  = 112 // output advance per output pixel (bytes)
	dwMult   = 120 // *int32 per channel (one more is read)
	dwLShift = 128 // *int32 per channel (qfLShift)
	dwRShift = 136 // *int32
	dwRMask  = 144 // *int32
	dwRHalf  = 152 // *int32
	dwFlags  = 160 // qfLShift
	dwKMask  = 168 // uint64: the partial vector's lanes
	dwZo     = 192 // [16]int32
	dwLo     = 256 // [16]int32
	dwHi     = 320 // [16]int32
	dwOnes   = 384 // [16]int32
	dwRound  = 448 // [8]int64: 2^30
	dwZx     = 512 // [16]int32: the input zero point
	dwCurIn  = 576 // scratch: the current pixel's first tap
	dwCurOut = 584 // scratch: the current output pixel
	dwCount  = 592 // scratch: pixels left
)

// The scratch words are the kernels' only writes; the block kernels' extra
// fields follow them (dwOCS, dwBiasI).

// dwPixelKernel emits qdwAVX512 (AVX-512F and BW): n output pixels of an int8
// depthwise convolution, each over the same nkh x nkw rectangle of
// in-bounds taps (any kernel size and stride), 16 channels per vector:
//
//	acc = bias; for each tap: acc += (x - zx) * w    (x u8, w = weight - zw)
//	out = requantize(acc) + zo, clamped
//
// The product is one vpmaddwd: x - zx and w each fit 16 bits, so with the
// weights stored as int32 whose high halves are zero, vpmaddwd's
// low*low + high*high is the product (the high half of x - zx times 0).
// Channels past the last whole vector are masked (loads and stores).
func dwPixelKernel(ctx *build.Context) {
	const name = "qdwAVX512"
	c := ctx
	c.Function(name)
	c.Attributes(attr.NOSPLIT)
	c.Pragma("noescape")
	c.SignatureExpr("func(args *byte)")
	c.Doc(name + " computes a.n output pixels of an int8 depthwise convolution over an nkh x nkw rectangle of taps (AVX-512, 16 channels per vector).")

	a := c.GP64()
	c.Load(c.Param("args"), a)
	arg := func(off int) operand.Mem { return operand.Mem{Base: a, Disp: off} }
	load := func(off int) reg.GPVirtual {
		r := c.GP64()
		c.MOVQ(arg(off), r)
		return r
	}
	zx := c.ZMM()
	c.VMOVDQU32(arg(dwZx), zx)
	rq := requant{ctx: c, t1: c.ZMM(), t2: c.ZMM(), round: c.ZMM(), kOdd: c.K(), kGt: c.K()}
	c.VMOVDQU64(arg(dwRound), rq.round)
	t := c.GP32()
	c.MOVL(operand.U32(0xaaaa), t)
	c.KMOVW(t, rq.kOdd)
	kTail := c.K()
	c.KMOVW(arg(dwKMask), kTail)
	for _, p := range [][2]int{{dwIn, dwCurIn}, {dwOut, dwCurOut}, {dwN, dwCount}} {
		r := load(p[0])
		c.MOVQ(r, arg(p[1]))
	}

	c.Label(name + "_pixel")
	co := c.GP64() // channel offset, bytes of u8 data
	c.XORQ(co, co)
	body := func(label string, masked bool) {
		acc, x := c.ZMM(), c.ZMM()
		bias := load(dwBias)
		bm := operand.Mem{Base: bias, Index: co, Scale: 4}
		if masked {
			c.VMOVDQU32_Z(bm, kTail, acc)
		} else {
			c.VMOVDQU32(bm, acc)
		}
		p := load(dwCurIn)
		c.ADDQ(co, p)
		pw := load(dwW)
		c.LEAQ(operand.Mem{Base: pw, Index: co, Scale: 4}, pw)
		cs, wstep := load(dwCS), load(dwWStep)
		kh := load(dwNKH)
		c.Label(label + "_kh")
		kw := load(dwNKW)
		c.Label(label + "_kw")
		if masked {
			c.VPMOVZXBD_Z(operand.Mem{Base: p}, kTail, x)
		} else {
			c.VPMOVZXBD(operand.Mem{Base: p}, x)
		}
		c.VPSUBD(zx, x, x)
		c.VPMADDWD(operand.Mem{Base: pw}, x, x)
		c.VPADDD(x, acc, acc)
		c.ADDQ(cs, p)
		c.ADDQ(wstep, pw)
		c.DECQ(kw)
		c.JNZ(operand.LabelRef(label + "_kw"))
		c.ADDQ(arg(dwRSAdj), p)
		c.ADDQ(arg(dwWRSAdj), pw)
		c.DECQ(kh)
		c.JNZ(operand.LabelRef(label + "_kh"))

		// Left shifts, then the requantization and the store.
		c.TESTQ(operand.U32(1<<1), arg(dwFlags))
		c.JZ(operand.LabelRef(label + "_nolshift"))
		lsh := load(dwLShift)
		c.VPSLLVD(operand.Mem{Base: lsh, Index: co, Scale: 4}, acc, acc)
		c.Label(label + "_nolshift")
		mem := func(off int) operand.Mem { return operand.Mem{Base: load(off), Index: co, Scale: 4} }
		rq.apply(acc, mem(dwMult), mem(dwRShift), mem(dwRMask), mem(dwRHalf), a, dwOnes, dwZo, dwLo, dwHi)
		q := load(dwCurOut)
		if masked {
			c.VPMOVUSDB(acc, kTail, operand.Mem{Base: q, Index: co, Scale: 1})
		} else {
			c.VPMOVUSDB(acc, operand.Mem{Base: q, Index: co, Scale: 1})
		}
	}
	nv := load(dwNVec)
	c.TESTQ(nv, nv)
	c.JZ(operand.LabelRef(name + "_vec_end"))
	c.Label(name + "_vec")
	body(name+"_v", false)
	c.ADDQ(operand.U32(16), co)
	c.DECQ(nv)
	c.JNZ(operand.LabelRef(name + "_vec"))
	c.Label(name + "_vec_end")
	c.CMPQ(arg(dwTail), operand.U8(0))
	c.JEQ(operand.LabelRef(name + "_tail_end"))
	body(name+"_t", true)
	c.Label(name + "_tail_end")

	for _, p := range [][2]int{{dwCurIn, dwPStep}, {dwCurOut, dwOStep}} {
		r := load(p[0])
		c.ADDQ(arg(p[1]), r)
		c.MOVQ(r, arg(p[0]))
	}
	cnt := load(dwCount)
	c.DECQ(cnt)
	c.MOVQ(cnt, arg(dwCount))
	c.JNZ(operand.LabelRef(name + "_pixel"))
	c.VZEROUPPER()
	c.RET()
}

// Block kernel record fields (beyond the pixel kernel's).
const (
	dwOCS   = 600 // output step between the pixels of a block (bytes)
	dwBiasI = 608 // *int32: the interior bias, bias - zx * sum of the taps' weights
)

// dwBlockKernel emits qdwBlock{K}x{K}S{S}{VNNI,AVX2}: a.n blocks of nb
// horizontally adjacent output pixels whose windows lie inside the input
// horizontally (kernel rows limited by nkh, as the pixel kernel). The input
// zero point is folded into the interior bias (every pixel of a block has
// the same taps), so each tap is one vpdpwssd (VNNI: acc += x*w on the
// int16 halves, the high halves zero) or vpmaddwd + vpaddd (AVX2). Per
// kernel row the (nb-1)*S+K input columns are widened once and feed up to
// K accumulators each.
func dwBlockKernel(ctx *build.Context, K, S int, avx2 bool) {
	isa, lanes, nb := "VNNI", 16, 8
	vec := func() reg.VecVirtual { return ctx.ZMM() }
	if avx2 {
		isa, lanes, nb = "AVX2", 8, 4
		vec = func() reg.VecVirtual { return ctx.YMM() }
	}
	name := fmt.Sprintf("qdwBlock%dx%dS%d%s", K, K, S, isa)
	c := ctx
	c.Function(name)
	c.Attributes(attr.NOSPLIT)
	c.Pragma("noescape")
	c.SignatureExpr("func(args *byte)")
	c.Doc(fmt.Sprintf("%s computes a.n blocks of %d output pixels of a %dx%d stride-%d int8 depthwise convolution (%s, %d channels per vector).", name, nb, K, K, S, isa, lanes))
	a := c.GP64()
	c.Load(c.Param("args"), a)
	arg := func(off int) operand.Mem { return operand.Mem{Base: a, Disp: off} }
	load := func(off int) reg.GPVirtual {
		r := c.GP64()
		c.MOVQ(arg(off), r)
		return r
	}
	var kTail reg.Register
	round := vec()
	var rq requant
	var rq2 requantAVX2
	if avx2 {
		c.VMOVDQU(arg(dwRound), round)
		rq2 = requantAVX2{ctx: c, t1: vec(), t2: vec(), round: round}
	} else {
		c.VMOVDQU64(arg(dwRound), round)
		rq = requant{ctx: c, t1: vec(), t2: vec(), round: round, kOdd: c.K(), kGt: c.K()}
		t := c.GP32()
		c.MOVL(operand.U32(0xaaaa), t)
		c.KMOVW(t, rq.kOdd)
		kTail = c.K()
		c.KMOVW(arg(dwKMask), kTail)
	}
	for _, p := range [][2]int{{dwIn, dwCurIn}, {dwOut, dwCurOut}, {dwN, dwCount}} {
		r := load(p[0])
		c.MOVQ(r, arg(p[1]))
	}
	c.Label(name + "_block")
	co := c.GP64()
	c.XORQ(co, co)
	vb := lanes // bytes of u8 per vector
	body := func(label string, masked bool) {
		acc := make([]reg.VecVirtual, nb)
		bias := load(dwBiasI)
		bm := operand.Mem{Base: bias, Index: co, Scale: 4}
		for i := range acc {
			acc[i] = vec()
			switch {
			case i > 0 && avx2:
				c.VMOVDQA(acc[0], acc[i])
			case i > 0:
				c.VMOVDQA32(acc[0], acc[i])
			case masked:
				c.VMOVDQU32_Z(bm, kTail, acc[0])
			case avx2:
				c.VMOVDQU(bm, acc[0])
			default:
				c.VMOVDQU32(bm, acc[0])
			}
		}
		p := load(dwCurIn)
		c.ADDQ(co, p)
		pw := load(dwW)
		c.LEAQ(operand.Mem{Base: pw, Index: co, Scale: 4}, pw)
		cs, wstep := load(dwCS), load(dwWStep)
		kh := load(dwNKH)
		c.Label(label + "_kh")
		// This kernel row's weights: in registers for 3x3 on VNNI (its
		// 32 registers hold them beside the accumulators), read from
		// memory otherwise.
		w := make([]operand.Op, K)
		for k := range K {
			wk := c.GP64()
			if k == 0 {
				c.MOVQ(pw, wk)
			} else {
				c.LEAQ(operand.Mem{Base: w[k-1].(operand.Mem).Base, Index: wstep, Scale: 1}, wk)
			}
			w[k] = operand.Mem{Base: wk}
		}
		if K == 3 && !avx2 {
			for k := range K {
				r := vec()
				c.VMOVDQU32(w[k], r)
				w[k] = r
			}
		}
		ncols := (nb-1)*S + K
		x, prod := vec(), vec()
		for j := range ncols {
			xm := operand.Mem{Base: p}
			switch {
			case masked:
				c.VPMOVZXBD_Z(xm, kTail, x)
			default:
				c.VPMOVZXBD(xm, x)
			}
			for i := range nb {
				k := j - i*S
				if k < 0 || k >= K {
					continue
				}
				if avx2 {
					c.VPMADDWD(w[k], x, prod)
					c.VPADDD(prod, acc[i], acc[i])
				} else {
					c.VPDPWSSD(w[k], x, acc[i])
				}
			}
			if j < ncols-1 {
				c.ADDQ(cs, p)
			}
		}
		c.ADDQ(arg(dwRSAdj), p)
		// The next kernel row's weights: K taps on.
		for range K {
			c.ADDQ(wstep, pw)
		}
		c.DECQ(kh)
		c.JNZ(operand.LabelRef(label + "_kh"))

		c.TESTQ(operand.U32(qfLShift), arg(dwFlags))
		c.JZ(operand.LabelRef(label + "_nolshift"))
		lsh := load(dwLShift)
		for i := range nb {
			c.VPSLLVD(operand.Mem{Base: lsh, Index: co, Scale: 4}, acc[i], acc[i])
		}
		c.Label(label + "_nolshift")
		mem := func(off int) operand.Mem { return operand.Mem{Base: load(off), Index: co, Scale: 4} }
		mult, rsh, rm, rh := mem(dwMult), mem(dwRShift), mem(dwRMask), mem(dwRHalf)
		q := load(dwCurOut)
		c.ADDQ(co, q)
		ocs := load(dwOCS)
		for i := range nb {
			if avx2 {
				rq2.apply(acc[i], mult, rsh, rm, rh, a, dwZo, dwLo, dwHi)
				t := vec()
				c.VPACKUSDW(acc[i], acc[i], t)
				c.VPERMQ(operand.Imm(0x08), t, t)
				c.VPACKUSWB(t.AsX(), t.AsX(), t.AsX())
				c.VMOVQ(t.AsX(), operand.Mem{Base: q})
			} else {
				rq.apply(acc[i], mult, rsh, rm, rh, a, dwOnes, dwZo, dwLo, dwHi)
				if masked {
					c.VPMOVUSDB(acc[i], kTail, operand.Mem{Base: q})
				} else {
					c.VPMOVUSDB(acc[i], operand.Mem{Base: q})
				}
			}
			if i < nb-1 {
				c.ADDQ(ocs, q)
			}
		}
	}
	nv := load(dwNVec)
	c.TESTQ(nv, nv)
	c.JZ(operand.LabelRef(name + "_vec_end"))
	c.Label(name + "_vec")
	body(name+"_v", false)
	c.ADDQ(operand.U32(uint64(vb)), co)
	c.DECQ(nv)
	c.JNZ(operand.LabelRef(name + "_vec"))
	c.Label(name + "_vec_end")
	if !avx2 {
		c.CMPQ(arg(dwTail), operand.U8(0))
		c.JEQ(operand.LabelRef(name + "_tail_end"))
		body(name+"_t", true)
		c.Label(name + "_tail_end")
	}
	for _, p := range [][2]int{{dwCurIn, dwPStep}, {dwCurOut, dwOStep}} {
		r := load(p[0])
		c.ADDQ(arg(p[1]), r)
		c.MOVQ(r, arg(p[0]))
	}
	cnt := load(dwCount)
	c.DECQ(cnt)
	c.MOVQ(cnt, arg(dwCount))
	c.JNZ(operand.LabelRef(name + "_block"))
	c.VZEROUPPER()
	c.RET()
}
