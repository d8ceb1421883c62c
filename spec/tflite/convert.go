package tflite

import (
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"mnet.dev/mnet/model"
	"mnet.dev/mnet/spec"
	"mnet.dev/mnet/tensor"
)

// SupportedOps are the operators Convert understands.
func SupportedOps(op BuiltinOperator) bool {
	switch op {
	case OpConv2D, OpDepthwiseConv2D, OpAveragePool2D, OpMaxPool2D, OpFullyConnected, OpAdd,
		OpConcatenation, OpReshape, OpSqueeze, OpSoftmax:
		return true
	}
	return false
}

// Convert turns a parsed model into a model.Model: a spec network named
// after file (used in error messages too) whose weighted layers carry their
// parameters as the file stores them (float32, or quantized integers with
// their scales and zero points), reshaped to the layer's layout; the input
// tensor's type; the embedded labels; and notes.
//
// The operator graph becomes a layer list; where branches fork and join
// (ADD, CONCATENATION), the branches become an add or concat block. A 1x1
// convolution on a 1x1 input (TF-slim's logits layer) becomes a fully
// connected layer, the same arithmetic. In a quantized model whose
// convolutions carry no fused activation, the activation is read from the
// output's quantized range (a range [0, 6] is ReLU6, [0, x] ReLU), which is
// what clamping to that range does in TFLite's integer kernels.
func Convert(m *Model, file string) (*model.Model, error) {
	if u := m.Unsupported(SupportedOps); len(u) > 0 {
		return nil, fmt.Errorf("tflite: %s: unsupported operators: %s (supported: CONV_2D, DEPTHWISE_CONV_2D, AVERAGE_POOL_2D, MAX_POOL_2D, FULLY_CONNECTED, ADD, CONCATENATION, RESHAPE, SQUEEZE, SOFTMAX)",
			file, strings.Join(u, ", "))
	}
	if len(m.Inputs) != 1 || len(m.Outputs) != 1 {
		return nil, fmt.Errorf("tflite: %s: the model has %d inputs and %d outputs; one of each is supported", file, len(m.Inputs), len(m.Outputs))
	}
	in := &m.Tensors[m.Inputs[0]]
	if len(in.Shape) != 4 || in.Shape[0] != 1 {
		return nil, fmt.Errorf("tflite: %s: input tensor %q has shape %v; want [1, height, width, channels]", file, in.Name, in.Shape)
	}
	out := &m.Tensors[m.Outputs[0]]
	classes := out.Shape[len(out.Shape)-1]
	base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	c := &converter{m: m, file: file, producer: map[int]int{}, names: map[string]bool{},
		res: &model.Model{Format: Importer{}.Format(), Input: model.Input{Type: tensor.F32()}, Labels: m.Labels}}
	for i := range m.Operators {
		for _, t := range m.Operators[i].Outputs {
			if t >= 0 {
				c.producer[t] = i
			}
		}
	}
	if q := in.Quant; q != nil && len(q.Scale) == 1 && in.Type != Float32 {
		if d, ok := dtypeOf(in.Type); ok {
			c.res.Input.Type = tensor.Type{DType: d, Quant: &tensor.Quant{Scale: q.Scale[:1:1], ZeroPoint: []int32{int32(q.ZeroPoint[0])}}}
		}
	}
	layers, err := c.region(m.Inputs[0], m.Outputs[0], "")
	if err != nil {
		return nil, err
	}
	c.res.Network = &spec.Network{
		File: file, Name: base, Description: m.Description,
		Source:  "imported from TensorFlow Lite model " + filepath.Base(file),
		Input:   spec.InputSpec{Height: in.Shape[1], Width: in.Shape[2], Channels: in.Shape[3]},
		Classes: classes, Alpha: 1, Rounding: spec.RoundTFSlim, Padding: spec.PadTF, Layers: layers,
	}
	if c.impliedAct > 0 {
		c.res.Notes = append(c.res.Notes, fmt.Sprintf("%d layers have no fused activation in the file; their ReLU/ReLU6 was read from the quantized output range.", c.impliedAct))
	}
	if c.quantized {
		c.res.Notes = append(c.res.Notes, "Quantized weights and biases were dequantized to float32 (real = scale x (q - zero point)).")
	}
	return c.res, nil
}

