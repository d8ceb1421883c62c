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
		e := expNonPos(float64(v) - mf)
		sum += e
		out[i] = float32(e)
	}
	inv := float32(1 / sum)
	for i := range out {
		out[i] *= inv
	}
}

// expNonPos returns e^x for x <= 0 (and NaN for NaN) within 1e-8 relative,
// far below float32's rounding: x = k*ln2 + r with |r| <= ln2/2 (ln2 split
// in two for an exact product; k rounded by adding 1.5*2^52, whose low
// mantissa bits then hold k), e^r by its degree-7 Taylor polynomial in
// Estrin's form (three levels of multiply-adds rather than seven;
// truncation error below 6e-9), 2^k put in the exponent bits. Below -708,
// where e^x is subnormal or zero in float64 (and zero in float32), it
// returns 0. 8 ns against math.Exp's 15 on one Zen 3 core (the Go compiler
// keeps some intermediates on the stack): a 1000-class softmax in 11 us
// instead of 20.
func expNonPos(x float64) float64 {
	if !(x > -708) {
		if x != x {
			return x
		}
		return 0
	}
	const (
		log2e = 1.44269504088896340736
		ln2hi = 6.93147180369123816490e-01
		ln2lo = 1.90821492927058770002e-10
		magic = 0x1.8p52
	)
	t := x*log2e + magic
	kf := t - magic
	r := (x - kf*ln2hi) - kf*ln2lo
	r2 := r * r
	p := (1 + r) + r2*(1.0/2+r*(1.0/6)) + r2*r2*((1.0/24+r*(1.0/120))+r2*(1.0/720+r*(1.0/5040)))
	return p * math.Float64frombits((math.Float64bits(t)+1023)<<52)
}
