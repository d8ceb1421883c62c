package spec

import (
	"fmt"

	"mnet.dev/mnet/tensor"
)

// Shape is an activation tensor's height, width and channels (one image).
type Shape struct {
	H, W, C int
}

// Elems is the number of values in the tensor.
func (s Shape) Elems() int64 { return int64(s.H) * int64(s.W) * int64(s.C) }

func (s Shape) String() string { return fmt.Sprintf("%dx%dx%d", s.H, s.W, s.C) }

// Pad is the zero padding on each side of a window operation's input, after
// the padding convention is worked out: the padding the windows reach, or
// for Caffe's ceil-mode pooling the declared padding (a last window may hang
// past it; taps outside the input are ignored).
type Pad struct {
	Top, Bottom, Left, Right int
}

// GraphInput is the Inputs value that stands for the network's input image.
const GraphInput = -1

// Node is one operation of a resolved graph, with concrete shapes.
type Node struct {
	Index int
	Name  string // unique, "/"-scoped inside blocks: "inception_3a/b2/conv_1"
	// Op is what the node computes, with its parameters: *Conv, *Depthwise,
	// *FC, *Pool, ... (one type per op kind).
	Op     Op
	Inputs []int // producing nodes in execution order; GraphInput for the image
	In     Shape // shape of Inputs[0]
	Out    Shape
	// Type is the element type of the node's output.
	Type tensor.Type
	// Weights are trained parameters an importer attached to the layer the
	// node comes from (nil: none; see Layer.Weights).
	Weights *Weights

	Block string // enclosing block ("" at top level), e.g. "inception_3a/b2"
	Pos   Pos    // where the layer is written in the spec
	Field string // its path in the spec, e.g. "layers[3]"
}

// Graph is a network with α, resolution and class count applied: the nodes
// in execution order with every shape known. Branches of a concat or add
// block appear one after another, each in full, before the joining node.
type Graph struct {
	Name       string
	File       string
	Alpha      float64
	Resolution int     // input height in pixels
	Rho        float64 // Resolution / the spec's default input height
	Classes    int
	Rounding   Rounding
	Padding    PadConvention
	Input      Shape
	InputType  tensor.Type // element type of the input image
	Nodes      []Node
}

// Output is the index of the node whose output is the network's output.
func (g *Graph) Output() int { return len(g.Nodes) - 1 }

// InputShape is the shape of a node input (a node index or GraphInput).
func (g *Graph) InputShape(i int) Shape {
	if i == GraphInput {
		return g.Input
	}
	return g.Nodes[i].Out
}

// Consumers returns, for each node, the indices of the nodes reading its
// output; the entry at len(Nodes) lists the readers of the graph input.
func (g *Graph) Consumers() [][]int {
	out := make([][]int, len(g.Nodes)+1)
	for i, n := range g.Nodes {
		for _, in := range n.Inputs {
			j := in
			if in == GraphInput {
				j = len(g.Nodes)
			}
			out[j] = append(out[j], i)
		}
	}
	return out
}
