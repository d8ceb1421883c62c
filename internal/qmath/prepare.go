package qmath

import "fmt"

// The Prepare functions check an operator's tensors and derive what its
// quantized kernel needs, as the Prepare step of TFLite's kernels does. Their
// errors are *Error values naming the tensor and field at fault (or, for an
// operator-level mismatch such as two types that cannot go together, the
// tensor whose field is inconsistent with the others).

// ConvQuant is what TFLite's Prepare derives for a quantized CONV_2D,
// DEPTHWISE_CONV_2D or FULLY_CONNECTED
// (PopulateConvolutionQuantizationParams and GetQuantizedConvolutionMultipler
// in kernel_util.cc).
type ConvQuant struct {
	// Type is the activations' type: Uint8 (asymmetric, per-tensor uint8
	// weights) or Int8 (symmetric int8 weights, per channel or per tensor).
	Type Type
	// InputOffset is minus the input zero point, WeightsOffset minus the
	// weights zero point (always 0 for int8), OutputOffset the output zero
	// point (TFLite's input_offset, weights_offset, output_offset).
	InputOffset, WeightsOffset, OutputOffset int32
	// Multiplier is the per-tensor requantization multiplier of the uint8
	// kernels (PerTensorConvMultiplier).
	Multiplier Multiplier
	// PerChannel are the int8 kernels' multipliers, one per output channel
	// (PerChannelConvMultiplier); nil for uint8.
	PerChannel []Multiplier
	// ActMin and ActMax are the fused activation's clamp.
	ActMin, ActMax int32
}

// Split returns PerChannel as the two arrays TFLite's per-channel kernels
// take (output_multiplier, output_shift).
func (c *ConvQuant) Split() (mult []int32, shift []int) {
	mult, shift = make([]int32, len(c.PerChannel)), make([]int, len(c.PerChannel))
	for i, m := range c.PerChannel {
		mult[i], shift[i] = m.M, m.Shift
	}
	return mult, shift
}

// PrepareConv checks and derives the quantization of a convolution-like
// layer: CONV_2D and FULLY_CONNECTED (weights' output-channel axis 0) and
// DEPTHWISE_CONV_2D (axis 3). channels is the number of output channels;
// bias may be nil. It refuses what TFLite refuses (per-channel weights with
// uint8 activations, a bias scale beyond tolerance, mismatched types) and
// what the integer kernels cannot compute: int8 weights with a zero point
// other than 0 (the int8 kernels have no weights offset), per-channel
// parameters along another axis or of another count.
func PrepareConv(input, weights Tensor, bias *Tensor, output Tensor, act Activation, channels, channelAxis int) (ConvQuant, error) {
	if err := checkPerTensor(&input, "activation"); err != nil {
		return ConvQuant{}, err
	}
	if err := checkPerTensor(&output, "activation"); err != nil {
		return ConvQuant{}, err
	}
	if err := CheckTensor(weights); err != nil {
		return ConvQuant{}, err
	}
	if input.Type != Uint8 && input.Type != Int8 {
		return ConvQuant{}, errorf(&input, "type", "is %v; quantized kernels take UINT8 or INT8 activations", input.Type)
	}
	if output.Type != input.Type {
		return ConvQuant{}, errorf(&output, "type", "is %v, want %v like the input %s", output.Type, input.Type, input.Name)
	}
	if weights.Type != input.Type {
		return ConvQuant{}, errorf(&weights, "type", "is %v, want %v for %v activations", weights.Type, input.Type, input.Type)
	}
	q := ConvQuant{Type: input.Type, InputOffset: -int32(input.ZeroPoint[0]), OutputOffset: int32(output.ZeroPoint[0])}
	if bias != nil {
		if err := CheckTensor(*bias); err != nil {
			return ConvQuant{}, err
		}
		if bias.Type != Int32 {
			return ConvQuant{}, errorf(bias, "type", "is %v, want INT32", bias.Type)
		}
		if err := CheckBiasScale(input, weights, *bias, output); err != nil {
			return ConvQuant{}, err
		}
	}
	sIn, sOut := input.Scale[0], output.Scale[0]
	var err error
	switch input.Type {
	case Uint8:
		if weights.PerChannel() {
			return ConvQuant{}, errorf(&weights, "scale", "has %d scales: per-channel weights need INT8 activations (TFLite refuses them with UINT8)", len(weights.Scale))
		}
		q.WeightsOffset = -int32(weights.ZeroPoint[0])
		if q.Multiplier, err = PerTensorConvMultiplier(sIn, weights.Scale[0], sOut); err != nil {
			return ConvQuant{}, errorf(&weights, "scale", "%v", err)
		}
	case Int8:
		if weights.PerChannel() {
			if len(weights.Scale) != channels {
				return ConvQuant{}, errorf(&weights, "scale", "has %d scales for %d output channels", len(weights.Scale), channels)
			}
			if weights.Dimension != channelAxis {
				return ConvQuant{}, errorf(&weights, "quantized_dimension", "is %d, want %d (the output channels)", weights.Dimension, channelAxis)
			}
		}
		for i, z := range weights.ZeroPoint {
			if z != 0 {
				return ConvQuant{}, errorf(&weights, fmt.Sprintf("zero_point[%d]", i), "is %d: INT8 weights must be symmetric (zero point 0)", z)
			}
		}
		q.PerChannel = make([]Multiplier, channels)
		for c := range q.PerChannel {
			sw := weights.Scale[0]
			if weights.PerChannel() {
				sw = weights.Scale[c]
			}
			if q.PerChannel[c], err = PerChannelConvMultiplier(sIn, sw, sOut); err != nil {
				return ConvQuant{}, errorf(&weights, fmt.Sprintf("scale[%d]", c), "%v", err)
			}
		}
	}
	if q.ActMin, q.ActMax, err = ActivationRange(act, sOut, int32(output.ZeroPoint[0]), output.Type); err != nil {
		return ConvQuant{}, errorf(&output, "scale", "%v", err)
	}
	return q, nil
}

