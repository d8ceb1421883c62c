package exec

import (
	"math"
	"math/rand/v2"
	"testing"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/spec"
)

func reportFor(t testing.TB, name string, o spec.Options) *analyze.Report {
	t.Helper()
	n, err := examples.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	r, err := analyze.Spec(n, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func parseReport(t testing.TB, src string) *analyze.Report {
	t.Helper()
	n, err := spec.Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r, err := analyze.Spec(n, spec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func randomInput(p *Plan, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 7))
	in := p.Input().Float32()
	for i := range in {
		in[i] = float32(rng.Float64()*2 - 1)
	}
}

// compareWithReference runs the plan for every image of its batch and
// checks each against the float64 reference: max error relative to the
// output's largest magnitude.
func compareWithReference(t *testing.T, p *Plan, ws WeightSource, tol float64) {
	t.Helper()
	g := p.Report.Graph
	randomInput(p, 3)
	input := append([]float32(nil), p.Input().Float32()...) // Run may reuse the input's memory
	p.Run()
	inN := int(g.Input.Elems())
	outN := len(p.Output().Float32()) / p.Batch
	for b := range p.Batch {
		ref, err := Reference(g, ws, input[b*inN:(b+1)*inN])
		if err != nil {
			t.Fatal(err)
		}
		got := p.Output().Float32()[b*outN : (b+1)*outN]
		if len(ref) != len(got) {
			t.Fatalf("output has %d values, reference %d", len(got), len(ref))
		}
		scale := 0.0
		for _, v := range ref {
			scale = math.Max(scale, math.Abs(v))
		}
		worst := 0.0
		for i := range ref {
			worst = math.Max(worst, math.Abs(float64(got[i])-ref[i]))
		}
		if scale == 0 || worst > tol*scale || math.IsNaN(worst) {
			t.Errorf("image %d: max error %.3g against output scale %.3g (tolerance %.1g relative)", b, worst, scale, tol)
		}
	}
}

func TestMobileNetMatchesReference(t *testing.T) {
	r := reportFor(t, "mobilenet_v1", spec.Options{Alpha: 0.25, Resolution: 64})
	ws := RandomWeights{Seed: 5}
	for _, ks := range testSets(t) {
		for _, threads := range []int{1, 2} {
			p, err := Compile(r, Options{kernelSet: ks, Threads: threads, Batch: 2, Weights: ws})
			if err != nil {
				t.Fatal(err)
			}
			t.Run(ks.String()+"/"+string(rune('0'+threads)), func(t *testing.T) {
				compareWithReference(t, p, ws, 1e-4)
			})
			p.Close()
		}
	}
}
