package model

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// Limits on a label list, whether it comes from a model file or from a
// labels file (the 1001 ImageNet labels are about 21 KB).
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
		return nil, fmt.Errorf("labels: %w", err)
	}
	if len(data) > MaxLabelsSize {
		return nil, fmt.Errorf("labels: more than %d bytes", MaxLabelsSize)
	}
	labels, err := SplitLabels(data)
	if err != nil {
		return nil, fmt.Errorf("labels: %w", err)
	}
	return labels, nil
}

// ReadLabels reads the label list file at path (see ParseLabels).
func ReadLabels(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("labels: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("labels: %w", err)
	}
	if st.Size() > MaxLabelsSize {
		return nil, fmt.Errorf("labels: %s: file is %d bytes, larger than the limit of %d", path, st.Size(), MaxLabelsSize)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxLabelsSize+1))
	if err != nil {
		return nil, fmt.Errorf("labels: %s: %w", path, err)
	}
	if len(data) > MaxLabelsSize {
		return nil, fmt.Errorf("labels: %s: file is larger than the limit of %d bytes", path, MaxLabelsSize)
	}
	labels, err := SplitLabels(data)
	if err != nil {
		return nil, fmt.Errorf("labels: %s: %w", path, err)
	}
	return labels, nil
}

// SplitLabels splits label text already read (at most MaxLabelsSize
// bytes) into lines, as ParseLabels does.
func SplitLabels(data []byte) ([]string, error) {
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
