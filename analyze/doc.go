// Package analyze computes exact per-layer and per-layer-type costs of a
// resolved network: mult-adds, parameters, activation and weight memory,
// arithmetic intensity, and the peak activation memory of execution order.
//
// Counting conventions (Conventions returns them as text for reports):
//   - A mult-add is one multiply-accumulate. Only convolutions and fully
//     connected layers are counted, on their output grid: a KxK convolution
//     with M input and N output channels in g groups costs
//     K·K·(M/g)·N·H_out·W_out, a depthwise one K·K·M·mult·H_out·W_out, a fully
//     connected one inputs·outputs. Bias, batch norm, activations, pooling,
//     LRN, softmax, concatenation and addition count zero. That includes
//     MobileNetV3's hard-swish, x·ReLU6(x+3)/6, and hard-sigmoid,
//     ReLU6(x+3)/6, although they multiply: like ReLU they are elementwise
//     on a layer's output, fused into its epilogue, and the papers count
//     only convolutions and fully connected layers. Each op defines its own
//     count (spec.Op.MultAdds). FLOPs, where shown, are 2 x mult-adds and are
//     labelled so.
//   - Parameters are counted four ways: weights only (convolution and fully
//     connected weights: the paper's convention); + biases (the layers'
//     own bias vectors); trainable (+ batch norm's scale and shift, 2 per
//     channel: what PyTorch prints); and the Keras total (+ batch norm's
//     scale, shift, moving mean and variance: 4 per channel).
//   - Memory is per image, at the bytes per value of each tensor's element
//     type (spec.Node.Type; float32, 4 bytes, for every network today). A
//     layer's weight bytes are its weights and one bias per output channel
//     when it has a bias or batch norm (batch norm folds into a bias at
//     inference); a bias is stored at the type sums are kept in (float32, or
//     int32 for 8-bit layers). Activation
//     memory is the tensors alive at once in execution order: every layer's
//     output is a new tensor, except dropout and flatten, which pass their
//     input on; a tensor lives from the layer that writes it to the last
//     layer that reads it (branches of a block run one after another, and
//     their outputs stay alive until the joining layer).
//   - Arithmetic intensity is mult-adds per byte moved, counting one read of
//     the input and weights and one write of the output.
package analyze
