package exec

import (
	"mnet.dev/mnet/exec/internal/kernels"
	"mnet.dev/mnet/spec"
)

// convImpl compiles standard convolutions: a 1x1 stride-1 unpadded one is
// a plain GEMM on the NHWC input (gemmOp), any other an implicit GEMM or
// im2col + GEMM (convOp).
var convImpl = opImpl{compile: compileConv, reference: refConv,
	compileInt8: compileConvInt8, referenceInt8: refConvInt8}

func compileConv(c *compiler, n *spec.Node) (op, error) {
	cv := n.Op.(*spec.Conv)
	k, b, err := c.weights(n)
	if err != nil {
		return nil, err
	}
	a, err := act(cv.Act)
	if err != nil {
		return nil, err
	}
	if cv.KH == 1 && cv.KW == 1 && cv.SH == 1 && cv.SW == 1 && cv.Pad == (spec.Pad{}) {
		cin := n.In.C / cv.Groups
		o := &gemmOp{ks: c.ks, ws: c.ws, m: c.batch * n.Out.H * n.Out.W, in: c.in(n.Inputs[0]), out: c.out(n),
			lda: c.strideOf(n.Inputs[0]), ldc: c.stride[n.Index], cin: cin, cout: n.Out.C / cv.Groups,
			b: c.packGroups(k, cv.Groups, cin, n.Out.C), bias: b, act: a}
		if f, ok := c.fused[n.Index]; ok {
			add := &c.g.Nodes[f.add]
			if o.act, err = act(add.Op.(*spec.Add).Act); err != nil {
				return nil, err
			}
			o.out, o.ldc = c.out(add), c.stride[f.add]
			o.res, o.ldr = c.in(f.res), c.strideOf(f.res)
		}
		c.gemmSplit(o)
		return o, nil
	}
	kk := cv.KH * cv.KW * (n.In.C / cv.Groups)
	s := kernels.ConvShape{InH: n.In.H, InW: n.In.W, C: n.In.C, KH: cv.KH, KW: cv.KW, SH: cv.SH, SW: cv.SW,
		PadTop: cv.Pad.Top, PadLeft: cv.Pad.Left, OutH: n.Out.H, OutW: n.Out.W, Groups: cv.Groups}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	rb := c.ks.RowBlock()
	pixels := n.Out.H * n.Out.W
	tile := max(imTileValues/kk/rb*rb, 4*rb)
	tile = min(tile, pixels)
	o := &convOp{ks: c.ks, ws: c.ws, shape: s, batch: c.batch, in: c.in(n.Inputs[0]), out: c.out(n),
		inImg: c.elemsOf(n.Inputs[0]), outImg: c.elems[n.Index], k: kk, cout: n.Out.C / cv.Groups,
		b: c.packGroups(k, cv.Groups, kk, n.Out.C), bias: b, act: a, tile: tile,
		tilesImg: (pixels + tile - 1) / tile, inStride: c.strideOf(n.Inputs[0]), outStride: c.stride[n.Index]}
	o.direct = convDirect(c.ks, &s, o.inStride)
	o.scratch = make([][]float32, c.threads)
	for t := range o.scratch {
		o.scratch[t] = make([]float32, tile*kk)
	}
	c.used += int64(c.threads*tile*kk) * 4
	return o, nil
}

// imTileValues bounds one thread's im2col scratch (in float32 values): a
// tile of output pixels times the row length, about 64 KiB, so the tile the
// GEMM reads is still in L1/L2 when it runs.
const imTileValues = 1 << 14

func refConv(n *spec.Node, ins []refInput, w *refWeights) ([]float64, error) {
	cv := n.Op.(*spec.Conv)
	in := ins[0].v
	H, W, C := n.In.H, n.In.W, n.In.C
	cin := C / cv.Groups
	cout := n.Out.C / cv.Groups
	out := make([]float64, n.Out.Elems())
	for oy := range n.Out.H {
		for ox := range n.Out.W {
			for co := range n.Out.C {
				g := co / cout
				var s float64
				for ky := range cv.KH {
					iy := oy*cv.SH + ky - cv.Pad.Top
					if iy < 0 || iy >= H {
						continue
					}
					for kx := range cv.KW {
						ix := ox*cv.SW + kx - cv.Pad.Left
						if ix < 0 || ix >= W {
							continue
						}
						for ci := range cin {
							s += in[(iy*W+ix)*C+g*cin+ci] * float64(w.kernel[((co*cv.KH+ky)*cv.KW+kx)*cin+ci])
						}
					}
				}
				out[(oy*n.Out.W+ox)*n.Out.C+co] = s
			}
		}
	}
	return out, w.epilogue(out, cv.Act)
}
