package qref

import "fmt"

// PoolParams are a pool's window, strides, padding and clamp (TFLite's
// tflite::PoolParams). Quantized pooling keeps the input's quantization, so
// there is no requantization.
type PoolParams struct {
	StrideW, StrideH int // >= 1
	FilterW, FilterH int // >= 1
	PadW, PadH       int // padding before the first column and row
	ActMin, ActMax   int32
}

// AveragePool is TFLite's uint8 average pool (reference_ops::AveragePool in
// reference/pooling.h): the window is clipped to the input (padding is not
// counted), its n values summed in int32 and divided rounding half up,
// (sum + n/2) / n, then clamped. A window entirely outside the input is an
// error (TFLite returns false).
func AveragePool(p PoolParams, inShape Shape, in []uint8, outShape Shape, out []uint8) error {
	return averagePool(p, inShape, in, outShape, out, func(sum, n int32) int32 { return (sum + n/2) / n })
}

// AveragePoolInt8 is TFLite's int8 average pool
// (reference_integer_ops::AveragePool in reference/integer_ops/pooling.h):
// as AveragePool, but the division rounds halves away from zero,
// (sum ± n/2) / n by the sign of the sum.
func AveragePoolInt8(p PoolParams, inShape Shape, in []int8, outShape Shape, out []int8) error {
	return averagePool(p, inShape, in, outShape, out, func(sum, n int32) int32 {
		if sum > 0 {
			return (sum + n/2) / n
		}
		return (sum - n/2) / n
	})
}

func averagePool[T element](p PoolParams, inShape Shape, in []T, outShape Shape, out []T, average func(sum, n int32) int32) error {
	if err := checkLen("input", len(in), inShape); err != nil {
		return err
	}
	if err := checkLen("output", len(out), outShape); err != nil {
		return err
	}
	if p.StrideW < 1 || p.StrideH < 1 || p.FilterW < 1 || p.FilterH < 1 {
		return fmt.Errorf("qref: pool strides %dx%d and window %dx%d must be >= 1", p.StrideW, p.StrideH, p.FilterW, p.FilterH)
	}
	if inShape[0] != outShape[0] || inShape[3] != outShape[3] {
		return fmt.Errorf("qref: pool input %v and output %v differ in batch or channels", inShape, outShape)
	}
	if err := checkClamp[T](p.ActMin, p.ActMax); err != nil {
		return err
	}
	inH, inW, depth := inShape[1], inShape[2], inShape[3]
	for b := range outShape[0] {
		for oy := range outShape[1] {
			y0 := oy*p.StrideH - p.PadH
			fy0, fy1 := max(0, -y0), min(p.FilterH, inH-y0)
			for ox := range outShape[2] {
				x0 := ox*p.StrideW - p.PadW
				fx0, fx1 := max(0, -x0), min(p.FilterW, inW-x0)
				n := int32(max(fy1-fy0, 0) * max(fx1-fx0, 0))
				if n == 0 {
					return fmt.Errorf("qref: pool window at output (%d, %d) lies outside the %dx%d input", oy, ox, inH, inW)
				}
				for c := range depth {
					var sum int32
					for fy := fy0; fy < fy1; fy++ {
						for fx := fx0; fx < fx1; fx++ {
							sum += int32(in[inShape.Offset(b, y0+fy, x0+fx, c)])
						}
					}
					out[outShape.Offset(b, oy, ox, c)] = T(min(max(average(sum, n), p.ActMin), p.ActMax))
				}
			}
		}
	}
	return nil
}
