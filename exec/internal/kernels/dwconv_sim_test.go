//go:build amd64 && !purego

package kernels

// Depthwise kernels in the instruction-level simulator (see asm_sim_test.go
// for the approach): every AVX2 kernel call runs natively and simulated,
// bit-identical; the AVX-512 kernels run simulated and must match, bit for
// bit, the exact FMA-order model (which the AVX2 hardware matches bit for
// bit too) and hence the AVX2 hardware, and the float64 reference within
// the kernel tests' tolerance, with no access outside the views.

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
	"unsafe"

	"mnet.dev/mnet/exec/internal/kernels/asmsim"
)

// newDWSim returns a checking runner for depthwise kernel calls: each
// call's argument record is mapped read-only but for the kernels' scratch
// words (curIn, curOut, count: the record's tail).
func newDWSim(t *testing.T) *simRunner {
	return newSimRunner(t, func(string) (uintptr, uintptr) {
		var a dwArgs
		return unsafe.Sizeof(a), unsafe.Offsetof(a.curIn)
	})
}

// dwModel is the exact result of the vector kernels (dense OutH x OutW x C,
// rows [oy0, oy1)): per channel, the bias, then one fused multiply-add per
// in-bounds tap in kernel-row-major order (the order of both the block and
// the pixel kernels, whatever the vector width), then VMAXPS with lo and
// VMINPS with hi, or the hard-swish / hard-sigmoid epilogue operation by
// operation as _asm/dwconv emits it (lo 0, hi 6); pixels without taps get
// act(bias) (dwFillAct). w is [KH][KW][C].
func dwModel(s *DWShape, in []float32, inStride int, w, bias []float32, act Act, oy0, oy1 int, st *dwSimStats) []float32 {
	var a dwArgs
	a.setAct(act)
	lb, hb := math.Float32bits(a.lo), math.Float32bits(a.hi)
	three, sixthB := math.Float32bits(3), math.Float32bits(sixth)
	out := make([]float32, s.OutH*s.OutW*s.C)
	for oy := oy0; oy < oy1; oy++ {
		iy0 := oy*s.SH - s.PadTop
		kh0, kh1 := dwTapRange(iy0, s.KH, s.InH)
		for ox := 0; ox < s.OutW; ox++ {
			ix0 := ox*s.SW - s.PadLeft
			kw0, kw1 := dwTapRange(ix0, s.KW, s.InW)
			o := out[(oy*s.OutW+ox)*s.C:][:s.C]
			if kh0 == kh1 || kw0 == kw1 {
				dwFillAct(o, bias, act)
				continue
			}
			for c := range o {
				acc := math.Float32bits(bias[c])
				for kh := kh0; kh < kh1; kh++ {
					for kw := kw0; kw < kw1; kw++ {
						// VFMADD231PS w, x, acc: acc = x*w + acc,
						// multiplicand x (NaN selection order).
						x := math.Float32bits(in[((iy0+kh)*s.InW+ix0+kw)*inStride+c])
						acc = asmsim.FMA231(acc, x, math.Float32bits(w[(kh*s.KW+kw)*s.C+c]))
					}
				}
				switch a.ep {
				case dwEpHSwish:
					u := asmsim.Add32(acc, three) // VADDPS three, x, u
					u = asmsim.Max32(lb, u)       // VMAXPS u, lo, u
					u = asmsim.Min32(hb, u)       // VMINPS u, hi, u
					u = asmsim.Mul32(u, sixthB)   // VMULPS sixth, u, u
					acc = asmsim.Mul32(acc, u)    // VMULPS u, x, x
					st.hard++
				case dwEpHSigmoid:
					acc = asmsim.Add32(acc, three)
					acc = asmsim.Max32(lb, acc)
					acc = asmsim.Min32(hb, acc)
					acc = asmsim.Mul32(acc, sixthB)
					st.hard++
				default:
					r := asmsim.Max32(lb, acc) // VMAXPS acc, lo, acc
					if r != acc {
						st.clampLo++
					}
					acc = asmsim.Min32(hb, r) // VMINPS acc, hi, acc
					if acc != r {
						st.clampHi++
					}
				}
				o[c] = math.Float32frombits(acc)
			}
		}
	}
	return out
}

// dwSimStats accumulates what the depthwise simulator tests did.
type dwSimStats struct {
	cases, hwModel   int
	nonFinite        int // cases with NaNs and infinities planted
	nanOut           int // NaN outputs checked
	clampLo, clampHi int // model outputs changed by VMAXPS / VMINPS
	hard             int // model outputs through hard-swish or hard-sigmoid
}

