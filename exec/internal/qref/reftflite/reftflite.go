// Package reftflite runs a quantized TensorFlow Lite model operator by
// operator with the scalar reference kernels of package qref: the integer
// answer TFLite's reference kernels give for the file, which mnet's fast
// integer path must reproduce byte for byte.
//
// It reads models through mnet.dev/mnet/spec/tflite (read only) and derives
// every kernel's parameters with qmath's Prepare functions, so a model with
// bad quantization parameters is refused with an error naming the operator,
// the tensor and the field. Supported: CONV_2D, DEPTHWISE_CONV_2D,
// FULLY_CONNECTED, AVERAGE_POOL_2D, SOFTMAX, ADD (same shapes), RESHAPE and
// SQUEEZE, on uint8 (asymmetric, per-tensor) or int8 (symmetric per-channel
// weights) activations, one input, batch any.
package reftflite

import (
	"fmt"

	"mnet.dev/mnet/exec/internal/qref"
	"mnet.dev/mnet/internal/qmath"
	"mnet.dev/mnet/spec/tflite"
)

// Options change how Prepare derives parameters, to compare with other
// references. The zero value is TFLite's semantics.
type Options struct {
	// DoubleProductScales computes a uint8 layer's input scale x weights
	// scale in double, as TFLite's per-channel (int8) path does, instead of
	// the float32 product TFLite's uint8 kernels use
	// (qmath.PerTensorConvMultiplier). Integer references written outside
	// TFLite, such as the peers' fixtures, do this.
	DoubleProductScales bool
}

// Model is a prepared model: every operator's kernel parameters derived.
type Model struct {
	opt    Options
	m      *tflite.Model
	ops    []func(t []tensor) error
	input  int
	output int
	signed bool // int8 activations
}

// tensor is one activation tensor's contents, uint8 or int8.
type tensor struct {
	u []uint8
	s []int8
}

// Prepare checks a model and derives the parameters of every operator, as
// TFLite does.
func Prepare(m *tflite.Model) (*Model, error) { return PrepareWith(m, Options{}) }

// PrepareWith is Prepare with options.
func PrepareWith(m *tflite.Model, opt Options) (*Model, error) {
	if len(m.Inputs) != 1 || len(m.Outputs) < 1 {
		return nil, fmt.Errorf("reftflite: the model has %d inputs and %d outputs, want 1 input", len(m.Inputs), len(m.Outputs))
	}
	p := &Model{opt: opt, m: m, input: m.Inputs[0], output: m.Outputs[0]}
	in := &m.Tensors[p.input]
	switch in.Type {
	case tflite.Uint8:
	case tflite.Int8:
		p.signed = true
	default:
		return nil, fmt.Errorf("reftflite: input %v is not UINT8 or INT8: not a quantized model", in)
	}
	for i := range m.Operators {
		op := &m.Operators[i]
		f, err := p.prepare(op)
		if err != nil {
			return nil, fmt.Errorf("reftflite: operator %d %s: %w", op.Index, op.Name(), err)
		}
		p.ops = append(p.ops, f)
	}
	return p, nil
}

// Input returns the input tensor (its shape, type and quantization).
func (p *Model) Input() *tflite.Tensor { return &p.m.Tensors[p.input] }

// Output returns the first output tensor.
func (p *Model) Output() *tflite.Tensor { return &p.m.Tensors[p.output] }

// Run runs the model on one input (the input tensor's raw bytes, uint8 or
// int8 values as bytes, in its own layout, NHWC for images) and returns
// every tensor's raw bytes, indexed by tensor (nil for constants and unused
// tensors); the output is Run(...)[p.Output().Index].
func (p *Model) Run(input []byte) ([][]byte, error) {
	in := p.Input()
	if len(input) != in.NumElements() {
		return nil, fmt.Errorf("reftflite: input has %d bytes, want %d for %v", len(input), in.NumElements(), in)
	}
	t := make([]tensor, len(p.m.Tensors))
	t[p.input] = fromBytes(input, p.signed)
	for i, f := range p.ops {
		if err := f(t); err != nil {
			op := &p.m.Operators[i]
			return nil, fmt.Errorf("reftflite: operator %d %s: %w", op.Index, op.Name(), err)
		}
	}
	out := make([][]byte, len(t))
	for i, v := range t {
		out[i] = v.bytes()
	}
	return out, nil
}

