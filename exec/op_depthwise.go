package exec

import (
	"mnet.dev/mnet/exec/internal/kernels"
	"mnet.dev/mnet/spec"
)

// depthwiseImpl compiles depthwise convolutions to the channel-vectorised
// depthwise kernel, split over output rows of all images.
var depthwiseImpl = opImpl{compile: compileDepthwise, reference: refDepthwise}

func compileDepthwise(c *compiler, n *spec.Node) (op, error) {
	d := n.Op.(*spec.Depthwise)
	k, b, err := c.weights(n)
	if err != nil {
		return nil, err
	}
	a, err := act(d.Act)
	if err != nil {
		return nil, err
	}
	s := kernels.DWShape{InH: n.In.H, InW: n.In.W, C: n.In.C, Mult: d.Mult, KH: d.KH, KW: d.KW, SH: d.SH, SW: d.SW,
		PadTop: d.Pad.Top, PadLeft: d.Pad.Left, OutH: n.Out.H, OutW: n.Out.W}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &dwOp{ks: c.ks, ws: c.ws, shape: s, batch: c.batch, in: c.in(n.Inputs[0]), out: c.out(n),
		inImg: c.elemsOf(n.Inputs[0]), outImg: c.elems[n.Index], inStride: c.strideOf(n.Inputs[0]),
		outStride: c.stride[n.Index], w: kernels.PackDW(c.ks, s, k), bias: b, act: a}, nil
}

// dwOp is a depthwise convolution, split over output rows of all images.
type dwOp struct {
	ks                  *kernels.Set
	ws                  []kernels.Workspace // per thread
	shape               kernels.DWShape
	batch               int
	in, out             []float32
	inImg               int
	outImg              int
	inStride, outStride int
	w                   *kernels.PackedDW
	bias                []float32
	act                 kernels.Act
}

func (o *dwOp) items() int { return o.batch * o.shape.OutH }

func (o *dwOp) multAdds() int64 {
	s := &o.shape
	return int64(o.batch) * int64(s.OutH*s.OutW) * int64(s.KH*s.KW) * int64(s.C*s.Mult)
}

func (o *dwOp) Run(lo, hi, tid int) {
	oh := o.shape.OutH
	for lo < hi {
		img, y0 := lo/oh, lo%oh
		y1 := min(oh, y0+hi-lo)
		kernels.Depthwise(o.ks, &o.ws[tid], &o.shape, o.in[img*o.inImg:(img+1)*o.inImg], o.inStride, o.w, o.bias, o.act,
			o.out[img*o.outImg:(img+1)*o.outImg], o.outStride, y0, y1)
		lo += y1 - y0
	}
}

func refDepthwise(n *spec.Node, ins []refInput, w *refWeights) ([]float64, error) {
	d := n.Op.(*spec.Depthwise)
	in := ins[0].v
	H, W, C := n.In.H, n.In.W, n.In.C
	out := make([]float64, n.Out.Elems())
	for oy := range n.Out.H {
		for ox := range n.Out.W {
			for co := range n.Out.C {
				ci := co / d.Mult
				var s float64
				for ky := range d.KH {
					iy := oy*d.SH + ky - d.Pad.Top
					if iy < 0 || iy >= H {
						continue
					}
					for kx := range d.KW {
						ix := ox*d.SW + kx - d.Pad.Left
						if ix < 0 || ix >= W {
							continue
						}
						s += in[(iy*W+ix)*C+ci] * float64(w.kernel[(ky*d.KW+kx)*n.Out.C+co])
					}
				}
				out[(oy*n.Out.W+ox)*n.Out.C+co] = s
			}
		}
	}
	return out, w.epilogue(out, d.Act)
}
