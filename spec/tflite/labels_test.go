package tflite

import (
	"archive/zip"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"mnet.dev/mnet/model"
)

type zipEntry struct {
	name   string
	body   string
	method uint16
}

// withZip returns model followed by a zip archive of entries, as TFLite's
// metadata writer lays files out, with offsets relative to the archive.
func withZip(t *testing.T, model []byte, entries ...zipEntry) []byte {
	return appendZip(t, model, false, entries...)
}

// appendZip is withZip, with offsets relative to the file when absolute.
func appendZip(t *testing.T, model []byte, absolute bool, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	buf.Write(model)
	zw := zip.NewWriter(&buf)
	if absolute {
		zw.SetOffset(int64(len(model)))
	}
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: e.method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestZipLabels(t *testing.T) {
	model := build(tinyModel())
	for _, tc := range []struct {
		method   uint16
		absolute bool
	}{{zip.Store, false}, {zip.Deflate, false}, {zip.Deflate, true}} {
		data := appendZip(t, model, tc.absolute,
			zipEntry{"README.md", "not labels", tc.method},
			zipEntry{"dir/labels.TXT", "background\r\ncat\r\n\r\ndog\r\n", tc.method},
			zipEntry{"vocab.txt", "second txt, ignored", tc.method})
		m := mustParse(t, data)
		if want := []string{"background", "cat", "", "dog"}; !slices.Equal(m.Labels, want) || m.LabelFile != "dir/labels.TXT" {
			t.Errorf("%+v: labels %q from %q, want %q", tc, m.Labels, m.LabelFile, want)
		}
	}
	// A zip without a .txt entry, and trailing bytes that are no zip: no labels.
	for _, data := range [][]byte{
		withZip(t, model, zipEntry{"a.json", "{}", zip.Store}),
		append(slices.Clip(model), "PK\x05\x06 garbage"...),
	} {
		if m := mustParse(t, data); m.Labels != nil {
			t.Errorf("labels %q", m.Labels)
		}
	}
}

func TestZipLabelErrors(t *testing.T) {
	tiny := build(tinyModel())
	// Oversized: declared size over the limit (a small deflated stream).
	big := withZip(t, tiny, zipEntry{"labels.txt", strings.Repeat("x\n", model.MaxLabelsSize/2+1), zip.Deflate})
	_, err := Parse(big)
	wantErr(t, err, `tflite: appended zip archive: "labels.txt": 4194306 bytes, more than the limit of 4194304`)

	// Corrupted contents: the CRC check fails.
	data := withZip(t, tiny, zipEntry{"labels.txt", "background\ncat\n", zip.Store})
	i := bytes.Index(data, []byte("background"))
	data[i] = 'B'
	_, err = Parse(data)
	wantErr(t, err, `appended zip archive: "labels.txt": zip: checksum error`)
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "tiny.tflite")
	if err := os.WriteFile(good, build(tinyModel()), 0o644); err != nil {
		t.Fatal(err)
	}
	if m, err := ReadFile(good); err != nil || len(m.Tensors) != 10 {
		t.Fatalf("ReadFile: %v", err)
	}
	bad := filepath.Join(dir, "bad.tflite")
	if err := os.WriteFile(bad, []byte("not a model at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadFile(bad)
	wantErr(t, err, "tflite: "+bad+`: file identifier "a mo" at offset 0x4, want "TFL3"`)
	if _, err := ReadFile(filepath.Join(dir, "missing.tflite")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile of a missing file: %v", err)
	}
}
