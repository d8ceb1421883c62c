package exec

import (
	"mnet.dev/mnet/exec/internal/kernels"
	"mnet.dev/mnet/exec/internal/qref"
	"mnet.dev/mnet/spec"
)

// compileDepthwiseInt8 compiles an int8 depthwise convolution to the int8
// depthwise kernels (kernels.QDepthwise), split over output rows of all
// images.
func compileDepthwiseInt8(c *compiler, n *spec.Node) (op, error) {
	d := n.Op.(*spec.Depthwise)
	l, err := c.quantLayer(n, d.Act)
	if err != nil {
		return nil, err
	}
	s := kernels.DWShape{InH: n.In.H, InW: n.In.W, C: n.In.C, Mult: d.Mult, KH: d.KH, KW: d.KW, SH: d.SH, SW: d.SW,
		PadTop: d.Pad.Top, PadLeft: d.Pad.Left, OutH: n.Out.H, OutW: n.Out.W}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	lo, hi := l.clamp()
	out, err := kernels.NewQOut(n.Out.C, l.mult, l.shift, l.out.zero, lo, hi)
	if err != nil {
		return nil, err
	}
	bias := l.bias
	if bias == nil {
		bias = make([]int32, n.Out.C) // the vector kernels add one
	}
	w := kernels.PackQDW(s, l.weightsCentered())
	c.used += int64(len(bias)+s.KH*s.KW*n.Out.C*3) * 4
	return &qdwOp{ks: c.ks, ws: c.ws, shape: s, batch: c.batch, in: c.qin(n.Inputs[0]), out: c.qout(n),
		inImg: c.elemsOf(n.Inputs[0]), outImg: c.elems[n.Index], inStride: c.strideOf(n.Inputs[0]),
		outStride: c.stride[n.Index], zIn: l.in.zero, w: w, bias: bias, q: out}, c.checkBudget()
}

// qdwOp is an int8 depthwise convolution, split over output rows of all
// images.
type qdwOp struct {
	ks                  *kernels.Set
	ws                  []kernels.Workspace // per thread
	shape               kernels.DWShape
	batch               int
	in, out             []uint8
	inImg, outImg       int
	inStride, outStride int
	zIn                 int32
	w                   *kernels.PackedQDW
	bias                []int32
	q                   *kernels.QOut
}

func (o *qdwOp) items() int { return o.batch * o.shape.OutH }

func (o *qdwOp) multAdds() int64 {
	s := &o.shape
	return int64(o.batch) * int64(s.OutH*s.OutW) * int64(s.KH*s.KW) * int64(s.C*s.Mult)
}

func (o *qdwOp) Run(lo, hi, tid int) {
	oh := o.shape.OutH
	for lo < hi {
		img, y0 := lo/oh, lo%oh
		y1 := min(oh, y0+hi-lo)
		kernels.QDepthwise(o.ks, &o.ws[tid], &o.shape, o.in[img*o.inImg:(img+1)*o.inImg], o.inStride, o.zIn, o.w, o.bias, o.q,
			o.out[img*o.outImg:(img+1)*o.outImg], o.outStride, y0, y1)
		lo += y1 - y0
	}
}

// refDepthwiseInt8 is TFLite's reference depthwise convolution
// (qref.DepthwiseConv for uint8, qref.DepthwiseConvPerChannel for int8) on
// one image.
func refDepthwiseInt8(_ *spec.Graph, n *spec.Node, ins []qrefInput, l *qlayer) ([]byte, error) {
	d := n.Op.(*spec.Depthwise)
	p := qref.DepthwiseParams{DepthMultiplier: d.Mult, ConvParams: qref.ConvParams{StrideW: d.SW, StrideH: d.SH,
		DilationW: 1, DilationH: 1, PadW: d.Pad.Left, PadH: d.Pad.Top,
		InputOffset: l.q.InputOffset, WeightsOffset: l.q.WeightsOffset, OutputOffset: l.q.OutputOffset,
		OutputMultiplier: l.q.Multiplier.M, OutputShift: l.q.Multiplier.Shift, ActMin: l.q.ActMin, ActMax: l.q.ActMax}}
	inS := qref.Shape{1, n.In.H, n.In.W, n.In.C}
	fS := qref.Shape{1, d.KH, d.KW, n.Out.C}
	outS := qref.Shape{1, n.Out.H, n.Out.W, n.Out.C}
	out := make([]byte, outS.Elems())
	if l.out.signed {
		return out, qref.DepthwiseConvPerChannel(p, l.mult, l.shift, inS, asInt8(ins[0].b), fS, l.kernel.Int8(), l.bias, outS, asInt8(out))
	}
	return out, qref.DepthwiseConv(p, inS, ins[0].b, fS, l.kernel.Uint8(), l.bias, outS, out)
}
