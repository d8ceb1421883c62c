package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

// guardBits is the NaN bit pattern filling every guard band and every C
// element a call must not write. Reading a guard into a sum makes the result
// NaN (caught by the value check); writing one changes its bits (caught by
// the guard check).
const guardBits = 0x7fc0dead

var guardNaN = math.Float32frombits(guardBits)

const guardLen = 37 // floats of guard on each side (odd: not a vector multiple)

// guarded is a float32 slice with NaN guard bands on both sides.
type guarded struct {
	buf []float32
	n   int
}

func newGuarded(n int) *guarded {
	g := &guarded{buf: make([]float32, n+2*guardLen), n: n}
	for i := range g.buf {
		g.buf[i] = guardNaN
	}
	return g
}

func (g *guarded) data() []float32 { return g.buf[guardLen : guardLen+g.n : guardLen+g.n] }

func (g *guarded) check(t *testing.T, what string) {
	t.Helper()
	for i := range guardLen {
		if b := math.Float32bits(g.buf[i]); b != guardBits {
			t.Fatalf("%s: guard before [%d] overwritten: %#x", what, i-guardLen, b)
		}
		if b := math.Float32bits(g.buf[guardLen+g.n+i]); b != guardBits {
			t.Fatalf("%s: guard after [%d] overwritten: %#x", what, i, b)
		}
	}
}

type gemmCase struct {
	m, n, k  int // k: rows of B
	lda, ldc int
	n0, n1   int
	bias     bool
	act      Act
	sg       Segs // A's layout (GemmSegs); zero: a plain m x k matrix (Gemm)
	ldr      int  // > 0: a residual R (m x n, row stride ldr) added before the activation
}

func (c gemmCase) String() string {
	s := fmt.Sprintf("m%d_n%d_k%d_lda%d_ldc%d_cols%d-%d_bias%v_%v", c.m, c.n, c.k, c.lda, c.ldc, c.n0, c.n1, c.bias, c.act)
	if c.ldr > 0 {
		s += fmt.Sprintf("_res%d", c.ldr)
	}
	if c.sg.N != 0 {
		s += fmt.Sprintf("_segs%dx%d/%d@%d", c.sg.N, c.sg.Len, c.sg.Stride, c.sg.K0)
	}
	return s
}

// segs is the A layout the case passes to GemmSegs.
func (c gemmCase) segs() Segs {
	if c.sg.N == 0 {
		return Segs{N: 1, Len: c.k}
	}
	return c.sg
}

// depth is the length of the sums: N*Len values of A times B rows
// [K0, K0+depth).
func (c gemmCase) depth() int { s := c.segs(); return s.N * s.Len }

// aIdx is the index in A of value kk < depth() of row i.
func (c gemmCase) aIdx(i, kk int) int {
	s := c.segs()
	return i*c.lda + kk/s.Len*s.Stride + kk%s.Len
}

// aLen is the length of A: up to the last value of the last row.
func (c gemmCase) aLen() int {
	if c.m == 0 || c.depth() == 0 {
		return 0
	}
	return c.aIdx(c.m-1, c.depth()-1) + 1
}

// refGemm is the float64 reference: act(bias + A*B) over the range.
func refGemm(cs gemmCase, a, b, bias, res []float32) []float64 {
	out, _ := refGemmSums(cs, a, b, bias, res)
	return out
}

// gemmTol is the tolerance of a float32 GEMM against the float64
// reference, given the largest |sum| before the activation: float32 products
// summed in float32 err by about sqrt(k)*eps of the sums' magnitude for
// random signs (k <= 2100 here: under 3e-6), inside 1e-5 of it; a wrong
// index or a lost term is off by O(1/sqrt(k)) of it. The activation only
// shrinks values (ReLU6 clamps sums of 20 to 6), so the sums, not the
// outputs, set the scale.
func gemmTol(sumScale float64) float64 { return 1e-5 * max(sumScale, 1e-3) }

// refGemmSums is refGemm and the largest |sum| before the activation.
func refGemmSums(cs gemmCase, a, b, bias, res []float32) ([]float64, float64) {
	out := make([]float64, cs.m*cs.n)
	scale := 0.0
	k0 := cs.segs().K0
	for i := range cs.m {
		for j := cs.n0; j < cs.n1; j++ {
			s := 0.0
			if cs.bias {
				s = float64(bias[j])
			}
			for k := range cs.depth() {
				s += float64(a[cs.aIdx(i, k)]) * float64(b[(k0+k)*cs.n+j])
			}
			if res != nil {
				s += float64(res[i*cs.ldr+j])
			}
			scale = max(scale, math.Abs(s))
			out[i*cs.n+j] = refAct(cs.act, s)
		}
	}
	return out, scale
}

