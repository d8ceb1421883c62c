package tflite

import (
	"encoding/binary"
	"math"
	"sort"
)

// A tiny flatbuffer writer for tests, independent of the reader. It lays
// objects out front to back: the root offset, then each table's vtable
// followed by the table, then the table's children, patching each reference
// (always forward) once its target is written.
//
// A table is a T: field id -> value, where the value's Go type selects the
// encoding:
//
//	u8, i8, boolv     1-byte scalars
//	i32, u32, f32     4-byte scalars
//	u64               8-byte scalar
//	T                 sub-table (reference)
//	str               string (reference)
//	vi32, vf32, vi64  scalar vectors (reference)
//	vbytes            [ubyte] vector (reference)
//	vtab              vector of tables (reference)
//	vshared           vector of n references to one table (reference)
type (
	T      map[int]any
	u8     uint8
	i8     int8
	boolv  bool
	i32    int32
	u32    uint32
	f32    float32
	u64    uint64
	str    string
	vi32   []int32
	vf32   []float32
	vi64   []int64
	vbytes []byte
	vtab   []T
	// vshared is a vector whose n elements all point to the same table, as
	// a hostile file may do to amplify decoding.
	vshared struct {
		n int
		t T
	}
)

type fbWriter struct{ b []byte }

func (w *fbWriter) align(n int) {
	for len(w.b)%n != 0 {
		w.b = append(w.b, 0)
	}
}

func (w *fbWriter) put32(at int, v uint32) { binary.LittleEndian.PutUint32(w.b[at:], v) }

// patch makes the uoffset at 'at' point to 'target'.
func (w *fbWriter) patch(at, target int) { w.put32(at, uint32(target-at)) }

// build serializes root as a TFLite file (identifier "TFL3").
func build(root T) []byte {
	w := &fbWriter{b: make([]byte, 8)}
	copy(w.b[4:], "TFL3")
	w.patch(0, w.table(root))
	return w.b
}

func inlineSize(v any) int {
	switch v.(type) {
	case u8, i8, boolv:
		return 1
	case u64:
		return 8
	}
	return 4
}

// table writes t and its children and returns the table's position.
func (w *fbWriter) table(t T) int {
	ids := make([]int, 0, len(t))
	maxID := -1
	for id := range t {
		ids = append(ids, id)
		maxID = max(maxID, id)
	}
	sort.Ints(ids)
	// Inline layout: soffset, then fields in id order, each aligned to its size.
	offs := map[int]int{}
	size := 4
	for _, id := range ids {
		n := inlineSize(t[id])
		for size%n != 0 {
			size++
		}
		offs[id] = size
		size += n
	}
	for size%4 != 0 {
		size++
	}
	// vtable
	w.align(4)
	vt := len(w.b)
	vtLen := 4 + 2*(maxID+1)
	w.b = binary.LittleEndian.AppendUint16(w.b, uint16(vtLen))
	w.b = binary.LittleEndian.AppendUint16(w.b, uint16(size))
	for id := 0; id <= maxID; id++ {
		w.b = binary.LittleEndian.AppendUint16(w.b, uint16(offs[id]))
	}
	w.align(8)
	pos := len(w.b)
	w.b = append(w.b, make([]byte, size)...)
	w.put32(pos, uint32(int32(pos-vt)))
	var refs []int
	for _, id := range ids {
		p := pos + offs[id]
		switch v := t[id].(type) {
		case u8:
			w.b[p] = byte(v)
		case i8:
			w.b[p] = byte(v)
		case boolv:
			if v {
				w.b[p] = 1
			}
		case i32:
			w.put32(p, uint32(v))
		case u32:
			w.put32(p, uint32(v))
		case f32:
			w.put32(p, math.Float32bits(float32(v)))
		case u64:
			binary.LittleEndian.PutUint64(w.b[p:], uint64(v))
		default:
			refs = append(refs, id)
		}
	}
	for _, id := range refs {
		w.patch(pos+offs[id], w.ref(t[id]))
	}
	return pos
}

// ref writes a referenced object and returns its position.
func (w *fbWriter) ref(v any) int {
	switch v := v.(type) {
	case T:
		return w.table(v)
	case str:
		return w.vec(len(v), 1, func(b []byte) { copy(b, v) }, true)
	case vbytes:
		return w.vec(len(v), 1, func(b []byte) { copy(b, v) }, false)
	case vi32:
		return w.vec(len(v), 4, func(b []byte) {
			for i, x := range v {
				binary.LittleEndian.PutUint32(b[4*i:], uint32(x))
			}
		}, false)
	case vf32:
		return w.vec(len(v), 4, func(b []byte) {
			for i, x := range v {
				binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
			}
		}, false)
	case vi64:
		return w.vec(len(v), 8, func(b []byte) {
			for i, x := range v {
				binary.LittleEndian.PutUint64(b[8*i:], uint64(x))
			}
		}, false)
	case vtab:
		p := w.vec(len(v), 4, func([]byte) {}, false)
		for i, t := range v {
			w.patch(p+4+4*i, w.table(t))
		}
		return p
	case vshared:
		p := w.vec(v.n, 4, func([]byte) {}, false)
		tp := w.table(v.t)
		for i := 0; i < v.n; i++ {
			w.patch(p+4+4*i, tp)
		}
		return p
	}
	panic("builder: unsupported value type")
}

