package spec

import "strings"

// OpFC is a fully connected layer.
const OpFC OpKind = "fc"

// FC is a fully connected layer over the whole input tensor (read in NHWC
// order); its output is 1x1xunits.
type FC struct {
	Epilogue
	// SE marks one of a squeeze-and-excite block's two FCs (over the pooled
	// channels): its class is "SE FC", so a per-type table keeps them apart
	// from the classifier.
	SE bool
}

// Kind is OpFC.
func (*FC) Kind() OpKind { return OpFC }

// Class is "Fully Connected", or "SE FC" inside a squeeze-and-excite
// block.
func (f *FC) Class() string {
	if f.SE {
		return "SE FC"
	}
	return "Fully Connected"
}

// MultAdds is inputs·outputs.
func (*FC) MultAdds(n *Node) int64 { return n.In.Elems() * int64(n.Out.C) }

// Params: an OI kernel, [Out][In].
func (f *FC) Params(n *Node) ParamLayout {
	in := int(n.In.Elems())
	return ParamLayout{Layout: "OI", Dims: [4]int{n.Out.C, in}, Rank: 2, OutAxis: 0, FanIn: in,
		Bias: f.Bias, BN: f.BN, Channels: n.Out.C}
}

// PassThrough is false.
func (*FC) PassThrough() bool { return false }

// KindFC is the spec's fully connected layer.
const KindFC Kind = "fc"

var fcKind = layerKind{KindFC, []string{"units", "bias", "bn", "activation", "scale"},
	func() LayerParams { return &FCLayer{} }}

// FCLayer is an `fc` layer: Units outputs ("classes": the network's class
// count). It ignores the network's defaults: a classifier keeps its bias
// and stays linear unless told otherwise.
type FCLayer struct {
	Units Count
	Fused
	Scale *bool
}

// Kind is KindFC.
func (*FCLayer) Kind() Kind { return KindFC }

func (fc *FCLayer) decode(d *decoder, m *mapping, l *Layer, _ int) error {
	var err error
	if err = d.need(m, l, "units", "units: 1000, or units: classes"); err != nil {
		return err
	}
	if fc.Units, _, err = d.count(m, "units"); err != nil {
		return err
	}
	if err = d.decodeFused(m, &fc.Fused); err != nil {
		return err
	}
	fc.Scale, err = d.boolPtr(m, "scale")
	return err
}

func (fc *FCLayer) format(b *strings.Builder, head []string, indent string) {
	f := fields(head)
	f.add("units", fc.Units.String())
	f.fused(fc.Fused, fc.Scale)
	writeFlat(b, indent, f)
}

func (fc *FCLayer) resolve(r *resolver, l *Layer, in int, s Shape, sc *scope, _ int, suffix string) (int, Shape, error) {
	nd := r.newNode(l, r.name(l, sc, suffix, "fc"), in, s, sc)
	op := &FC{Epilogue: r.epilogue(fc.Fused, false, convEpilogue)}
	c, err := r.channels(l, fc.Units, fc.Scale, "units")
	if err != nil {
		return 0, s, err
	}
	nd.Out = Shape{1, 1, c}
	nd.Op = op
	w, ok := mul(s.Elems(), int64(c))
	if !ok {
		w = -1
	}
	return r.finish(l, &nd, w)
}
