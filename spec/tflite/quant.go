package tflite

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"mnet.dev/mnet/tensor"
)

// Float32 returns the tensor's constant data as real values, in a new slice:
//   - FLOAT32: the little-endian values as stored;
//   - UINT8, INT8, INT32: dequantized, real = scale * (q - zero_point), with
//     the scale and zero point of the tensor, or per channel those of the
//     tensor's index along Quant.Dimension. (INT32 biases have zero point 0,
//     so this is scale * q.)
//
// The product is computed in float64 and rounded once to float32. Tensors
// without data, integer tensors without quantization, custom-quantized or
// sparse tensors and other types are errors.
func (t *Tensor) Float32() ([]float32, error) {
	out, err := t.float32()
	if err != nil {
		return nil, fmt.Errorf("tflite: tensor %d %q: %w", t.Index, t.Name, err)
	}
	return out, nil
}

func (t *Tensor) float32() ([]float32, error) {
	n, err := t.checkData()
	if err != nil {
		return nil, err
	}
	if t.Type == Float32 {
		out := make([]float32, n)
		for i := range out {
			out[i] = math.Float32frombits(binary.LittleEndian.Uint32(t.Data[4*i:]))
		}
		return out, nil
	}
	var load func(i int) int64
	switch t.Type {
	case Uint8:
		load = func(i int) int64 { return int64(t.Data[i]) }
	case Int8:
		load = func(i int) int64 { return int64(int8(t.Data[i])) }
	case Int32:
		load = func(i int) int64 { return int64(int32(binary.LittleEndian.Uint32(t.Data[4*i:]))) }
	default:
		return nil, fmt.Errorf("cannot convert %v to float32 (supported: FLOAT32, UINT8, INT8, INT32)", t.Type)
	}
	q := t.Quant
	if q == nil {
		return nil, fmt.Errorf("%v tensor has no quantization parameters", t.Type)
	}
	if q.Custom {
		return nil, errors.New("custom quantization (QuantizationDetails) is not supported")
	}
	// Parse guarantees len(Scale) == len(ZeroPoint) >= 1 and, per channel,
	// Shape[Dimension] == len(Scale); check again for hand-built tensors.
	if len(q.Scale) == 0 || len(q.ZeroPoint) != len(q.Scale) {
		return nil, fmt.Errorf("quantization has %d scales and %d zero points", len(q.Scale), len(q.ZeroPoint))
	}
	inner, channels := 1, 1
	if q.PerChannel() {
		if q.Dimension < 0 || q.Dimension >= len(t.Shape) || t.Shape[q.Dimension] != len(q.Scale) {
			return nil, fmt.Errorf("%d per-channel scales do not match dimension %d of shape %v", len(q.Scale), q.Dimension, t.Shape)
		}
		channels = len(q.Scale)
		for _, d := range t.Shape[q.Dimension+1:] {
			inner *= d
		}
	}
	out := make([]float32, n)
	for i := range out {
		c := (i / inner) % channels
		out[i] = float32(float64(q.Scale[c]) * float64(load(i)-q.ZeroPoint[c]))
	}
	return out, nil
}

// Int32s returns the values of an INT32 tensor as stored (not dequantized),
// e.g. the shape operand of RESHAPE.
func (t *Tensor) Int32s() ([]int32, error) {
	if t.Type != Int32 {
		return nil, fmt.Errorf("tflite: tensor %d %q: is %v, not INT32", t.Index, t.Name, t.Type)
	}
	n, err := t.checkData()
	if err != nil {
		return nil, fmt.Errorf("tflite: tensor %d %q: %w", t.Index, t.Name, err)
	}
	out := make([]int32, n)
	for i := range out {
		out[i] = int32(binary.LittleEndian.Uint32(t.Data[4*i:]))
	}
	return out, nil
}

