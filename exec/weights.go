package exec

import (
	"fmt"
	"math"
	"math/rand/v2"

	"mnet.dev/mnet/spec"
)

// LayerWeights are one layer's parameters in mnet's canonical layouts:
//
//	conv       Kernel [Cout][KH][KW][Cin/groups] (TFLite's OHWI)
//	depthwise  Kernel [KH][KW][C*mult] (TFLite's [1, KH, KW, C*mult])
//	fc         Kernel [Out][In], In in NHWC order of the input tensor
//
// Bias has one value per output channel (nil without one); BN, when set, is
// applied after the bias and is folded into kernel and bias at plan time.
type LayerWeights struct {
	Kernel []float32
	Bias   []float32
	BN     *BatchNorm
}

// BatchNorm holds per-channel batch-norm parameters:
// y = Gamma (x - Mean) / sqrt(Var + Eps) + Beta.
type BatchNorm struct {
	Gamma, Beta, Mean, Var []float32
	Eps                    float32
}

// WeightSource supplies the parameters of a graph's layers, one at a time,
// so a large network's weights need not all exist unpacked at once.
type WeightSource interface {
	Layer(n *spec.Node) (LayerWeights, error)
}

// Weights is a WeightSource backed by a map from layer name.
type Weights map[string]LayerWeights

// Layer returns the named layer's weights, checked against its shape.
func (w Weights) Layer(n *spec.Node) (LayerWeights, error) {
	lw, ok := w[n.Name]
	if !ok {
		return lw, fmt.Errorf("no weights for layer %q", n.Name)
	}
	return lw, CheckWeights(n, lw)
}

// KernelLen is the length of a layer's kernel in the canonical layout (0
// for layers without weights).
func KernelLen(n *spec.Node) int {
	switch n.Op {
	case spec.OpConv:
		return n.Out.C * n.KH * n.KW * (n.In.C / n.Groups)
	case spec.OpDepthwise:
		return n.KH * n.KW * n.Out.C
	case spec.OpFC:
		return int(n.In.Elems()) * n.Out.C
	}
	return 0
}

// HasWeights reports whether a node takes parameters.
func HasWeights(n *spec.Node) bool {
	return n.Op == spec.OpConv || n.Op == spec.OpDepthwise || n.Op == spec.OpFC
}

// CheckWeights verifies the lengths of a layer's parameters.
func CheckWeights(n *spec.Node, lw LayerWeights) error {
	if len(lw.Kernel) != KernelLen(n) {
		return fmt.Errorf("layer %q: kernel has %d values, want %d", n.Name, len(lw.Kernel), KernelLen(n))
	}
	if lw.Bias != nil && len(lw.Bias) != n.Out.C {
		return fmt.Errorf("layer %q: bias has %d values, want %d", n.Name, len(lw.Bias), n.Out.C)
	}
	if bn := lw.BN; bn != nil {
		for _, v := range [][]float32{bn.Gamma, bn.Beta, bn.Mean, bn.Var} {
			if len(v) != n.Out.C {
				return fmt.Errorf("layer %q: batch norm has %d values, want %d", n.Name, len(v), n.Out.C)
			}
		}
	}
	return nil
}

// RandomWeights is a deterministic WeightSource: He-normal kernels
// (standard deviation sqrt(2/fan-in), so activations keep their scale
// through ReLU networks as deep as VGG16), small random biases, and batch
// norm parameters near identity where the layer has batch norm. Each
// layer's values depend only on the seed and the layer's index.
type RandomWeights struct {
	Seed uint64
}

// Layer generates the node's parameters.
func (r RandomWeights) Layer(n *spec.Node) (LayerWeights, error) {
	rng := rand.New(rand.NewPCG(r.Seed, uint64(n.Index)+0x9e3779b97f4a7c15))
	var fanIn int
	switch n.Op {
	case spec.OpConv:
		fanIn = n.KH * n.KW * (n.In.C / n.Groups)
	case spec.OpDepthwise:
		fanIn = n.KH * n.KW
	case spec.OpFC:
		fanIn = int(n.In.Elems())
	default:
		return LayerWeights{}, nil
	}
	std := math.Sqrt(2 / float64(fanIn))
	lw := LayerWeights{Kernel: make([]float32, KernelLen(n))}
	for i := range lw.Kernel {
		lw.Kernel[i] = float32(rng.NormFloat64() * std)
	}
	uni := func(lo, hi float64) []float32 {
		v := make([]float32, n.Out.C)
		for i := range v {
			v[i] = float32(lo + (hi-lo)*rng.Float64())
		}
		return v
	}
	if n.Bias {
		lw.Bias = uni(-0.05, 0.05)
	}
	if n.BN {
		lw.BN = &BatchNorm{Gamma: uni(0.8, 1.2), Beta: uni(-0.1, 0.1), Mean: uni(-0.1, 0.1), Var: uni(0.8, 1.2), Eps: 1e-3}
	}
	return lw, nil
}

// fold returns the kernel and bias with batch norm applied, in a new kernel
// slice when BN changes it. perOut is the number of kernel values per output
// channel, and outer maps a kernel index to its output channel.
func fold(n *spec.Node, lw LayerWeights) (kernel, bias []float32) {
	kernel, bias = lw.Kernel, lw.Bias
	if lw.BN == nil {
		return kernel, bias
	}
	bn := lw.BN
	scale := make([]float64, n.Out.C)
	nb := make([]float32, n.Out.C)
	for c := range scale {
		scale[c] = float64(bn.Gamma[c]) / math.Sqrt(float64(bn.Var[c])+float64(bn.Eps))
		b := 0.0
		if bias != nil {
			b = float64(bias[c])
		}
		nb[c] = float32((b-float64(bn.Mean[c]))*scale[c] + float64(bn.Beta[c]))
	}
	nk := make([]float32, len(kernel))
	switch n.Op {
	case spec.OpDepthwise: // [KH][KW][C]: channel fastest
		for i, v := range kernel {
			nk[i] = float32(float64(v) * scale[i%n.Out.C])
		}
	default: // conv [Cout][...], fc [Out][In]: output channel slowest
		per := len(kernel) / n.Out.C
		for i, v := range kernel {
			nk[i] = float32(float64(v) * scale[i/per])
		}
	}
	return nk, nb
}
