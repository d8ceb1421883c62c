package spec

import "strconv"

// OpKind names what a graph node computes ("conv", "depthwise", "fc", ...).
// It is the key under which code outside this package keeps what it knows
// of each op (exec's compilers and float64 references), and the op's name in
// reports and JSON.
type OpKind string

func (k OpKind) String() string { return string(k) }

// Op is the operation of one graph node with its resolved parameters. Each
// kind of op is one type in one file of this package (op_conv.go,
// op_pool.go, ...), which also holds the spec layer kinds that resolve to
// it: its fields and their YAML, its shape rule, its cost and the layout of
// its weights.
type Op interface {
	Kind() OpKind
	// Class is the node's layer class, as the paper's Table 2 names them:
	// "Conv 1x1", "Conv DW 3x3", "Conv 3x3", "Fully Connected"; ops
	// without arithmetic have their own ("Max Pool", "Softmax", "Add").
	Class() string
	// MultAdds counts the node's multiply-accumulates on its output grid
	// (zero for ops that only move, compare or normalise values).
	MultAdds(n *Node) int64
	// Params describes the node's parameters (the zero value: none).
	Params(n *Node) ParamLayout
	// PassThrough reports an op whose output is its input unchanged
	// (dropout at inference, flatten in NHWC): it makes no new tensor.
	PassThrough() bool
}

// ParamLayout describes a node's parameters: the kernel tensor in mnet's
// canonical layout, and the per-output-channel bias and batch norm.
type ParamLayout struct {
	// Layout names the kernel's axis order: "OHWI" for convolutions
	// ([Cout][KH][KW][Cin/groups], TFLite's), "HWC" for depthwise ones
	// ([KH][KW][C*mult], TFLite's [1, KH, KW, C*mult]), "OI" for fully
	// connected ones ([Out][In], In in the NHWC order of the input).
	Layout string
	// Dims are the kernel's dimensions in that order, the first Rank of
	// them (Rank 0: no weights).
	Dims [4]int
	Rank int
	// OutAxis is the kernel axis of the output channels: batch norm folds
	// along it, and per-channel quantization scales run along it.
	OutAxis int
	FanIn   int  // inputs summed into each output
	Bias    bool // a bias per output channel
	BN      bool // batch norm per output channel (folded at inference)
	// Channels is the number of output channels: the length of the bias
	// and batch-norm vectors.
	Channels int
}

// Kernel returns the kernel's dimensions (nil without weights).
func (p *ParamLayout) Kernel() []int {
	if p.Rank == 0 {
		return nil
	}
	return append([]int(nil), p.Dims[:p.Rank]...)
}

// KernelElems is the number of kernel values (0 without weights).
func (p *ParamLayout) KernelElems() int64 {
	if p.Rank == 0 {
		return 0
	}
	e := int64(1)
	for _, d := range p.Dims[:p.Rank] {
		e *= int64(d)
	}
	return e
}

// Cost is what a node costs under the counting conventions (see package
// analyze): mult-adds, kernel weights, bias values and batch-normalised
// channels.
type Cost struct {
	MultAdds, Weights, Biases, BNChannels int64
}

// CostOf counts a node's cost from its op.
func CostOf(n *Node) Cost {
	p := n.Op.Params(n)
	c := Cost{MultAdds: n.Op.MultAdds(n), Weights: p.KernelElems()}
	if p.Bias {
		c.Biases = int64(p.Channels)
	}
	if p.BN {
		c.BNChannels = int64(p.Channels)
	}
	return c
}

// Window is a window operation's geometry: kernel size, stride, and the
// padding worked out under the network's convention.
type Window struct {
	KH, KW, SH, SW int
	Pad            Pad
}

// class names a windowed layer class: prefix and the kernel size, "Conv
// 3x3", "Conv DW 1x7". The common square sizes come from a table (an
// analysis names every layer; no string is built for them).
func (w *Window) class(prefix string, square *[12]string) string {
	if w.KH == w.KW && w.KH < len(square) {
		return square[w.KH]
	}
	return prefix + strconv.Itoa(w.KH) + "x" + strconv.Itoa(w.KW)
}

var (
	convClasses = [12]string{"Conv 0x0", "Conv 1x1", "Conv 2x2", "Conv 3x3", "Conv 4x4", "Conv 5x5", "Conv 6x6",
		"Conv 7x7", "Conv 8x8", "Conv 9x9", "Conv 10x10", "Conv 11x11"}
	dwClasses = [12]string{"Conv DW 0x0", "Conv DW 1x1", "Conv DW 2x2", "Conv DW 3x3", "Conv DW 4x4", "Conv DW 5x5",
		"Conv DW 6x6", "Conv DW 7x7", "Conv DW 8x8", "Conv DW 9x9", "Conv DW 10x10", "Conv DW 11x11"}
)

// Epilogue is what a weighted layer applies to its sums, in order: its
// bias, batch norm (folded into kernel and bias at inference), then the
// activation.
type Epilogue struct {
	Bias, BN bool
	Act      Activation
}
