package tflite

import (
	"errors"
	"os"
	"strings"
	"testing"

	"mnet.dev/mnet/internal/testdata"
)

// realModel describes one shared test model and the facts the README states.
type realModel struct {
	file     string
	size     int  // input height = width
	quant    bool // uint8 (else float32)
	labels   bool // carries an appended zip with labels
	toco     bool // TOCO-converted: fused activations absent (see TestRealModels)
	channels int  // channels of the last feature map (256 * alpha * 4)
}

var realModels = []realModel{
	{file: "mobilenet_v1_0.25_224_float.tflite", size: 224, channels: 256},
	{file: "mobilenet_v1_0.25_224_quant.tflite", size: 224, quant: true, labels: true, toco: true, channels: 256},
	{file: "mobilenet_v1_0.75_192_quant.tflite", size: 192, quant: true, labels: true, channels: 768},
	{file: "mobilenet_v1_0.5_160_quant.tflite", size: 160, quant: true, labels: true, channels: 512},
	{file: "mobilenet_v1_0.25_128_quant.tflite", size: 128, quant: true, labels: true, channels: 256},
}

// readReal returns the bytes of a shared test model, skipping (failing under
// CI) when the test data is absent.
func readReal(tb testing.TB, file string) []byte {
	tb.Helper()
	data, err := os.ReadFile(testdata.File(tb, "models/"+file))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// mustParse parses data or fails the test.
func mustParse(tb testing.TB, data []byte) *Model {
	tb.Helper()
	m, err := Parse(data)
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	return m
}

// wantErr checks that err is a wrapped *FormatError whose message contains
// every one of parts.
func wantErr(tb testing.TB, err error, parts ...string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("got no error, want one containing %q", parts)
	}
	var fe *FormatError
	if !errors.As(err, &fe) {
		tb.Errorf("error %q does not wrap a *FormatError", err)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			tb.Errorf("error %q does not contain %q", err, p)
		}
	}
}

// checkInvariants checks what Parse promises about a model it accepted.
func checkInvariants(tb testing.TB, m *Model) {
	tb.Helper()
	n := len(m.Tensors)
	for i := range m.Tensors {
		t := &m.Tensors[i]
		if t.Index != i {
			tb.Fatalf("tensor %d has Index %d", i, t.Index)
		}
		if len(t.Shape) > MaxRank {
			tb.Fatalf("tensor %d: rank %d", i, len(t.Shape))
		}
		e := int64(1)
		for _, d := range t.Shape {
			if d < 1 {
				tb.Fatalf("tensor %d: shape %v", i, t.Shape)
			}
			e *= int64(d)
			if e > MaxElements {
				tb.Fatalf("tensor %d: shape %v too large", i, t.Shape)
			}
		}
		if s := t.Type.Size(); s > 0 && !t.Sparse && len(t.Data) > 0 && len(t.Data) != t.NumElements()*s {
			tb.Fatalf("tensor %d: %d data bytes for %v", i, len(t.Data), t)
		}
		if q := t.Quant; q != nil && !q.Custom {
			if len(q.Scale) == 0 || len(q.Scale) != len(q.ZeroPoint) {
				tb.Fatalf("tensor %d: bad quantization %+v", i, q)
			}
			if q.PerChannel() && (q.Dimension < 0 || q.Dimension >= len(t.Shape) || t.Shape[q.Dimension] != len(q.Scale)) {
				tb.Fatalf("tensor %d: bad per-channel quantization %+v", i, q)
			}
		}
	}
	inRange := func(what string, idx []int, absentOK bool) {
		for _, v := range idx {
			if (v < 0 || v >= n) && !(absentOK && v == -1) {
				tb.Fatalf("%s: tensor index %d out of range", what, v)
			}
		}
	}
	inRange("inputs", m.Inputs, false)
	inRange("outputs", m.Outputs, false)
	for i := range m.Operators {
		op := &m.Operators[i]
		if op.Index != i || op.OpcodeIndex < 0 || op.OpcodeIndex >= len(m.OpCodes) {
			tb.Fatalf("operator %d: bad index/opcode index %d/%d", i, op.Index, op.OpcodeIndex)
		}
		inRange(op.Name()+" inputs", op.Inputs, true)
		inRange(op.Name()+" outputs", op.Outputs, true)
		if HasOptions(op.Code) != (op.Options != nil) {
			tb.Fatalf("operator %d %s: options %T", i, op.Name(), op.Options)
		}
	}
}
