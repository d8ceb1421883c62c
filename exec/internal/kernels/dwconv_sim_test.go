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

// dwSIMDVia is dwSIMD (dwsimd_amd64.go) verbatim, with the kernel calls
// taken as parameters that shadow the package's dwCallBlock and dwCallPixel
// (TestSimDriverCopies keeps the body identical, up to driverPatches).
func dwSIMDVia(dwCallBlock func(isa ISA, k, s int, a *byte), dwCallPixel func(isa ISA, a *byte), isa ISA, s *DWShape, in []float32, inStride int, w *PackedDW, bias []float32, act Act, out []float32, outStride int, oy0, oy1 int) bool {
	lanes := 8
	if isa == AVX512 {
		lanes = 16
	}
	vpp := dwPanel / lanes
	block := s.KH == s.KW && s.SH == s.SW && dwHasBlock(s.KH, s.SW)
	_, nb := dwBlockGeom(isa, s.KH)
	taps := s.KH * s.KW

	var a dwArgs
	a.lo, a.hi = dwClamp(act)
	cs := inStride * 4
	rs := s.InW * cs
	a.cs = cs
	a.wps = taps * dwPanel * 4
	ocs := outStride * 4
	ap := (*byte)(unsafe.Pointer(&a))
	bias = bias[:s.C]
	full, tail := s.C/lanes, s.C%lanes
	fullPanels := full / vpp
	a.nrem = full % vpp
	if tail != 0 {
		a.tail = 1
		a.kmask = 1<<tail - 1
		// a.mask is the AVX2 lane mask (8 lanes); AVX-512 reads kmask,
		// and its tail can be up to 15 lanes.
		for i := range min(tail, len(a.mask)) {
			a.mask[i] = -1
		}
	}
	a.bias = unsafe.Pointer(&bias[0])
	wp := w.panels

	// runPixels sends n pixels from (oy, ox), all with taps [kw0, kw1) in
	// kernel rows [kh0, kh0+a.nkh), to the pixel kernel.
	runPixels := func(iyk, oy, ox, kh0, kw0, kw1, n int) {
		ix := ox*s.SW - s.PadLeft + kw0
		a.in = unsafe.Pointer(&in[(iyk*s.InW+ix)*inStride])
		a.w = unsafe.Pointer(&wp[(kh0*s.KW+kw0)*dwPanel])
		a.out = unsafe.Pointer(&out[(oy*s.OutW+ox)*outStride])
		a.nkw = kw1 - kw0
		a.rsAdj = rs - a.nkw*cs
		a.wrsAdj = (s.KW - a.nkw) * dwPanel * 4
		a.npan, a.npan1 = fullPanels/2, fullPanels%2
		a.n = n
		a.pstep = s.SW * cs
		a.ostep = ocs
		dwCallPixel(isa, ap)
	}
	// runBlocks sends n blocks of nb pixels from (oy, ox) to the block
	// kernel.
	runBlocks := func(iyk, oy, ox, kh0, n int) {
		ix := ox*s.SW - s.PadLeft
		a.in = unsafe.Pointer(&in[(iyk*s.InW+ix)*inStride])
		a.w = unsafe.Pointer(&wp[kh0*s.KW*dwPanel])
		a.out = unsafe.Pointer(&out[(oy*s.OutW+ox)*outStride])
		a.rsAdj = rs - ((nb-1)*s.SW+s.KW-1)*cs
		a.ocs = ocs
		a.npan = fullPanels
		a.n = n
		a.pstep = nb * s.SW * cs
		a.ostep = nb * ocs
		dwCallBlock(isa, s.KH, s.SW, ap)
	}

	oxA, oxB := dwInterior(s.PadLeft, s.SW, s.KW, s.InW, s.OutW)
	for oy := oy0; oy < oy1; oy++ {
		iy0 := oy*s.SH - s.PadTop
		kh0, kh1 := dwTapRange(iy0, s.KH, s.InH)
		if kh1 == kh0 {
			for ox := range s.OutW {
				dwFillAct(out[(oy*s.OutW+ox)*outStride:][:s.C], bias, act)
			}
			continue
		}
		a.nkh = kh1 - kh0
		iyk := iy0 + kh0
		for ox := 0; ox < s.OutW; {
			if ox == oxA && oxA < oxB {
				n := oxB - oxA
				switch {
				case block && n >= nb:
					runBlocks(iyk, oy, ox, kh0, n/nb)
					if n%nb != 0 {
						runBlocks(iyk, oy, oxB-nb, kh0, 1)
					}
				default:
					runPixels(iyk, oy, ox, kh0, 0, s.KW, n)
				}
				ox = oxB
				continue
			}
			kw0, kw1 := dwTapRange(ox*s.SW-s.PadLeft, s.KW, s.InW)
			if kw1 == kw0 {
				dwFillAct(out[(oy*s.OutW+ox)*outStride:][:s.C], bias, act)
			} else {
				runPixels(iyk, oy, ox, kh0, kw0, kw1, 1)
			}
			ox++
		}
	}
	return true
}

