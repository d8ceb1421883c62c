package exec

import (
	"errors"
	"math"
	"strings"
	"testing"

	"mnet.dev/mnet/spec"
	"mnet.dev/mnet/tensor"
)

// everyKindSrc uses every layer kind of the spec language and every
// activation, fused into convolutions, depthwise and fully connected
// layers, and applied by an add.
const everyKindSrc = `input: {height: 17, width: 15, channels: 6}
classes: 5
defaults: {bn: true, activation: hard-swish}
layers:
  - {type: conv, filters: 8, kernel: 3, stride: 2, groups: 2, activation: relu}
  - {type: depthwise, kernel: 3, multiplier: 2, activation: hard-sigmoid}
  - {type: pointwise, filters: 12, activation: relu6}
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
  - type: add
    activation: hard-sigmoid
    branches:
      - {layers: [{type: conv, filters: 12, kernel: 3, padding: same}]}
      - {}
  - type: add
    activation: relu6
    branches:
      - {layers: [{type: pointwise, filters: 12, activation: none}]}
      - {}
  - {type: bottleneck, filters: 12, expansion: 3, kernel: 5, se: true}
  - {type: bottleneck, filters: 12, expansion: 1, activation: relu}
  - {type: se, reduction: 2}
  - {type: bottleneck, filters: 16, expanded: 20, stride: 2, activation: hard-swish, se: true}
  - type: concat
    branches:
      - {layers: [{type: maxpool, kernel: 2, stride: 1, padding: [0, 1, 0, 1]}]}
      - {layers: [{type: avgpool, kernel: 3, stride: 1, padding: 1, count_pad: true}]}
  - {type: dropout, rate: 0.1}
  - {type: flatten}
  - {type: fc, units: classes, activation: hard-swish}
  - {type: fc, units: classes, activation: hard-sigmoid}
  - {type: softmax}
`

// TestEveryKindMatchesReference: every layer kind (so every op kind and
// every entry of the registry) and every activation (hard-swish and
// hard-sigmoid fused in each kernel kind and in an add), on every kernel
// set, 1 and 2 threads, batch 2, against the float64 reference.
func TestEveryKindMatchesReference(t *testing.T) {
	r := parseReport(t, everyKindSrc)
	seen := map[spec.OpKind]bool{}
	for i := range r.Graph.Nodes {
		n := &r.Graph.Nodes[i]
		if _, err := implOf(n); err != nil {
			t.Fatal(err)
		}
		seen[n.Op.Kind()] = true
	}
	if len(seen) != len(opImpls) {
		t.Errorf("the network uses %d op kinds, exec implements %d", len(seen), len(opImpls))
	}
	ws := RandomWeights{Seed: 4}
	for _, ks := range testSets(t) {
		for _, threads := range []int{1, 2} {
			p, err := Compile(r, Options{kernelSet: ks, Threads: threads, Batch: 2, Weights: ws})
			if err != nil {
				t.Fatal(err)
			}
			t.Run(ks.String(), func(t *testing.T) { compareWithReference(t, p, ws, 1e-5) })
			p.Close()
		}
	}
}

// TestEpilogues: each activation's float32 form (what a layer applying it
// itself computes) agrees with its float64 definition, at the points where
// the pieces of hard-swish and hard-sigmoid meet and between them; NaN
// stays NaN.
func TestEpilogues(t *testing.T) {
	xs := []float64{-7, -3.5, -3, -2.9999, -1.5, -0.25, 0, 0.25, 1, 2.9999, 3, 3.0001, 5.5, 100}
	want := map[spec.Activation]func(float64) float64{
		spec.ActNone:        func(x float64) float64 { return x },
		spec.ActReLU:        func(x float64) float64 { return math.Max(x, 0) },
		spec.ActReLU6:       func(x float64) float64 { return math.Min(math.Max(x, 0), 6) },
		spec.ActHardSwish:   func(x float64) float64 { return x * math.Min(math.Max(x+3, 0), 6) / 6 },
		spec.ActHardSigmoid: func(x float64) float64 { return math.Min(math.Max(x+3, 0), 6) / 6 },
	}
	for _, a := range spec.Activations() {
		e, err := epilogueOf(a)
		if err != nil {
			t.Fatal(err)
		}
		v := make([]float32, len(xs)+1)
		for i, x := range xs {
			v[i] = float32(x)
		}
		v[len(xs)] = float32(math.NaN())
		e.apply(v)
		for i, x := range xs {
			w := want[a](float64(float32(x)))
			if r := e.ref(float64(float32(x))); r != w {
				t.Errorf("%s reference at %g: %g, want %g", a, x, r, w)
			}
			if math.Abs(float64(v[i])-w) > 1e-6*math.Max(1, math.Abs(w)) {
				t.Errorf("%s at %g: %g, want %g", a, x, v[i], w)
			}
		}
		if !math.IsNaN(float64(v[len(xs)])) && a != spec.ActReLU {
			t.Errorf("%s of NaN: %g", a, v[len(xs)])
		}
	}
	if _, err := epilogueOf("swish"); err == nil {
		t.Error("an unknown activation has an epilogue")
	}
}

