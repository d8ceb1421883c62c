package analyze

import "mnet.dev/mnet/spec"

// Liveness gives, for each tensor, the execution step that creates it and
// the last step that reads it. Tensor k < len(Nodes) is node k's output;
// tensor len(Nodes) is the graph input, created at step -1. A pass-through
// node (dropout, flatten) creates no tensor: its readers read its source,
// and Source maps such a node to the tensor it passes on.
type Liveness struct {
	Source   []int // tensor that node i's output really is
	Born     []int // step that writes tensor k
	LastRead []int // last step reading tensor k (Born when never read)
	Bytes    []int64
}

// Live computes the tensors' lifetimes in execution order.
func Live(g *spec.Graph) *Liveness {
	n := len(g.Nodes)
	lv := &Liveness{Source: make([]int, n), Born: make([]int, n+1), LastRead: make([]int, n+1), Bytes: make([]int64, n+1)}
	src := func(in int) int {
		if in == spec.GraphInput {
			return n
		}
		return lv.Source[in]
	}
	lv.Born[n], lv.LastRead[n], lv.Bytes[n] = -1, -1, g.Input.Elems()*int64(g.InputType.DType.Size())
	for i := range g.Nodes {
		nd := &g.Nodes[i]
		if nd.Op.PassThrough() {
			lv.Source[i] = src(nd.Inputs[0])
		} else {
			lv.Source[i] = i
			lv.Born[i], lv.LastRead[i], lv.Bytes[i] = i, i, nd.Out.Elems()*int64(nd.Type.DType.Size())
		}
		for _, in := range nd.Inputs {
			s := src(in)
			lv.LastRead[s] = max(lv.LastRead[s], i)
		}
	}
	// The network's output is read after the last step.
	out := lv.Source[n-1]
	lv.LastRead[out] = n
	return lv
}

// peakActivation is the largest sum of tensors alive during one step (its
// inputs, its output and everything waiting to be read later), and the step.
func peakActivation(g *spec.Graph) (int64, int) {
	lv := Live(g)
	// Sweep: a tensor counts at steps Born..LastRead inclusive.
	delta := make([]int64, len(g.Nodes)+2)
	for k, b := range lv.Bytes {
		if b == 0 {
			continue
		}
		from := max(lv.Born[k], 0)
		to := min(lv.LastRead[k], len(g.Nodes)-1)
		if to < from {
			continue
		}
		delta[from] += b
		delta[to+1] -= b
	}
	var cur, peak int64
	at := 0
	for i := range g.Nodes {
		cur += delta[i]
		if cur > peak {
			peak, at = cur, i
		}
	}
	return peak, at
}
