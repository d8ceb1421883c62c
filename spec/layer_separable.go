package spec

import "strings"

// KindSeparable is the spec's depthwise-separable convolution.
const KindSeparable Kind = "separable"

var separableKind = layerKind{KindSeparable, []string{"filters", "kernel", "stride", "padding", "multiplier", "bias", "bn", "activation", "scale"},
	func() LayerParams { return &SeparableLayer{Multiplier: 1} }}

// SeparableLayer is a `separable` layer, the MobileNet block: a depthwise
// convolution (kernel, stride, padding, multiplier) then a pointwise one
// (filters), each followed by batch norm and ReLU unless told otherwise. It
// resolves to two nodes, "NAME/dw" and "NAME/pw", which take no attached
// weights.
type SeparableLayer struct {
	Filters        Count
	Kernel, Stride [2]int
	Padding        *Padding
	Multiplier     int
	Fused
	Scale *bool
}

// Kind is KindSeparable.
func (*SeparableLayer) Kind() Kind { return KindSeparable }

func (sp *SeparableLayer) decode(d *decoder, m *mapping, l *Layer, _ int) error {
	var err error
	if err = d.need(m, l, "filters", "filters: 64"); err != nil {
		return err
	}
	if sp.Filters, _, err = d.count(m, "filters"); err != nil {
		return err
	}
	if err = d.decodeFused(m, &sp.Fused); err != nil {
		return err
	}
	if sp.Scale, err = d.boolPtr(m, "scale"); err != nil {
		return err
	}
	if sp.Kernel, sp.Stride, err = d.kernelStride(m, [2]int{3, 3}, false); err != nil {
		return err
	}
	if sp.Padding, err = d.padding(m, "padding"); err != nil {
		return err
	}
	sp.Multiplier, err = d.posInt(m, "multiplier", 1)
	return err
}

func (sp *SeparableLayer) format(b *strings.Builder, head []string, indent string) {
	f := fields(head)
	f.add("filters", sp.Filters.String())
	f.add("kernel", pair(sp.Kernel))
	f.add("stride", pair(sp.Stride))
	f.padding(sp.Padding)
	f.multiplier(sp.Multiplier)
	f.fused(sp.Fused, sp.Scale)
	writeFlat(b, indent, f)
}

// separableEpilogue is the halves' fallback: no bias, batch norm and ReLU
// (the paper's block).
var separableEpilogue = Epilogue{BN: true, Act: ActReLU}

func (sp *SeparableLayer) resolve(r *resolver, l *Layer, in int, s Shape, sc *scope, _ int, suffix string) (int, Shape, error) {
	var dwName, pwName string
	if l.Name == "" {
		dwName, pwName = sc.autoName("dw"), sc.autoName("pw")
	} else {
		base := sc.prefix + l.Name + suffix + "/"
		dwName, pwName = base+"dw", base+"pw"
	}
	e := r.epilogue(sp.Fused, true, separableEpilogue)
	nd := r.newNode(l, dwName, in, s, sc)
	nd.Weights = nil
	dw := &Depthwise{Window: Window{KH: sp.Kernel[0], KW: sp.Kernel[1], SH: sp.Stride[0], SW: sp.Stride[1]}, Mult: sp.Multiplier, Epilogue: e}
	idx, s2, err := resolveDepthwise(r, l, KindDepthwise, &nd, dw, r.padding(sp.Padding))
	if err != nil {
		return 0, s, err
	}
	pw := r.newNode(l, pwName, idx, s2, sc)
	pw.Weights = nil
	return resolvePointwise(r, l, &pw, e, [2]int{1, 1}, sp.Filters, sp.Scale, 1, 0)
}
