// Package golden compares test output with golden files under
// testdata/<TestName>/, the one mechanism every golden test in mnet uses
// (the commands' reports, the explorer's screens, the charts' images).
//
// Run a package's tests with -update to rewrite its golden files from the
// current output (make golden does it for every package that has them):
//
//	go test ./cmd/internal/analyzecmd -update
//
// then review the change with git diff.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The -update flag of every test binary that imports golden. A test
// binary that also links charmbracelet's x/exp/golden (teatest) has that
// package's -update, with the same meaning: packages initialise in import
// path order, so it is defined first and shared.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files under testdata/<Test>/ from the current output")
	}
}

// Updating reports whether the tests run with -update.
func Updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// Path is the golden file for name in the running test's directory:
// testdata/<TestName>/<name>, subtests' slashes made underscores.
func Path(t testing.TB, name string) string {
	test := strings.ReplaceAll(t.Name(), "/", "_")
	return filepath.Join("testdata", test, name)
}

// Check compares got with the golden file name byte for byte (showing the
// first differing lines), or rewrites it under -update.
func Check(t testing.TB, name string, got []byte) {
	t.Helper()
	CheckWith(t, Path(t, name), got, func(got, want []byte) (bool, string, error) {
		if bytes.Equal(got, want) {
			return true, "", nil
		}
		return false, diff(string(want), string(got)), nil
	})
}

// Equal compares output with a golden file's content; when they differ it
// may say how (a diff), or fail outright (an undecodable image).
type Equal func(got, want []byte) (same bool, how string, err error)

// CheckWith compares got with the golden file at path under eq (images
// compare within a tolerance), or rewrites the file under -update. When
// they differ, got is written beside the test's temporary files so it can
// be looked at.
func CheckWith(t testing.TB, path string, got []byte, eq Equal) {
	t.Helper()
	if Updating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file: %v (go test -update creates it)", err)
	}
	same, how, err := eq(got, want)
	if err != nil {
		t.Fatalf("comparing with %s: %v", path, err)
	}
	if !same {
		out := filepath.Join(t.TempDir(), filepath.Base(path))
		_ = os.WriteFile(out, got, 0o644)
		t.Errorf("output differs from %s (got written to %s; go test -update rewrites it)\n%s", path, out, how)
	}
}

// diff shows the first differing lines.
func diff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(wl), len(gl)) && shown < 10; i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			b.WriteString("line " + strconv.Itoa(i+1) + ":\n  want: " + w + "\n   got: " + g + "\n")
			shown++
		}
	}
	return b.String()
}
