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

// TestCheckpointsV2: TF-slim's 22 MobileNetV2 checkpoints against the
// exact counts: every parameter count rounds to the printed one; every
// MAC count that does not (8 of them) is the exact count truncated, which
// the note's rule recomputes.
func TestCheckpointsV2(t *testing.T) {
	rep, err := Reproduce()
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.CheckpointsV2) != 22 {
		t.Fatalf("%d checkpoints, want 22", len(rep.CheckpointsV2))
	}
	grid := map[float64]int{}
	mismatches := 0
	for _, r := range rep.CheckpointsV2 {
		grid[r.Alpha]++
		if !r.Params.Match {
			t.Errorf("%g-%d: params %s printed, exact %.4f M", r.Alpha, r.Resolution, r.Params.Paper.Text, r.Params.Ours)
		}
		if !r.MACs.Match {
			mismatches++
			if r.MACs.Rule != "truncate" || !r.MACs.RuleMatch || r.MACs.Note == "" {
				t.Errorf("%g-%d: MACs %s printed, exact %.2f, rule %q gives %.2f", r.Alpha, r.Resolution, r.MACs.Paper.Text, r.MACs.Ours, r.MACs.Rule, r.MACs.RuleValue)
			}
		}
		if r.Top1 <= 40 || r.Top5 <= r.Top1 {
			t.Errorf("%g-%d: accuracies %.1f / %.1f", r.Alpha, r.Resolution, r.Top1, r.Top5)
		}
	}
	if mismatches != 8 {
		t.Errorf("%d MAC cells do not round to the printed value, want 8", mismatches)
	}
	if grid[1.4] != 1 || grid[1.3] != 1 || grid[1] != 5 || grid[0.75] != 5 || grid[0.5] != 5 || grid[0.35] != 5 {
		t.Errorf("grid %v", grid)
	}
}

// TestSuccessorTables: the V2 and V3 papers' tables carry a note for
// every cell that does not match, and the cells the notes claim to
// explain are explained by their recomputed rule.
func TestSuccessorTables(t *testing.T) {
	rep, err := Reproduce()
	if err != nil {
		t.Fatal(err)
	}
	explained := map[string]bool{ // table/label/column -> the rule reproduces the printed value
		"V2-4/MobileNetV2/params": true, "V2-4/MobileNetV2/mult_adds": true,
		"V2-4/MobileNetV1/mult_adds": false, "V2-4/MobileNetV2 (1.4)/params": false, "V2-4/MobileNetV2 (1.4)/mult_adds": false,
		"V3-3/V3-Large 1.0/mult_adds": true, "V3-3/V3-Large 1.0/params": true,
		"V3-3/V3-Large 0.75/mult_adds": false, "V3-3/V3-Large 0.75/params": false,
		"V3-3/V2 1.0/mult_adds": true, "V3-3/V2 1.0/params": true,
		"V3-3/V3-Small 1.0/mult_adds":  true,
		"V3-3/V3-Small 0.75/mult_adds": true, "V3-3/V3-Small 0.75/params": false,
		"V3-3/V2 0.35/mult_adds": true, "V3-3/V2 0.35/params": true,
	}
	seen := 0
	for _, tb := range rep.Tables {
		if tb.Citation == "" {
			continue
		}
		for _, r := range tb.Rows {
			for _, c := range r.Cells {
				if !c.HasOurs || c.Match {
					continue
				}
				key := tb.ID + "/" + r.Label + "/" + c.Column
				want, ok := explained[key]
				if !ok {
					t.Errorf("%s: printed %s, exact %.3f: not expected to differ", key, c.Paper.Text, c.Ours)
					continue
				}
				seen++
				if c.Note == "" {
					t.Errorf("%s: no note", key)
				}
				if c.Rule != "" && c.RuleMatch != want {
					t.Errorf("%s: rule %s gives %.3f (prints as %s: %v), want %v", key, c.Rule, c.RuleValue, c.Paper.Text, c.RuleMatch, want)
				}
			}
		}
	}
	if seen != len(explained) {
		t.Errorf("%d mismatching cells, want %d", seen, len(explained))
	}
}

// TestSuccessorAccuracy: the accuracy policy gives V2 its TF-slim
// checkpoint's top-1/top-5 (or the paper's figure when preferred) and V3
// the V3 paper's figures, from the architecture alone.
func TestSuccessorAccuracy(t *testing.T) {
	b, err := NewBook()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		model  string
		o      spec.Options
		p      Policy
		source Source
		top1   float64
	}{
		{"mobilenet_v2", spec.Options{Alpha: 0.35, Resolution: 96, Classes: 1001}, Policy{}, FromCheckpoint, 45.5},
		{"mobilenet_v2", spec.Options{}, Policy{}, FromCheckpoint, 71.8},
		{"mobilenet_v2", spec.Options{}, Policy{PreferPaper: true}, FromPaper, 72.0},
		{"mobilenet_v2", spec.Options{Alpha: 1.4}, Policy{PreferPaper: true}, FromPaper, 74.7},
		{"mobilenet_v3_large", spec.Options{}, Policy{}, FromPaper, 75.2},
		{"mobilenet_v3_large", spec.Options{Alpha: 0.75}, Policy{}, FromPaper, 73.3},
		{"mobilenet_v3_small", spec.Options{Alpha: 0.75}, Policy{}, FromPaper, 65.4},
		{"mobilenet_v3_small", spec.Options{Resolution: 160}, Policy{Estimate: true}, NoAccuracy, 0},
	} {
		_, got := b.Accuracy(analyse(t, example(t, c.model), c.o), c.p)
		if got.Source != c.source || got.Top1 != c.top1 {
			t.Errorf("%s %+v %+v: %+v, want %v %.1f", c.model, c.o, c.p, got, c.source, c.top1)
		}
	}
}
