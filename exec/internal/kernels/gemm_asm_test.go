//go:build amd64 && !purego

package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGemmAsmBlocking forces tiny K blocks and row chunks so the
// accumulate-into-C path (flagAccum, masked and unmasked), the activation on
// the last K block only, and chunk boundaries inside both row segments are
// exercised on small shapes; results must match the unblocked call within
// rounding.
func TestGemmAsmBlocking(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for _, isa := range Available() {
		if isa == Generic {
			continue
		}
		for range 60 {
			m, n, k := 1+rng.IntN(80), 1+rng.IntN(70), 1+rng.IntN(90)
			lda, ldc := k+rng.IntN(3), n+rng.IntN(3)
			a := make([]float32, (m-1)*lda+k)
			w := make([]float32, k*n)
			bias := make([]float32, n)
			for _, s := range [][]float32{a, w, bias} {
				for i := range s {
					s[i] = rng.Float32()*2 - 1
				}
			}
			if rng.IntN(2) == 0 {
				bias = nil
			}
			act := Act(rng.IntN(3))
			p := PackB(isa, k, n, w, n)
			want := make([]float32, (m-1)*ldc+n)
			Gemm(isa, m, a, lda, p, 0, n, bias, act, want, ldc)
			bl := blocking{kc: 1 + rng.IntN(k), mc: 1 + rng.IntN(m)}
			got := make([]float32, len(want))
			for i := range got {
				got[i] = guardNaN
			}
			gemmAsmBlocked(isa, bl, m, a, lda, Segs{N: 1, Len: k}, p, 0, n, bias, act, got, ldc)
			for i := range m {
				for j := range ldc {
					if i*ldc+j >= len(got) {
						break
					}
					g, w := got[i*ldc+j], want[i*ldc+j]
					if j >= n {
						if math.Float32bits(g) != guardBits {
							t.Fatalf("%v m%d n%d k%d %+v: gap written", isa, m, n, k, bl)
						}
						continue
					}
					if d := math.Abs(float64(g - w)); !(d <= 1e-5*(1+math.Abs(float64(w)))*math.Sqrt(float64(k))) {
						t.Fatalf("%v m%d n%d k%d %+v act %v: C[%d][%d] = %v, unblocked %v", isa, m, n, k, bl, act, i, j, g, w)
					}
				}
			}
		}
	}
}
