// Command dwconv generates mnet's depthwise-convolution kernels
// (../../dwconv_amd64.s and the Go stubs ../../dwconv_amd64.go) with avo.
//
// Run from the _asm module (see the go:generate line in ../../dwconv.go):
//
//	go run ./dwconv -out ../dwconv_amd64.s -stubs ../dwconv_amd64.go -pkg kernels
//
// The AVX2+FMA and AVX-512 kernels come from the same generator functions,
// parameterised by the vector width (8 or 16 float32 lanes, so 2 or 1
// vectors per 16-channel weight panel), the register constructor (YMM or
// ZMM), the tail-mask handling (VMASKMOVPS with a ymm mask, or a K-masked
// VMOVUPS) and the block geometry (vectors per body G, pixels per block NB,
// chosen per register file). Every code path of the generator runs on AVX2:
// the AVX-512 block kernels (G=1, NB=6) have the geometry of the AVX2 5x5
// ones, and a panel of one vector takes the same loops as a panel of two
// with one body fewer. What the AVX2 tests cannot see is an encoding or
// semantic difference of the AVX-512 instructions themselves (EVEX masking,
// VMOVUPS.Z zeroing); that is for the instruction-level simulator.
//
// Instruction vocabulary (kept small for the instruction-level simulator):
//
//	vector:  VMOVUPS (load, store, reg-reg), VBROADCASTSS (m32),
//	         VFMADD231PS (reg or m256/m512 first operand), VMAXPS, VMINPS,
//	         VADDPS, VMULPS (m256/m512 first operand; register), VZEROUPPER
//	AVX2 tails:    VMASKMOVPS m256, ymm, ymm (load) and ymm, ymm, m256 (store)
//	AVX-512 tails: KMOVW m16, k; VMOVUPS.Z m512, k, zmm; VMOVUPS zmm, k, m512
//	integer: MOVQ, ADDQ, XORQ, DECQ, CMPQ (reg or m64 vs imm), TESTQ
//	control: JZ, JNZ, JEQ, JNE, JMP, RET
//
// The epilogue (offEp) clamps to [lo, hi] (none: -Inf, +Inf; ReLU: 0, +Inf;
// ReLU6: 0, 6), or computes hard-swish x*(min(max(x+3, lo), hi)*(1/6)) or
// hard-sigmoid min(max(x+3, lo), hi)*(1/6) with lo 0 and hi 6, each
// operation rounded to float32 in that order as the generic kernels do; a
// NaN stays NaN through all of them (it is the second source of
// VMAXPS/VMINPS, Intel order, which they return when either is NaN).
//
// All memory operands are base + optional index*1 + displacement. Every
// function takes a single pointer to a dwArgs record (layout below, mirrored in
// ../../dwsimd_amd64.go and checked by a test); the kernels keep their
// outer-loop state in that record's scratch words rather than on the stack.
// AVX2 functions must only use Y0-Y15 (avo would silently hand out Y16+,
// which need AVX-512); a test in the kernels package checks the output.
//
// Weights are packed in panels of 16 channels (one zmm, two ymm):
// [panel][KH][KW][16], so the taps of a channel step are contiguous (one
// memory stream rather than KH*KW) and a tap is 64 bytes from the next.
package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// dwArgs field offsets (bytes). Keep in sync with dwArgs in dwsimd_amd64.go.
const (
	offIn     = 0   // *float32: input at the first tap, channel 0
	offW      = 8   // *float32: panel 0 of the weights at the first tap
	offBias   = 16  // *float32: C biases
	offOut    = 24  // *float32: output pixel, channel 0
	offCS     = 32  // input step between horizontal taps (bytes)
	offRSAdj  = 40  // input step from the last tap of a kernel row to the first of the next
	offWPS    = 48  // weight panel stride (bytes) = KH*KW*64 (pixel kernel)
	offWRSAdj = 56  // weight step from the last tap of a row to the next row's first (pixel kernel)
	offOCS    = 64  // output step between the pixels of a block (bytes)
	offNKH    = 72  // kernel rows to accumulate (>= 1)
	offNKW    = 80  // kernel columns to accumulate (>= 1; pixel kernel)
	offNPan   = 88  // full panels (block kernel) / pairs of full panels (pixel kernel)
	offNPan1  = 96  // 1 if an odd full panel follows the pairs (pixel kernel)
	offNRem   = 104 // full vectors left in a partial panel (AVX2: 0 or 1)
	offTail   = 112 // 1 if a masked partial vector follows
	offN      = 120 // pixels (pixel kernel) or pixel blocks (block kernel), >= 1
	offPStep  = 128 // input advance per pixel / block (bytes)
	offOStep  = 136 // output advance per pixel / block (bytes)
	offLo     = 144 // float32 lower clamp (-Inf or 0)
	offHi     = 148 // float32 upper clamp (+Inf or 6)
	offKMask  = 152 // uint16 AVX-512 tail mask
	offMask   = 160 // [8]int32 AVX2 tail mask
	offEp     = 192 // epilogue: 0 clamp to [lo, hi], 1 hard-swish, 2 hard-sigmoid (lo 0, hi 6)
	offThree  = 256 // [16]float32: 3
	offSixth  = 320 // [16]float32: float32(1/6)
	offCurIn  = 384 // scratch: current input pointer
	offCurOut = 392 // scratch: current output pointer
	offCount  = 400 // scratch: pixels / blocks left
)

