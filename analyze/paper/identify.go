package paper

import (
	"fmt"
	"strconv"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/spec"
)

// Family is a network architecture the published figures belong to,
// recognised by Identify from the architecture itself.
type Family string

// The families mnet recognises: MobileNet v1, V2, V3-Large and V3-Small
// (any width multiplier and resolution) and the baselines of the v1
// paper's Tables 8 and 9.
const (
	MobileNetV1      Family = "MobileNet v1"
	MobileNetV2      Family = "MobileNetV2"
	MobileNetV3Large Family = "MobileNetV3-Large"
	MobileNetV3Small Family = "MobileNetV3-Small"
	GoogLeNet        Family = "GoogLeNet"
	VGG16            Family = "VGG16"
	SqueezeNet       Family = "SqueezeNet"
	AlexNet          Family = "AlexNet"
)

// family is one recognisable architecture: the example spec that defines
// it. A network belongs to the family when its fingerprint equals the
// spec's resolved at some α, at the network's resolution and class count.
// A new family (MobileNetV2, V3) is a spec in examples and a line in
// families.
type family struct {
	name  Family
	model string // the defining example spec
}

func families() []family {
	return []family{
		{MobileNetV1, "mobilenet_v1"},
		{MobileNetV2, "mobilenet_v2"},
		{MobileNetV3Large, "mobilenet_v3_large"},
		{MobileNetV3Small, "mobilenet_v3_small"},
		{GoogLeNet, "googlenet"},
		{VGG16, "vgg16"},
		{SqueezeNet, "squeezenet"},
		{AlexNet, "alexnet"},
	}
}

// ModelOf returns the example spec that defines a family ("" if unknown).
func ModelOf(f Family) string {
	for _, fam := range families() {
		if fam.name == f {
			return fam.model
		}
	}
	return ""
}

// FamilyOf returns the family an example spec defines ("" for none).
func FamilyOf(model string) Family {
	for _, fam := range families() {
		if fam.model == examples.Canonical(model) {
			return fam.name
		}
	}
	return ""
}

// Identity is what a network is, recognised from its architecture: its
// family, and the width multiplier, resolution and class count at which the
// family's defining spec has exactly its layers.
type Identity struct {
	Family     Family // "" when the network is none of the families
	Model      string // the family's defining example spec: "mobilenet_v1"
	Alpha      float64
	Resolution int
	Classes    int
}

// Known reports whether the network was recognised.
func (id Identity) Known() bool { return id.Family != "" }

// String names the configuration the paper's way: "MobileNet v1
// 0.25-224"; "unrecognised" for an unknown network.
func (id Identity) String() string {
	if !id.Known() {
		return "unrecognised"
	}
	a := strconv.FormatFloat(id.Alpha, 'f', -1, 64)
	if id.Alpha == float64(int64(id.Alpha)) {
		a = strconv.FormatFloat(id.Alpha, 'f', 1, 64)
	}
	return fmt.Sprintf("%s %s-%d", id.Family, a, id.Resolution)
}

// layerPrint is one computing layer (one with mult-adds or weights) as
// the fingerprint sees it: its cost class, its input and output shapes
// (which fix the stride) and its weight count (which fixes groups). A
// classifier on a 1x1 map is a fully connected layer whether it is written
// as one or as a 1x1 convolution (TF-slim's logits), over its flattened
// input.
type layerPrint struct {
	typ     string
	in, out spec.Shape
	weights int64
}

// Fingerprint is a network's architecture as analyze reports it: its
// computing layers in execution order. Layers that only move or
// normalise data (pooling, softmax, dropout, reshapes, batch norm,
// biases) leave no print: they differ between a spec and an imported
// model of the same network.
type Fingerprint []layerPrint

// FingerprintOf computes the fingerprint of an analysed network.
func FingerprintOf(r *analyze.Report) Fingerprint {
	var fp Fingerprint
	for _, l := range r.Layers {
		if l.MultAdds == 0 && l.Weights == 0 {
			continue
		}
		p := layerPrint{typ: l.Type, in: l.In, out: l.Out, weights: l.Weights}
		onePixel := l.In.H == 1 && l.In.W == 1 && l.Out.H == 1 && l.Out.W == 1
		if l.Type == analyze.TypeFC || onePixel && l.Type == "Conv 1x1" {
			p.typ, p.in = analyze.TypeFC, spec.Shape{H: 1, W: 1, C: int(l.In.Elems())}
		}
		fp = append(fp, p)
	}
	return fp
}