// TestTypedTensors: the plan's input and output are float32 NHWC tensors
// of the batch; an integer tensor in a float graph is refused, and so is a
// weighted node without attached weights.
func TestTypedTensors(t *testing.T) {
	r := parseReport(t, "input: {height: 5, width: 4, channels: 3}\nlayers: [{type: conv, filters: 7, kernel: 3}]\n")
	p, err := Compile(r, Options{Batch: 2, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	in, out := p.Input(), p.Output()
	if in.Type.DType != tensor.Float32 || len(in.Float32()) != 2*5*4*3 || !equalInts(in.Shape, []int{2, 5, 4, 3}) {
		t.Errorf("input %v %v, %d values", in.Type, in.Shape, in.Len())
	}
	if out.Type.DType != tensor.Float32 || out.Len() != 2*5*4*7 || !equalInts(out.Shape, []int{2, 5, 4, 7}) || !out.Dense() {
		t.Errorf("output %v %v, %d values", out.Type, out.Shape, out.Len())
	}
	p.Close()

	if _, err := Compile(r, Options{Weights: Attached{}}); !errors.Is(err, ErrNoWeights) {
		t.Errorf("no attached weights: %v", err)
	}
	g := *r.Graph
	g.Nodes = append([]spec.Node(nil), g.Nodes...)
	g.Nodes[0].Type = tensor.Type{DType: tensor.Uint8, Quant: &tensor.Quant{Scale: []float32{0.1}, ZeroPoint: []int32{0}}}
	rr := *r
	rr.Graph = &g
	if _, err := Compile(&rr, Options{}); err == nil || !strings.Contains(err.Error(), "uint8 in a float32 graph") {
		t.Errorf("a uint8 layer: %v", err)
	}
}

// TestQuantizedWeights: a layer's uint8 weights and int32 bias (what
// quantized models store) are dequantized when the plan is built, and the
// result matches the reference on the same weights.
func TestQuantizedWeights(t *testing.T) {
	r := parseReport(t, "input: {height: 6, width: 6, channels: 4}\nlayers: [{type: conv, filters: 5, kernel: 3, activation: relu6}, {type: depthwise}]\n")
	ws := quantWeights{}
	for _, ks := range testSets(t) {
		p, err := Compile(r, Options{kernelSet: ks, Threads: 2, Weights: ws})
		if err != nil {
			t.Fatal(err)
		}
		t.Run(ks.String(), func(t *testing.T) { compareWithReference(t, p, ws, 1e-5) })
		p.Close()
	}
}

// quantWeights quantizes RandomWeights' kernels to uint8 (zero point 128)
// and biases to int32, per tensor for kernels of convolutions and per
// channel for depthwise ones.
type quantWeights struct{}

func (quantWeights) Layer(n *spec.Node) (*spec.Weights, error) {
	w, err := RandomWeights{Seed: 6}.Layer(n)
	if err != nil || w.Kernel == nil {
		return w, err
	}
	p := n.Op.Params(n)
	k := w.Kernel.Float32()
	q := &tensor.Quant{Scale: []float32{0.01}, ZeroPoint: []int32{128}}
	if n.Op.Kind() == spec.OpDepthwise {
		q = &tensor.Quant{Axis: p.OutAxis}
		for c := range p.Channels {
			q.Scale = append(q.Scale, 0.005*float32(c+1))
			q.ZeroPoint = append(q.ZeroPoint, int32(100+c))
		}
	}
	u := make([]uint8, len(k))
	inner := 1
	for _, d := range p.Dims[p.OutAxis+1 : p.Rank] {
		inner *= d
	}
	for i, v := range k {
		c := 0
		if q.PerChannel() {
			c = (i / inner) % len(q.Scale)
		}
		u[i] = uint8(max(0, min(255, math.Round(float64(v/q.Scale[c]))+float64(q.ZeroPoint[c]))))
	}
	out := &spec.Weights{Kernel: tensor.Uint8s(w.Kernel.Shape, u, q), BN: w.BN}
	if w.Bias != nil {
		b := make([]int32, w.Bias.Len())
		for i, v := range w.Bias.Float32() {
			b[i] = int32(math.Round(float64(v) / 1e-4))
		}
		out.Bias = tensor.Int32s(w.Bias.Shape, b, &tensor.Quant{Scale: []float32{1e-4}, ZeroPoint: []int32{0}})
	}
	return out, nil
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