// Epilogue kinds (offEp).
const (
	epClamp    = 0
	epHSwish   = 1
	epHSigmoid = 2
)

const (
	panelBytes = 64 // 16 float32 channels
	tapBytes   = panelBytes
)

// isa abstracts the vector width and tail masking.
type isa struct {
	name  string
	lanes int
	vec   func() reg.VecVirtual
	mask  reg.Register // ymm mask (AVX2) or k register (AVX-512), set by setupMask
	avx2  bool
}

var (
	avx2   = &isa{name: "AVX2", lanes: 8, vec: YMM, avx2: true}
	avx512 = &isa{name: "AVX512", lanes: 16, vec: ZMM}
)

func (v *isa) vbytes() int { return 4 * v.lanes }

// vpp is the number of vectors per weight panel.
func (v *isa) vpp() int { return panelBytes / v.vbytes() }

// blockGeom returns, for a KxK block kernel, the vectors per body (G: both
// halves of a 64-byte line where registers allow, since with a power-of-two
// channel count every pixel's line maps to the same one or two L1 sets and a
// half-used line tends to be gone when the next step wants it) and the pixels
// per block (NB accumulators per vector, as many as the registers allow beside
// the K*G weights, one input vector and the two clamp bounds).
func (v *isa) blockGeom(K int) (G, NB int) {
	if v.avx2 {
		if K == 3 {
			return 2, 3 // 6 acc + 6 w + x + lo + hi = 15 of 16 ymm
		}
		return 1, 6 // 6 acc + 5 w + x + lo + hi = 14 of 16 ymm
	}
	return 1, 6 // a zmm is a line; 6 acc + K w + 3 of 32 zmm
}

// setupMask loads the tail mask (just before the masked body needs it).
func (v *isa) setupMask(a reg.GPVirtual) {
	if v.avx2 {
		m := YMM()
		VMOVUPS(Mem{Base: a, Disp: offMask}, m)
		v.mask = m
		return
	}
	k := K()
	KMOVW(Mem{Base: a, Disp: offKMask}, k)
	v.mask = k
}

// load loads a vector, masked (missing lanes zero) for a tail.
func (v *isa) load(m Mem, dst reg.VecVirtual, masked bool) {
	switch {
	case !masked:
		VMOVUPS(m, dst)
	case v.avx2:
		VMASKMOVPS(m, v.mask, dst)
	default:
		VMOVUPS_Z(m, v.mask, dst)
	}
}

// store stores a vector, only the valid lanes for a tail.
func (v *isa) store(src reg.VecVirtual, m Mem, masked bool) {
	switch {
	case !masked:
		VMOVUPS(src, m)
	case v.avx2:
		VMASKMOVPS(src, v.mask, m)
	default:
		VMOVUPS(src, v.mask, m)
	}
}

func arg(a reg.GPVirtual, off int) Mem { return Mem{Base: a, Disp: off} }

func loadArg(a reg.GPVirtual, off int) reg.GPVirtual {
	r := GP64()
	MOVQ(arg(a, off), r)
	return r
}

// common holds what every kernel keeps in registers throughout.
type common struct {
	a, cs, rsAdj reg.GPVirtual
	lo, hi       reg.VecVirtual
}

// resetScratch points the scratch words at the first pixel/block.
func resetScratch(a reg.GPVirtual) {
	for _, p := range [][2]int{{offIn, offCurIn}, {offOut, offCurOut}, {offN, offCount}} {
		t := loadArg(a, p[0])
		MOVQ(t, arg(a, p[1]))
	}
}

