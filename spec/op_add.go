package spec

import "strings"

// OpAdd sums tensors elementwise.
const OpAdd OpKind = "add"

// Add sums its inputs elementwise, then applies Act (a residual join).
type Add struct {
	Act Activation
}

// Kind is OpAdd.
func (*Add) Kind() OpKind { return OpAdd }

// Class is "Add".
func (*Add) Class() string { return "Add" }

// MultAdds is zero (additions are not counted).
func (*Add) MultAdds(*Node) int64 { return 0 }

// Params: none.
func (*Add) Params(*Node) ParamLayout { return ParamLayout{} }

// PassThrough is false.
func (*Add) PassThrough() bool { return false }

// KindAdd is the spec's summing block (residual connections).
const KindAdd Kind = "add"

var addKind = layerKind{KindAdd, []string{"branches", "activation"}, func() LayerParams { return &AddLayer{} }}

// AddLayer is an `add` block: branches that each read the block's input
// (an empty one is the identity), summed, then the activation (none unless
// given; the network's defaults do not apply).
type AddLayer struct {
	Branches   []Branch
	Activation *Activation
}

// Kind is KindAdd.
func (*AddLayer) Kind() Kind { return KindAdd }

func (a *AddLayer) decode(d *decoder, m *mapping, l *Layer, depth int) error {
	var err error
	if err = d.need(m, l, "branches", "branches: [{layers: [...]}, {layers: [...]}]"); err != nil {
		return err
	}
	if a.Branches, err = d.branches(m.vals["branches"], sub(l.Field, "branches"), depth+1); err != nil {
		return err
	}
	a.Activation, err = d.activation(m, "activation")
	return err
}

func (a *AddLayer) format(b *strings.Builder, head []string, indent string) {
	f := fields(head)
	if a.Activation != nil {
		f.add("activation", string(*a.Activation))
	}
	writeBlock(b, indent, f, a.Branches)
}

func (a *AddLayer) resolve(r *resolver, l *Layer, in int, s Shape, sc *scope, depth int, suffix string) (int, Shape, error) {
	name, outs, shapes, err := r.block(l, a.Branches, true, in, s, sc, depth, suffix, "add")
	if err != nil {
		return 0, s, err
	}
	op := &Add{Act: ActNone}
	if a.Activation != nil {
		op.Act = *a.Activation
	}
	return r.join(l, name, op, outs, shapes, shapes[0], sc)
}
