package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestSoftmax(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, n := range []int{1, 2, 3, 10, 17, 1000, 1001} {
		for _, spread := range []float32{1, 30, 1000} {
			in := newTView(1, 1, n, n, func() float32 { return (rng.Float32()*2-1)*spread + 50 })
			orig := append([]float32(nil), in.buf...)
			m := math.Inf(-1)
			for _, v := range in.data {
				m = math.Max(m, float64(v))
			}
			ref := make([]float64, n)
			sum := 0.0
			for i, v := range in.data {
				ref[i] = math.Exp(float64(v) - m)
				sum += ref[i]
			}
			for i := range ref {
				ref[i] /= sum
			}
			desc := fmt.Sprintf("softmax n=%d spread %v", n, spread)
			out := newTView(1, 1, n, n, nil)
			Softmax(in.data, out.data)
			out.checkOut(t, desc, ref, 0, 1, 1e-6)
			in.checkSame(t, desc, orig)
			// Elementwise relative accuracy, including the small values.
			for i, v := range out.data {
				if math.Abs(float64(v)-ref[i]) > 1e-6*ref[i]+1e-38 {
					t.Errorf("%s: [%d] = %v, want %v", desc, i, v, ref[i])
					break
				}
			}
			// In place.
			Softmax(in.data, in.data)
			in.checkOut(t, desc+" in place", ref, 0, 1, 1e-6)
		}
	}
	Softmax(nil, nil)
}

// TestExpNonPos checks the softmax's exponential against math.Exp over
// [-708, 0] (and its edges: NaN, -Inf, underflow).
func TestExpNonPos(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	worst := 0.0
	for i := range 200000 {
		x := -rng.Float64() * 708
		if i%2 == 0 {
			x = -rng.Float64() * 20
		}
		got, want := expNonPos(x), math.Exp(x)
		worst = max(worst, math.Abs(got-want)/want)
	}
	if worst > 1e-8 {
		t.Errorf("largest relative error %.3g, want <= 1e-8", worst)
	}
	for _, c := range []struct{ x, want float64 }{{0, 1}, {-709, 0}, {math.Inf(-1), 0}} {
		if got := expNonPos(c.x); got != c.want {
			t.Errorf("expNonPos(%v) = %v, want %v", c.x, got, c.want)
		}
	}
	if got := expNonPos(math.NaN()); !math.IsNaN(got) {
		t.Errorf("expNonPos(NaN) = %v", got)
	}
}
