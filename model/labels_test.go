package model

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseLabels(t *testing.T) {
	for in, want := range map[string][]string{
		"":             nil,
		"a":            {"a"},
		"a\n":          {"a"},
		"a\r\nb\r\n":   {"a", "b"},
		"a\n\nb":       {"a", "", "b"},
		"a\nb\n\n":     {"a", "b", ""},
		" x y \nz\r\n": {" x y ", "z"},
	} {
		got, err := ParseLabels(strings.NewReader(in))
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("ParseLabels(%q) = %q, %v, want %q", in, got, err, want)
		}
	}
	if _, err := ParseLabels(strings.NewReader(strings.Repeat("x", MaxLabelsSize+1))); err == nil {
		t.Error("oversized labels accepted")
	}
	if _, err := ParseLabels(strings.NewReader(strings.Repeat("\n", MaxLabels+1))); err == nil || !strings.Contains(err.Error(), "262145 lines, more than the limit of 262144") {
		t.Errorf("too many labels: %v", err)
	}
	if got, err := ParseLabels(strings.NewReader(strings.Repeat("\n", MaxLabels))); err != nil || len(got) != MaxLabels {
		t.Errorf("%d labels: %v", len(got), err)
	}

	dir := t.TempDir()
	p := filepath.Join(dir, "labels.txt")
	if err := os.WriteFile(p, []byte("background\ntench\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadLabels(p); err != nil || !slices.Equal(got, []string{"background", "tench"}) {
		t.Errorf("ReadLabels = %q, %v", got, err)
	}
	if err := os.WriteFile(p, make([]byte, MaxLabelsSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadLabels(p); err == nil || !strings.Contains(err.Error(), "larger than the limit") {
		t.Errorf("ReadLabels of an oversized file: %v", err)
	}
	if _, err := ReadLabels(filepath.Join(dir, "missing.txt")); err == nil {
		t.Error("ReadLabels of a missing file succeeded")
	}
}