// runGemmCase runs one case on ks with guard bands around A, packed B,
// bias and C, NaN in the lda/ldc gaps, and checks values and guards.
func runGemmCase(t *testing.T, ks *Set, cs gemmCase, rng *rand.Rand) {
	t.Helper()
	// A: the values the case reads, NaN in every gap (between rows and
	// between segments).
	ag := newGuarded(cs.aLen())
	a := ag.data()
	used := make([]bool, len(a))
	for i := range cs.m {
		for k := range cs.depth() {
			a[cs.aIdx(i, k)] = rng.Float32()*2 - 1
			used[cs.aIdx(i, k)] = true
		}
	}
	aOrig := append([]float32(nil), a...)
	b := make([]float32, cs.k*cs.n)
	for i := range b {
		b[i] = rng.Float32()*2 - 1
	}
	var bias []float32
	bg := newGuarded(cs.n1)
	if cs.bias {
		bias = bg.data()
		for j := range bias {
			bias[j] = rng.Float32()*2 - 1
		}
	}
	p := PackB(cs.k, cs.n, b, cs.n)
	// Copy the packed panels between NaN guards.
	pg := newGuarded(len(p.data))
	copy(pg.data(), p.data)
	p.data = pg.data()

	cLen := (cs.m-1)*cs.ldc + cs.n
	if cs.m == 0 {
		cLen = 0
	}
	cg := newGuarded(cLen)
	c := cg.data()
	var res []float32
	rg := newGuarded(0)
	if cs.ldr > 0 && cs.m > 0 {
		rg = newGuarded((cs.m-1)*cs.ldr + cs.n)
		res = rg.data()
		for i := range res {
			res[i] = rng.Float32()*2 - 1
		}
	}

	switch {
	case res != nil:
		GemmResidual(ks, nil, cs.m, a, cs.lda, cs.segs(), p, cs.n0, cs.n1, bias, res, cs.ldr, cs.act, c, cs.ldc)
	case cs.sg.N == 0:
		Gemm(ks, nil, cs.m, a, cs.lda, p, cs.n0, cs.n1, bias, cs.act, c, cs.ldc)
	default:
		GemmSegs(ks, nil, cs.m, a, cs.lda, cs.sg, p, cs.n0, cs.n1, bias, cs.act, c, cs.ldc)
	}
	rg.check(t, "R")

	ag.check(t, "A")
	pg.check(t, "packed B")
	bg.check(t, "bias")
	cg.check(t, "C")
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(aOrig[i]) || (!used[i] && math.Float32bits(a[i]) != guardBits) {
			t.Fatalf("%v %v: A[%d] (gap %v) overwritten", ks, cs, i, !used[i])
		}
	}

	ref, sums := refGemmSums(cs, a, b, bias, res)
	tol := gemmTol(sums)
	for i := range cs.m {
		for j := range cs.n {
			got := c[i*cs.ldc+j]
			if j < cs.n0 || j >= cs.n1 {
				if math.Float32bits(got) != guardBits {
					t.Fatalf("%v %v: C[%d][%d] outside [%d,%d) written: %v", ks, cs, i, j, cs.n0, cs.n1, got)
				}
				continue
			}
			if d := math.Abs(float64(got) - ref[i*cs.n+j]); !(d <= tol) {
				t.Fatalf("%v %v: C[%d][%d] = %v, want %v (|diff| %.3g > tol %.3g)", ks, cs, i, j, got, ref[i*cs.n+j], d, tol)
			}
		}
		for j := cs.n; j < cs.ldc && i*cs.ldc+j < len(c); j++ {
			if math.Float32bits(c[i*cs.ldc+j]) != guardBits {
				t.Fatalf("%v %v: C gap [%d][%d] written", ks, cs, i, j)
			}
		}
	}
}

