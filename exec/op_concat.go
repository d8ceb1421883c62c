package exec

import "mnet.dev/mnet/spec"

// concatImpl compiles channel concatenation to copies, split over pixels.
var concatImpl = opImpl{compile: compileConcat, reference: refConcat}

func compileConcat(c *compiler, n *spec.Node) (op, error) {
	o := &concatOp{out: c.out(n), c: n.Out.C, pixels: c.batch * n.Out.H * n.Out.W}
	for _, in := range n.Inputs {
		o.ins = append(o.ins, c.in(in))
		o.cs = append(o.cs, c.g.InputShape(in).C)
	}
	return o, nil
}

// concatOp copies its inputs side by side along channels.
type concatOp struct {
	ins    [][]float32
	cs     []int // channels of each input
	out    []float32
	c      int // output channels
	pixels int
}

func (o *concatOp) items() int      { return o.pixels }
func (o *concatOp) multAdds() int64 { return 0 }
func (o *concatOp) Run(lo, hi, _ int) {
	for p := lo; p < hi; p++ {
		dst := o.out[p*o.c : (p+1)*o.c]
		off := 0
		for i, in := range o.ins {
			c := o.cs[i]
			copy(dst[off:off+c], in[p*c:(p+1)*c])
			off += c
		}
	}
}

func refConcat(n *spec.Node, ins []refInput, _ *refWeights) ([]float64, error) {
	out := make([]float64, n.Out.Elems())
	pixels := n.Out.H * n.Out.W
	off := 0
	for _, in := range ins {
		c := in.shape.C
		for p := range pixels {
			copy(out[p*n.Out.C+off:p*n.Out.C+off+c], in.v[p*c:(p+1)*c])
		}
		off += c
	}
	return out, nil
}