func fromBytes(b []byte, signed bool) tensor {
	if !signed {
		return tensor{u: append([]uint8(nil), b...)}
	}
	s := make([]int8, len(b))
	for i, x := range b {
		s[i] = int8(x)
	}
	return tensor{s: s}
}

func (v tensor) bytes() []byte {
	if v.s == nil {
		return v.u
	}
	b := make([]byte, len(v.s))
	for i, x := range v.s {
		b[i] = byte(x)
	}
	return b
}

func (p *Model) alloc(t []tensor, i int) tensor {
	n := p.m.Tensors[i].NumElements()
	if p.signed {
		t[i] = tensor{s: make([]int8, n)}
	} else {
		t[i] = tensor{u: make([]uint8, n)}
	}
	return t[i]
}

// quant converts a tensor's quantization for qmath.
func (p *Model) quant(i int) (qmath.Tensor, error) {
	t := &p.m.Tensors[i]
	name := fmt.Sprintf("tensor %d %q", t.Index, t.Name)
	if t.Quant == nil || t.Quant.Custom {
		return qmath.Tensor{}, fmt.Errorf("%s (%v) has no affine quantization", name, t.Type)
	}
	q := qmath.Tensor{Name: name, Scale: t.Quant.Scale, ZeroPoint: t.Quant.ZeroPoint, Dimension: t.Quant.Dimension}
	switch t.Type {
	case tflite.Uint8:
		q.Type = qmath.Uint8
	case tflite.Int8:
		q.Type = qmath.Int8
	case tflite.Int16:
		q.Type = qmath.Int16
	case tflite.Int32:
		q.Type = qmath.Int32
	default:
		return qmath.Tensor{}, fmt.Errorf("%s is %v, not a quantized integer type", name, t.Type)
	}
	return q, nil
}

func (p *Model) shape4(i int) (qref.Shape, error) {
	t := &p.m.Tensors[i]
	if len(t.Shape) != 4 {
		return qref.Shape{}, fmt.Errorf("%v is not 4-D", t)
	}
	return qref.Shape{t.Shape[0], t.Shape[1], t.Shape[2], t.Shape[3]}, nil
}

// constData returns a constant tensor's values as uint8 or int8.
func (p *Model) constData(i int) (tensor, error) {
	t := &p.m.Tensors[i]
	if len(t.Data) == 0 || t.Sparse {
		return tensor{}, fmt.Errorf("%v has no dense constant data", t)
	}
	switch t.Type {
	case tflite.Uint8:
		return tensor{u: t.Data}, nil
	case tflite.Int8:
		return fromBytes(t.Data, true), nil
	}
	return tensor{}, fmt.Errorf("%v: weights must be UINT8 or INT8", t)
}

func (p *Model) bias(op *tflite.Operator, idx int) (*qmath.Tensor, []int32, error) {
	if idx >= len(op.Inputs) || op.Inputs[idx] < 0 {
		return nil, nil, nil
	}
	q, err := p.quant(op.Inputs[idx])
	if err != nil {
		return nil, nil, err
	}
	b, err := p.m.Tensors[op.Inputs[idx]].Int32s()
	if err != nil {
		return nil, nil, err
	}
	return &q, b, nil
}

func padding(pd tflite.Padding) (qref.Padding, error) {
	switch pd {
	case tflite.PaddingSame:
		return qref.Same, nil
	case tflite.PaddingValid:
		return qref.Valid, nil
	}
	return 0, fmt.Errorf("padding %v", pd)
}

func (p *Model) prepare(op *tflite.Operator) (func(t []tensor) error, error) {
	if len(op.Inputs) < 1 || len(op.Outputs) != 1 || op.Inputs[0] < 0 {
		return nil, fmt.Errorf("%d inputs and %d outputs", len(op.Inputs), len(op.Outputs))
	}
	switch op.Code {
	case tflite.OpConv2D, tflite.OpDepthwiseConv2D:
		return p.prepareConv(op)
	case tflite.OpFullyConnected:
		return p.prepareFC(op)
	case tflite.OpAveragePool2D:
		return p.preparePool(op)
	case tflite.OpSoftmax:
		return p.prepareSoftmax(op)
	case tflite.OpAdd:
		return p.prepareAdd(op)
	case tflite.OpReshape, tflite.OpSqueeze:
		return p.prepareReshape(op)
	}
	return nil, fmt.Errorf("not supported by the integer reference")
}