// randomCase draws a shape: mostly small, sometimes up to ~300, often not a
// multiple of 4/6/8/12/16, with random strides and panel ranges.
func randomCase(rng *rand.Rand) gemmCase {
	dim := func(hi int) int {
		switch rng.IntN(4) {
		case 0:
			return 1 + rng.IntN(8)
		case 1:
			return 1 + rng.IntN(40)
		case 2:
			return 1 + rng.IntN(hi)
		}
		// near a multiple of 16 or 6
		base := []int{16, 32, 48, 64, 96, 6, 12, 18, 24, 36, 49, 196}[rng.IntN(12)]
		return max(1, base+rng.IntN(3)-1)
	}
	cs := gemmCase{m: dim(300), n: dim(300), k: dim(300)}
	if rng.IntN(20) == 0 {
		cs.k = 300 + rng.IntN(900) // long K, short m and n
		cs.m, cs.n = 1+rng.IntN(40), 1+rng.IntN(40)
	}
	cs.lda = cs.k + []int{0, 0, 1, 3, 16}[rng.IntN(5)]
	cs.ldc = cs.n + []int{0, 0, 1, 5, 16}[rng.IntN(5)]
	if rng.IntN(3) == 0 {
		// Segmented A (implicit-GEMM convolutions): rows may overlap
		// (lda below the row's span), segments are gaps apart, the sums
		// use B rows from K0 on.
		sg := Segs{N: 1 + rng.IntN(4), Len: 1 + rng.IntN(40)}
		sg.Stride = sg.Len + []int{0, 1, 5, 17}[rng.IntN(4)]
		if sg.N == 1 && rng.IntN(2) == 0 {
			sg.Stride = 0
		}
		sg.K0 = []int{0, 0, rng.IntN(9)}[rng.IntN(3)]
		cs.sg = sg
		cs.k = sg.K0 + sg.N*sg.Len + []int{0, 0, rng.IntN(5)}[rng.IntN(3)]
		cs.lda = 1 + rng.IntN((sg.N-1)*sg.Stride+sg.Len+3)
		if sg.N == 1 {
			cs.lda = max(cs.lda, sg.Len)
		}
	}
	panels := (cs.n + panelW - 1) / panelW
	p0, p1 := 0, panels
	if rng.IntN(3) == 0 {
		p0 = rng.IntN(panels)
		p1 = p0 + 1 + rng.IntN(panels-p0)
	}
	cs.n0, cs.n1 = p0*panelW, min(p1*panelW, cs.n)
	cs.bias = rng.IntN(2) == 0
	cs.act = Act(rng.IntN(int(numActs)))
	if rng.IntN(4) == 0 {
		cs.ldr = cs.n + rng.IntN(3)
	}
	return cs
}

func TestGemm(t *testing.T) {
	fixed := []gemmCase{
		{m: 1, n: 1, k: 1},
		{m: 49, n: 1000, k: 64},
		{m: 196, n: 48, k: 40},
		{m: 13, n: 33, k: 27},
		{m: 7, n: 17, k: 1},
		{m: 9, n: 40, k: 2100}, // K blocked (> kcSplit)
		{m: 3, n: 5, k: 0},     // bias/act only
		// 3x3 stride-2 RGB convolution rows: 9-value segments one
		// 224-pixel input row apart, rows 6 values apart (overlapping).
		{m: 111, n: 32, k: 27, sg: Segs{N: 3, Len: 9, Stride: 672}},
		{m: 111, n: 32, k: 27, sg: Segs{N: 2, Len: 9, Stride: 672, K0: 9}}, // top border
		{m: 20, n: 40, k: 2100, sg: Segs{N: 3, Len: 700, Stride: 760}},     // K blocked by segments
	}
	for si, ks := range testSets(t) {
		t.Run(ks.String(), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(si)))
			for _, cs := range fixed {
				for _, bias := range []bool{false, true} {
					for act := range numActs {
						cs := cs
						cs.lda, cs.ldc, cs.n0, cs.n1 = cs.k+1, cs.n+2, 0, cs.n
						if cs.sg.N > 0 {
							cs.lda = []int{6, 761}[min(cs.sg.Len/100, 1)]
						}
						cs.bias, cs.act = bias, act
						runGemmCase(t, ks, cs, rng)
					}
				}
			}
			for range 200 {
				runGemmCase(t, ks, randomCase(rng), rng)
			}
		})
	}
}

// TestGemmAllHeights runs every m up to 3 blocks of the largest kernel, so
// every kernel height and every balanced split is exercised.
func TestGemmAllHeights(t *testing.T) {
	for si, ks := range testSets(t) {
		rng := rand.New(rand.NewPCG(2, uint64(si)))
		for m := 1; m <= 3*12+1; m++ {
			for _, n := range []int{16, 21, 32, 45} {
				cs := gemmCase{m: m, n: n, k: 19, lda: 20, ldc: n + 3, n0: 0, n1: n, bias: m%2 == 0, act: Act(m % int(numActs))}
				runGemmCase(t, ks, cs, rng)
			}
		}
	}
}

