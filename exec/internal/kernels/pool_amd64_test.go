//go:build amd64 && !purego

package kernels

import (
	"bufio"
	"os"
	"regexp"
	"strings"
	"testing"
	"unsafe"
)

// TestPoolArgsLayout pins poolArgs to the offsets the generator uses.
func TestPoolArgsLayout(t *testing.T) {
	var a poolArgs
	for _, f := range []struct {
		name string
		got  uintptr
		off  uintptr
	}{
		{"in", unsafe.Offsetof(a.in), 0}, {"out", unsafe.Offsetof(a.out), 8},
		{"n", unsafe.Offsetof(a.n), 16}, {"pstep", unsafe.Offsetof(a.pstep), 24},
		{"ostep", unsafe.Offsetof(a.ostep), 32}, {"nkh", unsafe.Offsetof(a.nkh), 40},
		{"nkw", unsafe.Offsetof(a.nkw), 48}, {"cs", unsafe.Offsetof(a.cs), 56},
		{"rs", unsafe.Offsetof(a.rs), 64}, {"nv4", unsafe.Offsetof(a.nv4), 72},
		{"nv1", unsafe.Offsetof(a.nv1), 80}, {"tail", unsafe.Offsetof(a.tail), 88},
		{"scale", unsafe.Offsetof(a.scale), 96}, {"mask", unsafe.Offsetof(a.mask), 104},
	} {
		if f.got != f.off {
			t.Errorf("poolArgs.%s at %d, generator expects %d", f.name, f.got, f.off)
		}
	}
}

// TestPoolAsmVocabulary scans the generated pooling assembly: only the
// instructions the generator documents, and only registers an AVX2
// machine has.
func TestPoolAsmVocabulary(t *testing.T) {
	vocab := map[string]bool{
		"VMOVUPS": true, "VMASKMOVPS": true, "VMAXPS": true, "VADDPS": true, "VMULPS": true,
		"VBROADCASTSS": true, "VXORPS": true, "VCVTPS2PD": true, "VCVTPD2PSY": true, "VADDPD": true,
		"VMULPD": true, "VBROADCASTSD": true, "VEXTRACTF128": true, "VINSERTF128": true, "VZEROUPPER": true,
		"MOVQ": true, "ADDQ": true, "DECQ": true, "TESTQ": true, "JZ": true, "JNZ": true, "RET": true,
	}
	f, err := os.Open("pool_amd64.s")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	evex := regexp.MustCompile(`\b(Z\d+|[XY](1[6-9]|2\d|3[01])|K[0-7])\b`)
	sc := bufio.NewScanner(f)
	for ln := 1; sc.Scan(); ln++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "//") || strings.HasPrefix(line, "#include") || strings.HasSuffix(line, ":") || strings.HasPrefix(line, "TEXT ") {
			continue
		}
		if op := strings.Fields(line)[0]; !vocab[op] {
			t.Errorf("line %d: instruction %s outside the documented vocabulary", ln, op)
		}
		if evex.MatchString(line) {
			t.Errorf("line %d: an AVX-512 register in an AVX2 kernel: %s", ln, line)
		}
	}
}