func prologue(v *isa) common {
	var c common
	c.a = GP64()
	Load(Param("a"), c.a)
	c.lo, c.hi = v.vec(), v.vec()
	VBROADCASTSS(arg(c.a, offLo), c.lo)
	VBROADCASTSS(arg(c.a, offHi), c.hi)
	c.cs = loadArg(c.a, offCS)
	c.rsAdj = loadArg(c.a, offRSAdj)
	resetScratch(c.a)
	return c
}

// advance moves the scratch pointers on by one pixel/block and loops while
// any are left.
func advance(c common, loop string) {
	for _, p := range [][2]int{{offCurIn, offPStep}, {offCurOut, offOStep}} {
		t := loadArg(c.a, p[0])
		s := loadArg(c.a, p[1])
		ADDQ(s, t)
		MOVQ(t, arg(c.a, p[0]))
	}
	n := loadArg(c.a, offCount)
	DECQ(n)
	MOVQ(n, arg(c.a, offCount))
	JNZ(LabelRef(loop))
}

// epilogueStores applies the epilogue the record asks for to every
// accumulator and stores it (at mem(i)): three copies of the store loop,
// chosen once (labels from label).
func epilogueStores(v *isa, c common, acc []reg.VecVirtual, mem func(i int) Mem, masked bool, label string) {
	three, sixth := arg(c.a, offThree), arg(c.a, offSixth)
	kinds := []struct {
		ep   int
		f    func(x reg.VecVirtual)
		name string
	}{
		{epClamp, func(x reg.VecVirtual) {
			VMAXPS(x, c.lo, x)
			VMINPS(x, c.hi, x)
		}, "clamp"},
		{epHSwish, func(x reg.VecVirtual) {
			u := v.vec()
			VADDPS(three, x, u)
			VMAXPS(u, c.lo, u)
			VMINPS(u, c.hi, u)
			VMULPS(sixth, u, u)
			VMULPS(u, x, x)
		}, "hswish"},
		{epHSigmoid, func(x reg.VecVirtual) {
			VADDPS(three, x, x)
			VMAXPS(x, c.lo, x)
			VMINPS(x, c.hi, x)
			VMULPS(sixth, x, x)
		}, "hsigmoid"},
	}
	done := label + "_epdone"
	for i, k := range kinds {
		next := fmt.Sprintf("%s_ep%d", label, i+1)
		if i < len(kinds)-1 {
			CMPQ(arg(c.a, offEp), U8(k.ep))
			JNE(LabelRef(next))
		}
		for j, x := range acc {
			k.f(x)
			v.store(x, mem(j), masked)
		}
		if i < len(kinds)-1 {
			JMP(LabelRef(done))
			Label(next)
		}
	}
	Label(done)
}

// countedLoop emits "n := load(off); if n != 0 { do { body } while --n != 0 }".
func countedLoop(a reg.GPVirtual, off int, label string, body func()) {
	n := loadArg(a, off)
	TESTQ(n, n)
	JZ(LabelRef(label + "_end"))
	Label(label)
	body()
	DECQ(n)
	JNZ(LabelRef(label))
	Label(label + "_end")
}

// ifArg emits "if arg(off) != 0 { body }".
func ifArg(a reg.GPVirtual, off int, label string, body func()) {
	CMPQ(arg(a, off), U8(0))
	JEQ(LabelRef(label + "_end"))
	body()
	Label(label + "_end")
}

