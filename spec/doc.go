// Package spec is mnet's network description: a YAML spec language for
// MobileNet-style networks (MobileNet v1 with α and ρ, the baselines the
// paper compares it with, its successors), parsed into a Network and
// resolved, at a width multiplier, resolution and class count, into a Graph
// whose every shape is known.
//
// # Layers and ops
//
// A Network is a list of layers as written (Layer); Resolve expands repeats
// and blocks and turns each layer into graph nodes (Node), each computing an
// Op. Every kind of op is defined once, in its own file (op_conv.go,
// op_depthwise.go, op_fc.go, op_pool.go, ...): the op type with its
// resolved parameters and the methods of the Op interface (its Table 2
// class, its mult-adds, the layout of its weights), and beside it the layer
// kinds of the spec language that resolve to it, with their fields, YAML
// decoding and formatting and shape rule. Composite layers without an op of
// their own are in layer_*.go (separable, repeat). Adding an op is adding
// such a file and listing its layer kind in layerKinds; code outside the
// package that acts per op (exec's kernels and float64 reference) keys a
// registry on Op.Kind.
//
// Activations (Activation) are an open set, listed in activation.go: none,
// relu, relu6, hard-swish x·ReLU6(x+3)/6 and hard-sigmoid ReLU6(x+3)/6.
// A weighted layer applies one after its bias and batch norm (Epilogue); an
// add block after its sum.
//
// # Tensors and weights
//
// Each node's output has an element type (Node.Type, a tensor.Type: float32
// for every spec today; quantized integer types come with integer
// execution), which is where the analysis takes its bytes per value. A layer
// may carry trained weights (Layer.Weights, attached by an importer, see
// package model): Resolve hands them to the node the layer becomes, so they
// reach it by reference, whatever the node is named. Weights are typed
// tensors in the layout the op gives (Op.Params): OHWI convolution kernels,
// HWC depthwise ones, OI fully connected ones.
//
// # Errors
//
// Parse and Resolve return *Error values naming the file, line and column,
// and the field ("layers[3].filters") at fault; hostile specs are bounded in
// size, nesting and expansion.
package spec
