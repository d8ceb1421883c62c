package spec

import "strings"

// OpConv is a standard convolution.
const OpConv OpKind = "conv"

// Conv is a standard convolution, possibly grouped: a pointwise layer is a
// Conv with a 1x1 kernel, and so is the second half of a separable one.
type Conv struct {
	Window
	Groups int
	Epilogue
}

// Kind is OpConv.
func (*Conv) Kind() OpKind { return OpConv }

// Class is "Conv KxK".
func (c *Conv) Class() string { return c.class("Conv ", &convClasses) }

// MultAdds is K·K·(M/g)·N·H_out·W_out.
func (c *Conv) MultAdds(n *Node) int64 {
	return int64(c.KH) * int64(c.KW) * int64(n.In.C/c.Groups) * int64(n.Out.C) * (int64(n.Out.H) * int64(n.Out.W))
}

// Params: an OHWI kernel, [Cout][KH][KW][Cin/groups].
func (c *Conv) Params(n *Node) ParamLayout {
	cin := n.In.C / c.Groups
	return ParamLayout{Layout: "OHWI", Dims: [4]int{n.Out.C, c.KH, c.KW, cin}, Rank: 4, OutAxis: 0,
		FanIn: c.KH * c.KW * cin, Bias: c.Bias, BN: c.BN, Channels: n.Out.C}
}

// PassThrough is false.
func (*Conv) PassThrough() bool { return false }

// resolveConv finishes a convolution node whose window and epilogue are
// set: its padding, output channels and groups.
func resolveConv(r *resolver, l *Layer, kind Kind, nd *Node, op *Conv, pad Padding, filters Count, scale *bool, groups int, minAlpha float64) (int, Shape, error) {
	if err := r.window(l, kind, nd, &op.Window, pad, false); err != nil {
		return 0, nd.In, err
	}
	op.Groups = groups
	c, err := r.channelsMin(l, filters, scale, "filters", minAlpha)
	if err != nil {
		return 0, nd.In, err
	}
	nd.Out.C = c
	if nd.In.C%groups != 0 {
		return 0, nd.In, r.errAt(l, "groups", "%d groups do not divide the %d input channels", groups, nd.In.C)
	}
	if c%groups != 0 {
		return 0, nd.In, r.errAt(l, "groups", "%d groups do not divide the %d output channels (filters %s at alpha %g)", groups, c, filters, r.g.Alpha)
	}
	nd.Op = op
	return r.finish(l, nd, weightCount(op.KH, op.KW, nd.In.C/groups, c))
}

// KindConv is the spec's standard convolution.
const KindConv Kind = "conv"

var convKind = layerKind{KindConv, []string{"filters", "kernel", "stride", "padding", "groups", "bias", "bn", "activation", "scale", "min_alpha"},
	func() LayerParams { return &ConvLayer{Groups: 1} }}

// ConvLayer is a `conv` layer: filters x kernel, with stride, padding (nil:
// the network's default, else same) and groups. Scale false keeps the
// filter count under α; MinAlpha (0: none) scales it by max(α, MinAlpha)
// instead, as MobileNetV2 keeps its last 1280-channel layer at α < 1.
type ConvLayer struct {
	Filters        Count
	Kernel, Stride [2]int
	Padding        *Padding
	Groups         int
	Fused
	Scale    *bool
	MinAlpha float64
}

// Kind is KindConv.
func (*ConvLayer) Kind() Kind { return KindConv }

func (c *ConvLayer) decode(d *decoder, m *mapping, l *Layer, _ int) error {
	var err error
	if err = d.need(m, l, "filters", "filters: 64"); err != nil {
		return err
	}
	if c.Filters, _, err = d.count(m, "filters"); err != nil {
		return err
	}
	if err = d.decodeFused(m, &c.Fused); err != nil {
		return err
	}
	if c.Scale, err = d.boolPtr(m, "scale"); err != nil {
		return err
	}
	if c.MinAlpha, err = d.minAlpha(m); err != nil {
		return err
	}
	if err = d.need(m, l, "kernel", "kernel: 3"); err != nil {
		return err
	}
	if c.Kernel, c.Stride, err = d.kernelStride(m, [2]int{1, 1}, false); err != nil {
		return err
	}
	if c.Padding, err = d.padding(m, "padding"); err != nil {
		return err
	}
	c.Groups, err = d.posInt(m, "groups", 1)
	return err
}

