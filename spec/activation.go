package spec

// Activation is the elementwise nonlinearity a layer applies to its output:
// the last step of its epilogue, fused into the kernel that computes it.
// The set is open: each is one entry of the activations table below, and
// exec maps each to a kernel epilogue and a float64 reference.
type Activation string

// The activations.
const (
	ActNone  Activation = "none"  // identity
	ActReLU  Activation = "relu"  // max(x, 0)
	ActReLU6 Activation = "relu6" // min(max(x, 0), 6)
	// ActHardSwish is MobileNetV3's hard-swish, x·ReLU6(x+3)/6.
	ActHardSwish Activation = "hard-swish"
	// ActHardSigmoid is MobileNetV3's hard-sigmoid, ReLU6(x+3)/6 (the one
	// its squeeze-and-excite gates use; not Keras' older 0.2x+0.5).
	ActHardSigmoid Activation = "hard-sigmoid"
)

// activations lists every activation in the order documentation and error
// messages give them, with the spellings people write for it.
var activations = []struct {
	act   Activation
	hints []string
}{
	{ActNone, []string{"linear", "identity"}},
	{ActReLU, nil},
	{ActReLU6, nil},
	{ActHardSwish, []string{"hardswish", "hard_swish", "h-swish", "hswish", "h_swish"}},
	{ActHardSigmoid, []string{"hardsigmoid", "hard_sigmoid", "h-sigmoid", "hsigmoid", "h_sigmoid"}},
}

// Activations lists the supported activations.
func Activations() []Activation {
	out := make([]Activation, len(activations))
	for i, a := range activations {
		out[i] = a.act
	}
	return out
}

// activationHint returns the activation a common misspelling means.
func activationHint(s string) (Activation, bool) {
	for _, a := range activations {
		for _, h := range a.hints {
			if h == s {
				return a.act, true
			}
		}
	}
	return "", false
}
