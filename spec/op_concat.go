package spec

import "strings"

// OpConcat joins tensors along channels.
const OpConcat OpKind = "concat"

// Concat places its inputs side by side along channels, in order.
type Concat struct{}

// Kind is OpConcat.
func (*Concat) Kind() OpKind { return OpConcat }

// Class is "Concat".
func (*Concat) Class() string { return "Concat" }

// MultAdds is zero.
func (*Concat) MultAdds(*Node) int64 { return 0 }

// Params: none.
func (*Concat) Params(*Node) ParamLayout { return ParamLayout{} }

// PassThrough is false.
func (*Concat) PassThrough() bool { return false }

// KindConcat is the spec's concatenating block (inception, fire).
const KindConcat Kind = "concat"

var concatKind = layerKind{KindConcat, []string{"branches"}, func() LayerParams { return &ConcatLayer{} }}

// ConcatLayer is a `concat` block: branches that each read the block's
// input, their outputs concatenated along channels.
type ConcatLayer struct {
	Branches []Branch
}

// Kind is KindConcat.
func (*ConcatLayer) Kind() Kind { return KindConcat }

func (c *ConcatLayer) decode(d *decoder, m *mapping, l *Layer, depth int) error {
	var err error
	if err = d.need(m, l, "branches", "branches: [{layers: [...]}, {layers: [...]}]"); err != nil {
		return err
	}
	c.Branches, err = d.branches(m.vals["branches"], sub(l.Field, "branches"), depth+1)
	return err
}

func (c *ConcatLayer) format(b *strings.Builder, head []string, indent string) {
	writeBlock(b, indent, head, c.Branches)
}

func (c *ConcatLayer) resolve(r *resolver, l *Layer, in int, s Shape, sc *scope, depth int, suffix string) (int, Shape, error) {
	name, outs, shapes, err := r.block(l, c.Branches, false, in, s, sc, depth, suffix, "concat")
	if err != nil {
		return 0, s, err
	}
	out := shapes[0]
	for _, bs := range shapes[1:] {
		out.C += bs.C
	}
	return r.join(l, name, &Concat{}, outs, shapes, out, sc)
}
