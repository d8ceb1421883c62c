package exec

import (
	"fmt"
	"math"

	"mnet.dev/mnet/spec"
)

// Reference runs a graph for one image the slow, obvious way, in float64:
// direct loops for every layer (each op's own, beside its compiler), batch
// norm applied unfolded, quantized weights dequantized. It is the yardstick
// the compiled plans are tested against. input is H x W x C (NHWC); it
// returns the output tensor.
func Reference(g *spec.Graph, ws WeightSource, input []float32) ([]float64, error) {
	if len(input) != int(g.Input.Elems()) {
		return nil, fmt.Errorf("input has %d values, want %d", len(input), g.Input.Elems())
	}
	x := make([]float64, len(input))
	for i, v := range input {
		x[i] = float64(v)
	}
	outs := make([][]float64, len(g.Nodes))
	for i := range g.Nodes {
		n := &g.Nodes[i]
		impl, err := implOf(n)
		if err != nil {
			return nil, fmt.Errorf("reference: layer %q: %w", n.Name, err)
		}
		ins := make([]refInput, len(n.Inputs))
		for k, j := range n.Inputs {
			ins[k].shape = g.InputShape(j)
			if j == spec.GraphInput {
				ins[k].v = x
			} else {
				ins[k].v = outs[j]
			}
		}
		var w *refWeights
		if p := n.Op.Params(n); p.Rank > 0 {
			if w, err = referenceWeights(n, ws); err != nil {
				return nil, err
			}
		}
		if outs[i], err = impl.reference(n, ins, w); err != nil {
			return nil, fmt.Errorf("reference: layer %q: %w", n.Name, err)
		}
	}
	return outs[len(outs)-1], nil
}

// refInput is one input of a node in the reference: its values and shape.
type refInput struct {
	v     []float64
	shape spec.Shape
}

// refWeights are a node's parameters for the reference: the kernel's real
// values, the bias and the unfolded batch norm.
type refWeights struct {
	kernel []float32
	bias   []float32
	bn     *spec.BatchNorm
}

func referenceWeights(n *spec.Node, ws WeightSource) (*refWeights, error) {
	lw, err := ws.Layer(n)
	if err != nil {
		return nil, err
	}
	if err := lw.Check(n); err != nil {
		return nil, err
	}
	k, b, err := realValues(n, lw)
	if err != nil {
		return nil, err
	}
	return &refWeights{kernel: k, bias: b, bn: lw.BN}, nil
}

// epilogue adds the bias, applies batch norm, then the activation, to an
// output whose channels are the fastest axis.
func (w *refWeights) epilogue(out []float64, a spec.Activation) error {
	c := len(out)
	if w.bias != nil {
		c = len(w.bias)
	} else if w.bn != nil {
		c = len(w.bn.Gamma)
	}
	for i := range out {
		ch := i % c
		v := out[i]
		if w.bias != nil {
			v += float64(w.bias[ch])
		}
		if bn := w.bn; bn != nil {
			v = float64(bn.Gamma[ch])*(v-float64(bn.Mean[ch]))/math.Sqrt(float64(bn.Var[ch])+float64(bn.Eps)) + float64(bn.Beta[ch])
		}
		out[i] = v
	}
	return refAct(a, out)
}

// refAct applies an activation's float64 definition in place.
func refAct(a spec.Activation, v []float64) error {
	e, err := epilogueOf(a)
	if err != nil {
		return err
	}
	for i, x := range v {
		v[i] = e.ref(x)
	}
	return nil
}
