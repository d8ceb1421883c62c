package exec

import "mnet.dev/mnet/spec"

// scaleImpl compiles the channel multiply that ends a squeeze-and-excite
// block: out = x · gate, the gate 1x1xC per image, split over image rows.
var scaleImpl = opImpl{compile: compileScale, reference: refScale}

func compileScale(c *compiler, n *spec.Node) (op, error) {
	return &scaleOp{x: c.in(n.Inputs[0]), gate: c.in(n.Inputs[1]), out: c.out(n),
		h: n.Out.H, w: n.Out.W, c: n.Out.C, batch: c.batch,
		xImg: c.elemsOf(n.Inputs[0]), xStride: c.strideOf(n.Inputs[0]),
		gImg: c.elemsOf(n.Inputs[1]), oImg: c.elems[n.Index], oStride: c.stride[n.Index]}, nil
}

// scaleOp multiplies every pixel of x by its image's gate, channel by
// channel. Plain Go: it moves H·W·C values once (under 1% of MobileNetV3's
// time, see the package's benchmarks), so it has no kernel of its own.
type scaleOp struct {
	x, gate, out   []float32
	h, w, c, batch int
	xImg, xStride  int
	gImg           int
	oImg, oStride  int
}

func (o *scaleOp) items() int      { return o.batch * o.h }
func (o *scaleOp) multAdds() int64 { return 0 }

func (o *scaleOp) Run(lo, hi, _ int) {
	for row := lo; row < hi; row++ {
		img, y := row/o.h, row%o.h
		g := o.gate[img*o.gImg : img*o.gImg+o.c]
		for x := range o.w {
			p := y*o.w + x
			src := o.x[img*o.xImg+p*o.xStride : img*o.xImg+p*o.xStride+o.c]
			dst := o.out[img*o.oImg+p*o.oStride : img*o.oImg+p*o.oStride+o.c]
			scaleChannels(dst, src, g)
		}
	}
}

// scaleChannels is dst[i] = src[i] * g[i], four at a time.
func scaleChannels(dst, src, g []float32) {
	n := len(g)
	dst, src = dst[:n], src[:n]
	i := 0
	for ; i+4 <= n; i += 4 {
		d, s, k := dst[i:i+4:i+4], src[i:i+4:i+4], g[i:i+4:i+4]
		d[0], d[1], d[2], d[3] = s[0]*k[0], s[1]*k[1], s[2]*k[2], s[3]*k[3]
	}
	for ; i < n; i++ {
		dst[i] = src[i] * g[i]
	}
}

func refScale(n *spec.Node, ins []refInput, _ *refWeights) ([]float64, error) {
	x, g := ins[0].v, ins[1].v
	c := n.Out.C
	out := make([]float64, n.Out.Elems())
	for i := range out {
		out[i] = x[i] * g[i%c]
	}
	return out, nil
}