type converter struct {
	m          *Model
	file       string
	producer   map[int]int // tensor -> operator writing it
	names      map[string]bool
	res        *model.Model
	impliedAct int
	quantized  bool // some weights are quantized
}

// dtypeOf maps a TFLite tensor type to mnet's.
func dtypeOf(t TensorType) (tensor.DType, bool) {
	switch t {
	case Float32:
		return tensor.Float32, true
	case Uint8:
		return tensor.Uint8, true
	case Int8:
		return tensor.Int8, true
	case Int32:
		return tensor.Int32, true
	}
	return 0, false
}

func (c *converter) errf(op int, format string, args ...any) error {
	o := &c.m.Operators[op]
	return fmt.Errorf("tflite: %s: operator %d (%s): %s", c.file, op, o.Name(), fmt.Sprintf(format, args...))
}

// ancestors returns the tensors from which t is computed (t included),
// with the operator chain walked back to `stop`.
func (c *converter) ancestors(t int) map[int]bool {
	seen := map[int]bool{}
	stack := []int{t}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[x] {
			continue
		}
		seen[x] = true
		if op, ok := c.producer[x]; ok {
			stack = append(stack, c.activations(op)...)
		}
	}
	return seen
}

// activations are an operator's non-constant inputs.
func (c *converter) activations(op int) []int {
	var out []int
	for _, t := range c.m.Operators[op].Inputs {
		if t < 0 {
			continue
		}
		if _, computed := c.producer[t]; computed || t == c.m.Inputs[0] {
			out = append(out, t)
		}
	}
	return out
}

// region converts the operators that compute tensor `to` from tensor
// `from` into a layer list. scope identifies the block branch the layers
// land in ("" at top level): names need only be unique within one.
func (c *converter) region(from, to int, scope string) ([]spec.Layer, error) {
	if from == to {
		return nil, nil
	}
	op, ok := c.producer[to]
	if !ok {
		return nil, fmt.Errorf("tflite: %s: tensor %d %q is not computed from the input", c.file, to, c.m.Tensors[to].Name)
	}
	ins := c.activations(op)
	o := &c.m.Operators[op]
	if o.Code == OpAdd || o.Code == OpConcatenation {
		if len(ins) < 2 {
			return nil, c.errf(op, "joins %d computed tensors; constants are not supported here", len(ins))
		}
		fork, err := c.fork(ins, op)
		if err != nil {
			return nil, err
		}
		before, err := c.region(from, fork, scope)
		if err != nil {
			return nil, err
		}
		blk, err := c.block(op, fork, ins, scope)
		if err != nil {
			return nil, err
		}
		return append(before, blk), nil
	}
	if len(ins) != 1 {
		return nil, c.errf(op, "has %d computed inputs, want 1", len(ins))
	}
	before, err := c.region(from, ins[0], scope)
	if err != nil {
		return nil, err
	}
	l, err := c.layer(op, scope)
	if err != nil {
		return nil, err
	}
	if l == nil {
		return before, nil
	}
	return append(before, *l), nil
}

// fork is the latest tensor every branch of a join is computed from.
func (c *converter) fork(ins []int, op int) (int, error) {
	common := c.ancestors(ins[0])
	for _, t := range ins[1:] {
		a := c.ancestors(t)
		for k := range common {
			if !a[k] {
				delete(common, k)
			}
		}
	}
	// The latest common ancestor is the one whose ancestors include all
	// others: the largest ancestor set.
	best, bestN := -1, -1
	for t := range common {
		if n := len(c.ancestors(t)); n > bestN || (n == bestN && t > best) {
			best, bestN = t, n
		}
	}
	if best < 0 {
		return 0, c.errf(op, "its inputs share no common source")
	}
	return best, nil
}

