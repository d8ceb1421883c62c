package qmath

import (
	"math"
	"math/bits"
)

// This file holds the pieces of gemmlowp's fixedpoint/fixedpoint.h (and of
// TFLite's common.h built on it) that the quantized softmax needs, on the
// scalar int32 raw type. gemmlowp's FixedPoint<int32_t, N> is a Q(N).(31-N)
// number: raw / 2^(31-N), N integer bits besides the sign. The C++ carries N
// in the type; here it is an argument, and a value is its raw int32.
//
// Additions and subtractions of raw values are plain int32 arithmetic, which
// wraps (gemmlowp's Add and Sub, whose operands never overflow in the
// softmax). Products of fixed-point numbers are
// SaturatingRoundingDoublingHighMul; the integer bits of the result are the
// sum of the operands'.

// One returns the raw value of 1 in Q(intBits): MaxInt32 when intBits == 0
// (1 itself is not representable; gemmlowp's FixedPoint::One), else
// 2^(31-intBits).
func One(intBits int) int32 {
	if intBits == 0 {
		return math.MaxInt32
	}
	return 1 << (31 - intBits)
}

// SaturatingRoundingMultiplyByPOT multiplies x by 2^exponent: a saturating
// left shift for exponent > 0, RoundingDivideByPOT for exponent < 0
// (gemmlowp's SaturatingRoundingMultiplyByPOT, ImplSaturatingRoundingMultiplyByPOT).
// Exponents beyond ±31 are clamped.
func SaturatingRoundingMultiplyByPOT(x int32, exponent int) int32 {
	switch {
	case exponent == 0:
		return x
	case exponent < 0:
		return RoundingDivideByPOT(x, -exponent)
	}
	exponent = min(exponent, 31)
	threshold := int32(int64(1)<<(31-exponent) - 1)
	switch {
	case x > threshold:
		return math.MaxInt32
	case x < -threshold:
		return math.MinInt32
	}
	return x << exponent // cannot overflow: |x| <= threshold
}

// Rescale converts x from Q(srcBits) to Q(dstBits), rounding or saturating
// (gemmlowp's Rescale).
func Rescale(x int32, srcBits, dstBits int) int32 {
	return SaturatingRoundingMultiplyByPOT(x, srcBits-dstBits)
}

// RoundingHalfSum returns (a + b) / 2 rounded to nearest, ties away from zero
// (gemmlowp's RoundingHalfSum for int32: (sum + sign) / 2 in 64 bits,
// truncating; the ARM VRHADD instruction).
func RoundingHalfSum(a, b int32) int32 {
	sum := int64(a) + int64(b)
	sign := int64(1)
	if sum < 0 {
		sign = -1
	}
	return int32((sum + sign) / 2)
}

// Raw values of gemmlowp's fixed-point constants (the int32 literals of
// GEMMLOWP_CHECKED_FIXEDPOINT_CONSTANT in fixedpoint.h, which for int32 are
// used as they are).
const (
	expMinusOneEighthQ0 = 1895147668  // exp(-1/8) in Q0.31
	oneThirdQ0          = 715827883   // 1/3 in Q0.31
	fortyEightOver17Q2  = 1515870810  // 48/17 in Q2.29
	minus32Over17Q2     = -1010580540 // -32/17 in Q2.29
)

// expBarrel are exp(-2^k) in Q0.31 for k = -2..4, the multipliers of
// exp_on_negative_values' barrel shifter (GEMMLOWP_EXP_BARREL_SHIFTER).
var expBarrel = [...]struct {
	exponent   int
	multiplier int32
}{
	{-2, 1672461947}, // exp(-1/4)
	{-1, 1302514674}, // exp(-1/2)
	{0, 790015084},   // exp(-1)
	{1, 290630308},   // exp(-2)
	{2, 39332535},    // exp(-4)
	{3, 720401},      // exp(-8)
	{4, 242},         // exp(-16)
}

// ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl returns exp(a) for a Q0.31
// value a in [-1/4, 0), in Q0.31: gemmlowp's
// exp_on_interval_between_negative_one_quarter_and_0_excl, a fourth-order
// Taylor expansion around -1/8.
func ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(a int32) int32 {
	mul := SaturatingRoundingDoublingHighMul
	x := a + 1<<28 // a + 1/8 (ConstantPOT<-3> in Q0)
	x2 := mul(x, x)
	x3 := mul(x2, x)
	x4 := mul(x2, x2)
	x4Over4 := SaturatingRoundingMultiplyByPOT(x4, -2)
	poly := SaturatingRoundingMultiplyByPOT(mul(x4Over4+x3, oneThirdQ0)+x2, -1) // x^4/24 + x^3/6 + x^2/2
	return expMinusOneEighthQ0 + mul(expMinusOneEighthQ0, x+poly)
}

// ExpOnNegativeValues returns exp(a) in Q0.31 for a <= 0 given in
// Q(intBits) (gemmlowp's exp_on_negative_values): the fractional part modulo
// 1/4 goes through the Taylor expansion, each set bit of the rest multiplies
// by exp(-2^k); for intBits > 5 inputs below -32 give 0; exp(0) is One(0).
// intBits must be in [0, 29] (gemmlowp's static_assert on ConstantPOT); the
// softmax uses 5.
func ExpOnNegativeValues(a int32, intBits int) int32 {
	fracBits := 31 - intBits
	oneQuarter := int32(1) << (fracBits - 2)
	mask := oneQuarter - 1
	aModQuarterMinusOneQuarter := (a & mask) - oneQuarter
	result := ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(Rescale(aModQuarterMinusOneQuarter, intBits, 0))
	remainder := aModQuarterMinusOneQuarter - a
	for _, b := range expBarrel {
		if intBits > b.exponent {
			if remainder&(int32(1)<<(fracBits+b.exponent)) != 0 {
				result = SaturatingRoundingDoublingHighMul(result, b.multiplier)
			}
		}
	}
	if intBits > 5 {
		clamp := -(int32(1) << (36 - intBits)) // -32 in Q(intBits)
		if a < clamp {
			result = 0
		}
	}
	if a == 0 {
		result = One(0)
	}
	return result
}

// OneOverOnePlusXForXIn01 returns 1/(1+a) for a Q0.31 value a in [0, 1), in
// Q0.31 (gemmlowp's one_over_one_plus_x_for_x_in_0_1): three Newton-Raphson
// steps on the half denominator in Q2.29, starting from 48/17 - 32/17·d.
func OneOverOnePlusXForXIn01(a int32) int32 {
	mul := SaturatingRoundingDoublingHighMul
	halfDenominator := RoundingHalfSum(a, One(0)) // Q0
	x := fortyEightOver17Q2 + mul(halfDenominator, minus32Over17Q2)
	for range 3 {
		halfDenominatorTimesX := mul(halfDenominator, x)                // Q2
		oneMinusHalfDenominatorTimesX := One(2) - halfDenominatorTimesX // Q2
		x += Rescale(mul(x, oneMinusHalfDenominatorTimesX), 4, 2)       // Q4 -> Q2
	}
	return Rescale(x, 1, 0) // ExactMulByPot<-1> turns Q2 into Q1 with the same raw value
}

// GetReciprocal returns 1/x for a positive Q(xIntegerDigits) value x, as
// TFLite's GetReciprocal (common.h) does: x is normalised into [1, 2) by its
// leading zeros, OneOverOnePlusXForXIn01 gives the reciprocal of the
// normalised value in Q0.31, and numBitsOverUnit is the number of bits x has
// above 1 (the reciprocal is scale / 2^numBitsOverUnit).
func GetReciprocal(x int32, xIntegerDigits int) (scale int32, numBitsOverUnit int) {
	headroomPlusOne := bits.LeadingZeros32(uint32(x))
	numBitsOverUnit = xIntegerDigits - headroomPlusOne
	shiftedSumMinusOne := int32((uint32(x) << headroomPlusOne) - (1 << 31))
	return OneOverOnePlusXForXIn01(shiftedSumMinusOne), numBitsOverUnit
}
