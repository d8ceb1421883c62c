//go:build amd64 && !purego

package kernels

// GEMM micro-kernels in the instruction-level simulator (see
// asm_sim_test.go for the approach): every AVX2 kernel call runs natively
// and simulated, bit-identical; every call, AVX2 or AVX-512, must match an
// exact per-call model of the kernel (accumulator sets, K blocks, masks,
// clamps) bit for bit and leave everything else untouched; whole GEMMs must
// match the float64 reference within the kernel tests' tolerance.

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"regexp"
	"testing"
	"time"
	"unsafe"

	"mnet.dev/mnet/exec/internal/kernels/asmsim"
)

// gemmAsmBlockedVia is gemmAsmBlocked (gemm_asm.go) verbatim, with the
// kernel calls taken as parameters that shadow the package's callAVX2 and
// callAVX512 (TestSimDriverCopies keeps the body identical).
func gemmAsmBlockedVia(callAVX2 func(mr, np int, a *float32, lda int, b *float32, bstride, k, segs, segadj int, c *float32, ldc, blocks int, bias *float32, flags uint, mask *int32), callAVX512 func(mr, np int, a *float32, lda int, b *float32, bstride, k, segs, segadj int, c *float32, ldc, blocks int, bias *float32, flags uint, mask uint64), isa ISA, bl blocking, m int, a []float32, lda int, sg Segs, b *PackedB, n0, n1 int, bias []float32, act Act, c []float32, ldc int) {
	sp := splitRows(m, RowBlock(isa))

	var aBase, bBase, biasP *float32
	if sg.Len > 0 {
		aBase = &a[0]
		bBase = &b.data[0]
	}
	if bias != nil {
		biasP = &bias[n0]
	}
	cBase := unsafe.Pointer(&c[0])
	bstride := b.K * panelB
	p0, p1 := n0/panelW, (n1+panelW-1)/panelW
	perK := max(bl.kc/max(sg.Len, 1), 1) // segments per K block (sg.N > 1)

	for s0, v0 := 0, 0; ; {
		// This K block: segments [s0, s0+ns), values [v0, v0+kl) of each.
		ns, kl := min(perK, sg.N-s0), sg.Len
		if sg.N == 1 {
			ns, kl = 1, min(bl.kc, sg.Len-v0)
		}
		last := s0+ns >= sg.N && v0+kl >= sg.Len
		var flags uint
		if s0 > 0 || v0 > 0 {
			flags |= kfAccum
		} else if bias != nil {
			flags |= kfBias
		}
		if last {
			flags |= actFlags(act)
		}
		segadj := (sg.Stride - kl) * 4
		row := 0
		for seg := range 2 {
			nblk, h := sp.nbig, sp.hi
			if seg == 1 {
				nblk, h = sp.nsmall, sp.lo
			}
			per := max(bl.mc/h, 1)
			for bi := 0; bi < nblk; bi += per {
				nb := min(per, nblk-bi)
				var ap *float32
				if sg.Len > 0 {
					ap = (*float32)(unsafe.Add(unsafe.Pointer(aBase), (row*lda+s0*sg.Stride+v0)*4))
				}
				for p := p0; p < p1; {
					// Two panels per call: AVX-512 always (12x32), AVX2
					// for blocks of 1-2 rows (1x32, 2x32 keep 8
					// accumulators without splitting k).
					np := 1
					if p+1 < p1 && (isa == AVX512 || h <= 2) {
						np = 2
					}
					j0 := p * panelW
					nc := min(np*panelW, n1-j0)
					f := flags
					if nc < np*panelW {
						f |= kfMask | (1<<(nc/8)-1)*kfFull
						if nc%8 != 0 {
							f |= kfPart << (nc / 8)
						}
					}
					if p+2*np <= p1 && nb > 1 {
						f |= kfPf
					}
					var bp, bb *float32
					if sg.Len > 0 {
						bp = (*float32)(unsafe.Add(unsafe.Pointer(bBase), p*bstride+(sg.K0+s0*sg.Len+v0)*panelB))
					}
					if biasP != nil {
						bb = (*float32)(unsafe.Add(unsafe.Pointer(biasP), (j0-n0)*4))
					}
					cp := (*float32)(unsafe.Add(cBase, (row*ldc+j0)*4))
					if isa == AVX2 {
						callAVX2(h, np, ap, lda*4, bp, bstride, kl, ns, segadj, cp, ldc*4, nb, bb, f, &maskWin[2*panelW-nc])
					} else {
						callAVX512(h, np, ap, lda*4, bp, bstride, kl, ns, segadj, cp, ldc*4, nb, bb, f, uint64(1)<<nc-1)
					}
					p += np
				}
				row += nb * h
			}
		}
		if last {
			break
		}
		if sg.N == 1 {
			v0 += kl
		} else {
			s0 += ns
		}
	}
}

