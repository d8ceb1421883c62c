package tflite

import (
	"fmt"
	"strconv"
)

// Padding is the padding scheme of convolutions and pools (schema enum
// Padding).
type Padding uint8

// Padding values.
const (
	// PaddingSame is TF "SAME": output = ceil(in/stride), with the odd pixel of
	// total padding on the bottom/right.
	PaddingSame Padding = 0
	// PaddingValid is TF "VALID": no padding.
	PaddingValid Padding = 1
)

func (p Padding) String() string {
	switch p {
	case PaddingSame:
		return "SAME"
	case PaddingValid:
		return "VALID"
	}
	return "Padding(" + strconv.Itoa(int(p)) + ")"
}

// Activation is a fused activation function (schema enum
// ActivationFunctionType).
type Activation uint8

// Activation values.
const (
	ActNone      Activation = 0
	ActRelu      Activation = 1
	ActReluN1To1 Activation = 2 // clamp to [-1, 1]
	ActRelu6     Activation = 3
	ActTanh      Activation = 4
	ActSignBit   Activation = 5
)

var activationNames = [...]string{"NONE", "RELU", "RELU_N1_TO_1", "RELU6", "TANH", "SIGN_BIT"}

func (a Activation) String() string {
	if int(a) < len(activationNames) {
		return activationNames[a]
	}
	return "Activation(" + strconv.Itoa(int(a)) + ")"
}

// WeightsFormat is the FULLY_CONNECTED weights layout (schema enum
// FullyConnectedOptionsWeightsFormat).
type WeightsFormat uint8

// WeightsFormat values.
const (
	WeightsDefault          WeightsFormat = 0
	WeightsShuffled4x16Int8 WeightsFormat = 1
)

func (w WeightsFormat) String() string {
	switch w {
	case WeightsDefault:
		return "DEFAULT"
	case WeightsShuffled4x16Int8:
		return "SHUFFLED4x16INT8"
	}
	return "WeightsFormat(" + strconv.Itoa(int(w)) + ")"
}

// Options are the decoded builtin options of an operator: one of
// *Conv2DOptions, *DepthwiseConv2DOptions, *Pool2DOptions,
// *FullyConnectedOptions, *AddOptions, *ConcatenationOptions,
// *ReshapeOptions, *SqueezeOptions, *SoftmaxOptions.
type Options interface {
	isOptions()
}

// Conv2DOptions are the options of CONV_2D. Strides and dilations are >= 1.
type Conv2DOptions struct {
	Padding              Padding
	StrideW, StrideH     int
	Activation           Activation
	DilationW, DilationH int
}

// DepthwiseConv2DOptions are the options of DEPTHWISE_CONV_2D. Strides and
// dilations are >= 1; DepthMultiplier (>= 0) is redundant with the shapes
// (schema: "ignored in versions above" TF 2.0).
type DepthwiseConv2DOptions struct {
	Padding              Padding
	StrideW, StrideH     int
	DepthMultiplier      int
	Activation           Activation
	DilationW, DilationH int
}

// Pool2DOptions are the options of AVERAGE_POOL_2D and MAX_POOL_2D. Strides
// and filter sizes are >= 1.
type Pool2DOptions struct {
	Padding                   Padding
	StrideW, StrideH          int
	FilterWidth, FilterHeight int
	Activation                Activation
}

// FullyConnectedOptions are the options of FULLY_CONNECTED.
type FullyConnectedOptions struct {
	Activation    Activation
	WeightsFormat WeightsFormat
	KeepNumDims   bool
}

// AddOptions are the options of ADD.
type AddOptions struct {
	Activation Activation
}

// ConcatenationOptions are the options of CONCATENATION. Axis may be negative
// (counted from the end), as in TFLite.
type ConcatenationOptions struct {
	Axis       int
	Activation Activation
}

// ReshapeOptions are the options of RESHAPE. NewShape may be nil: TFLite then
// takes the shape from the operator's second input, or from its output.
type ReshapeOptions struct {
	NewShape []int
}

// SqueezeOptions are the options of SQUEEZE; nil SqueezeDims means all
// dimensions of size 1.
type SqueezeOptions struct {
	SqueezeDims []int
}

// SoftmaxOptions are the options of SOFTMAX.
type SoftmaxOptions struct {
	Beta float32
}

func (*Conv2DOptions) isOptions()          {}
func (*DepthwiseConv2DOptions) isOptions() {}
func (*Pool2DOptions) isOptions()          {}
func (*FullyConnectedOptions) isOptions()  {}
func (*AddOptions) isOptions()             {}
func (*ConcatenationOptions) isOptions()   {}
func (*ReshapeOptions) isOptions()         {}
func (*SqueezeOptions) isOptions()         {}
func (*SoftmaxOptions) isOptions()         {}

// optionsFor maps the operators whose options this package decodes to the
// BuiltinOptions union member their options must be.
var optionsFor = map[BuiltinOperator]optionsType{
	OpConv2D:          optConv2D,
	OpDepthwiseConv2D: optDepthwiseConv2D,
	OpAveragePool2D:   optPool2D,
	OpMaxPool2D:       optPool2D,
	OpFullyConnected:  optFullyConnected,
	OpAdd:             optAdd,
	OpConcatenation:   optConcatenation,
	OpReshape:         optReshape,
	OpSqueeze:         optSqueeze,
	OpSoftmax:         optSoftmax,
}

