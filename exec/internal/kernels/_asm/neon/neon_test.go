package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/arch/arm64/arm64asm"
)

// disasm returns arm64asm's GNU spelling of w.
func disasm(w uint32) (string, error) {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], w)
	in, err := arm64asm.Decode(b[:])
	if err != nil {
		return "", err
	}
	return arm64asm.GNUSyntax(in), nil
}

// dotAsMul maps an SDOT/UDOT by element to the by-element MUL (4S) with
// the same register and index fields (opcode bits 15:12 1000 instead of
// 1110, U clear), which arm64asm decodes: arm64asm predates the dot
// product extension. Its spelling then names the same registers and index.
func dotAsMul(e enc) (uint32, string, bool) {
	re := regexp.MustCompile(`^[su]dot (v\d+)\.4s, (v\d+)\.16b, (v\d+)\.4b\[(\d)\]$`)
	m := re.FindStringSubmatch(e.gnu)
	if m == nil {
		return 0, "", false
	}
	if e.word&0x9fc0f400 != 0x0f80e000 || e.word>>30&1 != 1 {
		return 0, "", false // not the Q=1 size=10 by-element dot layout
	}
	w := e.word&^(1<<29)&^(0xf<<12) | 0x8<<12
	return w, fmt.Sprintf("mul %s.4s, %s.4s, %s.s[%s]", m[1], m[2], m[3], m[4]), true
}

// check verifies one encoding.
func check(t *testing.T, where string, e enc) {
	t.Helper()
	if w, want, ok := dotAsMul(e); ok {
		got, err := disasm(w)
		if err != nil || got != want {
			t.Errorf("%s: %08x %q: its fields as MUL %08x disassemble to %q (%v), want %q", where, e.word, e.gnu, w, got, err, want)
		}
		return
	}
	got, err := disasm(e.word)
	if err != nil || got != e.gnu {
		t.Errorf("%s: %08x disassembles to %q (%v), the generator says %q", where, e.word, got, err, e.gnu)
	}
}

// TestEncoder runs every encoder over every register (and index) it
// accepts, not only the ones the kernels use.
func TestEncoder(t *testing.T) {
	n := 0
	for d := V(0); d < 32; d += 7 {
		for nn := V(0); nn < 32; nn += 5 {
			for m := V(0); m < 32; m++ {
				es := []enc{
					fadd(a4S, d, nn, m), fadd(a2D, d, nn, m), fmul(a4S, d, nn, m), fmul(a2D, d, nn, m),
					fcmgt(a4S, d, nn, m), bic(d, nn, m), bit(d, nn, m), fmla(d, nn, m),
					sqrdmulh(a4S, d, nn, m), srshl(a4S, d, nn, m), sshl(a4S, d, nn, m), sqadd(a4S, d, nn, m),
					smax(a4S, d, nn, m), smin(a4S, d, nn, m), addv(a4S, d, nn, m), subv(a4S, d, nn, m),
					addv(a8H, d, nn, m), subv(a8H, d, nn, m),
					smlal(d, nn, m, false), smlal(d, nn, m, true), usubl(d, nn, m, false), usubl(d, nn, m, true),
				}
				for i := range 4 {
					es = append(es, fmlaElem(d, nn, m, i), dot(d, nn, m, i, false), dot(d, nn, m, i, true))
				}
				if m < 16 {
					for i := range 8 {
						es = append(es, smlalElem(d, nn, m, i, false), smlalElem(d, nn, m, i, true))
					}
				}
				for _, e := range es {
					check(t, "encoder", e)
					n++
				}
			}
			for _, e := range []enc{fcmltz(d, nn), fcvtl(d, nn, false), fcvtl(d, nn, true), fcvtn(d, nn, false), fcvtn(d, nn, true),
				neg(d, nn), sshr(d, nn, 31), sshr(d, nn, 1), sqxtun(d, nn, false), sqxtun(d, nn, true), uqxtn(d, nn, false),
				uqxtn(d, nn, true), uxtl(d, nn)} {
				check(t, "encoder", e)
				n++
			}
		}
	}
	t.Logf("%d encodings checked", n)
}

var wordLine = regexp.MustCompile(`^\tWORD \$0x([0-9a-f]{8}) // (.*)$`)

// generated returns the WORD lines of the generated arm64 files.
func generated(t *testing.T) []enc {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "*_arm64.s"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no generated arm64 files: %v", err)
	}
	var out []enc
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if strings.Contains(line, "WORD") {
				m := wordLine.FindStringSubmatch(line)
				if m == nil {
					t.Fatalf("%s:%d: malformed WORD line %q", f, i+1, line)
				}
				w, _ := strconv.ParseUint(m[1], 16, 32)
				out = append(out, enc{uint32(w), m[2]})
			}
		}
	}
	return out
}

// TestEncodings disassembles every WORD of the generated files and
// requires the spelling written beside it.
func TestEncodings(t *testing.T) {
	words := generated(t)
	seen := map[uint32]bool{}
	for _, e := range words {
		if !seen[e.word] {
			seen[e.word] = true
			check(t, "generated", e)
		}
	}
	t.Logf("%d WORDs, %d distinct, checked", len(words), len(seen))
}

// TestEncodingsLLVM cross-checks the WORDs with llvm-mc's disassembler
// (with the dot product extension), where it is installed: the only full
// check of SDOT and UDOT, which arm64asm does not decode.
func TestEncodingsLLVM(t *testing.T) {
	mc, err := exec.LookPath("llvm-mc")
	if err != nil {
		t.Skip("llvm-mc not installed")
	}
	seen := map[uint32]bool{}
	var words []enc
	for _, e := range generated(t) {
		if !seen[e.word] {
			seen[e.word] = true
			words = append(words, e)
		}
	}
	var in bytes.Buffer
	for _, e := range words {
		fmt.Fprintf(&in, "0x%02x 0x%02x 0x%02x 0x%02x\n", e.word&0xff, e.word>>8&0xff, e.word>>16&0xff, e.word>>24)
	}
	cmd := exec.Command(mc, "--disassemble", "-triple=aarch64", "-mattr=+dotprod")
	cmd.Stdin = &in
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("llvm-mc: %v", err)
	}
	var lines []string
	for _, l := range strings.Split(string(out), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, ".") {
			continue
		}
		lines = append(lines, strings.Join(strings.Fields(l), " "))
	}
	if len(lines) != len(words) {
		t.Fatalf("llvm-mc gave %d lines for %d words", len(lines), len(words))
	}
	for i, e := range words {
		if got := llvmNorm(lines[i]); got != llvmNorm(e.gnu) {
			t.Errorf("%08x: llvm-mc %q, the generator %q", e.word, lines[i], e.gnu)
		}
	}
	t.Logf("%d distinct WORDs agree with llvm-mc", len(words))
}

// llvmNorm maps the spellings on which llvm-mc and GNU differ (llvm-mc's
// "#0.0" for the zero of a float compare, its "uxtl" alias) to one form.
func llvmNorm(s string) string {
	s = strings.ReplaceAll(s, "#0.0", "#0")
	if m := ushll0.FindStringSubmatch(s); m != nil {
		s = "uxtl " + m[1]
	}
	return s
}

var ushll0 = regexp.MustCompile(`^ushll (v\d+\.8h, v\d+\.8b), #0$`)
