package spec

import (
	"math"
	"strconv"
	"strings"
)

// KindBottleneck is the spec's inverted residual block.
const KindBottleneck Kind = "bottleneck"

var bottleneckKind = layerKind{KindBottleneck, []string{"filters", "expansion", "expanded", "kernel", "stride",
	"bias", "bn", "activation", "residual", "se", "se_reduction", "scale"},
	func() LayerParams {
		return &BottleneckLayer{Expansion: DefaultExpansion, SEReduction: DefaultSEReduction}
	}}

// DefaultExpansion is MobileNetV2's expansion factor t.
const DefaultExpansion = 6.0

// BottleneckLayer is a `bottleneck` layer, MobileNetV2's inverted residual
// with a linear bottleneck (Sandler et al. 2018, Table 1), as V3 extends it:
//
//   - a 1x1 expansion to the inner width, with batch norm and Activation
//     (ReLU6 unless given), left out when the inner width equals the input's;
//   - a KxK depthwise convolution with stride S (3x3, 1 unless given), batch
//     norm and Activation;
//   - with SE, a squeeze-and-excite block over the inner width (see SELayer;
//     reduction SEReduction, ReLU inside, hard-sigmoid gate);
//   - a linear 1x1 projection to Filters channels with batch norm;
//   - the block's input added to it when Residual (the default), the stride
//     is 1 and the channels match.
//
// The inner width is Expanded channels when given (torchvision's
// MobileNetV3 writes them out; α scales them like filters), else Expansion
// (t, 6 unless given) times the input's channels, rounded with
// MakeDivisible(·, 8) under the multiple-of-8 rule (TF-slim's
// expand_input_by_factor) and to the nearest integer under the others
// (torchvision's MobileNetV2); t = 1 is the input's width. The nodes are
// "NAME/expand", "NAME/dw", "NAME/se/...", "NAME/project" and "NAME/add"
// (NAME "block_N" when the layer has none); they take no attached weights.
type BottleneckLayer struct {
	Filters     Count
	Expansion   float64
	Expanded    *Count
	Kernel      [2]int
	Stride      [2]int
	Fused       // the inner layers' bias, batch norm and activation
	Residual    *bool
	SE          bool
	SEReduction int
	Scale       *bool
}

// Kind is KindBottleneck.
func (*BottleneckLayer) Kind() Kind { return KindBottleneck }

func validExpansion(t float64) bool { return t >= 1 && t <= 64 }

func (bn *BottleneckLayer) decode(d *decoder, m *mapping, l *Layer, _ int) error {
	var err error
	if err = d.need(m, l, "filters", "filters: 24"); err != nil {
		return err
	}
	if bn.Filters, _, err = d.count(m, "filters"); err != nil {
		return err
	}
	if m.has("expansion") && m.has("expanded") {
		return d.errAt(m.keys["expanded"], sub(l.Field, "expanded"), "give either expansion (a factor t) or expanded (channels), not both")
	}
	if bn.Expansion, err = d.float(m, "expansion", DefaultExpansion, validExpansion, "an expansion factor t in [1, 64]"); err != nil {
		return err
	}
	if m.has("expanded") {
		c, _, err := d.count(m, "expanded")
		if err != nil {
			return err
		}
		if c.Classes {
			return d.errAt(m.vals["expanded"], sub(l.Field, "expanded"), "expected a channel count, got classes")
		}
		bn.Expanded = &c
	}
	if err = d.decodeFused(m, &bn.Fused); err != nil {
		return err
	}
	if bn.Residual, err = d.boolPtr(m, "residual"); err != nil {
		return err
	}
	se, err := d.boolPtr(m, "se")
	if err != nil {
		return err
	}
	bn.SE = se != nil && *se
	if bn.SEReduction, err = d.posInt(m, "se_reduction", DefaultSEReduction); err != nil {
		return err
	}
	if bn.Scale, err = d.boolPtr(m, "scale"); err != nil {
		return err
	}
	bn.Kernel, bn.Stride, err = d.kernelStride(m, [2]int{3, 3}, false)
	return err
}