// HasOptions reports whether this package decodes the builtin options of op
// into a typed Options value.
func HasOptions(op BuiltinOperator) bool {
	_, ok := optionsFor[op]
	return ok
}

// optReader reads the fields of one option table, keeping the first error so
// that decoders stay linear. An absent table reads as all defaults, as the
// schema defines for absent fields.
type optReader struct {
	r       *reader
	t       table
	present bool
	err     error
}

func (o *optReader) i32(f field, def int32) int {
	if o.err != nil || !o.present {
		return int(def)
	}
	v, err := o.r.int32Field(o.t, f, def)
	o.err = err
	return int(v)
}

func (o *optReader) u8(f field) uint8 {
	if o.err != nil || !o.present {
		return 0
	}
	v, err := o.r.uint8Field(o.t, f, 0)
	o.err = err
	return v
}

func (o *optReader) f32(f field) float32 {
	if o.err != nil || !o.present {
		return 0
	}
	v, err := o.r.float32Field(o.t, f, 0)
	o.err = err
	return v
}

func (o *optReader) ints(f field) []int {
	if o.err != nil || !o.present {
		return nil
	}
	v, err := o.r.int32sField(o.t, f, MaxRank)
	o.err = err
	return v
}

// check records a semantic error on field f unless ok.
func (o *optReader) check(ok bool, f field, format string, args ...any) {
	if o.err == nil && !ok {
		o.err = fieldErr(f, &FormatError{Offset: -1, Msg: fmt.Sprintf(format, args...)})
	}
}

func (o *optReader) padding(f field) Padding {
	p := Padding(o.u8(f))
	o.check(p <= PaddingValid, f, "unknown padding %d", p)
	return p
}

func (o *optReader) activation(f field) Activation {
	a := Activation(o.u8(f))
	o.check(int(a) < len(activationNames), f, "unknown activation function %d", a)
	return a
}

func (o *optReader) positive(f field, def int32) int {
	v := o.i32(f, def)
	o.check(v >= 1, f, "is %d, want >= 1", v)
	return v
}

// decodeOptions decodes the options table of an operator with code op, which
// must be in optionsFor.
func (r *reader) decodeOptions(op BuiltinOperator, t table, present bool) (Options, error) {
	if err := r.charge(costOptions, "builtin_options"); err != nil {
		return nil, err
	}
	o := &optReader{r: r, t: t, present: present}
	var opts Options
	switch op {
	case OpConv2D:
		opts = &Conv2DOptions{
			Padding:    o.padding(convPadding),
			StrideW:    o.positive(convStrideW, 0),
			StrideH:    o.positive(convStrideH, 0),
			Activation: o.activation(convActivation),
			DilationW:  o.positive(convDilationW, 1),
			DilationH:  o.positive(convDilationH, 1),
		}
	case OpDepthwiseConv2D:
		c := &DepthwiseConv2DOptions{
			Padding:         o.padding(dwPadding),
			StrideW:         o.positive(dwStrideW, 0),
			StrideH:         o.positive(dwStrideH, 0),
			DepthMultiplier: o.i32(dwDepthMultiplier, 0),
			Activation:      o.activation(dwActivation),
			DilationW:       o.positive(dwDilationW, 1),
			DilationH:       o.positive(dwDilationH, 1),
		}
		o.check(c.DepthMultiplier >= 0, dwDepthMultiplier, "is %d, want >= 0", c.DepthMultiplier)
		opts = c
	case OpAveragePool2D, OpMaxPool2D:
		opts = &Pool2DOptions{
			Padding:      o.padding(poolPadding),
			StrideW:      o.positive(poolStrideW, 0),
			StrideH:      o.positive(poolStrideH, 0),
			FilterWidth:  o.positive(poolFilterWidth, 0),
			FilterHeight: o.positive(poolFilterHeight, 0),
			Activation:   o.activation(poolActivation),
		}
	case OpFullyConnected:
		c := &FullyConnectedOptions{
			Activation:    o.activation(fcActivation),
			WeightsFormat: WeightsFormat(o.u8(fcWeightsFormat)),
			KeepNumDims:   o.u8(fcKeepNumDims) != 0,
		}
		o.check(c.WeightsFormat <= WeightsShuffled4x16Int8, fcWeightsFormat, "unknown weights format %d", c.WeightsFormat)
		opts = c
	case OpAdd:
		opts = &AddOptions{Activation: o.activation(addActivation)}
	case OpConcatenation:
		opts = &ConcatenationOptions{Axis: o.i32(concatAxis, 0), Activation: o.activation(concatActivation)}
	case OpReshape:
		opts = &ReshapeOptions{NewShape: o.ints(reshapeNewShape)}
	case OpSqueeze:
		opts = &SqueezeOptions{SqueezeDims: o.ints(squeezeDims)}
	case OpSoftmax:
		opts = &SoftmaxOptions{Beta: o.f32(softmaxBeta)}
	default:
		return nil, fmt.Errorf("internal error: no options decoder for %v", op)
	}
	if o.err != nil {
		return nil, o.err
	}
	return opts, nil
}
