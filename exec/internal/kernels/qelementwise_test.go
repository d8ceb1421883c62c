package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"unsafe"

	"mnet.dev/mnet/exec/internal/qref"
	"mnet.dev/mnet/internal/qmath"
)

// TestQRowSums compares every set's row sums with a plain loop over rows
// of 1 to 300 bytes (the vector kernel's 128- and 64-byte steps and masked
// tails), strided, with guard bands after the last row and the output.
func TestQRowSums(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, ks := range testSets(t) {
		for _, k := range []int{1, 3, 4, 63, 64, 65, 127, 128, 129, 200, 300} {
			m, lda := 1+rng.IntN(9), k+rng.IntN(5)
			factor := int32(rng.IntN(511) - 255)
			a := make([]uint8, (m-1)*lda+k+64)
			for i := range a {
				a[i] = uint8(rng.Uint32())
			}
			out := make([]int32, m+16)
			for i := range out {
				out[i] = -7
			}
			QRowSums(ks, nil, m, a[:(m-1)*lda+k], lda, k, factor, out)
			for i := range m {
				s := int32(0)
				for _, v := range a[i*lda : i*lda+k] {
					s += int32(v)
				}
				if out[i] != factor*s {
					t.Fatalf("%s k=%d m=%d row %d: %d, want %d", ks, k, m, i, out[i], factor*s)
				}
			}
			for i := m; i < len(out); i++ {
				if out[i] != -7 {
					t.Fatalf("%s k=%d: wrote past the rows (out[%d] = %d)", ks, k, i, out[i])
				}
			}
		}
	}
}

// TestQRowSumArgsLayout pins qrowsumArgs to the generator's offsets.
func TestQRowSumArgsLayout(t *testing.T) {
	var a qrowsumArgs
	for _, f := range []struct {
		name     string
		got, off uintptr
	}{
		{"src", unsafe.Offsetof(a.src), 0}, {"lda", unsafe.Offsetof(a.lda), 8}, {"k", unsafe.Offsetof(a.k), 16},
		{"rows", unsafe.Offsetof(a.rows), 24}, {"factor", unsafe.Offsetof(a.factor), 32}, {"dst", unsafe.Offsetof(a.dst), 40},
		{"kmask", unsafe.Offsetof(a.kmask), 48},
	} {
		if f.got != f.off {
			t.Errorf("qrowsumArgs.%s at %d, generator expects %d", f.name, f.got, f.off)
		}
	}
}

// TestQSoftmax compares QSoftmax with the reference (qref.Softmax, and
// SoftmaxInt8 on the same rows moved to int8) over rows of 1 to 1200
// values at input scales from 1e-3 to 1, including flat rows past 512
// values (TFLite aborts on them; both extend it the same way, SoftmaxWide).
func TestQSoftmax(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 200 {
		depth := 1 + rng.IntN(1200)
		rows := 1 + rng.IntN(3)
		scale := float32(1e-3 * float64(1+rng.IntN(1000)))
		p, err := qmath.SoftmaxScaling(1, scale)
		if err != nil {
			t.Fatal(err)
		}
		in := make([]uint8, rows*depth)
		spread := 1 + rng.IntN(256)
		base := rng.IntN(256 - min(spread, 255))
		for i := range in {
			in[i] = uint8(base + rng.IntN(spread))
		}
		got := make([]uint8, len(in)+8)
		QSoftmax(p, depth, in, got[:len(in)])
		want := make([]uint8, len(in))
		if err := qref.SoftmaxWide(p, depth, in, want); err != nil {
			t.Fatal(err)
		}
		label := fmt.Sprintf("trial %d depth %d scale %g spread %d", trial, depth, scale, spread)
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%s: output %d is %d, reference %d", label, i, got[i], want[i])
			}
		}
		for _, v := range got[len(in):] {
			if v != 0 {
				t.Fatalf("%s: wrote past the output", label)
			}
		}
		i8, w8 := make([]int8, len(in)), make([]int8, len(in))
		for i, v := range in {
			i8[i] = int8(int32(v) - 128)
		}
		if err := qref.SoftmaxWideInt8(p, depth, i8, w8); err != nil {
			t.Fatal(err)
		}
		for i := range w8 {
			if int32(w8[i])+128 != int32(got[i]) {
				t.Fatalf("%s: int8 output %d is %d, u8 kernel %d (offset by 128)", label, i, w8[i], got[i])
			}
		}
	}
}

