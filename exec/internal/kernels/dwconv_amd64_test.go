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

// TestDWArgsLayout pins dwArgs to the offsets the generator uses.
func TestDWArgsLayout(t *testing.T) {
	var a dwArgs
	want := []struct {
		name string
		got  uintptr
		off  uintptr
	}{
		{"in", unsafe.Offsetof(a.in), 0}, {"w", unsafe.Offsetof(a.w), 8},
		{"bias", unsafe.Offsetof(a.bias), 16}, {"out", unsafe.Offsetof(a.out), 24},
		{"cs", unsafe.Offsetof(a.cs), 32}, {"rsAdj", unsafe.Offsetof(a.rsAdj), 40},
		{"wps", unsafe.Offsetof(a.wps), 48}, {"wrsAdj", unsafe.Offsetof(a.wrsAdj), 56},
		{"ocs", unsafe.Offsetof(a.ocs), 64}, {"nkh", unsafe.Offsetof(a.nkh), 72},
		{"nkw", unsafe.Offsetof(a.nkw), 80}, {"npan", unsafe.Offsetof(a.npan), 88},
		{"npan1", unsafe.Offsetof(a.npan1), 96}, {"nrem", unsafe.Offsetof(a.nrem), 104},
		{"tail", unsafe.Offsetof(a.tail), 112}, {"n", unsafe.Offsetof(a.n), 120},
		{"pstep", unsafe.Offsetof(a.pstep), 128}, {"ostep", unsafe.Offsetof(a.ostep), 136},
		{"lo", unsafe.Offsetof(a.lo), 144}, {"hi", unsafe.Offsetof(a.hi), 148},
		{"kmask", unsafe.Offsetof(a.kmask), 152}, {"mask", unsafe.Offsetof(a.mask), 160},
		{"ep", unsafe.Offsetof(a.ep), 192}, {"three", unsafe.Offsetof(a.three), 256},
		{"sixth", unsafe.Offsetof(a.sixth), 320}, {"curIn", unsafe.Offsetof(a.curIn), 384},
		{"curOut", unsafe.Offsetof(a.curOut), 392}, {"count", unsafe.Offsetof(a.count), 400},
	}
	for _, f := range want {
		if f.got != f.off {
			t.Errorf("dwArgs.%s at %d, generator expects %d", f.name, f.got, f.off)
		}
	}
}

// dwVocabulary is the instruction set the generator promises (see the
// comment at the top of _asm/dwconv/main.go), for the AVX-512 simulator.
var dwVocabulary = map[string]bool{
	"VMOVUPS": true, "VBROADCASTSS": true, "VFMADD231PS": true, "VMAXPS": true, "VMINPS": true,
	"VADDPS": true, "VMULPS": true, "VZEROUPPER": true, "VMASKMOVPS": true, "KMOVW": true, "VMOVUPS.Z": true,
	"MOVQ": true, "ADDQ": true, "XORQ": true, "DECQ": true, "CMPQ": true, "TESTQ": true,
	"JZ": true, "JNZ": true, "JEQ": true, "JNE": true, "JMP": true, "RET": true,
}

// TestDWAsmVocabulary scans the generated assembly: only the promised
// instructions, and no register an AVX2 machine lacks (avo hands out Y16-Y31
// without complaint when an AVX2 body runs out of registers).
func TestDWAsmVocabulary(t *testing.T) {
	f, err := os.Open("dwconv_amd64.s")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	evex := regexp.MustCompile(`\b(Z\d+|[XY](1[6-9]|2\d|3[01])|K[0-7])\b`)
	fn := ""
	sc := bufio.NewScanner(f)
	for ln := 1; sc.Scan(); ln++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "//") || strings.HasPrefix(line, "#include") || strings.HasSuffix(line, ":") {
			continue
		}
		if strings.HasPrefix(line, "TEXT ") {
			fn = line
			continue
		}
		op := strings.Fields(line)[0]
		if !dwVocabulary[op] {
			t.Errorf("line %d: instruction %s outside the documented vocabulary", ln, op)
		}
		if strings.Contains(fn, "AVX2(") && evex.MatchString(line) {
			t.Errorf("line %d: AVX2 function uses an AVX-512 register: %s", ln, line)
		}
		if strings.Contains(line, "K0") {
			t.Errorf("line %d: K0 cannot be a write mask: %s", ln, line)
		}
	}
}
