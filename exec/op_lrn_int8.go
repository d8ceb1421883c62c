package exec

import (
	"fmt"
	"math"

	"mnet.dev/mnet/exec/internal/kernels"
	"mnet.dev/mnet/spec"
)

// compileLRNInt8 compiles local response normalisation between int8
// tensors. TFLite has no integer LRN, so mnet computes it in float32: each
// pixel's input dequantized, normalised by the float kernel, and quantized
// to the output (round half away from zero, clamp). A network with LRN
// (AlexNet, GoogLeNet) times the int8 rest of it with this step in float.
func compileLRNInt8(c *compiler, n *spec.Node) (op, error) {
	l := n.Op.(*spec.LRN)
	in, err := qdomainOf(typeOf(c.g, n.Inputs[0]))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", inputName(c.g, n.Inputs[0]), err)
	}
	out, err := qdomainOf(n.Type)
	if err != nil {
		return nil, fmt.Errorf("its output: %w", err)
	}
	return newQLRN(l, in, out, c.qin(n.Inputs[0]), c.qout(n), n.Out.C, c.batch*n.Out.H*n.Out.W, c.threads), nil
}

func newQLRN(l *spec.LRN, inQ, outQ qdomain, in, out []uint8, c, pixels, threads int) *qlrnOp {
	o := &qlrnOp{p: kernels.LRNParams{Size: l.Size, Alpha: float32(l.Alpha), Beta: float32(l.Beta), K: float32(l.K)},
		in: in, out: out, c: c, pixels: pixels, inQ: inQ, outQ: outQ}
	o.scratch = make([][]float32, threads)
	for t := range o.scratch {
		o.scratch[t] = make([]float32, 2*qlrnPixels*c)
	}
	return o
}

// qlrnPixels is how many pixels qlrnOp converts at a time.
const qlrnPixels = 16

// qlrnOp is LRN in float32 between int8 tensors.
type qlrnOp struct {
	p         kernels.LRNParams
	in, out   []uint8
	c, pixels int
	inQ, outQ qdomain
	scratch   [][]float32 // per thread
}

func (o *qlrnOp) items() int      { return o.pixels }
func (o *qlrnOp) multAdds() int64 { return 0 }
func (o *qlrnOp) Run(lo, hi, tid int) {
	for p0 := lo; p0 < hi; p0 += qlrnPixels {
		p1 := min(hi, p0+qlrnPixels)
		m := (p1 - p0) * o.c
		x, y := o.scratch[tid][:m], o.scratch[tid][m:2*m]
		for i, q := range o.in[p0*o.c : p1*o.c] {
			x[i] = float32(int32(q)-o.inQ.zero) * o.inQ.scale
		}
		kernels.LRN(o.p, o.c, x, o.c, y, o.c, 0, p1-p0)
		inv := 1 / o.outQ.scale
		for i, v := range y {
			q := int32(math.Round(float64(v*inv))) + o.outQ.zero
			o.out[p0*o.c+i] = uint8(min(max(q, 0), 255))
		}
	}
}

// refLRNInt8 is the same float32 step on one image: LRN has no integer
// definition to check it against.
func refLRNInt8(g *spec.Graph, n *spec.Node, ins []qrefInput, _ *qlayer) ([]byte, error) {
	in, err := qdomainOf(typeOf(g, n.Inputs[0]))
	if err != nil {
		return nil, err
	}
	outQ, err := qdomainOf(n.Type)
	if err != nil {
		return nil, err
	}
	out := make([]byte, n.Out.Elems())
	u8in := append([]byte(nil), ins[0].b...)
	if in.signed {
		flip(u8in)
	}
	o := newQLRN(n.Op.(*spec.LRN), in, outQ, u8in, out, n.Out.C, n.Out.H*n.Out.W, 1)
	o.Run(0, o.items(), 0)
	if outQ.signed {
		flip(out)
	}
	return out, nil
}