// TestQAdd compares QAdd with qref.Add and, moved by 128, qref.AddInt8,
// over random scales, zero points (0, 128, 255 among them) and activations.
func TestQAdd(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	zps := []int32{0, 128, 255, 3, 200}
	for trial := range 300 {
		s1, s2, so := float32(1e-3+rng.Float64()), float32(1e-3+rng.Float64()), float32(1e-3+2*rng.Float64())
		z1, z2, zo := zps[rng.IntN(len(zps))], zps[rng.IntN(len(zps))], zps[rng.IntN(len(zps))]
		act := []qmath.Activation{qmath.ActNone, qmath.ActRelu, qmath.ActRelu6}[rng.IntN(3)]
		p, err := qmath.AddScaling(s1, z1, s2, z2, so, zo, act, qmath.Uint8)
		if err != nil {
			t.Fatal(err)
		}
		n := 1 + rng.IntN(100)
		a, b := make([]uint8, n), make([]uint8, n)
		for i := range a {
			a[i], b[i] = uint8(rng.Uint32()), uint8(rng.Uint32())
		}
		got, want := make([]uint8, n), make([]uint8, n)
		QAdd(&p, a, b, got)
		if err := qref.Add(p, a, b, want); err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("trial %d: %d + %d: %d, reference %d", trial, a[i], b[i], got[i], want[i])
			}
		}
		// The same sums as int8 tensors, through the u8-domain parameters.
		p8, err := qmath.AddScaling(s1, z1-128, s2, z2-128, so, zo-128, act, qmath.Int8)
		if err != nil {
			t.Fatal(err)
		}
		a8, b8, w8 := make([]int8, n), make([]int8, n), make([]int8, n)
		for i := range a {
			a8[i], b8[i] = int8(int32(a[i])-128), int8(int32(b[i])-128)
		}
		if err := qref.AddInt8(p8, a8, b8, w8); err != nil {
			t.Fatal(err)
		}
		pu := p8
		pu.Input1Offset, pu.Input2Offset, pu.OutputOffset = p8.Input1Offset-128, p8.Input2Offset-128, p8.OutputOffset+128
		pu.ActMin, pu.ActMax = p8.ActMin+128, p8.ActMax+128
		QAdd(&pu, a, b, got)
		for i := range w8 {
			if int32(w8[i])+128 != int32(got[i]) {
				t.Fatalf("trial %d int8: %d, reference %d (offset by 128)", trial, got[i], w8[i])
			}
		}
	}
}

// TestQMaxPool compares QMaxPool with qref.MaxPool over random windows,
// strides, paddings and clamps, with guard bands.
func TestQMaxPool(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := range 200 {
		s := PoolShape{InH: 1 + rng.IntN(9), InW: 1 + rng.IntN(9), C: 1 + rng.IntN(40), KH: 1 + rng.IntN(3), KW: 1 + rng.IntN(3),
			SH: 1 + rng.IntN(2), SW: 1 + rng.IntN(2)}
		s.PadTop, s.PadLeft = rng.IntN(s.KH), rng.IntN(s.KW)
		s.OutH = (s.InH+s.PadTop-s.KH)/s.SH + 1
		s.OutW = (s.InW+s.PadLeft-s.KW)/s.SW + 1
		if s.OutH < 1 || s.OutW < 1 {
			continue
		}
		lo, hi := int32(rng.IntN(60)), int32(200+rng.IntN(56))
		in := make([]uint8, s.InH*s.InW*s.C)
		for i := range in {
			in[i] = uint8(rng.Uint32())
		}
		got := make([]uint8, s.OutH*s.OutW*s.C+16)
		for i := range got {
			got[i] = 0xa5
		}
		QMaxPool(&s, in, s.C, lo, hi, got, s.C, 0, s.OutH)
		want := make([]uint8, s.OutH*s.OutW*s.C)
		p := qref.PoolParams{StrideW: s.SW, StrideH: s.SH, FilterW: s.KW, FilterH: s.KH, PadW: s.PadLeft, PadH: s.PadTop, ActMin: lo, ActMax: hi}
		if err := qref.MaxPool(p, qref.Shape{1, s.InH, s.InW, s.C}, in, qref.Shape{1, s.OutH, s.OutW, s.C}, want); err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("trial %d %+v: output %d is %d, reference %d", trial, s, i, got[i], want[i])
			}
		}
		for _, v := range got[len(want):] {
			if v != 0xa5 {
				t.Fatalf("trial %d: wrote past the output", trial)
			}
		}
	}
}
