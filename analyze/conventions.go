package analyze

// Conventions returns the counting conventions, one sentence each, for
// printing with every report.
func Conventions() []string {
	return []string{
		"A mult-add is one multiply-accumulate, counted on the output grid for convolutions and fully connected layers only; bias, batch norm, activations, pooling, LRN, softmax, concat and add count zero. FLOPs = 2 x mult-adds, labelled so wherever shown.",
		"Squeeze-and-excite: its two FCs count C x C/r mult-adds each (class SE FC); its global pooling, its channel-wise multiply (SE Scale, H x W x C multiplications) and hard-swish / hard-sigmoid count zero, as batch norm and ReLU do. (The MobileNetV3 paper's 219 M for V3-Large also counts those multiplies; TF-slim's 217 M does not.)",
		"Parameters (the paper's convention) are convolution and fully connected weights only; also shown: + biases, trainable (+ batch norm scale and shift, 2 per channel) and the Keras total (+ batch norm mean and variance, 4 per channel).",
		"Memory is float32 (4 bytes), per image. Weight bytes count weights plus one bias per output channel (batch norm folded). Peak activations: the largest sum of tensors alive at once in execution order (dropout and flatten reuse their input).",
		"Arithmetic intensity (MA/byte) is mult-adds per byte of input, weights and output moved once.",
	}
}
