package analyze

import (
	"fmt"
	"sort"

	"mnet.dev/mnet/spec"
)

// Layer is the cost of one node of the graph.
type Layer struct {
	Index      int
	Name       string
	Op         spec.OpKind
	Type       string // Table 2 class (spec.Op.Class)
	Block      string
	In, Out    spec.Shape
	MultAdds   int64
	Weights    int64
	Biases     int64
	BNChannels int64
	// OutputBytes is the size of the layer's output activation (0 for
	// layers that pass their input on).
	OutputBytes int64
	// WeightBytes is weights plus one bias per channel (own or folded BN).
	WeightBytes int64
	// Intensity is mult-adds per byte moved (input, weights, output).
	Intensity float64
}

// Params returns the layer's parameters under the four conventions:
// weights only, + biases, trainable (+ 2 per BN channel), Keras (+ 4).
func (l *Layer) Params() (weights, withBias, trainable, keras int64) {
	wb := l.Weights + l.Biases
	return l.Weights, wb, wb + 2*l.BNChannels, wb + 4*l.BNChannels
}

// Totals sums a report over all layers.
type Totals struct {
	MultAdds             int64
	Params               int64 // weights only (the paper's convention)
	ParamsWithBias       int64
	ParamsTrainable      int64
	ParamsKeras          int64
	WeightBytes          int64
	PeakActivationBytes  int64
	PeakActivationLayer  int // index of the layer at which the peak occurs
	ActivationBytesTotal int64
}

// TypeCost is one row of the per-type summary (the paper's Table 2).
type TypeCost struct {
	Type          string
	Layers        int
	MultAdds      int64
	Params        int64 // weights only
	MultAddsShare float64
	ParamsShare   float64
}

// Report is the analysis of one network configuration.
type Report struct {
	Graph  *spec.Graph
	Layers []Layer
	Totals Totals
	ByType []TypeCost // costly types first, by mult-adds, then parameters
}

// Spec resolves a parsed network with the given options and analyzes it.
func Spec(n *spec.Network, o spec.Options) (*Report, error) {
	g, err := spec.Resolve(n, o)
	if err != nil {
		return nil, err
	}
	return Analyze(g)
}

// Analyze computes the costs of a resolved graph. It refuses a network
// over MaxMultAdds before computing anything else.
func Analyze(g *spec.Graph) (*Report, error) {
	r := &Report{Graph: g, Layers: make([]Layer, len(g.Nodes))}
	t := &r.Totals
	costs := make([]spec.Cost, len(g.Nodes))
	for i := range g.Nodes {
		costs[i] = spec.CostOf(&g.Nodes[i])
		m := costs[i].MultAdds
		if m > MaxMultAdds || t.MultAdds+m > MaxMultAdds {
			return nil, &spec.Error{File: g.File, Pos: g.Nodes[i].Pos, Field: g.Nodes[i].Field,
				Msg: fmt.Sprintf("the network is absurdly large: more than 10^15 mult-adds by layer %q", g.Nodes[i].Name)}
		}
		t.MultAdds += m
	}
	for i := range g.Nodes {
		n := &g.Nodes[i]
		l := &r.Layers[i]
		c := costs[i]
		*l = Layer{Index: i, Name: n.Name, Op: n.Op.Kind(), Type: n.Op.Class(), Block: n.Block, In: n.In, Out: n.Out,
			MultAdds: c.MultAdds, Weights: c.Weights, Biases: c.Biases, BNChannels: c.BNChannels}
		out := n.Out.Elems() * int64(n.Type.DType.Size())
		if !n.Op.PassThrough() {
			l.OutputBytes = out
		}
		l.WeightBytes = weightBytes(n, c)
		moved := inputBytes(g, n) + out + l.WeightBytes
		if moved > 0 {
			l.Intensity = float64(l.MultAdds) / float64(moved)
		}
		w, wb, tr, k := l.Params()
		t.Params += w
		t.ParamsWithBias += wb
		t.ParamsTrainable += tr
		t.ParamsKeras += k
		t.WeightBytes += l.WeightBytes
		t.ActivationBytesTotal += l.OutputBytes
	}
	t.PeakActivationBytes, t.PeakActivationLayer = peakActivation(g)
	r.ByType = byType(r.Layers, t)
	return r, nil
}

// inputBytes is the size of a node's inputs.
func inputBytes(g *spec.Graph, n *spec.Node) int64 {
	var b int64
	for _, in := range n.Inputs {
		if in == spec.GraphInput {
			b += g.Input.Elems() * int64(g.InputType.DType.Size())
		} else {
			b += g.Nodes[in].Out.Elems() * int64(g.Nodes[in].Type.DType.Size())
		}
	}
	return b
}

func byType(layers []Layer, t *Totals) []TypeCost {
	idx := map[string]int{}
	var out []TypeCost
	for _, l := range layers {
		if l.MultAdds == 0 && l.Weights == 0 {
			continue
		}
		i, ok := idx[l.Type]
		if !ok {
			i = len(out)
			idx[l.Type] = i
			out = append(out, TypeCost{Type: l.Type})
		}
		out[i].Layers++
		out[i].MultAdds += l.MultAdds
		out[i].Params += l.Weights
	}
	for i := range out {
		if t.MultAdds > 0 {
			out[i].MultAddsShare = float64(out[i].MultAdds) / float64(t.MultAdds)
		}
		if t.Params > 0 {
			out[i].ParamsShare = float64(out[i].Params) / float64(t.Params)
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].MultAdds != out[b].MultAdds {
			return out[a].MultAdds > out[b].MultAdds
		}
		return out[a].Params > out[b].Params
	})
	return out
}
