package asmsim

import (
	"errors"
	"math"
	"strings"
	"testing"
	"unsafe"
)

// asmFunc wraps instructions in a TEXT block with a signature of n pointer
// arguments p0..p(n-1).
func asmFunc(name, requires string, nargs int, body string) string {
	var params []string
	for i := 0; i < nargs; i++ {
		params = append(params, "p"+string(rune('0'+i))+" *float32")
	}
	s := "// func " + name + "(" + strings.Join(params, ", ") + ")\n"
	if requires != "" {
		s += "// Requires: " + requires + "\n"
	}
	s += "TEXT ·" + name + "(SB), NOSPLIT, $0-" + itoa(8*nargs) + "\n" + body + "\n"
	return s
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

func addr[T any](p *T) uint64 { return uint64(uintptr(unsafe.Pointer(p))) }

const loadArgs = "\tMOVQ p0+0(FP), AX\n\tMOVQ p1+8(FP), BX\n\tMOVQ p2+16(FP), CX\n"

func mustParse(t *testing.T, src string) *Program {
	t.Helper()
	p, err := ParseSource("test.s", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func floats(n int, f func(i int) float32) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = f(i)
	}
	return s
}

// run3 runs fn(p0, p1, p2) on a 512-capable machine with p0 = in
// (read-only), p1 = aux (read-only), p2 = out (writable).
func run3(t *testing.T, src, fn string, in, aux, out []float32) error {
	t.Helper()
	p := mustParse(t, src)
	mem := &Memory{}
	ptr := func(s []float32) uint64 {
		if len(s) == 0 {
			return 0x100000
		}
		return addr(&s[0])
	}
	mem.MapReal("in", Bytes(in), false)
	mem.MapReal("aux", Bytes(aux), false)
	mem.MapReal("out", Bytes(out), true)
	m := New(mem, FeaturesAVX512)
	m.MaxSteps = 10000
	_, err := m.Call(p.Func(fn), ptr(in), ptr(aux), ptr(out))
	return err
}

func TestMaskedLoadStoreAVX512(t *testing.T) {
	src := asmFunc("f", "AVX, AVX512F", 3, loadArgs+`
	KMOVW     (BX), K1
	VMOVUPS.Z (AX), K1, Z0
	VMOVUPS   Z0, (CX)
	VMOVUPS   Z0, K1, 64(CX)
	RET`)
	in := floats(3, func(i int) float32 { return float32(i + 1) })
	// K1 = 0b111 from the low 16 bits of the word (the upper bits set in
	// the second half are ignored by KMOVW m16).
	aux := []float32{math.Float32frombits(0xffff0007)}
	out := floats(32, func(int) float32 { return -1 })
	if err := run3(t, src, "f", in, aux, out); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 16; i++ {
		want := float32(0)
		if i < 3 {
			want = float32(i + 1)
		}
		if out[i] != want {
			t.Fatalf("zeroing load lane %d = %v, want %v", i, out[i], want)
		}
		want = -1
		if i < 3 {
			want = float32(i + 1)
		}
		if out[16+i] != want {
			t.Fatalf("masked store lane %d = %v, want %v", i, out[16+i], want)
		}
	}
	// One lane more is past the end of in.
	aux[0] = math.Float32frombits(0xf)
	err := run3(t, src, "f", in, aux, out)
	var ae *AccessError
	if !errors.As(err, &ae) || !strings.Contains(err.Error(), "region in") || !strings.Contains(err.Error(), "test.s:9") || !strings.Contains(err.Error(), "lanes 0-3") {
		t.Fatalf("want an access error naming the region and line, got %v", err)
	}
}

func TestMergingMaskedLoad(t *testing.T) {
	src := asmFunc("f", "AVX, AVX512F", 3, loadArgs+`
	KMOVW   (BX), K2
	VMOVUPS 64(AX), Z1
	VMOVUPS (AX), K2, Z1
	VMOVUPS Z1, (CX)
	RET`)
	in := floats(32, func(i int) float32 { return float32(i) })
	aux := []float32{math.Float32frombits(0x00000005)}
	out := make([]float32, 16)
	if err := run3(t, src, "f", in, aux, out); err != nil {
		t.Fatal(err)
	}
	for i, v := range out {
		want := float32(16 + i)
		if i == 0 || i == 2 {
			want = float32(i)
		}
		if v != want {
			t.Fatalf("lane %d = %v, want %v", i, v, want)
		}
	}
}

func TestVMaskMov(t *testing.T) {
	src := asmFunc("f", "AVX", 3, loadArgs+`
	VMOVUPS    (BX), Y2
	VMASKMOVPS (AX), Y2, Y3
	VMOVUPS    Y3, (CX)
	VMASKMOVPS Y3, Y2, 32(CX)
	RET`)
	in := floats(2, func(i int) float32 { return float32(i + 5) })
	aux := floats(8, func(i int) float32 {
		if i < 2 {
			return float32(math.Copysign(0, -1)) // sign bit only: active
		}
		return float32(math.NaN()) // positive NaN: inactive
	})
	out := floats(16, func(int) float32 { return 9 })
	if err := run3(t, src, "f", in, aux, out); err != nil {
		t.Fatal(err)
	}
	want := []float32{5, 6, 0, 0, 0, 0, 0, 0, 5, 6, 9, 9, 9, 9, 9, 9}
	for i := range want {
		if out[i] != want[i] {
			t.Fatalf("out = %v, want %v", out, want)
		}
	}
}

func TestUpperZeroing(t *testing.T) {
	src := asmFunc("f", "AVX, AVX512F", 3, loadArgs+`
	VMOVUPS      (AX), Z0
	VMOVUPS      (AX), Z17
	VMOVUPS      (AX), Z5
	VBROADCASTSS (BX), Y0
	VZEROUPPER
	VMOVUPS      Z0, (CX)
	VMOVUPS      Z17, 64(CX)
	VMOVUPS      Z5, 128(CX)
	RET`)
	in := floats(16, func(i int) float32 { return float32(i + 1) })
	aux := []float32{7}
	out := make([]float32, 48)
	if err := run3(t, src, "f", in, aux, out); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 16; i++ {
		var z0, z5 float32
		if i < 4 {
			z0, z5 = 7, float32(i+1)
		}
		if out[i] != z0 || out[16+i] != float32(i+1) || out[32+i] != z5 {
			t.Fatalf("lane %d: Z0 %v (want %v), Z17 %v (want %v), Z5 %v (want %v)", i, out[i], z0, out[16+i], i+1, out[32+i], z5)
		}
	}
}

func TestUndefinedReads(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{"\tVADDPS Y1, Y2, Y3\n\tRET", "reads lanes of Y1"},
		{"\tVMOVUPS (AX), Y1\n\tVFMADD231PS Y1, Y1, Z3\n\tRET", "mixed vector widths"},
		{"\tADDQ AX, BX\n\tRET", "reads AX"},
		{"\tMOVQ p0+0(FP), AX\n\tJZ l\nl:\n\tRET", "jumps on ZF"},
		{"\tMOVQ p0+0(FP), AX\n\tVMOVUPS.Z (AX), K3, Z1\n\tRET", "reads K3"},
		{"\tMOVQ p0+0(FP), AX\n\tVMOVUPS (AX), Y1\n\tVMOVUPS Z1, (AX)\n\tRET", ""},
	} {
		src := asmFunc("f", "AVX, AVX512F", 3, c.body)
		p, err := ParseSource("t.s", []byte(src))
		if err != nil {
			if c.want == "" || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%q: parse error %v", c.body, err)
			}
			continue
		}
		in := make([]float32, 16)
		mem := &Memory{}
		mem.MapReal("in", Bytes(in), true)
		_, err = New(mem, nil).Call(p.Func("f"), addr(&in[0]), 0, 0)
		if c.want == "" {
			// A Y load defines the whole zmm (upper lanes zeroed).
			if err != nil {
				t.Errorf("%q: %v", c.body, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want an error containing %q", c.body, err, c.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ body, req, want string }{
		{"\tVPERMPS Y1, Y2, Y3\n\tRET", "AVX", "unsupported instruction VPERMPS"},
		{"\tMOVQ $(1<<2), AX\n\tRET", "", "unsupported immediate"},
		{"\tMOVQ q+0(FP), AX\n\tRET", "", "unknown parameter q"},
		{"\tMOVQ p1+0(FP), AX\n\tRET", "", "p1 is at 8(FP), not 0"},
		{"\tMOVQ p0+0(FP), R15\n\tRET", "", "reserved register R15"},
		{"\tMOVQ (SP), AX\n\tRET", "", "reserved register SP"},
		{"\tVMOVUPS (AX), Z1\n\tRET", "AVX", "needs AVX512F"},
		{"\tVXORPS Z1, Z1, Z1\n\tRET", "AVX, AVX512F", "needs AVX512DQ"},
		{"\tVMOVUPS (AX), Y17\n\tRET", "AVX, AVX512F", "needs AVX512VL"},
		{"\tVMOVUPS.Z (AX), K0, Z1\n\tRET", "AVX512F", "K0 as a write mask"},
		{"\tVADDPS.BCST (AX), Z1, Z1\n\tRET", "AVX512F", "unsupported suffix .BCST"},
		{"\tVMOVUPS.Z Z1, K1, (AX)\n\tRET", "AVX512F", "unsupported operand form"},
		{"\tJLT x\nx:\n\tRET", "", "unsupported instruction JLT"},
		{"\tJZ nowhere\n\tRET", "", "unknown label nowhere"},
		{"\tADDQ $0x100000000, AX\n\tRET", "", "imm32"},
		{"\tMOVQ AX, BX", "", "does not end in RET"},
		{"\tVMOVUPS (AX)(BX*3), Y1\n\tRET", "AVX", "bad scale"},
	} {
		src := asmFunc("f", c.req, 2, c.body)
		_, err := ParseSource("t.s", []byte(src))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "t.s:") {
			t.Errorf("%q: got %v, want an error at t.s:N containing %q", c.body, err, c.want)
		}
	}
}

func TestFeaturesAndLimits(t *testing.T) {
	src := asmFunc("f", "AVX, AVX512F", 3, "\tVPXORD Z1, Z1, Z1\n\tRET") +
		asmFunc("g", "", 3, "l:\n\tJMP l")
	p := mustParse(t, src)
	m := New(&Memory{}, FeaturesAVX2)
	if _, err := m.Call(p.Func("f"), 0, 0, 0); err == nil || !strings.Contains(err.Error(), "lacks") {
		t.Errorf("AVX-512 on an AVX2 machine: %v", err)
	}
	m.MaxSteps = 100
	if _, err := m.Call(p.Func("g"), 0, 0, 0); err == nil || !strings.Contains(err.Error(), "endless loop") {
		t.Errorf("endless loop: %v", err)
	}
}

func TestAccessErrors(t *testing.T) {
	src := asmFunc("f", "AVX", 3, loadArgs+`
	VMOVUPS (AX), Y1
	VMOVUPS Y1, (BX)
	RET`)
	in := make([]float32, 8)
	aux := make([]float32, 8)
	out := make([]float32, 8)
	err := run3(t, src, "f", in, aux, out)
	if err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("store to a read-only region: %v", err)
	}
	err = run3(t, src, "f", in[:7], aux, out)
	if err == nil || !strings.Contains(err.Error(), "past the end of region in") {
		t.Errorf("load past the end: %v", err)
	}
}

