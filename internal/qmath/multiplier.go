package qmath

import (
	"fmt"
	"math"
)

// Multiplier is a real multiplier in TFLite's fixed-point form: M is a Q0.31
// significand and the multiplier is M * 2^(Shift-31). QuantizeMultiplier
// gives 2^30 <= M < 2^31 for positive multipliers, or M == 0 and Shift == 0
// for zero and for multipliers below about 2^-31 (flushed to zero).
type Multiplier struct {
	M     int32
	Shift int // a left shift when positive, a right shift when negative
}

// Real returns the multiplier's exact value, M * 2^(Shift-31).
func (m Multiplier) Real() float64 { return math.Ldexp(float64(m.M), m.Shift-31) }

// Apply returns MultiplyByQuantizedMultiplier(x, m.M, m.Shift).
func (m Multiplier) Apply(x int32) int32 { return MultiplyByQuantizedMultiplier(x, m.M, m.Shift) }

// QuantizeMultiplier splits a real multiplier into a Q0.31 significand and a
// power-of-two exponent, as TFLite's QuantizeMultiplier does in its default
// build (tensorflow/lite/kernels/internal/quantization_util.cc, the frexp
// branch, not TFLITE_EMULATE_FLOAT, not TFLITE_SINGLE_ROUNDING):
//
//   - 0 gives {0, 0};
//   - otherwise q, e = frexp(real) (|q| in [0.5, 1)), M = round(q * 2^31)
//     with halves away from zero (TfLiteRound is std::round); when the
//     rounding reaches 2^31, M = 2^30 and e+1;
//   - an exponent below -31 (a multiplier under about 2^-31) flushes to
//     {0, 0}: TFLite's "denormals" are zero;
//   - large exponents are kept as they are (only the single-rounding build
//     saturates them at 30).
//
// Negative multipliers give a negative M, as in TFLite (the kernels never use
// them: scales are validated positive). NaN and infinities are errors: TFLite
// has no defined result for them (its cast of a non-finite double to int64 is
// undefined behaviour).
func QuantizeMultiplier(real float64) (Multiplier, error) {
	if math.IsNaN(real) || math.IsInf(real, 0) {
		return Multiplier{}, fmt.Errorf("qmath: multiplier %v is not a finite number", real)
	}
	if real == 0 {
		return Multiplier{}, nil
	}
	q, shift := math.Frexp(real)
	qFixed := int64(math.Round(q * (1 << 31)))
	if qFixed == 1<<31 {
		qFixed /= 2
		shift++
	}
	if shift < -31 {
		return Multiplier{}, nil
	}
	return Multiplier{M: int32(qFixed), Shift: shift}, nil
}

// QuantizeMultiplierSmallerThanOneExp is QuantizeMultiplier for a multiplier
// in (0, 1) whose quantized shift is <= 0 (quantization_util.cc; TFLite
// aborts, TFLITE_CHECK, on a multiplier outside (0, 1) and on one so close to
// 1 that it rounds to 2^30 * 2^1; here both are errors).
func QuantizeMultiplierSmallerThanOneExp(real float64) (Multiplier, error) {
	if !(real > 0 && real < 1) {
		return Multiplier{}, fmt.Errorf("qmath: multiplier %v is not in (0, 1)", real)
	}
	m, err := QuantizeMultiplier(real)
	if err == nil && m.Shift > 0 {
		return Multiplier{}, fmt.Errorf("qmath: multiplier %v rounds to 1 (shift %d)", real, m.Shift)
	}
	return m, err
}

// QuantizeMultiplierGreaterThanOne is QuantizeMultiplier for a multiplier
// above 1 (quantization_util.cc; a TFLITE_CHECK there, an error here). Its
// Shift is >= 1.
func QuantizeMultiplierGreaterThanOne(real float64) (Multiplier, error) {
	if !(real > 1) {
		return Multiplier{}, fmt.Errorf("qmath: multiplier %v is not greater than 1", real)
	}
	return QuantizeMultiplier(real)
}

// SaturatingRoundingDoublingHighMul returns round(a*b / 2^31), the high half
// of the doubled product, as gemmlowp's fixedpoint.h does (the ARM NEON
// VQRDMULH instruction): the 64-bit product plus a nudge of 2^30 (or
// 1 - 2^30 when the product is negative), divided by 2^31 truncating toward
// zero. Ties therefore round toward +infinity for both signs. The one
// overflowing case, a == b == MinInt32, saturates to MaxInt32.
func SaturatingRoundingDoublingHighMul(a, b int32) int32 {
	if a == b && a == math.MinInt32 {
		return math.MaxInt32
	}
	ab := int64(a) * int64(b)
	nudge := int64(1 << 30)
	if ab < 0 {
		nudge = 1 - (1 << 30)
	}
	return int32((ab + nudge) / (1 << 31)) // Go's division truncates toward zero, like C++'s
}

// RoundingDivideByPOT returns x / 2^exponent rounded to the nearest integer,
// ties away from zero: gemmlowp's RoundingDivideByPOT (fixedpoint.h), an
// arithmetic right shift plus one when the discarded remainder exceeds half
// (for negative x, half plus one). gemmlowp asserts 0 <= exponent <= 31;
// exponents outside are clamped to that range here.
func RoundingDivideByPOT(x int32, exponent int) int32 {
	exponent = min(max(exponent, 0), 31)
	mask := int32(int64(1)<<exponent - 1)
	remainder := x & mask
	threshold := mask >> 1
	if x < 0 {
		threshold++
	}
	r := x >> exponent
	if remainder > threshold {
		r++
	}
	return r
}

// MultiplyByQuantizedMultiplier returns x times the real multiplier
// m * 2^(shift-31), as TFLite's default (double-rounding) build computes it
// (tensorflow/lite/kernels/internal/common.cc, the branch without
// TFLITE_SINGLE_ROUNDING):
//
//	RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x * 2^left, m), right)
//
// with left = max(shift, 0) and right = max(-shift, 0). The product is rounded
// twice: once to 31 fractional bits (ties up), then by the shift (ties away
// from zero). The left shift x * 2^left is int32 arithmetic and wraps as it
// does on every machine TFLite runs on (TFLite's contract is that it does not
// overflow).
func MultiplyByQuantizedMultiplier(x, m int32, shift int) int32 {
	left, right := max(shift, 0), max(-shift, 0)
	return RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x*(int32(1)<<min(left, 31)), m), right)
}

// MultiplyByQuantizedMultiplierSmallerThanOneExp is the form used with a
// shift <= 0 (common.h): RoundingDivideByPOT(SRDHM(x, m), -shift). TFLite's
// ADD uses it; for shift <= 0 it equals MultiplyByQuantizedMultiplier.
func MultiplyByQuantizedMultiplierSmallerThanOneExp(x, m int32, shift int) int32 {
	return RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x, m), -shift)
}

// MultiplyByQuantizedMultiplierGreaterThanOne is the form used with a shift
// >= 0 (common.h): SRDHM(x * 2^shift, m), with no final rounding shift. The
// softmax uses it to scale input differences.
func MultiplyByQuantizedMultiplierGreaterThanOne(x, m int32, shift int) int32 {
	return SaturatingRoundingDoublingHighMul(x*(int32(1)<<min(max(shift, 0), 31)), m)
}
