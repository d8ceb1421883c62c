package tflite

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that no input makes Parse or the accessors panic, read out
// of range or allocate without bound, and that every accepted model satisfies
// the invariants Parse documents.
//
// Seeds: the synthetic tiny model (alone, with an appended labels zip, and
// truncated), option-carrying single-operator models, and, when the shared
// test data is present, the real models: whole, halved, with a few structural
// bytes changed, and re-encoded without their weights. Run with
//
//	go test ./spec/tflite -run '^$' -fuzz FuzzParse -fuzztime 10m
func FuzzParse(f *testing.F) {
	tiny := build(tinyModel())
	f.Add(tiny)
	f.Add(tiny[:len(tiny)/2])
	var zbuf bytes.Buffer
	zbuf.Write(tiny)
	zw := zip.NewWriter(&zbuf)
	if w, err := zw.Create("labels.txt"); err != nil {
		f.Fatal(err)
	} else if _, err := w.Write([]byte("background\ncat\n")); err != nil {
		f.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		f.Fatal(err)
	}
	f.Add(zbuf.Bytes())
	f.Add(oneOp(OpConv2D, optConv2D, T{0: u8(1), 1: i32(1), 2: i32(3), 3: u8(1), 4: i32(2), 5: i32(4)}))
	f.Add(oneOp(OpDepthwiseConv2D, optDepthwiseConv2D, T{1: i32(2), 2: i32(2), 3: i32(4), 4: u8(3)}))
	f.Add(oneOp(OpMaxPool2D, optPool2D, T{1: i32(1), 2: i32(1), 3: i32(3), 4: i32(3), 5: u8(2)}))
	f.Add(oneOp(OpFullyConnected, optFullyConnected, T{0: u8(1), 1: u8(1), 2: boolv(true)}))
	f.Add(oneOp(OpConcatenation, optConcatenation, T{0: i32(-1)}))
	f.Add(oneOp(OpReshape, optReshape, T{0: vi32{1, -1}}))
	f.Add(oneOp(OpSqueeze, optSqueeze, T{0: vi32{1, 2}}))
	f.Add(oneOp(OpSoftmax, optSoftmax, T{0: f32(1)}))
	f.Add(oneOp(OpAdd, optAdd, T{0: u8(3)}))

	for _, p := range seedModels() {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		f.Add(data)
		f.Add(data[:len(data)/2])
		if m, err := Parse(data); err == nil {
			// The real structure without the weights: small, so the fuzzer
			// spends its time on metadata rather than on megabytes of floats.
			f.Add(build(modelTree(m, false)))
		}
		mut := bytes.Clone(data)
		for _, at := range []int{0x10, 0x40, 0x100, 0x400} { // root table and its vtable area
			if at < len(mut) {
				mut[at] ^= 0x5a
			}
		}
		f.Add(mut)
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := parseClipped(data)
		if err != nil {
			if m != nil {
				t.Fatal("model and error")
			}
			return
		}
		exercise(t, m)
	})
}

// seedModels returns the paths of the shared real models, without skipping
// when they are absent (the fuzz target still has its synthetic seeds).
func seedModels() []string {
	dir := os.Getenv("MNET_TESTDATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "testdata")
	}
	var paths []string
	for _, rm := range realModels {
		paths = append(paths, filepath.Join(dir, "models", rm.file))
	}
	return paths
}
