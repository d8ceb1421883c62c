package tflite

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"mnet.dev/mnet/spec"
)

// parseClipped parses data with its capacity clipped to its length, so that a
// read past the end would panic even where the backing array goes on.
func parseClipped(data []byte) (*Model, error) {
	return Parse(data[:len(data):len(data)])
}

// exercise runs the accessors a consumer would on a parsed model.
func exercise(tb testing.TB, m *Model) {
	tb.Helper()
	checkInvariants(tb, m)
	_ = m.Unsupported(nil)
	budget := 1 << 22 // elements; tensors may share buffers
	for i := range m.Tensors {
		ten := &m.Tensors[i]
		_ = ten.String()
		if len(ten.Data) > 0 && ten.NumElements() <= budget {
			budget -= ten.NumElements()
			if v, err := ten.Float32(); err == nil && len(v) != ten.NumElements() {
				tb.Fatalf("tensor %d: %d values for %d elements", i, len(v), ten.NumElements())
			}
			_, _ = ten.Int32s()
			if x, err := ten.Typed(ten.Shape, quantDim(ten)); err == nil {
				if v, err := x.Dequantize(); err == nil && len(v) != ten.NumElements() {
					tb.Fatalf("tensor %d: typed, %d values for %d elements", i, len(v), ten.NumElements())
				}
			}
		}
	}
	for i := range m.Operators {
		_ = m.Operators[i].Name()
	}
	// The importer converts what parses, or says why not; what converts
	// resolves or says why not. Neither may panic.
	if cv, err := Convert(m, "fuzz.tflite"); err == nil {
		_, _ = spec.Resolve(cv.Network, spec.Options{})
	}
}

func TestGarbage(t *testing.T) {
	tests := []struct {
		data []byte
		want string
	}{
		{nil, "tflite: file is 0 bytes, too short for a flatbuffer header (8 bytes)"},
		{[]byte("TFL3"), "too short"},
		{[]byte("\x00\x00\x00\x00TFL3"), "tflite: root table: invalid offset 0 at 0x0"},
		{[]byte("\x08\x00\x00\x00TFL3"), "tflite: root table: offset at 0x0 points to 0x8, past end of file (len 0x8)"},
		{[]byte("\x04\x00\x00\x00TFL3"), "tflite: root table: table at offset 0x4: vtable offset -0x334c4650 is outside the file (len 0x8)"},
		{[]byte("\x08\x00\x00\x00TFL3\x04\x00\x00\x00"), "tflite: root table: table at offset 0x8: vtable at 0x4 (18004 bytes) runs past end of file (len 0xc)"},
		{[]byte("\xff\xff\xff\xffTFL3"), "invalid offset 4294967295 at 0x0"},
		{[]byte("\x08\x00\x00\x00TFL2\x00\x00\x00\x00"), `file identifier "TFL2" at offset 0x4, want "TFL3"`},
		{[]byte("PK\x03\x04 a zip file, not a model"), `file identifier`},
	}
	for _, tc := range tests {
		_, err := parseClipped(tc.data)
		wantErr(t, err, tc.want)
	}
}

// TestTruncated cuts real and synthetic models at many points: every cut
// inside the flatbuffer must be an error, and no cut may panic. Cuts inside
// an appended zip leave a valid model without labels.
func TestTruncated(t *testing.T) {
	files := map[string][]byte{"tiny": build(tinyModel())}
	for _, rm := range realModels {
		files[rm.file] = readReal(t, rm.file)
	}
	for name, data := range files {
		fbEnd := len(data)
		if i := bytes.Index(data, []byte("PK\x03\x04")); i > 0 {
			fbEnd = i
		}
		var cuts []int
		for c := 0; c < min(len(data), 2048); c++ {
			cuts = append(cuts, c)
		}
		for k := 0; k <= 300; k++ {
			cuts = append(cuts, len(data)*k/300)
		}
		for c := fbEnd - 64; c < fbEnd+64 && c <= len(data); c++ {
			cuts = append(cuts, c)
		}
		for _, c := range cuts {
			if c < 0 || c > len(data) {
				continue
			}
			m, err := parseClipped(data[:c])
			switch {
			case c < fbEnd-16 && err == nil:
				t.Fatalf("%s cut at %d of %d (flatbuffer ends near %d): no error", name, c, len(data), fbEnd)
			case err == nil && c < len(data) && m.Labels != nil:
				t.Fatalf("%s cut at %d: labels from a truncated zip", name, c)
			case err == nil:
				checkInvariants(t, m)
			}
		}
	}
}

