package qmath

import (
	"math"
	"math/big"
	"testing"
)

// FuzzMultiplyByQuantizedMultiplier checks the requantization against the
// exact rational model (multiplier_test.go) on any input, multiplier and
// shift in TFLite's range [-31, 7].
func FuzzMultiplyByQuantizedMultiplier(f *testing.F) {
	f.Add(int32(10000), int32(1<<30), int8(-9))
	f.Add(int32(math.MinInt32), int32(math.MaxInt32), int8(-31))
	f.Add(int32(-3), int32(1<<30+12345), int8(7))
	f.Fuzz(func(t *testing.T, x, m int32, shift int8) {
		s := -31 + int(uint8(shift))%39 // [-31, 7]
		if got, want := MultiplyByQuantizedMultiplier(x, m, s), model(x, m, s); got != want {
			t.Fatalf("MBQM(%d, %d, %d) = %d, model %d", x, m, s, got, want)
		}
	})
}

// FuzzQuantizeMultiplier checks that any finite multiplier quantizes to a
// significand in [2^30, 2^31) (or flushes to zero below 2^-32) within half
// a unit, and that non-finite ones are errors.
func FuzzQuantizeMultiplier(f *testing.F) {
	for _, v := range []float64{0, 1, 0.5, 1e-9, 0x1p-32, 0x1p-33, 1 - 0x1p-40, -0.75, 1e300} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, real float64) {
		m, err := QuantizeMultiplier(real)
		if math.IsNaN(real) || math.IsInf(real, 0) {
			if err == nil {
				t.Fatalf("QuantizeMultiplier(%v) accepted", real)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		a := math.Abs(real)
		// Below 2^-32 the multiplier flushes to zero, unless it rounds up to
		// 2^-32 (within 2^-32 relative).
		if m.M != 0 && a < 0x1p-32*(1-0x1p-32) {
			t.Fatalf("QuantizeMultiplier(%v) = %+v, want flushed to zero", real, m)
		}
		if m.M == 0 {
			if a >= 0x1p-32 {
				t.Fatalf("QuantizeMultiplier(%v) flushed to zero", real)
			}
			return
		}
		if am := int64(m.M); am < 0 && -am < 1<<30 || am > 0 && am < 1<<30 {
			t.Fatalf("QuantizeMultiplier(%v) = %+v: |M| below 2^30", real, m)
		}
		diff := new(big.Rat).Sub(new(big.Rat).SetFloat64(real), new(big.Rat).SetFloat64(m.Real()))
		if diff.Abs(diff).Cmp(new(big.Rat).SetFloat64(math.Ldexp(1, m.Shift-32))) > 0 {
			t.Fatalf("QuantizeMultiplier(%v) = %+v: more than half a unit off", real, m)
		}
	})
}

// FuzzExpOnNegativeValues checks the fixed-point exponential and reciprocal
// against math on any input of their domains.
func FuzzExpOnNegativeValues(f *testing.F) {
	f.Add(int32(0), int32(0))
	f.Add(int32(-1<<26), int32(1<<30))
	f.Fuzz(func(t *testing.T, a, b int32) {
		if a > 0 {
			a = -a
		}
		got := toFloat(ExpOnNegativeValues(a, 5), 0)
		if d := math.Abs(got - math.Exp(toFloat(a, 5))); d > 2.6e-7 {
			t.Fatalf("exp(%v) = %v, off by %g", toFloat(a, 5), got, d)
		}
		if b < 0 {
			b = ^b
		}
		r := toFloat(OneOverOnePlusXForXIn01(b), 0)
		if d := math.Abs(r - 1/(1+toFloat(b, 0))); d > 1e-8 {
			t.Fatalf("1/(1+%v) = %v, off by %g", toFloat(b, 0), r, d)
		}
	})
}
