package exec

import (
	"fmt"

	"mnet.dev/mnet/exec/internal/kernels"
	"mnet.dev/mnet/spec"
)

// op compiles one node; it returns nil for pass-through layers.
func (c *compiler) op(n *spec.Node) (op, error) {
	switch n.Op {
	case spec.OpConv:
		if n.KH == 1 && n.KW == 1 && n.SH == 1 && n.SW == 1 && n.Pad == (spec.Pad{}) {
			return c.pointwise(n)
		}
		return c.conv(n)
	case spec.OpDepthwise:
		return c.depthwise(n)
	case spec.OpFC:
		return c.fc(n)
	case spec.OpMaxPool, spec.OpAvgPool:
		return c.pool(n), nil
	case spec.OpLRN:
		return &lrnOp{p: kernels.LRNParams{Size: n.LRNSize, Alpha: float32(n.LRNAlpha), Beta: float32(n.LRNBeta), K: float32(n.LRNK)},
			c: n.Out.C, in: c.in(n.Inputs[0]), out: c.view(n.Index), pixels: c.batch * n.Out.H * n.Out.W}, nil
	case spec.OpSoftmax:
		return &softmaxOp{c: n.Out.C, in: c.in(n.Inputs[0]), out: c.view(n.Index), pixels: c.batch * n.Out.H * n.Out.W}, nil
	case spec.OpConcat:
		o := &concatOp{out: c.view(n.Index), c: n.Out.C, pixels: c.batch * n.Out.H * n.Out.W}
		for _, in := range n.Inputs {
			o.ins = append(o.ins, c.in(in))
			o.cs = append(o.cs, c.shape(in).C)
		}
		return o, nil
	case spec.OpAdd:
		o := &addOp{out: c.view(n.Index), c: n.Out.C, pixels: c.batch * n.Out.H * n.Out.W, act: n.Act}
		for _, in := range n.Inputs {
			o.ins = append(o.ins, c.in(in))
		}
		return o, nil
	case spec.OpDropout, spec.OpFlatten:
		return nil, nil
	}
	return nil, fmt.Errorf("no kernel for %s", n.Op)
}

func (c *compiler) shape(i int) spec.Shape {
	if i == spec.GraphInput {
		return c.g.Input
	}
	return c.g.Nodes[i].Out
}

// packGroups packs a [Cout][K] kernel (K = KH*KW*Cin/groups, or the fc's
// inputs) into one K x Cout/groups matrix per group.
func (c *compiler) packGroups(kernel []float32, groups, k, coutTotal int) []*kernels.PackedB {
	cout := coutTotal / groups
	bs := make([]*kernels.PackedB, groups)
	tmp := make([]float32, k*cout)
	for g := range groups {
		for j := range cout {
			row := kernel[(g*cout+j)*k : (g*cout+j+1)*k]
			for i, v := range row {
				tmp[i*cout+j] = v
			}
		}
		bs[g] = kernels.PackBFrom(&c.slab, k, cout, tmp, cout)
	}
	return bs
}

// gemmSplit chooses how a GEMM layer is cut into chunks for the threads:
// by rows or by column panels. A chunk of rows multiplies them by all of B
// (K x N), a chunk of columns multiplies all of A (m x K) by its panels, so
// every chunk re-reads one whole operand: rows cost about chunks*|B|,
// columns chunks*|A|, and rows win when N <= m. Rows also need enough row
// blocks for every thread several times over, columns enough panels.
// Measured with 2 threads on MobileNet v1 1.0-224 (Zen 3, interleaved
// runs, per-layer medians): the 7x7 layers (49 x 1024, which rows used to
// take, re-reading 2-4 MiB of weights per chunk) 28-31% faster by columns,
// the 14x14 ones (196 x 512) 7-9%; 0.25-128's 8x8 ones 6%. The whole
// network: 10.4 -> 9.6 ms.
func (c *compiler) gemmSplit(o *gemmOp) {
	o.rowBlock = c.ks.RowBlock()
	o.panelWidth = o.b[0].PanelWidth()
	o.byRows = o.cout < 2*c.threads*o.panelWidth || (o.m >= 4*c.threads*o.rowBlock && o.cout <= o.m)
}

