package spec

import (
	"strconv"
	"strings"
)

// OpDropout is dropout, the identity at inference.
const OpDropout OpKind = "dropout"

// Dropout passes its input on at inference; Rate is the training rate.
type Dropout struct {
	Rate float64
}

// Kind is OpDropout.
func (*Dropout) Kind() OpKind { return OpDropout }

// Class is "Dropout".
func (*Dropout) Class() string { return "Dropout" }

// MultAdds is zero.
func (*Dropout) MultAdds(*Node) int64 { return 0 }

// Params: none.
func (*Dropout) Params(*Node) ParamLayout { return ParamLayout{} }

// PassThrough is true: the output is the input.
func (*Dropout) PassThrough() bool { return true }

// KindDropout is the spec's dropout.
const KindDropout Kind = "dropout"

var dropoutKind = layerKind{KindDropout, []string{"rate"}, func() LayerParams { return &DropoutLayer{} }}

// DropoutLayer is a `dropout` layer: rate (0.5), in [0, 1).
type DropoutLayer struct {
	Rate float64
}

// Kind is KindDropout.
func (*DropoutLayer) Kind() Kind { return KindDropout }

func (dr *DropoutLayer) decode(d *decoder, m *mapping, _ *Layer, _ int) error {
	var err error
	dr.Rate, err = d.float(m, "rate", 0.5, func(f float64) bool { return f >= 0 && f < 1 }, "a rate in [0, 1)")
	return err
}

func (dr *DropoutLayer) format(b *strings.Builder, head []string, indent string) {
	f := fields(head)
	f.add("rate", strconv.FormatFloat(dr.Rate, 'g', -1, 64))
	writeFlat(b, indent, f)
}

func (dr *DropoutLayer) resolve(r *resolver, l *Layer, in int, s Shape, sc *scope, _ int, suffix string) (int, Shape, error) {
	nd := r.newNode(l, r.name(l, sc, suffix, "dropout"), in, s, sc)
	nd.Op = &Dropout{Rate: dr.Rate}
	return r.finish(l, &nd, 0)
}
