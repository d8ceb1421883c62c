package spec

import (
	"strconv"
	"strings"
)

// KindSE is the spec's squeeze-and-excite block.
const KindSE Kind = "se"

var seKind = layerKind{KindSE, []string{"reduction", "activation", "gate"},
	func() LayerParams { return &SELayer{Reduction: DefaultSEReduction} }}

// DefaultSEReduction is MobileNetV3's squeeze factor: the block's inner
// width is a quarter of its channels.
const DefaultSEReduction = 4

// SELayer is an `se` layer, MobileNetV3's squeeze-and-excite block (Hu et
// al. 2018 with V3's hard gate): a global average pool, a fully connected
// reduction to MakeDivisible(C/Reduction, 8) units with a bias and
// Activation (ReLU unless given), an expansion back to C units with a bias
// and Gate (hard-sigmoid unless given), and the input multiplied channel by
// channel by the result. It resolves to four nodes, "NAME/pool",
// "NAME/reduce", "NAME/expand" and "NAME/scale"; its widths follow from its
// input's channels, so α does not scale them again.
type SELayer struct {
	Reduction  int
	Activation *Activation
	Gate       *Activation
}

// Kind is KindSE.
func (*SELayer) Kind() Kind { return KindSE }

func (se *SELayer) decode(d *decoder, m *mapping, _ *Layer, _ int) error {
	var err error
	if se.Reduction, err = d.posInt(m, "reduction", DefaultSEReduction); err != nil {
		return err
	}
	if se.Activation, err = d.activation(m, "activation"); err != nil {
		return err
	}
	se.Gate, err = d.activation(m, "gate")
	return err
}

func (se *SELayer) format(b *strings.Builder, head []string, indent string) {
	f := fields(head)
	if se.Reduction != DefaultSEReduction {
		f.add("reduction", strconv.Itoa(se.Reduction))
	}
	if se.Activation != nil {
		f.add("activation", string(*se.Activation))
	}
	if se.Gate != nil {
		f.add("gate", string(*se.Gate))
	}
	writeFlat(b, indent, f)
}

func (se *SELayer) resolve(r *resolver, l *Layer, in int, s Shape, sc *scope, _ int, suffix string) (int, Shape, error) {
	base := r.name(l, sc, suffix, "se")
	inner, gate := ActReLU, ActHardSigmoid
	if se.Activation != nil {
		inner = *se.Activation
	}
	if se.Gate != nil {
		gate = *se.Gate
	}
	return resolveSE(r, l, base, in, s, sc, se.Reduction, inner, gate)
}

// SEChannels is the inner width of a squeeze-and-excite block over c
// channels with the given reduction: MakeDivisible(c/reduction, 8), as
// TF-slim's MobileNetV3 computes it (torchvision divides c by 4 rounding
// down first, the same wherever c is a multiple of 4, as every V3 width is).
func SEChannels(c, reduction int) int {
	return MakeDivisible(float64(c)/float64(reduction), 8)
}

// resolveSE adds a squeeze-and-excite block's four nodes, named base/...,
// fed by node in of shape s.
func resolveSE(r *resolver, l *Layer, base string, in int, s Shape, sc *scope, reduction int, inner, gate Activation) (int, Shape, error) {
	pool := r.newNode(l, base+"/pool", in, s, sc)
	pool.Weights = nil
	pool.Op = &Pool{Window: Window{KH: s.H, KW: s.W, SH: 1, SW: 1}, Global: true}
	pool.Out = Shape{H: 1, W: 1, C: s.C}
	p, ps, err := r.finish(l, &pool, 0)
	if err != nil {
		return 0, s, err
	}
	sq := SEChannels(s.C, reduction)
	fc := func(name string, from int, fs Shape, units int, act Activation) (int, Shape, error) {
		nd := r.newNode(l, base+"/"+name, from, fs, sc)
		nd.Weights = nil
		nd.Op = &FC{Epilogue: Epilogue{Bias: true, Act: act}, SE: true}
		nd.Out = Shape{H: 1, W: 1, C: units}
		return r.finish(l, &nd, weightCount(fs.C, units))
	}
	red, rs, err := fc("reduce", p, ps, sq, inner)
	if err != nil {
		return 0, s, err
	}
	ex, _, err := fc("expand", red, rs, s.C, gate)
	if err != nil {
		return 0, s, err
	}
	sc2 := r.newNode(l, base+"/scale", in, s, sc)
	sc2.Weights = nil
	sc2.Inputs = []int{in, ex}
	sc2.Op = &Scale{}
	return r.finish(l, &sc2, 0)
}
