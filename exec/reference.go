package exec

import (
	"fmt"
	"math"

	"mnet.dev/mnet/spec"
)

// Reference runs a graph for one image the slow, obvious way, in float64:
// direct loops for every layer, batch norm applied unfolded. It is the
// yardstick the compiled plans are tested against. input is H x W x C
// (NHWC); it returns the output tensor.
func Reference(g *spec.Graph, ws WeightSource, input []float32) ([]float64, error) {
	if len(input) != int(g.Input.Elems()) {
		return nil, fmt.Errorf("input has %d values, want %d", len(input), g.Input.Elems())
	}
	x := make([]float64, len(input))
	for i, v := range input {
		x[i] = float64(v)
	}
	outs := make([][]float64, len(g.Nodes))
	get := func(i int) []float64 {
		if i == spec.GraphInput {
			return x
		}
		return outs[i]
	}
	for i := range g.Nodes {
		n := &g.Nodes[i]
		in := get(n.Inputs[0])
		var out []float64
		switch n.Op {
		case spec.OpConv, spec.OpDepthwise, spec.OpFC:
			lw, err := ws.Layer(n)
			if err != nil {
				return nil, err
			}
			if err := CheckWeights(n, lw); err != nil {
				return nil, err
			}
			switch n.Op {
			case spec.OpConv:
				out = refConv(n, in, lw.Kernel)
			case spec.OpDepthwise:
				out = refDepthwise(n, in, lw.Kernel)
			default:
				out = refFC(n, in, lw.Kernel)
			}
			refEpilogue(n, out, lw)
		case spec.OpMaxPool, spec.OpAvgPool:
			out = refPool(n, in)
		case spec.OpLRN:
			out = refLRN(n, in)
		case spec.OpSoftmax:
			out = refSoftmax(n, in)
		case spec.OpConcat:
			out = make([]float64, n.Out.Elems())
			pixels := n.Out.H * n.Out.W
			off := 0
			for _, j := range n.Inputs {
				src, c := get(j), 0
				if j == spec.GraphInput {
					c = g.Input.C
				} else {
					c = g.Nodes[j].Out.C
				}
				for p := range pixels {
					copy(out[p*n.Out.C+off:p*n.Out.C+off+c], src[p*c:(p+1)*c])
				}
				off += c
			}
		case spec.OpAdd:
			out = make([]float64, n.Out.Elems())
			for _, j := range n.Inputs {
				for k, v := range get(j) {
					out[k] += v
				}
			}
			refAct(n.Act, out)
		case spec.OpDropout, spec.OpFlatten:
			out = in
		default:
			return nil, fmt.Errorf("reference: no implementation of %s", n.Op)
		}
		outs[i] = out
	}
	return outs[len(outs)-1], nil
}

func refAct(a spec.Activation, v []float64) {
	for i, x := range v {
		switch a {
		case spec.ActReLU:
			v[i] = math.Max(x, 0)
		case spec.ActReLU6:
			v[i] = math.Min(math.Max(x, 0), 6)
		}
	}
}

// refEpilogue adds the bias, applies batch norm, then the activation.
func refEpilogue(n *spec.Node, out []float64, lw LayerWeights) {
	c := n.Out.C
	for i := range out {
		ch := i % c
		v := out[i]
		if lw.Bias != nil {
			v += float64(lw.Bias[ch])
		}
		if bn := lw.BN; bn != nil {
			v = float64(bn.Gamma[ch])*(v-float64(bn.Mean[ch]))/math.Sqrt(float64(bn.Var[ch])+float64(bn.Eps)) + float64(bn.Beta[ch])
		}
		out[i] = v
	}
	refAct(n.Act, out)
}

