package kernels

import "fmt"

// Act is the activation a kernel applies in its epilogue, to each output
// value before it is stored.
type Act uint8

const (
	// ActNone leaves the output linear.
	ActNone Act = iota
	// ActReLU is max(x, 0).
	ActReLU
	// ActReLU6 is min(max(x, 0), 6).
	ActReLU6
	// ActHardSwish is x * ReLU6(x+3)/6 (MobileNetV3).
	ActHardSwish
	// ActHardSigmoid is ReLU6(x+3)/6 (MobileNetV3's squeeze-and-excite gate).
	ActHardSigmoid

	numActs
)

var actNames = [numActs]string{"none", "relu", "relu6", "hard-swish", "hard-sigmoid"}

// String returns the activation's name.
func (a Act) String() string {
	if a < numActs {
		return actNames[a]
	}
	return fmt.Sprintf("Act(%d)", uint8(a))
}

// sixth is 1/6 rounded to float32, the factor of hard-swish and
// hard-sigmoid in every kernel.
const sixth = float32(1.0 / 6)

// apply returns the activation of v. Every kernel, generic or assembly,
// computes it with these float32 operations in this order (hard-swish:
// u = x+3, u = min(max(u, 0), 6), u = u*float32(1/6), x*u), so the
// epilogues agree bit for bit; a NaN stays NaN, and -0 stays -0 through
// the clamps.
func (a Act) apply(v float32) float32 {
	switch a {
	case ActReLU:
		if v < 0 {
			v = 0
		}
	case ActReLU6:
		v = clamp06(v)
	case ActHardSwish:
		u := clamp06(v + 3)
		v *= u * sixth
	case ActHardSigmoid:
		v = clamp06(v+3) * sixth
	}
	return v
}

// applyAll applies the activation to every value of o.
func (a Act) applyAll(o []float32) {
	if a == ActNone {
		return
	}
	for i, v := range o {
		o[i] = a.apply(v)
	}
}

// clamp06 is min(max(v, 0), 6) with the vector instructions' treatment of
// NaN (kept) and of -0 (kept).
func clamp06(v float32) float32 {
	if v < 0 {
		return 0
	}
	if v > 6 {
		return 6
	}
	return v
}
