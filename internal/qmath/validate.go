package qmath

import (
	"fmt"
	"math"
)

// Tensor is one tensor's quantization parameters as a model file gives them,
// in plain values, for the checks and the Prepare functions.
type Tensor struct {
	// Name is how errors name the tensor, e.g. `tensor 12 "conv1/weights"`.
	Name      string
	Type      Type
	Scale     []float32
	ZeroPoint []int64
	// Dimension is the quantized_dimension: the axis per-channel parameters
	// run along (meaningful when len(Scale) > 1).
	Dimension int
}

// PerChannel reports whether the tensor has more than one scale.
func (t *Tensor) PerChannel() bool { return len(t.Scale) > 1 }

// Error is a refused quantization parameter: it names the tensor and the
// field (schema names: "scale[3]", "zero_point[0]", "quantized_dimension").
type Error struct {
	Tensor string
	Field  string
	Msg    string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s: quantization %s: %s", e.Tensor, e.Field, e.Msg)
}

func errorf(t *Tensor, field, format string, args ...any) *Error {
	return &Error{Tensor: t.Name, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// CheckTensor checks one tensor's parameters on their own:
//   - at least one scale, and as many zero points as scales (TFLite's
//     InterpreterBuilder::ParseQuantization);
//   - every scale finite and > 0: a zero, negative, NaN or infinite scale
//     makes every multiplier derived from it meaningless (QuantizeMultiplier
//     would flush it to zero or have no defined result);
//   - every zero point in the range of the element type (uint8 0..255, int8
//     -128..127, int16 -32768..32767); an INT32 tensor (a bias) must have zero
//     point 0, since the kernels add the raw bias to the accumulator (TFLite's
//     quantization specification).
func CheckTensor(t Tensor) error {
	if len(t.Scale) == 0 {
		return errorf(&t, "scale", "has no scale (the tensor is not quantized)")
	}
	if len(t.ZeroPoint) != len(t.Scale) {
		return errorf(&t, "zero_point", "has %d zero points for %d scales", len(t.ZeroPoint), len(t.Scale))
	}
	lo, hi, ok := t.Type.Range()
	if !ok {
		return errorf(&t, "type", "%v is not a quantized integer type", t.Type)
	}
	for i, s := range t.Scale {
		if math.IsNaN(float64(s)) || math.IsInf(float64(s), 0) || s <= 0 {
			return errorf(&t, fmt.Sprintf("scale[%d]", i), "is %g, want a finite number > 0", s)
		}
	}
	for i, z := range t.ZeroPoint {
		field := fmt.Sprintf("zero_point[%d]", i)
		if t.Type == Int32 {
			if z != 0 {
				return errorf(&t, field, "is %d, want 0 for an INT32 (bias) tensor", z)
			}
			continue
		}
		if z < lo || z > hi {
			return errorf(&t, field, "is %d, out of range for %v [%d, %d]", z, t.Type, lo, hi)
		}
	}
	if len(t.Scale) > 1 && t.Dimension < 0 {
		return errorf(&t, "quantized_dimension", "is %d, want >= 0", t.Dimension)
	}
	return nil
}

// checkPerTensor checks a tensor that must have a single scale (activations,
// uint8 weights).
func checkPerTensor(t *Tensor, role string) error {
	if err := CheckTensor(*t); err != nil {
		return err
	}
	if len(t.Scale) != 1 {
		return errorf(t, "scale", "has %d scales; a %s must be quantized per tensor", len(t.Scale), role)
	}
	return nil
}

// CheckBiasScale checks that each bias scale matches input scale x weights
// scale within TFLite's tolerance: |s_in * s_w - s_b| / s_out <=
// BiasScaleTolerance (kernel_util.cc, GetQuantizedConvolutionMultipler), per
// output channel when the weights or the bias are per channel. TFLite checks
// this for uint8 convolutions and all fully connected layers; mnet checks it
// for every quantized convolution, depthwise and fully connected layer, since
// the kernels add the bias as if it had exactly that scale.
func CheckBiasScale(input, weights, bias, output Tensor) error {
	n := max(len(weights.Scale), len(bias.Scale))
	if len(bias.Scale) != 1 && len(bias.Scale) != n {
		return errorf(&bias, "scale", "has %d scales for weights with %d", len(bias.Scale), len(weights.Scale))
	}
	if len(weights.Scale) != 1 && len(weights.Scale) != n {
		return errorf(&weights, "scale", "has %d scales for a bias with %d", len(weights.Scale), len(bias.Scale))
	}
	at := func(s []float32, i int) float32 {
		if len(s) == 1 {
			return s[0]
		}
		return s[i]
	}
	for i := range n {
		sw, sb := at(weights.Scale, i), at(bias.Scale, i)
		if d := BiasScaleMismatch(input.Scale[0], sw, sb, output.Scale[0]); !(d <= BiasScaleTolerance) {
			field := "scale"
			if len(bias.Scale) > 1 {
				field = fmt.Sprintf("scale[%d]", i)
			}
			return errorf(&bias, field, "is %g, but input scale %g x weights scale %g = %g (%s, %s): the difference is %.3g output steps (%s scale %g) per unit of bias, over TFLite's tolerance %g",
				sb, input.Scale[0], sw, float64(input.Scale[0])*float64(sw), input.Name, weights.Name, d, output.Name, output.Scale[0], BiasScaleTolerance)
		}
	}
	return nil
}

// PoolScaleTolerance is the largest difference between a pool's input and
// output scales TFLite accepts (pooling Prepare: "scale_diff <= 1.0e-6").
const PoolScaleTolerance = 1e-6

// CheckSameQuantization checks that out has in's quantization, as quantized
// average pooling requires (TFLite's pooling Prepare: scales within
// PoolScaleTolerance, equal zero points), and as mnet requires of RESHAPE
// and SQUEEZE, which copy bytes (TFLite copies them without checking).
func CheckSameQuantization(in, out Tensor) error {
	if err := checkPerTensor(&in, "activation"); err != nil {
		return err
	}
	if err := checkPerTensor(&out, "activation"); err != nil {
		return err
	}
	if in.Type != out.Type {
		return errorf(&out, "type", "is %v, want %v like %s", out.Type, in.Type, in.Name)
	}
	if d := math.Abs(float64(in.Scale[0] - out.Scale[0])); !(d <= PoolScaleTolerance) {
		return errorf(&out, "scale", "is %g, want %s's %g (within %g)", out.Scale[0], in.Name, in.Scale[0], PoolScaleTolerance)
	}
	if in.ZeroPoint[0] != out.ZeroPoint[0] {
		return errorf(&out, "zero_point", "is %d, want %s's %d", out.ZeroPoint[0], in.Name, in.ZeroPoint[0])
	}
	return nil
}