func (c *converter) block(op, fork int, ins []int, scope string) (spec.Layer, error) {
	o := &c.m.Operators[op]
	name := c.unique(scope, c.layerName(op))
	l := spec.Layer{Name: name, Field: fmt.Sprintf("operators[%d]", op)}
	var add *spec.AddLayer
	var concat *spec.ConcatLayer
	switch opts := o.Options.(type) {
	case *AddOptions:
		act, err := c.activation(op, opts.Activation)
		if err != nil {
			return l, err
		}
		add = &spec.AddLayer{}
		if act != spec.ActNone {
			add.Activation = &act
		}
		l.Params = add
	case *ConcatenationOptions:
		axis := opts.Axis
		if axis < 0 {
			axis += len(c.m.Tensors[o.Outputs[0]].Shape)
		}
		if axis != 3 {
			return l, c.errf(op, "concatenates along axis %d; only channels (axis 3) are supported", opts.Axis)
		}
		if opts.Activation != ActNone {
			return l, c.errf(op, "a fused activation on a concatenation is not supported")
		}
		concat = &spec.ConcatLayer{}
		l.Params = concat
	}
	var branches []spec.Branch
	for i, t := range ins {
		bname := "b" + strconv.Itoa(i+1)
		layers, err := c.region(fork, t, scope+name+"/"+bname+"/")
		if err != nil {
			return l, err
		}
		branches = append(branches, spec.Branch{Name: bname, Layers: layers, Field: l.Field})
	}
	if add != nil {
		add.Branches = branches
	} else {
		concat.Branches = branches
	}
	return l, nil
}

// activation maps a fused activation; for a quantized output without one,
// it reads the activation from the output's range.
func (c *converter) activation(op int, a Activation) (spec.Activation, error) {
	switch a {
	case ActRelu:
		return spec.ActReLU, nil
	case ActRelu6:
		return spec.ActReLU6, nil
	case ActNone:
	default:
		return "", c.errf(op, "fused activation %s is not supported (NONE, RELU, RELU6 are)", a)
	}
	out := &c.m.Tensors[c.m.Operators[op].Outputs[0]]
	q := out.Quant
	if q == nil || len(q.Scale) != 1 || out.Type == Float32 {
		return spec.ActNone, nil
	}
	lo, hi := qmin(out.Type), qmax(out.Type)
	rmin := float64(q.Scale[0]) * float64(lo-q.ZeroPoint[0])
	rmax := float64(q.Scale[0]) * float64(hi-q.ZeroPoint[0])
	if math.Abs(rmin) > 1e-6 {
		return spec.ActNone, nil
	}
	c.impliedAct++
	if math.Abs(rmax-6) < 0.05 {
		return spec.ActReLU6, nil
	}
	return spec.ActReLU, nil
}

func qmin(t TensorType) int64 {
	if t == Int8 {
		return -128
	}
	return 0
}

func qmax(t TensorType) int64 {
	if t == Int8 {
		return 127
	}
	return 255
}

// weights reads an operator's kernel (input kernelIdx) and bias (input
// biasIdx, when present) as the layer's Weights: the kernel reshaped to
// shape, its quantized dimension becoming axis (see Tensor.Typed).
func (c *converter) weights(op, kernelIdx, biasIdx int, shape []int, axis int) (*spec.Weights, error) {
	o := &c.m.Operators[op]
	kt := &c.m.Tensors[o.Inputs[kernelIdx]]
	k, err := kt.Typed(shape, axis)
	if err != nil {
		return nil, c.errf(op, "weights: %v", err)
	}
	if kt.Type != Float32 {
		c.quantized = true
	}
	w := &spec.Weights{Kernel: k}
	if biasIdx < len(o.Inputs) && o.Inputs[biasIdx] >= 0 {
		bt := &c.m.Tensors[o.Inputs[biasIdx]]
		if w.Bias, err = bt.Typed([]int{bt.NumElements()}, 0); err != nil {
			return nil, c.errf(op, "bias: %v", err)
		}
	}
	return w, nil
}