func refConv(n *spec.Node, in []float64, w []float32) []float64 {
	H, W, C := n.In.H, n.In.W, n.In.C
	cin := C / n.Groups
	cout := n.Out.C / n.Groups
	out := make([]float64, n.Out.Elems())
	for oy := range n.Out.H {
		for ox := range n.Out.W {
			for co := range n.Out.C {
				g := co / cout
				var s float64
				for ky := range n.KH {
					iy := oy*n.SH + ky - n.Pad.Top
					if iy < 0 || iy >= H {
						continue
					}
					for kx := range n.KW {
						ix := ox*n.SW + kx - n.Pad.Left
						if ix < 0 || ix >= W {
							continue
						}
						for ci := range cin {
							s += in[(iy*W+ix)*C+g*cin+ci] * float64(w[((co*n.KH+ky)*n.KW+kx)*cin+ci])
						}
					}
				}
				out[(oy*n.Out.W+ox)*n.Out.C+co] = s
			}
		}
	}
	return out
}

func refDepthwise(n *spec.Node, in []float64, w []float32) []float64 {
	H, W, C := n.In.H, n.In.W, n.In.C
	out := make([]float64, n.Out.Elems())
	for oy := range n.Out.H {
		for ox := range n.Out.W {
			for co := range n.Out.C {
				ci := co / n.Mult
				var s float64
				for ky := range n.KH {
					iy := oy*n.SH + ky - n.Pad.Top
					if iy < 0 || iy >= H {
						continue
					}
					for kx := range n.KW {
						ix := ox*n.SW + kx - n.Pad.Left
						if ix < 0 || ix >= W {
							continue
						}
						s += in[(iy*W+ix)*C+ci] * float64(w[(ky*n.KW+kx)*n.Out.C+co])
					}
				}
				out[(oy*n.Out.W+ox)*n.Out.C+co] = s
			}
		}
	}
	return out
}

func refFC(n *spec.Node, in []float64, w []float32) []float64 {
	out := make([]float64, n.Out.C)
	for o := range out {
		var s float64
		for i, v := range in {
			s += v * float64(w[o*len(in)+i])
		}
		out[o] = s
	}
	return out
}

func refPool(n *spec.Node, in []float64) []float64 {
	H, W, C := n.In.H, n.In.W, n.In.C
	out := make([]float64, n.Out.Elems())
	for oy := range n.Out.H {
		for ox := range n.Out.W {
			for c := range C {
				best, sum, cnt := math.Inf(-1), 0.0, 0
				y0, x0 := oy*n.SH-n.Pad.Top, ox*n.SW-n.Pad.Left
				if n.Global {
					y0, x0 = 0, 0
				}
				for ky := range n.KH {
					for kx := range n.KW {
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
				if n.Op == spec.OpAvgPool && n.CountPad && !n.Global {
					// Caffe: the window clipped to the padded input.
					hEnd := min(y0+n.KH, H+n.Pad.Bottom)
					wEnd := min(x0+n.KW, W+n.Pad.Right)
					cnt = (hEnd - y0) * (wEnd - x0)
				}
				if n.Op == spec.OpMaxPool {
					out[(oy*n.Out.W+ox)*C+c] = best
				} else {
					out[(oy*n.Out.W+ox)*C+c] = sum / float64(cnt)
				}
			}
		}
	}
	return out
}

func refLRN(n *spec.Node, in []float64) []float64 {
	C := n.In.C
	out := make([]float64, len(in))
	half := n.LRNSize / 2
	for p := 0; p < len(in)/C; p++ {
		for c := range C {
			var ss float64
			for j := max(c-half, 0); j <= min(c+half, C-1); j++ {
				v := in[p*C+j]
				ss += v * v
			}
			out[p*C+c] = in[p*C+c] / math.Pow(n.LRNK+n.LRNAlpha/float64(n.LRNSize)*ss, n.LRNBeta)
		}
	}
	return out
}

func refSoftmax(n *spec.Node, in []float64) []float64 {
	C := n.In.C
	out := make([]float64, len(in))
	for p := 0; p < len(in)/C; p++ {
		m := math.Inf(-1)
		for _, v := range in[p*C : (p+1)*C] {
			m = math.Max(m, v)
		}
		var s float64
		for c := range C {
			out[p*C+c] = math.Exp(in[p*C+c] - m)
			s += out[p*C+c]
		}
		for c := range C {
			out[p*C+c] /= s
		}
	}
	return out
}
