package qmath

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func u8(name string, scale float32, zp int64) Tensor {
	return Tensor{Name: name, Type: Uint8, Scale: []float32{scale}, ZeroPoint: []int64{zp}}
}

func i8(name string, scale float32, zp int64) Tensor {
	return Tensor{Name: name, Type: Int8, Scale: []float32{scale}, ZeroPoint: []int64{zp}}
}

func bias32(name string, scales ...float32) Tensor {
	return Tensor{Name: name, Type: Int32, Scale: scales, ZeroPoint: make([]int64, len(scales))}
}

// wantErr checks that err is an *Error naming tensor and field.
func wantErr(t *testing.T, what string, err error, tensor, field string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Errorf("%s: error %v, want a *qmath.Error", what, err)
		return
	}
	if e.Tensor != tensor || e.Field != field {
		t.Errorf("%s: error names %q field %q, want %q field %q (%v)", what, e.Tensor, e.Field, tensor, field, err)
	}
	if !strings.Contains(err.Error(), tensor) || !strings.Contains(err.Error(), field) {
		t.Errorf("%s: message %q does not name the tensor and field", what, err)
	}
}

func TestCheckTensor(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	for _, c := range []struct {
		t     Tensor
		field string
	}{
		{u8("t", 0, 0), "scale[0]"},
		{u8("t", -0.5, 0), "scale[0]"},
		{u8("t", nan, 0), "scale[0]"},
		{u8("t", inf, 0), "scale[0]"},
		{u8("t", float32(math.Inf(-1)), 0), "scale[0]"},
		{u8("t", 0.1, 256), "zero_point[0]"},
		{u8("t", 0.1, -1), "zero_point[0]"},
		{i8("t", 0.1, 128), "zero_point[0]"},
		{i8("t", 0.1, -129), "zero_point[0]"},
		{Tensor{Name: "t", Type: Int16, Scale: []float32{1}, ZeroPoint: []int64{40000}}, "zero_point[0]"},
		{Tensor{Name: "t", Type: Int32, Scale: []float32{1}, ZeroPoint: []int64{3}}, "zero_point[0]"},
		{Tensor{Name: "t", Type: Int8, Scale: []float32{1, 2, 0}, ZeroPoint: []int64{0, 0, 0}}, "scale[2]"},
		{Tensor{Name: "t", Type: Int8, Scale: []float32{1, 2}, ZeroPoint: []int64{0}}, "zero_point"},
		{Tensor{Name: "t", Type: Int8}, "scale"},
		{Tensor{Name: "t", Type: Type(42), Scale: []float32{1}, ZeroPoint: []int64{0}}, "type"},
		{Tensor{Name: "t", Type: Int8, Scale: []float32{1, 1}, ZeroPoint: []int64{0, 0}, Dimension: -1}, "quantized_dimension"},
	} {
		wantErr(t, c.field, CheckTensor(c.t), "t", c.field)
	}
	for _, ok := range []Tensor{
		u8("t", 1e-6, 0), u8("t", 1, 255), u8("t", 0.0078125, 128),
		i8("t", 0.5, -128), i8("t", 0.5, 127), bias32("b", 1e-6, 1e-3),
	} {
		if err := CheckTensor(ok); err != nil {
			t.Errorf("CheckTensor(%+v): %v", ok, err)
		}
	}
}

func TestPrepareConvUint8(t *testing.T) {
	in, w, out := u8("in", 1.0/128, 128), u8("w", 0.00888241, 157), u8("out", 0.023528477, 0)
	b := bias32("b", 6.939383e-05) // the shared 0.25-128 model's first layer
	q, err := PrepareConv(in, w, &b, out, ActRelu6, 8, 0)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := PerTensorConvMultiplier(1.0/128, 0.00888241, 0.023528477)
	if q.Type != Uint8 || q.InputOffset != -128 || q.WeightsOffset != -157 || q.OutputOffset != 0 ||
		q.Multiplier != m || q.PerChannel != nil || q.ActMin != 0 || q.ActMax != 255 {
		t.Errorf("PrepareConv = %+v", q)
	}

	bad := bias32("b", 6.939383e-05*1.2) // 20% off: 0.2 * 6.9e-5 / 0.0235 = 0.0006 steps: accepted
	if _, err := PrepareConv(in, w, &bad, out, ActRelu6, 8, 0); err != nil {
		t.Errorf("bias scale within tolerance refused: %v", err)
	}
	bad = bias32("b", 6.939383e-05+0.021*0.023528477) // 0.021 output steps per unit
	_, err = PrepareConv(in, w, &bad, out, ActRelu6, 8, 0)
	wantErr(t, "bias beyond tolerance", err, "b", "scale")

	pc := Tensor{Name: "w", Type: Uint8, Scale: []float32{0.1, 0.2}, ZeroPoint: []int64{1, 2}}
	_, err = PrepareConv(in, pc, nil, out, ActNone, 2, 0)
	wantErr(t, "per-channel uint8 weights", err, "w", "scale")

	_, err = PrepareConv(in, i8("w", 0.1, 0), nil, out, ActNone, 8, 0)
	wantErr(t, "int8 weights with uint8 input", err, "w", "type")
	_, err = PrepareConv(in, w, nil, i8("out", 0.1, 0), ActNone, 8, 0)
	wantErr(t, "int8 output", err, "out", "type")
	f := bias32("b", 6.939383e-05)
	f.Type = Int8
	_, err = PrepareConv(in, w, &f, out, ActNone, 8, 0)
	wantErr(t, "int8 bias", err, "b", "type")
	_, err = PrepareConv(u8("in", 0, 128), w, nil, out, ActNone, 8, 0)
	wantErr(t, "zero input scale", err, "in", "scale[0]")
	_, err = PrepareConv(in, w, nil, out, ActTanh, 8, 0)
	wantErr(t, "tanh", err, "out", "scale")
}