// vec writes a vector of n elements of size bytes, filled by fill, with a NUL
// after it when nul (strings).
func (w *fbWriter) vec(n, size int, fill func([]byte), nul bool) int {
	w.align(8)
	pos := len(w.b)
	w.b = binary.LittleEndian.AppendUint32(w.b, uint32(n))
	start := len(w.b)
	w.b = append(w.b, make([]byte, n*size)...)
	fill(w.b[start:])
	if nul {
		w.b = append(w.b, 0)
	}
	return pos
}

// Helpers to describe models.

func f32bytes(v ...float32) vbytes {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

func i32bytes(v ...int32) vbytes {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(x))
	}
	return b
}

// tinyModel describes a small but complete model: a float CONV_2D with bias,
// a quantized per-channel tensor, an INT32 bias, a RESIZE_BILINEAR (which has
// no typed options here), a custom op and an opcode only in builtin_code
// (GELU, 150, with the deprecated code saturated at 127).
//
// Tensors:
//
//	0 "input"   FLOAT32 [1 4 4 3]
//	1 "weights" FLOAT32 [2 3 3 3]  buffer 1
//	2 "bias"    FLOAT32 [2]        buffer 2
//	3 "conv"    FLOAT32 [1 2 2 2]
//	4 "resized" FLOAT32 [1 4 4 2]
//	5 "size"    INT32   [2]        buffer 3  {4, 4}
//	6 "q"       UINT8   [2 3]      buffer 4  per-channel along dim 0
//	7 "qbias"   INT32   [2]        buffer 5  per-channel
//	8 "out"     FLOAT32 [1 4 4 2]
//	9 "i8"      INT8    [4]        buffer 6  per-tensor
func tinyModel() T {
	weights := make([]float32, 2*3*3*3)
	for i := range weights {
		weights[i] = float32(i) / 10
	}
	tensor := func(name string, shape []int32, typ int8, buf uint32) T {
		return T{0: vi32(shape), 1: i8(typ), 2: u32(buf), 3: str(name)}
	}
	q := tensor("q", []int32{2, 3}, int8(Uint8), 4)
	q[4] = T{2: vf32{0.5, 0.25}, 3: vi64{128, 10}, 6: i32(0)}
	qbias := tensor("qbias", []int32{2}, int8(Int32), 5)
	qbias[4] = T{2: vf32{0.001, 0.002}, 3: vi64{0, 0}}
	ti8 := tensor("i8", []int32{4}, int8(Int8), 6)
	ti8[4] = T{0: vf32{-1}, 1: vf32{1}, 2: vf32{0.125}, 3: vi64{-3}}
	return T{
		0: u32(3),
		1: vtab{
			{0: i8(3)},                           // CONV_2D, old style: deprecated code only
			{0: i8(23), 3: i32(23)},              // RESIZE_BILINEAR
			{0: i8(32), 1: str("MyCustomOp")},    // CUSTOM
			{0: i8(127), 3: i32(150), 2: i32(2)}, // GELU via builtin_code
		},
		2: vtab{{
			0: vtab{
				tensor("input", []int32{1, 4, 4, 3}, int8(Float32), 0),
				tensor("weights", []int32{2, 3, 3, 3}, int8(Float32), 1),
				tensor("bias", []int32{2}, int8(Float32), 2),
				tensor("conv", []int32{1, 2, 2, 2}, int8(Float32), 0),
				tensor("resized", []int32{1, 4, 4, 2}, int8(Float32), 0),
				tensor("size", []int32{2}, int8(Int32), 3),
				q,
				qbias,
				tensor("out", []int32{1, 4, 4, 2}, int8(Float32), 0),
				ti8,
			},
			1: vi32{0},
			2: vi32{8},
			3: vtab{
				{0: u32(0), 1: vi32{0, 1, 2}, 2: vi32{3}, 3: u8(optConv2D),
					4: T{0: u8(PaddingSame), 1: i32(2), 2: i32(2), 3: u8(ActRelu6)}},
				{0: u32(1), 1: vi32{3, 5}, 2: vi32{4}},
				{0: u32(2), 1: vi32{4, -1}, 2: vi32{8}, 5: vbytes{1, 2, 3}},
				{0: u32(3), 1: vi32{8}, 2: vi32{8}},
			},
			4: str("main"),
		}},
		3: str("tiny test model"),
		4: vtab{
			{},
			{0: f32bytes(weights...)},
			{0: f32bytes(0.5, -0.5)},
			{0: i32bytes(4, 4)},
			{0: vbytes{128, 130, 0, 10, 11, 12}},
			{0: i32bytes(1000, -1000)},
			{0: vbytes{0x80, 0xff, 0, 0x7f}},
			{0: vbytes("1.14.0")},
		},
		6: vtab{{0: str("min_runtime_version"), 1: u32(7)}},
	}
}