// blockKernel emits the interior kernel for a KxK depthwise convolution with
// stride S: it computes n blocks of NB horizontally adjacent output pixels,
// every tap in bounds horizontally (kernel rows are limited by nkh, so the top
// and bottom borders use it too). Per block it walks the channels a weight
// panel at a time, in bodies of G vectors with NB*G accumulators; per kernel
// row a body loads the K*G weights into registers and streams the
// (NB-1)*S+K input columns of the row once, each feeding up to K
// accumulators per vector. After the full panels come the full vectors of a
// partial panel one at a time, then the masked partial vector.
func blockKernel(v *isa, K, S int) {
	G, NB := v.blockGeom(K)
	name := fmt.Sprintf("dwBlock%dx%dS%d%s", K, K, S, v.name)
	TEXT(name, NOSPLIT, "func(a *byte)")
	Pragma("noescape")
	Doc(fmt.Sprintf("%s computes a.n blocks of %d output pixels of a %dx%d stride-%d depthwise convolution, %d vector(s) of %d lanes per body (%s).", name, NB, K, K, S, G, v.lanes, v.name))
	c := prologue(v)
	ocs := loadArg(c.a, offOCS)

	Label(name + "_block")
	co := GP64()
	XORQ(co, co)
	pw := loadArg(c.a, offW)
	countedLoop(c.a, offNPan, name+"_panel", func() {
		for sb := 0; sb < v.vpp()/G; sb++ {
			blockBody(v, c, ocs, co, pw, sb*G*v.vbytes(), K, S, NB, G, fmt.Sprintf("%s_p%d", name, sb), false)
			ADDQ(U32(G*v.vbytes()), co)
		}
		ADDQ(U32(K*K*tapBytes), pw)
	})
	if v.vpp() > 1 {
		countedLoop(c.a, offNRem, name+"_rem", func() {
			blockBody(v, c, ocs, co, pw, 0, K, S, NB, 1, name+"_r", false)
			ADDQ(U32(v.vbytes()), co)
			ADDQ(U32(v.vbytes()), pw)
		})
	}
	ifArg(c.a, offTail, name+"_tail", func() {
		v.setupMask(c.a)
		blockBody(v, c, ocs, co, pw, 0, K, S, NB, 1, name+"_m", true)
	})
	advance(c, name+"_block")
	VZEROUPPER()
	RET()
}

// blockBody computes one block for G vectors of channels at byte offset co;
// their weights are at pw+wdisp in the current panel.
func blockBody(v *isa, c common, ocs, co, pw reg.GPVirtual, wdisp, K, S, NB, G int, label string, masked bool) {
	acc := make([][]reg.VecVirtual, NB)
	pb := loadArg(c.a, offBias)
	for i := range acc {
		acc[i] = make([]reg.VecVirtual, G)
		for g := range acc[i] {
			acc[i][g] = v.vec()
			if i == 0 {
				v.load(Mem{Base: pb, Index: co, Scale: 1, Disp: g * v.vbytes()}, acc[0][g], masked)
			} else {
				VMOVUPS(acc[0][g], acc[i][g])
			}
		}
	}
	p := loadArg(c.a, offCurIn)
	ADDQ(co, p)
	pwr := GP64()
	MOVQ(pw, pwr)
	kc := loadArg(c.a, offNKH)

	Label(label + "_kh")
	w := make([][]reg.VecVirtual, K)
	for k := range w {
		w[k] = make([]reg.VecVirtual, G)
		for g := range w[k] {
			w[k][g] = v.vec()
			VMOVUPS(Mem{Base: pwr, Disp: k*tapBytes + wdisp + g*v.vbytes()}, w[k][g])
		}
	}
	ncols := (NB-1)*S + K
	for j := 0; j < ncols; j++ {
		for g := 0; g < G; g++ {
			x := v.vec()
			v.load(Mem{Base: p, Disp: g * v.vbytes()}, x, masked)
			for i := 0; i < NB; i++ {
				if k := j - i*S; k >= 0 && k < K {
					VFMADD231PS(w[k][g], x, acc[i][g])
				}
			}
		}
		if j < ncols-1 {
			ADDQ(c.cs, p)
		}
	}
	ADDQ(c.rsAdj, p)
	ADDQ(U32(K*tapBytes), pwr)
	DECQ(kc)
	JNZ(LabelRef(label + "_kh"))

	// The block's NB pixels are ocs bytes apart: their outputs are
	// addressed from q with ocs as an index (scale 1), q stepping by two
	// ocs every second pixel.
	q := loadArg(c.a, offCurOut)
	ADDQ(co, q)
	qs := make([]reg.GPVirtual, (NB+1)/2)
	for i := range qs {
		if i == 0 {
			qs[0] = q
			continue
		}
		qs[i] = GP64()
		MOVQ(qs[i-1], qs[i])
		ADDQ(ocs, qs[i])
		ADDQ(ocs, qs[i])
	}
	var flat []reg.VecVirtual
	for i := range acc {
		flat = append(flat, acc[i]...)
	}
	epilogueStores(v, c, flat, func(j int) Mem {
		i, g := j/G, j%G
		m := Mem{Base: qs[i/2], Disp: g * v.vbytes()}
		if i%2 == 1 {
			m.Index, m.Scale = ocs, 1
		}
		return m
	}, masked, label)
}