// nonFiniteBits are planted in the non-finite cases: quiet NaNs with
// payloads (both signs), infinities and a signalling NaN.
var nonFiniteBits = []uint32{0x7fc0aaaa, 0xffc05555, 0x7f800000, 0xff800000, 0x7fa00001}

// dwSimOpts are the data options of a case.
type dwSimOpts struct {
	amp       float32 // inputs in [-amp, amp): 4 makes ReLU6's upper clamp bite
	nonFinite bool    // plant NaNs and infinities: bit-exact checks only
}

// runDWSimCase runs one Mult-1 case: the AVX2 production path on the
// hardware against the exact model, then the production driver with the
// AVX2 (each kernel call native and simulated) and AVX-512 (simulated)
// kernels against the model and the hardware bit for bit and, for finite
// data, the
// float64 reference and the generic kernel within the kernel tests'
// tolerance. With non-finite data (NaN payloads, infinities) only the
// bit-exact comparisons apply: they check the NaN selection and the
// operand order of VMAXPS/VMINPS, which finite data cannot see.
func runDWSimCase(t *testing.T, rng *rand.Rand, c dwCase, o dwSimOpts, sim *simRunner, st *dwSimStats) {
	t.Helper()
	s := &c.s
	if s.Mult != 1 {
		t.Fatalf("%s: the vector kernels serve Mult 1 only", c.desc)
	}
	if o.nonFinite {
		c.desc += " non-finite"
	}
	in := newTView(s.InH, s.InW, s.C, c.inStride, func() float32 { return (rng.Float32()*2 - 1) * o.amp })
	w := make([]float32, s.KH*s.KW*s.C)
	for i := range w {
		w[i] = rng.Float32()*2 - 1
	}
	var bias []float32
	if c.bias {
		bias = make([]float32, s.C)
		for i := range bias {
			bias[i] = rng.Float32()*2 - 1
		}
	}
	if o.nonFinite {
		nb := func() float32 { return math.Float32frombits(nonFiniteBits[rng.IntN(len(nonFiniteBits))]) }
		for range 1 + s.InH*s.InW*s.C/40 {
			in.data[rng.IntN(s.InH*s.InW)*c.inStride+rng.IntN(s.C)] = nb()
		}
		w[rng.IntN(len(w))] = nb()
		if bias != nil {
			bias[rng.IntN(len(bias))] = nb()
		}
	}
	inOrig := append([]float32(nil), in.buf...)
	avx2 := archSet(t, "avx2")
	pw := PackDW(avx2, *s, w) // the panel layout is shared by AVX2 and AVX-512
	pg, zg := guardedCopy(pw.panels), guardedCopy(pw.zero)
	pw.panels, pw.zero = pg.data(), zg.data()
	eff := pw.zero // what Depthwise passes on for a nil bias
	var bg *guarded
	if bias != nil {
		bg = guardedCopy(bias)
		eff = bg.data()
	}
	model := dwModel(s, in.data, c.inStride, w, eff, c.act, c.oy0, c.oy1, st)
	sameBits := func(what string, got *tview) {
		t.Helper()
		for p := c.oy0 * s.OutW; p < c.oy1*s.OutW; p++ {
			for ch := 0; ch < s.C; ch++ {
				g, m := got.data[p*c.outStride+ch], model[p*s.C+ch]
				if math.Float32bits(g) != math.Float32bits(m) {
					t.Fatalf("%s %s: pixel (%d,%d) ch %d = %v (%#08x), exact model %v (%#08x)",
						what, c.desc, p/s.OutW, p%s.OutW, ch, g, math.Float32bits(g), m, math.Float32bits(m))
				}
				if g != g {
					st.nanOut++
				}
			}
		}
	}
	var ref []float64
	var gen *tview
	scale := 0.0
	if !o.nonFinite {
		ref = refDW(s, in, w, bias, c.act)
		gen = newTView(s.OutH, s.OutW, s.C, c.outStride, nil)
		Depthwise(Generic(), nil, s, in.data, c.inStride, PackDW(Generic(), *s, w), bias, c.act, gen.data, c.outStride, c.oy0, c.oy1)
		for p := c.oy0 * s.OutW; p < c.oy1*s.OutW; p++ {
			for ch := 0; ch < s.C; ch++ {
				scale = max(scale, math.Abs(ref[p*s.C+ch]))
			}
		}
	}

	var hw *tview
	var biasArg []float32
	if bg != nil {
		biasArg = bg.data()
	}
	if avx2.Native() {
		hw = newTView(s.OutH, s.OutW, s.C, c.outStride, nil)
		Depthwise(avx2, nil, s, in.data, c.inStride, pw, biasArg, c.act, hw.data, c.outStride, c.oy0, c.oy1)
		sameBits("AVX2 hardware (Depthwise)", hw)
		st.hwModel++
	}
	for _, base := range []*Set{avx2, archSet(t, "avx512")} {
		out := newTView(s.OutH, s.OutW, s.C, c.outStride, nil)
		mem := &asmsim.Memory{}
		mem.MapReal("in", asmsim.Bytes(in.data), false)
		mem.MapReal("weights", asmsim.Bytes(pw.panels), false)
		mem.MapReal("bias", asmsim.Bytes(eff), false)
		mem.MapReal("out", asmsim.Bytes(out.data), true)
		sim.mem, sim.native = mem, true
		what := fmt.Sprintf("%v simulated", base)
		sim.desc = what + " " + c.desc
		Depthwise(sim.bind(base), nil, s, in.data, c.inStride, pw, biasArg, c.act, out.data, c.outStride, c.oy0, c.oy1)
		sameBits(what, out)
		if hw != nil {
			for i := range out.buf { // guards and untouched rows included
				if math.Float32bits(out.buf[i]) != math.Float32bits(hw.buf[i]) {
					t.Fatalf("%s %s: buffer offset %d = %v, AVX2 hardware %v", what, c.desc, i, out.buf[i], hw.buf[i])
				}
			}
		}
		in.checkSame(t, what+" "+c.desc, inOrig)
		if o.nonFinite {
			out.checkGuards(t, what+" "+c.desc, c.oy0, c.oy1)
		} else {
			out.checkOut(t, what+" "+c.desc, ref, c.oy0, c.oy1, 1e-5) // float64 reference, guards
			for p := c.oy0 * s.OutW; p < c.oy1*s.OutW; p++ {
				for ch := 0; ch < s.C; ch++ {
					g, r := out.data[p*c.outStride+ch], gen.data[p*c.outStride+ch]
					if d := math.Abs(float64(g) - float64(r)); !(d <= 1e-5*scale+1e-30) {
						t.Fatalf("%s %s: pixel (%d,%d) ch %d = %v, generic %v", what, c.desc, p/s.OutW, p%s.OutW, ch, g, r)
					}
				}
			}
		}
		if t.Failed() {
			t.FailNow()
		}
	}
	pg.check(t, "packed weights")
	zg.check(t, "zero bias")
	if bg != nil {
		bg.check(t, "bias")
	}
	st.cases++
	if o.nonFinite {
		st.nonFinite++
	}
}