func (bn *BottleneckLayer) format(b *strings.Builder, head []string, indent string) {
	f := fields(head)
	f.add("filters", bn.Filters.String())
	if bn.Expanded != nil {
		f.add("expanded", bn.Expanded.String())
	} else {
		f.add("expansion", strconv.FormatFloat(bn.Expansion, 'g', -1, 64))
	}
	f.add("kernel", pair(bn.Kernel))
	f.add("stride", pair(bn.Stride))
	f.boolp("residual", bn.Residual)
	if bn.SE {
		f.add("se", "true")
	}
	if bn.SEReduction != DefaultSEReduction {
		f.add("se_reduction", strconv.Itoa(bn.SEReduction))
	}
	f.fused(bn.Fused, bn.Scale)
	writeFlat(b, indent, f)
}

// bottleneckEpilogue is the inner layers' fallback: batch norm and ReLU6
// (MobileNetV2's).
var bottleneckEpilogue = Epilogue{BN: true, Act: ActReLU6}

// innerWidth is the block's expanded width for an input of c channels.
func (bn *BottleneckLayer) innerWidth(r *resolver, l *Layer, c int) (int, error) {
	if bn.Expanded != nil {
		return r.channels(l, *bn.Expanded, bn.Scale, "expanded")
	}
	if bn.Expansion == 1 {
		return c, nil
	}
	v := float64(c) * bn.Expansion
	if r.g.Rounding == RoundMultiple8 {
		return MakeDivisible(v, 8), nil
	}
	return max(int(math.Round(v)), 1), nil
}

func (bn *BottleneckLayer) resolve(r *resolver, l *Layer, in int, s Shape, sc *scope, _ int, suffix string) (int, Shape, error) {
	base := r.name(l, sc, suffix, "block")
	e := r.epilogue(bn.Fused, true, bottleneckEpilogue)
	inner, err := bn.innerWidth(r, l, s.C)
	if err != nil {
		return 0, s, err
	}
	blockIn, blockShape := in, s
	keep := false // a derived width: α already scaled what it comes from
	if inner != s.C {
		nd := r.newNode(l, base+"/expand", in, s, sc)
		nd.Weights = nil
		if in, s, err = resolvePointwise(r, l, &nd, e, [2]int{1, 1}, Count{N: inner}, &keep, 1, 0); err != nil {
			return 0, s, err
		}
	}
	dwn := r.newNode(l, base+"/dw", in, s, sc)
	dwn.Weights = nil
	dw := &Depthwise{Window: Window{KH: bn.Kernel[0], KW: bn.Kernel[1], SH: bn.Stride[0], SW: bn.Stride[1]}, Mult: 1, Epilogue: e}
	if in, s, err = resolveDepthwise(r, l, KindBottleneck, &dwn, dw, r.padding(nil)); err != nil {
		return 0, s, err
	}
	if bn.SE {
		if in, s, err = resolveSE(r, l, base+"/se", in, s, sc, bn.SEReduction, ActReLU, ActHardSigmoid); err != nil {
			return 0, s, err
		}
	}
	pn := r.newNode(l, base+"/project", in, s, sc)
	pn.Weights = nil
	linear := e
	linear.Act = ActNone
	if in, s, err = resolvePointwise(r, l, &pn, linear, [2]int{1, 1}, bn.Filters, bn.Scale, 1, 0); err != nil {
		return 0, s, err
	}
	if (bn.Residual == nil || *bn.Residual) && bn.Stride == [2]int{1, 1} && s == blockShape {
		return r.add(Node{Name: base + "/add", Op: &Add{Act: ActNone}, Inputs: []int{in, blockIn}, In: s, Out: s,
			Type: r.g.Nodes[in].Type, Block: sc.block, Pos: l.Pos, Field: l.Field})
	}
	return in, s, nil
}
