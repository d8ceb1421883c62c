package exec

import (
	"fmt"

	"mnet.dev/mnet/internal/qmath"
	"mnet.dev/mnet/spec"
	"mnet.dev/mnet/tensor"
)

// Integer execution. An int8 plan computes with TensorFlow Lite's integer
// semantics (the reference kernels, exactly; see package qref for the scalar
// reference it is tested against): uint8 models (asymmetric, per-tensor
// weights) and int8 ones (symmetric per-channel weights) alike.
//
// Inside a plan every 8-bit tensor is carried as unsigned bytes: a uint8
// tensor as it is, an int8 tensor offset by 128 (value v stored as v+128,
// zero point z as z+128, its range [-128, 127] as [0, 255]). Sums of
// products of differences from the zero points are the same in both
// domains, and so are the requantized, clamped results once moved back, so
// one set of kernels runs both schemes. Int8 inputs and outputs are moved
// in place at the plan's edges (a byte XOR 0x80): Input and Output have the
// graph's declared types, and the tensors RunEach shows are the u8 form
// (Uint8, zero point moved by 128: the same real values).

// qdomain is an 8-bit tensor's quantization in the plans' u8 domain.
type qdomain struct {
	scale  float32
	zero   int32 // in [0, 255]
	signed bool  // an int8 tensor (stored offset by 128)
}

// offset is what the u8 domain adds to the tensor's values.
func (q qdomain) offset() int32 {
	if q.signed {
		return 128
	}
	return 0
}

// qdomainOf returns the u8-domain form of a per-tensor quantized 8-bit
// activation type.
func qdomainOf(t tensor.Type) (qdomain, error) {
	q := t.Quant
	switch {
	case t.DType != tensor.Uint8 && t.DType != tensor.Int8:
		return qdomain{}, fmt.Errorf("element type %v is not an 8-bit integer", t.DType)
	case q == nil:
		return qdomain{}, fmt.Errorf("%v tensor without quantization parameters (a float network needs calibration: see Calibrate)", t.DType)
	case len(q.Scale) != 1 || len(q.ZeroPoint) != 1:
		return qdomain{}, fmt.Errorf("%v activation with %d scales: activations are quantized per tensor", t.DType, len(q.Scale))
	}
	d := qdomain{scale: q.Scale[0], zero: q.ZeroPoint[0], signed: t.DType == tensor.Int8}
	d.zero += d.offset()
	return d, nil
}

// internalType is the type a plan's views of an 8-bit tensor carry: the u8
// domain's (an int8 tensor becomes Uint8 with its zero point moved by 128,
// the same real values); other types are unchanged.
func internalType(t tensor.Type) tensor.Type {
	if t.DType != tensor.Int8 || t.Quant == nil || len(t.Quant.ZeroPoint) != 1 {
		return t
	}
	q := *t.Quant
	q.ZeroPoint = []int32{q.ZeroPoint[0] + 128}
	return tensor.Type{DType: tensor.Uint8, Quant: &q}
}

// qmathType maps an element type to qmath's.
func qmathType(d tensor.DType) qmath.Type {
	switch d {
	case tensor.Uint8:
		return qmath.Uint8
	case tensor.Int8:
		return qmath.Int8
	case tensor.Int32:
		return qmath.Int32
	}
	return 0
}

// qmathTensor describes a typed tensor to qmath's checks.
func qmathTensor(name string, t tensor.Type) qmath.Tensor {
	qt := qmath.Tensor{Name: name, Type: qmathType(t.DType)}
	if q := t.Quant; q != nil {
		qt.Scale = q.Scale
		qt.Dimension = q.Axis
		for _, z := range q.ZeroPoint {
			qt.ZeroPoint = append(qt.ZeroPoint, int64(z))
		}
	}
	return qt
}

// qmathAct maps an activation to the fused activation of TFLite's integer
// kernels; the others have no integer form here.
func qmathAct(a spec.Activation) (qmath.Activation, error) {
	switch a {
	case spec.ActNone:
		return qmath.ActNone, nil
	case spec.ActReLU:
		return qmath.ActRelu, nil
	case spec.ActReLU6:
		return qmath.ActRelu6, nil
	}
	return 0, fmt.Errorf("activation %s has no integer form (int8 layers fuse none, relu or relu6)", a)
}

// clampAct is the activation a node's integer arithmetic clamps to: the one
// an imported model's file fuses (spec.Quantized.Act), or the layer's own.
func clampAct(n *spec.Node, own spec.Activation) (qmath.Activation, error) {
	if n.Quantized != nil {
		own = n.Quantized.Act
	}
	return qmathAct(own)
}

