//go:build amd64 && !purego

package kernels

// GEMM micro-kernels in the instruction-level simulator (see
// asm_sim_test.go for the approach): every AVX2 kernel call runs natively
// and simulated, bit-identical; every call, AVX2 or AVX-512, must match an
// exact per-call model of the kernel (the FMA chain, K blocks, masks,
// epilogues) bit for bit and leave everything else untouched; whole GEMMs must
// match the float64 reference within the kernel tests' tolerance.

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unsafe"

	"mnet.dev/mnet/exec/internal/kernels/asmsim"
)

// gemmSim checks GEMM micro-kernel calls made through the production
// driver: a simRunner (asm_sim_test.go) runs each call simulated (and
// natively where the CPU has the set), and check compares every call with
// the exact model and the prefetch rules.
type gemmSim struct {
	r *simRunner

	prefetches int64 // PREFETCHT0s executed, all inside the next call's panels
	segCalls   int64 // calls with more than one segment
	cells      int64 // C elements checked against the per-call model
	clampLo    int64 // of which changed by the max with 0
	clampHi    int64 // of which changed by the min with 6
	hard       int64 // of which through hard-swish or hard-sigmoid
	residual   int64 // of which with a residual added
	nanCells   int64 // of which NaN
	nonFinite  int   // GEMMs with NaNs and infinities planted

	vsAVX2 int64 // AVX-512 C values compared with Gemm on the AVX2 hardware, all identical
}

func newGemmSim(t *testing.T) *gemmSim {
	g := &gemmSim{}
	g.r = newSimRunner(t, func(string) (uintptr, uintptr) {
		var a gemmArgs
		return unsafe.Sizeof(a), unsafe.Offsetof(a.resCur) // resCur is the kernels' scratch
	})
	g.r.machine = func(c *simCall, m *asmsim.Machine) { m.Prefetch = g.prefetchCheck(c) }
	g.r.check = g.check
	return g
}

// call decodes a call's record.
func (g *gemmSim) args(c *simCall) *gemmArgs { return (*gemmArgs)(unsafe.Pointer(c.args)) }

// check runs after each simulated call: prefetch count, then the writable
// memory against the exact model.
func (g *gemmSim) check(c *simCall, m *asmsim.Machine, before [][]byte) {
	t := g.r.t
	a := g.args(c)
	mr, np := gemmShape(c.name)
	g.prefetches += m.Prefetches
	if a.segs > 1 {
		g.segCalls++
	}
	// Prefetches: only with kfPf, only in the first block (one line per
	// panel per k step of the call's segs*k).
	if want := int64(np * a.segs * a.k); a.flags&kfPf == 0 || a.blocks == 0 {
		if m.Prefetches != 0 {
			t.Fatalf("%s: %s: %d prefetches without kfPf", g.r.desc, c.name, m.Prefetches)
		}
	} else if m.Prefetches != want {
		t.Fatalf("%s: %s: %d prefetches, want %d (flags %#x)", g.r.desc, c.name, m.Prefetches, want, a.flags)
	}
	want := g.model(c, mr, np, before)
	if diff := diffRegions(g.r.mem, want); diff != "" {
		t.Fatalf("%s: %s(k %d, segs %d, blocks %d, flags %#x): result differs from the exact model: %s",
			g.r.desc, c.name, a.k, a.segs, a.blocks, a.flags, diff)
	}
}

// gemmShape parses a GEMM kernel's name: rows and panels.
func gemmShape(name string) (mr, np int) {
	var isa string
	var w int
	if _, err := fmt.Sscanf(strings.ReplaceAll(name, "_", " "), "gemm%s %dx%d", &isa, &mr, &w); err != nil {
		panic(fmt.Sprintf("%s: %v", name, err))
	}
	return mr, w / 16
}

