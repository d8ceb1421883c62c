package exec

import (
	"fmt"

	"mnet.dev/mnet/exec/internal/kernels"
	"mnet.dev/mnet/exec/internal/qref"
	"mnet.dev/mnet/internal/qmath"
	"mnet.dev/mnet/spec"
	"mnet.dev/mnet/tensor"
)

// compileSoftmaxInt8 compiles an int8 softmax over each pixel's channels
// (kernels.QSoftmax, TFLite's reference fixed-point softmax with beta 1).
func compileSoftmaxInt8(c *compiler, n *spec.Node) (op, error) {
	p, err := qsoftmaxOf(c.g, n)
	if err != nil {
		return nil, err
	}
	return &qsoftmaxOp{p: p, c: n.Out.C, in: c.qin(n.Inputs[0]), out: c.qout(n), pixels: c.batch * n.Out.H * n.Out.W}, nil
}

func qsoftmaxOf(g *spec.Graph, n *spec.Node) (qmath.SoftmaxParams, error) {
	if n.In.C != n.Out.C || typeOf(g, n.Inputs[0]).DType != n.Type.DType {
		return qmath.SoftmaxParams{}, fmt.Errorf("softmax input and output differ")
	}
	return qmath.PrepareSoftmax(qmathTensor(inputName(g, n.Inputs[0]), typeOf(g, n.Inputs[0])), qmathTensor("the output", n.Type), 1)
}

// qsoftmaxOp normalises each pixel's channels.
type qsoftmaxOp struct {
	p       qmath.SoftmaxParams
	c       int
	in, out []uint8
	pixels  int
}

func (o *qsoftmaxOp) items() int      { return o.pixels }
func (o *qsoftmaxOp) multAdds() int64 { return 0 }
func (o *qsoftmaxOp) Run(lo, hi, _ int) {
	kernels.QSoftmax(o.p, o.c, o.in[lo*o.c:hi*o.c], o.out[lo*o.c:hi*o.c])
}

// refSoftmaxInt8 is TFLite's reference softmax on one image, extended to
// the rows TFLite aborts on (qref.SoftmaxWide, SoftmaxWideInt8), as
// kernels.QSoftmax is.
func refSoftmaxInt8(g *spec.Graph, n *spec.Node, ins []qrefInput, _ *qlayer) ([]byte, error) {
	p, err := qsoftmaxOf(g, n)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(ins[0].b))
	if n.Type.DType == tensor.Int8 {
		return out, qref.SoftmaxWideInt8(p, n.Out.C, asInt8(ins[0].b), asInt8(out))
	}
	return out, qref.SoftmaxWide(p, n.Out.C, ins[0].b, out)
}