// checkGuards checks that nothing outside the channels of rows [y0, y1)
// of an output view was written.
func (v *tview) checkGuards(t testing.TB, what string, y0, y1 int) {
	t.Helper()
	for i, x := range v.buf {
		p, ch := (i-tGuardMargin)/v.str, (i-tGuardMargin)%v.str
		inside := i >= tGuardMargin && i < tGuardMargin+len(v.data) && ch < v.c && p >= y0*v.w && p < y1*v.w
		if !inside && math.Float32bits(x) != tGuardBits {
			t.Fatalf("%s: wrote %v at buffer offset %d outside the output", what, x, i)
		}
	}
}

// dwSimCases returns the shapes: the vector kernels' paths systematically
// (both kernel sizes and strides; interiors shorter than, equal to and
// longer than a block of either ISA, with the overlapping last block;
// channel counts giving every panel/pair/remainder/tail combination of
// both ISAs; top and bottom borders), then random shapes as
// TestDepthwiseRandom draws them (any kernel size, anisotropic strides,
// pixel strides above the channel count, row ranges), kept small because
// simulation is slow.
func dwSimCases(rng *rand.Rand, nRandom int) []dwCase {
	var cases []dwCase
	chans := []int{1, 7, 8, 15, 16, 17, 33, 47, 64}
	for _, k := range []int{3, 5} {
		for _, st := range []int{1, 2} {
			for wi, inW := range []int{k, k + 3*st, k + 6*st, k + 7*st, k + 13*st} {
				ch := chans[(wi+3*k+st)%len(chans)]
				for rep := 0; rep < 2; rep++ {
					c := dwCase{}
					s := &c.s
					*s = DWShape{InH: 3 + rng.IntN(3), InW: inW, C: ch, Mult: 1, KH: k, KW: k, SH: st, SW: st}
					s.OutH, s.PadTop, _ = tPadChoice(rng, s.InH, k, st)
					s.OutW, s.PadLeft, _ = tPadChoice(rng, s.InW, k, st)
					c.inStride, c.outStride = ch+rng.IntN(2)*3, ch+rng.IntN(2)*5
					c.oy0, c.oy1 = 0, s.OutH
					c.act = Act(rng.IntN(int(numActs)))
					c.bias = rng.IntN(3) != 0
					c.desc = fmt.Sprintf("k%d s%d in %dx%dx%d pad %d,%d out %dx%d str %d/%d %v bias=%v",
						k, st, s.InH, inW, ch, s.PadTop, s.PadLeft, s.OutH, s.OutW, c.inStride, c.outStride, c.act, c.bias)
					cases = append(cases, c)
					ch = chans[(wi+rep+k)%len(chans)]
				}
			}
		}
	}
	// Every epilogue through every body of every kernel: full panels, the
	// AVX2 remainder vector and the masked tail (16+8+5 channels), full
	// interior blocks and the overlapping last one.
	for _, k := range []int{3, 5} {
		for _, st := range []int{1, 2} {
			for _, act := range []Act{ActHardSwish, ActHardSigmoid} {
				c := dwCase{act: act, bias: true}
				s := &c.s
				*s = DWShape{InH: 4, InW: k + 7*st, C: 29, Mult: 1, KH: k, KW: k, SH: st, SW: st}
				s.OutH, s.PadTop, _ = tPadChoice(rng, s.InH, k, st)
				s.OutW, s.PadLeft, _ = tPadChoice(rng, s.InW, k, st)
				c.inStride, c.outStride = 29, 31
				c.oy0, c.oy1 = 0, s.OutH
				c.desc = fmt.Sprintf("k%d s%d in %dx%dx29 pad %d,%d out %dx%d %v", k, st, s.InH, s.InW, s.PadTop, s.PadLeft, s.OutH, s.OutW, act)
				cases = append(cases, c)
			}
		}
	}
	for len(cases) < 48+nRandom {
		c := randDWCase(rng)
		if c.s.Mult != 1 || c.s.InH*c.s.InW*c.s.C > 12000 {
			continue
		}
		cases = append(cases, c)
	}
	return cases
}