func TestPrepareConvInt8(t *testing.T) {
	in, out := i8("in", 0.02, -5), i8("out", 0.05, 3)
	w := Tensor{Name: "w", Type: Int8, Scale: []float32{0.001, 0.002, 0.004}, ZeroPoint: []int64{0, 0, 0}, Dimension: 3}
	b := bias32("b", 0.02*0.001, 0.02*0.002, 0.02*0.004)
	q, err := PrepareConv(in, w, &b, out, ActRelu, 3, 3)
	if err != nil {
		t.Fatal(err)
	}
	if q.Type != Int8 || q.InputOffset != 5 || q.WeightsOffset != 0 || q.OutputOffset != 3 || len(q.PerChannel) != 3 || q.ActMin != 3 || q.ActMax != 127 {
		t.Errorf("PrepareConv = %+v", q)
	}
	for c, s := range w.Scale {
		want, _ := PerChannelConvMultiplier(0.02, s, 0.05)
		if q.PerChannel[c] != want {
			t.Errorf("channel %d: %+v, want %+v", c, q.PerChannel[c], want)
		}
	}
	mult, shift := q.Split()
	if len(mult) != 3 || mult[2] != q.PerChannel[2].M || shift[1] != q.PerChannel[1].Shift {
		t.Errorf("Split = %v, %v", mult, shift)
	}
	// A per-tensor int8 weight scale is broadcast to every channel.
	q, err = PrepareConv(in, i8("w", 0.001, 0), nil, out, ActNone, 4, 0)
	if err != nil || len(q.PerChannel) != 4 || q.PerChannel[3] != q.PerChannel[0] {
		t.Errorf("per-tensor int8 weights: %+v, %v", q, err)
	}

	asym := w
	asym.ZeroPoint = []int64{0, 1, 0}
	_, err = PrepareConv(in, asym, nil, out, ActNone, 3, 3)
	wantErr(t, "asymmetric int8 weights", err, "w", "zero_point[1]")
	_, err = PrepareConv(in, w, nil, out, ActNone, 4, 3)
	wantErr(t, "scale count", err, "w", "scale")
	_, err = PrepareConv(in, w, nil, out, ActNone, 3, 0)
	wantErr(t, "quantized dimension", err, "w", "quantized_dimension")
	b2 := bias32("b", 0.02*0.001, 0.02*0.002, 0.02*0.004+0.0011) // 0.022 output steps per unit
	_, err = PrepareConv(in, w, &b2, out, ActNone, 3, 3)
	wantErr(t, "per-channel bias beyond tolerance", err, "b", "scale[2]")
	pcIn := in
	pcIn.Scale, pcIn.ZeroPoint = []float32{0.1, 0.1}, []int64{0, 0}
	_, err = PrepareConv(pcIn, w, nil, out, ActNone, 3, 3)
	wantErr(t, "per-channel activation", err, "in", "scale")
}

func TestPreparePoolSoftmaxAdd(t *testing.T) {
	in := u8("in", 0.023528477, 0)
	lo, hi, err := PreparePool(in, u8("out", 0.023528477, 0), ActNone)
	if err != nil || lo != 0 || hi != 255 {
		t.Errorf("PreparePool = %d, %d, %v", lo, hi, err)
	}
	_, _, err = PreparePool(in, u8("out", 0.024, 0), ActNone)
	wantErr(t, "pool scale", err, "out", "scale")
	_, _, err = PreparePool(in, u8("out", 0.023528477, 1), ActNone)
	wantErr(t, "pool zero point", err, "out", "zero_point")

	logits := u8("logits", 0.13083284, 96)
	if _, err := PrepareSoftmax(logits, u8("prob", 1.0/256, 0), 1); err != nil {
		t.Errorf("PrepareSoftmax: %v", err)
	}
	if _, err := PrepareSoftmax(i8("logits", 0.1, 0), i8("prob", 1.0/256, -128), 1); err != nil {
		t.Errorf("PrepareSoftmax int8: %v", err)
	}
	_, err = PrepareSoftmax(logits, u8("prob", 1.0/255, 0), 1)
	wantErr(t, "softmax output scale", err, "prob", "scale[0]")
	_, err = PrepareSoftmax(logits, u8("prob", 1.0/256, 128), 1)
	wantErr(t, "softmax output zero point", err, "prob", "zero_point[0]")
	_, err = PrepareSoftmax(i8("logits", 0.1, 0), i8("prob", 1.0/256, 0), 1)
	wantErr(t, "int8 softmax output zero point", err, "prob", "zero_point[0]")
	_, err = PrepareSoftmax(u8("logits", 1e-9, 0), u8("prob", 1.0/256, 0), 1)
	wantErr(t, "softmax input scale too small", err, "logits", "scale[0]")

	if _, err := PrepareAdd(u8("a", 0.1, 10), u8("b", 0.2, 20), u8("c", 0.3, 30), ActNone); err != nil {
		t.Errorf("PrepareAdd: %v", err)
	}
	_, err = PrepareAdd(u8("a", 0.1, 10), i8("b", 0.2, 20), u8("c", 0.3, 30), ActNone)
	wantErr(t, "add types", err, "b", "type")
	_, err = PrepareAdd(u8("a", 0.1, 10), u8("b", 0.2, 300), u8("c", 0.3, 30), ActNone)
	wantErr(t, "add zero point", err, "b", "zero_point[0]")
}
