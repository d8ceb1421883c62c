package exec

import (
	"fmt"
	"unsafe"

	"mnet.dev/mnet/spec"
	"mnet.dev/mnet/tensor"
)

// ReferenceInt8 runs an int8 graph (an imported quantized model, or a
// calibrated one: see Calibrate) for one image in TensorFlow Lite's
// reference integer arithmetic: every layer through the scalar kernels of
// package qref, written straight from TFLite's reference kernels and kept
// apart from the plans' fast ones, each tensor in its declared type (uint8
// or int8, not the plans' u8 domain). It is what the int8 plans are tested
// against, byte for byte. input is the H x W x C image (NHWC) as bytes of
// the graph's input type; it returns the output tensor's bytes in the last
// layer's type.
func ReferenceInt8(g *spec.Graph, ws WeightSource, input []byte) ([]byte, error) {
	if g.Precision != spec.PrecisionInt8 {
		return nil, fmt.Errorf("reference: the graph is %s, not int8", precisionName(g.Precision))
	}
	if len(input) != int(g.Input.Elems()) {
		return nil, fmt.Errorf("input has %d bytes, want %d", len(input), g.Input.Elems())
	}
	if _, err := qdomainOf(g.InputType); err != nil {
		return nil, fmt.Errorf("reference: the input: %w", err)
	}
	outs := make([][]byte, len(g.Nodes))
	for i := range g.Nodes {
		n := &g.Nodes[i]
		impl, err := implOf(n)
		if err != nil {
			return nil, fmt.Errorf("reference: layer %q: %w", n.Name, err)
		}
		if impl.referenceInt8 == nil {
			return nil, fmt.Errorf("reference: layer %q: %s layers have no integer form", n.Name, n.Op.Kind())
		}
		ins := make([]qrefInput, len(n.Inputs))
		for k, j := range n.Inputs {
			ins[k].shape = g.InputShape(j)
			if j == spec.GraphInput {
				ins[k].b = input
			} else {
				ins[k].b = outs[j]
			}
		}
		var l *qlayer
		if p := n.Op.Params(n); p.Rank > 0 {
			if l, err = quantLayer(g, ws, n, activationOf(n)); err != nil {
				return nil, fmt.Errorf("reference: layer %q: %w", n.Name, err)
			}
		}
		if outs[i], err = impl.referenceInt8(g, n, ins, l); err != nil {
			return nil, fmt.Errorf("reference: layer %q: %w", n.Name, err)
		}
	}
	return outs[len(outs)-1], nil
}

// qrefInput is one input of a node in the integer reference: its bytes in
// its declared type, and its shape.
type qrefInput struct {
	b     []byte
	shape spec.Shape
}

// activationOf is a weighted node's own fused activation.
func activationOf(n *spec.Node) spec.Activation {
	switch op := n.Op.(type) {
	case *spec.Conv:
		return op.Act
	case *spec.Depthwise:
		return op.Act
	case *spec.FC:
		return op.Act
	}
	return spec.ActNone
}

// asInt8 views bytes as int8 values.
func asInt8(b []byte) []int8 {
	if len(b) == 0 {
		return nil
	}
	return unsafe.Slice((*int8)(unsafe.Pointer(&b[0])), len(b))
}

// flip moves int8 bytes to the u8 domain or back (v XOR 0x80 = v + 128
// mod 256).
func flip(b []byte) {
	for i := range b {
		b[i] ^= 0x80
	}
}

func precisionName(p spec.Precision) string {
	if p == spec.PrecisionAuto {
		return "untyped"
	}
	return string(p)
}

// int8Typed reports whether every tensor of g is an 8-bit quantized one.
func int8Typed(g *spec.Graph) bool {
	ok := func(t tensor.Type) bool {
		return (t.DType == tensor.Uint8 || t.DType == tensor.Int8) && t.Quant != nil
	}
	if !ok(g.InputType) {
		return false
	}
	for i := range g.Nodes {
		if !ok(g.Nodes[i].Type) {
			return false
		}
	}
	return true
}