func (p *Model) checkActivation(t int) error {
	tt := p.m.Tensors[t].Type
	if (p.signed && tt != tflite.Int8) || (!p.signed && tt != tflite.Uint8) {
		return fmt.Errorf("%v: activations must all be %s like the model input", &p.m.Tensors[t], p.Input().Type)
	}
	return nil
}

func (p *Model) prepareConv(op *tflite.Operator) (func(t []tensor) error, error) {
	if len(op.Inputs) < 2 || op.Inputs[1] < 0 {
		return nil, fmt.Errorf("no filter")
	}
	inIdx, fIdx, outIdx := op.Inputs[0], op.Inputs[1], op.Outputs[0]
	for _, i := range []int{inIdx, outIdx} {
		if err := p.checkActivation(i); err != nil {
			return nil, err
		}
	}
	inS, err := p.shape4(inIdx)
	if err != nil {
		return nil, err
	}
	fS, err := p.shape4(fIdx)
	if err != nil {
		return nil, err
	}
	outS, err := p.shape4(outIdx)
	if err != nil {
		return nil, err
	}
	var cp qref.ConvParams
	var pad tflite.Padding
	var act tflite.Activation
	depthwise := op.Code == tflite.OpDepthwiseConv2D
	axis := 0
	if depthwise {
		o, ok := op.Options.(*tflite.DepthwiseConv2DOptions)
		if !ok {
			return nil, fmt.Errorf("options missing")
		}
		cp.StrideW, cp.StrideH, cp.DilationW, cp.DilationH, pad, act = o.StrideW, o.StrideH, o.DilationW, o.DilationH, o.Padding, o.Activation
		axis = 3
	} else {
		o, ok := op.Options.(*tflite.Conv2DOptions)
		if !ok {
			return nil, fmt.Errorf("options missing")
		}
		cp.StrideW, cp.StrideH, cp.DilationW, cp.DilationH, pad, act = o.StrideW, o.StrideH, o.DilationW, o.DilationH, o.Padding, o.Activation
	}
	pd, err := padding(pad)
	if err != nil {
		return nil, err
	}
	oh, padH, err := qref.OutputSize(pd, inS[1], fS[1], cp.StrideH, cp.DilationH)
	if err != nil {
		return nil, err
	}
	ow, padW, err := qref.OutputSize(pd, inS[2], fS[2], cp.StrideW, cp.DilationW)
	if err != nil {
		return nil, err
	}
	if oh != outS[1] || ow != outS[2] {
		return nil, fmt.Errorf("output %v, but %v padding gives %dx%d", outS, pd, oh, ow)
	}
	cp.PadH, cp.PadW = padH, padW
	qin, err := p.quant(inIdx)
	if err != nil {
		return nil, err
	}
	qw, err := p.quant(fIdx)
	if err != nil {
		return nil, err
	}
	qout, err := p.quant(outIdx)
	if err != nil {
		return nil, err
	}
	qb, bias, err := p.bias(op, 2)
	if err != nil {
		return nil, err
	}
	q, err := qmath.PrepareConv(qin, qw, qb, qout, qmath.Activation(act), outS[3], axis)
	if err != nil {
		return nil, err
	}
	p.adjust(&q, qin, qw, qout)
	w, err := p.constData(fIdx)
	if err != nil {
		return nil, err
	}
	cp.InputOffset, cp.WeightsOffset, cp.OutputOffset = q.InputOffset, q.WeightsOffset, q.OutputOffset
	cp.OutputMultiplier, cp.OutputShift = q.Multiplier.M, q.Multiplier.Shift
	cp.ActMin, cp.ActMax = q.ActMin, q.ActMax
	mult, shift := q.Split()
	if depthwise {
		dp := qref.DepthwiseParams{ConvParams: cp, DepthMultiplier: max(outS[3]/inS[3], 1)}
		return func(t []tensor) error {
			in, out := t[inIdx], p.alloc(t, outIdx)
			if p.signed {
				return qref.DepthwiseConvPerChannel(dp, mult, shift, inS, in.s, fS, w.s, bias, outS, out.s)
			}
			return qref.DepthwiseConv(dp, inS, in.u, fS, w.u, bias, outS, out.u)
		}, nil
	}
	return func(t []tensor) error {
		in, out := t[inIdx], p.alloc(t, outIdx)
		if p.signed {
			return qref.ConvPerChannel(cp, mult, shift, inS, in.s, fS, w.s, bias, outS, out.s)
		}
		return qref.Conv(cp, inS, in.u, fS, w.u, bias, outS, out.u)
	}, nil
}

