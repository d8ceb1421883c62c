package spec

import (
	"fmt"

	"mnet.dev/mnet/tensor"
)

// Weights are one node's parameters in the layout its op gives
// (Op.Params): the kernel, a bias per output channel (nil without one), and
// batch norm, applied after the bias, which exec folds into kernel and
// bias. The tensors are typed: float32, or the integers and quantization a
// quantized model stores (uint8 or int8 kernels, int32 biases).
type Weights struct {
	Kernel *tensor.Tensor
	Bias   *tensor.Tensor
	BN     *BatchNorm
}

// BatchNorm holds per-channel batch-norm parameters:
// y = Gamma (x - Mean) / sqrt(Var + Eps) + Beta.
type BatchNorm struct {
	Gamma, Beta, Mean, Var []float32
	Eps                    float32
}

// Check verifies that w fits node n: a kernel of the op's size, and bias
// and batch-norm vectors of one value per output channel.
func (w *Weights) Check(n *Node) error {
	p := n.Op.Params(n)
	klen := 0
	if w.Kernel != nil {
		klen = w.Kernel.Len()
		if !w.Kernel.Dense() {
			return fmt.Errorf("layer %q: the kernel tensor is padded", n.Name)
		}
	}
	if int64(klen) != p.KernelElems() {
		return fmt.Errorf("layer %q: kernel has %d values, want %d", n.Name, klen, p.KernelElems())
	}
	if w.Bias != nil && w.Bias.Len() != p.Channels {
		return fmt.Errorf("layer %q: bias has %d values, want %d", n.Name, w.Bias.Len(), p.Channels)
	}
	if bn := w.BN; bn != nil {
		for _, v := range [][]float32{bn.Gamma, bn.Beta, bn.Mean, bn.Var} {
			if len(v) != p.Channels {
				return fmt.Errorf("layer %q: batch norm has %d values, want %d", n.Name, len(v), p.Channels)
			}
		}
	}
	return nil
}
