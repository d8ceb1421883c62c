package spec

import (
	"strconv"
	"strings"
)

// OpLRN is local response normalisation.
const OpLRN OpKind = "lrn"

// LRN is AlexNet's and GoogLeNet's local response normalisation across
// channels: x / (K + Alpha/Size · Σ x²)^Beta over the Size channels around
// each (Caffe's convention: Alpha is divided by Size).
type LRN struct {
	Size           int
	Alpha, Beta, K float64
}

// Kind is OpLRN.
func (*LRN) Kind() OpKind { return OpLRN }

// Class is "LRN".
func (*LRN) Class() string { return "LRN" }

// MultAdds is zero (normalisation is not counted).
func (*LRN) MultAdds(*Node) int64 { return 0 }

// Params: none.
func (*LRN) Params(*Node) ParamLayout { return ParamLayout{} }

// PassThrough is false.
func (*LRN) PassThrough() bool { return false }

// KindLRN is the spec's local response normalisation.
const KindLRN Kind = "lrn"

var lrnKind = layerKind{KindLRN, []string{"size", "alpha", "beta", "k"}, func() LayerParams { return &LRNLayer{} }}

// LRNLayer is an `lrn` layer: size (5), alpha (1e-4), beta (0.75), k (1).
type LRNLayer struct {
	Size           int
	Alpha, Beta, K float64
}

// Kind is KindLRN.
func (*LRNLayer) Kind() Kind { return KindLRN }

func (n *LRNLayer) decode(d *decoder, m *mapping, _ *Layer, _ int) error {
	var err error
	if n.Size, err = d.posInt(m, "size", 5); err != nil {
		return err
	}
	pos := func(f float64) bool { return f > 0 }
	if n.Alpha, err = d.float(m, "alpha", 1e-4, pos, "a positive number"); err != nil {
		return err
	}
	if n.Beta, err = d.float(m, "beta", 0.75, pos, "a positive number"); err != nil {
		return err
	}
	n.K, err = d.float(m, "k", 1, pos, "a positive number")
	return err
}

func (n *LRNLayer) format(b *strings.Builder, head []string, indent string) {
	f := fields(head)
	f.add("size", strconv.Itoa(n.Size))
	f.add("alpha", strconv.FormatFloat(n.Alpha, 'g', -1, 64))
	f.add("beta", strconv.FormatFloat(n.Beta, 'g', -1, 64))
	f.add("k", strconv.FormatFloat(n.K, 'g', -1, 64))
	writeFlat(b, indent, f)
}

func (n *LRNLayer) resolve(r *resolver, l *Layer, in int, s Shape, sc *scope, _ int, suffix string) (int, Shape, error) {
	nd := r.newNode(l, r.name(l, sc, suffix, "lrn"), in, s, sc)
	nd.Op = &LRN{Size: n.Size, Alpha: n.Alpha, Beta: n.Beta, K: n.K}
	return r.finish(l, &nd, 0)
}