// prefetchCheck returns the simulator's prefetch hook for a call: every
// prefetched line must be one of the next call's B lines, np panels on
// (b + np*bstride + 64*kk, plus bstride for the second panel), and inside
// the packed B buffer.
func (g *gemmSim) prefetchCheck(c *simCall) func(uint64) error {
	a := g.args(c)
	_, np := gemmShape(c.name)
	return func(addr uint64) error {
		if a.flags&kfPf == 0 {
			return fmt.Errorf("prefetch at %#x without kfPf", addr)
		}
		b := uint64(uintptr(a.b))
		span := uint64(a.segs * a.k * 64)
		ok := false
		for q := 0; q < np; q++ {
			lo := b + uint64((np+q)*a.bstride)
			if addr >= lo && addr < lo+span && (addr-lo)%64 == 0 {
				ok = true
			}
		}
		if !ok {
			return fmt.Errorf("prefetch at %#x is not a line of the next call's panels", addr)
		}
		for _, r := range g.r.mem.Regions() {
			if r.Name == "packed B" && addr >= r.Base && addr+64 <= r.End() {
				return nil
			}
		}
		return fmt.Errorf("prefetch at %#x is outside the packed B buffer", addr)
	}
}

// model returns the writable memory as the call must leave it: before, with
// the C cells the call owns replaced by their exact values. Per cell (row
// i, column j of the call): the accumulator starts at C (flag accumulate),
// the bias (flag bias) or 0; each of the segs segments runs k steps (A of
// segment s at s*(4k+segadj) bytes on, B continuing), each a fused
// multiply-add (VFMADD231PS b, a, acc: multiplicand a); then the epilogue
// the flags ask for, operation by operation as _asm/gemm emits it. Masked
// calls own the active columns only (AVX-512: kmask; AVX2: the vmask
// lanes), unmasked ones all np*16. Argument records are not writable.
func (g *gemmSim) model(c *simCall, mr, np int, before [][]byte) [][]byte {
	t := g.r.t
	a := g.args(c)
	exp := make([][]byte, len(before))
	for i := range before {
		exp[i] = append([]byte(nil), before[i]...)
	}
	var wr []*asmsim.Region
	for _, r := range g.r.mem.Regions() {
		if r.Writable {
			wr = append(wr, r)
		}
	}
	cell := func(addr uint64) []byte {
		for i, r := range wr {
			if addr >= r.Base && addr+4 <= r.End() {
				return exp[i][addr-r.Base : addr-r.Base+4]
			}
		}
		t.Fatalf("%s: %s: model cell at %#x is outside the writable regions", g.r.desc, c.name, addr)
		return nil
	}
	f32 := func(p unsafe.Pointer, off int) uint32 { return *(*uint32)(unsafe.Add(p, off)) }
	// The record's one scratch word: the R cursor, set to res at entry and
	// moved on a block's rows per block with a residual.
	cur := uint64(uintptr(a.res))
	if a.flags&kfResidual != 0 {
		cur += uint64(a.blocks * mr * a.ldr)
	}
	for i, r := range wr {
		if strings.HasSuffix(r.Name, "args scratch") {
			binary.LittleEndian.PutUint64(exp[i], cur)
		}
	}
	kmask := featureMap(c.set)["AVX512F"]
	active := func(j int) bool {
		if kmask {
			return a.kmask>>j&1 != 0
		}
		return a.vmask[j] < 0
	}
	masked := a.flags&kfMask != 0
	three, six, sixthB := math.Float32bits(3), math.Float32bits(6), math.Float32bits(sixth)
	for i := 0; i < mr*a.blocks; i++ {
		for j := 0; j < 16*np; j++ {
			if masked && !active(j) {
				continue
			}
			dst := cell(uint64(uintptr(a.c)) + uint64(i*a.ldc+4*j))
			var acc uint32
			switch {
			case a.flags&kfAccum != 0:
				acc = uint32(dst[0]) | uint32(dst[1])<<8 | uint32(dst[2])<<16 | uint32(dst[3])<<24
			case a.flags&kfBias != 0:
				acc = f32(a.bias, 4*j)
			}
			for sg := range a.segs {
				for kk := 0; kk < a.k; kk++ {
					av := f32(a.a, i*a.lda+sg*(4*a.k+a.segadj)+4*kk)
					bv := f32(a.b, (j/16)*a.bstride+(sg*a.k+kk)*64+4*(j%16))
					acc = asmsim.FMA231(acc, av, bv)
				}
			}
			if a.flags&kfResidual != 0 {
				// VADDPS R, acc, acc: the block's R rows follow the cursor.
				rv := *(*uint32)(unsafe.Add(a.res, i*a.ldr+4*j))
				acc = asmsim.Add32(acc, rv)
				g.residual++
			}
			r := acc
			switch {
			case a.flags&kfHSwish != 0:
				u := asmsim.Add32(r, three) // VADDPS three, x, u
				u = asmsim.Max32(0, u)      // VMAXPS u, zero, u
				u = asmsim.Min32(six, u)    // VMINPS u, six, u
				u = asmsim.Mul32(u, sixthB) // VMULPS sixth, u, u
				r = asmsim.Mul32(r, u)      // VMULPS u, x, x
				g.hard++
			case a.flags&kfHSigmoid != 0:
				r = asmsim.Add32(r, three)
				r = asmsim.Max32(0, r)
				r = asmsim.Min32(six, r)
				r = asmsim.Mul32(r, sixthB)
				g.hard++
			default:
				if a.flags&kfMax != 0 {
					if x := asmsim.Max32(0, r); x != r { // VMAXPS acc, zero, acc
						r = x
						g.clampLo++
					}
				}
				if a.flags&kfMin != 0 {
					if x := asmsim.Min32(six, r); x != r { // VMINPS acc, six, acc
						r = x
						g.clampHi++
					}
				}
			}
			dst[0], dst[1], dst[2], dst[3] = byte(r), byte(r>>8), byte(r>>16), byte(r>>24)
			g.cells++
			if r&0x7fffffff > 0x7f800000 {
				g.nanCells++
			}
		}
	}
	return exp
}

