package exec

import "mnet.dev/mnet/spec"

// residual is a residual add fused into the linear projection before it:
// the projection's GEMM adds the other input in its epilogue
// (kernels.GemmResidual) and writes the add's output, and the add itself
// compiles to nothing. One pass over the output instead of three (write
// the projection, read it and the residual, write the sum).
type residual struct {
	add int // the add node, whose output the projection writes
	res int // the add's other input (a node index or spec.GraphInput)
}

// residuals finds the fusable pairs, keyed by the projection's index: a
// 1x1 stride-1 unpadded ungrouped linear convolution (a plain GEMM) whose
// only reader is a two-input float32 add, the add's other input computed
// before the projection runs. MobileNetV2's and V3's inverted residuals
// end this way.
func (c *compiler) residuals() map[int]residual {
	g := c.g
	out := map[int]residual{}
	if c.precision() == spec.PrecisionInt8 {
		return out // TFLite's ADD requantizes both inputs: no GEMM epilogue computes it
	}
	cons := g.Consumers()
	for i := range g.Nodes {
		n := &g.Nodes[i]
		cv, ok := n.Op.(*spec.Conv)
		if !ok || cv.KH != 1 || cv.KW != 1 || cv.SH != 1 || cv.SW != 1 || cv.Pad != (spec.Pad{}) || cv.Groups != 1 || cv.Act != spec.ActNone {
			continue
		}
		if len(cons[i]) != 1 || i == len(g.Nodes)-1 {
			continue
		}
		j := cons[i][0]
		a := &g.Nodes[j]
		if _, ok := a.Op.(*spec.Add); !ok || len(a.Inputs) != 2 || a.Inputs[0] == a.Inputs[1] || a.Out != n.Out {
			continue
		}
		if _, err := epilogueOf(a.Op.(*spec.Add).Act); err != nil {
			continue
		}
		other := a.Inputs[0]
		if other == i {
			other = a.Inputs[1]
		}
		if other != spec.GraphInput && other >= i {
			continue
		}
		if g.InputShape(other) != n.Out {
			continue
		}
		out[i] = residual{add: j, res: other}
	}
	return out
}

// fusedInto reports whether node i is an add a projection computes.
func (c *compiler) fusedInto(i int) bool {
	for _, f := range c.fused {
		if f.add == i {
			return true
		}
	}
	return false
}
