package spec

import (
	"fmt"
	"strings"
)

// Kind names a layer type in the spec language (the value of `type:`).
type Kind string

// Layer is one entry of a spec's layer list, as written. What it holds
// beyond its name and place depends on its kind: Params is the kind's own
// type (*ConvLayer for conv, *PoolLayer for maxpool and avgpool, ...), each
// defined in the file of the op it resolves to.
type Layer struct {
	Name  string
	Pos   Pos    // position of the layer's mapping
	Field string // its path, e.g. "layers[3]"

	Params LayerParams

	// Weights are trained parameters an importer attached (nil: none).
	// Resolve passes them on to the node a weighted layer becomes, so they
	// reach it by reference, whatever the node ends up named.
	Weights *Weights
	// Quantized is what an imported quantized model declares of the
	// layer's output (nil: nothing); Resolve types the node by it under
	// PrecisionInt8.
	Quantized *Quantized
}

// Kind is the layer's type.
func (l *Layer) Kind() Kind { return l.Params.Kind() }

// LayerParams are the fields of one layer kind, as written (nil pointers
// mean "not set": defaults apply). Only this package implements it: a new
// layer kind is a new file here and an entry in layerKinds.
type LayerParams interface {
	Kind() Kind
	// decode reads the kind's keys from a checked mapping.
	decode(d *decoder, m *mapping, l *Layer, depth int) error
	// format writes the layer as spec YAML; head holds its "type: ..."
	// and "name: ..." pairs.
	format(b *strings.Builder, head []string, indent string)
	// resolve adds the layer's node(s) to the graph, fed by node in of
	// shape s, and returns the node and shape of its output.
	resolve(r *resolver, l *Layer, in int, s Shape, sc *scope, depth int, suffix string) (int, Shape, error)
}

// Branch is one parallel path of a concat or add block. An empty branch
// passes the block's input through unchanged.
type Branch struct {
	Name   string
	Pos    Pos
	Field  string
	Layers []Layer
}

// A layerKind is one `type:` of the spec language: the keys it accepts
// besides type and name, and its fields with their defaults.
type layerKind struct {
	kind Kind
	keys []string
	new  func() LayerParams
}

// layerKinds lists the spec language's layer kinds, in the order the
// documentation gives them; each is defined beside the op it resolves to.
var layerKinds = []layerKind{
	convKind, depthwiseKind, pointwiseKind, separableKind, maxPoolKind, avgPoolKind,
	fcKind, dropoutKind, flattenKind, lrnKind, softmaxKind, repeatKind, concatKind, addKind, bottleneckKind, seKind,
}

// Kinds lists every layer kind, in the order the documentation gives them.
func Kinds() []Kind {
	out := make([]Kind, len(layerKinds))
	for i, k := range layerKinds {
		out[i] = k.kind
	}
	return out
}

func lookupKind(k Kind) (layerKind, bool) {
	for _, lk := range layerKinds {
		if lk.kind == k {
			return lk, true
		}
	}
	return layerKind{}, false
}

// Count is a channel or unit count: a number, or the network's class count
// (written "classes"), which α never scales.
type Count struct {
	N       int
	Classes bool
}

func (c Count) String() string {
	if c.Classes {
		return "classes"
	}
	return fmt.Sprint(c.N)
}

// Fused is what a weighted layer applies to its sums, as written: a nil
// field takes the network's default, else the kind's fallback.
type Fused struct {
	Bias, BN   *bool
	Activation *Activation
}

// decodeFused reads bias, bn and activation.
func (d *decoder) decodeFused(m *mapping, f *Fused) error {
	var err error
	if f.Bias, err = d.boolPtr(m, "bias"); err != nil {
		return err
	}
	if f.BN, err = d.boolPtr(m, "bn"); err != nil {
		return err
	}
	f.Activation, err = d.activation(m, "activation")
	return err
}
