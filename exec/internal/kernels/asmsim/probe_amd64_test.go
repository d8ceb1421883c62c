//go:build amd64 && !purego

package asmsim

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"golang.org/x/sys/cpu"
)

var (
	probeOnce sync.Once
	probeProg *Program
	probeErr  error
)

func probeProgram(t *testing.T) *Program {
	t.Helper()
	probeOnce.Do(func() { probeProg, probeErr = ParseFiles("probe_amd64.s") })
	if probeErr != nil {
		t.Fatal(probeErr)
	}
	return probeProg
}

// probeValue draws adversarial float32 bit patterns: NaNs with payloads
// (quiet and signalling, both signs), zeros, infinities, subnormals,
// extremes, small integers (exact ties in sums) and random values.
func probeValue(rng *rand.Rand) uint32 {
	special := []uint32{
		0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x40000000,
		0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fc0aaaa, 0xffc05555,
		0x7f800001, 0xff80cccc, 0x7fbfffff, 0x00000001, 0x80000001, 0x007fffff,
		0x00800000, 0x7f7fffff, 0xff7fffff, 0x33800000, 0x4b800000,
	}
	switch rng.IntN(4) {
	case 0:
		return special[rng.IntN(len(special))]
	case 1:
		return rng.Uint32()
	case 2:
		return math.Float32bits(float32(rng.IntN(9) - 4))
	}
	return math.Float32bits(rng.Float32()*2 - 1)
}

// TestProbeVecHardware runs probeVec (VFMADD231PS in three operand
// arrangements, VMAXPS, VMINPS, VADDPS, VMULPS in register and memory forms,
// VMASKMOVPS load and store, VBROADCASTSS, VXORPS) natively and in the
// simulator on the same adversarial inputs and requires bit-identical
// results: NaN payload selection, signed zeros, infinities, subnormals,
// the FMA rounding (incl. the double-rounding midpoint cases of FMA32) and
// the Go operand order.
func TestProbeVecHardware(t *testing.T) {
	if !cpu.X86.HasAVX2 || !cpu.X86.HasFMA {
		t.Skip("no AVX2+FMA on this machine")
	}
	prog := probeProgram(t)
	f := prog.Func("probeVec")
	rng := rand.New(rand.NewPCG(9, 9))
	const slots = 16
	var a, b, c, m [8]float32
	var native, sim [slots * 8]float32
	for round := 0; round < 4000; round++ {
		for i := range 8 {
			a[i] = math.Float32frombits(probeValue(rng))
			b[i] = math.Float32frombits(probeValue(rng))
			c[i] = math.Float32frombits(probeValue(rng))
			m[i] = math.Float32frombits(rng.Uint32())
		}
		if round%2 == 1 {
			// FMA double-rounding midpoint cases in some lanes.
			for i := 0; i < 8; i += 2 {
				cv := math.Float32frombits((rng.Uint32()&0x3effffff | 1) + 0x01000000)
				h := math.Ldexp(1, math.Ilogb(float64(cv))-24)
				a[i] = float32((1 + math.Ldexp(1, -23)) * h)
				b[i] = float32(1 - math.Ldexp(1, -23))
				if rng.IntN(2) == 0 {
					b[i] = -b[i]
				}
				c[i] = cv
			}
		}
		for i := range native {
			native[i] = math.Float32frombits(0x7fc0dead + uint32(i))
		}
		sim = native
		probeVec(&native[0], &a[0], &b[0], &c[0], &m[0])

		mem := &Memory{}
		mem.MapReal("dst", Bytes(sim[:]), true)
		mem.MapReal("a", Bytes(a[:]), false)
		mem.MapReal("b", Bytes(b[:]), false)
		mem.MapReal("c", Bytes(c[:]), false)
		mem.MapReal("m", Bytes(m[:]), false)
		mc := New(mem, FeaturesAVX2)
		if _, err := mc.Call(f, addr(&sim[0]), addr(&a[0]), addr(&b[0]), addr(&c[0]), addr(&m[0])); err != nil {
			t.Fatal(err)
		}
		names := []string{"fma reg", "fma mem", "fma swapped", "max", "min", "add", "max mem",
			"maskload", "maskstore", "broadcast", "xor", "min mem", "add mem", "xor zero", "mul", "mul mem"}
		for i := range native {
			if nb, sb := math.Float32bits(native[i]), math.Float32bits(sim[i]); nb != sb {
				l := i % 8
				t.Fatalf("round %d, %s lane %d: hardware %#08x, simulator %#08x (a %#08x b %#08x c %#08x m %#08x)",
					round, names[i/8], l, nb, sb, math.Float32bits(a[l]), math.Float32bits(b[l]), math.Float32bits(c[l]), math.Float32bits(m[l]))
			}
		}
	}
}

// TestProbeFlagsHardware checks the integer instructions and the flags the
// conditional jumps read (SHRQ, ANDQ, DECQ, TESTQ reg/imm, CMPQ reg/mem
// vs imm and reg/reg, ADDQ negative imm, XORQ idiom, LEAQ with index,
// JMP) natively and simulated.
func TestProbeFlagsHardware(t *testing.T) {
	prog := probeProgram(t)
	f := prog.Func("probeFlags")
	rng := rand.New(rand.NewPCG(5, 5))
	xs := []uint64{0, 1, 2, 3, 4, 5, 6, 7, 8, 16, 17, 31, 1 << 63, 1<<63 + 1, math.MaxUint64, math.MaxInt64}
	for range 200 {
		xs = append(xs, rng.Uint64(), uint64(rng.IntN(64)))
	}
	for i, x := range xs {
		pn := uint64(i % 3)
		ps := pn
		want := probeFlags(x, &pn)
		mem := &Memory{}
		mem.MapReal("p", ValueBytes(&ps), true)
		mc := New(mem, FeaturesAVX2)
		out, err := mc.Call(f, x, addr(&ps))
		if err != nil {
			t.Fatal(err)
		}
		if out[2] != want || ps != pn {
			t.Fatalf("x=%#x: hardware r=%#x *p=%#x, simulator r=%#x *p=%#x", x, want, pn, out[2], ps)
		}
	}
}