// locate finds, in a real model, the position of tensor i's table and of its
// shape and name fields, using the package's own reader on the intact file.
func locate(t *testing.T, data []byte, i int) (tab table, shape, name int64) {
	t.Helper()
	r := newReader(data)
	root, err := r.root()
	if err != nil {
		t.Fatal(err)
	}
	sgs, err := r.vectorField(root, modelSubgraphs, 4)
	if err != nil {
		t.Fatal(err)
	}
	sg, err := r.tableElem(sgs, 0)
	if err != nil {
		t.Fatal(err)
	}
	tv, err := r.vectorField(sg, subgraphTensors, 4)
	if err != nil {
		t.Fatal(err)
	}
	if tab, err = r.tableElem(tv, int64(i)); err != nil {
		t.Fatal(err)
	}
	if shape, err = r.fieldPos(tab, tensorShape, 4); err != nil || shape < 0 {
		t.Fatal("no shape field", err)
	}
	if name, err = r.fieldPos(tab, tensorName, 4); err != nil || name < 0 {
		t.Fatal("no name field", err)
	}
	return tab, shape, name
}

// TestCorruptedOffsets corrupts single fields of the real float model and
// checks that the error names the tensor, the field and the offsets.
func TestCorruptedOffsets(t *testing.T) {
	orig := readReal(t, "mobilenet_v1_0.25_224_float.tflite")
	const i = 12
	const tname = `tensor 12 "MobilenetV1/Conv2d_2_pointwise/weights"`
	tab, shapeAt, nameAt := locate(t, orig, i)
	size := int64(len(orig))
	shapeVec := shapeAt + int64(binary.LittleEndian.Uint32(orig[shapeAt:]))
	nameVec := nameAt + int64(binary.LittleEndian.Uint32(orig[nameAt:]))
	nameLen := int64(binary.LittleEndian.Uint32(orig[nameVec:]))

	tests := []struct {
		name string
		at   int64 // put writes at data[at:]
		put  func(b []byte)
		want string
	}{
		{"shape offset past end", shapeAt, func(b []byte) { binary.LittleEndian.PutUint32(b, uint32(size-shapeAt)) },
			fmt.Sprintf("tflite: %s: field shape: offset at %#x points to %#x, past end of file (len %#x)", tname, shapeAt, size, size)},
		{"shape offset zero", shapeAt, func(b []byte) { binary.LittleEndian.PutUint32(b, 0) },
			fmt.Sprintf("tflite: %s: field shape: invalid offset 0 at %#x", tname, shapeAt)},
		{"shape offset negative", shapeAt, func(b []byte) { binary.LittleEndian.PutUint32(b, 0xfffffff0) },
			fmt.Sprintf("tflite: %s: field shape: invalid offset 4294967280 at %#x", tname, shapeAt)},
		{"shape count huge", shapeVec, func(b []byte) { binary.LittleEndian.PutUint32(b, 0x7fffffff) },
			fmt.Sprintf("tflite: %s: field shape: vector at offset %#x (2147483647 elements of 4 bytes) runs past end of file (len %#x)", tname, shapeVec, size)},
		{"shape count over rank limit", shapeVec, func(b []byte) { binary.LittleEndian.PutUint32(b, 17) },
			fmt.Sprintf("tflite: %s: field shape: vector at offset %#x has 17 elements, more than the limit of 16", tname, shapeVec)},
		{"shape dimension", shapeVec + 4, func(b []byte) { binary.LittleEndian.PutUint32(b, 0xffffffff) },
			fmt.Sprintf("tflite: %s: field shape: dimension 0 is -1, want >= 1 (shape [-1 1 1 16])", tname)},
		{"shape dimension size", shapeVec + 4, func(b []byte) { binary.LittleEndian.PutUint32(b, 31) },
			fmt.Sprintf("tflite: %s: field buffer: buffer 51 holds 2048 bytes, want 1984 (496 elements of FLOAT32, shape [31 1 1 16])", tname)},
		{"name offset", nameAt, func(b []byte) { binary.LittleEndian.PutUint32(b, uint32(size)) },
			fmt.Sprintf("tflite: tensor 12: field name: offset at %#x points to %#x, past end of file (len %#x)", nameAt, nameAt+size, size)},
		{"name terminator", nameVec + 4 + nameLen, func(b []byte) { b[0] = 'x' },
			fmt.Sprintf("tflite: tensor 12: field name: string at offset %#x (%d bytes) lacks its NUL terminator", nameVec, nameLen)},
		{"vtable offset", tab.pos, func(b []byte) { binary.LittleEndian.PutUint32(b, uint32(int32(tab.pos+1))) },
			fmt.Sprintf("tflite: tensor 12: table at offset %#x: vtable offset -0x1 is outside the file (len %#x)", tab.pos, size)},
		{"vtable size", tab.pos, func(b []byte) {
			binary.LittleEndian.PutUint32(b, uint32(int32(tab.pos-(size-4))))
			binary.LittleEndian.PutUint16(b[size-4-tab.pos:], 16) // 16-byte vtable in the last 4 bytes
		}, fmt.Sprintf("tflite: tensor 12: table at offset %#x: vtable at %#x (16 bytes) runs past end of file (len %#x)", tab.pos, size-4, size)},
		{"vtable size odd", tab.pos, func(b []byte) {
			binary.LittleEndian.PutUint32(b, uint32(int32(tab.pos-(size-4))))
			binary.LittleEndian.PutUint16(b[size-4-tab.pos:], 7)
		}, fmt.Sprintf("tflite: tensor 12: table at offset %#x: vtable at %#x has invalid size 7", tab.pos, size-4)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := bytes.Clone(orig)
			tc.put(data[tc.at:])
			_, err := parseClipped(data)
			wantErr(t, err, tc.want)
			if t.Failed() {
				return
			}
			t.Log(err)
		})
	}

	// A corrupted vtable entry (vtables are shared between tensors with the
	// same layout, so the first tensor using it reports the error).
	data := bytes.Clone(orig)
	binary.LittleEndian.PutUint16(data[tab.vt+4+2*int64(tensorShape.id):], 0xfff0)
	_, err := parseClipped(data)
	wantErr(t, err, "field shape: inline offset 65520 (4 bytes) lies outside its table at 0x")
}

