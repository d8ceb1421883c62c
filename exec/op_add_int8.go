package exec

import (
	"fmt"

	"mnet.dev/mnet/exec/internal/kernels"
	"mnet.dev/mnet/exec/internal/qref"
	"mnet.dev/mnet/internal/qmath"
	"mnet.dev/mnet/spec"
	"mnet.dev/mnet/tensor"
)

// compileAddInt8 compiles an int8 sum of two tensors (TFLite's ADD: each
// input rescaled to a common scale, summed, requantized), split over pixels.
func compileAddInt8(c *compiler, n *spec.Node) (op, error) {
	p, err := qaddOf(c.g, n)
	if err != nil {
		return nil, err
	}
	// The kernels run in the u8 domain: offsets and clamp move with it.
	if n.Type.DType == tensor.Int8 {
		p.Input1Offset -= 128
		p.Input2Offset -= 128
		p.OutputOffset += 128
		p.ActMin += 128
		p.ActMax += 128
	}
	for _, in := range n.Inputs {
		if c.strideOf(in) != n.Out.C {
			return nil, fmt.Errorf("int8 add of a padded tensor")
		}
	}
	return &qaddOp{p: p, a: c.qin(n.Inputs[0]), b: c.qin(n.Inputs[1]), out: c.qout(n), c: n.Out.C,
		pixels: c.batch * n.Out.H * n.Out.W}, nil
}

func qaddOf(g *spec.Graph, n *spec.Node) (qmath.AddParams, error) {
	if len(n.Inputs) != 2 {
		return qmath.AddParams{}, fmt.Errorf("int8 add of %d inputs: TFLite's ADD takes two", len(n.Inputs))
	}
	a, err := clampAct(n, n.Op.(*spec.Add).Act)
	if err != nil {
		return qmath.AddParams{}, err
	}
	return qmath.PrepareAdd(qmathTensor(inputName(g, n.Inputs[0]), typeOf(g, n.Inputs[0])),
		qmathTensor(inputName(g, n.Inputs[1]), typeOf(g, n.Inputs[1])), qmathTensor("the output", n.Type), a)
}

// qaddOp adds two int8 tensors elementwise.
type qaddOp struct {
	p         qmath.AddParams
	a, b, out []uint8
	c         int
	pixels    int
}

func (o *qaddOp) items() int      { return o.pixels }
func (o *qaddOp) multAdds() int64 { return 0 }
func (o *qaddOp) Run(lo, hi, _ int) {
	kernels.QAdd(&o.p, o.a[lo*o.c:hi*o.c], o.b[lo*o.c:hi*o.c], o.out[lo*o.c:hi*o.c])
}

// refAddInt8 is TFLite's reference ADD (qref.Add, AddInt8) on one image.
func refAddInt8(g *spec.Graph, n *spec.Node, ins []qrefInput, _ *qlayer) ([]byte, error) {
	p, err := qaddOf(g, n)
	if err != nil {
		return nil, err
	}
	out := make([]byte, n.Out.Elems())
	if n.Type.DType == tensor.Int8 {
		return out, qref.AddInt8(p, asInt8(ins[0].b), asInt8(ins[1].b), asInt8(out))
	}
	return out, qref.Add(p, ins[0].b, ins[1].b, out)
}
