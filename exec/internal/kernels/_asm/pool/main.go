// Command pool generates mnet's pooling kernels (../../pool_amd64.s and the
// Go stubs ../../pool_amd64.go) with avo.
//
// Run from the _asm module (see the go:generate line in ../../pool.go):
//
//	go run ./pool -out ../pool_amd64.s -stubs ../pool_amd64.go -pkg kernels
//
// AVX2 only, also used on AVX-512 machines (which have AVX2): pooling does
// one compare or add per value it loads, so it runs at the speed of the
// loads, and 16-lane vectors would only halve the instruction count of a
// kernel that is already a small part of any network's time; in exchange
// every instruction here runs, and is tested, on the AVX2 hardware.
//
// Kernels (NHWC, vectorised over channels, 8 per ymm):
//
//	poolMaxAVX2, poolAvgAVX2 (a *poolArgs): n output pixels, each the
//	    maximum or the mean of an nkh x nkw rectangle of input taps.
//	globalAvgAVX2(a *poolArgs): the float64 sum of n pixels, channel by
//	    channel, scaled and rounded to float32.
//
// Instruction vocabulary: VMOVUPS, VMASKMOVPS (tails), VMAXPS, VADDPS,
// VMULPS, VBROADCASTSS, VXORPS, VCVTPS2PD, VCVTPD2PS, VADDPD, VMULPD,
// VBROADCASTSD, VZEROUPPER; MOVQ, ADDQ, DECQ, TESTQ, JZ, JNZ, RET. Memory
// operands are base + displacement.
package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// poolArgs field offsets (bytes). Keep in sync with poolArgs in
// ../../pool_amd64_driver.go (a test checks them).
const (
	offIn    = 0   // *float32: the first pixel's first tap, channel 0
	offOut   = 8   // *float32: the first output pixel, channel 0
	offN     = 16  // output pixels (>= 1)
	offPStep = 24  // input advance per output pixel (bytes)
	offOStep = 32  // output advance per output pixel (bytes)
	offNKH   = 40  // kernel rows (>= 1)
	offNKW   = 48  // kernel columns (>= 1)
	offCS    = 56  // input step between the taps of a row (bytes)
	offRS    = 64  // input step between kernel rows (bytes)
	offNV4   = 72  // groups of 4 full vectors of channels
	offNV1   = 80  // single full vectors after the groups
	offTail  = 88  // 1 if a masked partial vector follows
	offScale = 96  // float32 multiplier of the sums (avg); float64 for global
	offMask  = 104 // [8]int32 tail lane mask
)

const vbytes = 32 // one ymm: 8 float32

func arg(a reg.GPVirtual, off int) Mem { return Mem{Base: a, Disp: off} }

func loadArg(a reg.GPVirtual, off int) reg.GPVirtual {
	r := GP64()
	MOVQ(arg(a, off), r)
	return r
}

// windowKernel emits poolMaxAVX2 or poolAvgAVX2. Per pixel the channels go
// in groups of 4 vectors (4 independent accumulators), then single vectors,
// then a masked tail; for each, the taps are visited row by row. Max
// starts from the first tap and keeps acc when a tap is not greater (VMAXPS
// acc, tap, acc: a NaN tap is ignored, a NaN first tap sticks), exactly as
// the generic Go kernel; avg adds the taps to zero in the same order, then
// multiplies by the scale, also as the Go kernel does.
func windowKernel(avg bool) {
	name := "poolMaxAVX2"
	if avg {
		name = "poolAvgAVX2"
	}
	TEXT(name, NOSPLIT, "func(a *byte)")
	Pragma("noescape")
	Doc(fmt.Sprintf("%s computes a.n output pixels of a pooling over an nkh x nkw rectangle of taps (AVX2).", name))
	a := GP64()
	Load(Param("a"), a)
	in, out, n := loadArg(a, offIn), loadArg(a, offOut), loadArg(a, offN)
	var scale reg.VecVirtual
	if avg {
		scale = YMM()
		VBROADCASTSS(arg(a, offScale), scale)
	}
	Label(name + "_pixel")
	p, o := GP64(), GP64()
	MOVQ(in, p)
	MOVQ(out, o)
	body := func(nv int, label string, masked bool) {
		var mask reg.VecVirtual
		if masked {
			mask = YMM()
			VMOVUPS(arg(a, offMask), mask)
		}
		load := func(m Mem, dst reg.VecVirtual) {
			if masked {
				VMASKMOVPS(m, mask, dst)
			} else {
				VMOVUPS(m, dst)
			}
		}
		acc := make([]reg.VecVirtual, nv)
		for u := range acc {
			acc[u] = YMM()
			if avg {
				VXORPS(acc[u], acc[u], acc[u])
			} else {
				load(Mem{Base: p, Disp: u * vbytes}, acc[u])
			}
		}
		row := GP64()
		MOVQ(p, row)
		kh := loadArg(a, offNKH)
		Label(label + "_kh")
		tp := GP64()
		MOVQ(row, tp)
		kw := loadArg(a, offNKW)
		Label(label + "_kw")
		for u := range acc {
			x := YMM()
			load(Mem{Base: tp, Disp: u * vbytes}, x)
			if avg {
				VADDPS(x, acc[u], acc[u])
			} else {
				VMAXPS(acc[u], x, acc[u])
			}
		}
		ADDQ(arg(a, offCS), tp)
		DECQ(kw)
		JNZ(LabelRef(label + "_kw"))
		ADDQ(arg(a, offRS), row)
		DECQ(kh)
		JNZ(LabelRef(label + "_kh"))
		for u := range acc {
			if avg {
				VMULPS(scale, acc[u], acc[u])
			}
			m := Mem{Base: o, Disp: u * vbytes}
			if masked {
				VMASKMOVPS(acc[u], mask, m)
			} else {
				VMOVUPS(acc[u], m)
			}
		}
	}
	vectorLoops(a, p, o, name, body)
	ADDQ(arg(a, offPStep), in)
	ADDQ(arg(a, offOStep), out)
	DECQ(n)
	JNZ(LabelRef(name + "_pixel"))
	VZEROUPPER()
	RET()
}

