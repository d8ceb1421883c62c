package exec

import (
	"fmt"

	"mnet.dev/mnet/exec/internal/workers"
	"mnet.dev/mnet/spec"
)

// op is one compiled layer: a task over items [0, items()) that the
// workers split into chunks.
type op interface {
	workers.Task
	// items is the number of independent work units.
	items() int
	// multAdds is the mult-adds the op performs per inference, counted from
	// the kernel calls it makes (not copied from the analysis).
	multAdds() int64
}

// opImpl is what exec knows of one kind of op: how a node of that kind
// compiles to kernel calls, and how it computes in float64 (the reference
// the compiled plans are tested against). Each is defined in the op's file
// (op_conv.go, op_pool.go, ...).
type opImpl struct {
	// compile binds node n to kernels; a nil op means nothing runs (the
	// output is the input).
	compile func(c *compiler, n *spec.Node) (op, error)
	// reference computes n for one image from its inputs' values and, for
	// a weighted op, its weights (nil otherwise).
	reference func(n *spec.Node, ins []refInput, w *refWeights) ([]float64, error)
	// compileInt8 binds node n of an int8 graph to the integer kernels
	// (see quant.go; the op files' _int8.go halves).
	compileInt8 func(c *compiler, n *spec.Node) (op, error)
	// referenceInt8 computes n for one image in TFLite's reference integer
	// arithmetic (package qref) from its inputs' bytes in their declared
	// types, and for a weighted op its integer parameters (nil otherwise).
	referenceInt8 func(g *spec.Graph, n *spec.Node, ins []qrefInput, l *qlayer) ([]byte, error)
}

// opImpls maps every op kind to its implementation. It is built once, at
// package initialisation, and only read afterwards.
var opImpls = map[spec.OpKind]opImpl{
	spec.OpConv:      convImpl,
	spec.OpDepthwise: depthwiseImpl,
	spec.OpFC:        fcImpl,
	spec.OpMaxPool:   poolImpl,
	spec.OpAvgPool:   poolImpl,
	spec.OpLRN:       lrnImpl,
	spec.OpSoftmax:   softmaxImpl,
	spec.OpConcat:    concatImpl,
	spec.OpAdd:       addImpl,
	spec.OpScale:     scaleImpl,
	spec.OpDropout:   passThroughImpl,
	spec.OpFlatten:   passThroughImpl,
}

// implOf returns the implementation of a node's op.
func implOf(n *spec.Node) (opImpl, error) {
	impl, ok := opImpls[n.Op.Kind()]
	if !ok {
		return opImpl{}, fmt.Errorf("exec has no implementation of %s layers", n.Op.Kind())
	}
	return impl, nil
}

// passThroughImpl is dropout and flatten: no kernel, the input passes on.
var passThroughImpl = opImpl{
	compile:       func(*compiler, *spec.Node) (op, error) { return nil, nil },
	reference:     func(_ *spec.Node, ins []refInput, _ *refWeights) ([]float64, error) { return ins[0].v, nil },
	compileInt8:   func(*compiler, *spec.Node) (op, error) { return nil, nil },
	referenceInt8: func(_ *spec.Graph, _ *spec.Node, ins []qrefInput, _ *qlayer) ([]byte, error) { return ins[0].b, nil },
}
