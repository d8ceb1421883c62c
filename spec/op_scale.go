package spec

// OpScale multiplies a tensor by a per-channel gate.
const OpScale OpKind = "scale"

// Scale multiplies its first input (H x W x C) channel by channel by its
// second (1 x 1 x C): the last step of a squeeze-and-excite block,
// x · gate(x). It has no layer kind of its own: the `se` layer and the
// `bottleneck` layer's se option make it.
type Scale struct{}

// Kind is OpScale.
func (*Scale) Kind() OpKind { return OpScale }

// Class is "SE Scale".
func (*Scale) Class() string { return "SE Scale" }

// MultAdds is zero: a multiplication without an accumulation, counted like
// batch norm's scale and the activations (see package analyze; the
// convention shows it separately as ScaleMultiplies).
func (*Scale) MultAdds(*Node) int64 { return 0 }

// Multiplies is the number of multiplications: one per output value.
func (*Scale) Multiplies(n *Node) int64 { return n.Out.Elems() }

// Params: none.
func (*Scale) Params(*Node) ParamLayout { return ParamLayout{} }

// PassThrough is false.
func (*Scale) PassThrough() bool { return false }
