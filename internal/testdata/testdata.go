// Package testdata locates the shared real-model test data (TFLite models,
// images, labels) that is never committed into this repository.
//
// The directory is $MNET_TESTDATA, or ../shared/testdata relative to the
// module root; the peers' fixtures (Fixtures) are $MNET_FIXTURES or
// ../shared/peers/fixtures. Tests call Dir or File: when the data is absent they skip with
// a message, except when $CI is set, where absence is a failure.
package testdata

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the test-data directory, skipping (or, under CI, failing) the
// test when it does not exist.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("MNET_TESTDATA")
	if dir == "" {
		root, err := moduleRoot()
		if err != nil {
			missing(tb, "module root: "+err.Error())
			return ""
		}
		dir = filepath.Join(root, "..", "shared", "testdata")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		missing(tb, "test data directory "+dir+" not found (set MNET_TESTDATA)")
		return ""
	}
	return dir
}

// Fixtures returns the peers' fixture directory, $MNET_FIXTURES or
// ../shared/peers/fixtures relative to the module root (reference inputs and
// outputs of other runtimes, read only), skipping (or, under CI, failing)
// the test when it does not exist.
func Fixtures(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("MNET_FIXTURES")
	if dir == "" {
		root, err := moduleRoot()
		if err != nil {
			missing(tb, "module root: "+err.Error())
			return ""
		}
		dir = filepath.Join(root, "..", "shared", "peers", "fixtures")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		missing(tb, "fixture directory "+dir+" not found (set MNET_FIXTURES)")
		return ""
	}
	return dir
}

// File returns the path of rel (slash-separated) inside the test-data
// directory, skipping (or, under CI, failing) when it is absent.
func File(tb testing.TB, rel string) string {
	tb.Helper()
	p := filepath.Join(Dir(tb), filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		missing(tb, "test data file "+p+" not found")
		return ""
	}
	return p
}

func missing(tb testing.TB, msg string) {
	tb.Helper()
	if os.Getenv("CI") != "" {
		tb.Fatalf("%s; CI is set, so missing test data is an error", msg)
	}
	tb.Skipf("skipping: %s", msg)
}

// moduleRoot walks up from the working directory to the go.mod of module
// mnet.dev/mnet (not a nested generator module).
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && bytes.HasPrefix(b, []byte("module mnet.dev/mnet\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
