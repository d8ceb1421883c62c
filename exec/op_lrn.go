package exec

import (
	"math"

	"mnet.dev/mnet/exec/internal/kernels"
	"mnet.dev/mnet/spec"
)

// lrnImpl compiles local response normalisation, split over pixels.
var lrnImpl = opImpl{compile: compileLRN, reference: refLRN}

func compileLRN(c *compiler, n *spec.Node) (op, error) {
	l := n.Op.(*spec.LRN)
	return &lrnOp{p: kernels.LRNParams{Size: l.Size, Alpha: float32(l.Alpha), Beta: float32(l.Beta), K: float32(l.K)},
		c: n.Out.C, in: c.in(n.Inputs[0]), out: c.out(n), pixels: c.batch * n.Out.H * n.Out.W}, nil
}

// lrnOp normalises across channels, split over pixels of all images.
type lrnOp struct {
	p       kernels.LRNParams
	c       int
	in, out []float32
	pixels  int // batch * H * W
}

func (o *lrnOp) items() int      { return o.pixels }
func (o *lrnOp) multAdds() int64 { return 0 }
func (o *lrnOp) Run(lo, hi, _ int) {
	kernels.LRN(o.p, o.c, o.in, o.c, o.out, o.c, lo, hi)
}

func refLRN(n *spec.Node, ins []refInput, _ *refWeights) ([]float64, error) {
	l := n.Op.(*spec.LRN)
	in := ins[0].v
	C := n.In.C
	out := make([]float64, len(in))
	half := l.Size / 2
	for p := 0; p < len(in)/C; p++ {
		for c := range C {
			var ss float64
			for j := max(c-half, 0); j <= min(c+half, C-1); j++ {
				v := in[p*C+j]
				ss += v * v
			}
			out[p*C+c] = in[p*C+c] / math.Pow(l.K+l.Alpha/float64(l.Size)*ss, l.Beta)
		}
	}
	return out, nil
}
