package exec

import (
	"mnet.dev/mnet/exec/internal/kernels"
	"mnet.dev/mnet/exec/internal/qref"
	"mnet.dev/mnet/spec"
)

// compileConvInt8 compiles an int8 convolution: a 1x1 stride-1 unpadded one
// is the int8 GEMM on the NHWC input (qgemmOp), any other im2col in tiles of
// output pixels (padding taps set to the input's zero point, which adds
// (zIn - zIn) * w = 0, as TFLite's skipped taps do) and the int8 GEMM
// (qconvOp).
func compileConvInt8(c *compiler, n *spec.Node) (op, error) {
	cv := n.Op.(*spec.Conv)
	l, err := c.quantLayer(n, cv.Act)
	if err != nil {
		return nil, err
	}
	cin := n.In.C / cv.Groups
	cout := n.Out.C / cv.Groups
	if cv.KH == 1 && cv.KW == 1 && cv.SH == 1 && cv.SW == 1 && cv.Pad == (spec.Pad{}) {
		g, err := c.packQGroups(l, cv.Groups, cin)
		if err != nil {
			return nil, err
		}
		o := &qgemmOp{ks: c.ks, ws: c.ws, m: c.batch * n.Out.H * n.Out.W, in: c.qin(n.Inputs[0]), out: c.qout(n),
			lda: c.strideOf(n.Inputs[0]), ldc: c.stride[n.Index], cin: cin, cout: cout, g: g}
		c.qgemmSplit(o)
		return o, c.checkBudget()
	}
	s := kernels.ConvShape{InH: n.In.H, InW: n.In.W, C: n.In.C, KH: cv.KH, KW: cv.KW, SH: cv.SH, SW: cv.SW,
		PadTop: cv.Pad.Top, PadLeft: cv.Pad.Left, OutH: n.Out.H, OutW: n.Out.W, Groups: cv.Groups}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	k := cv.KH * cv.KW * cin
	g, err := c.packQGroups(l, cv.Groups, k)
	if err != nil {
		return nil, err
	}
	ld := g.b[0].KPadded()
	rb := c.ks.QRowBlock()
	pixels := n.Out.H * n.Out.W
	tile := min(max(qimTileBytes/ld/rb*rb, rb), pixels)
	o := &qconvOp{ks: c.ks, ws: c.ws, shape: s, batch: c.batch, in: c.qin(n.Inputs[0]), out: c.qout(n),
		inImg: c.elemsOf(n.Inputs[0]), outImg: c.elems[n.Index], inStride: c.strideOf(n.Inputs[0]),
		outStride: c.stride[n.Index], k: k, ld: ld, cout: cout, g: g, pad: uint8(l.in.zero),
		tile: tile, tilesImg: (pixels + tile - 1) / tile}
	o.scratch = make([][]uint8, c.threads)
	o.rc = make([][]int32, c.threads)
	for t := range o.scratch {
		o.scratch[t] = make([]uint8, tile*ld)
		o.rc[t] = make([]int32, tile)
	}
	c.used += int64(c.threads*tile) * int64(ld+4)
	return o, c.checkBudget()
}

// qimTileBytes bounds one thread's int8 im2col scratch: a tile of output
// pixels times the padded row, 32 KiB, in L1/L2 when the GEMM reads it.
const qimTileBytes = 1 << 15

// qconvOp is an int8 convolution through im2col tiles, split over tiles of
// all images.
type qconvOp struct {
	ks                  *kernels.Set
	ws                  []kernels.Workspace // per thread
	shape               kernels.ConvShape
	batch               int
	in, out             []uint8
	inImg, outImg       int // bytes per image
	inStride, outStride int
	k, ld               int // im2col row: K bytes, ld with the padding to whole k quads
	cout                int // per group
	g                   qgemmGroups
	pad                 uint8 // the input's zero point
	tile, tilesImg      int
	scratch             [][]uint8 // per thread, tile*ld
	rc                  [][]int32 // per thread, tile
}

func (o *qconvOp) items() int { return o.batch * o.tilesImg }

func (o *qconvOp) multAdds() int64 {
	return int64(o.batch) * int64(o.shape.OutH*o.shape.OutW) * int64(o.k) * int64(o.cout) * int64(len(o.g.b))
}

func (o *qconvOp) Run(lo, hi, tid int) {
	s := &o.shape
	pixels := s.OutH * s.OutW
	scratch := o.scratch[tid]
	for it := lo; it < hi; it++ {
		img, t := it/o.tilesImg, it%o.tilesImg
		r0, r1 := t*o.tile, min((t+1)*o.tile, pixels)
		in := o.in[img*o.inImg : (img+1)*o.inImg]
		out := o.out[img*o.outImg : (img+1)*o.outImg]
		for g, b := range o.g.b {
			kernels.QIm2col(s, g, in, o.inStride, o.pad, scratch, o.ld, r0, r1)
			var rc []int32
			if o.g.rowFactor != 0 {
				rc = o.rc[tid][:r1-r0]
				kernels.QRowSums(o.ks, &o.ws[tid], r1-r0, scratch, o.ld, o.k, o.g.rowFactor, rc)
			}
			kernels.QGemm(o.ks, &o.ws[tid], r1-r0, scratch, o.ld, b, 0, o.cout, o.g.bias[g], rc, o.g.out[g],
				out[r0*o.outStride+g*o.cout:], o.outStride)
		}
	}
}

// refConvInt8 is TFLite's reference convolution (qref.Conv for uint8,
// qref.ConvPerChannel for int8) on one image.
func refConvInt8(_ *spec.Graph, n *spec.Node, ins []qrefInput, l *qlayer) ([]byte, error) {
	cv := n.Op.(*spec.Conv)
	p := qref.ConvParams{StrideW: cv.SW, StrideH: cv.SH, DilationW: 1, DilationH: 1, PadW: cv.Pad.Left, PadH: cv.Pad.Top,
		InputOffset: l.q.InputOffset, WeightsOffset: l.q.WeightsOffset, OutputOffset: l.q.OutputOffset,
		OutputMultiplier: l.q.Multiplier.M, OutputShift: l.q.Multiplier.Shift, ActMin: l.q.ActMin, ActMax: l.q.ActMax}
	inS := qref.Shape{1, n.In.H, n.In.W, n.In.C}
	fS := qref.Shape{n.Out.C, cv.KH, cv.KW, n.In.C / cv.Groups}
	outS := qref.Shape{1, n.Out.H, n.Out.W, n.Out.C}
	out := make([]byte, outS.Elems())
	if l.out.signed {
		return out, qref.ConvPerChannel(p, l.mult, l.shift, inS, asInt8(ins[0].b), fS, l.kernel.Int8(), l.bias, outS, asInt8(out))
	}
	return out, qref.Conv(p, inS, ins[0].b, fS, l.kernel.Uint8(), l.bias, outS, out)
}