// modelTree converts a parsed model back into a builder description. With
// keepData false, tensor buffers are emptied (metadata buffers are kept): the
// result has the real model's full structure in a few kilobytes.
func modelTree(m *Model, keepData bool) T {
	ints := func(v []int) vi32 {
		out := make(vi32, len(v))
		for i, x := range v {
			out[i] = int32(x)
		}
		return out
	}
	nbuf := 1
	for i := range m.Tensors {
		nbuf = max(nbuf, m.Tensors[i].Buffer+1)
	}
	for _, md := range m.Metadata {
		nbuf = max(nbuf, md.Buffer+1)
	}
	buffers := make(vtab, nbuf)
	for i := range buffers {
		buffers[i] = T{}
	}
	var tensors vtab
	for i := range m.Tensors {
		ten := &m.Tensors[i]
		tt := T{0: ints(ten.Shape), 1: i8(ten.Type), 2: u32(ten.Buffer), 3: str(ten.Name)}
		if ten.IsVariable {
			tt[5] = boolv(true)
		}
		if q := ten.Quant; q != nil {
			qt := T{2: vf32(q.Scale), 3: vi64(q.ZeroPoint), 6: i32(q.Dimension)}
			if q.Min != nil {
				qt[0] = vf32(q.Min)
			}
			if q.Max != nil {
				qt[1] = vf32(q.Max)
			}
			tt[4] = qt
		}
		if keepData && ten.Data != nil {
			buffers[ten.Buffer] = T{0: vbytes(ten.Data)}
		}
		tensors = append(tensors, tt)
	}
	var metadata vtab
	for _, md := range m.Metadata {
		metadata = append(metadata, T{0: str(md.Name), 1: u32(md.Buffer)})
		if md.Data != nil {
			buffers[md.Buffer] = T{0: vbytes(md.Data)}
		}
	}
	var codes vtab
	for _, c := range m.OpCodes {
		ct := T{0: i8(min(int32(c.Code), 127)), 2: i32(c.Version), 3: i32(c.Code)}
		if c.CustomCode != "" {
			ct[1] = str(c.CustomCode)
		}
		codes = append(codes, ct)
	}
	var ops vtab
	for i := range m.Operators {
		op := &m.Operators[i]
		ot := T{0: u32(op.OpcodeIndex), 1: ints(op.Inputs), 2: ints(op.Outputs)}
		if typ, opts := optionsTree(op.Options); opts != nil {
			ot[3], ot[4] = u8(typ), opts
		}
		ops = append(ops, ot)
	}
	root := T{
		0: u32(m.Version),
		1: codes,
		2: vtab{{0: tensors, 1: ints(m.Inputs), 2: ints(m.Outputs), 3: ops, 4: str(m.Name)}},
		3: str(m.Description),
		4: buffers,
	}
	if metadata != nil {
		root[6] = metadata
	}
	return root
}

// optionsTree encodes decoded options as their schema table.
func optionsTree(o Options) (optionsType, T) {
	ints := func(v []int) vi32 {
		out := make(vi32, len(v))
		for i, x := range v {
			out[i] = int32(x)
		}
		return out
	}
	switch o := o.(type) {
	case *Conv2DOptions:
		return optConv2D, T{0: u8(o.Padding), 1: i32(o.StrideW), 2: i32(o.StrideH), 3: u8(o.Activation), 4: i32(o.DilationW), 5: i32(o.DilationH)}
	case *DepthwiseConv2DOptions:
		return optDepthwiseConv2D, T{0: u8(o.Padding), 1: i32(o.StrideW), 2: i32(o.StrideH), 3: i32(o.DepthMultiplier), 4: u8(o.Activation), 5: i32(o.DilationW), 6: i32(o.DilationH)}
	case *Pool2DOptions:
		return optPool2D, T{0: u8(o.Padding), 1: i32(o.StrideW), 2: i32(o.StrideH), 3: i32(o.FilterWidth), 4: i32(o.FilterHeight), 5: u8(o.Activation)}
	case *FullyConnectedOptions:
		return optFullyConnected, T{0: u8(o.Activation), 1: u8(o.WeightsFormat), 2: boolv(o.KeepNumDims)}
	case *AddOptions:
		return optAdd, T{0: u8(o.Activation)}
	case *ConcatenationOptions:
		return optConcatenation, T{0: i32(o.Axis), 1: u8(o.Activation)}
	case *ReshapeOptions:
		if o.NewShape == nil {
			return optReshape, T{}
		}
		return optReshape, T{0: ints(o.NewShape)}
	case *SqueezeOptions:
		if o.SqueezeDims == nil {
			return optSqueeze, T{}
		}
		return optSqueeze, T{0: ints(o.SqueezeDims)}
	case *SoftmaxOptions:
		return optSoftmax, T{0: f32(o.Beta)}
	}
	return optNone, nil
}
