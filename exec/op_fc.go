package exec

import "mnet.dev/mnet/spec"

// fcImpl compiles fully connected layers to one GEMM with a row per image.
var fcImpl = opImpl{compile: compileFC, reference: refFC}

func compileFC(c *compiler, n *spec.Node) (op, error) {
	f := n.Op.(*spec.FC)
	k, b, err := c.weights(n)
	if err != nil {
		return nil, err
	}
	a, err := act(f.Act)
	if err != nil {
		return nil, err
	}
	in := int(n.In.Elems())
	o := &gemmOp{ks: c.ks, ws: c.ws, m: c.batch, in: c.in(n.Inputs[0]), out: c.out(n),
		lda: in, ldc: n.Out.C, cin: in, cout: n.Out.C,
		b: c.packGroups(k, 1, in, n.Out.C), bias: b, act: a}
	c.gemmSplit(o)
	return o, nil
}

func refFC(n *spec.Node, ins []refInput, w *refWeights) ([]float64, error) {
	in := ins[0].v
	out := make([]float64, n.Out.C)
	for o := range out {
		var s float64
		for i, v := range in {
			s += v * float64(w.kernel[o*len(in)+i])
		}
		out[o] = s
	}
	return out, w.epilogue(out, n.Op.(*spec.FC).Act)
}
