package spec

import "strings"

// OpSoftmax is the softmax over each pixel's channels.
const OpSoftmax OpKind = "softmax"

// Softmax normalises each pixel's channels to probabilities.
type Softmax struct{}

// Kind is OpSoftmax.
func (*Softmax) Kind() OpKind { return OpSoftmax }

// Class is "Softmax".
func (*Softmax) Class() string { return "Softmax" }

// MultAdds is zero.
func (*Softmax) MultAdds(*Node) int64 { return 0 }

// Params: none.
func (*Softmax) Params(*Node) ParamLayout { return ParamLayout{} }

// PassThrough is false.
func (*Softmax) PassThrough() bool { return false }

// KindSoftmax is the spec's softmax.
const KindSoftmax Kind = "softmax"

var softmaxKind = layerKind{KindSoftmax, []string{}, func() LayerParams { return &SoftmaxLayer{} }}

// SoftmaxLayer is a `softmax` layer.
type SoftmaxLayer struct{}

// Kind is KindSoftmax.
func (*SoftmaxLayer) Kind() Kind { return KindSoftmax }

func (*SoftmaxLayer) decode(*decoder, *mapping, *Layer, int) error { return nil }

func (*SoftmaxLayer) format(b *strings.Builder, head []string, indent string) {
	writeFlat(b, indent, head)
}

func (*SoftmaxLayer) resolve(r *resolver, l *Layer, in int, s Shape, sc *scope, _ int, suffix string) (int, Shape, error) {
	nd := r.newNode(l, r.name(l, sc, suffix, "softmax"), in, s, sc)
	nd.Op = &Softmax{}
	return r.finish(l, &nd, 0)
}
