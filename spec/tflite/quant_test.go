package tflite

import (
	"encoding/binary"
	"math"
	"slices"
	"testing"
)

func TestFloat32(t *testing.T) {
	m := mustParse(t, build(tinyModel()))
	get := func(i int) []float32 {
		t.Helper()
		v, err := m.Tensors[i].Float32()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// FLOAT32 weights: i/10.
	w := get(1)
	for i, v := range w {
		if v != float32(i)/10 {
			t.Fatalf("weights[%d] = %v", i, v)
		}
	}
	if b := get(2); !slices.Equal(b, []float32{0.5, -0.5}) {
		t.Errorf("bias %v", b)
	}
	// UINT8 [2 3] per channel along dim 0: row 0 scale 0.5 zp 128, row 1 scale 0.25 zp 10.
	//   {128, 130, 0} -> {0, 1, -64}; {10, 11, 12} -> {0, 0.25, 0.5}
	if q := get(6); !slices.Equal(q, []float32{0, 1, -64, 0, 0.25, 0.5}) {
		t.Errorf("uint8 per-channel %v", q)
	}
	// INT32 bias per channel: {1000*0.001, -1000*0.002}, the float32 scales
	// widened to float64, multiplied and rounded once.
	wantBias := []float32{float32(1000 * float64(float32(0.001))), float32(-1000 * float64(float32(0.002)))}
	if qb := get(7); !slices.Equal(qb, wantBias) || wantBias[0] != 1 || wantBias[1] != -2 {
		t.Errorf("int32 bias %v", qb)
	}
	// INT8 per tensor, scale 1/8, zero point -3: {-128, -1, 0, 127} -> {-15.625, 0.25, 0.375, 16.25}.
	if i8 := get(9); !slices.Equal(i8, []float32{-15.625, 0.25, 0.375, 16.25}) {
		t.Errorf("int8 %v", i8)
	}
	if q := m.Tensors[9].Quant; !slices.Equal(q.Min, []float32{-1}) || !slices.Equal(q.Max, []float32{1}) || q.PerChannel() {
		t.Errorf("int8 quantization %+v", q)
	}

	// Int32s returns raw values; Float32 refuses unquantized integers.
	if s, err := m.Tensors[5].Int32s(); err != nil || !slices.Equal(s, []int32{4, 4}) {
		t.Errorf("Int32s = %v, %v", s, err)
	}
	for _, tc := range []struct {
		i    int
		want string
	}{
		{5, `tflite: tensor 5 "size": INT32 tensor has no quantization parameters`},
		{0, `tflite: tensor 0 "input": tensor has no data (not a constant)`},
	} {
		if _, err := m.Tensors[tc.i].Float32(); err == nil || err.Error() != tc.want {
			t.Errorf("Float32 of tensor %d: %v, want %q", tc.i, err, tc.want)
		}
	}
	if _, err := m.Tensors[1].Int32s(); err == nil {
		t.Error("Int32s of a FLOAT32 tensor succeeded")
	}
}

// TestFloat32PerChannelInner: per-channel along a middle dimension, on a
// hand-built tensor: shape [2 3 2], dimension 1, so element (a, c, b) uses
// scale[c].
func TestFloat32PerChannelInner(t *testing.T) {
	data := make([]byte, 12)
	for i := range data {
		data[i] = byte(10 + i)
	}
	ten := &Tensor{Name: "x", Shape: []int{2, 3, 2}, Type: Uint8, Data: data,
		Quant: &Quantization{Scale: []float32{1, 2, 4}, ZeroPoint: []int64{10, 11, 12}, Dimension: 1}}
	got, err := ten.Float32()
	if err != nil {
		t.Fatal(err)
	}
	var want []float32
	for a := 0; a < 2; a++ {
		for c := 0; c < 3; c++ {
			for b := 0; b < 2; b++ {
				q := int64(data[a*6+c*2+b])
				want = append(want, float32(float64(ten.Quant.Scale[c])*float64(q-ten.Quant.ZeroPoint[c])))
			}
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	// A hand-built tensor with inconsistent fields is an error, not a panic.
	for _, bad := range []*Tensor{
		{Shape: []int{2, 3, 2}, Type: Uint8, Data: data, Quant: &Quantization{Scale: []float32{1, 2}, ZeroPoint: []int64{0, 0}, Dimension: 1}},
		{Shape: []int{2, 3, 2}, Type: Uint8, Data: data, Quant: &Quantization{Scale: []float32{1, 2, 3}, ZeroPoint: []int64{0, 0, 0}, Dimension: 7}},
		{Shape: []int{2, 3, 2}, Type: Uint8, Data: data, Quant: &Quantization{Scale: []float32{1}}},
		{Shape: []int{5}, Type: Uint8, Data: data, Quant: &Quantization{Scale: []float32{1}, ZeroPoint: []int64{0}}},
		{Shape: []int{-2, -6}, Type: Uint8, Data: data, Quant: &Quantization{Scale: []float32{1}, ZeroPoint: []int64{0}}},
		{Shape: []int{3}, Type: Float16, Data: data[:6]},
	} {
		if _, err := bad.Float32(); err == nil {
			t.Errorf("Float32 of %+v succeeded", bad)
		}
	}
}

// TestFloat32RealQuant checks dequantized values of a real uint8 model
// against values computed by hand from the raw bytes and parameters.
func TestFloat32RealQuant(t *testing.T) {
	m := mustParse(t, readReal(t, "mobilenet_v1_0.25_224_quant.tflite"))
	var w, b *Tensor
	for i := range m.Operators {
		if op := &m.Operators[i]; op.Code == OpConv2D {
			w, b = &m.Tensors[op.Inputs[1]], &m.Tensors[op.Inputs[2]]
			break
		}
	}
	wv, err := w.Float32()
	if err != nil {
		t.Fatal(err)
	}
	s, zp := float64(w.Quant.Scale[0]), w.Quant.ZeroPoint[0]
	for _, i := range []int{0, 1, 17, len(wv) - 1} {
		if want := float32(s * float64(int64(w.Data[i])-zp)); wv[i] != want {
			t.Errorf("weight %d: %v, want %v", i, wv[i], want)
		}
	}
	bv, err := b.Float32()
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, len(bv) - 1} {
		q := int32(binary.LittleEndian.Uint32(b.Data[4*i:]))
		if want := float32(float64(b.Quant.Scale[0]) * float64(q)); bv[i] != want {
			t.Errorf("bias %d: %v, want %v", i, bv[i], want)
		}
	}
	// Dequantized conv0 weights of the quant model stay within the float range
	// recorded in the file (min/max).
	lo, hi := w.Quant.Min[0], w.Quant.Max[0]
	for _, v := range wv {
		if v < lo-float32(s) || v > hi+float32(s) || math.IsNaN(float64(v)) {
			t.Fatalf("weight %v outside [%v, %v]", v, lo, hi)
		}
	}
}
