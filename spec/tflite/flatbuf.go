package tflite

import (
	"encoding/binary"
	"fmt"
	"math"
)

// This file is a small, bounds-checked flatbuffer reader: just what the TFLite
// schema subset needs (tables through their vtables, scalars, offsets,
// vectors, strings and unions). Every access checks its byte range against the
// file before reading, so a hostile file can only produce a *FormatError.
//
// Flatbuffer layout, as the reader relies on it (little-endian throughout):
//   - the file starts with a uoffset (uint32) to the root table;
//   - a table starts with a soffset (int32): its vtable is at table - soffset;
//   - a vtable is uint16 vtable size in bytes, uint16 table inline size, then
//     one uint16 per field id: the field's offset inside the table, 0 if absent;
//   - a reference field (table, vector, string) holds a uoffset relative to the
//     field's own position; the reader requires 0 < uoffset < 2^31, so every
//     reference points strictly forward and no chain of references can loop;
//   - a vector is a uint32 element count followed by the elements; a vector of
//     tables holds one uoffset per element, relative to the element;
//   - a string is a byte vector followed by a NUL byte.

// A FormatError reports that the input is not a TFLite model this package can
// read: malformed, truncated, inconsistent or unsupported. Parse wraps it with
// the location (table, index, tensor name) it was found at; use errors.As to
// get at it.
type FormatError struct {
	// Offset is the byte offset in the file of the offending data, or -1 when
	// the problem is not tied to one place (e.g. an inconsistency between
	// fields).
	Offset int64
	// Msg describes the problem, including the offset when there is one.
	Msg string
}

func (e *FormatError) Error() string { return e.Msg }

// allocBudget bounds the memory Parse may allocate for decoded data (Go
// structs, slices, strings), in bytes: allocFactor per byte of input plus
// allocBase. Flatbuffers allow many references to one object, so without a
// budget a small file could expand into a huge allocation.
const (
	allocFactor = 8
	allocBase   = 1 << 20
)

// reader reads flatbuffer data from b. It is not safe for concurrent use.
type reader struct {
	b      []byte
	budget int64 // bytes Parse may still allocate
}

func newReader(b []byte) *reader {
	return &reader{b: b, budget: allocFactor*int64(len(b)) + allocBase}
}

// table is a validated table: its inline part [pos, pos+objLen) and its
// vtable [vt, vt+vtLen) both lie within the file.
type table struct {
	pos, vt       int64
	vtLen, objLen int64
}

// vector is a validated vector: n elements of elemSize bytes starting at pos
// (after the count), all within the file.
type vector struct {
	pos, n, elemSize int64
}

func (r *reader) size() int64 { return int64(len(r.b)) }

// inFile reports whether [off, off+n) lies within the file.
func (r *reader) inFile(off, n int64) bool {
	return off >= 0 && n >= 0 && off <= r.size() && n <= r.size()-off
}

func (r *reader) errAt(off int64, format string, args ...any) error {
	return &FormatError{Offset: off, Msg: fmt.Sprintf(format, args...)}
}

func fieldErr(f field, err error) error { return fmt.Errorf("field %s: %w", f.name, err) }

// charge takes n bytes from the allocation budget, failing when it is spent.
func (r *reader) charge(n int64, what string) error {
	if n < 0 || n > r.budget {
		return &FormatError{Offset: -1, Msg: fmt.Sprintf("%s: decoded model would need more than %d bytes of memory for a %d-byte file (shared or oversized data)",
			what, allocFactor*r.size()+allocBase, r.size())}
	}
	r.budget -= n
	return nil
}

// The raw little-endian loads below assume the caller checked the range.
func (r *reader) u16(off int64) uint16 { return binary.LittleEndian.Uint16(r.b[off:]) }
func (r *reader) u32(off int64) uint32 { return binary.LittleEndian.Uint32(r.b[off:]) }
func (r *reader) u64(off int64) uint64 { return binary.LittleEndian.Uint64(r.b[off:]) }

// root returns the root table, after checking the file identifier.
func (r *reader) root() (table, error) {
	if r.size() < 8 {
		return table{}, r.errAt(0, "file is %d bytes, too short for a flatbuffer header (8 bytes)", r.size())
	}
	if id := string(r.b[4:8]); id != fileIdentifier {
		return table{}, r.errAt(4, "file identifier %q at offset 0x4, want %q (not a TFLite schema 3 flatbuffer)", id, fileIdentifier)
	}
	pos, err := r.deref(0)
	if err != nil {
		return table{}, fmt.Errorf("root table: %w", err)
	}
	t, err := r.tableAt(pos)
	if err != nil {
		return table{}, fmt.Errorf("root table: %w", err)
	}
	return t, nil
}