func (c *ConvLayer) format(b *strings.Builder, head []string, indent string) {
	f := fields(head)
	f.add("filters", c.Filters.String())
	f.add("kernel", pair(c.Kernel))
	f.add("stride", pair(c.Stride))
	f.padding(c.Padding)
	f.groups(c.Groups)
	f.fused(c.Fused, c.Scale)
	f.minAlpha(c.MinAlpha)
	writeFlat(b, indent, f)
}

func (c *ConvLayer) resolve(r *resolver, l *Layer, in int, s Shape, sc *scope, _ int, suffix string) (int, Shape, error) {
	nd := r.newNode(l, r.name(l, sc, suffix, "conv"), in, s, sc)
	op := &Conv{Window: Window{KH: c.Kernel[0], KW: c.Kernel[1], SH: c.Stride[0], SW: c.Stride[1]},
		Epilogue: r.epilogue(c.Fused, true, convEpilogue)}
	return resolveConv(r, l, KindConv, &nd, op, r.padding(c.Padding), c.Filters, c.Scale, c.Groups, c.MinAlpha)
}

// KindPointwise is the spec's 1x1 convolution.
const KindPointwise Kind = "pointwise"

var pointwiseKind = layerKind{KindPointwise, []string{"filters", "stride", "groups", "bias", "bn", "activation", "scale", "min_alpha"},
	func() LayerParams { return &PointwiseLayer{Groups: 1} }}

// PointwiseLayer is a `pointwise` layer: a 1x1 convolution (no padding),
// possibly strided or grouped; MinAlpha as for ConvLayer.
type PointwiseLayer struct {
	Filters Count
	Stride  [2]int
	Groups  int
	Fused
	Scale    *bool
	MinAlpha float64
}

// Kind is KindPointwise.
func (*PointwiseLayer) Kind() Kind { return KindPointwise }

func (p *PointwiseLayer) decode(d *decoder, m *mapping, l *Layer, _ int) error {
	var err error
	if err = d.need(m, l, "filters", "filters: 64"); err != nil {
		return err
	}
	if p.Filters, _, err = d.count(m, "filters"); err != nil {
		return err
	}
	if err = d.decodeFused(m, &p.Fused); err != nil {
		return err
	}
	if p.Scale, err = d.boolPtr(m, "scale"); err != nil {
		return err
	}
	if p.MinAlpha, err = d.minAlpha(m); err != nil {
		return err
	}
	if _, p.Stride, err = d.kernelStride(m, [2]int{1, 1}, false); err != nil {
		return err
	}
	p.Groups, err = d.posInt(m, "groups", 1)
	return err
}

func (p *PointwiseLayer) format(b *strings.Builder, head []string, indent string) {
	f := fields(head)
	f.add("filters", p.Filters.String())
	if p.Stride != [2]int{1, 1} {
		f.add("stride", pair(p.Stride))
	}
	f.groups(p.Groups)
	f.fused(p.Fused, p.Scale)
	f.minAlpha(p.MinAlpha)
	writeFlat(b, indent, f)
}

func (p *PointwiseLayer) resolve(r *resolver, l *Layer, in int, s Shape, sc *scope, _ int, suffix string) (int, Shape, error) {
	nd := r.newNode(l, r.name(l, sc, suffix, "pw"), in, s, sc)
	return resolvePointwise(r, l, &nd, r.epilogue(p.Fused, true, convEpilogue), p.Stride, p.Filters, p.Scale, p.Groups, p.MinAlpha)
}

// resolvePointwise finishes a 1x1 convolution node.
func resolvePointwise(r *resolver, l *Layer, nd *Node, e Epilogue, stride [2]int, filters Count, scale *bool, groups int, minAlpha float64) (int, Shape, error) {
	op := &Conv{Window: Window{KH: 1, KW: 1, SH: stride[0], SW: stride[1]}, Epilogue: e}
	return resolveConv(r, l, KindPointwise, nd, op, Padding{Mode: PadValid}, filters, scale, groups, minAlpha)
}
