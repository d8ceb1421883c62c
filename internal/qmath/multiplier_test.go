package qmath

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// Expected values from TFLite's own tests,
// tensorflow/lite/kernels/internal/quantization_util_test.cc (tests
// QuantizeMultiplierArray, QuantizeMultiplierSmallerThanOneExp,
// QuantizeMultiplierGreaterThanOne, QuantizeMultiplierUnderflow); the
// EXPECT_DEATH cases are errors here.
func TestQuantizeMultiplierTFLiteCases(t *testing.T) {
	for _, c := range []struct {
		real  float64
		m     int32
		shift int
	}{
		{-4, -1073741824, 3}, {-2, -1073741824, 2}, {-1, -1073741824, 1}, {-0.5, -1073741824, 0},
		{-0.25, -1073741824, -1}, {-0.125, -1073741824, -2}, {0, 0, 0}, {0.125, 1073741824, -2},
		{0.25, 1073741824, -1}, {0.5, 1073741824, 0}, {1, 1073741824, 1}, {2, 1073741824, 2}, {4, 1073741824, 3},
		// Around 0.5 and 2: the exponent changes rather than M reaching 2^31.
		{0.50 - 5e-9, 2147483627, -1}, {0.50 - 1e-10, 1073741824, 0}, {0.75, 1610612736, 0}, {1 - 1e-9, 2147483646, 0},
		{1 + 1e-11, 1073741824, 1}, {1.25, 1342177280, 1}, {1.50, 1610612736, 1}, {1.75, 1879048192, 1},
		{2 - 1e-9, 2147483647, 1}, {2 - 1e-11, 1073741824, 2},
		// Underflow: below 2^-32 (shift < -31) flushes to zero.
		{math.Ldexp(1, -31), 1073741824, -30}, {math.Ldexp(1, -32), 1073741824, -31},
		{math.Ldexp(float64(float32(0.99)), -32), 0, 0}, {math.Ldexp(1, -33), 0, 0},
	} {
		got, err := QuantizeMultiplier(c.real)
		if err != nil || got != (Multiplier{c.m, c.shift}) {
			t.Errorf("QuantizeMultiplier(%v) = %+v, %v; want {%d %d}", c.real, got, err, c.m, c.shift)
		}
	}
	for _, bad := range []float64{-0.1, 0, 1 - 1e-15, 1 - 1e-17, 1} {
		if m, err := QuantizeMultiplierSmallerThanOneExp(bad); err == nil {
			t.Errorf("QuantizeMultiplierSmallerThanOneExp(%v) = %+v, want an error (TFLite dies)", bad, m)
		}
	}
	for _, bad := range []float64{1 + 1e-16, 1, 0.5, math.NaN()} {
		if m, err := QuantizeMultiplierGreaterThanOne(bad); err == nil {
			t.Errorf("QuantizeMultiplierGreaterThanOne(%v) = %+v, want an error", bad, m)
		}
	}
}

func TestQuantizeMultiplierEdges(t *testing.T) {
	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if m, err := QuantizeMultiplier(bad); err == nil {
			t.Errorf("QuantizeMultiplier(%v) = %+v, want an error", bad, m)
		}
	}
	for _, c := range []struct {
		real float64
		want Multiplier
	}{
		{1 - 0x1p-40, Multiplier{1 << 30, 1}},           // rounds to 2^31: halved, shift + 1
		{0x1p40, Multiplier{1 << 30, 41}},               // large shifts are kept (default build)
		{5e-324, Multiplier{}},                          // the smallest subnormal flushes
		{math.SmallestNonzeroFloat64 * 8, Multiplier{}}, // so do all subnormals
		{0.5 + 0x1p-32, Multiplier{1<<30 + 1, 0}},       // exactly half a unit: away from zero
		{-0.5 - 0x1p-32, Multiplier{-(1<<30 + 1), 0}},
		{0.5 + 0x1p-33, Multiplier{1 << 30, 0}}, // a quarter unit: down
	} {
		got, err := QuantizeMultiplier(c.real)
		if err != nil || got != c.want {
			t.Errorf("QuantizeMultiplier(%v) = %+v, %v; want %+v", c.real, got, err, c.want)
		}
	}
}