// TestGemmSplits checks that a GEMM cut into calls by rows and by column
// panels, at arbitrary boundaries (as the executor's threads cut a layer),
// gives the same bits as one call, on every set: every kernel computes an
// output element with the same operations in the same order. Shapes cover
// odd panel counts (a two-panel set then runs a one-panel kernel on the
// last), row counts that leave 1-3 row blocks, segmented A and K blocks.
func TestGemmSplits(t *testing.T) {
	shapes := []gemmCase{
		{m: 100, n: 70, k: 37},
		{m: 49, n: 1000, k: 64},
		{m: 13, n: 80, k: 5},
		{m: 1, n: 1000, k: 256},
		{m: 31, n: 48, k: 2100}, // K blocked
		{m: 40, n: 45, k: 29, sg: Segs{N: 3, Len: 7, Stride: 30, K0: 2}},
	}
	for si, ks := range testSets(t) {
		rng := rand.New(rand.NewPCG(3, uint64(si)))
		ws := new(Workspace)
		for _, cs := range shapes {
			sg := cs.segs()
			cs.lda = cs.k
			if cs.sg.N > 0 {
				cs.lda = 11
			}
			a := make([]float32, cs.aLen())
			b := make([]float32, cs.k*cs.n)
			bias := make([]float32, cs.n)
			for _, s := range [][]float32{a, b, bias} {
				for i := range s {
					s[i] = rng.Float32()*2 - 1
				}
			}
			p := PackB(cs.k, cs.n, b, cs.n)
			panels := (cs.n + panelW - 1) / panelW
			for act := range numActs {
				whole := make([]float32, cs.m*cs.n)
				GemmSegs(ks, ws, cs.m, a, cs.lda, sg, p, 0, cs.n, bias, act, whole, cs.n)
				for trial := range 6 {
					parts := make([]float32, cs.m*cs.n)
					// Row cuts anywhere; column cuts on panel boundaries.
					rows := cuts(rng, cs.m, 1+rng.IntN(min(cs.m, 7)))
					cols := cuts(rng, panels, 1+rng.IntN(min(panels, 5)))
					for ri := 0; ri+1 < len(rows); ri++ {
						i0, i1 := rows[ri], rows[ri+1]
						for ci := 0; ci+1 < len(cols); ci++ {
							n0, n1 := cols[ci]*panelW, min(cols[ci+1]*panelW, cs.n)
							GemmSegs(ks, ws, i1-i0, a[i0*cs.lda:], cs.lda, sg, p, n0, n1, bias, act, parts[i0*cs.n:], cs.n)
						}
					}
					for i := range whole {
						if math.Float32bits(whole[i]) != math.Float32bits(parts[i]) {
							t.Fatalf("%v %dx%dx%d %v, trial %d (rows %v, panels %v): split result differs at C[%d][%d]: %v vs %v",
								ks, cs.m, cs.n, cs.k, act, trial, rows, cols, i/cs.n, i%cs.n, parts[i], whole[i])
						}
					}
				}
			}
		}
	}
}

