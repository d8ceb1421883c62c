package qmath

import (
	"fmt"
	"math"
)

// Type is the element type of a quantized tensor.
type Type uint8

// Quantized element types.
const (
	Uint8 Type = iota + 1
	Int8
	Int16
	Int32
)

func (t Type) String() string {
	switch t {
	case Uint8:
		return "UINT8"
	case Int8:
		return "INT8"
	case Int16:
		return "INT16"
	case Int32:
		return "INT32"
	}
	return fmt.Sprintf("Type(%d)", uint8(t))
}

// Range returns the type's smallest and largest values.
func (t Type) Range() (lo, hi int64, ok bool) {
	switch t {
	case Uint8:
		return 0, math.MaxUint8, true
	case Int8:
		return math.MinInt8, math.MaxInt8, true
	case Int16:
		return math.MinInt16, math.MaxInt16, true
	case Int32:
		return math.MinInt32, math.MaxInt32, true
	}
	return 0, 0, false
}

// Activation is a fused activation function; the values are the TFLite
// schema's ActivationFunctionType.
type Activation uint8

// Fused activations.
const (
	ActNone      Activation = 0
	ActRelu      Activation = 1
	ActReluN1To1 Activation = 2
	ActRelu6     Activation = 3
	ActTanh      Activation = 4
	ActSignBit   Activation = 5
)

func (a Activation) String() string {
	switch a {
	case ActNone:
		return "NONE"
	case ActRelu:
		return "RELU"
	case ActReluN1To1:
		return "RELU_N1_TO_1"
	case ActRelu6:
		return "RELU6"
	case ActTanh:
		return "TANH"
	case ActSignBit:
		return "SIGN_BIT"
	}
	return fmt.Sprintf("Activation(%d)", uint8(a))
}

// ActivationRange returns the clamp [lo, hi] a quantized kernel applies for
// a fused activation, as TFLite's CalculateActivationRangeQuantized
// (tensorflow/lite/kernels/kernel_util.cc) computes it: the type's range,
// narrowed for RELU to q(0), for RELU6 to [q(0), q(6)] and for RELU_N1_TO_1 to
// [q(-1), q(1)], where q(f) = zeroPoint + round(f / scale) with the division
// and the rounding (halves away from zero) in float32. A q(f) outside int32
// is an error, as in TFLite. TANH and SIGN_BIT, which TFLite's quantized
// kernels silently treat as no activation, are refused.
func ActivationRange(act Activation, scale float32, zeroPoint int32, t Type) (lo, hi int32, err error) {
	tlo, thi, ok := t.Range()
	if !ok {
		return 0, 0, fmt.Errorf("qmath: activation range of %v", t)
	}
	q := func(f float32) (int64, error) {
		tmp := float32(math.Round(float64(f / scale)))
		if !(tmp >= math.MinInt32 && tmp < math.MaxInt32) { // NaN fails too
			return 0, fmt.Errorf("qmath: %s: %g / scale %g = %g overflows int32", act, f, scale, tmp)
		}
		return int64(zeroPoint) + int64(tmp), nil
	}
	l, h := tlo, thi
	switch act {
	case ActNone:
	case ActRelu, ActRelu6, ActReluN1To1:
		fmin, fmax := float32(0), float32(6)
		if act == ActReluN1To1 {
			fmin, fmax = -1, 1
		}
		v, err := q(fmin)
		if err != nil {
			return 0, 0, err
		}
		l = max(l, v)
		if act != ActRelu {
			if v, err = q(fmax); err != nil {
				return 0, 0, err
			}
			h = min(h, v)
		}
	default:
		return 0, 0, fmt.Errorf("qmath: fused activation %s is not supported by quantized kernels (NONE, RELU, RELU_N1_TO_1, RELU6 are)", act)
	}
	// TFLite computes zeroPoint + q in int32; here it is int64, so the clamp
	// below only differs where TFLite's sum would overflow.
	l, h = min(max(l, tlo), thi), min(max(h, tlo), thi)
	return int32(l), int32(h), nil
}

// PerTensorConvMultiplier returns the requantization multiplier of a uint8
// convolution, depthwise convolution or fully connected layer with per-tensor
// weights: inputScale * weightsScale / outputScale, where, as in TFLite's
// GetQuantizedConvolutionMultipler (kernel_util.cc, the overload without the
// bias), the product of the two float32 scales is taken in float32 and only
// then widened to double. This float32 rounding shows in the 31-bit
// multiplier; TFLite's uint8 kernels use this value.
func PerTensorConvMultiplier(inputScale, weightsScale, outputScale float32) (Multiplier, error) {
	product := float64(inputScale * weightsScale) // float32 product, as in C++
	if !(product >= 0) {
		return Multiplier{}, fmt.Errorf("qmath: input scale %g x weights scale %g is not >= 0", inputScale, weightsScale)
	}
	return QuantizeMultiplier(product / float64(outputScale))
}

// PerChannelConvMultiplier returns the requantization multiplier of one
// output channel of an int8 convolution, depthwise convolution or fully
// connected layer: inputScale * weightsScale / outputScale computed in
// double from the float32 scales, as TFLite's
// PopulateConvolutionQuantizationParams (kernel_util.cc) does for the
// per-channel arrays its int8 kernels use (also when the weights have a single
// scale, which it broadcasts).
func PerChannelConvMultiplier(inputScale, weightsScale, outputScale float32) (Multiplier, error) {
	return QuantizeMultiplier(float64(inputScale) * float64(weightsScale) / float64(outputScale))
}