// pixelKernel emits the general kernel: a.n output pixels, each summing the
// same nkh x nkw rectangle of in-bounds taps (any kernel size and stride).
// The channels go two weight panels (2*vpp vectors, one accumulator each) at
// a time, then an odd full panel, the full vectors of a partial panel and the
// masked partial vector. It serves the borders, and interiors without a block
// kernel.
func pixelKernel(v *isa) {
	name := "dwPixel" + v.name
	TEXT(name, NOSPLIT, "func(a *byte)")
	Pragma("noescape")
	Doc(fmt.Sprintf("%s computes a.n output pixels of a depthwise convolution over an nkh x nkw rectangle of taps (%s, %d lanes).", name, v.name, v.lanes))
	c := prologue(v)
	wrsAdj := loadArg(c.a, offWRSAdj)
	wps := loadArg(c.a, offWPS)

	Label(name + "_pixel")
	co := GP64()
	XORQ(co, co)
	pw := loadArg(c.a, offW)
	countedLoop(c.a, offNPan, name+"_pair", func() {
		pixelBody(v, c, wrsAdj, wps, co, pw, 2*v.vpp(), name+"_2", false)
		ADDQ(U32(2*panelBytes), co)
		ADDQ(wps, pw)
		ADDQ(wps, pw)
	})
	ifArg(c.a, offNPan1, name+"_one", func() {
		pixelBody(v, c, wrsAdj, wps, co, pw, v.vpp(), name+"_1", false)
		ADDQ(U32(panelBytes), co)
		ADDQ(wps, pw)
	})
	if v.vpp() > 1 {
		countedLoop(c.a, offNRem, name+"_rem", func() {
			pixelBody(v, c, wrsAdj, wps, co, pw, 1, name+"_r", false)
			ADDQ(U32(v.vbytes()), co)
			ADDQ(U32(v.vbytes()), pw)
		})
	}
	ifArg(c.a, offTail, name+"_tail", func() {
		v.setupMask(c.a)
		pixelBody(v, c, wrsAdj, wps, co, pw, 1, name+"_m", true)
	})
	advance(c, name+"_pixel")
	VZEROUPPER()
	RET()
}

// pixelBody computes nv vectors of channels from byte offset co for one
// pixel; vector u's weights are in panel u/vpp (pw, or pw+wps for the second
// panel of a pair) at offset (u%vpp)*vbytes.
func pixelBody(v *isa, c common, wrsAdj, wps, co, pw reg.GPVirtual, nv int, label string, masked bool) {
	acc := make([]reg.VecVirtual, nv)
	pb := loadArg(c.a, offBias)
	for u := range acc {
		acc[u] = v.vec()
		v.load(Mem{Base: pb, Index: co, Scale: 1, Disp: u * v.vbytes()}, acc[u], masked)
	}
	p := loadArg(c.a, offCurIn)
	ADDQ(co, p)
	pwt := GP64()
	MOVQ(pw, pwt)
	kc := loadArg(c.a, offNKH)
	Label(label + "_kh")
	jc := loadArg(c.a, offNKW)
	Label(label + "_kw")
	for u := range acc {
		x := v.vec()
		v.load(Mem{Base: p, Disp: u * v.vbytes()}, x, masked)
		wm := Mem{Base: pwt, Disp: (u % v.vpp()) * v.vbytes()}
		if u/v.vpp() == 1 {
			wm.Index, wm.Scale = wps, 1
		}
		VFMADD231PS(wm, x, acc[u])
	}
	ADDQ(c.cs, p)
	ADDQ(U32(tapBytes), pwt)
	DECQ(jc)
	JNZ(LabelRef(label + "_kw"))
	ADDQ(c.rsAdj, p)
	ADDQ(wrsAdj, pwt)
	DECQ(kc)
	JNZ(LabelRef(label + "_kh"))

	q := loadArg(c.a, offCurOut)
	ADDQ(co, q)
	epilogueStores(v, c, acc, func(u int) Mem { return Mem{Base: q, Disp: u * v.vbytes()} }, masked, label)
}

func main() {
	ConstraintExpr("amd64,!purego")
	for _, v := range []*isa{avx2, avx512} {
		for _, K := range []int{3, 5} {
			for _, S := range []int{1, 2} {
				blockKernel(v, K, S)
			}
		}
		pixelKernel(v)
	}
	Generate()
}
