package exec

import (
	"math"

	"mnet.dev/mnet/exec/internal/kernels"
	"mnet.dev/mnet/spec"
)

// softmaxImpl compiles the softmax over each pixel's channels.
var softmaxImpl = opImpl{compile: compileSoftmax, reference: refSoftmax}

func compileSoftmax(c *compiler, n *spec.Node) (op, error) {
	return &softmaxOp{c: n.Out.C, in: c.in(n.Inputs[0]), out: c.out(n), pixels: c.batch * n.Out.H * n.Out.W}, nil
}

// softmaxOp normalises each pixel's channels.
type softmaxOp struct {
	c       int
	in, out []float32
	pixels  int
}

func (o *softmaxOp) items() int      { return o.pixels }
func (o *softmaxOp) multAdds() int64 { return 0 }
func (o *softmaxOp) Run(lo, hi, _ int) {
	for p := lo; p < hi; p++ {
		kernels.Softmax(o.in[p*o.c:(p+1)*o.c], o.out[p*o.c:(p+1)*o.c])
	}
}

func refSoftmax(n *spec.Node, ins []refInput, _ *refWeights) ([]float64, error) {
	in := ins[0].v
	C := n.In.C
	out := make([]float64, len(in))
	for p := 0; p < len(in)/C; p++ {
		m := math.Inf(-1)
		for _, v := range in[p*C : (p+1)*C] {
			m = math.Max(m, v)
		}
		var s float64
		for c := range C {
			out[p*C+c] = math.Exp(in[p*C+c] - m)
			s += out[p*C+c]
		}
		for c := range C {
			out[p*C+c] /= s
		}
	}
	return out, nil
}
