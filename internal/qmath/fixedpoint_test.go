package qmath

import (
	"math"
	"math/rand/v2"
	"testing"
)

func toFloat(raw int32, intBits int) float64 { return math.Ldexp(float64(raw), intBits-31) }

func TestSaturatingRoundingMultiplyByPOT(t *testing.T) {
	for _, c := range []struct {
		x    int32
		e    int
		want int32
	}{
		{3, 2, 12}, {-3, 2, -12},
		{1<<30 - 1, 1, 1<<31 - 2},   // the largest that fits
		{1 << 30, 1, math.MaxInt32}, // saturates
		{-(1<<30 - 1), 1, -(1<<31 - 2)},
		{-1 << 30, 1, math.MinInt32},                                // gemmlowp saturates below -threshold
		{1, 31, math.MaxInt32}, {0, 31, 0}, {-1, 31, math.MinInt32}, // 2^31 does not fit
		{7, -1, 4}, {-7, -1, -4}, {9, 0, 9},
	} {
		if got := SaturatingRoundingMultiplyByPOT(c.x, c.e); got != c.want {
			t.Errorf("SaturatingRoundingMultiplyByPOT(%d, %d) = %d, want %d", c.x, c.e, got, c.want)
		}
	}
	if got := Rescale(1<<26, 5, 0); got != math.MaxInt32 { // 1.0 in Q5 does not fit Q0
		t.Errorf("Rescale(1.0 Q5 -> Q0) = %d, want MaxInt32", got)
	}
	if got := Rescale(1<<29, 0, 12); got != 1<<17 { // 0.25 Q0 -> Q12
		t.Errorf("Rescale(0.25 Q0 -> Q12) = %d, want %d", got, 1<<17)
	}
}

func TestRoundingHalfSum(t *testing.T) {
	for _, c := range []struct{ a, b, want int32 }{
		{1, 2, 2}, {-1, -2, -2}, {1, -2, -1}, {2, 4, 3},
		{math.MaxInt32, math.MaxInt32, math.MaxInt32}, {math.MinInt32, math.MinInt32, math.MinInt32},
		{math.MaxInt32, 0, 1 << 30},
	} {
		if got := RoundingHalfSum(c.a, c.b); got != c.want {
			t.Errorf("RoundingHalfSum(%d, %d) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

// TestExpOnNegativeValues checks the fixed-point exponential against
// math.Exp on Q5.26 inputs over [-32, 0] (all of them on a grid, random ones
// between), as gemmlowp's test_fixedpoint.cc does, and its exact points.
func TestExpOnNegativeValues(t *testing.T) {
	if got := ExpOnNegativeValues(0, 5); got != math.MaxInt32 {
		t.Errorf("exp(0) = %d, want One = MaxInt32", got)
	}
	check := func(a int32) float64 {
		got := toFloat(ExpOnNegativeValues(a, 5), 0)
		return math.Abs(got - math.Exp(toFloat(a, 5)))
	}
	worst := 0.0
	for a := int64(0); a >= math.MinInt32; a -= 1 << 12 {
		worst = max(worst, check(int32(a)))
	}
	r := rand.New(rand.NewPCG(7, 8))
	for range 200000 {
		worst = max(worst, check(-r.Int32N(math.MaxInt32)))
	}
	// The error is the fourth-order Taylor expansion's around -1/8 on
	// [-1/4, 0): about (1/8)^5/5! = 2.5e-7; the Q0.31 roundings add far less.
	if worst > 2.6e-7 {
		t.Errorf("exp_on_negative_values: worst absolute error %g, want <= 2.6e-7", worst)
	}
	t.Logf("exp_on_negative_values Q5.26: worst absolute error %.3g (%.1f units of 2^-31)", worst, worst*0x1p31)
	// Below -16 every barrel multiplier below exp(-16) applies; at -32 the
	// result is 0 in Q0.31 within rounding.
	if got := ExpOnNegativeValues(math.MinInt32, 5); got > 2 {
		t.Errorf("exp(-32) = %d raw, want ~0", got)
	}
	// intBits > 5 clamps below -32 to exactly 0.
	if got := ExpOnNegativeValues(-33<<(31-6), 6); got != 0 {
		t.Errorf("exp(-33) in Q6 = %d, want 0 (clamped)", got)
	}
}

func TestExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(t *testing.T) {
	worst := 0.0
	for a := int32(-1 << 29); a < 0; a += 1 << 14 {
		got := toFloat(ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(a), 0)
		worst = max(worst, math.Abs(got-math.Exp(toFloat(a, 0))))
	}
	if worst > 2.6e-7 { // the Taylor remainder, as above
		t.Errorf("exp on [-1/4, 0): worst error %g", worst)
	}
}

func TestOneOverOnePlusXForXIn01(t *testing.T) {
	worst := 0.0
	for a := int32(0); a >= 0 && a < math.MaxInt32-(1<<16); a += 1 << 16 {
		got := toFloat(OneOverOnePlusXForXIn01(a), 0)
		worst = max(worst, math.Abs(got-1/(1+toFloat(a, 0))))
	}
	if worst > 0x1p-28 {
		t.Errorf("1/(1+x): worst error %g", worst)
	}
	t.Logf("one_over_one_plus_x_for_x_in_0_1: worst absolute error %.3g", worst)
}

func TestGetReciprocal(t *testing.T) {
	// Q12.19 sums from exp(0) = 1 (a one-element row) to 1001 (an all-equal
	// row of 1001 classes): scale/2^bits must be 1/x.
	for _, x := range []float64{1, 1.5, 2, 3, 10, 100.25, 1001, 4095} {
		raw := int32(math.Round(x * (1 << 19)))
		scale, bits := GetReciprocal(raw, 12)
		got := toFloat(scale, 0) / math.Ldexp(1, bits)
		if math.Abs(got*x-1) > 1e-8 {
			t.Errorf("GetReciprocal(%v) = %d / 2^%d = %v, want %v", x, scale, bits, got, 1/x)
		}
	}
	if _, bits := GetReciprocal(1<<19, 12); bits != 0 {
		t.Errorf("GetReciprocal(1.0 in Q12): %d bits over unit, want 0", bits)
	}
	if _, bits := GetReciprocal(1001<<19, 12); bits != 9 { // 1001 = 1.955 * 2^9
		t.Errorf("GetReciprocal(1001.0 in Q12): %d bits over unit, want 9", bits)
	}
}
