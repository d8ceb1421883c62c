package exec

import (
	"fmt"
	"math"

	"mnet.dev/mnet/exec/internal/kernels"
	"mnet.dev/mnet/spec"
)

// epilogue is what exec knows of one activation: the kernel epilogue that
// applies it fused into a layer's output step, the same in float32 over a
// slice (for layers that apply it themselves), and its float64 definition
// for the reference.
type epilogue struct {
	kernel kernels.Act
	apply  func(v []float32)
	ref    func(x float64) float64
}

// epilogues maps every activation to its implementation; built at package
// initialisation and only read afterwards.
var epilogues = map[spec.Activation]epilogue{
	spec.ActNone: {kernels.ActNone, func([]float32) {}, func(x float64) float64 { return x }},
	spec.ActReLU: {kernels.ActReLU,
		func(v []float32) {
			for i, x := range v {
				v[i] = max(x, 0)
			}
		},
		func(x float64) float64 { return math.Max(x, 0) }},
	spec.ActReLU6: {kernels.ActReLU6,
		func(v []float32) {
			for i, x := range v {
				v[i] = min(max(x, 0), 6)
			}
		},
		func(x float64) float64 { return math.Min(math.Max(x, 0), 6) }},
	spec.ActHardSwish: {kernels.ActHardSwish,
		func(v []float32) {
			for i, x := range v {
				v[i] = x * (clamp06(x+3) * sixth)
			}
		},
		func(x float64) float64 { return x * math.Min(math.Max(x+3, 0), 6) / 6 }},
	spec.ActHardSigmoid: {kernels.ActHardSigmoid,
		func(v []float32) {
			for i, x := range v {
				v[i] = clamp06(x+3) * sixth
			}
		},
		func(x float64) float64 { return math.Min(math.Max(x+3, 0), 6) / 6 }},
}

// sixth is 1/6 rounded to float32: hard-swish and hard-sigmoid compute
// x·(min(max(x+3, 0), 6)·sixth) and min(max(x+3, 0), 6)·sixth in float32, the
// operations and order of the kernels' epilogues, so a layer that applies
// the activation itself gives the bits a fused kernel would.
const sixth = float32(1.0 / 6)

// clamp06 is min(max(v, 0), 6), NaN kept (as the kernels do).
func clamp06(v float32) float32 {
	if v < 0 {
		return 0
	}
	if v > 6 {
		return 6
	}
	return v
}

// epilogueOf returns the implementation of an activation.
func epilogueOf(a spec.Activation) (epilogue, error) {
	e, ok := epilogues[a]
	if !ok {
		return epilogue{}, fmt.Errorf("exec has no kernel epilogue for activation %q", a)
	}
	return e, nil
}

// act is the kernel epilogue of an activation.
func act(a spec.Activation) (kernels.Act, error) {
	e, err := epilogueOf(a)
	return e.kernel, err
}
