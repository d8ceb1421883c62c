package kernels

import (
	"math"
	"testing"

	"mnet.dev/mnet/exec/internal/kernels/asmsim"
)

// testSets is every kernel set of the build, native where the CPU runs it
// and simulated where it does not (asmsim.TestSets): every ISA-dependent
// test loops over it, so none can leave a set out on any machine.
func testSets(t testing.TB) []*Set { return asmsim.TestSets(t, AllSets()) }

// refAct is the float64 reference of an activation.
func refAct(act Act, v float64) float64 {
	switch act {
	case ActReLU:
		return max(v, 0)
	case ActReLU6:
		return min(max(v, 0), 6)
	case ActHardSwish:
		return v * min(max(v+3, 0), 6) / 6
	case ActHardSigmoid:
		return min(max(v+3, 0), 6) / 6
	}
	return v
}

// TestActApply checks the epilogue arithmetic against the float64
// definitions and its NaN and signed-zero behaviour, which the assembly
// epilogues reproduce operation for operation.
func TestActApply(t *testing.T) {
	for a := range numActs {
		for _, v := range []float32{-7, -3.5, -3, -1e-3, 0, 1e-3, 0.5, 2.9, 3, 5.99, 6, 7, 1e30} {
			got, want := float64(a.apply(v)), refAct(a, float64(v))
			if math.Abs(got-want) > 1e-6*max(1, math.Abs(want)) {
				t.Errorf("%v(%v) = %v, want %v", a, v, got, want)
			}
		}
		nan := float32(math.NaN())
		if v := a.apply(nan); v == v {
			t.Errorf("%v(NaN) = %v, want NaN", a, v)
		}
		if a != ActHardSigmoid {
			if v := a.apply(float32(math.Copysign(0, -1))); v != 0 || !math.Signbit(float64(v)) {
				t.Errorf("%v(-0) = %v (sign %v), want -0", a, v, math.Signbit(float64(v)))
			}
		}
	}
	if s := Act(9).String(); s != "Act(9)" {
		t.Errorf("Act(9).String() = %q", s)
	}
}

// TestSets checks the set registry: names parse back to their set, the
// generic set is always there, and an unknown or unsupported name is an
// error.
func TestSets(t *testing.T) {
	for _, s := range AllSets() {
		got, err := Parse(s.String())
		if s.Native() {
			if err != nil || got != s {
				t.Errorf("Parse(%q) = %v, %v", s, got, err)
			}
		} else if err == nil {
			t.Errorf("Parse(%q) accepted a set this machine cannot run", s)
		}
	}
	for _, n := range []string{"", "auto"} {
		if s, err := Parse(n); err != nil || s != Best() {
			t.Errorf("Parse(%q) = %v, %v; want %v", n, s, err, Best())
		}
	}
	for _, n := range []string{"purego", "go", "generic"} {
		if s, err := Parse(n); err != nil || !s.Generic() {
			t.Errorf("Parse(%q) = %v, %v", n, s, err)
		}
	}
	if _, err := Parse("sse9"); err == nil {
		t.Error(`Parse("sse9") succeeded`)
	}
	if g := Generic(); !g.Generic() || !g.Native() || g.Features() != nil {
		t.Errorf("Generic() = %v (generic %v, native %v, features %v)", g, g.Generic(), g.Native(), g.Features())
	}
}