// BiasScaleTolerance is TFLite's bound on the mismatch between a bias's scale
// and inputScale * weightsScale, relative to the output scale
// (GetQuantizedConvolutionMultipler in kernel_util.cc: "scale_diff /
// output_scale <= 0.02").
const BiasScaleTolerance = 0.02

// BiasScaleMismatch returns |inputScale*weightsScale - biasScale| /
// outputScale, computed in double as TFLite does; it must not exceed
// BiasScaleTolerance.
func BiasScaleMismatch(inputScale, weightsScale, biasScale, outputScale float32) float64 {
	product := float64(inputScale) * float64(weightsScale)
	return math.Abs(product-float64(biasScale)) / float64(outputScale)
}

// SoftmaxScaledDiffIntegerBits is the number of integer bits of the scaled
// input differences fed to exp in TFLite's quantized softmax
// (kScaledDiffIntegerBits, Q5.26).
const SoftmaxScaledDiffIntegerBits = 5

// SoftmaxParams are what TFLite's quantized softmax needs besides its input
// (tflite::SoftmaxParams: input_multiplier, input_left_shift, diff_min).
type SoftmaxParams struct {
	InputMultiplier int32
	InputLeftShift  int
	// DiffMin is the smallest input difference (input - row maximum) whose
	// exponential is computed; smaller ones contribute 0.
	DiffMin int32
}

// SoftmaxScaling computes the softmax parameters from beta and the input
// scale as TFLite does for uint8 and int8 inputs (PreprocessSoftmaxScaling
// and CalculateInputRadius in quantization_util.cc, called from the softmax
// Prepare with kScaledDiffIntegerBits = 5): the multiplier is
// min(beta * inputScale * 2^26, 2^31 - 1) in double, quantized as a
// multiplier greater than one; DiffMin = -floor((2^5 - 1) * 2^26 / 2^leftShift).
// A product beta * inputScale * 2^26 <= 1 (an input scale below about 1.5e-8
// for beta 1) is an error, as TFLite aborts on it.
func SoftmaxScaling(beta, inputScale float32) (SoftmaxParams, error) {
	const bits = SoftmaxScaledDiffIntegerBits
	real := min(float64(beta)*float64(inputScale)*float64(int64(1)<<(31-bits)), float64(int64(1)<<31-1))
	m, err := QuantizeMultiplierGreaterThanOne(real)
	if err != nil {
		return SoftmaxParams{}, fmt.Errorf("qmath: softmax beta %g x input scale %g: %w", beta, inputScale, err)
	}
	return SoftmaxParams{InputMultiplier: m.M, InputLeftShift: m.Shift, DiffMin: -CalculateInputRadius(bits, m.Shift, 31)}, nil
}

// CalculateInputRadius returns floor((2^inputIntegerBits - 1) *
// 2^(totalSignedBits - inputIntegerBits) / 2^inputLeftShift), the largest
// input difference whose rescaled value stays representable
// (quantization_util.cc, computed in double there and here).
func CalculateInputRadius(inputIntegerBits, inputLeftShift, totalSignedBits int) int32 {
	v := float64(int64(1)<<inputIntegerBits-1) * float64(int64(1)<<(totalSignedBits-inputIntegerBits)) / float64(int64(1)<<inputLeftShift)
	return int32(math.Floor(v))
}

// AddLeftShift is the left shift TFLite's 8-bit ADD applies to both inputs
// before rescaling them (add.cc: 20 for uint8 and int8; 15 for int16).
const AddLeftShift = 20

// AddParams are the offsets and multipliers of TFLite's quantized ADD
// (tflite::ArithmeticParams for the 8-bit path).
type AddParams struct {
	Input1Offset, Input2Offset int32 // minus the zero points
	OutputOffset               int32 // the output zero point
	LeftShift                  int
	Input1Multiplier           Multiplier
	Input2Multiplier           Multiplier
	OutputMultiplier           Multiplier
	ActMin, ActMax             int32
}

// AddScaling computes ADD's parameters as TFLite's add.cc Prepare does for
// uint8 and int8 (the general-rescaling path): with twiceMax = 2 *
// max(scale1, scale2) (in float32, then double), input multipliers scale_i /
// twiceMax and output multiplier twiceMax / (2^20 * outputScale), each
// quantized as a multiplier smaller than one; the clamp comes from the fused
// activation.
func AddScaling(scale1 float32, zp1 int32, scale2 float32, zp2 int32, outScale float32, outZP int32, act Activation, t Type) (AddParams, error) {
	twiceMax := float64(2 * max(scale1, scale2))
	p := AddParams{Input1Offset: -zp1, Input2Offset: -zp2, OutputOffset: outZP, LeftShift: AddLeftShift}
	var err error
	if p.Input1Multiplier, err = QuantizeMultiplierSmallerThanOneExp(float64(scale1) / twiceMax); err != nil {
		return AddParams{}, fmt.Errorf("qmath: add input 1: %w", err)
	}
	if p.Input2Multiplier, err = QuantizeMultiplierSmallerThanOneExp(float64(scale2) / twiceMax); err != nil {
		return AddParams{}, fmt.Errorf("qmath: add input 2: %w", err)
	}
	if p.OutputMultiplier, err = QuantizeMultiplierSmallerThanOneExp(twiceMax / (float64(int64(1)<<AddLeftShift) * float64(outScale))); err != nil {
		return AddParams{}, fmt.Errorf("qmath: add output: %w", err)
	}
	if p.ActMin, p.ActMax, err = ActivationRange(act, outScale, outZP, t); err != nil {
		return AddParams{}, err
	}
	return p, nil
}
