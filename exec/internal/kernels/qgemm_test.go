package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// The literal TFLite arithmetic (common.h, default build), as a check on
// the kernels' shortcuts: SaturatingRoundingDoublingHighMul with its nudge
// and truncating division, RoundingDivideByPOT with its mask and
// threshold, MultiplyByQuantizedMultiplier splitting the shift.
func refSRDHM(a, b int32) int32 {
	if a == b && a == math.MinInt32 {
		return math.MaxInt32
	}
	ab := int64(a) * int64(b)
	nudge := int64(1 << 30)
	if ab < 0 {
		nudge = 1 - 1<<30
	}
	return int32((ab + nudge) / (1 << 31)) // Go's division truncates toward zero, as C++'s
}

func refRDBP(x int32, e int) int32 {
	mask := int32(1)<<e - 1
	rem := x & mask
	thr := mask >> 1
	if x < 0 {
		thr++
	}
	r := x >> e
	if rem > thr {
		r++
	}
	return r
}

func refMBQM(x, m int32, shift int) int32 {
	l, r := 0, -shift
	if shift > 0 {
		l, r = shift, 0
	}
	return refRDBP(refSRDHM(x*(1<<l), m), r)
}

// TestRequantize compares Requantize with the literal TFLite arithmetic
// over edge and random accumulators, multipliers and shifts.
func TestRequantize(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 9))
	accs := []int32{0, 1, -1, 2, -2, 3, -3, 1 << 15, -(1 << 15), math.MaxInt32, math.MinInt32, math.MaxInt32 - 1, math.MinInt32 + 1, 1 << 30, -(1 << 30)}
	mults := []int32{0, 1 << 30, 1<<30 + 1, math.MaxInt32, math.MaxInt32 - 1, 1518500250}
	for range 2000 {
		accs = append(accs, int32(rng.Uint32()), int32(rng.IntN(1<<20))-1<<19)
		mults = append(mults, 1<<30+int32(rng.IntN(1<<30)))
	}
	n := 0
	for _, acc := range accs {
		for _, m := range mults[:8+rng.IntN(40)] {
			for shift := -31; shift <= 8; shift++ {
				if got, want := Requantize(acc, m, shift), refMBQM(acc, m, shift); got != want {
					t.Fatalf("Requantize(%d, %d, %d) = %d, TFLite %d", acc, m, shift, got, want)
				}
				n++
			}
		}
	}
	// Ties at every rounding step: products landing exactly on the
	// half-way points of both roundings.
	for e := 1; e <= 20; e++ {
		for _, acc := range []int32{1 << (e - 1), -(1 << (e - 1)), 3 << (e - 1), -(3 << (e - 1))} {
			for _, m := range []int32{1 << 30, math.MaxInt32} {
				if got, want := Requantize(acc, m, -e), refMBQM(acc, m, -e); got != want {
					t.Fatalf("tie: Requantize(%d, %d, %d) = %d, TFLite %d", acc, m, -e, got, want)
				}
				n++
			}
		}
	}
	t.Logf("%d cases equal to the literal TFLite arithmetic", n)
}

// qCase is one int8 GEMM problem with TFLite's asymmetric parameters.
type qCase struct {
	m, n, k  int
	lda, ldc int
	n0, n1   int
	za, zw   int32 // zero points: za of the u8 activations, zw of the s8 weights
	perCh    bool  // per-channel multipliers
	bias     bool
	lo, hi   int32
	zo       int32
	shiftMin int // multiplier shifts drawn from [shiftMin, shiftMax]
	shiftMax int
}

func (c qCase) String() string {
	return fmt.Sprintf("m%d_n%d_k%d_lda%d_ldc%d_cols%d-%d_za%d_zw%d_perch%v_clamp%d-%d_zo%d", c.m, c.n, c.k, c.lda, c.ldc, c.n0, c.n1, c.za, c.zw, c.perCh, c.lo, c.hi, c.zo)
}

// qData holds a case's operands and TFLite's result, computed literally:
// acc = bias + sum_k (a-za)(w-zw), out = clamp(MBQM(acc) + zo).
type qData struct {
	c     qCase
	a     []uint8
	w     []int8
	bias  []int32
	mult  []int32
	shift []int
	want  []uint8 // m x n, dense
	out   *QOut
}

// qPacked is a case's weights packed for one set, with the zero points
// folded as the layout needs.
type qPacked struct {
	b      *PackedQB
	fbias  []int32
	rowCor []int32
}

