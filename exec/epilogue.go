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
