package paper

import (
	"testing"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/internal/testdata"
	"mnet.dev/mnet/spec"
	"mnet.dev/mnet/spec/tflite"
)

// TestSuccessorsTrainableParams: the examples have exactly torchvision's
// trainable parameter counts (sum of p.numel() over model.parameters(),
// 1000 classes): weights, biases and batch norm's scale and shift.
func TestSuccessorsTrainableParams(t *testing.T) {
	for model, want := range map[string]int64{
		"mobilenet_v2":       3_504_872,
		"mobilenet_v3_large": 5_483_032,
		"mobilenet_v3_small": 2_542_856,
	} {
		r := analyse(t, example(t, model), spec.Options{Classes: 1000})
		if got := r.Totals.ParamsTrainable; got != want {
			t.Errorf("%s: %d trainable parameters, torchvision has %d", model, got, want)
		}
	}
}

// computing is one layer with arithmetic or weights, as the TFLite model
// and the spec must agree on it: a classifier on a 1x1 map counts as fully
// connected whether written as one or as a 1x1 convolution.
type computing struct {
	typ               string
	in, out           spec.Shape
	multAdds, weights int64
}

func computingLayers(r *analyze.Report) []computing {
	var out []computing
	for _, l := range r.Layers {
		if l.MultAdds == 0 && l.Weights == 0 {
			continue
		}
		c := computing{typ: l.Type, in: l.In, out: l.Out, multAdds: l.MultAdds, weights: l.Weights}
		if l.In.H == 1 && l.In.W == 1 && l.Type == "Conv 1x1" {
			c.typ = analyze.TypeFC
		}
		out = append(out, c)
	}
	return out
}

// TestMobileNetV2MatchesTFLite: mobilenet_v2 at 1.0-224 with 1001 classes
// is the real mobilenet_v2_1.0_224_quant.tflite layer by layer (type,
// shapes, mult-adds, weights), and in total 300,775,552 mult-adds and
// 3,471,040 weights.
func TestMobileNetV2MatchesTFLite(t *testing.T) {
	path := testdata.File(t, "models/mobilenet_v2_1.0_224_quant.tflite")
	m, err := tflite.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	conv, err := tflite.Convert(m, path)
	if err != nil {
		t.Fatal(err)
	}
	real := analyse(t, conv.Network, spec.Options{})
	ours := analyse(t, example(t, "mobilenet_v2"), spec.Options{Classes: 1001})
	a, b := computingLayers(real), computingLayers(ours)
	if len(a) != len(b) {
		t.Fatalf("%d computing layers in the model, %d in the spec", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("layer %d: model %+v, spec %+v", i, a[i], b[i])
		}
	}
	var residuals, adds int
	for _, l := range real.Layers {
		if l.Op == spec.OpAdd {
			residuals++
		}
	}
	for _, l := range ours.Layers {
		if l.Op == spec.OpAdd {
			adds++
		}
	}
	if residuals != adds || adds != 10 {
		t.Errorf("residual adds: model %d, spec %d, want 10", residuals, adds)
	}
	for _, r := range []*analyze.Report{real, ours} {
		if r.Totals.MultAdds != 300_775_552 || r.Totals.Params != 3_471_040 {
			t.Errorf("%s: %d mult-adds, %d weights; want 300,775,552 and 3,471,040", r.Graph.Name, r.Totals.MultAdds, r.Totals.Params)
		}
	}
}
