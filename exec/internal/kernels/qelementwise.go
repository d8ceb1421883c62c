package kernels

import (
	"fmt"

	"mnet.dev/mnet/internal/qmath"
)

// The int8 layers without a GEMM: softmax, addition and table lookups, on
// u8 tensors (int8 ones carried offset by 128, see QOut). They are written
// from TFLite's kernels and checked against the scalar reference (package
// qref) byte for byte; the fixed-point primitives are qmath's, shared with
// the reference.

// QSoftmax computes TFLite's quantized softmax (reference_ops::Softmax, the
// gemmlowp fixed-point form) over each row of depth values of in into out,
// in units of the output scale 1/256 from 0 (uint8 output zero point 0;
// for int8, -128 in the u8 domain is 0 too, so the bytes are the same).
// Where the row's exponentials sum to 512 or more (TFLite aborts: its final
// shift would exceed 31 bits), the shift is carried out in 64 bits, which
// is the value TFLite's formula defines: every output is then 0, or 1 for
// an exact half step.
func QSoftmax(p qmath.SoftmaxParams, depth int, in, out []uint8) {
	if depth < 1 || len(in)%depth != 0 || len(out) < len(in) {
		panic(fmt.Sprintf("kernels.QSoftmax: %d values in rows of %d into %d", len(in), depth, len(out)))
	}
	const bits = qmath.SoftmaxScaledDiffIntegerBits
	const accBits = 12 // the sum of exponentials in Q12.19
	for r := 0; r < len(in); r += depth {
		row, orow := in[r:r+depth], out[r:r+depth]
		var m uint8
		for _, x := range row {
			m = max(m, x)
		}
		var sum int32
		for _, x := range row {
			d := int32(x) - int32(m)
			if d >= p.DiffMin {
				e := qmath.ExpOnNegativeValues(qmath.MultiplyByQuantizedMultiplierGreaterThanOne(d, p.InputMultiplier, p.InputLeftShift), bits)
				sum += qmath.Rescale(e, 0, accBits)
			}
		}
		scale, over := qmath.GetReciprocal(sum, accBits)
		shift := over + 31 - 8
		for i, x := range row {
			d := int32(x) - int32(m)
			if d < p.DiffMin {
				orow[i] = 0
				continue
			}
			e := qmath.ExpOnNegativeValues(qmath.MultiplyByQuantizedMultiplierGreaterThanOne(d, p.InputMultiplier, p.InputLeftShift), bits)
			v := roundShift64(int64(qmath.SaturatingRoundingDoublingHighMul(scale, e)), shift)
			orow[i] = uint8(min(max(v, 0), 255))
		}
	}
}

// roundShift64 is RoundingDivideByPOT (round half away from zero) for
// any shift in [0, 63].
func roundShift64(x int64, shift int) int64 {
	if shift <= 0 {
		return x
	}
	mask := int64(1)<<shift - 1
	rem, thr := x&mask, mask>>1
	if x < 0 {
		thr++
	}
	x >>= shift
	if rem > thr {
		x++
	}
	return x
}

// QAdd computes TFLite's 8-bit element-wise addition (reference/add.h
// AddElementwise, the same for int8 in integer_ops/add.h) of a and b into
// out. p is TFLite's (qmath.PrepareAdd) with the offsets and the clamp in
// the u8 domain (moved by 128 for int8 tensors).
func QAdd(p *qmath.AddParams, a, b, out []uint8) {
	if len(a) != len(b) || len(out) < len(a) {
		panic(fmt.Sprintf("kernels.QAdd: %d and %d values into %d", len(a), len(b), len(out)))
	}
	m1, m2, mo := p.Input1Multiplier, p.Input2Multiplier, p.OutputMultiplier
	for i := range a {
		x := qmath.MultiplyByQuantizedMultiplierSmallerThanOneExp((int32(a[i])+p.Input1Offset)<<p.LeftShift, m1.M, m1.Shift)
		y := qmath.MultiplyByQuantizedMultiplierSmallerThanOneExp((int32(b[i])+p.Input2Offset)<<p.LeftShift, m2.M, m2.Shift)
		v := qmath.MultiplyByQuantizedMultiplierSmallerThanOneExp(x+y, mo.M, mo.Shift) + p.OutputOffset
		out[i] = uint8(min(max(v, p.ActMin), p.ActMax))
	}
}

// QLookup maps every byte of in through a 256-entry table into out: the
// form of any 8-bit element-wise function (a requantizing copy, an
// activation), computed once per value by whoever builds the table.
func QLookup(t *[256]uint8, in, out []uint8) {
	out = out[:len(in)]
	for i, v := range in {
		out[i] = t[v]
	}
}
