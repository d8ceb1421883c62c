package qref_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"mnet.dev/mnet/exec/internal/qref"
	"mnet.dev/mnet/internal/qmath"
)

func TestAveragePoolRounding(t *testing.T) {
	p := qref.PoolParams{StrideW: 2, StrideH: 2, FilterW: 2, FilterH: 2, ActMin: 0, ActMax: 255}
	// 2x4 input, one channel: windows {1,2,5,6}=14/4=3.5 -> 4 (half up) and
	// {3,4,7,9}=23/4=5.75 -> 6.
	in := []uint8{1, 2, 3, 4, 5, 6, 7, 9}
	out := make([]uint8, 2)
	if err := qref.AveragePool(p, qref.Shape{1, 2, 4, 1}, in, qref.Shape{1, 1, 2, 1}, out); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(out, []uint8{4, 6}) {
		t.Errorf("uint8 average pool %v, want [4 6]", out)
	}
	// int8 rounds halves away from zero: {-1,-2,-5,-6} = -3.5 -> -4,
	// {1,2,-8,0} = -1.25 -> -1.
	p.ActMin, p.ActMax = -128, 127
	in8 := []int8{-1, -2, 1, 2, -5, -6, -8, 0}
	out8 := make([]int8, 2)
	if err := qref.AveragePoolInt8(p, qref.Shape{1, 2, 4, 1}, in8, qref.Shape{1, 1, 2, 1}, out8); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(out8, []int8{-4, -1}) {
		t.Errorf("int8 average pool %v, want [-4 -1]", out8)
	}
	// SAME padding: a 3x3 window at the corner of a 2x2 input averages the
	// 4 pixels inside (padding is not counted): (10+20+30+41)/4 = 25.25 -> 25.
	p = qref.PoolParams{StrideW: 1, StrideH: 1, FilterW: 3, FilterH: 3, PadW: 1, PadH: 1, ActMin: 0, ActMax: 255}
	out = make([]uint8, 4)
	if err := qref.AveragePool(p, qref.Shape{1, 2, 2, 1}, []uint8{10, 20, 30, 41}, qref.Shape{1, 2, 2, 1}, out); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(out, []uint8{25, 25, 25, 25}) {
		t.Errorf("SAME average pool %v, want all 25", out)
	}
	// The clamp applies after the average.
	p.ActMin, p.ActMax = 0, 20
	if err := qref.AveragePool(p, qref.Shape{1, 2, 2, 1}, []uint8{10, 20, 30, 41}, qref.Shape{1, 2, 2, 1}, out); err != nil || out[0] != 20 {
		t.Errorf("clamped average pool %v, %v", out, err)
	}
}

// TestAveragePoolGlobal checks MobileNet's global 7x7 pool over odd channel
// counts against the exact rational average rounded half up.
func TestAveragePoolGlobal(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for _, ch := range []int{1, 7, 33, 1024} {
		in := make([]uint8, 49*ch)
		for i := range in {
			in[i] = uint8(r.Uint32())
		}
		out := make([]uint8, ch)
		p := qref.PoolParams{StrideW: 1, StrideH: 1, FilterW: 7, FilterH: 7, ActMin: 0, ActMax: 255}
		if err := qref.AveragePool(p, qref.Shape{1, 7, 7, ch}, in, qref.Shape{1, 1, 1, ch}, out); err != nil {
			t.Fatal(err)
		}
		for c := range ch {
			sum := 0
			for i := range 49 {
				sum += int(in[i*ch+c])
			}
			if want := uint8(math.Floor(float64(sum)/49 + 0.5)); out[c] != want {
				t.Fatalf("%d channels: channel %d = %d, want %d", ch, c, out[c], want)
			}
		}
	}
}

func TestAdd(t *testing.T) {
	// All scales 1/128, zero points 128: 0.5 + 0.25 = 0.75 -> 128 + 96.
	p, err := qmath.AddScaling(1.0/128, 128, 1.0/128, 128, 1.0/128, 128, qmath.ActNone, qmath.Uint8)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]uint8, 3)
	if err := qref.Add(p, []uint8{192, 255, 0}, []uint8{160, 255, 0}, out); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(out, []uint8{224, 255, 0}) { // 1.75 and -2 saturate
		t.Errorf("Add = %v, want [224 255 0]", out)
	}
}

// TestAddAgainstReal checks ADD on random scales and zero points against
// the real sum: with its 20 bits of headroom it is the real sum rounded to
// the nearest step (measured: at most 0.5 steps away).
func TestAddAgainstReal(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	worst := 0.0
	for range 2000 {
		s1, s2 := float32(math.Exp(-8*r.Float64())), float32(math.Exp(-8*r.Float64()))
		so := (s1 + s2) * float32(0.5+r.Float64())
		z1, z2, zo := int32(r.IntN(256)), int32(r.IntN(256)), int32(r.IntN(256))
		p, err := qmath.AddScaling(s1, z1, s2, z2, so, zo, qmath.ActNone, qmath.Uint8)
		if err != nil {
			t.Fatal(err)
		}
		a, b, out := make([]uint8, 64), make([]uint8, 64), make([]uint8, 64)
		for i := range a {
			a[i], b[i] = uint8(r.Uint32()), uint8(r.Uint32())
		}
		if err := qref.Add(p, a, b, out); err != nil {
			t.Fatal(err)
		}
		for i := range out {
			real := float64(s1)*float64(int32(a[i])-z1) + float64(s2)*float64(int32(b[i])-z2)
			want := min(max(real/float64(so)+float64(zo), 0), 255)
			worst = max(worst, math.Abs(float64(out[i])-want))
		}
	}
	if worst > 0.51 {
		t.Errorf("ADD: worst distance from the real sum %.3f steps, want <= 0.51", worst)
	}
	t.Logf("ADD: worst distance from the real sum %.3f output steps", worst)
}

// TestInt8MatchesUint8 checks the identities between the two schemes where
// the arithmetic is the same: int8 softmax, add and average pool of x - 128
// with zero points shifted by 128 are the uint8 results minus 128.
func TestInt8MatchesUint8(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	u := make([]uint8, 1001)
	for i := range u {
		u[i] = uint8(r.IntN(200))
	}
	s := toSigned(u)
	sp, err := qmath.SoftmaxScaling(1, 0.13083284)
	if err != nil {
		t.Fatal(err)
	}
	ou, os := make([]uint8, len(u)), make([]int8, len(u))
	if err := qref.Softmax(sp, 1001, u, ou); err != nil {
		t.Fatal(err)
	}
	if err := qref.SoftmaxInt8(sp, 1001, s, os); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(toSigned(ou), os) {
		t.Error("int8 softmax != uint8 softmax - 128")
	}
	ap, _ := qmath.AddScaling(0.05, 100, 0.03, 140, 0.06, 120, qmath.ActRelu, qmath.Uint8)
	as, _ := qmath.AddScaling(0.05, -28, 0.03, 12, 0.06, -8, qmath.ActRelu, qmath.Int8)
	v := slices.Clone(u)
	slices.Reverse(v)
	if err := qref.Add(ap, u, v, ou); err != nil {
		t.Fatal(err)
	}
	if err := qref.AddInt8(as, s, toSigned(v), os); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(toSigned(ou), os) {
		t.Error("int8 add != uint8 add - 128")
	}
}

func toSigned(u []uint8) []int8 {
	s := make([]int8, len(u))
	for i, x := range u {
		s[i] = int8(int32(x) - 128)
	}
	return s
}