// dwSim runs depthwise kernel calls in the simulator, over the regions of
// the current case plus the argument record of each call.
type dwSim struct {
	t      *testing.T
	prog   *asmsim.Program
	mem    *asmsim.Memory
	desc   string
	native bool // also run each call on the hardware (if it has the ISA) and compare

	calls       map[string]int // simulated calls per kernel
	nativeCalls map[string]int // of which also run natively and compared
	steps       int64          // simulated instructions
}

func newDWSim(t *testing.T) *dwSim {
	return &dwSim{t: t, prog: simProgram(t), calls: map[string]int{}, nativeCalls: map[string]int{}}
}

func (d *dwSim) block(isa ISA, k, s int, a *byte) {
	d.run(isa, fmt.Sprintf("dwBlock%dx%dS%d%s", k, k, s, isaName(isa)), a, func() { dwCallBlock(isa, k, s, a) })
}

func (d *dwSim) pixel(isa ISA, a *byte) {
	d.run(isa, "dwPixel"+isaName(isa), a, func() { dwCallPixel(isa, a) })
}

// dwScratch is where the kernels' scratch words start in dwArgs: the only
// part of the record they may write.
var dwScratch = func() uintptr { var a dwArgs; return unsafe.Offsetof(a.curIn) }()

func (d *dwSim) run(isa ISA, name string, a *byte, native func()) {
	t := d.t
	t.Helper()
	rec := unsafe.Slice(a, unsafe.Sizeof(dwArgs{}))
	base := ptrAddr(a)
	ro := d.mem.Map("dwArgs", base, rec[:dwScratch], false)
	rw := d.mem.Map("dwArgs scratch", base+uint64(dwScratch), rec[dwScratch:], true)
	defer d.mem.Unmap(ro, rw)
	before := snapshot(d.mem)
	var hw [][]byte
	if d.native && nativeOK(isa) {
		native()
		hw = snapshot(d.mem)
		restore(d.mem, before)
	}
	m := asmsim.New(d.mem, simFeatures(isa))
	if _, err := m.Call(d.prog.Func(name), base); err != nil {
		t.Fatalf("%s: %v", d.desc, err)
	}
	d.steps += m.Steps
	d.calls[name]++
	if hw != nil {
		if diff := diffRegions(d.mem, hw); diff != "" {
			t.Fatalf("%s: %s: simulator and hardware differ: %s", d.desc, name, diff)
		}
		d.nativeCalls[name]++
	}
}

