package kernels

import "time"

// PeakGFLOPS measures the single-thread floating-point peak of isa: chains
// of independent fused multiply-adds on registers only (no memory traffic),
// enough chains to cover FMA latency on both FMA ports (12 ymm chains for
// AVX2, 24 zmm chains for AVX-512). It runs for about d and returns the best
// rate seen, in GFLOP/s (an FMA counts as 2 FLOPs per lane). It is the
// calibration point for the GEMM benchmarks: a low value means the machine
// is busy or clocked down. For Generic it measures the same kind of loop in
// scalar Go (8 chains of multiply-add), the ceiling of the generic kernels.
// It returns 0 if isa is not supported.
func PeakGFLOPS(isa ISA, d time.Duration) float64 {
	if !isa.Supported() {
		return 0
	}
	iters := 1 << 12
	best := 0.0
	deadline := time.Now().Add(d)
	for {
		t0 := time.Now()
		flops := peakRun(isa, iters)
		el := time.Since(t0)
		if el > 0 {
			best = max(best, flops/el.Seconds()/1e9)
		}
		if el < time.Millisecond && iters < 1<<30 {
			iters *= 2
		}
		if time.Now().After(deadline) {
			return best
		}
	}
}

// peakRun runs iters iterations of isa's peak loop and returns the FLOPs done.
func peakRun(isa ISA, iters int) float64 {
	if per, ok := peakAsm(isa, iters); ok {
		return float64(per) * float64(iters)
	}
	// The result is used (a NaN check the compiler cannot drop), so the
	// loop is not optimised away; it never is NaN.
	if r := peakGeneric(iters); r != r {
		return 0
	}
	return 16 * float64(iters)
}

// peakGeneric runs 8 independent multiply-add chains for iters iterations.
func peakGeneric(iters int) float32 {
	a0, a1, a2, a3 := float32(1), float32(2), float32(3), float32(4)
	a4, a5, a6, a7 := float32(5), float32(6), float32(7), float32(8)
	const x, y = 0.999, 0.001
	for range iters {
		a0 = a0*x + y
		a1 = a1*x + y
		a2 = a2*x + y
		a3 = a3*x + y
		a4 = a4*x + y
		a5 = a5*x + y
		a6 = a6*x + y
		a7 = a7*x + y
	}
	return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7
}
