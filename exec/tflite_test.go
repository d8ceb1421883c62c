package exec

import (
	"math"
	"testing"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/exec/internal/kernels"
	"mnet.dev/mnet/internal/testdata"
	"mnet.dev/mnet/spec"
	"mnet.dev/mnet/spec/tflite"
	"mnet.dev/mnet/tensor"
)

// TestTFLiteLayersAgreeAcrossKernelSets runs the real float MobileNet
// 0.25-224 with its trained weights on the pure-Go kernels and on every
// assembly kernel set, and compares every layer's output: the largest
// difference relative to the layer's largest magnitude must stay under
// 1e-4. The paths sum in different orders (register blocking, FMA versus
// separate rounding), each float32 dot product differs by a few ulps, and
// the differences compound over up to 27 layers: measured, at most 1.6e-5.
// The final output must also match the float64 reference to 1e-5.
func TestTFLiteLayersAgreeAcrossKernelSets(t *testing.T) {
	m, err := tflite.Importer{}.Load(testdata.File(t, "models/mobilenet_v1_0.25_224_float.tflite"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := analyze.Spec(m.Network, spec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ws := Attached{}
	run := func(ks *kernels.Set) ([][]float32, []float32) {
		p, err := Compile(r, Options{kernelSet: ks, Threads: 2, Weights: ws})
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		randomInput(p, 9)
		in := append([]float32(nil), p.Input().Float32()...)
		var outs [][]float32
		p.RunEach(func(_ Layer, out *tensor.Tensor) { outs = append(outs, append([]float32(nil), out.Float32()...)) })
		return outs, in
	}
	ref, input := run(kernels.Generic())
	for _, ks := range testSets(t)[1:] {
		got, _ := run(ks)
		for l := range ref {
			scale, worst := 0.0, 0.0
			for i, v := range ref[l] {
				scale = math.Max(scale, math.Abs(float64(v)))
				worst = math.Max(worst, math.Abs(float64(v)-float64(got[l][i])))
			}
			if worst > 1e-4*scale {
				t.Errorf("%s layer %d: max difference %.3g against scale %.3g", ks, l, worst, scale)
			}
		}
	}
	want, err := Reference(r.Graph, ws, input)
	if err != nil {
		t.Fatal(err)
	}
	last := ref[len(ref)-1]
	for i, v := range want {
		if math.Abs(float64(last[i])-v) > 1e-5 {
			t.Fatalf("class %d: %g, reference %g", i, last[i], v)
		}
	}
}
