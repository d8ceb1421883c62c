package qref

import (
	"fmt"

	"mnet.dev/mnet/internal/qmath"
)

// softmaxAccumulationIntegerBits is the integer bits of the sum of
// exponentials (kAccumulationIntegerBits, Q12.19): up to 4096 terms of at
// most 1.
const softmaxAccumulationIntegerBits = 12

// Softmax is TFLite's quantized softmax for uint8 input and output
// (reference_ops::Softmax<uint8_t, uint8_t> in reference/softmax.h, the
// fixed-point implementation built on gemmlowp), over rows of depth values:
//
//   - d = in - max(row); rows' differences below p.DiffMin contribute 0;
//   - the difference is scaled into Q5.26 by
//     MultiplyByQuantizedMultiplierGreaterThanOne(d, InputMultiplier,
//     InputLeftShift) and exponentiated (qmath.ExpOnNegativeValues, Q0.31);
//   - the exponentials are summed in Q12.19 (each rescaled, rounding);
//   - the sum's reciprocal (qmath.GetReciprocal) times each exponential,
//     rounding-shifted right by num_bits_over_unit + 31 - 8, is the output,
//     clamped to [0, 255] (in units of the output scale 1/256).
//
// p comes from qmath.PrepareSoftmax. TFLite's default (optimized) runtime
// computes uint8 softmax with a float lookup table instead; see the package
// documentation for how far apart the two are.
func Softmax(p qmath.SoftmaxParams, depth int, in, out []uint8) error {
	return softmax(p, depth, in, out)
}

// SoftmaxInt8 is the same softmax for int8 input and output
// (reference_ops::Softmax<int8_t, int8_t>, which TFLite's int8 softmax
// reference kernel calls): the output is shifted by -128 (zero point -128).
func SoftmaxInt8(p qmath.SoftmaxParams, depth int, in, out []int8) error {
	return softmax(p, depth, in, out)
}

func softmax[T element](p qmath.SoftmaxParams, depth int, in, out []T) error {
	if depth < 1 || len(in)%depth != 0 || len(out) != len(in) {
		return fmt.Errorf("qref: softmax of %d values in rows of %d into %d values", len(in), depth, len(out))
	}
	if p.InputLeftShift < 0 || p.InputLeftShift > 31 {
		return fmt.Errorf("qref: softmax input left shift %d out of [0, 31]", p.InputLeftShift)
	}
	const bits = qmath.SoftmaxScaledDiffIntegerBits
	lo, hi := typeRange[T]()
	scaledDiff := func(x, rowMax T) (int32, bool) {
		d := int32(x) - int32(rowMax)
		if d < p.DiffMin {
			return 0, false
		}
		return qmath.MultiplyByQuantizedMultiplierGreaterThanOne(d, p.InputMultiplier, p.InputLeftShift), true
	}
	for r := 0; r < len(in); r += depth {
		row, orow := in[r:r+depth], out[r:r+depth]
		rowMax := row[0]
		for _, x := range row {
			rowMax = max(rowMax, x)
		}
		var sum int32 // Q12.19
		for _, x := range row {
			if d, ok := scaledDiff(x, rowMax); ok {
				sum += qmath.Rescale(qmath.ExpOnNegativeValues(d, bits), 0, softmaxAccumulationIntegerBits)
			}
		}
		scale, bitsOverUnit := qmath.GetReciprocal(sum, softmaxAccumulationIntegerBits)
		exponent := bitsOverUnit + 31 - 8 // 8 = the output type's bits
		if exponent < 0 || exponent > 31 {
			// TFLite's TFLITE_CHECK(0 <= exponent && exponent <= 31) aborts
			// here: the exponentials of the row (relative to its maximum)
			// sum to 512 or more, e.g. 512 or more equal logits. (Older
			// TFLite versions shifted by 32, undefined behaviour.)
			return fmt.Errorf("qref: softmax row of %d values: the exponentials sum to %.1f >= 512, beyond the output shift TFLite allows (it aborts)", depth, float64(sum)/(1<<19))
		}
		for i, x := range row {
			if d, ok := scaledDiff(x, rowMax); ok {
				e := qmath.ExpOnNegativeValues(d, bits)
				v := qmath.RoundingDivideByPOT(qmath.SaturatingRoundingDoublingHighMul(scale, e), exponent) + lo
				orow[i] = T(min(max(v, lo), hi))
			} else {
				orow[i] = T(lo)
			}
		}
	}
	return nil
}