// vectorLoops runs body over a pixel's channels: groups of 4 vectors, then
// single vectors, then the masked tail, advancing p and o.
func vectorLoops(a, p, o reg.GPVirtual, name string, body func(nv int, label string, masked bool)) {
	g := loadArg(a, offNV4)
	TESTQ(g, g)
	JZ(LabelRef(name + "_v1"))
	Label(name + "_v4")
	body(4, name+"_b4", false)
	ADDQ(U32(4*vbytes), p)
	ADDQ(U32(4*vbytes), o)
	DECQ(g)
	JNZ(LabelRef(name + "_v4"))
	Label(name + "_v1")
	g1 := loadArg(a, offNV1)
	TESTQ(g1, g1)
	JZ(LabelRef(name + "_tail"))
	Label(name + "_v1loop")
	body(1, name+"_b1", false)
	ADDQ(U32(vbytes), p)
	ADDQ(U32(vbytes), o)
	DECQ(g1)
	JNZ(LabelRef(name + "_v1loop"))
	Label(name + "_tail")
	t := loadArg(a, offTail)
	TESTQ(t, t)
	JZ(LabelRef(name + "_next"))
	body(1, name+"_bt", true)
	Label(name + "_next")
}

// globalAvgKernel emits globalAvgAVX2: for each channel vector, the float64
// sum over a.n pixels (a.pstep bytes apart) in pixel order, times the
// float64 scale, rounded to float32: the generic Go kernel's arithmetic,
// four channels per float64 ymm. (nkh, nkw, cs, rs, ostep are unused.)
func globalAvgKernel() {
	name := "globalAvgAVX2"
	TEXT(name, NOSPLIT, "func(a *byte)")
	Pragma("noescape")
	Doc(name + " averages a.n pixels into one, channel by channel, summing in float64 (AVX2).")
	a := GP64()
	Load(Param("a"), a)
	p, o := loadArg(a, offIn), loadArg(a, offOut)
	scale := YMM()
	VBROADCASTSD(arg(a, offScale), scale)
	body := func(nv int, label string, masked bool) {
		var mask reg.VecVirtual
		if masked {
			mask = YMM()
			VMOVUPS(arg(a, offMask), mask)
		}
		// nv float32 vectors = 2*nv float64 accumulators.
		acc := make([]reg.VecVirtual, 2*nv)
		for u := range acc {
			acc[u] = YMM()
			VXORPS(acc[u], acc[u], acc[u])
		}
		tp := GP64()
		MOVQ(p, tp)
		cnt := loadArg(a, offN)
		Label(label + "_px")
		x, lo := YMM(), YMM()
		for u := range nv {
			if masked {
				VMASKMOVPS(Mem{Base: tp, Disp: u * vbytes}, mask, x)
			} else {
				VMOVUPS(Mem{Base: tp, Disp: u * vbytes}, x)
			}
			VCVTPS2PD(x.AsX(), lo)
			VADDPD(lo, acc[2*u], acc[2*u])
			VEXTRACTF128(U8(1), x, x.AsX())
			VCVTPS2PD(x.AsX(), lo)
			VADDPD(lo, acc[2*u+1], acc[2*u+1])
		}
		ADDQ(arg(a, offPStep), tp)
		DECQ(cnt)
		JNZ(LabelRef(label + "_px"))
		for u := range nv {
			r, h := acc[2*u], acc[2*u+1]
			VMULPD(scale, r, r)
			VMULPD(scale, h, h)
			VCVTPD2PSY(r, r.AsX())
			VCVTPD2PSY(h, h.AsX())
			VINSERTF128(U8(1), h.AsX(), r, r)
			m := Mem{Base: o, Disp: u * vbytes}
			if masked {
				VMASKMOVPS(r, mask, m)
			} else {
				VMOVUPS(r, m)
			}
		}
	}
	vectorLoops(a, p, o, name, body)
	VZEROUPPER()
	RET()
}

func main() {
	ConstraintExpr("amd64,!purego")
	windowKernel(false)
	windowKernel(true)
	globalAvgKernel()
	Generate()
}
