package tensor

import (
	"math"
	"strings"
	"testing"
	"unsafe"
)

func TestDTypes(t *testing.T) {
	for _, c := range []struct {
		d      DType
		size   int
		acc    DType
		name   string
		lo, hi int64
	}{
		{Float32, 4, Float32, "float32", 0, 0},
		{Uint8, 1, Int32, "uint8", 0, 255},
		{Int8, 1, Int32, "int8", -128, 127},
		{Int32, 4, Int32, "int32", math.MinInt32, math.MaxInt32},
	} {
		lo, hi := c.d.Range()
		if c.d.Size() != c.size || c.d.Accumulator() != c.acc || c.d.String() != c.name || lo != c.lo || hi != c.hi {
			t.Errorf("%v: size %d accumulator %v range [%d, %d]", c.d, c.d.Size(), c.d.Accumulator(), lo, hi)
		}
	}
	if DType(0).Size() != 0 || DType(0).String() != "DType(0)" {
		t.Error("the zero DType is not invalid")
	}
}

// TestDequantizePerTensor: real = scale x (q - zero point), in float64
// rounded once, for every integer type.
func TestDequantizePerTensor(t *testing.T) {
	q := &Quant{Scale: []float32{0.1}, ZeroPoint: []int32{128}}
	got, err := Uint8s([]int{4}, []uint8{0, 127, 128, 255}, q).Dequantize()
	if err != nil {
		t.Fatal(err)
	}
	s := float64(float32(0.1))
	want := []float32{float32(s * -128), float32(s * -1), 0, float32(s * 127)}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("uint8 %d: %v, want %v", i, got[i], want[i])
		}
	}
	i8, err := Int8s([]int{2}, []int8{-128, 127}, &Quant{Scale: []float32{0.5}, ZeroPoint: []int32{-1}}).Dequantize()
	if err != nil || i8[0] != -63.5 || i8[1] != 64 {
		t.Errorf("int8: %v %v", i8, err)
	}
	i32, err := Int32s([]int{2}, []int32{-1000, 3}, &Quant{Scale: []float32{0.25}, ZeroPoint: []int32{0}}).Dequantize()
	if err != nil || i32[0] != -250 || i32[1] != 0.75 {
		t.Errorf("int32: %v %v", i32, err)
	}
}

// TestDequantizePerChannel: the scale of an element is its channel's
// along Axis, whichever axis that is.
func TestDequantizePerChannel(t *testing.T) {
	// [2][3]: axis 0 gives rows their scale, axis 1 columns.
	v := []int8{1, 2, 3, 4, 5, 6}
	rows, err := Int8s([]int{2, 3}, v, &Quant{Scale: []float32{1, 10}, ZeroPoint: []int32{0, 1}, Axis: 0}).Dequantize()
	if err != nil {
		t.Fatal(err)
	}
	if want := []float32{1, 2, 3, 30, 40, 50}; !equal(rows, want) {
		t.Errorf("axis 0: %v, want %v", rows, want)
	}
	cols, err := Int8s([]int{2, 3}, v, &Quant{Scale: []float32{1, 10, 100}, ZeroPoint: []int32{0, 0, 3}, Axis: 1}).Dequantize()
	if err != nil {
		t.Fatal(err)
	}
	if want := []float32{1, 20, 0, 4, 50, 300}; !equal(cols, want) {
		t.Errorf("axis 1: %v, want %v", cols, want)
	}
	if _, err := Int8s([]int{2, 3}, v, &Quant{Scale: []float32{1, 10}, ZeroPoint: []int32{0, 0}, Axis: 1}).Dequantize(); err == nil {
		t.Error("2 scales along an axis of 3 accepted")
	}
	if _, err := Uint8s([]int{2}, []uint8{1, 2}, nil).Dequantize(); err == nil || !strings.Contains(err.Error(), "no quantization") {
		t.Errorf("unquantized uint8: %v", err)
	}
	f, err := Float32s([]int{2}, []float32{1.5, -2}).Dequantize()
	if err != nil || !equal(f, []float32{1.5, -2}) {
		t.Errorf("float32: %v %v", f, err)
	}
}

func TestQuantCheck(t *testing.T) {
	good := &Quant{Scale: []float32{0.5, 2}, ZeroPoint: []int32{0, 255}, Axis: 1}
	if err := good.Check(Uint8, []int{3, 2}); err != nil {
		t.Error(err)
	}
	for _, c := range []struct {
		q    *Quant
		d    DType
		want string
	}{
		{&Quant{Scale: []float32{0}, ZeroPoint: []int32{0}}, Uint8, "positive finite"},
		{&Quant{Scale: []float32{float32(math.NaN())}, ZeroPoint: []int32{0}}, Uint8, "positive finite"},
		{&Quant{Scale: []float32{float32(math.Inf(1))}, ZeroPoint: []int32{0}}, Uint8, "positive finite"},
		{&Quant{Scale: []float32{1}, ZeroPoint: []int32{256}}, Uint8, "outside the uint8 range"},
		{&Quant{Scale: []float32{1}, ZeroPoint: []int32{-129}}, Int8, "outside the int8 range"},
		{&Quant{Scale: []float32{1, 1}, ZeroPoint: []int32{0}}, Int8, "2 scales and 1 zero points"},
		{&Quant{Scale: []float32{1, 1}, ZeroPoint: []int32{0, 0}, Axis: 0}, Int8, "do not match axis 0"},
	} {
		if err := c.q.Check(c.d, []int{3, 2}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.q, err, c.want)
		}
	}
}

// TestView: a typed view aliases the bytes; misaligned or ragged memory
// is refused.
func TestView(t *testing.T) {
	backing := make([]float32, 8) // 4-byte aligned
	b := unsafe.Slice((*byte)(unsafe.Pointer(&backing[0])), 32)
	v, err := View(F32(), []int{2, 4}, b)
	if err != nil {
		t.Fatal(err)
	}
	v.Float32()[5] = 7
	if backing[5] != 7 || v.Len() != 8 || v.Elems() != 8 || !v.Dense() || v.Uint8() != nil {
		t.Errorf("view: %v len %d", backing, v.Len())
	}
	if _, err := View(F32(), []int{1}, b[1:5]); err == nil {
		t.Error("misaligned float32 view accepted")
	}
	if _, err := View(F32(), []int{1}, b[:6]); err == nil {
		t.Error("a view of 6 bytes as float32 accepted")
	}
	u, err := View(Type{DType: Uint8}, []int{32}, b)
	if err != nil || u.Len() != 32 {
		t.Errorf("uint8 view: %v", err)
	}
	padded := &Tensor{Type: F32(), Shape: []int{1, 2, 3}, Stride: 4}
	if padded.Dense() {
		t.Error("a tensor with a pixel stride above its channels is dense")
	}
	if _, err := View(Type{}, nil, b); err == nil {
		t.Error("view of an invalid type accepted")
	}
}

func equal(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