func padding(p Padding) *spec.Padding {
	if p == PaddingValid {
		return &spec.Padding{Mode: spec.PadValid}
	}
	return &spec.Padding{Mode: spec.PadSame}
}

// layer converts a single-input operator (nil for one that compiles to
// nothing).
func (c *converter) layer(op int, scope string) (*spec.Layer, error) {
	o := &c.m.Operators[op]
	in := &c.m.Tensors[c.activations(op)[0]]
	outT := &c.m.Tensors[o.Outputs[0]]
	name := c.unique(scope, c.layerName(op))
	no := false
	l := &spec.Layer{Name: name, Field: fmt.Sprintf("operators[%d]", op)}
	hasBias := len(o.Inputs) > 2 && o.Inputs[2] >= 0
	fused := func(act spec.Activation) spec.Fused { return spec.Fused{Bias: &hasBias, BN: &no, Activation: &act} }
	var err error
	switch opts := o.Options.(type) {
	case *Conv2DOptions:
		if opts.DilationH != 1 || opts.DilationW != 1 {
			return nil, c.errf(op, "dilation %dx%d is not supported", opts.DilationH, opts.DilationW)
		}
		kt := &c.m.Tensors[o.Inputs[1]]
		ks := kt.Shape // [out, kh, kw, in]
		if len(ks) != 4 || len(in.Shape) != 4 || in.Shape[3]%ks[3] != 0 {
			return nil, c.errf(op, "weights of shape %v do not fit the input %v", ks, in.Shape)
		}
		act, err := c.activation(op, opts.Activation)
		if err != nil {
			return nil, err
		}
		if ks[1] == 1 && ks[2] == 1 && in.Shape[1] == 1 && in.Shape[2] == 1 && in.Shape[3] == ks[3] {
			// A 1x1 convolution of a 1x1 map is a fully connected layer:
			// its [out, 1, 1, in] kernel is the [out, in] one.
			l.Params = &spec.FCLayer{Units: spec.Count{N: ks[0]}, Fused: fused(act), Scale: &no}
			axis := 0
			if q := kt.Quant; q != nil && q.Dimension == 3 {
				axis = 1
			}
			l.Weights, err = c.weights(op, 1, 2, []int{ks[0], ks[3]}, axis)
		} else {
			l.Params = &spec.ConvLayer{Filters: spec.Count{N: ks[0]}, Kernel: [2]int{ks[1], ks[2]}, Stride: [2]int{opts.StrideH, opts.StrideW},
				Padding: padding(opts.Padding), Groups: in.Shape[3] / ks[3], Fused: fused(act), Scale: &no}
			l.Weights, err = c.weights(op, 1, 2, []int{ks[0], ks[1], ks[2], ks[3]}, quantDim(kt))
		}
		return l, err
	case *DepthwiseConv2DOptions:
		if opts.DilationH != 1 || opts.DilationW != 1 {
			return nil, c.errf(op, "dilation %dx%d is not supported", opts.DilationH, opts.DilationW)
		}
		kt := &c.m.Tensors[o.Inputs[1]]
		ks := kt.Shape // [1, kh, kw, C*mult]
		if len(ks) != 4 || len(in.Shape) != 4 || ks[0] != 1 || ks[3]%in.Shape[3] != 0 {
			return nil, c.errf(op, "weights of shape %v do not fit the input %v", ks, in.Shape)
		}
		act, err := c.activation(op, opts.Activation)
		if err != nil {
			return nil, err
		}
		l.Params = &spec.DepthwiseLayer{Kernel: [2]int{ks[1], ks[2]}, Stride: [2]int{opts.StrideH, opts.StrideW},
			Padding: padding(opts.Padding), Multiplier: ks[3] / in.Shape[3], Fused: fused(act)}
		// [1, KH, KW, C*mult] without its leading 1: HWC.
		l.Weights, err = c.weights(op, 1, 2, []int{ks[1], ks[2], ks[3]}, quantDim(kt)-1)
		return l, err
	case *Pool2DOptions:
		if opts.Activation != ActNone {
			return nil, c.errf(op, "a fused activation on pooling is not supported")
		}
		l.Params = &spec.PoolLayer{Max: o.Code != OpAveragePool2D, Kernel: [2]int{opts.FilterHeight, opts.FilterWidth},
			Stride: [2]int{opts.StrideH, opts.StrideW}, Padding: padding(opts.Padding)}
		return l, nil
	case *FullyConnectedOptions:
		if opts.WeightsFormat != WeightsDefault {
			return nil, c.errf(op, "weights format %s is not supported", opts.WeightsFormat)
		}
		kt := &c.m.Tensors[o.Inputs[1]]
		ks := kt.Shape // [out, in]
		if len(ks) != 2 || ks[1] != in.NumElements() {
			return nil, c.errf(op, "weights of shape %v do not fit the input %v", ks, in.Shape)
		}
		act, err := c.activation(op, opts.Activation)
		if err != nil {
			return nil, err
		}
		l.Params = &spec.FCLayer{Units: spec.Count{N: ks[0]}, Fused: fused(act), Scale: &no}
		l.Weights, err = c.weights(op, 1, 2, []int{ks[0], ks[1]}, quantDim(kt))
		return l, err
	case *ReshapeOptions, *SqueezeOptions:
		if outT.NumElements() != in.NumElements() {
			return nil, c.errf(op, "changes the element count (%v to %v)", in.Shape, outT.Shape)
		}
		if len(outT.Shape) != 2 {
			return nil, c.errf(op, "reshapes %v to %v; only flattening to [1, n] is supported", in.Shape, outT.Shape)
		}
		l.Params = &spec.FlattenLayer{}
		return l, nil
	case *SoftmaxOptions:
		if opts.Beta != 1 {
			return nil, c.errf(op, "softmax beta %g is not supported (only 1)", opts.Beta)
		}
		l.Params = &spec.SoftmaxLayer{}
		return l, err
	}
	return nil, c.errf(op, "not supported")
}