// cuts returns k+1 increasing boundaries from 0 to n (k parts, each non-empty).
func cuts(rng *rand.Rand, n, k int) []int {
	set := map[int]bool{0: true, n: true}
	for len(set) < k+1 {
		set[1+rng.IntN(n-1)] = true
	}
	out := make([]int, 0, len(set))
	for v := range set {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

func TestGemmNaNPropagates(t *testing.T) {
	for _, ks := range testSets(t) {
		for act := range numActs {
			const m, n, k = 7, 20, 5
			a := make([]float32, m*k)
			a[3*k+2] = float32(math.NaN())
			b := make([]float32, k*n)
			for i := range b {
				b[i] = 1
			}
			c := make([]float32, m*n)
			Gemm(ks, nil, m, a, k, PackB(k, n, b, n), 0, n, nil, act, c, n)
			for i := range m {
				for j := range n {
					if got := c[i*n+j]; math.IsNaN(float64(got)) != (i == 3) {
						t.Fatalf("%v %v: C[%d][%d] = %v", ks, act, i, j, got)
					}
				}
			}
		}
	}
}

func TestGemmNoAllocs(t *testing.T) {
	const m, n, k = 50, 40, 30
	a := make([]float32, m*k)
	b := make([]float32, k*n)
	c := make([]float32, m*n)
	bias := make([]float32, n)
	ws := new(Workspace)
	p := PackB(k, n, b, n)
	for _, ks := range Available() {
		for act := range numActs {
			if allocs := testing.AllocsPerRun(20, func() {
				Gemm(ks, ws, m, a, k, p, 0, n, bias, act, c, n)
			}); allocs != 0 {
				t.Errorf("%v %v: %v allocations per Gemm", ks, act, allocs)
			}
		}
	}
}

func TestGemmPanics(t *testing.T) {
	p := PackB(4, 20, make([]float32, 80), 20)
	a := make([]float32, 3*4)
	c := make([]float32, 3*20)
	g := Generic()
	unsupported := &Set{name: "unsupported"}
	for name, f := range map[string]func(){
		"n0 off panel":   func() { Gemm(g, nil, 3, a, 4, p, 8, 20, nil, ActNone, c, 20) },
		"n1 off panel":   func() { Gemm(g, nil, 3, a, 4, p, 0, 17, nil, ActNone, c, 20) },
		"n1 > N":         func() { Gemm(g, nil, 3, a, 4, p, 0, 32, nil, ActNone, c, 20) },
		"short A":        func() { Gemm(g, nil, 4, a, 4, p, 0, 20, nil, ActNone, c, 20) },
		"short C":        func() { Gemm(g, nil, 3, a, 4, p, 0, 20, nil, ActNone, c[:50], 20) },
		"lda < K":        func() { Gemm(g, nil, 3, a, 3, p, 0, 20, nil, ActNone, c, 20) },
		"ldc < n1":       func() { Gemm(g, nil, 3, a, 4, p, 0, 20, nil, ActNone, c, 19) },
		"short bias":     func() { Gemm(g, nil, 3, a, 4, p, 0, 20, make([]float32, 19), ActNone, c, 20) },
		"bad activation": func() { Gemm(g, nil, 3, a, 4, p, 0, 20, nil, numActs, c, 20) },
		"unsupported":    func() { Gemm(unsupported, nil, 3, a, 4, p, 0, 20, nil, ActNone, c, 20) },
		"bad PackB ldb":  func() { PackB(4, 20, make([]float32, 80), 19) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func TestSplitRows(t *testing.T) {
	for mr := 1; mr <= 12; mr++ {
		for m := 1; m < 500; m++ {
			s := splitRows(m, mr)
			if s.nbig*s.hi+s.nsmall*s.lo != m || (s.nbig > 0 && s.hi > mr) || s.nbig+s.nsmall != (m+mr-1)/mr || (s.nsmall > 0 && s.lo < 1) {
				t.Fatalf("splitRows(%d, %d) = %+v", m, mr, s)
			}
		}
	}
	if s := splitRows(49, 6); s != (rowSplit{nbig: 4, hi: 6, nsmall: 5, lo: 5}) {
		t.Errorf("splitRows(49, 6) = %+v", s)
	}
}

// TestAsmVocabulary pins the instruction set of the generated GEMM and peak
// kernels to the list documented in _asm/gemm (what an instruction-level
// simulator of the AVX-512 code has to implement).
func TestAsmVocabulary(t *testing.T) {
	allowed := map[string]bool{
		"VMOVUPS": true, "VMOVUPS.Z": true, "VMASKMOVPS": true, "VBROADCASTSS": true,
		"VFMADD231PS": true, "VXORPS": true, "VPXORD": true, "VADDPS": true,
		"VMAXPS": true, "VMINPS": true, "VMULPS": true, "VZEROUPPER": true, "KMOVW": true,
		"MOVQ": true, "LEAQ": true, "ADDQ": true, "SHRQ": true, "ANDQ": true,
		"DECQ": true, "TESTQ": true, "CMPQ": true, "JZ": true, "JNZ": true, "JEQ": true, "JNE": true,
		"JMP": true, "RET": true, "PREFETCHT0": true,
	}
	for _, name := range []string{"gemm_amd64.s", "peak_amd64.s"} {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if !strings.HasPrefix(line, "\t") {
				continue
			}
			f := strings.Fields(line)
			if len(f) == 0 || strings.HasPrefix(f[0], "//") {
				continue
			}
			if !allowed[f[0]] {
				t.Errorf("%s:%d: instruction %s not in the documented vocabulary", name, i+1, f[0])
			}
			if strings.Contains(line, "*4)") || strings.Contains(line, "*8)") {
				t.Errorf("%s:%d: index scale other than 1 or 2: %s", name, i+1, line)
			}
		}
	}
}

// TestGemmBlocking forces tiny K blocks and row chunks on every set with
// GEMM kernels, so the accumulate-into-C path (kfAccum, masked and
// unmasked), the activation on the last K block only, and chunk boundaries
// inside both row segments are exercised on small shapes. A K block stores
// its float32 accumulators in C and the next reloads them, which changes
// no bit: the result must equal the unblocked call exactly.
func TestGemmBlocking(t *testing.T) {
	for si, ks := range testSets(t) {
		if ks.gemm == nil {
			continue
		}
		rng := rand.New(rand.NewPCG(7, uint64(si)))
		ws := new(Workspace)
		ws.init()
		for range 60 {
			m, n, k := 1+rng.IntN(80), 1+rng.IntN(70), 1+rng.IntN(90)
			lda, ldc := k+rng.IntN(3), n+rng.IntN(3)
			a := make([]float32, (m-1)*lda+k)
			w := make([]float32, k*n)
			bias := make([]float32, n)
			for _, s := range [][]float32{a, w, bias} {
				for i := range s {
					s[i] = rng.Float32()*2 - 1
				}
			}
			if rng.IntN(2) == 0 {
				bias = nil
			}
			act := Act(rng.IntN(int(numActs)))
			p := PackB(k, n, w, n)
			want := make([]float32, (m-1)*ldc+n)
			Gemm(ks, ws, m, a, lda, p, 0, n, bias, act, want, ldc)
			bl := blocking{kc: 1 + rng.IntN(k), mc: 1 + rng.IntN(m)}
			got := make([]float32, len(want))
			for i := range got {
				got[i] = guardNaN
			}
			ks.gemm.gemmBlocked(ws, bl, m, a, lda, Segs{N: 1, Len: k}, p, 0, n, bias, act, got, ldc, nil, 0)
			for i := range m {
				for j := range ldc {
					if i*ldc+j >= len(got) {
						break
					}
					g, w := got[i*ldc+j], want[i*ldc+j]
					if j >= n {
						if math.Float32bits(g) != guardBits {
							t.Fatalf("%v m%d n%d k%d %+v: gap written", ks, m, n, k, bl)
						}
						continue
					}
					if math.Float32bits(g) != math.Float32bits(w) {
						t.Fatalf("%v m%d n%d k%d %+v act %v: C[%d][%d] = %v, unblocked %v", ks, m, n, k, bl, act, i, j, g, w)
					}
				}
			}
		}
	}
}

// TestGemmArgsLayout pins gemmArgs to the offsets the generator uses.
func TestGemmArgsLayout(t *testing.T) {
	var a gemmArgs
	for _, f := range []struct {
		name     string
		got, off uintptr
	}{
		{"a", unsafe.Offsetof(a.a), 0}, {"lda", unsafe.Offsetof(a.lda), 8}, {"b", unsafe.Offsetof(a.b), 16},
		{"bstride", unsafe.Offsetof(a.bstride), 24}, {"k", unsafe.Offsetof(a.k), 32}, {"segs", unsafe.Offsetof(a.segs), 40},
		{"segadj", unsafe.Offsetof(a.segadj), 48}, {"c", unsafe.Offsetof(a.c), 56}, {"ldc", unsafe.Offsetof(a.ldc), 64},
		{"blocks", unsafe.Offsetof(a.blocks), 72}, {"bias", unsafe.Offsetof(a.bias), 80}, {"flags", unsafe.Offsetof(a.flags), 88},
		{"kmask", unsafe.Offsetof(a.kmask), 96}, {"vmask", unsafe.Offsetof(a.vmask), 128}, {"three", unsafe.Offsetof(a.three), 256},
		{"six", unsafe.Offsetof(a.six), 320}, {"sixth", unsafe.Offsetof(a.sixth), 384}, {"res", unsafe.Offsetof(a.res), 448},
		{"ldr", unsafe.Offsetof(a.ldr), 456}, {"resCur", unsafe.Offsetof(a.resCur), 464},
	} {
		if f.got != f.off {
			t.Errorf("gemmArgs.%s at %d, generator expects %d", f.name, f.got, f.off)
		}
	}
}
