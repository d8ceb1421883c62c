package exec

import (
	"math"

	"mnet.dev/mnet/exec/internal/kernels"
	"mnet.dev/mnet/spec"
)

// poolImpl compiles max and average pooling, windowed or global.
var poolImpl = opImpl{compile: compilePool, reference: refPool}

func compilePool(c *compiler, n *spec.Node) (op, error) {
	p := n.Op.(*spec.Pool)
	return &poolOp{ks: c.ks, ws: c.ws,
		shape: kernels.PoolShape{InH: n.In.H, InW: n.In.W, C: n.In.C, KH: p.KH, KW: p.KW, SH: p.SH, SW: p.SW,
			PadTop: p.Pad.Top, PadLeft: p.Pad.Left, OutH: n.Out.H, OutW: n.Out.W, PadBottom: p.Pad.Bottom, PadRight: p.Pad.Right},
		max: p.Max, global: p.Global, countPad: p.CountPad, batch: c.batch,
		in: c.in(n.Inputs[0]), out: c.out(n), inImg: int(n.In.Elems()), outImg: int(n.Out.Elems())}, nil
}

// poolOp is max or average pooling (global when the window is the input).
type poolOp struct {
	ks       *kernels.Set
	ws       []kernels.Workspace // per thread
	shape    kernels.PoolShape
	max      bool
	global   bool
	countPad bool
	batch    int
	in, out  []float32
	inImg    int
	outImg   int
}

func (o *poolOp) items() int {
	if o.global {
		return o.batch
	}
	return o.batch * o.shape.OutH
}

func (o *poolOp) multAdds() int64 { return 0 }

func (o *poolOp) Run(lo, hi, tid int) {
	s := &o.shape
	ws := &o.ws[tid]
	if o.global {
		for img := lo; img < hi; img++ {
			in, out := o.in[img*o.inImg:(img+1)*o.inImg], o.out[img*o.outImg:(img+1)*o.outImg]
			if o.max {
				kernels.GlobalMaxPool(o.ks, ws, in, s.InH, s.InW, s.C, s.C, out)
			} else {
				kernels.GlobalAvgPool(o.ks, ws, in, s.InH, s.InW, s.C, s.C, out)
			}
		}
		return
	}
	for lo < hi {
		img, y0 := lo/s.OutH, lo%s.OutH
		y1 := min(s.OutH, y0+hi-lo)
		in, out := o.in[img*o.inImg:(img+1)*o.inImg], o.out[img*o.outImg:(img+1)*o.outImg]
		if o.max {
			kernels.MaxPool(o.ks, ws, s, in, s.C, out, s.C, y0, y1)
		} else {
			kernels.AvgPool(o.ks, ws, s, o.countPad, in, s.C, out, s.C, y0, y1)
		}
		lo += y1 - y0
	}
}

func refPool(n *spec.Node, ins []refInput, _ *refWeights) ([]float64, error) {
	p := n.Op.(*spec.Pool)
	in := ins[0].v
	H, W, C := n.In.H, n.In.W, n.In.C
	out := make([]float64, n.Out.Elems())
	for oy := range n.Out.H {
		for ox := range n.Out.W {
			for c := range C {
				best, sum, cnt := math.Inf(-1), 0.0, 0
				y0, x0 := oy*p.SH-p.Pad.Top, ox*p.SW-p.Pad.Left
				if p.Global {
					y0, x0 = 0, 0
				}
				for ky := range p.KH {
					for kx := range p.KW {
						iy, ix := y0+ky, x0+kx
						if iy < 0 || iy >= H || ix < 0 || ix >= W {
							continue
						}
						v := in[(iy*W+ix)*C+c]
						best = math.Max(best, v)
						sum += v
						cnt++
					}
				}
				if !p.Max && p.CountPad && !p.Global {
					// Caffe: the window clipped to the padded input.
					hEnd := min(y0+p.KH, H+p.Pad.Bottom)
					wEnd := min(x0+p.KW, W+p.Pad.Right)
					cnt = (hEnd - y0) * (wEnd - x0)
				}
				if p.Max {
					out[(oy*n.Out.W+ox)*C+c] = best
				} else {
					out[(oy*n.Out.W+ox)*C+c] = sum / float64(cnt)
				}
			}
		}
	}
	return out, nil
}
