package tflite

import (
	"fmt"
	"strconv"
)

// TensorType is the element type of a tensor (schema enum TensorType).
type TensorType int8

// Tensor types (schema enum TensorType).
const (
	Float32    TensorType = 0
	Float16    TensorType = 1
	Int32      TensorType = 2
	Uint8      TensorType = 3
	Int64      TensorType = 4
	String     TensorType = 5
	Bool       TensorType = 6
	Int16      TensorType = 7
	Complex64  TensorType = 8
	Int8       TensorType = 9
	Float64    TensorType = 10
	Complex128 TensorType = 11
	Uint64     TensorType = 12
	Resource   TensorType = 13
	Variant    TensorType = 14
	Uint32     TensorType = 15
	Uint16     TensorType = 16
	Int4       TensorType = 17
)

var tensorTypeNames = [...]string{
	"FLOAT32", "FLOAT16", "INT32", "UINT8", "INT64", "STRING", "BOOL", "INT16",
	"COMPLEX64", "INT8", "FLOAT64", "COMPLEX128", "UINT64", "RESOURCE",
	"VARIANT", "UINT32", "UINT16", "INT4",
}

// tensorTypeSizes is the element size in bytes; 0 for types whose buffers are
// not one fixed-size element per entry (STRING, RESOURCE, VARIANT, and INT4,
// which may be packed two to a byte).
var tensorTypeSizes = [...]int{4, 2, 4, 1, 8, 0, 1, 2, 8, 1, 8, 16, 8, 0, 0, 4, 2, 0}

// String returns the schema name, e.g. "FLOAT32", or "TensorType(N)".
func (t TensorType) String() string {
	if t >= 0 && int(t) < len(tensorTypeNames) {
		return tensorTypeNames[t]
	}
	return "TensorType(" + strconv.Itoa(int(t)) + ")"
}

// Size returns the size of one element in bytes, or 0 when elements have no
// fixed size (STRING, RESOURCE, VARIANT, INT4) or the type is unknown.
func (t TensorType) Size() int {
	if t >= 0 && int(t) < len(tensorTypeSizes) {
		return tensorTypeSizes[t]
	}
	return 0
}

// Limits on tensors, enforced by Parse.
const (
	// MaxRank is the largest number of dimensions a tensor may have.
	MaxRank = 16
	// MaxElements is the largest number of elements a tensor may have (2^31).
	MaxElements = 1 << 31
)

// Tensor is one tensor of the model's subgraph.
type Tensor struct {
	Index int    // position in Model.Tensors
	Name  string // may be empty
	// Shape holds the dimensions, each >= 1 (a scalar has an empty shape).
	Shape []int
	Type  TensorType
	// Buffer is the index of the tensor's buffer in the model. Activations
	// have an empty one (buffer 0, the schema's empty sentinel, or one of
	// their own, as converters often emit).
	Buffer int
	// Data is the constant contents, little-endian, row-major, a slice of the
	// parsed file (not a copy: do not modify it); nil for tensors without
	// data. When Type.Size() > 0 and the tensor is not Sparse,
	// len(Data) == NumElements()*Type.Size().
	Data []byte
	// Quant holds the quantization parameters, nil when the tensor is not
	// quantized (no scale).
	Quant *Quantization
	// IsVariable marks a variable tensor (schema field is_variable).
	IsVariable bool
	// Sparse marks a tensor with sparsity parameters; this package does not
	// decode them and Float32 refuses such tensors.
	Sparse bool
}

// NumElements returns the product of the shape (1 for a scalar).
func (t *Tensor) NumElements() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// String describes the tensor, e.g. `12 "conv1/weights" UINT8[8 3 3 3]`.
func (t *Tensor) String() string {
	return fmt.Sprintf("%d %q %v%v", t.Index, t.Name, t.Type, t.Shape)
}

// Quantization holds the affine quantization of a tensor:
// real = Scale[c] * (q - ZeroPoint[c]), where c is 0 for per-tensor
// quantization (one scale) and otherwise the index along dimension Dimension
// (per-channel quantization).
type Quantization struct {
	Scale     []float32
	ZeroPoint []int64 // same length as Scale
	// Dimension is the quantized_dimension: the axis the per-channel
	// parameters run along; Shape[Dimension] == len(Scale) when len(Scale) > 1.
	Dimension int
	Min, Max  []float32 // optional, informational
	// Custom is set when the file carries a QuantizationDetails union (custom
	// quantization), which schema.fbs says overrides the affine parameters;
	// Float32 refuses such tensors.
	Custom bool
}

// PerChannel reports whether there is more than one scale.
func (q *Quantization) PerChannel() bool { return len(q.Scale) > 1 }

// Costs charged to the allocation budget per decoded object, in bytes: a
// generous estimate of the Go struct size plus slice headers.
const (
	costTensor   = 256
	costQuant    = 128
	costOperator = 192
	costOptions  = 96
	costBuffer   = 24
	costOpCode   = 48
)