// TestDepthwiseSim runs every depthwise kernel, AVX2 and AVX-512, in the
// simulator (see runDWSimCase), and requires every instruction of every
// depthwise kernel to have executed.
func TestDepthwiseSim(t *testing.T) {
	p := simProgram(t)
	logSimFiles(t, p)
	rng := rand.New(rand.NewPCG(31, 7))
	nRandom := 160
	if testing.Short() {
		nRandom = 40
	}
	sim := newDWSim(t)
	var st dwSimStats
	t0 := time.Now()
	for i, c := range dwSimCases(rng, nRandom) {
		// Every fourth case with NaNs and infinities, mostly with a clamp
		// (where the VMAXPS/VMINPS operand order shows).
		o := dwSimOpts{amp: []float32{1, 4}[i%2], nonFinite: i%4 == 3}
		if o.nonFinite && c.act == ActNone && i%8 == 3 {
			c.act = ActReLU6
		}
		runDWSimCase(t, rng, c, o, sim, &st)
	}

	total, native := sim.logCalls(t)
	t.Logf("%d cases (%d non-finite, %d NaN outputs; %d with the AVX2 hardware equal to the exact model; %d model outputs clamped below, %d above, %d through hard-swish or hard-sigmoid), %d kernel calls, %d compared with the hardware, %d simulated instructions, %v",
		st.cases, st.nonFinite, st.nanOut, st.hwModel, st.clampLo, st.clampHi, st.hard, total, native, sim.steps, time.Since(t0).Round(time.Millisecond))
	if st.clampLo == 0 || st.clampHi == 0 || st.hard == 0 {
		t.Errorf("the epilogues were not exercised (%d clamped below, %d above, %d hard-swish or hard-sigmoid)", st.clampLo, st.clampHi, st.hard)
	}
	checkCoverage(t, p, "dw", "AVX512")
	checkCoverage(t, p, "dw", "AVX2")
}
