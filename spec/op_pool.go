package spec

import "strings"

// Pooling op kinds.
const (
	OpMaxPool OpKind = "maxpool"
	OpAvgPool OpKind = "avgpool"
)

// Pool is max or average pooling over windows of each channel, or over the
// whole input when Global. CeilMode is Caffe's output rounding; CountPad
// makes average pooling divide by the window clipped to the padded input
// (Caffe) instead of the taps inside the image.
type Pool struct {
	Window
	Max                        bool
	Global, CeilMode, CountPad bool
}

// Kind is OpMaxPool or OpAvgPool.
func (p *Pool) Kind() OpKind {
	if p.Max {
		return OpMaxPool
	}
	return OpAvgPool
}

// Class is "Max Pool" or "Avg Pool".
func (p *Pool) Class() string {
	if p.Max {
		return "Max Pool"
	}
	return "Avg Pool"
}

// MultAdds is zero.
func (*Pool) MultAdds(*Node) int64 { return 0 }

// Params: none.
func (*Pool) Params(*Node) ParamLayout { return ParamLayout{} }

// PassThrough is false.
func (*Pool) PassThrough() bool { return false }

// Pooling layer kinds.
const (
	KindMaxPool Kind = "maxpool"
	KindAvgPool Kind = "avgpool"
)

var (
	maxPoolKind = layerKind{KindMaxPool, []string{"kernel", "stride", "padding", "global", "ceil_mode"},
		func() LayerParams { return &PoolLayer{Max: true} }}
	avgPoolKind = layerKind{KindAvgPool, []string{"kernel", "stride", "padding", "global", "ceil_mode", "count_pad"},
		func() LayerParams { return &PoolLayer{} }}
)

// PoolLayer is a `maxpool` (Max) or `avgpool` layer: a kernel (2x2 unless
// given) striding by itself unless told, valid padding unless given; or
// Global, over the whole input.
type PoolLayer struct {
	Max                        bool
	Kernel, Stride             [2]int
	Padding                    *Padding
	Global, CeilMode, CountPad bool
}

// Kind is KindMaxPool or KindAvgPool.
func (p *PoolLayer) Kind() Kind {
	if p.Max {
		return KindMaxPool
	}
	return KindAvgPool
}

func (p *PoolLayer) decode(d *decoder, m *mapping, l *Layer, _ int) error {
	g, err := d.boolPtr(m, "global")
	if err != nil {
		return err
	}
	p.Global = g != nil && *g
	if !p.Global {
		if err := d.need(m, l, "kernel", "kernel: 3, or global: true"); err != nil {
			return err
		}
	} else if m.has("kernel") || m.has("stride") || m.has("padding") {
		return d.errAt(m.node, l.Field, "a global pool takes no kernel, stride or padding")
	}
	if c, err := d.boolPtr(m, "ceil_mode"); err != nil {
		return err
	} else if c != nil {
		p.CeilMode = *c
	}
	if c, err := d.boolPtr(m, "count_pad"); err != nil {
		return err
	} else if c != nil {
		p.CountPad = *c
	}
	if p.Kernel, p.Stride, err = d.kernelStride(m, [2]int{2, 2}, !p.Global); err != nil {
		return err
	}
	p.Padding, err = d.padding(m, "padding")
	return err
}

func (p *PoolLayer) format(b *strings.Builder, head []string, indent string) {
	f := fields(head)
	if !p.Global {
		f.add("kernel", pair(p.Kernel))
		f.add("stride", pair(p.Stride))
	}
	f.padding(p.Padding)
	if p.Global {
		f.add("global", "true")
	}
	if p.CeilMode {
		f.add("ceil_mode", "true")
	}
	if p.CountPad {
		f.add("count_pad", "true")
	}
	writeFlat(b, indent, f)
}

func (p *PoolLayer) resolve(r *resolver, l *Layer, in int, s Shape, sc *scope, _ int, suffix string) (int, Shape, error) {
	nd := r.newNode(l, r.name(l, sc, suffix, string(p.Kind())), in, s, sc)
	op := &Pool{Window: Window{KH: 1, KW: 1, SH: 1, SW: 1}, Max: p.Max, Global: p.Global, CeilMode: p.CeilMode, CountPad: p.CountPad}
	nd.Op = op
	if p.Global {
		op.KH, op.KW, nd.Out.H, nd.Out.W = s.H, s.W, 1, 1
		return r.finish(l, &nd, 0)
	}
	op.KH, op.KW, op.SH, op.SW = p.Kernel[0], p.Kernel[1], p.Stride[0], p.Stride[1]
	pad := Padding{Mode: PadValid}
	if p.Padding != nil {
		pad = *p.Padding
	}
	if err := r.window(l, p.Kind(), &nd, &op.Window, pad, p.CeilMode); err != nil {
		return 0, s, err
	}
	return r.finish(l, &nd, 0)
}
