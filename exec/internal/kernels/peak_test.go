package kernels

import (
	"testing"
	"time"
)

func TestPeakGFLOPS(t *testing.T) {
	for _, isa := range Available() {
		if g := PeakGFLOPS(isa, 20*time.Millisecond); !(g > 0.1) {
			t.Errorf("%v: PeakGFLOPS = %v", isa, g)
		}
	}
	for _, isa := range []ISA{AVX2, AVX512} {
		if !isa.Supported() {
			if g := PeakGFLOPS(isa, time.Millisecond); g != 0 {
				t.Errorf("%v unsupported but PeakGFLOPS = %v", isa, g)
			}
		}
	}
}

// BenchmarkPeak is the calibration point: register-only FMA chains
// (12 ymm / 24 zmm independent accumulators: covers 4-cycle latency on two
// FMA ports). A GEMM figure is only meaningful next to this one from the
// same run.
func BenchmarkPeak(b *testing.B) {
	for _, isa := range Available() {
		b.Run(isa.String(), func(b *testing.B) {
			const iters = 1 << 16
			var flops float64
			for b.Loop() {
				flops += peakRun(isa, iters)
			}
			b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
