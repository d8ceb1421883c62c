package qref

import (
	"fmt"

	"mnet.dev/mnet/internal/qmath"
)

// Add is TFLite's uint8 element-wise addition of two tensors of one shape
// (reference_ops::Add and AddElementwise in reference/add.h): each input,
// offset by minus its zero point, is shifted left by p.LeftShift (20) and
// scaled by its multiplier (MultiplyByQuantizedMultiplierSmallerThanOneExp);
// the sum is scaled by the output multiplier, offset and clamped:
//
//	out = clamp(MBQM<1(s1(in1 + off1) + s2(in2 + off2), out mult) + OutputOffset)
//
// p comes from qmath.PrepareAdd. Broadcasting is not supported (MobileNetV2's
// residual additions do not need it).
func Add(p qmath.AddParams, in1, in2, out []uint8) error { return add(p, in1, in2, out) }

// AddInt8 is the same addition for int8 tensors (reference_integer_ops::Add,
// AddElementwise in reference/integer_ops/add.h, the same arithmetic).
func AddInt8(p qmath.AddParams, in1, in2, out []int8) error { return add(p, in1, in2, out) }

func add[T element](p qmath.AddParams, in1, in2, out []T) error {
	if len(in1) != len(in2) || len(out) != len(in1) {
		return fmt.Errorf("qref: add of %d and %d values into %d", len(in1), len(in2), len(out))
	}
	if p.LeftShift < 0 || p.LeftShift > 30 {
		return fmt.Errorf("qref: add left shift %d out of [0, 30]", p.LeftShift)
	}
	if err := checkClamp[T](p.ActMin, p.ActMax); err != nil {
		return err
	}
	scale := func(x T, off int32, m qmath.Multiplier) int32 {
		v := (int32(x) + off) * (int32(1) << p.LeftShift)
		return qmath.MultiplyByQuantizedMultiplierSmallerThanOneExp(v, m.M, m.Shift)
	}
	for i := range out {
		sum := scale(in1[i], p.Input1Offset, p.Input1Multiplier) + scale(in2[i], p.Input2Offset, p.Input2Multiplier)
		v := qmath.MultiplyByQuantizedMultiplierSmallerThanOneExp(sum, p.OutputMultiplier.M, p.OutputMultiplier.Shift) + p.OutputOffset
		out[i] = T(min(max(v, p.ActMin), p.ActMax))
	}
	return nil
}
