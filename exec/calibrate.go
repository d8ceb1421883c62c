package exec

import (
	"fmt"
	"math"
	"math/rand/v2"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/internal/qmath"
	"mnet.dev/mnet/spec"
	"mnet.dev/mnet/tensor"
)

// CalibrationImages is how many synthetic inputs Calibrate measures the
// activation ranges on.
const CalibrationImages = 4

// Calibrate quantizes a float network for int8 execution, as TensorFlow
// Lite's post-training integer quantization does, with synthetic inputs in
// place of a representative dataset:
//
//   - the network runs in float32 (o's kernels, threads and weights) on
//     CalibrationImages inputs uniform in [-1, 1], and every tensor's range
//     is the smallest and largest value seen, widened to include 0;
//   - each activation becomes int8 with scale (max - min) / 255 and the
//     zero point that maps min to -128 (asymmetric, per tensor); the
//     tensors a layer passes on unrequantized share one range: a pooling's
//     input and output (TFLite requires it of average pooling), a
//     concatenation's inputs and output, dropout's and flatten's; a
//     softmax's output is TFLite's fixed 1/256 with zero point -128;
//   - the weights, with batch norm folded in, become int8 per output
//     channel, symmetric (scale max|w| / 127, zero point 0, values in
//     [-127, 127]), and the biases int32 at scale input scale x weight
//     scale.
//
// It returns the graph typed int8 with those parameters and the quantized
// weights attached to its nodes (compile it with Attached weights; Compile
// calls Calibrate itself for an int8 graph without them). The ranges of
// random weights on noise are not those of a trained network on images:
// calibration makes a network runnable, and timeable, in int8, not accurate.
func Calibrate(r *analyze.Report, o Options) (*spec.Graph, error) {
	g := r.Graph
	fg := floatCopy(g)
	fr, err := analyze.Analyze(fg)
	if err != nil {
		return nil, err
	}
	fo := o
	fo.Batch = CalibrationImages
	if fo.Weights == nil {
		fo.Weights = RandomWeights{Seed: 1}
	}
	p, err := Compile(fr, fo)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	n := len(g.Nodes)
	lo, hi := make([]float64, n+1), make([]float64, n+1)
	rng := rand.New(rand.NewPCG(0x6d6e6574, 1))
	in := p.Input().Float32()
	for i := range in {
		in[i] = float32(2*rng.Float64() - 1)
	}
	lo[n], hi[n] = rangeOf(in, g.Input.C, g.Input.C)
	p.RunEach(func(l Layer, out *tensor.Tensor) {
		stride := out.Stride
		if stride == 0 {
			stride = g.Nodes[l.Index].Out.C
		}
		lo[l.Index], hi[l.Index] = rangeOf(out.Float32(), g.Nodes[l.Index].Out.C, stride)
	})
	types := calibratedTypes(g, lo, hi)
	qg := *g
	qg.Precision = spec.PrecisionInt8
	qg.InputType = types[n]
	qg.Nodes = append([]spec.Node(nil), g.Nodes...)
	for i := range qg.Nodes {
		nd := &qg.Nodes[i]
		nd.Type, nd.Quantized = types[i], nil
		if nd.Op.Params(nd).Rank == 0 {
			nd.Weights = nil
			continue
		}
		lw, err := fo.Weights.Layer(&g.Nodes[i])
		if err != nil {
			return nil, fmt.Errorf("layer %q: %w", nd.Name, err)
		}
		in := qg.InputType
		if j := nd.Inputs[0]; j != spec.GraphInput {
			in = types[j]
		}
		if nd.Weights, err = quantizeWeights(&g.Nodes[i], lw, in.Quant.Scale[0]); err != nil {
			return nil, fmt.Errorf("layer %q: %w", nd.Name, err)
		}
	}
	return &qg, nil
}

// floatCopy returns g typed float32 throughout.
func floatCopy(g *spec.Graph) *spec.Graph {
	f := *g
	f.Precision = spec.PrecisionFloat
	f.InputType = tensor.F32()
	f.Nodes = append([]spec.Node(nil), g.Nodes...)
	for i := range f.Nodes {
		f.Nodes[i].Type = tensor.F32()
	}
	return &f
}

// rangeOf returns the smallest and largest of the first c values of every
// pixel (stride values apart).
func rangeOf(v []float32, c, stride int) (float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for p := 0; p+c <= len(v); p += stride {
		for _, x := range v[p : p+c] {
			lo, hi = math.Min(lo, float64(x)), math.Max(hi, float64(x))
		}
	}
	return lo, hi
}

