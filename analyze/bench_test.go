package analyze_test

import (
	"testing"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/spec"
)

// BenchmarkAnalyzeMobileNet: resolve and analyze MobileNet 1.0-224 (the
// spec is parsed once).
func BenchmarkAnalyzeMobileNet(b *testing.B) {
	n, err := examples.Load("mobilenet_v1")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := analyze.Spec(n, spec.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSweep10k analyzes 10,000 α x resolution configurations of
// MobileNet (100 widths x 100 resolutions); ns/op is the whole sweep.
func BenchmarkSweep10k(b *testing.B) {
	n, err := examples.Load("mobilenet_v1")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		var sum int64
		for i := range 100 {
			for j := range 100 {
				r, err := analyze.Spec(n, spec.Options{Alpha: 0.1 + 0.01*float64(i), Resolution: 96 + 2*j})
				if err != nil {
					b.Fatal(err)
				}
				sum += r.Totals.MultAdds
			}
		}
		if sum == 0 {
			b.Fatal("no work")
		}
	}
}
