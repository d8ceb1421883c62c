package exec

import (
	"fmt"

	"mnet.dev/mnet/exec/internal/kernels"
	"mnet.dev/mnet/exec/internal/qref"
	"mnet.dev/mnet/internal/qmath"
	"mnet.dev/mnet/spec"
)

// compileAvgPoolInt8 compiles int8 max and average pooling, windowed or
// global (a window over the whole input), split over output rows of all
// images. Pooling keeps its input's quantization, which TFLite requires of
// average pooling (and mnet of max pooling, which TFLite also only clamps).
func compilePoolInt8(c *compiler, n *spec.Node) (op, error) {
	p := n.Op.(*spec.Pool)
	if p.CountPad && !p.Max {
		return nil, fmt.Errorf("int8 average pooling counting the padding: TFLite's integer pooling has no such mode")
	}
	pr, err := c.qpool(n)
	if err != nil {
		return nil, err
	}
	return &qpoolOp{shape: c.poolShape(n), max: p.Max, signed: pr.in.signed, lo: pr.lo, hi: pr.hi, batch: c.batch,
		in: c.qin(n.Inputs[0]), out: c.qout(n), inImg: c.elemsOf(n.Inputs[0]), outImg: c.elems[n.Index],
		inStride: c.strideOf(n.Inputs[0]), outStride: c.stride[n.Index]}, nil
}

// poolShape is a pooling node's window over its input.
func (c *compiler) poolShape(n *spec.Node) kernels.PoolShape {
	p := n.Op.(*spec.Pool)
	return kernels.PoolShape{InH: n.In.H, InW: n.In.W, C: n.In.C, KH: p.KH, KW: p.KW, SH: p.SH, SW: p.SW,
		PadTop: p.Pad.Top, PadLeft: p.Pad.Left, OutH: n.Out.H, OutW: n.Out.W, PadBottom: p.Pad.Bottom, PadRight: p.Pad.Right}
}

// qpoolParams are an int8 pooling's quantization: its input's, and the clamp
// (u8 domain).
type qpoolParams struct {
	in     qdomain
	lo, hi int32
}

// qpool checks an int8 pooling node's quantization (qmath.PreparePool) and
// returns it.
func (c *compiler) qpool(n *spec.Node) (qpoolParams, error) { return qpoolOf(c.g, n) }

func qpoolOf(g *spec.Graph, n *spec.Node) (qpoolParams, error) {
	in := typeOf(g, n.Inputs[0])
	d, err := qdomainOf(in)
	if err != nil {
		return qpoolParams{}, fmt.Errorf("%s: %w", inputName(g, n.Inputs[0]), err)
	}
	a := qmath.ActNone
	lo, hi, err := qmath.PreparePool(qmathTensor(inputName(g, n.Inputs[0]), in), qmathTensor("the output", n.Type), a)
	if err != nil {
		return qpoolParams{}, err
	}
	return qpoolParams{in: d, lo: lo + d.offset(), hi: hi + d.offset()}, nil
}

// qpoolOp is int8 max or average pooling.
type qpoolOp struct {
	shape               kernels.PoolShape
	max, signed         bool
	lo, hi              int32
	batch               int
	in, out             []uint8
	inImg, outImg       int
	inStride, outStride int
}

func (o *qpoolOp) items() int      { return o.batch * o.shape.OutH }
func (o *qpoolOp) multAdds() int64 { return 0 }

func (o *qpoolOp) Run(lo, hi, _ int) {
	s := &o.shape
	for lo < hi {
		img, y0 := lo/s.OutH, lo%s.OutH
		y1 := min(s.OutH, y0+hi-lo)
		in, out := o.in[img*o.inImg:(img+1)*o.inImg], o.out[img*o.outImg:(img+1)*o.outImg]
		if o.max {
			kernels.QMaxPool(s, in, o.inStride, o.lo, o.hi, out, o.outStride, y0, y1)
		} else {
			kernels.QAvgPool(s, o.signed, in, o.inStride, o.lo, o.hi, out, o.outStride, y0, y1)
		}
		lo += y1 - y0
	}
}

// refPoolInt8 is TFLite's reference pooling (qref.AveragePool,
// AveragePoolInt8, MaxPool) on one image.
func refPoolInt8(g *spec.Graph, n *spec.Node, ins []qrefInput, _ *qlayer) ([]byte, error) {
	p := n.Op.(*spec.Pool)
	pr, err := qpoolOf(g, n)
	if err != nil {
		return nil, err
	}
	off := pr.in.offset()
	pp := qref.PoolParams{StrideW: p.SW, StrideH: p.SH, FilterW: p.KW, FilterH: p.KH, PadW: p.Pad.Left, PadH: p.Pad.Top,
		ActMin: pr.lo - off, ActMax: pr.hi - off}
	inS := qref.Shape{1, n.In.H, n.In.W, n.In.C}
	outS := qref.Shape{1, n.Out.H, n.Out.W, n.Out.C}
	out := make([]byte, outS.Elems())
	switch {
	case p.Max && pr.in.signed:
		return out, qref.MaxPool(pp, inS, asInt8(ins[0].b), outS, asInt8(out))
	case p.Max:
		return out, qref.MaxPool(pp, inS, ins[0].b, outS, out)
	case pr.in.signed:
		return out, qref.AveragePoolInt8(pp, inS, asInt8(ins[0].b), outS, asInt8(out))
	}
	return out, qref.AveragePool(pp, inS, ins[0].b, outS, out)
}