// TestQuantizeMultiplierRounding checks on random multipliers from 1e-9 to
// 1e6 that M is the significand rounded to nearest with ties away from
// zero: |M*2^(shift-31) - real| <= 2^(shift-32), 2^30 <= M < 2^31.
func TestQuantizeMultiplierRounding(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		real := math.Pow(10, -9+15*r.Float64())
		m, err := QuantizeMultiplier(real)
		if err != nil {
			t.Fatal(err)
		}
		if m.M < 1<<30 {
			t.Fatalf("QuantizeMultiplier(%v) = %+v: M below 2^30", real, m)
		}
		exact := new(big.Rat).SetFloat64(real)
		q := new(big.Rat).SetFloat64(m.Real())
		diff := new(big.Rat).Sub(exact, q)
		half := new(big.Rat).SetFloat64(math.Ldexp(1, m.Shift-32))
		if diff.Abs(diff).Cmp(half) > 0 {
			t.Fatalf("QuantizeMultiplier(%v) = %+v = %v: off by more than half a unit", real, m, m.Real())
		}
	}
}

// Expected values from quantization_util_test.cc,
// MultiplyByQuantizedMultiplierInt32.
func TestMultiplyByQuantizedMultiplierTFLiteCases(t *testing.T) {
	qm := func(x int32, real float64) int32 {
		m, err := QuantizeMultiplier(real)
		if err != nil {
			t.Fatal(err)
		}
		return m.Apply(x)
	}
	for _, c := range []struct {
		x    int32
		real float64
		want int32
	}{
		{0, 0.1, 0}, {1, 0, 0}, {10000, 0.00097656, 10}, {10000, -0.00097656, -10},
		{-10000, 0.00097656, -10}, {-10000, -0.00097656, 10},
		{math.MinInt32, 0.00001, -21475}, {math.MinInt32, -0.00001, 21475},
		{math.MaxInt32, 0.00001, 21475}, {math.MaxInt32, -0.00001, -21475},
	} {
		if got := qm(c.x, c.real); got != c.want {
			t.Errorf("x=%d times %v = %d, want %d", c.x, c.real, got, c.want)
		}
	}
	// Maximum x and multiplier, shift -3: TfLiteRound(x*M / 2^34).
	want := int32(math.Round(float64(int64(math.MaxInt32)*math.MaxInt32) / (1 << 34)))
	if got := MultiplyByQuantizedMultiplier(math.MaxInt32, math.MaxInt32, -3); got != want {
		t.Errorf("MaxInt32 x MaxInt32 >> 34 = %d, want %d", got, want)
	}
	if got := MultiplyByQuantizedMultiplier(-math.MaxInt32, math.MaxInt32, -3); got != -want {
		t.Errorf("-MaxInt32 x MaxInt32 >> 34 = %d, want %d", got, -want)
	}
}