// gemmSets reads the accumulator-set count of each micro-kernel from the
// generated stubs' comments ("... of C (sets=N)").
func gemmSets(t *testing.T) map[string]int {
	t.Helper()
	src, err := os.ReadFile("gemm_amd64.go")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`// (gemm(?:AVX2|AVX512)_\d+x\d+) computes blocks x \d+ rows by \d+ columns of C \(sets=(\d+)\)`)
	out := map[string]int{}
	for _, m := range re.FindAllStringSubmatch(string(src), -1) {
		var n int
		fmt.Sscan(m[2], &n)
		out[m[1]] = n
	}
	if len(out) == 0 {
		t.Fatal("no sets=N comments in gemm_amd64.go")
	}
	return out
}

// gemmSim runs GEMM micro-kernel calls in the simulator.
type gemmSim struct {
	t      *testing.T
	prog   *asmsim.Program
	mem    *asmsim.Memory
	desc   string
	native bool
	sets   map[string]int

	calls, nativeCalls map[string]int
	steps              int64
	prefetches         int64 // PREFETCHT0s executed, all inside the next call's panels
	segCalls           int64 // calls with more than one segment
	cells              int64 // C elements checked against the per-call model
	clampLo, clampHi   int64 // of which clamped by VMAXPS / VMINPS
	nanCells           int64 // of which NaN
	nonFinite          int   // GEMMs with NaNs and infinities planted

	vsAVX2, vsAVX2Same int64   // AVX-512 outputs compared with Gemm on the AVX2 hardware, identical
	vsAVX2Max          float64 // largest |AVX-512 - AVX2| relative to the output scale
}

func newGemmSim(t *testing.T) *gemmSim {
	return &gemmSim{t: t, prog: simProgram(t), sets: gemmSets(t), calls: map[string]int{}, nativeCalls: map[string]int{}}
}

// gemmCall is one micro-kernel call: the arguments as the kernel sees them.
type gemmCall struct {
	name                      string
	mr, np, sets              int
	a, b, c, bias, clamp      unsafe.Pointer
	lda, bstride, k, ldc, blk int // lda, ldc, bstride in bytes
	segs, segadj              int // segadj in bytes
	flags                     uint
	active                    func(j int) bool // lane j of a masked call
}

func (g *gemmSim) avx2(mr, np int, a *float32, lda int, b *float32, bstride, k, segs, segadj int, c *float32, ldc, blocks int, bias *float32, flags uint, mask *int32) {
	gc := &gemmCall{name: fmt.Sprintf("gemmAVX2_%dx%d", mr, 16*np), mr: mr, np: np,
		a: unsafe.Pointer(a), b: unsafe.Pointer(b), c: unsafe.Pointer(c), bias: unsafe.Pointer(bias), clamp: unsafe.Pointer(&actClamp[0]),
		lda: lda, bstride: bstride, k: k, segs: segs, segadj: segadj, ldc: ldc, blk: blocks, flags: flags,
		active: func(j int) bool { return *(*int32)(unsafe.Add(unsafe.Pointer(mask), 4*j)) < 0 }}
	g.run(AVX2, gc, ptrAddr(mask), func() { callAVX2(mr, np, a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, flags, mask) })
}

func (g *gemmSim) avx512(mr, np int, a *float32, lda int, b *float32, bstride, k, segs, segadj int, c *float32, ldc, blocks int, bias *float32, flags uint, mask uint64) {
	gc := &gemmCall{name: fmt.Sprintf("gemmAVX512_%dx%d", mr, 16*np), mr: mr, np: np,
		a: unsafe.Pointer(a), b: unsafe.Pointer(b), c: unsafe.Pointer(c), bias: unsafe.Pointer(bias), clamp: unsafe.Pointer(&actClamp[0]),
		lda: lda, bstride: bstride, k: k, segs: segs, segadj: segadj, ldc: ldc, blk: blocks, flags: flags,
		active: func(j int) bool { return mask>>j&1 != 0 }}
	g.run(AVX512, gc, mask, func() { callAVX512(mr, np, a, lda, b, bstride, k, segs, segadj, c, ldc, blocks, bias, flags, mask) })
}