// gemmSimData is one GEMM problem in guarded buffers.
type gemmSimData struct {
	cs         gemmCase
	ag, pg, bg *guarded
	rg         *guarded
	res        []float32
	a, bias    []float32
	p          *PackedB
	ref        []float64
	tol        float64
	b          []float32
}

// newGemmSimData draws A, B and the bias uniformly in [-amp, amp) (amp 4
// makes ReLU6's upper clamp bite).
func newGemmSimData(rng *rand.Rand, cs gemmCase, amp float32) *gemmSimData {
	d := &gemmSimData{cs: cs}
	d.ag = newGuarded(cs.aLen())
	d.a = d.ag.data()
	for i := range cs.m {
		for k := range cs.depth() {
			d.a[cs.aIdx(i, k)] = (rng.Float32()*2 - 1) * amp
		}
	}
	d.b = make([]float32, cs.k*cs.n)
	for i := range d.b {
		d.b[i] = (rng.Float32()*2 - 1) * amp
	}
	d.bg = newGuarded(cs.n1)
	if cs.bias {
		d.bias = d.bg.data()
		for j := range d.bias {
			d.bias[j] = (rng.Float32()*2 - 1) * amp
		}
	}
	d.p = PackB(cs.k, cs.n, d.b, cs.n)
	d.pg = guardedCopy(d.p.data)
	d.p.data = d.pg.data()
	if cs.ldr > 0 {
		d.rg = newGuarded((cs.m-1)*cs.ldr + cs.n)
		d.res = d.rg.data()
		for i := range d.res {
			d.res[i] = (rng.Float32()*2 - 1) * amp
		}
	}
	var sums float64
	d.ref, sums = refGemmSums(cs, d.a, d.b, d.bias, d.res)
	d.tol = gemmTol(sums)
	return d
}

