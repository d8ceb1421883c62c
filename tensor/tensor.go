// Package tensor holds mnet's typed tensors: an element type (DType), the
// affine quantization integer tensors carry (per tensor, or per channel
// along one axis), and dense data in row-major order.
//
// Activations and float weights are float32; quantized models store uint8
// or int8 values with a scale and zero point, real = scale x (q - zero
// point), and int32 biases whose scale is the input's times the weights'
// (zero point 0). A Tensor holds exactly one typed slice, the one its DType
// names; its accessors return that slice itself (no copy), or nil for
// another type. Dequantize converts any of them to float32 values.
//
// A Tensor made by View aliases memory it does not own (an arena, a file's
// bytes): the caller keeps that memory alive and unchanged while the
// tensor is in use.
package tensor

import (
	"errors"
	"fmt"
	"math"
	"unsafe"
)

// DType is a tensor's element type.
type DType uint8

// Element types. The zero value is invalid, so a forgotten type is caught.
const (
	Float32 DType = iota + 1
	Uint8
	Int8
	Int32
)

// Size is the bytes of one element (0 for an invalid DType).
func (d DType) Size() int {
	switch d {
	case Float32, Int32:
		return 4
	case Uint8, Int8:
		return 1
	}
	return 0
}

// Accumulator is the type sums of products of d are kept in, and so the
// type of a layer's bias: float32 for float32, int32 for the 8-bit types.
func (d DType) Accumulator() DType {
	switch d {
	case Uint8, Int8, Int32:
		return Int32
	}
	return d
}

// Integer reports whether d holds integers (quantized values).
func (d DType) Integer() bool { return d == Uint8 || d == Int8 || d == Int32 }

// Range is the smallest and largest value of an integer type.
func (d DType) Range() (lo, hi int64) {
	switch d {
	case Uint8:
		return 0, 255
	case Int8:
		return -128, 127
	case Int32:
		return math.MinInt32, math.MaxInt32
	}
	return 0, 0
}

func (d DType) String() string {
	switch d {
	case Float32:
		return "float32"
	case Uint8:
		return "uint8"
	case Int8:
		return "int8"
	case Int32:
		return "int32"
	}
	return fmt.Sprintf("DType(%d)", uint8(d))
}

// Quant is the affine quantization of an integer tensor: the real value of
// a stored q is Scale[c] * (q - ZeroPoint[c]), where c is 0 for a tensor
// quantized as a whole and otherwise the element's index along Axis (per
// channel: one scale and zero point per output channel of a weight
// tensor).
type Quant struct {
	Scale     []float32
	ZeroPoint []int32
	Axis      int // the channel axis when there are several scales
}

// PerChannel reports whether the tensor has a scale per channel.
func (q *Quant) PerChannel() bool { return len(q.Scale) > 1 }

// Check verifies the parameters for a tensor of type d and shape: as many
// zero points as scales, positive finite scales, zero points in the
// type's range, and per channel an axis whose size is the number of
// scales.
func (q *Quant) Check(d DType, shape []int) error {
	if len(q.Scale) == 0 || len(q.ZeroPoint) != len(q.Scale) {
		return fmt.Errorf("quantization has %d scales and %d zero points", len(q.Scale), len(q.ZeroPoint))
	}
	for i, s := range q.Scale {
		if !(s > 0) || math.IsInf(float64(s), 0) {
			return fmt.Errorf("quantization scale %d is %g; want a positive finite number", i, s)
		}
	}
	lo, hi := d.Range()
	for i, z := range q.ZeroPoint {
		if int64(z) < lo || int64(z) > hi {
			return fmt.Errorf("zero point %d is %d, outside the %s range [%d, %d]", i, z, d, lo, hi)
		}
	}
	if q.PerChannel() && (q.Axis < 0 || q.Axis >= len(shape) || shape[q.Axis] != len(q.Scale)) {
		return fmt.Errorf("%d per-channel scales do not match axis %d of shape %v", len(q.Scale), q.Axis, shape)
	}
	return nil
}

// Type is an element type with its quantization (nil for plain values).
type Type struct {
	DType DType
	Quant *Quant
}

// F32 is the type of plain float32 tensors.
func F32() Type { return Type{DType: Float32} }

func (t Type) String() string {
	if t.Quant == nil {
		return t.DType.String()
	}
	if t.Quant.PerChannel() {
		return fmt.Sprintf("%s (%d scales along axis %d)", t.DType, len(t.Quant.Scale), t.Quant.Axis)
	}
	return fmt.Sprintf("%s (scale %g, zero point %d)", t.DType, t.Quant.Scale[0], t.Quant.ZeroPoint[0])
}

// Tensor is a dense tensor in row-major order. Stride, when set, is the
// distance in elements between consecutive entries of the second-to-last
// axis, at least the last axis' size: an NHWC activation whose pixels are
// padded for the cache (the padding holds no values). Zero means dense.
type Tensor struct {
	Type   Type
	Shape  []int
	Stride int

	f32 []float32
	u8  []uint8
	i8  []int8
	i32 []int32
}

// Float32s makes a float32 tensor over v (not copied).
func Float32s(shape []int, v []float32) *Tensor {
	return &Tensor{Type: F32(), Shape: shape, f32: v}
}

// Uint8s makes a uint8 tensor over v (not copied) with quantization q.
func Uint8s(shape []int, v []uint8, q *Quant) *Tensor {
	return &Tensor{Type: Type{DType: Uint8, Quant: q}, Shape: shape, u8: v}
}

