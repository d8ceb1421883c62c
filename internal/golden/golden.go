// Package golden compares test output with files under
// testdata/<TestName>/, rewriting them when MNET_UPDATE_GOLDEN=1.
package golden

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Path is the golden file for name in the running test's directory.
func Path(t testing.TB, name string) string {
	test := strings.ReplaceAll(t.Name(), "/", "_")
	return filepath.Join("testdata", test, name)
}

// Check compares got with the golden file, or rewrites it when
// MNET_UPDATE_GOLDEN=1.
func Check(t testing.TB, name string, got []byte) {
	t.Helper()
	p := Path(t, name)
	if os.Getenv("MNET_UPDATE_GOLDEN") == "1" {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("golden file: %v (run with MNET_UPDATE_GOLDEN=1 to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (MNET_UPDATE_GOLDEN=1 rewrites it):\n%s", p, diff(string(want), string(got)))
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
			b.WriteString("line " + itoa(i+1) + ":\n  want: " + w + "\n   got: " + g + "\n")
			shown++
		}
	}
	return b.String()
}

func itoa(i int) string {
	var buf [20]byte
	n := len(buf)
	for {
		n--
		buf[n] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			return string(buf[n:])
		}
	}
}