// memory maps the problem's views for the simulator: A, the packed panels
// and the bias read-only, C writable (the runner maps each call's argument
// record).
func (d *gemmSimData) memory(c []float32) *asmsim.Memory {
	mem := &asmsim.Memory{}
	mem.MapReal("A", asmsim.Bytes(d.a), false)
	mem.MapReal("packed B", asmsim.Bytes(d.p.data), false)
	mem.MapReal("bias", asmsim.Bytes(d.bias), false)
	mem.MapReal("R", asmsim.Bytes(d.res), false)
	mem.MapReal("C", asmsim.Bytes(c), true)
	return mem
}

// check compares C with the reference and the guards.
func (d *gemmSimData) check(t *testing.T, what string, cg *guarded) {
	t.Helper()
	cs := d.cs
	d.ag.check(t, what+": A")
	d.pg.check(t, what+": packed B")
	d.bg.check(t, what+": bias")
	cg.check(t, what+": C")
	c := cg.data()
	for i := range cs.m {
		for j := 0; j < cs.ldc && i*cs.ldc+j < len(c); j++ {
			got := c[i*cs.ldc+j]
			if j < cs.n0 || j >= cs.n1 {
				if math.Float32bits(got) != guardBits {
					t.Fatalf("%s: C[%d][%d] outside [%d,%d) written: %v", what, i, j, cs.n0, cs.n1, got)
				}
				continue
			}
			if d.ref == nil { // non-finite data: no reference
				continue
			}
			if diff := math.Abs(float64(got) - d.ref[i*cs.n+j]); !(diff <= d.tol) {
				t.Fatalf("%s: C[%d][%d] = %v, want %v (|diff| %.3g > tol %.3g)", what, i, j, got, d.ref[i*cs.n+j], diff, d.tol)
			}
		}
	}
}

// runGemmSimCase runs one GEMM through the production driver with the
// AVX2 and the AVX-512 kernels simulated (each call also native where the
// CPU has the set), every call checked against the exact model, the result
// against the reference and the guards. Both sets compute every element as
// the same FMA chain, so with the AVX2 hardware present both simulated
// results must equal Gemm on it bit for bit (the production blocking) or
// its values (a forced blocking: K blocks change no bit either). bl
// overrides the blocking (nil: the production choice).
func runGemmSimCase(t *testing.T, rng *rand.Rand, cs gemmCase, bl *blocking, amp float32, nonFinite bool, sim *gemmSim) {
	t.Helper()
	d := newGemmSimData(rng, cs, amp)
	if nonFinite {
		// NaN payloads and infinities in A, B and the bias: only the
		// bit-exact checks (per-call model, hardware) apply.
		nb := func() float32 { return math.Float32frombits(nonFiniteBits[rng.IntN(len(nonFiniteBits))]) }
		if cs.depth() > 0 {
			for range 1 + cs.m/4 {
				d.a[cs.aIdx(rng.IntN(cs.m), rng.IntN(cs.depth()))] = nb()
			}
			for range 1 + len(d.p.data)/200 {
				d.p.data[rng.IntN(len(d.p.data))] = nb()
			}
		}
		if cs.bias {
			d.bias[cs.n0+rng.IntN(cs.n1-cs.n0)] = nb()
		}
		d.ref = nil
		sim.nonFinite++
	}
	avx2 := archSet(t, "avx2")
	var hw *guarded
	if avx2.Native() {
		hw = newGuarded((cs.m-1)*cs.ldc + cs.n)
		GemmResidual(avx2, nil, cs.m, d.a, cs.lda, cs.segs(), d.p, cs.n0, cs.n1, d.bias, d.res, cs.ldr, cs.act, hw.data(), cs.ldc)
		d.check(t, fmt.Sprintf("AVX2 hardware %v", cs), hw)
	}
	ws := new(Workspace)
	ws.init()
	for _, base := range []*Set{avx2, archSet(t, "avx512")} {
		cg := newGuarded((cs.m-1)*cs.ldc + cs.n)
		c := cg.data()
		sim.r.mem, sim.r.native = d.memory(c), true
		b := gemmBlocking(cs.m, cs.depth(), base.gemm.mr)
		if bl != nil {
			b = *bl
		}
		what := fmt.Sprintf("%v simulated %v %+v", base, cs, b)
		sim.r.desc = what
		sim.r.bind(base).gemm.gemmBlocked(ws, b, cs.m, d.a, cs.lda, cs.segs(), d.p, cs.n0, cs.n1, d.bias, cs.act, c, cs.ldc, d.res, cs.ldr)
		d.check(t, what, cg)
		if hw != nil {
			for i := range cg.buf {
				if math.Float32bits(cg.buf[i]) != math.Float32bits(hw.buf[i]) {
					t.Fatalf("%s: C buffer offset %d = %v, Gemm on the AVX2 hardware %v", what, i, cg.buf[i], hw.buf[i])
				}
				if base != avx2 {
					sim.vsAVX2++
				}
			}
		}
	}
}

