package exec

import "mnet.dev/mnet/spec"

// addImpl compiles elementwise sums (residual joins) with their
// activation, split over pixels.
var addImpl = opImpl{compile: compileAdd, reference: refAdd}

func compileAdd(c *compiler, n *spec.Node) (op, error) {
	e, err := epilogueOf(n.Op.(*spec.Add).Act)
	if err != nil {
		return nil, err
	}
	o := &addOp{out: c.out(n), c: n.Out.C, pixels: c.batch * n.Out.H * n.Out.W, act: e.apply}
	for _, in := range n.Inputs {
		o.ins = append(o.ins, c.in(in))
	}
	return o, nil
}

// addOp sums its inputs elementwise, then applies the activation.
type addOp struct {
	ins    [][]float32
	out    []float32
	c      int
	pixels int
	act    func([]float32)
}

func (o *addOp) items() int      { return o.pixels }
func (o *addOp) multAdds() int64 { return 0 }
func (o *addOp) Run(lo, hi, _ int) {
	dst := o.out[lo*o.c : hi*o.c]
	copy(dst, o.ins[0][lo*o.c:hi*o.c])
	for _, in := range o.ins[1:] {
		src := in[lo*o.c : hi*o.c]
		for i := range dst {
			dst[i] += src[i]
		}
	}
	o.act(dst)
}

func refAdd(n *spec.Node, ins []refInput, _ *refWeights) ([]float64, error) {
	out := make([]float64, n.Out.Elems())
	for _, in := range ins {
		for k, v := range in.v {
			out[k] += v
		}
	}
	return out, refAct(n.Op.(*spec.Add).Act, out)
}