// dwModel is the exact result of the vector kernels (dense OutH x OutW x C,
// rows [oy0, oy1)): per channel, the bias, then one fused multiply-add per
// in-bounds tap in kernel-row-major order (the order of both the block and
// the pixel kernels, whatever the vector width), then VMAXPS with lo and
// VMINPS with hi; pixels without taps get act(bias) (dwFillAct). w is
// [KH][KW][C].
func dwModel(s *DWShape, in []float32, inStride int, w, bias []float32, act Act, oy0, oy1 int, st *dwSimStats) []float32 {
	lo, hi := dwClamp(act)
	lb, hb := math.Float32bits(lo), math.Float32bits(hi)
	out := make([]float32, s.OutH*s.OutW*s.C)
	for oy := oy0; oy < oy1; oy++ {
		iy0 := oy*s.SH - s.PadTop
		kh0, kh1 := dwTapRange(iy0, s.KH, s.InH)
		for ox := 0; ox < s.OutW; ox++ {
			ix0 := ox*s.SW - s.PadLeft
			kw0, kw1 := dwTapRange(ix0, s.KW, s.InW)
			o := out[(oy*s.OutW+ox)*s.C:][:s.C]
			if kh0 == kh1 || kw0 == kw1 {
				copy(o, bias[:s.C])
				dwApplyAct(o, act)
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
				r := asmsim.Max32(lb, acc) // VMAXPS acc, lo, acc
				if r != acc {
					st.clampLo++
				}
				r2 := asmsim.Min32(hb, r) // VMINPS acc, hi, acc
				if r2 != r {
					st.clampHi++
				}
				o[c] = math.Float32frombits(r2)
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
// hardware against the exact model, then the driver copy with AVX2 (each
// kernel call native and simulated) and AVX-512 (simulated) kernels
// against the model and the hardware bit for bit and, for finite data, the
// float64 reference and the generic kernel within the kernel tests'
// tolerance. With non-finite data (NaN payloads, infinities) only the
// bit-exact comparisons apply: they check the NaN selection and the
// operand order of VMAXPS/VMINPS, which finite data cannot see.
func runDWSimCase(t *testing.T, rng *rand.Rand, c dwCase, o dwSimOpts, sim *dwSim, st *dwSimStats) {
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
	pw := PackDW(AVX2, *s, w) // the panel layout is shared by AVX2 and AVX-512
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
		Depthwise(Generic, s, in.data, c.inStride, PackDW(Generic, *s, w), bias, c.act, gen.data, c.outStride, c.oy0, c.oy1)
		for p := c.oy0 * s.OutW; p < c.oy1*s.OutW; p++ {
			for ch := 0; ch < s.C; ch++ {
				scale = max(scale, math.Abs(ref[p*s.C+ch]))
			}
		}
	}

	var hw *tview
	if AVX2.Supported() {
		hw = newTView(s.OutH, s.OutW, s.C, c.outStride, nil)
		var biasArg []float32
		if bg != nil {
			biasArg = bg.data()
		}
		Depthwise(AVX2, s, in.data, c.inStride, pw, biasArg, c.act, hw.data, c.outStride, c.oy0, c.oy1)
		sameBits("AVX2 hardware (Depthwise)", hw)
		st.hwModel++
	}
	for _, isa := range []ISA{AVX2, AVX512} {
		out := newTView(s.OutH, s.OutW, s.C, c.outStride, nil)
		mem := &asmsim.Memory{}
		mem.MapReal("in", asmsim.Bytes(in.data), false)
		mem.MapReal("weights", asmsim.Bytes(pw.panels), false)
		mem.MapReal("bias", asmsim.Bytes(eff), false)
		mem.MapReal("out", asmsim.Bytes(out.data), true)
		sim.mem, sim.native = mem, true
		what := fmt.Sprintf("%v simulated", isa)
		sim.desc = what + " " + c.desc
		if !dwSIMDVia(sim.block, sim.pixel, isa, s, in.data, c.inStride, pw, eff, c.act, out.data, c.outStride, c.oy0, c.oy1) {
			t.Fatalf("%s: dwSIMD declined", sim.desc)
		}
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
					c.act = Act(rng.IntN(3))
					c.bias = rng.IntN(3) != 0
					c.desc = fmt.Sprintf("k%d s%d in %dx%dx%d pad %d,%d out %dx%d str %d/%d %v bias=%v",
						k, st, s.InH, inW, ch, s.PadTop, s.PadLeft, s.OutH, s.OutW, c.inStride, c.outStride, c.act, c.bias)
					cases = append(cases, c)
					ch = chans[(wi+rep+k)%len(chans)]
				}
			}
		}
	}
	for len(cases) < 40+nRandom {
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

	native, total := 0, 0
	for name, n := range sim.calls {
		total += n
		native += sim.nativeCalls[name]
		t.Logf("%-20s %5d calls simulated, %5d also on the hardware, bit-identical", name, n, sim.nativeCalls[name])
	}
	t.Logf("%d cases (%d non-finite, %d NaN outputs; %d with the AVX2 hardware equal to the exact model; %d model outputs clamped below, %d above), %d kernel calls, %d compared with the hardware, %d simulated instructions, %v",
		st.cases, st.nonFinite, st.nanOut, st.hwModel, st.clampLo, st.clampHi, total, native, sim.steps, time.Since(t0).Round(time.Millisecond))
	if st.clampLo == 0 || st.clampHi == 0 {
		t.Errorf("the clamps were not exercised (%d below, %d above)", st.clampLo, st.clampHi)
	}
	checkCoverage(t, p, "dw", "AVX512")
	if AVX2.Supported() {
		checkCoverage(t, p, "dw", "AVX2")
	}
}