// PreparePool checks an AVERAGE_POOL_2D's tensors (same quantization in and
// out) and returns its clamp.
func PreparePool(input, output Tensor, act Activation) (actMin, actMax int32, err error) {
	if err := CheckSameQuantization(input, output); err != nil {
		return 0, 0, err
	}
	if input.Type != Uint8 && input.Type != Int8 {
		return 0, 0, errorf(&input, "type", "is %v; quantized pooling takes UINT8 or INT8", input.Type)
	}
	if actMin, actMax, err = ActivationRange(act, output.Scale[0], int32(output.ZeroPoint[0]), output.Type); err != nil {
		return 0, 0, errorf(&output, "scale", "%v", err)
	}
	return actMin, actMax, nil
}

// SoftmaxOutputScale is the output scale TFLite's quantized softmax requires
// (1/256, zero point 0 for uint8 and -128 for int8).
const SoftmaxOutputScale = 1.0 / 256

// PrepareSoftmax checks a SOFTMAX's tensors and derives its parameters
// (SoftmaxScaling). The output must have scale exactly 1/256 and zero point
// 0 (uint8) or -128 (int8): the kernel's output is in those units whatever
// the file declares, and TFLite refuses other values.
func PrepareSoftmax(input, output Tensor, beta float32) (SoftmaxParams, error) {
	if err := checkPerTensor(&input, "activation"); err != nil {
		return SoftmaxParams{}, err
	}
	if err := checkPerTensor(&output, "activation"); err != nil {
		return SoftmaxParams{}, err
	}
	if input.Type != Uint8 && input.Type != Int8 {
		return SoftmaxParams{}, errorf(&input, "type", "is %v; quantized softmax takes UINT8 or INT8", input.Type)
	}
	if output.Type != input.Type {
		return SoftmaxParams{}, errorf(&output, "type", "is %v, want %v like the input %s", output.Type, input.Type, input.Name)
	}
	if float64(output.Scale[0]) != SoftmaxOutputScale {
		return SoftmaxParams{}, errorf(&output, "scale[0]", "is %g, want 1/256 for a softmax output", output.Scale[0])
	}
	wantZP := int64(0)
	if output.Type == Int8 {
		wantZP = -128
	}
	if output.ZeroPoint[0] != wantZP {
		return SoftmaxParams{}, errorf(&output, "zero_point[0]", "is %d, want %d for a %v softmax output", output.ZeroPoint[0], wantZP, output.Type)
	}
	p, err := SoftmaxScaling(beta, input.Scale[0])
	if err != nil {
		return SoftmaxParams{}, errorf(&input, "scale[0]", "%v", err)
	}
	return p, nil
}

// PrepareAdd checks an ADD's tensors (all of one type, per tensor) and
// derives its parameters (AddScaling).
func PrepareAdd(input1, input2, output Tensor, act Activation) (AddParams, error) {
	for _, t := range []*Tensor{&input1, &input2, &output} {
		if err := checkPerTensor(t, "activation"); err != nil {
			return AddParams{}, err
		}
	}
	if input1.Type != Uint8 && input1.Type != Int8 {
		return AddParams{}, errorf(&input1, "type", "is %v; quantized ADD takes UINT8 or INT8", input1.Type)
	}
	for _, t := range []*Tensor{&input2, &output} {
		if t.Type != input1.Type {
			return AddParams{}, errorf(t, "type", "is %v, want %v like %s", t.Type, input1.Type, input1.Name)
		}
	}
	p, err := AddScaling(input1.Scale[0], int32(input1.ZeroPoint[0]), input2.Scale[0], int32(input2.ZeroPoint[0]),
		output.Scale[0], int32(output.ZeroPoint[0]), act, output.Type)
	if err != nil {
		return AddParams{}, errorf(&output, "scale[0]", "%v", err)
	}
	return p, nil
}
