package spec

import (
	"reflect"
	"strings"
	"testing"
)

// everyKind uses every layer kind of the spec language and every
// activation; TestEveryKind checks that it does.
const everyKind = `name: every kind
input: {height: 17, width: 15, channels: 6}
classes: 5
defaults: {bn: true, activation: hard-swish}
layers:
  - {type: conv, filters: 8, kernel: 3, stride: 2, groups: 2, activation: relu}
  - {type: depthwise, kernel: 3, multiplier: 2, activation: relu6}
  - {type: pointwise, filters: 12, activation: hard-sigmoid}
  - {type: separable, filters: 12, stride: 2}
  - type: repeat
    times: 2
    layers: [{type: pointwise, filters: 12, name: "p{i}", activation: none}]
  - {type: lrn, size: 3}
  - type: add
    activation: hard-swish
    branches:
      - {layers: [{type: pointwise, filters: 12}]}
      - {}
  - {type: bottleneck, filters: 12, expansion: 2, kernel: 5, se: true}
  - {type: se, reduction: 2, gate: hard-sigmoid}
  - {type: bottleneck, filters: 16, expanded: 20, residual: false, activation: relu, se_reduction: 3, se: true}
  - type: concat
    branches:
      - {layers: [{type: maxpool, kernel: 2, stride: 1, padding: [0, 1, 0, 1]}]}
      - {layers: [{type: avgpool, kernel: 3, stride: 1, padding: 1, count_pad: true}]}
  - {type: dropout, rate: 0.1}
  - {type: flatten}
  - {type: fc, units: classes, activation: hard-sigmoid}
  - {type: softmax}
`

// TestEveryKind: a spec with every layer kind and activation parses,
// resolves, and survives Format unchanged; each weighted op's parameter
// layout agrees with its node.
func TestEveryKind(t *testing.T) {
	n, err := Parse("every.yaml", []byte(everyKind))
	if err != nil {
		t.Fatal(err)
	}
	kinds, acts := map[Kind]bool{}, map[Activation]bool{}
	var walk func([]Layer)
	walk = func(ls []Layer) {
		for _, l := range ls {
			kinds[l.Kind()] = true
			switch p := l.Params.(type) {
			case *RepeatLayer:
				walk(p.Body)
			case *AddLayer:
				for _, b := range p.Branches {
					walk(b.Layers)
				}
			case *ConcatLayer:
				for _, b := range p.Branches {
					walk(b.Layers)
				}
			}
		}
	}
	walk(n.Layers)
	for _, k := range Kinds() {
		if !kinds[k] {
			t.Errorf("the test spec has no %s layer", k)
		}
	}
	g, err := Resolve(n, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, nd := range g.Nodes {
		switch op := nd.Op.(type) {
		case *Conv:
			acts[op.Act] = true
		case *Depthwise:
			acts[op.Act] = true
		case *FC:
			acts[op.Act] = true
		case *Add:
			acts[op.Act] = true
		}
		p := nd.Op.Params(&nd)
		if p.Rank > 0 && (p.Channels != nd.Out.C || p.Dims[p.OutAxis] != nd.Out.C || p.FanIn <= 0) {
			t.Errorf("%s: layout %+v for output %v", nd.Name, p, nd.Out)
		}
	}
	for _, a := range Activations() {
		if !acts[a] {
			t.Errorf("no node has activation %s", a)
		}
	}
	if a := g.Nodes[3].Op.(*Depthwise).Act; a != ActHardSwish {
		t.Errorf("the separable layer's halves take the default activation: %s", a)
	}
	back, err := Parse("formatted", Format(n))
	if err != nil {
		t.Fatalf("%v\n%s", err, Format(n))
	}
	g2, err := Resolve(back, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range g.Nodes {
		x, y := g.Nodes[i], g2.Nodes[i]
		x.Pos, y.Pos, x.Field, y.Field = Pos{}, Pos{}, "", ""
		if !reflect.DeepEqual(x, y) {
			t.Errorf("node %d differs after Format:\n%+v\n%+v", i, x, y)
		}
	}
}

// TestActivationErrors: an unknown activation names the valid ones, and
// common spellings of the new ones get a hint.
func TestActivationErrors(t *testing.T) {
	for in, want := range map[string]string{
		"hardswish": `did you mean "hard-swish"?`,
		"h_sigmoid": `did you mean "hard-sigmoid"?`,
		"linear":    `did you mean "none"?`,
		"relu66":    `did you mean "relu6"?`,
		"tanh":      "want one of none, relu, relu6, hard-swish, hard-sigmoid",
	} {
		_, err := Parse("a.yaml", []byte(header+"layers: [{type: conv, filters: 4, kernel: 1, activation: "+in+"}]\n"))
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "layers[0].activation") {
			t.Errorf("activation %s: %v, want %q", in, err, want)
		}
	}
}