// checkData returns the element count after checking that the tensor has
// dense data of the right length.
func (t *Tensor) checkData() (int, error) {
	if len(t.Data) == 0 {
		return 0, errors.New("tensor has no data (not a constant)")
	}
	if t.Sparse {
		return 0, errors.New("sparse tensors are not supported")
	}
	n := 1
	for _, d := range t.Shape {
		if d < 1 || d > MaxElements/n {
			return 0, fmt.Errorf("invalid shape %v", t.Shape)
		}
		n *= d
	}
	if size := t.Type.Size(); size > 0 && len(t.Data) != n*size {
		return 0, fmt.Errorf("data is %d bytes, want %d for shape %v of %v", len(t.Data), n*size, t.Shape, t.Type)
	}
	return n, nil
}

// Typed returns the tensor's constant data as a typed tensor of the given
// shape (a reshape of the tensor's: the same element count), keeping the
// stored type and quantization: FLOAT32 data decoded from little-endian
// (a new slice), UINT8 a slice of the file, INT8 and INT32 decoded. axis is
// the per-channel quantization axis in the new shape (the tensor's
// quantized_dimension there). The checks are Float32's: dense data of the
// right length, and for integers affine quantization with one scale and
// zero point, or one per channel along the quantized dimension.
func (t *Tensor) Typed(shape []int, axis int) (*tensor.Tensor, error) {
	x, err := t.typed(shape, axis)
	if err != nil {
		return nil, fmt.Errorf("tflite: tensor %d %q: %w", t.Index, t.Name, err)
	}
	return x, nil
}

func (t *Tensor) typed(shape []int, axis int) (*tensor.Tensor, error) {
	n, err := t.checkData()
	if err != nil {
		return nil, err
	}
	elems := 1
	for _, d := range shape {
		elems *= d
	}
	if elems != n {
		return nil, fmt.Errorf("shape %v does not hold its %d values", shape, n)
	}
	if t.Type == Float32 {
		out := make([]float32, n)
		for i := range out {
			out[i] = math.Float32frombits(binary.LittleEndian.Uint32(t.Data[4*i:]))
		}
		return tensor.Float32s(shape, out), nil
	}
	if t.Type != Uint8 && t.Type != Int8 && t.Type != Int32 {
		return nil, fmt.Errorf("cannot convert %v to float32 (supported: FLOAT32, UINT8, INT8, INT32)", t.Type)
	}
	q := t.Quant
	if q == nil {
		return nil, fmt.Errorf("%v tensor has no quantization parameters", t.Type)
	}
	if q.Custom {
		return nil, errors.New("custom quantization (QuantizationDetails) is not supported")
	}
	if len(q.Scale) == 0 || len(q.ZeroPoint) != len(q.Scale) {
		return nil, fmt.Errorf("quantization has %d scales and %d zero points", len(q.Scale), len(q.ZeroPoint))
	}
	if q.PerChannel() && (q.Dimension < 0 || q.Dimension >= len(t.Shape) || t.Shape[q.Dimension] != len(q.Scale)) {
		return nil, fmt.Errorf("%d per-channel scales do not match dimension %d of shape %v", len(q.Scale), q.Dimension, t.Shape)
	}
	tq := &tensor.Quant{Scale: q.Scale, ZeroPoint: make([]int32, len(q.ZeroPoint))}
	for i, z := range q.ZeroPoint {
		if z < math.MinInt32 || z > math.MaxInt32 {
			return nil, fmt.Errorf("zero point %d is %d, out of range", i, z)
		}
		tq.ZeroPoint[i] = int32(z)
	}
	if q.PerChannel() {
		if axis < 0 || axis >= len(shape) || shape[axis] != len(q.Scale) {
			return nil, fmt.Errorf("%d per-channel scales do not match axis %d of the layer's shape %v", len(q.Scale), axis, shape)
		}
		tq.Axis = axis
	}
	switch t.Type {
	case Uint8:
		return tensor.Uint8s(shape, t.Data[:n:n], tq), nil
	case Int8:
		v := make([]int8, n)
		for i := range v {
			v[i] = int8(t.Data[i])
		}
		return tensor.Int8s(shape, v, tq), nil
	default:
		v := make([]int32, n)
		for i := range v {
			v[i] = int32(binary.LittleEndian.Uint32(t.Data[4*i:]))
		}
		return tensor.Int32s(shape, v, tq), nil
	}
}