func TestSaturatingRoundingDoublingHighMul(t *testing.T) {
	for _, c := range []struct{ a, b, want int32 }{
		{math.MinInt32, math.MinInt32, math.MaxInt32}, // the one overflow saturates
		{math.MinInt32, math.MaxInt32, -math.MaxInt32},
		{math.MaxInt32, math.MaxInt32, math.MaxInt32 - 1},
		{1 << 30, 1 << 30, 1 << 29},
		{1 << 15, 1 << 15, 1},   // +0.5 rounds up
		{-1 << 15, 1 << 15, 0},  // -0.5 rounds up too (toward +inf)
		{3 << 15, 1 << 15, 2},   // +1.5 -> 2
		{-3 << 15, 1 << 15, -1}, // -1.5 -> -1
		{5, 7, 0},
		{0, math.MinInt32, 0},
	} {
		if got := SaturatingRoundingDoublingHighMul(c.a, c.b); got != c.want {
			t.Errorf("SRDHM(%d, %d) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestRoundingDivideByPOT(t *testing.T) {
	for _, c := range []struct {
		x    int32
		e    int
		want int32
	}{
		{5, 1, 3}, {-5, 1, -3}, // halves away from zero
		{6, 2, 2}, {-6, 2, -2}, {7, 2, 2}, {-7, 2, -2}, {5, 2, 1}, {-5, 2, -1},
		{math.MaxInt32, 31, 1}, {math.MinInt32, 31, -1}, {math.MinInt32, 30, -2},
		{123, 0, 123}, {-123, 0, -123}, {1, 31, 0}, {-1, 1, -1},
	} {
		if got := RoundingDivideByPOT(c.x, c.e); got != c.want {
			t.Errorf("RoundingDivideByPOT(%d, %d) = %d, want %d", c.x, c.e, got, c.want)
		}
	}
}

// model is an exact model of TFLite's double rounding in rationals: the
// wrapped left shift, round(x*m/2^31) with ties up, then division by 2^right
// with ties away from zero.
func model(x, m int32, shift int) int32 {
	left, right := max(shift, 0), max(-shift, 0)
	y := int32(uint32(int64(x) << left)) // int32 wrap, as in C on every TFLite target
	// t = floor(y*m/2^31 + 1/2), saturated at MaxInt32 (only -1 * -1 exceeds it)
	p := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(int64(y)), big.NewInt(int64(m))), new(big.Int).Lsh(big.NewInt(1), 31))
	t := floorRat(new(big.Rat).Add(p, big.NewRat(1, 2)))
	if t.Cmp(big.NewInt(math.MaxInt32)) > 0 {
		t.SetInt64(math.MaxInt32)
	}
	// r = round_half_away(t / 2^right)
	q := new(big.Rat).SetFrac(t, new(big.Int).Lsh(big.NewInt(1), uint(right)))
	return int32(roundHalfAway(q).Int64())
}

func floorRat(r *big.Rat) *big.Int {
	q, m := new(big.Int).DivMod(r.Num(), r.Denom(), new(big.Int)) // Euclidean: floor for a positive denominator
	_ = m
	return q
}

func roundHalfAway(r *big.Rat) *big.Int {
	a := new(big.Rat).Abs(r)
	f := floorRat(new(big.Rat).Add(a, big.NewRat(1, 2)))
	if r.Sign() < 0 {
		f.Neg(f)
	}
	return f
}

// TestMultiplyByQuantizedMultiplierModel compares MultiplyByQuantizedMultiplier
// with the exact model on random inputs over the whole int32 range, with
// multipliers from QuantizeMultiplier (M in [2^30, 2^31)) and shifts -31..7,
// and reports how often the double rounding differs from rounding the exact
// product once (it may by at most 1).
func TestMultiplyByQuantizedMultiplierModel(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	special := []int32{0, 1, -1, 2, -2, math.MaxInt32, math.MinInt32, math.MinInt32 + 1, 1 << 30, -1 << 30}
	n, differ := 0, 0
	for i := range 300000 {
		x := int32(r.Uint32())
		switch i % 4 {
		case 0:
			x = special[r.IntN(len(special))]
		case 1:
			x >>= r.IntN(31) // small magnitudes too
		}
		m := int32(1<<30 + r.Int32N(1<<30))
		if i%50 == 0 {
			m = []int32{1 << 30, math.MaxInt32, math.MinInt32, 0}[r.IntN(4)]
		}
		shift := -31 + r.IntN(39)
		got, want := MultiplyByQuantizedMultiplier(x, m, shift), model(x, m, shift)
		if got != want {
			t.Fatalf("MBQM(%d, %d, %d) = %d, model %d", x, m, shift, got, want)
		}
		if shift <= 0 && m >= 0 {
			n++
			// Single rounding of the exact product x*m/2^(31-shift).
			p := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(int64(x)), big.NewInt(int64(m))), new(big.Int).Lsh(big.NewInt(1), uint(31-shift)))
			single := roundHalfAway(p).Int64()
			if d := int64(got) - single; d != 0 {
				differ++
				if d < -1 || d > 1 {
					t.Fatalf("MBQM(%d, %d, %d) = %d, %d from the single rounding %d", x, m, shift, got, d, single)
				}
			}
		}
	}
	t.Logf("double rounding differs from single rounding (half away from zero) in %d of %d random cases", differ, n)
}

func TestMultiplyByQuantizedMultiplierVariants(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 100000 {
		x := int32(r.Uint32()) >> r.IntN(31)
		m := int32(1<<30 + r.Int32N(1<<30))
		s := -r.IntN(32)
		if a, b := MultiplyByQuantizedMultiplierSmallerThanOneExp(x, m, s), MultiplyByQuantizedMultiplier(x, m, s); a != b {
			t.Fatalf("SmallerThanOneExp(%d, %d, %d) = %d, MBQM %d", x, m, s, a, b)
		}
		s = r.IntN(8)
		want := SaturatingRoundingDoublingHighMul(x*(int32(1)<<s), m)
		if a, b := MultiplyByQuantizedMultiplierGreaterThanOne(x, m, s), MultiplyByQuantizedMultiplier(x, m, s); a != want || b != want {
			t.Fatalf("GreaterThanOne(%d, %d, %d) = %d, MBQM %d, want %d", x, m, s, a, b, want)
		}
	}
}
