package analyze

import "mnet.dev/mnet/spec"

// MaxMultAdds is the largest network Analyze accepts: 10^15 mult-adds.
const MaxMultAdds = 1_000_000_000_000_000

// Type names as the paper's Table 2 spells them.
const (
	TypeFC = "Fully Connected"
)

// weightBytes is the storage of a node's parameters: its kernel at the
// node's element type, and one bias per output channel (its own, or batch
// norm folded into one) at the type its sums are kept in.
func weightBytes(n *spec.Node, c spec.Cost) int64 {
	d := n.Type.DType
	return c.Weights*int64(d.Size()) + perChannel(c)*int64(d.Accumulator().Size())
}

// perChannel is the number of bias values a node has at inference: its own
// bias, else its batch norm folded into one.
func perChannel(c spec.Cost) int64 {
	if c.Biases == 0 && c.BNChannels > 0 {
		return c.BNChannels
	}
	return c.Biases
}