// deref reads the uoffset at off and returns the position it points to.
func (r *reader) deref(off int64) (int64, error) {
	if !r.inFile(off, 4) {
		return 0, r.errAt(off, "offset at %#x runs past end of file (len %#x)", off, r.size())
	}
	u := int64(r.u32(off))
	if u == 0 || u >= 1<<31 {
		return 0, r.errAt(off, "invalid offset %d at %#x", u, off)
	}
	target := off + u
	if !r.inFile(target, 4) {
		return 0, r.errAt(off, "offset at %#x points to %#x, past end of file (len %#x)", off, target, r.size())
	}
	return target, nil
}

// tableAt validates the table starting at pos and its vtable.
func (r *reader) tableAt(pos int64) (table, error) {
	if !r.inFile(pos, 4) {
		return table{}, r.errAt(pos, "table at offset %#x runs past end of file (len %#x)", pos, r.size())
	}
	vt := pos - int64(int32(r.u32(pos)))
	if !r.inFile(vt, 4) {
		return table{}, r.errAt(pos, "table at offset %#x: vtable offset %#x is outside the file (len %#x)", pos, vt, r.size())
	}
	t := table{pos: pos, vt: vt, vtLen: int64(r.u16(vt)), objLen: int64(r.u16(vt + 2))}
	if t.vtLen < 4 || t.vtLen%2 != 0 {
		return table{}, r.errAt(vt, "table at offset %#x: vtable at %#x has invalid size %d", pos, vt, t.vtLen)
	}
	if !r.inFile(vt, t.vtLen) {
		return table{}, r.errAt(vt, "table at offset %#x: vtable at %#x (%d bytes) runs past end of file (len %#x)", pos, vt, t.vtLen, r.size())
	}
	if t.objLen < 4 || !r.inFile(pos, t.objLen) {
		return table{}, r.errAt(pos, "table at offset %#x: inline size %d runs past end of file (len %#x) or is too small", pos, t.objLen, r.size())
	}
	return t, nil
}

// fieldPos returns the position of field f, which has the given inline size,
// or -1 when the field is absent.
func (r *reader) fieldPos(t table, f field, size int64) (int64, error) {
	slot := 4 + 2*int64(f.id)
	if slot+2 > t.vtLen {
		return -1, nil
	}
	off := int64(r.u16(t.vt + slot))
	if off == 0 {
		return -1, nil
	}
	if off < 4 || off+size > t.objLen {
		return -1, fieldErr(f, r.errAt(t.vt+slot, "inline offset %d (%d bytes) lies outside its table at %#x (inline size %d)", off, size, t.pos, t.objLen))
	}
	return t.pos + off, nil
}

// Scalar fields: the value, or def when the field is absent.

func (r *reader) uint8Field(t table, f field, def uint8) (uint8, error) {
	p, err := r.fieldPos(t, f, 1)
	if err != nil || p < 0 {
		return def, err
	}
	return r.b[p], nil
}

func (r *reader) int8Field(t table, f field, def int8) (int8, error) {
	v, err := r.uint8Field(t, f, uint8(def))
	return int8(v), err
}

func (r *reader) boolField(t table, f field) (bool, error) {
	v, err := r.uint8Field(t, f, 0)
	return v != 0, err
}

func (r *reader) uint32Field(t table, f field, def uint32) (uint32, error) {
	p, err := r.fieldPos(t, f, 4)
	if err != nil || p < 0 {
		return def, err
	}
	return r.u32(p), nil
}

func (r *reader) int32Field(t table, f field, def int32) (int32, error) {
	v, err := r.uint32Field(t, f, uint32(def))
	return int32(v), err
}

func (r *reader) float32Field(t table, f field, def float32) (float32, error) {
	v, err := r.uint32Field(t, f, math.Float32bits(def))
	return math.Float32frombits(v), err
}

func (r *reader) uint64Field(t table, f field, def uint64) (uint64, error) {
	p, err := r.fieldPos(t, f, 8)
	if err != nil || p < 0 {
		return def, err
	}
	return r.u64(p), nil
}

