package analyze

import (
	"strconv"

	"mnet.dev/mnet/spec"
)

// MaxMultAdds is the largest network Analyze accepts: 10^15 mult-adds.
const MaxMultAdds = 1_000_000_000_000_000

// Type names as the paper's Table 2 spells them.
const (
	TypeFC = "Fully Connected"
)

// TypeOf returns the Table 2 class of a node: "Conv 1x1", "Conv DW 3x3",
// "Conv 3x3", "Conv 11x11", "Fully Connected"; zero-cost layers get their
// own names ("Max Pool", "Avg Pool", "LRN", "Softmax", "Concat", "Add",
// "Dropout", "Flatten").
func TypeOf(n *spec.Node) string {
	switch n.Op {
	case spec.OpConv:
		return "Conv " + kernelSize(n)
	case spec.OpDepthwise:
		return "Conv DW " + kernelSize(n)
	case spec.OpFC:
		return TypeFC
	case spec.OpMaxPool:
		return "Max Pool"
	case spec.OpAvgPool:
		return "Avg Pool"
	case spec.OpLRN:
		return "LRN"
	case spec.OpSoftmax:
		return "Softmax"
	case spec.OpConcat:
		return "Concat"
	case spec.OpAdd:
		return "Add"
	case spec.OpDropout:
		return "Dropout"
	case spec.OpFlatten:
		return "Flatten"
	}
	return n.Op.String()
}

func kernelSize(n *spec.Node) string {
	if n.KH == n.KW && n.KH < len(squareKernels) {
		return squareKernels[n.KH]
	}
	return strconv.Itoa(n.KH) + "x" + strconv.Itoa(n.KW)
}

var squareKernels = [...]string{"0x0", "1x1", "2x2", "3x3", "4x4", "5x5", "6x6", "7x7", "8x8", "9x9", "10x10", "11x11"}

// MultAdds is the node's multiply-accumulate count (zero for layers that
// only move or normalise data).
func MultAdds(n *spec.Node) int64 {
	out := int64(n.Out.H) * int64(n.Out.W)
	switch n.Op {
	case spec.OpConv:
		return int64(n.KH) * int64(n.KW) * int64(n.In.C/n.Groups) * int64(n.Out.C) * out
	case spec.OpDepthwise:
		return int64(n.KH) * int64(n.KW) * int64(n.Out.C) * out
	case spec.OpFC:
		return n.In.Elems() * int64(n.Out.C)
	}
	return 0
}

// Weights is the node's convolution or fully connected weight count.
func Weights(n *spec.Node) int64 {
	switch n.Op {
	case spec.OpConv:
		return int64(n.KH) * int64(n.KW) * int64(n.In.C/n.Groups) * int64(n.Out.C)
	case spec.OpDepthwise:
		return int64(n.KH) * int64(n.KW) * int64(n.Out.C)
	case spec.OpFC:
		return n.In.Elems() * int64(n.Out.C)
	}
	return 0
}

// Biases is the length of the node's own bias vector (0 without one).
func Biases(n *spec.Node) int64 {
	if !n.Bias {
		return 0
	}
	switch n.Op {
	case spec.OpConv, spec.OpDepthwise, spec.OpFC:
		return int64(n.Out.C)
	}
	return 0
}

// BNChannels is the number of channels batch-normalised after the node.
func BNChannels(n *spec.Node) int64 {
	if !n.BN {
		return 0
	}
	switch n.Op {
	case spec.OpConv, spec.OpDepthwise, spec.OpFC:
		return int64(n.Out.C)
	}
	return 0
}