func (g *gemmSim) run(isa ISA, gc *gemmCall, mask uint64, native func()) {
	t := g.t
	t.Helper()
	sets, ok := g.sets[gc.name]
	if !ok {
		t.Fatalf("%s: no sets=N in the stubs for %s", g.desc, gc.name)
	}
	gc.sets = sets
	before := snapshot(g.mem)
	var hw [][]byte
	if g.native && nativeOK(isa) {
		native()
		hw = snapshot(g.mem)
		restore(g.mem, before)
	}
	want := g.model(gc, before)
	m := asmsim.New(g.mem, simFeatures(isa))
	m.Prefetch = g.prefetchCheck(gc)
	u := func(p unsafe.Pointer) uint64 { return uint64(uintptr(p)) }
	_, err := m.Call(g.prog.Func(gc.name), u(gc.a), uint64(gc.lda), u(gc.b), uint64(gc.bstride), uint64(gc.k),
		uint64(gc.segs), uint64(gc.segadj), u(gc.c), uint64(gc.ldc), uint64(gc.blk), u(gc.bias), u(gc.clamp), uint64(gc.flags), mask)
	if err != nil {
		t.Fatalf("%s: %v", g.desc, err)
	}
	g.steps += m.Steps
	g.prefetches += m.Prefetches
	if gc.segs > 1 {
		g.segCalls++
	}
	// Prefetches: only with kfPf, only in the first block (one line per
	// panel per k step of the call's segs*k).
	if want := int64(gc.np * gc.segs * gc.k); gc.flags&kfPf == 0 || gc.blk == 0 {
		want = 0
	} else if m.Prefetches != want {
		t.Fatalf("%s: %s: %d prefetches, want %d (flags %#x)", g.desc, gc.name, m.Prefetches, want, gc.flags)
	}
	g.calls[gc.name]++
	if hw != nil {
		if diff := diffRegions(g.mem, hw); diff != "" {
			t.Fatalf("%s: %s: simulator and hardware differ: %s", g.desc, gc.name, diff)
		}
		g.nativeCalls[gc.name]++
	}
	if diff := diffRegions(g.mem, want); diff != "" {
		t.Fatalf("%s: %s(mr %d, np %d, k %d, blocks %d, flags %#x, sets %d): result differs from the exact model: %s",
			g.desc, gc.name, gc.mr, gc.np, gc.k, gc.blk, gc.flags, gc.sets, diff)
	}
}

// prefetchCheck returns the simulator's prefetch hook for a call: every
// prefetched line must be one of the next call's B lines, np panels on
// (b + np*bstride + 64*kk, plus bstride for the second panel), and inside
// the packed B buffer.
func (g *gemmSim) prefetchCheck(gc *gemmCall) func(uint64) error {
	return func(addr uint64) error {
		if gc.flags&kfPf == 0 {
			return fmt.Errorf("prefetch at %#x without kfPf", addr)
		}
		b := uint64(uintptr(gc.b))
		span := uint64(gc.segs * gc.k * 64)
		ok := false
		for q := 0; q < gc.np; q++ {
			lo := b + uint64((gc.np+q)*gc.bstride)
			if addr >= lo && addr < lo+span && (addr-lo)%64 == 0 {
				ok = true
			}
		}
		if !ok {
			return fmt.Errorf("prefetch at %#x is not a line of the next call's panels", addr)
		}
		for _, r := range g.mem.Regions() {
			if r.Name == "packed B" && addr >= r.Base && addr+64 <= r.End() {
				return nil
			}
		}
		return fmt.Errorf("prefetch at %#x is outside the packed B buffer", addr)
	}
}

