package tflite

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Limits on a label list, whether it comes from the zip archive in a model
// file or from a labels file (the 1001 ImageNet labels are about 21 KB).
const (
	MaxLabelsSize = 4 << 20 // bytes of text
	MaxLabels     = 1 << 18 // lines
)

// ParseLabels reads a label list: one label per line, in class order. Line
// endings may be "\n" or "\r\n"; a final line ending is optional. Lines are
// kept as they are otherwise (an empty line is an empty label). More than
// MaxLabelsSize bytes or MaxLabels lines is an error.
func ParseLabels(r io.Reader) ([]string, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxLabelsSize+1))
	if err != nil {
		return nil, fmt.Errorf("tflite: labels: %w", err)
	}
	if len(data) > MaxLabelsSize {
		return nil, fmt.Errorf("tflite: labels: more than %d bytes", MaxLabelsSize)
	}
	labels, err := splitLabels(data)
	if err != nil {
		return nil, fmt.Errorf("tflite: labels: %w", err)
	}
	return labels, nil
}

// ReadLabels reads the label list file at path (see ParseLabels).
func ReadLabels(path string) ([]string, error) {
	data, err := readFileLimited(path, MaxLabelsSize)
	if err == nil {
		var labels []string
		if labels, err = splitLabels(data); err == nil {
			return labels, nil
		}
		err = fmt.Errorf("%s: %w", path, err)
	}
	return nil, fmt.Errorf("tflite: labels: %w", err)
}

func splitLabels(data []byte) ([]string, error) {
	if len(data) == 0 {
		return nil, nil
	}
	text := strings.TrimSuffix(string(data), "\n")
	if n := strings.Count(text, "\n") + 1; n > MaxLabels {
		return nil, fmt.Errorf("%d lines, more than the limit of %d", n, MaxLabels)
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines, nil
}

// zipLabels returns the name and lines of the first .txt file in the zip
// archive that model files from TFLite's metadata tools carry after the
// flatbuffer (the archive's central directory is at the end of the file, so
// archive/zip finds it with its offsets relative to the archive's start).
//
// No archive is not an error: the labels are nil. Neither is data that does
// not parse as a zip directory, since a model's last buffer can hold the
// end-of-directory signature by chance. Once a directory is found, a broken
// or oversized label entry is an error.
func zipLabels(data []byte) (name string, labels []string, err error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return "", nil, nil
	}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || !strings.HasSuffix(strings.ToLower(f.Name), ".txt") {
			continue
		}
		labels, err := readZipLabels(f)
		if err != nil {
			return "", nil, &FormatError{Offset: -1, Msg: fmt.Sprintf("appended zip archive: %q: %v", f.Name, err)}
		}
		return f.Name, labels, nil
	}
	return "", nil, nil
}

func readZipLabels(f *zip.File) ([]string, error) {
	if f.UncompressedSize64 > MaxLabelsSize {
		return nil, fmt.Errorf("%d bytes, more than the limit of %d", f.UncompressedSize64, MaxLabelsSize)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	// archive/zip stops at the declared size and checks the CRC at the end;
	// the limit guards against a lying size anyway.
	data, err := io.ReadAll(io.LimitReader(rc, MaxLabelsSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxLabelsSize {
		return nil, fmt.Errorf("more than %d bytes", MaxLabelsSize)
	}
	return splitLabels(data)
}