// Equal reports whether two fingerprints are the same architecture.
func (fp Fingerprint) Equal(o Fingerprint) bool {
	if len(fp) != len(o) {
		return false
	}
	for i := range fp {
		if fp[i] != o[i] {
			return false
		}
	}
	return true
}

// widest is the largest output channel count of the computing layers
// before the classifier.
func (fp Fingerprint) widest() int {
	w := 0
	for _, p := range fp[:len(fp)-1] {
		w = max(w, p.out.C)
	}
	return w
}

// reference is a family's defining spec, loaded once, with its fingerprint
// at its own configuration.
type reference struct {
	family
	net    *spec.Network
	layers int // computing layers (the same at every α and resolution)
	widest int // at α 1
}

// Identifier recognises networks; it holds the families' defining specs
// and is safe for concurrent use.
type Identifier struct {
	refs []reference
}

// NewIdentifier loads the families' defining specs.
func NewIdentifier() (*Identifier, error) {
	id := &Identifier{}
	for _, f := range families() {
		n, err := examples.Load(f.model)
		if err != nil {
			return nil, fmt.Errorf("paper: family %s: %w", f.name, err)
		}
		r, err := analyze.Spec(n, spec.Options{Alpha: 1})
		if err != nil {
			return nil, fmt.Errorf("paper: family %s: %w", f.name, err)
		}
		fp := FingerprintOf(r)
		if len(fp) < 2 {
			return nil, fmt.Errorf("paper: family %s has %d computing layers", f.name, len(fp))
		}
		id.refs = append(id.refs, reference{family: f, net: n, layers: len(fp), widest: fp.widest()})
	}
	return id, nil
}

// Identify recognises the family of an analysed network and the width
// multiplier, resolution and class count it is at, from its architecture
// alone: names, files and comments play no part, so a renamed copy of a
// spec or an imported TF-slim .tflite is recognised as well as the
// embedded example. The resolution is the network's input height; α is
// the one whose channel counts the network has: the α it was resolved at
// when that reproduces them (a spec's own width multiplier), else the
// ratio of its widest layer to the family's (an imported model has its
// channels written out at α 1), under any of spec's rounding rules. The
// zero Identity means none of the families.
func (id *Identifier) Identify(r *analyze.Report) Identity {
	fp := FingerprintOf(r)
	if len(fp) < 2 {
		return Identity{}
	}
	g := r.Graph
	classes := fp[len(fp)-1].out.C
	for _, ref := range id.refs {
		if ref.layers != len(fp) {
			continue
		}
		ratio := float64(fp.widest()) / float64(ref.widest)
		// The published grids' multipliers too: MobileNetV2 keeps its widest
		// layer at 1280 below α 1, so the ratio cannot tell them apart.
		for _, a := range uniq(g.Alpha, roundTo(ratio*100)/100, ratio, 1.4, 1.3, 1.25, 1, 0.75, 0.5, 0.35, 0.25) {
			if spec.CheckAlpha(a) != nil {
				continue
			}
			for _, rounding := range uniq(g.Rounding, spec.RoundTFSlim, spec.RoundKeras, spec.RoundMultiple8) {
				o := spec.Options{Alpha: a, Resolution: g.Input.H, Classes: classes, Rounding: rounding, Padding: g.Padding}
				rr, err := analyze.Spec(ref.net, o)
				if err == nil && FingerprintOf(rr).Equal(fp) {
					return Identity{Family: ref.name, Model: ref.model, Alpha: a, Resolution: g.Input.H, Classes: classes}
				}
			}
		}
	}
	return Identity{}
}

// uniq returns its arguments without repeats, in order.
func uniq[T comparable](xs ...T) []T {
	out := make([]T, 0, len(xs))
	for _, x := range xs {
		dup := false
		for _, y := range out {
			dup = dup || x == y
		}
		if !dup {
			out = append(out, x)
		}
	}
	return out
}