// TestGemmSim runs the GEMM micro-kernels, AVX2 and AVX-512, in the
// simulator: every kernel height and panel count with every
// initialisation (zero, bias, C; masked and not), the unrolled k loop and
// its tail, each activation, through default and forced blockings (K
// blocks, row chunks), then random shapes (tails in m, n and k, lda and
// ldc above k and n, column sub-ranges, bias or not), K = 0 and K above
// the blocking threshold. Every instruction of every GEMM kernel must
// execute.
func TestGemmSim(t *testing.T) {
	p := simProgram(t)
	logSimFiles(t, p)
	sim := newGemmSim(t)
	rng := rand.New(rand.NewPCG(17, 23))
	t0 := time.Now()
	n := 0
	for m := 1; m <= 13; m++ {
		// Column counts for every shape of a partial last panel (AVX2
		// stores its vectors whole, masked or not at all): 4, 8, 13
		// and 6 columns in a one-panel call, 20, 24 and 28 in a
		// two-panel one.
		for _, nn := range []int{20, 24, 28, 45, 48, 70} {
			cs := gemmCase{m: m, n: nn, k: 7, lda: 9, ldc: nn + 3, n0: 0, n1: nn, bias: true, act: ActReLU6}
			runGemmSimCase(t, rng, cs, &blocking{kc: 4, mc: m}, 3, false, sim) // bias, then accumulate
			runGemmSimCase(t, rng, cs, &blocking{kc: 4, mc: m}, 3, true, sim)  // non-finite
			for i, act := range []Act{ActHardSwish, ActHardSigmoid} {
				cs.act = act
				runGemmSimCase(t, rng, cs, &blocking{kc: 4, mc: m}, 4, (m+i)%3 == 0, sim)
			}
			cs.act, cs.ldr = ActReLU6, nn+2 // a residual, masked and not
			runGemmSimCase(t, rng, cs, &blocking{kc: 4, mc: m}, 2, false, sim)
			cs.ldr = 0
			cs = gemmCase{m: m, n: nn, k: 5, lda: 5, ldc: nn, n0: 0, n1: nn, bias: false, act: ActNone}
			runGemmSimCase(t, rng, cs, nil, 1, false, sim) // zero init
			n += 5
		}
	}
	// Segments (an implicit-GEMM convolution): 3 of 5 values (unrolled
	// steps and a tail each), rows overlapping, B from row 2; then K blocks
	// of one segment each. Up to two blocks of every height, so that every
	// prefetching kernel runs its prefetching first block.
	for m := 1; m <= 2*12+1; m++ {
		for _, nn := range []int{45, 70} {
			cs := gemmCase{m: m, n: nn, k: 19, lda: 4, ldc: nn + 1, n0: 0, n1: nn, bias: true, act: ActReLU,
				sg: Segs{N: 3, Len: 5, Stride: 11, K0: 2}}
			runGemmSimCase(t, rng, cs, nil, 1, false, sim)
			runGemmSimCase(t, rng, cs, &blocking{kc: 5, mc: m}, 1, false, sim)
			n += 2
		}
	}
	nRandom := 150
	if testing.Short() {
		nRandom = 50
	}
	for i := 0; i < nRandom; {
		cs := randomCase(rng)
		if cs.m*cs.n*cs.k > 60000 {
			continue
		}
		var bl *blocking
		if i%3 == 2 {
			bl = &blocking{kc: 1 + rng.IntN(max(cs.k, 1)), mc: 1 + rng.IntN(cs.m)}
		}
		runGemmSimCase(t, rng, cs, bl, []float32{1, 1, 3}[i%3], i%5 == 4, sim)
		i++
		n++
	}
	for _, cs := range []gemmCase{
		{m: 3, n: 5, k: 0, lda: 1, ldc: 7, n0: 0, n1: 5, bias: true, act: ActReLU},
		{m: 2, n: 21, k: 2100, lda: 2100, ldc: 21, n0: 0, n1: 21, bias: true, act: ActReLU6}, // K blocked
		{m: 30, n: 70, k: 9, lda: 12, ldc: 80, n0: 32, n1: 64, bias: true, act: ActReLU},
	} {
		runGemmSimCase(t, rng, cs, nil, 2, false, sim)
		n++
	}
	total, native := sim.r.logCalls(t)
	t.Logf("%d GEMMs (%d non-finite), %d kernel calls (%d also on the hardware, bit-identical), %d C elements equal to the exact model (%d NaN, %d clamped at 0, %d at 6, %d through hard-swish or hard-sigmoid), %d simulated instructions, %v",
		n, sim.nonFinite, total, native, sim.cells, sim.nanCells, sim.clampLo, sim.clampHi, sim.hard, sim.r.steps, time.Since(t0).Round(time.Millisecond))
	t.Logf("%d calls with segments, %d prefetches (every one a line of the next call's panels)", sim.segCalls, sim.prefetches)
	if sim.segCalls == 0 || sim.prefetches == 0 {
		t.Errorf("segments (%d calls) or prefetches (%d) not exercised", sim.segCalls, sim.prefetches)
	}
	if sim.residual == 0 {
		t.Error("no residual connection was exercised")
	}
	if sim.clampLo == 0 || sim.clampHi == 0 || sim.hard == 0 {
		t.Errorf("the epilogues were not exercised (%d clamped at 0, %d at 6, %d hard-swish or hard-sigmoid)", sim.clampLo, sim.clampHi, sim.hard)
	}
	if sim.vsAVX2 > 0 {
		t.Logf("AVX-512 (simulated) vs AVX2 (hardware): all %d values of the C buffers bit-identical", sim.vsAVX2)
	}
	checkCoverage(t, p, "gemm", "AVX512")
	checkCoverage(t, p, "gemm", "AVX2")
}

