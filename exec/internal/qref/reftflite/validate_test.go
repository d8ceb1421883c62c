package reftflite_test

import (
	"errors"
	"strings"
	"testing"

	"mnet.dev/mnet/exec/internal/qref/reftflite"
	"mnet.dev/mnet/internal/qmath"
	"mnet.dev/mnet/internal/testdata"
	"mnet.dev/mnet/spec/tflite"
)

// TestPrepareRefusesBadQuantization corrupts one quantization field of a
// real model at a time and checks that Prepare refuses it with an error
// naming the operator, the tensor and the field.
func TestPrepareRefusesBadQuantization(t *testing.T) {
	path := testdata.File(t, "models/mobilenet_v1_0.25_128_quant.tflite")
	for _, c := range []struct {
		name   string
		tensor int // in the 0.25-128 model: 30 conv weights, 29 its bias, 31 its output, 88 the softmax output
		edit   func(q *tflite.Quantization)
		field  string
	}{
		{"zero weights scale", 30, func(q *tflite.Quantization) { q.Scale = []float32{0} }, "scale[0]"},
		{"negative output scale", 31, func(q *tflite.Quantization) { q.Scale = []float32{-0.02} }, "scale[0]"},
		{"weights zero point 256", 30, func(q *tflite.Quantization) { q.ZeroPoint = []int64{256} }, "zero_point[0]"},
		{"bias zero point 1", 29, func(q *tflite.Quantization) { q.ZeroPoint = []int64{1} }, "zero_point[0]"},
		{"bias scale off", 29, func(q *tflite.Quantization) { q.Scale = []float32{q.Scale[0] * 10} }, "scale"},
		{"softmax output scale", 88, func(q *tflite.Quantization) { q.Scale = []float32{1.0 / 255} }, "scale[0]"},
	} {
		m, err := tflite.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		ten := &m.Tensors[c.tensor]
		q := *ten.Quant
		q.Scale, q.ZeroPoint = append([]float32(nil), q.Scale...), append([]int64(nil), q.ZeroPoint...)
		c.edit(&q)
		ten.Quant = &q
		_, err = reftflite.Prepare(m)
		if c.name == "bias scale off" {
			t.Log(err)
		}
		var qe *qmath.Error
		if !errors.As(err, &qe) {
			t.Errorf("%s: error %v, want a *qmath.Error", c.name, err)
			continue
		}
		if !strings.Contains(qe.Tensor, ten.Name) || qe.Field != c.field || !strings.Contains(err.Error(), "operator ") {
			t.Errorf("%s: %v (tensor %q field %q), want tensor %d field %s", c.name, err, qe.Tensor, qe.Field, c.tensor, c.field)
		}
	}
}
