package spec

import "strings"

// OpDepthwise is a depthwise convolution.
const OpDepthwise OpKind = "depthwise"

// Depthwise is a depthwise convolution: each input channel convolved with
// Mult filters of its own (groups = input channels).
type Depthwise struct {
	Window
	Mult int
	Epilogue
}

// Kind is OpDepthwise.
func (*Depthwise) Kind() OpKind { return OpDepthwise }

// Class is "Conv DW KxK".
func (d *Depthwise) Class() string { return d.class("Conv DW ", &dwClasses) }

// MultAdds is K·K·M·mult·H_out·W_out.
func (d *Depthwise) MultAdds(n *Node) int64 {
	return int64(d.KH) * int64(d.KW) * int64(n.Out.C) * (int64(n.Out.H) * int64(n.Out.W))
}

// Params: an HWC kernel, [KH][KW][C*mult] (output channel fastest).
func (d *Depthwise) Params(n *Node) ParamLayout {
	return ParamLayout{Layout: "HWC", Dims: [4]int{d.KH, d.KW, n.Out.C}, Rank: 3, OutAxis: 2,
		FanIn: d.KH * d.KW, Bias: d.Bias, BN: d.BN, Channels: n.Out.C}
}

// PassThrough is false.
func (*Depthwise) PassThrough() bool { return false }

// resolveDepthwise finishes a depthwise node whose window and epilogue are
// set; kind names the layer in errors.
func resolveDepthwise(r *resolver, l *Layer, kind Kind, nd *Node, op *Depthwise, pad Padding) (int, Shape, error) {
	if err := r.window(l, kind, nd, &op.Window, pad, false); err != nil {
		return 0, nd.In, err
	}
	nd.Out.C = nd.In.C * op.Mult
	nd.Op = op
	return r.finish(l, nd, weightCount(op.KH, op.KW, nd.Out.C))
}

// KindDepthwise is the spec's depthwise convolution.
const KindDepthwise Kind = "depthwise"

var depthwiseKind = layerKind{KindDepthwise, []string{"kernel", "stride", "padding", "multiplier", "bias", "bn", "activation"},
	func() LayerParams { return &DepthwiseLayer{Multiplier: 1} }}

// DepthwiseLayer is a `depthwise` layer: a kernel (3x3 unless given) per
// channel, Multiplier filters each.
type DepthwiseLayer struct {
	Kernel, Stride [2]int
	Padding        *Padding
	Multiplier     int
	Fused
}

// Kind is KindDepthwise.
func (*DepthwiseLayer) Kind() Kind { return KindDepthwise }

func (dw *DepthwiseLayer) decode(d *decoder, m *mapping, l *Layer, _ int) error {
	var err error
	if err = d.decodeFused(m, &dw.Fused); err != nil {
		return err
	}
	if dw.Kernel, dw.Stride, err = d.kernelStride(m, [2]int{3, 3}, false); err != nil {
		return err
	}
	if dw.Padding, err = d.padding(m, "padding"); err != nil {
		return err
	}
	dw.Multiplier, err = d.posInt(m, "multiplier", 1)
	return err
}

func (dw *DepthwiseLayer) format(b *strings.Builder, head []string, indent string) {
	f := fields(head)
	f.add("kernel", pair(dw.Kernel))
	f.add("stride", pair(dw.Stride))
	f.padding(dw.Padding)
	f.multiplier(dw.Multiplier)
	f.fused(dw.Fused, nil)
	writeFlat(b, indent, f)
}

func (dw *DepthwiseLayer) resolve(r *resolver, l *Layer, in int, s Shape, sc *scope, _ int, suffix string) (int, Shape, error) {
	nd := r.newNode(l, r.name(l, sc, suffix, "dw"), in, s, sc)
	op := &Depthwise{Window: Window{KH: dw.Kernel[0], KW: dw.Kernel[1], SH: dw.Stride[0], SW: dw.Stride[1]},
		Mult: dw.Multiplier, Epilogue: r.epilogue(dw.Fused, true, convEpilogue)}
	return resolveDepthwise(r, l, KindDepthwise, &nd, op, r.padding(dw.Padding))
}