func (d *qData) pack(ks *Set) *qPacked {
	c := d.c
	p := &qPacked{b: PackQB(ks, c.k, c.n, d.w, c.zw, c.n)}
	p.fbias = p.b.FoldBias(d.bias, c.za)
	if f := p.b.RowFactor(); f != 0 {
		p.rowCor = make([]int32, c.m)
		QRowSums(Generic(), nil, c.m, d.a, c.lda, c.k, f, p.rowCor)
	}
	return p
}

func newQData(t *testing.T, rng *rand.Rand, c qCase, extreme bool) *qData {
	t.Helper()
	d := &qData{c: c}
	kp := (c.k + 3) / 4 * 4
	d.a = make([]uint8, max((c.m-1)*c.lda+kp, 0))
	for i := range d.a {
		d.a[i] = uint8(rng.IntN(256))
		if extreme {
			d.a[i] = []uint8{0, 255}[rng.IntN(2)]
		}
	}
	d.w = make([]int8, c.k*c.n)
	for i := range d.w {
		d.w[i] = int8(rng.IntN(256) - 128)
		if extreme {
			d.w[i] = []int8{-128, 127}[rng.IntN(2)]
		}
	}
	if c.bias {
		d.bias = make([]int32, c.n)
		for j := range d.bias {
			d.bias[j] = int32(rng.IntN(1<<20)) - 1<<19
		}
	}
	nm := 1
	if c.perCh {
		nm = c.n
	}
	for range nm {
		d.mult = append(d.mult, 1<<30+int32(rng.IntN(1<<30)))
		d.shift = append(d.shift, c.shiftMin+rng.IntN(c.shiftMax-c.shiftMin+1))
	}
	d.want = make([]uint8, c.m*c.n)
	for i := range c.m {
		for j := range c.n {
			var acc int32
			if d.bias != nil {
				acc = d.bias[j]
			}
			for kk := range c.k {
				acc += (int32(d.a[i*c.lda+kk]) - c.za) * (int32(d.w[kk*c.n+j]) - c.zw)
			}
			mi := 0
			if c.perCh {
				mi = j
			}
			v := refMBQM(acc, d.mult[mi], d.shift[mi]) + c.zo
			d.want[i*c.n+j] = uint8(min(max(v, c.lo), c.hi))
		}
	}
	var err error
	if d.out, err = NewQOut(c.n, d.mult, d.shift, c.zo, c.lo, c.hi); err != nil {
		t.Fatal(err)
	}
	return d
}

// runQCase runs a case on ks with guard bytes around C and checks every
// byte against TFLite's.
func runQCase(t *testing.T, ks *Set, c qCase, d *qData) {
	t.Helper()
	const guard = 0xa5
	clen := 0
	if c.m > 0 {
		clen = (c.m-1)*c.ldc + c.n
	}
	buf := make([]uint8, clen+2*guardLen)
	for i := range buf {
		buf[i] = guard
	}
	out := buf[guardLen : guardLen+clen]
	p := d.pack(ks)
	QGemm(ks, nil, c.m, d.a, c.lda, p.b, c.n0, c.n1, p.fbias, p.rowCor, d.out, out, c.ldc)
	for i := range guardLen {
		if buf[i] != guard || buf[guardLen+clen+i] != guard {
			t.Fatalf("%v %v: guard overwritten", ks, c)
		}
	}
	for i := range c.m {
		for j := 0; j < c.ldc && i*c.ldc+j < clen; j++ {
			got := out[i*c.ldc+j]
			if j < c.n0 || j >= c.n1 {
				if got != guard {
					t.Fatalf("%v %v: C[%d][%d] outside [%d,%d) written", ks, c, i, j, c.n0, c.n1)
				}
				continue
			}
			if want := d.want[i*c.n+j]; got != want {
				t.Fatalf("%v %v: C[%d][%d] = %d, TFLite %d", ks, c, i, j, got, want)
			}
		}
	}
}