// refField returns the position a reference field points to, or -1 when the
// field is absent.
func (r *reader) refField(t table, f field) (int64, error) {
	p, err := r.fieldPos(t, f, 4)
	if err != nil || p < 0 {
		return -1, err
	}
	target, err := r.deref(p)
	if err != nil {
		return -1, fieldErr(f, err)
	}
	return target, nil
}

// tableField returns the sub-table field f; ok is false when it is absent.
func (r *reader) tableField(t table, f field) (sub table, ok bool, err error) {
	p, err := r.refField(t, f)
	if err != nil || p < 0 {
		return table{}, false, err
	}
	sub, err = r.tableAt(p)
	if err != nil {
		return table{}, false, fieldErr(f, err)
	}
	return sub, true, nil
}

// vectorField returns the vector field f of elemSize-byte elements; an absent
// field is an empty vector.
func (r *reader) vectorField(t table, f field, elemSize int64) (vector, error) {
	p, err := r.refField(t, f)
	if err != nil || p < 0 {
		return vector{elemSize: elemSize}, err
	}
	n := int64(r.u32(p)) // deref checked 4 bytes at p
	if !r.inFile(p+4, n*elemSize) {
		return vector{}, fieldErr(f, r.errAt(p, "vector at offset %#x (%d elements of %d bytes) runs past end of file (len %#x)", p, n, elemSize, r.size()))
	}
	return vector{pos: p + 4, n: n, elemSize: elemSize}, nil
}

// bytesField returns the [ubyte] field f as a slice of the file (nil when
// absent or empty); it does not copy and so costs no budget.
func (r *reader) bytesField(t table, f field) ([]byte, error) {
	v, err := r.vectorField(t, f, 1)
	if err != nil || v.n == 0 {
		return nil, err
	}
	return r.b[v.pos : v.pos+v.n : v.pos+v.n], nil
}

// stringField returns the string field f ("" when absent).
func (r *reader) stringField(t table, f field) (string, error) {
	v, err := r.vectorField(t, f, 1)
	if err != nil {
		return "", err
	}
	if v.n == 0 && v.pos == 0 {
		return "", nil // absent
	}
	end := v.pos + v.n
	if !r.inFile(end, 1) || r.b[end] != 0 {
		return "", fieldErr(f, r.errAt(end, "string at offset %#x (%d bytes) lacks its NUL terminator", v.pos-4, v.n))
	}
	if err := r.charge(v.n, "field "+f.name); err != nil {
		return "", err
	}
	return string(r.b[v.pos:end]), nil
}

// int32sField returns the [int] field f as ints (nil when absent), at most
// max elements.
func (r *reader) int32sField(t table, f field, max int64) ([]int, error) {
	v, err := r.vectorField(t, f, 4)
	if err != nil || v.n == 0 {
		return nil, err
	}
	if v.n > max {
		return nil, fieldErr(f, r.errAt(v.pos-4, "vector at offset %#x has %d elements, more than the limit of %d", v.pos-4, v.n, max))
	}
	if err := r.charge(8*v.n, "field "+f.name); err != nil {
		return nil, err
	}
	out := make([]int, v.n)
	for i := range out {
		out[i] = int(int32(r.u32(v.pos + 4*int64(i))))
	}
	return out, nil
}

// float32sField returns the [float] field f (nil when absent).
func (r *reader) float32sField(t table, f field) ([]float32, error) {
	v, err := r.vectorField(t, f, 4)
	if err != nil || v.n == 0 {
		return nil, err
	}
	if err := r.charge(4*v.n, "field "+f.name); err != nil {
		return nil, err
	}
	out := make([]float32, v.n)
	for i := range out {
		out[i] = math.Float32frombits(r.u32(v.pos + 4*int64(i)))
	}
	return out, nil
}

// int64sField returns the [long] field f (nil when absent).
func (r *reader) int64sField(t table, f field) ([]int64, error) {
	v, err := r.vectorField(t, f, 8)
	if err != nil || v.n == 0 {
		return nil, err
	}
	if err := r.charge(8*v.n, "field "+f.name); err != nil {
		return nil, err
	}
	out := make([]int64, v.n)
	for i := range out {
		out[i] = int64(r.u64(v.pos + 8*int64(i)))
	}
	return out, nil
}

// tableElem returns element i of a vector of tables (elemSize 4).
func (r *reader) tableElem(v vector, i int64) (table, error) {
	p, err := r.deref(v.pos + 4*i)
	if err != nil {
		return table{}, err
	}
	return r.tableAt(p)
}