// quantDim is a weight tensor's quantized dimension (0 without one).
func quantDim(t *Tensor) int {
	if t.Quant == nil {
		return 0
	}
	return t.Quant.Dimension
}

// tfSuffixes are the op names TF appends to a layer's scope.
var tfSuffixes = regexp.MustCompile(`/(Relu6?|BiasAdd|BatchNorm.*|FusedBatchNorm.*|Conv2D.*|depthwise|Add|add|Squeeze|Reshape|Softmax|AvgPool|MaxPool|MatMul|act_quant.*|weights_quant.*)$`)

var badName = regexp.MustCompile(`[^A-Za-z0-9_.\-]+`)

// layerName derives a spec layer name from the operator's output tensor
// name: its first ';'-separated part, TF's op suffixes removed, the last
// path component ("MobilenetV1/MobilenetV1/Conv2d_1_depthwise/Relu6" ->
// "Conv2d_1_depthwise").
func (c *converter) layerName(op int) string {
	o := &c.m.Operators[op]
	name, _, _ := strings.Cut(c.m.Tensors[o.Outputs[0]].Name, ";")
	for i := 0; i < 4 && tfSuffixes.MatchString(name); i++ {
		trimmed := tfSuffixes.ReplaceAllString(name, "")
		if trimmed == "" {
			break
		}
		name = trimmed
	}
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Trim(badName.ReplaceAllString(name, "_"), "_")
	if name == "" || len(name) > 64 {
		name = strings.ToLower(o.Name()) + "_" + strconv.Itoa(op)
	}
	return name
}

func (c *converter) unique(scope, name string) string {
	n := name
	for i := 2; c.names[scope+n]; i++ {
		n = name + "_" + strconv.Itoa(i)
	}
	c.names[scope+n] = true
	return n
}