func randomQCase(rng *rand.Rand) qCase {
	dim := func(hi int) int {
		if rng.IntN(3) == 0 {
			return 1 + rng.IntN(20)
		}
		return 1 + rng.IntN(hi)
	}
	c := qCase{m: dim(150), n: dim(150), k: dim(300)}
	c.lda = (c.k+3)/4*4 + []int{0, 0, 3, 16}[rng.IntN(4)]
	c.ldc = c.n + []int{0, 0, 1, 7}[rng.IntN(4)]
	panels := (c.n + 15) / 16
	p0, p1 := 0, panels
	if rng.IntN(3) == 0 {
		p0 = rng.IntN(panels)
		p1 = p0 + 1 + rng.IntN(panels-p0)
	}
	c.n0, c.n1 = 16*p0, min(16*p1, c.n)
	c.za = []int32{0, 128, 255, int32(rng.IntN(256))}[rng.IntN(4)]
	c.zw = []int32{0, 0, -128, 127, int32(rng.IntN(256) - 128)}[rng.IntN(5)]
	c.perCh = rng.IntN(2) == 0
	c.bias = rng.IntN(4) != 0
	c.zo = int32(rng.IntN(256))
	switch rng.IntN(3) {
	case 0:
		c.lo, c.hi = 0, 255
	case 1:
		c.lo, c.hi = c.zo, 255 // ReLU
	default:
		c.lo, c.hi = c.zo, min(255, c.zo+int32(rng.IntN(200))) // ReLU6-like
	}
	c.shiftMin, c.shiftMax = -20, 2
	if rng.IntN(4) == 0 {
		c.shiftMin = 0 // left shifts: multipliers above 1
	}
	return c
}

// TestQGemm runs random int8 GEMMs (odd sizes, strides, column ranges,
// zero points 0, 128, 255 and random, per-tensor and per-channel
// multipliers, left and right shifts, clamps) on every set and requires
// TFLite's bytes exactly.
func TestQGemm(t *testing.T) {
	for si, ks := range testSets(t) {
		rng := rand.New(rand.NewPCG(21, uint64(si)))
		for it := range 300 {
			c := randomQCase(rng)
			runQCase(t, ks, c, newQData(t, rng, c, it%10 == 9))
			if t.Failed() {
				return
			}
		}
		// Every kernel height and panel shape, and extreme sums: A all 0
		// or 255 against weights -128 or 127 over long K.
		for m := 1; m <= 25; m++ {
			for _, n := range []int{16, 20, 32, 45, 64} {
				c := qCase{m: m, n: n, k: 4*m + 1, lda: 4*m + 4, ldc: n, n0: 0, n1: n, za: 128, zw: int32(m%3) - 1,
					perCh: true, bias: true, lo: 0, hi: 255, zo: 100, shiftMin: -12, shiftMax: 1}
				runQCase(t, ks, c, newQData(t, rng, c, false))
			}
		}
		c := qCase{m: 13, n: 40, k: 4100, lda: 4100, ldc: 40, n0: 0, n1: 40, za: 0, zw: 0, perCh: true, bias: true,
			lo: 0, hi: 255, zo: 128, shiftMin: -31, shiftMax: -20}
		runQCase(t, ks, c, newQData(t, rng, c, true))
	}
}

// TestQGemmSplits checks that cutting an int8 GEMM into calls by rows and
// column panels gives the bytes of one call on every set.
func TestQGemmSplits(t *testing.T) {
	for si, ks := range testSets(t) {
		rng := rand.New(rand.NewPCG(22, uint64(si)))
		for _, c := range []qCase{
			{m: 100, n: 70, k: 37}, {m: 49, n: 1000, k: 64}, {m: 1, n: 1001, k: 256}, {m: 31, n: 48, k: 29},
		} {
			c.lda, c.ldc, c.n0, c.n1 = (c.k+3)/4*4, c.n, 0, c.n
			c.za, c.zw, c.perCh, c.bias, c.lo, c.hi, c.zo, c.shiftMin, c.shiftMax = 3, 5, true, true, 0, 255, 7, -15, 0
			d := newQData(t, rng, c, false)
			p := d.pack(ks)
			whole := make([]uint8, c.m*c.n)
			QGemm(ks, nil, c.m, d.a, c.lda, p.b, 0, c.n, p.fbias, p.rowCor, d.out, whole, c.n)
			panels := (c.n + 15) / 16
			for trial := range 5 {
				parts := make([]uint8, c.m*c.n)
				rows := cuts(rng, c.m, 1+rng.IntN(min(c.m, 7)))
				cols := cuts(rng, panels, 1+rng.IntN(min(panels, 5)))
				for ri := 0; ri+1 < len(rows); ri++ {
					i0, i1 := rows[ri], rows[ri+1]
					for ci := 0; ci+1 < len(cols); ci++ {
						n0, n1 := cols[ci]*16, min(cols[ci+1]*16, c.n)
						var rc []int32
						if p.rowCor != nil {
							rc = p.rowCor[i0:]
						}
						QGemm(ks, nil, i1-i0, d.a[i0*c.lda:], c.lda, p.b, n0, n1, p.fbias, rc, d.out, parts[i0*c.n:], c.n)
					}
				}
				for i := range whole {
					if whole[i] != parts[i] || whole[i] != d.want[i] {
						t.Fatalf("%v %v trial %d: split %d, whole %d, TFLite %d at %d", ks, c, trial, parts[i], whole[i], d.want[i], i)
					}
				}
			}
		}
	}
}

func TestQGemmNoAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 1))
	c := qCase{m: 50, n: 40, k: 30, lda: 32, ldc: 40, n1: 40, za: 1, zw: 2, perCh: true, bias: true, lo: 0, hi: 255, shiftMin: -9, shiftMax: 1}
	d := newQData(t, rng, c, false)
	out := make([]uint8, c.m*c.n)
	ws := new(Workspace)
	for _, ks := range Available() {
		p := d.pack(ks)
		if n := testing.AllocsPerRun(20, func() {
			QGemm(ks, ws, c.m, d.a, c.lda, p.b, 0, c.n, p.fbias, p.rowCor, d.out, out, c.n)
		}); n != 0 {
			t.Errorf("%v: %v allocations per QGemm", ks, n)
		}
	}
}

// BenchmarkQGemm reports the int8 GEMM's rate on MobileNet's pointwise
// shapes in GMAC/s (mult-adds; an int8 MAC is one vpdpbusd lane-quarter)
// and GOP/s (2 per MAC, comparable with the float GFLOP/s).
func BenchmarkQGemm(b *testing.B) {
	for _, ks := range Available() {
		for _, sh := range gemmBenchShapes {
			if sh.m*sh.n*sh.k < 1<<20 {
				continue
			}
			b.Run(fmt.Sprintf("%v/%s", ks, sh.name), func(b *testing.B) {
				rng := rand.New(rand.NewPCG(1, 2))
				kp := (sh.k + 3) / 4 * 4
				a := make([]uint8, sh.m*kp)
				w := make([]int8, sh.k*sh.n)
				for i := range a {
					a[i] = uint8(rng.IntN(256))
				}
				for i := range w {
					w[i] = int8(rng.IntN(256) - 128)
				}
				p := PackQB(ks, sh.k, sh.n, w, 0, sh.n)
				out, err := NewQOut(sh.n, []int32{1 << 30}, []int{-12}, 3, 3, 255)
				if err != nil {
					b.Fatal(err)
				}
				bias := p.FoldBias(nil, 3)
				c := make([]uint8, sh.m*sh.n)
				ws := new(Workspace)
				for b.Loop() {
					QGemm(ks, ws, sh.m, a, kp, p, 0, sh.n, bias, nil, out, c, sh.n)
				}
				macs := float64(sh.m) * float64(sh.n) * float64(sh.k) * float64(b.N) / b.Elapsed().Seconds() / 1e9
				b.ReportMetric(macs, "GMAC/s")
				b.ReportMetric(2*macs, "GOP/s")
			})
		}
	}
}

// TestQGemmArgsLayout pins qgemmArgs to the offsets the generator uses.
func TestQGemmArgsLayout(t *testing.T) {
	var a qgemmArgs
	for _, f := range []struct {
		name string
		got  uintptr
		off  uintptr
	}{
		{"a", unsafe.Offsetof(a.a), 0}, {"lda", unsafe.Offsetof(a.lda), 8}, {"b", unsafe.Offsetof(a.b), 16},
		{"bstride", unsafe.Offsetof(a.bstride), 24}, {"kq", unsafe.Offsetof(a.kq), 32}, {"c", unsafe.Offsetof(a.c), 40},
		{"ldc", unsafe.Offsetof(a.ldc), 48}, {"blocks", unsafe.Offsetof(a.blocks), 56}, {"bias", unsafe.Offsetof(a.bias), 64},
		{"rowCorr", unsafe.Offsetof(a.rowCorr), 72}, {"mult", unsafe.Offsetof(a.mult), 80}, {"lsh", unsafe.Offsetof(a.lsh), 88},
		{"rsh", unsafe.Offsetof(a.rsh), 96}, {"rm", unsafe.Offsetof(a.rm), 104}, {"rh", unsafe.Offsetof(a.rh), 112},
		{"flags", unsafe.Offsetof(a.flags), 120}, {"kmask", unsafe.Offsetof(a.kmask), 128}, {"zero", unsafe.Offsetof(a.zero), 192},
		{"lo", unsafe.Offsetof(a.lo), 256}, {"hi", unsafe.Offsetof(a.hi), 320}, {"ones", unsafe.Offsetof(a.ones), 384},
		{"round", unsafe.Offsetof(a.round), 448}, {"rcCur", unsafe.Offsetof(a.rcCur), 512},
	} {
		if f.got != f.off {
			t.Errorf("qgemmArgs.%s at %d, generator expects %d", f.name, f.got, f.off)
		}
	}
}
