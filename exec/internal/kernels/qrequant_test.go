package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestQGemmRequantEdges drives every set's int8 GEMM output stage over
// accumulators chosen at its rounding edges and compares each byte with
// Requantize (itself checked against TFLite's literal arithmetic by
// TestRequantize): column j's bias puts a window of 256 consecutive
// accumulators (row i adds i: A's first byte is i, the weight 1) around a
// tie of RoundingDivideByPOT (right shifts 1 to 31) or of the doubling
// high multiply (multiplier 2^30, odd products), or at INT32_MIN and
// INT32_MAX (the saturating steps), with left shifts too. The vector
// kernels compute the requantization their own way (NEON: SQRDMULH and a
// SRSHL with gemmlowp's fixup; amd64: 64-bit products and masks), so this
// is the check that the shortcut is TFLite's function at its edges.
func TestQGemmRequantEdges(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 7))
	const m, k = 256, 4
	var bias, mult []int32
	var shift []int
	add := func(b int64, mu int32, sh int) {
		b = min(max(b, math.MinInt32), math.MaxInt32-m+1)
		bias, mult, shift = append(bias, int32(b)), append(mult, mu), append(shift, sh)
	}
	mults := []int32{1 << 30, 1<<30 + 1, math.MaxInt32, 1518500250}
	for len(mults) < 12 {
		mults = append(mults, 1<<30+int32(rng.IntN(1<<30)))
	}
	for _, mu := range mults {
		for r := 1; r <= 31; r += 1 + r/8 {
			// x = SRDHM(acc, M) at the tie (2y+1)*2^(r-1) of the division.
			y := int64(rng.IntN(200) - 100)
			x := (2*y + 1) << (r - 1)
			acc := int64(math.Round(float64(x) * (1 << 31) / float64(mu)))
			add(acc-m/2, mu, -r)
		}
		for _, sh := range []int{0, 1, 3, -1} {
			add(int64(rng.IntN(2000))-1000-m/2, mu, sh)
		}
		add(math.MinInt32, mu, -int(rng.IntN(31)))
		add(math.MaxInt32, mu, -int(rng.IntN(31)))
		add(math.MinInt32, mu, 2)
	}
	n := len(bias)
	w := make([]int8, k*n)
	for j := range n {
		w[j] = 1
	}
	a := make([]uint8, m*k)
	for i := range m {
		a[i*k] = uint8(i)
	}
	const zo = 128
	out, err := NewQOut(n, mult, shift, zo, 0, 255)
	if err != nil {
		t.Fatal(err)
	}
	for _, ks := range testSets(t) {
		b := PackQB(ks, k, n, w, 0, n)
		fb := b.FoldBias(bias, 0)
		c := make([]uint8, m*n)
		QGemm(ks, nil, m, a, k, b, 0, n, fb, nil, out, c, n)
		for i := range m {
			for j := range n {
				v := Requantize(bias[j]+int32(i), mult[j], shift[j]) + zo
				want := uint8(min(max(v, 0), 255))
				if got := c[i*n+j]; got != want {
					t.Fatalf("%v: acc %d, multiplier %d, shift %d: %d, Requantize %d", ks, bias[j]+int32(i), mult[j], shift[j], got, want)
				}
			}
		}
	}
}