// adjust applies Options.DoubleProductScales to a uint8 layer.
func (p *Model) adjust(q *qmath.ConvQuant, in, w, out qmath.Tensor) {
	if p.opt.DoubleProductScales && q.Type == qmath.Uint8 {
		q.Multiplier, _ = qmath.PerChannelConvMultiplier(in.Scale[0], w.Scale[0], out.Scale[0]) // scales checked by PrepareConv
	}
}

func (p *Model) prepareFC(op *tflite.Operator) (func(t []tensor) error, error) {
	o, ok := op.Options.(*tflite.FullyConnectedOptions)
	if !ok {
		return nil, fmt.Errorf("options missing")
	}
	if o.WeightsFormat != tflite.WeightsDefault {
		return nil, fmt.Errorf("weights format %v is not supported", o.WeightsFormat)
	}
	if len(op.Inputs) < 2 || op.Inputs[1] < 0 {
		return nil, fmt.Errorf("no weights")
	}
	inIdx, fIdx, outIdx := op.Inputs[0], op.Inputs[1], op.Outputs[0]
	for _, i := range []int{inIdx, outIdx} {
		if err := p.checkActivation(i); err != nil {
			return nil, err
		}
	}
	ft := &p.m.Tensors[fIdx]
	if len(ft.Shape) != 2 {
		return nil, fmt.Errorf("weights %v are not 2-D", ft)
	}
	outDepth, depth := ft.Shape[0], ft.Shape[1]
	nIn, nOut := p.m.Tensors[inIdx].NumElements(), p.m.Tensors[outIdx].NumElements()
	if nIn%depth != 0 || nOut != nIn/depth*outDepth {
		return nil, fmt.Errorf("input of %d and output of %d values do not fit weights %v", nIn, nOut, ft.Shape)
	}
	batches := nIn / depth
	qin, err := p.quant(inIdx)
	if err != nil {
		return nil, err
	}
	qw, err := p.quant(fIdx)
	if err != nil {
		return nil, err
	}
	qout, err := p.quant(outIdx)
	if err != nil {
		return nil, err
	}
	qb, bias, err := p.bias(op, 2)
	if err != nil {
		return nil, err
	}
	q, err := qmath.PrepareConv(qin, qw, qb, qout, qmath.Activation(o.Activation), outDepth, 0)
	if err != nil {
		return nil, err
	}
	p.adjust(&q, qin, qw, qout)
	w, err := p.constData(fIdx)
	if err != nil {
		return nil, err
	}
	fp := qref.FullyConnectedParams{InputOffset: q.InputOffset, WeightsOffset: q.WeightsOffset, OutputOffset: q.OutputOffset,
		OutputMultiplier: q.Multiplier.M, OutputShift: q.Multiplier.Shift, ActMin: q.ActMin, ActMax: q.ActMax}
	mult, shift := q.Split()
	return func(t []tensor) error {
		in, out := t[inIdx], p.alloc(t, outIdx)
		if p.signed {
			return qref.FullyConnectedPerChannel(fp, mult, shift, batches, depth, outDepth, in.s, w.s, bias, out.s)
		}
		return qref.FullyConnected(fp, batches, depth, outDepth, in.u, w.u, bias, out.u)
	}, nil
}

func (p *Model) preparePool(op *tflite.Operator) (func(t []tensor) error, error) {
	o, ok := op.Options.(*tflite.Pool2DOptions)
	if !ok {
		return nil, fmt.Errorf("options missing")
	}
	inIdx, outIdx := op.Inputs[0], op.Outputs[0]
	inS, err := p.shape4(inIdx)
	if err != nil {
		return nil, err
	}
	outS, err := p.shape4(outIdx)
	if err != nil {
		return nil, err
	}
	pd, err := padding(o.Padding)
	if err != nil {
		return nil, err
	}
	oh, padH, err := qref.OutputSize(pd, inS[1], o.FilterHeight, o.StrideH, 1)
	if err != nil {
		return nil, err
	}
	ow, padW, err := qref.OutputSize(pd, inS[2], o.FilterWidth, o.StrideW, 1)
	if err != nil {
		return nil, err
	}
	if oh != outS[1] || ow != outS[2] {
		return nil, fmt.Errorf("output %v, but %v padding gives %dx%d", outS, pd, oh, ow)
	}
	qin, err := p.quant(inIdx)
	if err != nil {
		return nil, err
	}
	qout, err := p.quant(outIdx)
	if err != nil {
		return nil, err
	}
	lo, hi, err := qmath.PreparePool(qin, qout, qmath.Activation(o.Activation))
	if err != nil {
		return nil, err
	}
	pp := qref.PoolParams{StrideW: o.StrideW, StrideH: o.StrideH, FilterW: o.FilterWidth, FilterH: o.FilterHeight, PadW: padW, PadH: padH, ActMin: lo, ActMax: hi}
	return func(t []tensor) error {
		in, out := t[inIdx], p.alloc(t, outIdx)
		if p.signed {
			return qref.AveragePoolInt8(pp, inS, in.s, outS, out.s)
		}
		return qref.AveragePool(pp, inS, in.u, outS, out.u)
	}, nil
}