// TestMutations flips bytes of the tiny model at every position, and at
// random positions of the real float model outside its weight data: no panic,
// and every accepted result satisfies the invariants.
func TestMutations(t *testing.T) {
	tiny := build(tinyModel())
	accepted := 0
	for p := range tiny {
		for _, v := range []byte{0, 1, 0x7f, 0x80, 0xff, tiny[p] ^ 1, tiny[p] + 4, tiny[p] - 4} {
			data := bytes.Clone(tiny)
			data[p] = v
			if m, err := parseClipped(data); err == nil {
				accepted++
				exercise(t, m)
			}
		}
	}
	t.Logf("tiny model: %d bytes, %d of %d mutations still parse", len(tiny), accepted, 8*len(tiny))

	orig := readReal(t, "mobilenet_v1_0.25_224_float.tflite")
	mustParse(t, orig)
	inData := make([]bool, len(orig))
	r := newReader(orig)
	root, _ := r.root()
	bufs, _ := r.vectorField(root, modelBuffers, 4)
	for i := int64(0); i < bufs.n; i++ {
		b, err := r.tableElem(bufs, i)
		if err != nil {
			t.Fatal(err)
		}
		v, err := r.vectorField(b, bufferData, 1)
		if err != nil {
			t.Fatal(err)
		}
		for k := v.pos; k < v.pos+v.n; k++ {
			inData[k] = true
		}
	}
	var meta []int
	for p, in := range inData {
		if !in {
			meta = append(meta, p)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	accepted = 0
	const n = 3000
	data := bytes.Clone(orig)
	for k := 0; k < n; k++ {
		var at []int
		for j := 0; j <= k%3; j++ {
			p := meta[rng.IntN(len(meta))]
			at = append(at, p)
			data[p] = byte(rng.Uint32())
		}
		if m, err := parseClipped(data); err == nil {
			accepted++
			exercise(t, m)
		}
		for _, p := range at {
			data[p] = orig[p]
		}
	}
	t.Logf("float model: %d structural bytes, %d of %d random mutations still parse", len(meta), accepted, n)
}

// TestAmplification: many references to one large object must hit the
// allocation budget quickly instead of allocating gigabytes.
func TestAmplification(t *testing.T) {
	name := strings.Repeat("n", 64<<10)
	for _, tc := range []struct {
		what string
		f    func(m T)
		want string
	}{
		{"100k references to one tensor", func(m T) {
			sub(m)[0] = vshared{n: 100000, t: T{0: vi32{1}, 1: i8(Float32), 3: str("t")}}
			sub(m)[1], sub(m)[2], sub(m)[3] = vi32{0}, vi32{0}, vtab{}
		}, "subgraph 0: field tensors: decoded model would need more than"},
		{"shared tensor with a 64 KiB name", func(m T) {
			sub(m)[0] = vshared{n: 1000, t: T{0: vi32{1}, 1: i8(Float32), 3: str(name)}}
			sub(m)[1], sub(m)[2], sub(m)[3] = vi32{0}, vi32{0}, vtab{}
		}, "field name: decoded model would need more than"},
		{"shared operator with a long input list", func(m T) {
			sub(m)[3] = vshared{n: 1000, t: T{0: u32(1), 1: make(vi32, 20000)}}
		}, "field inputs: decoded model would need more than"},
		{"shared quantization with long scale vectors", func(m T) {
			q := T{2: make(vf32, 30000), 3: make(vi64, 30000)}
			sub(m)[0] = vshared{n: 1000, t: T{0: vi32{30000}, 1: i8(Uint8), 3: str("q"), 4: q}}
			sub(m)[1], sub(m)[2], sub(m)[3] = vi32{0}, vi32{0}, vtab{}
		}, "field quantization: field scale: decoded model would need more than"},
	} {
		start := time.Now()
		data := mutate(tc.f)
		_, err := parseClipped(data)
		wantErr(t, err, tc.want)
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: took %v", tc.what, d)
		}
		t.Logf("%s: %d-byte file: %v", tc.what, len(data), err)
	}
}
