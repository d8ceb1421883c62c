package asmsim

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// exactFMA32 is the reference: a*b+c exactly (math/big, enough precision
// for any float32 operands: the exponents span under 600 bits), rounded
// once to float32, nearest even.
func exactFMA32(a, b, c float32) float32 {
	if math.IsNaN(float64(a)) || math.IsNaN(float64(b)) || math.IsNaN(float64(c)) ||
		math.IsInf(float64(a), 0) || math.IsInf(float64(b), 0) || math.IsInf(float64(c), 0) {
		return float32(float64(a)*float64(b) + float64(c))
	}
	x := new(big.Float).SetPrec(2000).SetFloat64(float64(a))
	y := new(big.Float).SetPrec(2000).SetFloat64(float64(b))
	z := new(big.Float).SetPrec(2000).SetFloat64(float64(c))
	p := new(big.Float).SetPrec(2000).Mul(x, y)
	s := new(big.Float).SetPrec(2000).Add(p, z)
	if s.Sign() == 0 {
		// Exact zero: the sign follows IEEE (+0 unless both terms are -0,
		// i.e. the product is -0 and c is -0).
		pz := math.Float64bits(float64(a)*float64(b)) >> 63
		if pz == 1 && math.Signbit(float64(c)) {
			return float32(math.Copysign(0, -1))
		}
		return 0
	}
	f, _ := s.Float32()
	return f
}

func TestFMA32Random(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	r32 := func() float32 {
		switch rng.IntN(6) {
		case 0:
			return math.Float32frombits(rng.Uint32()) // any bits (NaN checked separately)
		case 1:
			return float32(rng.NormFloat64())
		case 2:
			return math.Float32frombits(rng.Uint32() & 0x807fffff) // subnormal
		case 3:
			return float32(math.Ldexp(rng.Float64(), rng.IntN(300)-150))
		}
		return rng.Float32()*2 - 1
	}
	for i := 0; i < 200000; i++ {
		a, b, c := r32(), r32(), r32()
		got, want := FMA32(a, b, c), exactFMA32(a, b, c)
		if math.Float32bits(got) != math.Float32bits(want) && !(math.IsNaN(float64(got)) && math.IsNaN(float64(want))) {
			t.Fatalf("FMA32(%g, %g, %g) = %g (%#x), want %g (%#x)", a, b, c, got, math.Float32bits(got), want, math.Float32bits(want))
		}
	}
}

// TestFMA32DoubleRounding builds the cases where float32(math.FMA(...))
// would be wrong: a*b = h*(1 - 2^-46) with h half an ulp of c, so the exact
// sum is just below the midpoint c + h and its float64 rounding is the
// midpoint itself.
func TestFMA32DoubleRounding(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	naive := 0
	for i := 0; i < 20000; i++ {
		// c with an odd significand, so ties-to-even from the midpoint
		// would round up (away from the exact result).
		c := math.Float32frombits((rng.Uint32()&0x3effffff | 1) + 0x01000000)
		if rng.IntN(2) == 0 {
			c = -c
		}
		e := math.Ilogb(float64(c))
		h := math.Ldexp(1, e-24) // half an ulp of c
		a := float32(1 + math.Ldexp(1, -23))
		b := float32(1 - math.Ldexp(1, -23))
		// scale a by h (a power of two, exact unless it leaves the range)
		as := float32(float64(a) * h)
		if float64(as) != float64(a)*h {
			continue
		}
		for _, bb := range []float32{b, -b, float32(1 + math.Ldexp(1, -23))} {
			got, want := FMA32(as, bb, c), exactFMA32(as, bb, c)
			if math.Float32bits(got) != math.Float32bits(want) {
				t.Fatalf("FMA32(%g, %g, %g) = %g, want %g", as, bb, c, got, want)
			}
			if float32(math.FMA(float64(as), float64(bb), float64(c))) != want {
				naive++
			}
		}
	}
	if naive == 0 {
		t.Fatalf("constructed no case where the naive float64 FMA double-rounds: the test is not testing")
	}
	t.Logf("%d constructed cases where float32(math.FMA(...)) double-rounds; FMA32 correct on all", naive)
}

func TestFMA32Specials(t *testing.T) {
	inf := float32(math.Inf(1))
	nz := float32(math.Copysign(0, -1))
	for _, c := range []struct{ a, b, c, want float32 }{
		{0, 5, nz, 0}, {nz, 5, nz, nz}, {nz, 5, 0, 0}, {1, 1, -1, 0},
		{inf, 2, 1, inf}, {inf, -2, 1, -inf}, {2, 3, inf, inf},
		{math.MaxFloat32, 2, -math.MaxFloat32, math.MaxFloat32},
		{math.MaxFloat32, 1.5, 0, inf},
		{math.SmallestNonzeroFloat32, 0.5, 0, 0}, // tie to even: 0
		{math.SmallestNonzeroFloat32, 0.75, 0, math.SmallestNonzeroFloat32},
	} {
		got := FMA32(c.a, c.b, c.c)
		if math.Float32bits(got) != math.Float32bits(c.want) {
			t.Errorf("FMA32(%g, %g, %g) = %g, want %g", c.a, c.b, c.c, got, c.want)
		}
	}
	if r := FMA231(0, math.Float32bits(inf), 0); r != defaultNaN {
		t.Errorf("inf*0+0 = %#x, want the default NaN", r)
	}
	if r := FMA231(0, math.Float32bits(inf), math.Float32bits(-inf)); r != math.Float32bits(-inf) {
		t.Errorf("inf*-inf = %#x", r)
	}
}

func TestMaxMinAdd(t *testing.T) {
	pz, nz := uint32(0), uint32(0x80000000)
	qa, qb, sn := uint32(0x7fc0aaaa), uint32(0xffc0bbbb), uint32(0x7f80cccc)
	one, two := math.Float32bits(1), math.Float32bits(2)
	for _, c := range []struct {
		name         string
		f            func(a, b uint32) uint32
		s1, s2, want uint32
	}{
		{"max", Max32, one, two, two}, {"max", Max32, two, one, two},
		{"max", Max32, pz, nz, nz}, {"max", Max32, nz, pz, pz},
		{"max", Max32, qa, one, one}, {"max", Max32, one, qa, qa}, {"max", Max32, one, sn, sn},
		{"min", Min32, one, two, one}, {"min", Min32, pz, nz, nz}, {"min", Min32, nz, pz, pz},
		{"min", Min32, qa, one, one}, {"min", Min32, one, qb, qb},
		{"add", Add32, qa, qb, qa}, {"add", Add32, one, qb, qb}, {"add", Add32, sn, one, sn | 0x400000},
		{"add", Add32, math.Float32bits(float32(math.Inf(1))), math.Float32bits(float32(math.Inf(-1))), defaultNaN},
		{"add", Add32, nz, nz, nz}, {"add", Add32, nz, pz, pz},
	} {
		if got := c.f(c.s1, c.s2); got != c.want {
			t.Errorf("%s(%#x, %#x) = %#x, want %#x", c.name, c.s1, c.s2, got, c.want)
		}
	}
}