func (c *compiler) pointwise(n *spec.Node) (op, error) {
	k, b, err := c.weights(n)
	if err != nil {
		return nil, err
	}
	cin := n.In.C / n.Groups
	o := &gemmOp{ks: c.ks, ws: c.ws, m: c.batch * n.Out.H * n.Out.W, in: c.in(n.Inputs[0]), out: c.view(n.Index),
		lda: c.strideOf(n.Inputs[0]), ldc: c.stride[n.Index], cin: cin, cout: n.Out.C / n.Groups,
		b: c.packGroups(k, n.Groups, cin, n.Out.C), bias: b, act: act(n.Act)}
	c.gemmSplit(o)
	return o, nil
}

func (c *compiler) fc(n *spec.Node) (op, error) {
	k, b, err := c.weights(n)
	if err != nil {
		return nil, err
	}
	in := int(n.In.Elems())
	o := &gemmOp{ks: c.ks, ws: c.ws, m: c.batch, in: c.in(n.Inputs[0]), out: c.view(n.Index),
		lda: in, ldc: n.Out.C, cin: in, cout: n.Out.C,
		b: c.packGroups(k, 1, in, n.Out.C), bias: b, act: act(n.Act)}
	c.gemmSplit(o)
	return o, nil
}

// imTileValues bounds one thread's im2col scratch (in float32 values): a
// tile of output pixels times the row length, about 64 KiB, so the tile the
// GEMM reads is still in L1/L2 when it runs.
const imTileValues = 1 << 14

func (c *compiler) conv(n *spec.Node) (op, error) {
	k, b, err := c.weights(n)
	if err != nil {
		return nil, err
	}
	kk := n.KH * n.KW * (n.In.C / n.Groups)
	s := kernels.ConvShape{InH: n.In.H, InW: n.In.W, C: n.In.C, KH: n.KH, KW: n.KW, SH: n.SH, SW: n.SW,
		PadTop: n.Pad.Top, PadLeft: n.Pad.Left, OutH: n.Out.H, OutW: n.Out.W, Groups: n.Groups}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	rb := c.ks.RowBlock()
	pixels := n.Out.H * n.Out.W
	tile := max(imTileValues/kk/rb*rb, 4*rb)
	tile = min(tile, pixels)
	o := &convOp{ks: c.ks, ws: c.ws, shape: s, batch: c.batch, in: c.in(n.Inputs[0]), out: c.view(n.Index),
		inImg: c.elemsOf(n.Inputs[0]), outImg: c.elems[n.Index], k: kk, cout: n.Out.C / n.Groups,
		b: c.packGroups(k, n.Groups, kk, n.Out.C), bias: b, act: act(n.Act), tile: tile,
		tilesImg: (pixels + tile - 1) / tile, inStride: c.strideOf(n.Inputs[0]), outStride: c.stride[n.Index]}
	o.direct = convDirect(c.ks, &s, o.inStride)
	o.scratch = make([][]float32, c.threads)
	for t := range o.scratch {
		o.scratch[t] = make([]float32, tile*kk)
	}
	c.used += int64(c.threads*tile*kk) * 4
	return o, nil
}

func (c *compiler) depthwise(n *spec.Node) (op, error) {
	k, b, err := c.weights(n)
	if err != nil {
		return nil, err
	}
	s := kernels.DWShape{InH: n.In.H, InW: n.In.W, C: n.In.C, Mult: n.Mult, KH: n.KH, KW: n.KW, SH: n.SH, SW: n.SW,
		PadTop: n.Pad.Top, PadLeft: n.Pad.Left, OutH: n.Out.H, OutW: n.Out.W}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &dwOp{ks: c.ks, ws: c.ws, shape: s, batch: c.batch, in: c.in(n.Inputs[0]), out: c.view(n.Index),
		inImg: c.elemsOf(n.Inputs[0]), outImg: c.elems[n.Index], inStride: c.strideOf(n.Inputs[0]),
		outStride: c.stride[n.Index], w: kernels.PackDW(c.ks, s, k), bias: b, act: act(n.Act)}, nil
}

func (c *compiler) pool(n *spec.Node) op {
	return &poolOp{ks: c.ks, ws: c.ws,
		shape: kernels.PoolShape{InH: n.In.H, InW: n.In.W, C: n.In.C, KH: n.KH, KW: n.KW, SH: n.SH, SW: n.SW,
			PadTop: n.Pad.Top, PadLeft: n.Pad.Left, OutH: n.Out.H, OutW: n.Out.W, PadBottom: n.Pad.Bottom, PadRight: n.Pad.Right},
		max: n.Op == spec.OpMaxPool, global: n.Global, countPad: n.CountPad, batch: c.batch,
		in: c.in(n.Inputs[0]), out: c.view(n.Index), inImg: int(n.In.Elems()), outImg: int(n.Out.Elems())}
}