// TestPrefetch: PREFETCHT0 reads nothing (an address outside every region
// is fine, as on the hardware), reports its address to the hook, needs its
// registers defined and avo's MMX+ in the Requires line.
func TestPrefetch(t *testing.T) {
	src := asmFunc("f", "MMX+", 3, loadArgs+`
	PREFETCHT0 (AX)
	PREFETCHT0 4096(CX)(BX*2)
	RET`)
	p := mustParse(t, src)
	in, out := make([]float32, 4), make([]float32, 4)
	mem := &Memory{}
	mem.MapReal("in", Bytes(in), false)
	mem.MapReal("out", Bytes(out), true)
	m := New(mem, FeaturesAVX2)
	var got []uint64
	m.Prefetch = func(a uint64) error { got = append(got, a); return nil }
	if _, err := m.Call(p.Func("f"), addr(&in[0]), 3, 1<<40); err != nil {
		t.Fatal(err)
	}
	want := []uint64{addr(&in[0]), 1<<40 + 6 + 4096}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] || m.Prefetches != 2 {
		t.Fatalf("prefetched %#x (%d), want %#x", got, m.Prefetches, want)
	}
	m.Prefetch = func(uint64) error { return errors.New("outside B") }
	if _, err := m.Call(p.Func("f"), addr(&in[0]), 3, 0); err == nil || !strings.Contains(err.Error(), "outside B") {
		t.Fatalf("hook error not returned: %v", err)
	}
	undef := asmFunc("g", "MMX+", 0, "\tPREFETCHT0 (DX)\n\tRET")
	if _, err := New(&Memory{}, FeaturesAVX2).Call(mustParse(t, undef).Func("g")); err == nil || !strings.Contains(err.Error(), "undefined") {
		t.Fatalf("prefetch through an undefined register: %v", err)
	}
	if _, err := ParseSource("test.s", []byte(asmFunc("h", "AVX", 0, "\tPREFETCHT0 (DX)\n\tRET"))); err == nil || !strings.Contains(err.Error(), "MMX+") {
		t.Fatalf("prefetch without MMX+ in Requires: %v", err)
	}
}