// calibratedTypes assigns every tensor (node outputs, then the input at
// index len(g.Nodes)) its int8 quantization from the measured ranges, tying
// together the tensors that must share one (see Calibrate).
func calibratedTypes(g *spec.Graph, lo, hi []float64) []tensor.Type {
	n := len(g.Nodes)
	parent := make([]int, n+1)
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	idx := func(j int) int {
		if j == spec.GraphInput {
			return n
		}
		return j
	}
	fixed := make([]bool, n+1) // softmax outputs
	for i := range g.Nodes {
		nd := &g.Nodes[i]
		switch nd.Op.Kind() {
		case spec.OpMaxPool, spec.OpAvgPool, spec.OpConcat, spec.OpDropout, spec.OpFlatten:
			for _, j := range nd.Inputs {
				a, b := find(i), find(idx(j))
				if a != b {
					parent[a] = b
				}
			}
		case spec.OpSoftmax:
			fixed[i] = true
		}
	}
	gl, gh := make([]float64, n+1), make([]float64, n+1) // every range includes 0
	gfixed := make([]bool, n+1)
	for i := range n + 1 {
		r := find(i)
		if !math.IsInf(lo[i], 0) {
			gl[r], gh[r] = math.Min(gl[r], lo[i]), math.Max(gh[r], hi[i])
		}
		gfixed[r] = gfixed[r] || fixed[i]
	}
	types := make([]tensor.Type, n+1)
	for i := range types {
		r := find(i)
		var q tensor.Quant
		if gfixed[r] {
			q = tensor.Quant{Scale: []float32{qmath.SoftmaxOutputScale}, ZeroPoint: []int32{-128}}
		} else {
			q = asymmetric(gl[r], gh[r])
		}
		types[i] = tensor.Type{DType: tensor.Int8, Quant: &q}
	}
	return types
}

// asymmetric is the int8 quantization of the range [lo, hi] (lo <= 0 <=
// hi): scale (hi - lo) / 255 and the zero point mapping lo to -128,
// rounded, so that 0 is exactly representable.
func asymmetric(lo, hi float64) tensor.Quant {
	if !(hi > lo) {
		hi = lo + 1
	}
	scale := float32(coarse((hi - lo) / 255))
	z := math.Round(-128 - lo/float64(scale))
	z = math.Min(math.Max(z, -128), 127)
	return tensor.Quant{Scale: []float32{scale}, ZeroPoint: []int32{int32(z)}}
}

// coarse rounds x > 0 up to 8 significant bits, so that ranges measured
// through different float kernels (which agree to about 1e-6) give the same
// scale.
func coarse(x float64) float64 {
	f, e := math.Frexp(x)
	return math.Ldexp(math.Ceil(f*256)/256, e)
}

// quantizeWeights returns a layer's float weights, batch norm folded in, as
// int8 per output channel (symmetric) with an int32 bias at scale inScale x
// the channel's weight scale.
func quantizeWeights(n *spec.Node, lw *spec.Weights, inScale float32) (*spec.Weights, error) {
	if err := lw.Check(n); err != nil {
		return nil, err
	}
	k, b, err := realValues(n, lw)
	if err != nil {
		return nil, err
	}
	k, b = fold(n, k, b, lw.BN)
	p := n.Op.Params(n)
	inner := 1
	for _, d := range p.Dims[p.OutAxis+1 : p.Rank] {
		inner *= d
	}
	ch := func(i int) int { return (i / inner) % p.Channels }
	amax := make([]float64, p.Channels)
	for i, v := range k {
		amax[ch(i)] = math.Max(amax[ch(i)], math.Abs(float64(v)))
	}
	scales := make([]float32, p.Channels)
	for c, m := range amax {
		scales[c] = float32(m / 127)
		if !(scales[c] > 0) || math.IsInf(float64(scales[c]), 0) {
			scales[c] = 1 // an all-zero channel: any scale represents it
		}
	}
	q := make([]int8, len(k))
	for i, v := range k {
		x := math.Round(float64(v) / float64(scales[ch(i)]))
		q[i] = int8(math.Min(math.Max(x, -127), 127))
	}
	zeros := make([]int32, p.Channels)
	kq := &tensor.Quant{Scale: scales, ZeroPoint: zeros, Axis: p.OutAxis}
	out := &spec.Weights{Kernel: tensor.Int8s(p.Kernel(), q, kq)}
	bs := make([]float32, p.Channels)
	bq := make([]int32, p.Channels)
	for c := range bs {
		bs[c] = float32(float64(inScale) * float64(scales[c]))
		if b != nil {
			x := math.Round(float64(b[c]) / float64(bs[c]))
			bq[c] = int32(math.Min(math.Max(x, math.MinInt32), math.MaxInt32))
		}
	}
	out.Bias = tensor.Int32s([]int{p.Channels}, bq, &tensor.Quant{Scale: bs, ZeroPoint: zeros})
	return out, nil
}
