package kernels

import (
	"testing"
	"time"
)

func TestPeakGFLOPS(t *testing.T) {
	for _, ks := range Available() {
		if g := ks.PeakGFLOPS(20 * time.Millisecond); !(g > 0.1) {
			t.Errorf("%v: PeakGFLOPS = %v", ks, g)
		}
	}
}

// BenchmarkPeak is the calibration point: register-only FMA chains
// (12 ymm / 24 zmm independent accumulators: covers 4-cycle latency on two
// FMA ports). A GEMM figure is only meaningful next to this one from the
// same run.
func BenchmarkPeak(b *testing.B) {
	for _, ks := range Available() {
		b.Run(ks.String(), func(b *testing.B) {
			const iters = 1 << 16
			var flops float64
			for b.Loop() {
				flops += ks.peakRun(iters)
			}
			b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
