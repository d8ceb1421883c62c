package exec

import (
	"testing"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/spec"
)

// logitsReport analyses an example spec without its softmax, so a
// comparison sees the logits themselves.
func logitsReport(t *testing.T, model string, o spec.Options) *analyze.Report {
	t.Helper()
	n, err := examples.Load(model)
	if err != nil {
		t.Fatal(err)
	}
	if last := n.Layers[len(n.Layers)-1]; last.Kind() == spec.KindSoftmax {
		n.Layers = n.Layers[:len(n.Layers)-1]
	}
	r, err := analyze.Spec(n, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestSuccessorsMatchReference: MobileNetV2 and V3 (inverted residuals with
// the add fused into the projection, squeeze-and-excite, hard-swish) on
// every kernel set, 1 and 2 threads, against the float64 reference; and
// the fusion really happens: every residual add runs inside its
// projection's GEMM.
func TestSuccessorsMatchReference(t *testing.T) {
	for _, c := range []struct {
		model string
		adds  int
	}{
		{"mobilenet_v2", 10},
		{"mobilenet_v3_large", 10},
		{"mobilenet_v3_small", 7}, // at α 0.5 block_7 (40 -> 48 channels) is 24 -> 24: one more than at 1.0
	} {
		o := spec.Options{Alpha: 0.5, Resolution: 64, Classes: 16}
		r := logitsReport(t, c.model, o)
		ws := RandomWeights{Seed: 7}
		for _, ks := range testSets(t) {
			if simulated(ks) && c.model != "mobilenet_v3_small" {
				continue // the simulator is slow: one network is enough there
			}
			for _, threads := range []int{1, 2} {
				p, err := Compile(r, Options{kernelSet: ks, Threads: threads, Batch: 2, Weights: ws})
				if err != nil {
					t.Fatal(err)
				}
				var adds int
				for _, n := range r.Graph.Nodes {
					if n.Op.Kind() == spec.OpAdd {
						adds++
					}
				}
				for _, l := range p.Layers() {
					if l.Type == "Add" {
						t.Errorf("%s: add %s runs on its own", c.model, l.Name)
					}
				}
				if adds != c.adds {
					t.Errorf("%s: %d adds in the graph, want %d", c.model, adds, c.adds)
				}
				t.Run(c.model+"/"+ks.String(), func(t *testing.T) { compareWithReference(t, p, ws, 1e-4) })
				p.Close()
			}
		}
	}
}
