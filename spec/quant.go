package spec

import (
	"fmt"

	"mnet.dev/mnet/tensor"
)

// Precision is the arithmetic a resolved graph is typed for.
type Precision string

// Precisions.
const (
	// PrecisionAuto types the graph as the network declares it: an
	// imported quantized model in its 8-bit types, anything else in
	// float32.
	PrecisionAuto Precision = ""
	// PrecisionFloat types every tensor float32 (a quantized model's
	// weights are then dequantized by exec).
	PrecisionFloat Precision = "float"
	// PrecisionInt8 types every tensor 8-bit: as an imported quantized
	// model declares them, and for a float network int8 with the
	// quantization left to calibration (exec.Calibrate).
	PrecisionInt8 Precision = "int8"
)

// Quantized is what an imported quantized model declares of a layer's
// output: its type (8-bit, with scale and zero point) and the activation
// the model's integer arithmetic clamps to, which may differ from the
// layer's float activation (an importer may read ReLU6 from an output range
// where the file fuses none; the integer clamp must stay the file's).
type Quantized struct {
	Type tensor.Type
	Act  Activation
}

func checkPrecision(p Precision) error {
	switch p {
	case PrecisionAuto, PrecisionFloat, PrecisionInt8:
		return nil
	}
	return &Error{Field: "precision", Msg: fmt.Sprintf("unknown precision %q (want float or int8)", p)}
}

// quantized reports whether the network declares 8-bit types (an imported
// quantized model).
func (n *Network) quantized() bool {
	return n.InputType != nil && n.InputType.DType.Accumulator() == tensor.Int32
}

// settleTypes gives every node and the input their element types under the
// precision (see Precision). Pass-through nodes (dropout, flatten) keep
// their input's type.
func (r *resolver) settleTypes(p Precision) {
	g, n := r.g, r.n
	if p == PrecisionAuto {
		p = PrecisionFloat
		if n.quantized() {
			p = PrecisionInt8
		}
	}
	g.Precision = p
	if p == PrecisionFloat {
		return // Resolve typed everything float32
	}
	g.InputType = tensor.Type{DType: tensor.Int8}
	if n.quantized() {
		g.InputType = *n.InputType
	}
	for i := range g.Nodes {
		nd := &g.Nodes[i]
		switch {
		case nd.Quantized != nil:
			nd.Type = nd.Quantized.Type
		case nd.Op.PassThrough():
			if in := nd.Inputs[0]; in == GraphInput {
				nd.Type = g.InputType
			} else {
				nd.Type = g.Nodes[in].Type
			}
		default:
			nd.Type = tensor.Type{DType: tensor.Int8}
		}
	}
}