// inputName and outputName name a node's tensors in errors.
func inputName(g *spec.Graph, i int) string {
	if i == spec.GraphInput {
		return "the input"
	}
	return fmt.Sprintf("the output of %q", g.Nodes[i].Name)
}

// typeOf is the declared type of a node input (a node index or
// spec.GraphInput).
func typeOf(g *spec.Graph, i int) tensor.Type {
	if i == spec.GraphInput {
		return g.InputType
	}
	return g.Nodes[i].Type
}

// qlayer is a weighted layer's integer parameters as TFLite's kernels take
// them, checked by qmath.PrepareConv.
type qlayer struct {
	q      qmath.ConvQuant
	in     qdomain // the input's quantization, u8 domain
	out    qdomain
	kernel *tensor.Tensor // the file's weights (uint8 or int8), in the op's layout
	bias   []int32        // nil: none
	mult   []int32        // per output channel (one for uint8 models)
	shift  []int
}

// quantLayer fetches a weighted node's quantized weights and derives its
// integer parameters. The weights must be quantized tensors (an imported
// model's, or Calibrate's), a uint8 kernel per tensor or an int8 one per
// tensor or per output channel, with an int32 bias.
func quantLayer(g *spec.Graph, ws WeightSource, n *spec.Node, act spec.Activation) (*qlayer, error) {
	lw, err := ws.Layer(n)
	if err != nil {
		return nil, err
	}
	if err := lw.Check(n); err != nil {
		return nil, err
	}
	k := lw.Kernel
	switch {
	case k == nil:
		return nil, fmt.Errorf("no kernel")
	case k.Type.DType != tensor.Uint8 && k.Type.DType != tensor.Int8:
		return nil, fmt.Errorf("the kernel is %v: an int8 layer needs 8-bit quantized weights (compile with precision float, or calibrate)", k.Type.DType)
	case lw.BN != nil:
		return nil, fmt.Errorf("batch norm on quantized weights: fold it before quantizing")
	case lw.Bias != nil && lw.Bias.Type.DType != tensor.Int32:
		return nil, fmt.Errorf("the bias is %v: quantized layers take an int32 bias", lw.Bias.Type.DType)
	}
	p := n.Op.Params(n)
	a, err := clampAct(n, act)
	if err != nil {
		return nil, err
	}
	in, out := typeOf(g, n.Inputs[0]), n.Type
	l := &qlayer{kernel: k}
	if l.in, err = qdomainOf(in); err != nil {
		return nil, fmt.Errorf("%s: %w", inputName(g, n.Inputs[0]), err)
	}
	if l.out, err = qdomainOf(out); err != nil {
		return nil, fmt.Errorf("its output: %w", err)
	}
	var bias *qmath.Tensor
	if lw.Bias != nil {
		bt := qmathTensor("the bias", lw.Bias.Type)
		bias = &bt
		l.bias = lw.Bias.Int32()
	}
	l.q, err = qmath.PrepareConv(qmathTensor(inputName(g, n.Inputs[0]), in), qmathTensor("the kernel", k.Type), bias,
		qmathTensor("the output", out), a, p.Channels, p.OutAxis)
	if err != nil {
		return nil, err
	}
	if l.q.PerChannel != nil {
		l.mult, l.shift = l.q.Split()
	} else {
		l.mult, l.shift = []int32{l.q.Multiplier.M}, []int{l.q.Multiplier.Shift}
	}
	return l, nil
}

// weights8 returns the kernel values in the int8 domain the GEMM packs
// (a uint8 kernel minus 128) and their zero point there.
func (l *qlayer) weights8() ([]int8, int32) {
	if v := l.kernel.Int8(); v != nil {
		return v, -l.q.WeightsOffset
	}
	u := l.kernel.Uint8()
	w := make([]int8, len(u))
	for i, x := range u {
		w[i] = int8(int32(x) - 128)
	}
	return w, -l.q.WeightsOffset - 128
}

// weightsCentered returns the kernel values minus their zero point.
func (l *qlayer) weightsCentered() []int32 {
	w, zw := l.weights8()
	c := make([]int32, len(w))
	for i, x := range w {
		c[i] = int32(x) - zw
	}
	return c
}

// clamp returns the activation clamp in the u8 domain.
func (l *qlayer) clamp() (lo, hi int32) {
	return l.q.ActMin + l.out.offset(), l.q.ActMax + l.out.offset()
}