// model returns the writable memory as the call must leave it: before, with
// the C cells the call owns replaced by their exact values. Per cell (row
// i, column j of the call): set 0 starts at C (flag accumulate), the bias
// (flag bias) or 0, the other sets at 0; each of the segs segments runs k
// steps (A of segment s at s*(4k+segadj) bytes on, B continuing), step kk
// of a segment's unrolled loop (kk < k&^3) going to set (kk%4)%sets, the
// tail steps to set 0, each a fused multiply-add (VFMADD231PS b, a, acc:
// multiplicand a); the sets are
// summed in order into set 0 (VADDPS acc_s, acc_0, acc_0); then VMAXPS
// with clamp[0] and VMINPS with clamp[1] as the flags ask. Masked calls
// own the active columns only, unmasked ones all np*16.
func (g *gemmSim) model(gc *gemmCall, before [][]byte) [][]byte {
	t := g.t
	exp := make([][]byte, len(before))
	for i := range before {
		exp[i] = append([]byte(nil), before[i]...)
	}
	var wr []*asmsim.Region
	for _, r := range g.mem.Regions() {
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
		t.Fatalf("%s: %s: model cell at %#x is outside the writable regions", g.desc, gc.name, addr)
		return nil
	}
	f32 := func(p unsafe.Pointer, off int) uint32 { return *(*uint32)(unsafe.Add(p, off)) }
	masked := gc.flags&kfMask != 0
	k4 := gc.k &^ 3
	for i := 0; i < gc.mr*gc.blk; i++ {
		for j := 0; j < 16*gc.np; j++ {
			if masked && !gc.active(j) {
				continue
			}
			dst := cell(uint64(uintptr(gc.c)) + uint64(i*gc.ldc+4*j))
			var acc [4]uint32
			switch {
			case gc.flags&kfAccum != 0:
				acc[0] = uint32(dst[0]) | uint32(dst[1])<<8 | uint32(dst[2])<<16 | uint32(dst[3])<<24
			case gc.flags&kfBias != 0:
				acc[0] = f32(gc.bias, 4*j)
			}
			for sg := range gc.segs {
				for kk := 0; kk < gc.k; kk++ {
					s := 0
					if kk < k4 {
						s = (kk % 4) % gc.sets
					}
					av := f32(gc.a, i*gc.lda+sg*(4*gc.k+gc.segadj)+4*kk)
					bv := f32(gc.b, (j/16)*gc.bstride+(sg*gc.k+kk)*64+4*(j%16))
					acc[s] = asmsim.FMA231(acc[s], av, bv)
				}
			}
			r := acc[0]
			for s := 1; s < gc.sets; s++ {
				r = asmsim.Add32(r, acc[s])
			}
			if gc.flags&kfMax != 0 {
				if c := asmsim.Max32(f32(gc.clamp, 0), r); c != r {
					r = c
					g.clampLo++
				}
			}
			if gc.flags&kfMin != 0 {
				if c := asmsim.Min32(f32(gc.clamp, 4), r); c != r {
					r = c
					g.clampHi++
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
	d.p = PackB(AVX2, cs.k, cs.n, d.b, cs.n)
	d.pg = guardedCopy(d.p.data)
	d.p.data = d.pg.data()
	d.ref = refGemm(cs, d.a, d.b, d.bias)
	scale := 1e-3
	for _, v := range d.ref {
		scale = max(scale, math.Abs(v))
	}
	d.tol = 1e-5 * scale
	return d
}

// memory maps the problem's views for the simulator: A, the packed panels,
// the bias, the lane-mask window and the clamp bounds read-only, C
// writable.
func (d *gemmSimData) memory(c []float32) *asmsim.Memory {
	mem := &asmsim.Memory{}
	mem.MapReal("A", asmsim.Bytes(d.a), false)
	mem.MapReal("packed B", asmsim.Bytes(d.p.data), false)
	mem.MapReal("bias", asmsim.Bytes(d.bias), false)
	mem.MapReal("maskWin", asmsim.Bytes(maskWin[:]), false)
	mem.MapReal("actClamp", asmsim.Bytes(actClamp[:]), false)
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

// runGemmSimCase runs one GEMM through the driver copy with both ISAs'
// kernels simulated (AVX2 calls also natively), every call checked against
// the exact model, the result against the reference and the guards; with
// the production blocking, the simulated AVX2 result must equal Gemm on
// the AVX2 hardware bit for bit. bl overrides the blocking (nil: the
// production choice).
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
	var hw *guarded
	if AVX2.Supported() && bl == nil {
		hw = newGuarded((cs.m-1)*cs.ldc + cs.n)
		GemmSegs(AVX2, cs.m, d.a, cs.lda, cs.segs(), d.p, cs.n0, cs.n1, d.bias, cs.act, hw.data(), cs.ldc)
		d.check(t, fmt.Sprintf("AVX2 hardware %v", cs), hw)
	}
	for _, isa := range []ISA{AVX2, AVX512} {
		cg := newGuarded((cs.m-1)*cs.ldc + cs.n)
		c := cg.data()
		sim.mem, sim.native = d.memory(c), true
		b := gemmBlocking(cs.m, cs.depth(), RowBlock(isa))
		if bl != nil {
			b = *bl
		}
		what := fmt.Sprintf("%v simulated %v %+v", isa, cs, b)
		sim.desc = what
		gemmAsmBlockedVia(sim.avx2, sim.avx512, isa, b, cs.m, d.a, cs.lda, cs.segs(), d.p, cs.n0, cs.n1, d.bias, cs.act, c, cs.ldc)
		d.check(t, what, cg)
		if hw != nil && isa == AVX2 {
			for i := range cg.buf {
				if math.Float32bits(cg.buf[i]) != math.Float32bits(hw.buf[i]) {
					t.Fatalf("%s: C buffer offset %d = %v, Gemm on the AVX2 hardware %v", what, i, cg.buf[i], hw.buf[i])
				}
			}
		}
		if hw != nil && isa == AVX512 && !nonFinite {
			// Not bit-identical in general: the AVX-512 driver splits the
			// rows in blocks of up to 12 (AVX2: 6) and pairs panels, so a
			// row meets a kernel with another accumulator-set count, i.e.
			// another summation order. Both are within tol of the
			// reference (checked above); record how far apart they are.
			for i := range cs.m {
				for j := cs.n0; j < cs.n1; j++ {
					a, b := cg.data()[i*cs.ldc+j], hw.data()[i*cs.ldc+j]
					sim.vsAVX2++
					if math.Float32bits(a) == math.Float32bits(b) {
						sim.vsAVX2Same++
					}
					sim.vsAVX2Max = max(sim.vsAVX2Max, math.Abs(float64(a)-float64(b))/(d.tol/1e-5))
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
			cs = gemmCase{m: m, n: nn, k: 5, lda: 5, ldc: nn, n0: 0, n1: nn, bias: false, act: ActNone}
			runGemmSimCase(t, rng, cs, nil, 1, false, sim) // zero init
			n += 3
		}
	}
	// Segments (an implicit-GEMM convolution): 3 of 5 values (unrolled
	// steps and a tail each), rows overlapping, B from row 2; then K blocks
	// of one segment each. Up to two blocks of every height, so that every
	// prefetching kernel runs its prefetching first block.
	for m := 1; m <= 2*RowBlock(AVX512)+1; m++ {
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
	native, total := 0, 0
	for _, name := range p.Names() {
		if c := sim.calls[name]; c > 0 {
			total += c
			native += sim.nativeCalls[name]
			t.Logf("%-18s sets %d: %5d calls simulated, %5d also on the hardware", name, sim.sets[name], c, sim.nativeCalls[name])
		}
	}
	t.Logf("%d GEMMs (%d non-finite), %d kernel calls (%d also on the hardware, bit-identical), %d C elements equal to the exact model (%d NaN, %d clamped below, %d above), %d simulated instructions, %v",
		n, sim.nonFinite, total, native, sim.cells, sim.nanCells, sim.clampLo, sim.clampHi, sim.steps, time.Since(t0).Round(time.Millisecond))
	t.Logf("%d calls with segments, %d prefetches (every one a line of the next call's panels)", sim.segCalls, sim.prefetches)
	if sim.segCalls == 0 || sim.prefetches == 0 {
		t.Errorf("segments (%d calls) or prefetches (%d) not exercised", sim.segCalls, sim.prefetches)
	}
	if sim.clampLo == 0 || sim.clampHi == 0 {
		t.Errorf("the clamps were not exercised (%d below, %d above)", sim.clampLo, sim.clampHi)
	}
	if sim.vsAVX2 > 0 {
		t.Logf("AVX-512 (simulated) vs AVX2 (hardware): %d of %d outputs bit-identical, largest difference %.2g of the output scale (tolerance 1e-5)",
			sim.vsAVX2Same, sim.vsAVX2, sim.vsAVX2Max)
	}
	checkCoverage(t, p, "gemm", "AVX512")
	if AVX2.Supported() {
		checkCoverage(t, p, "gemm", "AVX2")
	}
}

// TestPeakSim runs the peak-FMA calibration kernels in the simulator (no
// memory at all: any access would be an error).
func TestPeakSim(t *testing.T) {
	p := simProgram(t)
	for _, c := range []struct {
		isa  ISA
		nacc int
	}{{AVX2, 12}, {AVX512, 24}} {
		for _, iters := range []uint64{0, 1, 5} {
			m := asmsim.New(&asmsim.Memory{}, simFeatures(c.isa))
			if _, err := m.Call(p.Func("peak"+isaName(c.isa)), iters); err != nil {
				t.Fatal(err)
			}
			// zeroing, load, test, jump, then per iteration nacc FMAs,
			// DECQ and JNZ, then VZEROUPPER and RET.
			want := int64(c.nacc+2+3) + int64(iters)*int64(c.nacc+2) + 2
			if m.Steps != want {
				t.Errorf("peak%s(%d): %d instructions, want %d", isaName(c.isa), iters, m.Steps, want)
			}
			if iters > 0 {
				for r := 0; r < c.nacc; r++ {
					if v := m.V(r); v.Lane[0] != 0 { // 0*0 + 0
						t.Errorf("peak%s: accumulator %d = %#x", isaName(c.isa), r, v.Lane[0])
					}
				}
			}
		}
	}
	checkCoverage(t, p, "peak", "AVX")
}
