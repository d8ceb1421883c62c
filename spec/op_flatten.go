package spec

import "strings"

// OpFlatten reshapes a tensor to 1x1xN.
const OpFlatten OpKind = "flatten"

// Flatten makes its input a 1x1xN vector; in NHWC the values stay where
// they are.
type Flatten struct{}

// Kind is OpFlatten.
func (*Flatten) Kind() OpKind { return OpFlatten }

// Class is "Flatten".
func (*Flatten) Class() string { return "Flatten" }

// MultAdds is zero.
func (*Flatten) MultAdds(*Node) int64 { return 0 }

// Params: none.
func (*Flatten) Params(*Node) ParamLayout { return ParamLayout{} }

// PassThrough is true: the output is the input, reshaped.
func (*Flatten) PassThrough() bool { return true }

// KindFlatten is the spec's flatten.
const KindFlatten Kind = "flatten"

var flattenKind = layerKind{KindFlatten, []string{}, func() LayerParams { return &FlattenLayer{} }}

// FlattenLayer is a `flatten` layer.
type FlattenLayer struct{}

// Kind is KindFlatten.
func (*FlattenLayer) Kind() Kind { return KindFlatten }

func (*FlattenLayer) decode(*decoder, *mapping, *Layer, int) error { return nil }

func (*FlattenLayer) format(b *strings.Builder, head []string, indent string) {
	writeFlat(b, indent, head)
}

func (*FlattenLayer) resolve(r *resolver, l *Layer, in int, s Shape, sc *scope, _ int, suffix string) (int, Shape, error) {
	nd := r.newNode(l, r.name(l, sc, suffix, "flatten"), in, s, sc)
	nd.Op = &Flatten{}
	nd.Out = Shape{1, 1, int(min(s.Elems(), MaxTensorElems+1))}
	return r.finish(l, &nd, 0)
}
