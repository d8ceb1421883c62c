package exec

import (
	"mnet.dev/mnet/exec/internal/qref"
	"mnet.dev/mnet/spec"
)

// compileFCInt8 compiles an int8 fully connected layer to one int8 GEMM
// with a row per image.
func compileFCInt8(c *compiler, n *spec.Node) (op, error) {
	f := n.Op.(*spec.FC)
	l, err := c.quantLayer(n, f.Act)
	if err != nil {
		return nil, err
	}
	in := int(n.In.Elems())
	g, err := c.packQGroups(l, 1, in)
	if err != nil {
		return nil, err
	}
	o := &qgemmOp{ks: c.ks, ws: c.ws, m: c.batch, in: c.qin(n.Inputs[0]), out: c.qout(n),
		lda: in, ldc: n.Out.C, cin: in, cout: n.Out.C, g: g}
	c.qgemmSplit(o)
	return o, c.checkBudget()
}

// refFCInt8 is TFLite's reference fully connected layer (qref.FullyConnected
// for uint8, qref.FullyConnectedPerChannel for int8) on one image.
func refFCInt8(_ *spec.Graph, n *spec.Node, ins []qrefInput, l *qlayer) ([]byte, error) {
	p := qref.FullyConnectedParams{InputOffset: l.q.InputOffset, WeightsOffset: l.q.WeightsOffset, OutputOffset: l.q.OutputOffset,
		OutputMultiplier: l.q.Multiplier.M, OutputShift: l.q.Multiplier.Shift, ActMin: l.q.ActMin, ActMax: l.q.ActMax}
	depth := int(n.In.Elems())
	out := make([]byte, n.Out.C)
	if l.out.signed {
		return out, qref.FullyConnectedPerChannel(p, l.mult, l.shift, 1, depth, n.Out.C, asInt8(ins[0].b), l.kernel.Int8(), l.bias, asInt8(out))
	}
	return out, qref.FullyConnected(p, 1, depth, n.Out.C, ins[0].b, l.kernel.Uint8(), l.bias, out)
}