// Int8s makes an int8 tensor over v (not copied) with quantization q.
func Int8s(shape []int, v []int8, q *Quant) *Tensor {
	return &Tensor{Type: Type{DType: Int8, Quant: q}, Shape: shape, i8: v}
}

// Int32s makes an int32 tensor over v (not copied) with quantization q.
func Int32s(shape []int, v []int32, q *Quant) *Tensor {
	return &Tensor{Type: Type{DType: Int32, Quant: q}, Shape: shape, i32: v}
}

// View makes a tensor of type t over memory b, in the machine's byte order
// (an arena's memory, never a file's). b must hold a whole number of
// elements and be aligned for the element type.
func View(t Type, shape []int, b []byte) (*Tensor, error) {
	size := t.DType.Size()
	if size == 0 {
		return nil, fmt.Errorf("tensor: view of invalid type %v", t.DType)
	}
	if len(b)%size != 0 {
		return nil, fmt.Errorf("tensor: %d bytes are not a whole number of %s values", len(b), t.DType)
	}
	n := len(b) / size
	x := &Tensor{Type: t, Shape: shape}
	if n == 0 {
		return x, nil
	}
	p := unsafe.Pointer(unsafe.SliceData(b))
	if uintptr(p)%uintptr(size) != 0 {
		return nil, errors.New("tensor: view of misaligned memory")
	}
	switch t.DType {
	case Float32:
		x.f32 = unsafe.Slice((*float32)(p), n)
	case Uint8:
		x.u8 = b
	case Int8:
		x.i8 = unsafe.Slice((*int8)(p), n)
	case Int32:
		x.i32 = unsafe.Slice((*int32)(p), n)
	}
	return x, nil
}

// Float32 returns a float32 tensor's values (nil for other types).
func (t *Tensor) Float32() []float32 { return t.f32 }

// Bytes returns an 8-bit tensor's values as bytes (int8 ones in two's
// complement), the same memory; nil for other types.
func (t *Tensor) Bytes() []byte {
	switch {
	case t.u8 != nil:
		return t.u8
	case len(t.i8) > 0:
		return unsafe.Slice((*byte)(unsafe.Pointer(&t.i8[0])), len(t.i8))
	}
	return nil
}

// Uint8 returns a uint8 tensor's values (nil for other types).
func (t *Tensor) Uint8() []uint8 { return t.u8 }

// Int8 returns an int8 tensor's values (nil for other types).
func (t *Tensor) Int8() []int8 { return t.i8 }

// Int32 returns an int32 tensor's values (nil for other types).
func (t *Tensor) Int32() []int32 { return t.i32 }

// Len is the number of stored elements (padding included).
func (t *Tensor) Len() int {
	switch t.Type.DType {
	case Float32:
		return len(t.f32)
	case Uint8:
		return len(t.u8)
	case Int8:
		return len(t.i8)
	case Int32:
		return len(t.i32)
	}
	return 0
}

// Elems is the number of values the shape holds (padding excluded).
func (t *Tensor) Elems() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// Dense reports whether the tensor has no padding.
func (t *Tensor) Dense() bool {
	return t.Stride == 0 || len(t.Shape) == 0 || t.Stride == t.Shape[len(t.Shape)-1]
}

// Dequantize returns the real values of a dense tensor in a new float32
// slice: float32 values as they are; integers as Scale * (q - ZeroPoint)
// with the parameters of the element's channel, computed in float64 and
// rounded once to float32 (what TFLite's reference dequantization does).
// An integer tensor without quantization, or whose quantization does not
// fit its shape, is an error; the values of scales and zero points are not
// judged here (see Quant.Check).
func (t *Tensor) Dequantize() ([]float32, error) {
	if !t.Dense() {
		return nil, errors.New("tensor: dequantizing a padded tensor")
	}
	if t.Type.DType == Float32 {
		return append([]float32(nil), t.f32...), nil
	}
	var load func(i int) int64
	switch t.Type.DType {
	case Uint8:
		load = func(i int) int64 { return int64(t.u8[i]) }
	case Int8:
		load = func(i int) int64 { return int64(t.i8[i]) }
	case Int32:
		load = func(i int) int64 { return int64(t.i32[i]) }
	default:
		return nil, fmt.Errorf("tensor: cannot dequantize type %v", t.Type.DType)
	}
	q := t.Type.Quant
	if q == nil {
		return nil, fmt.Errorf("tensor: %v tensor has no quantization parameters", t.Type.DType)
	}
	// The structure only: which values a model may use is the reader's
	// business (Quant.Check).
	if len(q.Scale) == 0 || len(q.ZeroPoint) != len(q.Scale) {
		return nil, fmt.Errorf("tensor: quantization has %d scales and %d zero points", len(q.Scale), len(q.ZeroPoint))
	}
	inner, channels := 1, 1
	if q.PerChannel() {
		if q.Axis < 0 || q.Axis >= len(t.Shape) || t.Shape[q.Axis] != len(q.Scale) {
			return nil, fmt.Errorf("tensor: %d per-channel scales do not match axis %d of shape %v", len(q.Scale), q.Axis, t.Shape)
		}
		channels = len(q.Scale)
		for _, d := range t.Shape[q.Axis+1:] {
			inner *= d
		}
	}
	out := make([]float32, t.Len())
	for i := range out {
		c := (i / inner) % channels
		out[i] = float32(float64(q.Scale[c]) * float64(load(i)-int64(q.ZeroPoint[c])))
	}
	return out, nil
}
