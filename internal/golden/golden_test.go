package golden

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeT records failures instead of failing.
type fakeT struct {
	testing.TB
	failed []string
	dir    string
}

func (f *fakeT) Helper()                   {}
func (f *fakeT) Errorf(s string, a ...any) { f.failed = append(f.failed, s) }
func (f *fakeT) Fatalf(s string, a ...any) { f.failed = append(f.failed, s) }
func (f *fakeT) Fatal(a ...any)            { f.failed = append(f.failed, "fatal") }
func (f *fakeT) TempDir() string           { return f.dir }
func (f *fakeT) Name() string              { return "TestX/sub" }

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.golden")
	if err := os.WriteFile(path, []byte("a\nb\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	eq := func(got, want []byte) (bool, string, error) { return string(got) == string(want), "differs", nil }
	ft := &fakeT{TB: t, dir: t.TempDir()}
	CheckWith(ft, path, []byte("a\nb\n"), eq)
	if len(ft.failed) != 0 {
		t.Errorf("equal output failed: %v", ft.failed)
	}
	CheckWith(ft, path, []byte("a\nc\n"), eq)
	if len(ft.failed) != 1 {
		t.Errorf("different output passed")
	}
	if b, err := os.ReadFile(filepath.Join(ft.dir, "out.golden")); err != nil || string(b) != "a\nc\n" {
		t.Errorf("got not written for a look: %q %v", b, err)
	}
	CheckWith(ft, filepath.Join(dir, "missing"), nil, eq)
	if len(ft.failed) != 2 {
		t.Error("a missing golden file passed")
	}

	if err := flag.Set("update", "true"); err != nil {
		t.Fatal(err)
	}
	defer flag.Set("update", "false")
	newPath := filepath.Join(dir, "new", "x.golden")
	CheckWith(ft, newPath, []byte("new"), eq)
	if b, err := os.ReadFile(newPath); err != nil || string(b) != "new" || len(ft.failed) != 2 {
		t.Errorf("-update did not write: %q %v %v", b, err, ft.failed)
	}
	if !Updating() {
		t.Error("Updating is false under -update")
	}
}

func TestPathAndDiff(t *testing.T) {
	if p := Path(&fakeT{TB: t}, "a.txt"); p != filepath.Join("testdata", "TestX_sub", "a.txt") {
		t.Errorf("path %s", p)
	}
	d := diff("a\nb\nc", "a\nx\nc")
	if !strings.Contains(d, "line 2:") || !strings.Contains(d, "want: b") || !strings.Contains(d, "got: x") || strings.Contains(d, "line 1") {
		t.Errorf("diff %q", d)
	}
}
