package tflite

import (
	"fmt"
	"math"
)

// OpCode is one entry of the model's operator_codes table.
type OpCode struct {
	// Code is the builtin operator: max(deprecated_builtin_code,
	// builtin_code), as TFLite resolves it (files before schema 3a only set
	// the int8 deprecated_builtin_code; later ones set both, with the
	// deprecated one saturating at PLACEHOLDER_FOR_GREATER_OP_CODES = 127).
	Code BuiltinOperator
	// CustomCode names a custom operator (Code == OpCustom).
	CustomCode string
	// Version is the operator version (default 1).
	Version int
}

// Operator is one operator of the subgraph, in execution order.
type Operator struct {
	Index       int // position in Model.Operators
	OpcodeIndex int // index into Model.OpCodes
	Code        BuiltinOperator
	CustomCode  string // for Code == OpCustom
	Version     int    // operator version from its OpCode
	// Inputs and Outputs are tensor indices; -1 marks an absent optional
	// tensor. Every other value is a valid index into Model.Tensors.
	Inputs, Outputs []int
	// Options are the decoded builtin options when HasOptions(Code), else nil.
	// An operator with decodable options but none in the file gets the
	// schema defaults (and fails validation when those are not usable, e.g.
	// a zero stride).
	Options Options
}

// Name returns the operator's name: its builtin name (e.g. "CONV_2D"), or for
// a custom operator "CUSTOM(" + CustomCode + ")".
func (op *Operator) Name() string {
	if op.Code == OpCustom {
		return "CUSTOM(" + op.CustomCode + ")"
	}
	return op.Code.String()
}

func (r *reader) parseOpCode(t table) (OpCode, error) {
	dep, err := r.int8Field(t, opcodeDeprecatedBuiltin, 0)
	if err != nil {
		return OpCode{}, err
	}
	code, err := r.int32Field(t, opcodeBuiltin, 0)
	if err != nil {
		return OpCode{}, err
	}
	if int32(dep) > code {
		code = int32(dep)
	}
	if code < 0 {
		return OpCode{}, fieldErr(opcodeBuiltin, &FormatError{Offset: -1, Msg: fmt.Sprintf("invalid builtin code %d", code)})
	}
	custom, err := r.stringField(t, opcodeCustomCode)
	if err != nil {
		return OpCode{}, err
	}
	version, err := r.int32Field(t, opcodeVersion, 1)
	if err != nil {
		return OpCode{}, err
	}
	return OpCode{Code: BuiltinOperator(code), CustomCode: custom, Version: int(version)}, nil
}

// parseOperator reads operator i; nTensors bounds the tensor indices.
func (r *reader) parseOperator(t table, i int, codes []OpCode, nTensors int) (Operator, error) {
	op := Operator{Index: i}
	idx, err := r.uint32Field(t, operatorOpcodeIndex, 0)
	if err != nil {
		return op, fmt.Errorf("operator %d: %w", i, err)
	}
	if int64(idx) >= int64(len(codes)) {
		return op, fmt.Errorf("operator %d: %w", i, fieldErr(operatorOpcodeIndex,
			&FormatError{Offset: -1, Msg: fmt.Sprintf("opcode index %d out of range (model has %d operator codes)", idx, len(codes))}))
	}
	c := codes[idx]
	op.OpcodeIndex, op.Code, op.CustomCode, op.Version = int(idx), c.Code, c.CustomCode, c.Version
	if err := r.readOperator(t, &op, nTensors); err != nil {
		return op, fmt.Errorf("operator %d (%s): %w", i, op.Name(), err)
	}
	return op, nil
}

func (r *reader) readOperator(t table, op *Operator, nTensors int) error {
	var err error
	if op.Inputs, err = r.tensorIndices(t, operatorInputs, nTensors, true); err != nil {
		return err
	}
	if op.Outputs, err = r.tensorIndices(t, operatorOutputs, nTensors, true); err != nil {
		return err
	}
	want, ok := optionsFor[op.Code]
	if !ok {
		return nil // options of other operators are not read
	}
	typ, err := r.uint8Field(t, operatorOptionsType, 0)
	if err != nil {
		return err
	}
	got := optionsType(typ)
	if got != want && got != optNone {
		return fieldErr(operatorOptionsType, &FormatError{Offset: -1, Msg: fmt.Sprintf("options are %v, want %v", got, want)})
	}
	var ot table
	present := false
	if got != optNone {
		if ot, present, err = r.tableField(t, operatorBuiltinOptions); err != nil {
			return err
		}
	}
	if op.Options, err = r.decodeOptions(op.Code, ot, present); err != nil {
		if !present {
			return fmt.Errorf("builtin_options absent, defaults unusable: %w", err)
		}
		return fmt.Errorf("builtin_options %v: %w", want, err)
	}
	return nil
}

// tensorIndices reads an [int] field of tensor indices, each in [0, n) or, if
// allowAbsent, -1.
func (r *reader) tensorIndices(t table, f field, n int, allowAbsent bool) ([]int, error) {
	idx, err := r.int32sField(t, f, math.MaxInt32)
	if err != nil {
		return nil, err
	}
	for k, v := range idx {
		if (v < 0 || v >= n) && !(allowAbsent && v == -1) {
			return nil, fieldErr(f, &FormatError{Offset: -1, Msg: fmt.Sprintf("element %d: tensor index %d out of range (subgraph has %d tensors)", k, v, n)})
		}
	}
	return idx, nil
}

// Unsupported returns the names (see Operator.Name) of the model's operators
// for which supported returns false, each once, in order of first use. A nil
// supported means HasOptions: the operators this package decodes.
func (m *Model) Unsupported(supported func(BuiltinOperator) bool) []string {
	if supported == nil {
		supported = HasOptions
	}
	var names []string
	seen := map[string]bool{}
	for i := range m.Operators {
		op := &m.Operators[i]
		if supported(op.Code) {
			continue
		}
		if n := op.Name(); !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	return names
}