func (p *Model) prepareSoftmax(op *tflite.Operator) (func(t []tensor) error, error) {
	o, ok := op.Options.(*tflite.SoftmaxOptions)
	if !ok {
		return nil, fmt.Errorf("options missing")
	}
	inIdx, outIdx := op.Inputs[0], op.Outputs[0]
	it := &p.m.Tensors[inIdx]
	if len(it.Shape) == 0 || p.m.Tensors[outIdx].NumElements() != it.NumElements() {
		return nil, fmt.Errorf("input %v and output %v do not match", it, &p.m.Tensors[outIdx])
	}
	depth := it.Shape[len(it.Shape)-1]
	qin, err := p.quant(inIdx)
	if err != nil {
		return nil, err
	}
	qout, err := p.quant(outIdx)
	if err != nil {
		return nil, err
	}
	sp, err := qmath.PrepareSoftmax(qin, qout, o.Beta)
	if err != nil {
		return nil, err
	}
	return func(t []tensor) error {
		in, out := t[inIdx], p.alloc(t, outIdx)
		if p.signed {
			return qref.SoftmaxInt8(sp, depth, in.s, out.s)
		}
		return qref.Softmax(sp, depth, in.u, out.u)
	}, nil
}

func (p *Model) prepareAdd(op *tflite.Operator) (func(t []tensor) error, error) {
	o, ok := op.Options.(*tflite.AddOptions)
	if !ok {
		return nil, fmt.Errorf("options missing")
	}
	if len(op.Inputs) != 2 || op.Inputs[1] < 0 {
		return nil, fmt.Errorf("%d inputs, want 2", len(op.Inputs))
	}
	a, b, outIdx := op.Inputs[0], op.Inputs[1], op.Outputs[0]
	n := p.m.Tensors[outIdx].NumElements()
	if p.m.Tensors[a].NumElements() != n || p.m.Tensors[b].NumElements() != n {
		return nil, fmt.Errorf("broadcasting is not supported (%v + %v -> %v)", &p.m.Tensors[a], &p.m.Tensors[b], &p.m.Tensors[outIdx])
	}
	var qs [3]qmath.Tensor
	for k, i := range []int{a, b, outIdx} {
		var err error
		if qs[k], err = p.quant(i); err != nil {
			return nil, err
		}
	}
	ap, err := qmath.PrepareAdd(qs[0], qs[1], qs[2], qmath.Activation(o.Activation))
	if err != nil {
		return nil, err
	}
	return func(t []tensor) error {
		x, y, out := t[a], t[b], p.alloc(t, outIdx)
		if p.signed {
			return qref.AddInt8(ap, x.s, y.s, out.s)
		}
		return qref.Add(ap, x.u, y.u, out.u)
	}, nil
}

func (p *Model) prepareReshape(op *tflite.Operator) (func(t []tensor) error, error) {
	inIdx, outIdx := op.Inputs[0], op.Outputs[0]
	if p.m.Tensors[inIdx].NumElements() != p.m.Tensors[outIdx].NumElements() {
		return nil, fmt.Errorf("%v and %v differ in size", &p.m.Tensors[inIdx], &p.m.Tensors[outIdx])
	}
	qin, err := p.quant(inIdx)
	if err != nil {
		return nil, err
	}
	qout, err := p.quant(outIdx)
	if err != nil {
		return nil, err
	}
	if err := qmath.CheckSameQuantization(qin, qout); err != nil {
		return nil, err
	}
	return func(t []tensor) error {
		t[outIdx] = t[inIdx] // a copy of the bytes in TFLite; never written in place here
		return nil
	}, nil
}
