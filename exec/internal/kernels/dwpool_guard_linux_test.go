package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// pageView is a dense h x w x c view whose last float is the last before
// an inaccessible page (pageEnd), filled from fill.
func pageView(t *testing.T, h, w, c int, fill func() float32) *tview {
	data := pageEnd(t, h*w*c)
	for i := range data {
		data[i] = tGuardNaN
		if fill != nil {
			data[i] = fill()
		}
	}
	return &tview{buf: data, data: data, h: h, w: w, c: c, str: c}
}

// checkDense compares a dense view with a float64 reference to within tol
// of the reference's largest magnitude.
func checkDense(t *testing.T, what string, got []float32, ref []float64, tol float64) {
	t.Helper()
	scale := 0.0
	for _, r := range ref {
		scale = max(scale, math.Abs(r))
	}
	for i, r := range ref {
		if d := math.Abs(float64(got[i]) - r); !(d <= tol*scale+1e-30) {
			t.Fatalf("%s: [%d] = %v, want %v", what, i, got[i], r)
		}
	}
}

// TestDWPoolPageGuard runs the depthwise and pooling kernels of every set
// on tensors that end exactly at an inaccessible page, with channel counts
// that leave a partial vector of every length (1 to 3 lanes of NEON's 4, up
// to 7 of AVX2's 8, 15 of AVX-512's 16): a tail load or store past the last
// channel of the last pixel faults instead of passing unseen.
func TestDWPoolPageGuard(t *testing.T) {
	rng := rand.New(rand.NewPCG(51, 3))
	for _, ks := range Available() {
		for _, c := range []int{1, 2, 3, 5, 7, 13, 17, 31, 37} {
			for _, k := range []int{3, 5} {
				for st := 1; st <= 2; st++ {
					const h, w = 9, 11
					s := DWShape{InH: h, InW: w, C: c, Mult: 1, KH: k, KW: k, SH: st, SW: st, PadTop: k / 2, PadLeft: k / 2}
					s.OutH, s.OutW = (h+2*(k/2)-k)/st+1, (w+2*(k/2)-k)/st+1
					in := pageView(t, h, w, c, tRandVal(rng))
					wt := make([]float32, k*k*c)
					for i := range wt {
						wt[i] = rng.Float32()*2 - 1
					}
					bias := pageEnd(t, c)
					for i := range bias {
						bias[i] = rng.Float32()*2 - 1
					}
					what := fmt.Sprintf("%v c%d k%d s%d", ks, c, k, st)
					out := pageView(t, s.OutH, s.OutW, c, nil)
					Depthwise(ks, nil, &s, in.data, c, PackDW(ks, s, wt), bias, ActReLU6, out.data, c, 0, s.OutH)
					checkDense(t, "depthwise "+what, out.data, refDW(&s, in, wt, bias, ActReLU6), 1e-5)

					ps := PoolShape{InH: h, InW: w, C: c, KH: k, KW: k, SH: st, SW: st, PadTop: k / 2, PadLeft: k / 2, OutH: s.OutH, OutW: s.OutW}
					out = pageView(t, s.OutH, s.OutW, c, nil)
					MaxPool(ks, nil, &ps, in.data, c, out.data, c, 0, s.OutH)
					checkDense(t, "max pool "+what, out.data, refPool(&ps, in, true, false), 1e-6)
					out = pageView(t, s.OutH, s.OutW, c, nil)
					AvgPool(ks, nil, &ps, false, in.data, c, out.data, c, 0, s.OutH)
					checkDense(t, "average pool "+what, out.data, refPool(&ps, in, false, false), 1e-6)
				}
			}
			in := pageView(t, 5, 6, c, tRandVal(rng))
			g := pageEnd(t, c)
			GlobalAvgPool(ks, nil, in.data, 5, 6, c, c, g)
			for ch := range c {
				sum := 0.0
				for p := range 30 {
					sum += float64(in.data[p*c+ch])
				}
				if d := float64(g[ch]) - sum/30; d > 1e-6 || d < -1e-6 {
					t.Fatalf("%v c%d: global average [%d] = %v, want %v", ks, c, ch, g[ch], sum/30)
				}
			}
		}
	}
}
