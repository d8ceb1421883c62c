package kernels

import "math"

// Softmax writes the softmax of in to out (len(out) >= len(in); out may be
// in itself): exp(x - max) / sum, the sum accumulated in float64.
func Softmax(in, out []float32) {
	if len(in) == 0 {
		return
	}
	out = out[:len(in)]
	m := in[0]
	for _, v := range in[1:] {
		if v > m {
			m = v
		}
	}
	mf := float64(m)
	sum := 0.0
	for i, v := range in {
		e := math.Exp(float64(v) - mf)
		sum += e
		out[i] = float32(e)
	}
	inv := float32(1 / sum)
	for i := range out {
		out[i] *= inv
	}
}