// TestPeakSim runs the peak-FMA calibration kernels in the simulator (no
// memory at all: any access would be an error).
func TestPeakSim(t *testing.T) {
	p := simProgram(t)
	for _, c := range []struct {
		set  string
		nacc int
	}{{"avx2", 12}, {"avx512", 24}} {
		ks := archSet(t, c.set)
		name := ks.peak.k.Name
		for _, iters := range []int{0, 1, 5} {
			mem := &asmsim.Memory{}
			a := &peakArgs{iters: iters}
			mem.MapReal("args", asmsim.ValueBytes(a), false)
			m := asmsim.New(mem, featureMap(ks))
			if _, err := m.Call(p.Func(name), ptrAddr(a)); err != nil {
				t.Fatal(err)
			}
			// zeroing, two loads (record, iters), test, jump, then per
			// iteration nacc FMAs, DECQ and JNZ, then VZEROUPPER and RET.
			want := int64(c.nacc+2+4) + int64(iters)*int64(c.nacc+2) + 2
			if m.Steps != want {
				t.Errorf("%s(%d): %d instructions, want %d", name, iters, m.Steps, want)
			}
			if iters > 0 {
				for r := 0; r < c.nacc; r++ {
					if v := m.V(r); v.Lane[0] != 0 { // 0*0 + 0
						t.Errorf("%s: accumulator %d = %#x", name, r, v.Lane[0])
					}
				}
			}
		}
	}
	checkCoverage(t, p, "peak", "AVX")
}
