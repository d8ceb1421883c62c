package asmsim

import "math"

// Lane arithmetic on raw float32 bits, with the x86 (SSE/AVX/AVX-512, MXCSR
// default: round to nearest even, no FTZ/DAZ, exceptions masked) results,
// NaN payloads included.

const defaultNaN = 0xFFC00000 // the x86 "QNaN floating-point indefinite"

func isNaN32(b uint32) bool { return b&0x7fffffff > 0x7f800000 }

func quiet32(b uint32) uint32 { return b | 0x00400000 }

// Add32 is VADDPS on one lane: src1 + src2 (Intel operand order).
func Add32(src1, src2 uint32) uint32 {
	switch {
	case isNaN32(src1):
		return quiet32(src1)
	case isNaN32(src2):
		return quiet32(src2)
	}
	// float32 + float32 is computed exactly rounded by the Go float32 add
	// (IEEE, round to nearest even); an invalid operation (inf - inf) gives
	// a NaN, replaced by the default NaN explicitly so the result does not
	// depend on the host's NaN conventions.
	r := math.Float32bits(math.Float32frombits(src1) + math.Float32frombits(src2))
	if isNaN32(r) {
		return defaultNaN
	}
	return r
}

// Mul32 is VMULPS on one lane: src1 * src2 (Intel operand order), with the
// NaN selection of Add32 (the first NaN operand, quieted; the default NaN
// for an invalid 0 * inf).
func Mul32(src1, src2 uint32) uint32 {
	switch {
	case isNaN32(src1):
		return quiet32(src1)
	case isNaN32(src2):
		return quiet32(src2)
	}
	r := math.Float32bits(math.Float32frombits(src1) * math.Float32frombits(src2))
	if isNaN32(r) {
		return defaultNaN
	}
	return r
}

// Max32 is VMAXPS on one lane: src1 > src2 ? src1 : src2 (Intel operand
// order). A NaN in either operand, or two zeros of any sign, give src2,
// unchanged (not quieted).
func Max32(src1, src2 uint32) uint32 {
	if math.Float32frombits(src1) > math.Float32frombits(src2) {
		return src1
	}
	return src2
}

// Min32 is VMINPS on one lane: src1 < src2 ? src1 : src2.
func Min32(src1, src2 uint32) uint32 {
	if math.Float32frombits(src1) < math.Float32frombits(src2) {
		return src1
	}
	return src2
}

// FMA231 is VFMADD231PS on one lane in Intel operand order
// (dst = src2*src3 + dst): the multiplicand is src2, the multiplier src3,
// the addend dst. NaN selection: the first NaN of (src2, src3, dst),
// quieted (Intel SDM vol. 1, table "FMA Numeric Behavior": Q(x), Q(y), Q(z)
// for x*y+z; checked against the hardware by this package's tests).
func FMA231(dst, src2, src3 uint32) uint32 {
	switch {
	case isNaN32(src2):
		return quiet32(src2)
	case isNaN32(src3):
		return quiet32(src3)
	case isNaN32(dst):
		return quiet32(dst)
	}
	r := math.Float32bits(FMA32(math.Float32frombits(src2), math.Float32frombits(src3), math.Float32frombits(dst)))
	if isNaN32(r) { // inf*0, or inf - inf
		return defaultNaN
	}
	return r
}

// midFloat32 is the midpoint between math.MaxFloat32 and 2^128: float64
// values at or above it round to +Inf in float32.
var midFloat32 = math.Ldexp(float64(1<<25-1), 128-25)

// FMA32 returns a*b + c computed exactly and rounded once to float32
// (round to nearest, ties to even), as VFMADD*PS does.
//
// float32(math.FMA(float64(a), float64(b), float64(c))) is not enough. The
// product a*b has at most 48 significant bits, so it is exact in float64,
// but the sum a*b + c can need far more than 53 bits (c may be many binades
// away), so it is rounded twice: first to float64, then to float32. The
// second rounding goes wrong exactly when the first lands on a float32
// midpoint (a value halfway between two adjacent float32s) that the exact
// sum is not on: ties-to-even then picks a side the exact value does not
// lie on. (It cannot go wrong otherwise: a midpoint is a float64, so if the
// exact sum and its float64 rounding s were on different sides of one, or
// the sum were on it, the midpoint would be a float64 at least as near the
// sum as s.) So: s = fl64(p + c) and its exact error e (TwoSum: p + c =
// s + e exactly, for finite p and c), and when e != 0 and s is a float32
// midpoint, s is moved one float64 ulp towards e before the final rounding,
// which puts it strictly on the correct side without crossing any other
// float32 or midpoint. The tests check this against math/big on random
// and constructed midpoint cases.
func FMA32(a, b, c float32) float32 {
	p := float64(a) * float64(b) // exact (or inf/NaN)
	cc := float64(c)
	s := p + cc
	if math.IsInf(s, 0) || math.IsNaN(s) || math.IsInf(p, 0) || math.IsInf(cc, 0) {
		return float32(s) // inf or NaN: no rounding question
	}
	// TwoSum (Knuth): exact error of s = fl(p + cc).
	bv := s - p
	e := (p - (s - bv)) + (cc - bv)
	if e != 0 && isMidpoint32(s) {
		s = math.Nextafter(s, math.Copysign(math.Inf(1), e))
	}
	return roundTo32(s)
}

// roundTo32 rounds a finite float64 to float32, nearest even, overflowing
// to infinity (spelt out rather than left to the conversion, whose result
// for out-of-range values the Go spec leaves to the implementation).
func roundTo32(s float64) float32 {
	if math.Abs(s) >= midFloat32 {
		// At the midpoint itself ties-to-even rounds up to 2^128 = inf.
		return float32(math.Copysign(math.Inf(1), s))
	}
	return float32(s)
}

// isMidpoint32 reports whether the finite float64 s lies exactly halfway
// between two adjacent float32 values (or between MaxFloat32 and 2^128).
func isMidpoint32(s float64) bool {
	a := math.Abs(s)
	switch {
	case a == midFloat32:
		return true
	case a > math.MaxFloat32:
		return false
	}
	r := float32(a) // in range: a well-defined conversion
	if float64(r) == a {
		return false
	}
	lo, hi := r, r
	if float64(r) < a {
		hi = math.Nextafter32(r, float32(math.Inf(1)))
	} else {
		lo = math.Nextafter32(r, 0)
	}
	// Two adjacent float32s sum exactly in float64 (at most 26 bits).
	return a == (float64(lo)+float64(hi))/2
}
