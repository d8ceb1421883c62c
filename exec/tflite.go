package exec

import "mnet.dev/mnet/spec/tflite"

// FromTFLite wraps a converted TFLite model's parameters as Weights (the
// layouts are the same; batch norm is already folded in such files).
func FromTFLite(c *tflite.Converted) Weights {
	w := make(Weights, len(c.Params))
	for name, p := range c.Params {
		w[name] = LayerWeights{Kernel: p.Kernel, Bias: p.Bias}
	}
	return w
}
