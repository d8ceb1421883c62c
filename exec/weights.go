package exec

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"mnet.dev/mnet/spec"
	"mnet.dev/mnet/tensor"
)

// WeightSource supplies the parameters of a graph's weighted nodes, one at
// a time, in the layouts their ops give (spec.Op.Params), so a large
// network's weights need not all exist unpacked at once.
type WeightSource interface {
	Layer(n *spec.Node) (*spec.Weights, error)
}

// Attached is the WeightSource of imported models: the trained weights an
// importer attached to each layer (spec.Layer.Weights), which Resolve hands
// to the layer's node. A weighted node without them is an error.
type Attached struct{}

// ErrNoWeights is returned (wrapped) by Attached for a node with none.
var ErrNoWeights = errors.New("no weights")

// Layer returns the node's attached weights.
func (Attached) Layer(n *spec.Node) (*spec.Weights, error) {
	if n.Weights == nil {
		return nil, fmt.Errorf("%w for layer %q", ErrNoWeights, n.Name)
	}
	return n.Weights, nil
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
func (r RandomWeights) Layer(n *spec.Node) (*spec.Weights, error) {
	p := n.Op.Params(n)
	if p.Rank == 0 {
		return &spec.Weights{}, nil
	}
	rng := rand.New(rand.NewPCG(r.Seed, uint64(n.Index)+0x9e3779b97f4a7c15))
	std := math.Sqrt(2 / float64(p.FanIn))
	k := make([]float32, p.KernelElems())
	for i := range k {
		k[i] = float32(rng.NormFloat64() * std)
	}
	lw := &spec.Weights{Kernel: tensor.Float32s(p.Kernel(), k)}
	uni := func(lo, hi float64) []float32 {
		v := make([]float32, p.Channels)
		for i := range v {
			v[i] = float32(lo + (hi-lo)*rng.Float64())
		}
		return v
	}
	if p.Bias {
		lw.Bias = tensor.Float32s([]int{p.Channels}, uni(-0.05, 0.05))
	}
	if p.BN {
		lw.BN = &spec.BatchNorm{Gamma: uni(0.8, 1.2), Beta: uni(-0.1, 0.1), Mean: uni(-0.1, 0.1), Var: uni(0.8, 1.2), Eps: 1e-3}
	}
	return lw, nil
}

// realValues returns a node's kernel and bias as float32 real values:
// float32 tensors as they are, quantized ones dequantized.
func realValues(n *spec.Node, lw *spec.Weights) (kernel, bias []float32, err error) {
	if lw.Kernel != nil {
		if kernel = lw.Kernel.Float32(); kernel == nil {
			if kernel, err = lw.Kernel.Dequantize(); err != nil {
				return nil, nil, fmt.Errorf("layer %q: kernel: %w", n.Name, err)
			}
		}
	}
	if lw.Bias != nil {
		if bias = lw.Bias.Float32(); bias == nil {
			if bias, err = lw.Bias.Dequantize(); err != nil {
				return nil, nil, fmt.Errorf("layer %q: bias: %w", n.Name, err)
			}
		}
	}
	return kernel, bias, nil
}

// fold returns the kernel and bias with batch norm applied, in new slices
// when batch norm changes them: each output channel's kernel values scaled
// (along the layout's output axis) and its bias shifted.
func fold(n *spec.Node, kernel, bias []float32, bn *spec.BatchNorm) ([]float32, []float32) {
	if bn == nil {
		return kernel, bias
	}
	p := n.Op.Params(n)
	scale := make([]float64, p.Channels)
	nb := make([]float32, p.Channels)
	for c := range scale {
		scale[c] = float64(bn.Gamma[c]) / math.Sqrt(float64(bn.Var[c])+float64(bn.Eps))
		b := 0.0
		if bias != nil {
			b = float64(bias[c])
		}
		nb[c] = float32((b-float64(bn.Mean[c]))*scale[c] + float64(bn.Beta[c]))
	}
	inner := 1
	for _, d := range p.Dims[p.OutAxis+1 : p.Rank] {
		inner *= d
	}
	nk := make([]float32, len(kernel))
	for i, v := range kernel {
		nk[i] = float32(float64(v) * scale[(i/inner)%p.Channels])
	}
	return nk, nb
}