// parseTensor reads tensor i; buffers are the model's buffers.
func (r *reader) parseTensor(t table, i int, buffers [][]byte) (Tensor, error) {
	ten := Tensor{Index: i}
	name, err := r.stringField(t, tensorName)
	if err != nil {
		return ten, fmt.Errorf("tensor %d: %w", i, err)
	}
	ten.Name = name
	if err := r.readTensor(t, &ten, buffers); err != nil {
		return ten, fmt.Errorf("tensor %d %q: %w", i, name, err)
	}
	return ten, nil
}

func (r *reader) readTensor(t table, ten *Tensor, buffers [][]byte) error {
	shape, err := r.int32sField(t, tensorShape, MaxRank)
	if err != nil {
		return err
	}
	n := int64(1)
	for k, d := range shape {
		if d < 1 {
			return fieldErr(tensorShape, &FormatError{Offset: -1, Msg: fmt.Sprintf("dimension %d is %d, want >= 1 (shape %v)", k, d, shape)})
		}
		if int64(d) > MaxElements/n {
			return fieldErr(tensorShape, &FormatError{Offset: -1, Msg: fmt.Sprintf("shape %v has more than %d elements", shape, int64(MaxElements))})
		}
		n *= int64(d)
	}
	ten.Shape = shape

	typ, err := r.int8Field(t, tensorType, 0)
	if err != nil {
		return err
	}
	ten.Type = TensorType(typ)

	sp, err := r.fieldPos(t, tensorSparsity, 4)
	if err != nil {
		return err
	}
	ten.Sparse = sp >= 0

	buf, err := r.uint32Field(t, tensorBuffer, 0)
	if err != nil {
		return err
	}
	if int64(buf) >= int64(len(buffers)) {
		return fieldErr(tensorBuffer, &FormatError{Offset: -1, Msg: fmt.Sprintf("buffer index %d out of range (model has %d buffers)", buf, len(buffers))})
	}
	ten.Buffer = int(buf)
	ten.Data = buffers[buf]
	if size := int64(ten.Type.Size()); len(ten.Data) > 0 && size > 0 && !ten.Sparse && int64(len(ten.Data)) != n*size {
		return fieldErr(tensorBuffer, &FormatError{Offset: -1, Msg: fmt.Sprintf("buffer %d holds %d bytes, want %d (%d elements of %v, shape %v)",
			buf, len(ten.Data), n*size, n, ten.Type, shape)})
	}

	if ten.IsVariable, err = r.boolField(t, tensorIsVariable); err != nil {
		return err
	}
	qt, ok, err := r.tableField(t, tensorQuantization)
	if err != nil || !ok {
		return err
	}
	q, err := r.parseQuantization(qt, shape)
	if err != nil {
		return fieldErr(tensorQuantization, err)
	}
	ten.Quant = q
	return nil
}

// parseQuantization reads a QuantizationParameters table; it returns nil when
// the table carries no scale and no custom details.
func (r *reader) parseQuantization(t table, shape []int) (*Quantization, error) {
	if err := r.charge(costQuant, "quantization"); err != nil {
		return nil, err
	}
	q := &Quantization{}
	var err error
	if q.Scale, err = r.float32sField(t, quantScale); err != nil {
		return nil, err
	}
	if q.ZeroPoint, err = r.int64sField(t, quantZeroPoint); err != nil {
		return nil, err
	}
	if q.Min, err = r.float32sField(t, quantMin); err != nil {
		return nil, err
	}
	if q.Max, err = r.float32sField(t, quantMax); err != nil {
		return nil, err
	}
	details, err := r.uint8Field(t, quantDetailsType, 0)
	if err != nil {
		return nil, err
	}
	q.Custom = details != 0
	dim, err := r.int32Field(t, quantDimension, 0)
	if err != nil {
		return nil, err
	}
	q.Dimension = int(dim)
	if len(q.Scale) == 0 && !q.Custom {
		return nil, nil
	}
	if q.Custom {
		return q, nil // the affine fields are to be ignored
	}
	// The checks of TFLite's InterpreterBuilder::ParseQuantization.
	if len(q.ZeroPoint) != len(q.Scale) {
		return nil, &FormatError{Offset: -1, Msg: fmt.Sprintf("%d scales but %d zero points", len(q.Scale), len(q.ZeroPoint))}
	}
	if q.Dimension < 0 || (len(shape) > 0 && q.Dimension >= len(shape)) {
		return nil, fieldErr(quantDimension, &FormatError{Offset: -1, Msg: fmt.Sprintf("quantized_dimension %d out of range for shape %v", q.Dimension, shape)})
	}
	if len(q.Scale) > 1 && (len(shape) == 0 || shape[q.Dimension] != len(q.Scale)) {
		return nil, &FormatError{Offset: -1, Msg: fmt.Sprintf("%d per-channel scales but dimension %d of shape %v has another size", len(q.Scale), q.Dimension, shape)}
	}
	return q, nil
}
