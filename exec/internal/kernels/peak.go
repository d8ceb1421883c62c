package kernels

import "unsafe"

// peakTable is a set's peak-FMA calibration kernel: iters iterations of
// flopsPerIter floating-point operations on registers only.
type peakTable struct {
	k            Kernel
	flopsPerIter int
}

// peakArgs is the record the peak kernels read: the iteration count.
type peakArgs struct {
	iters int
}

// peakRun runs iters iterations of the set's peak loop and returns the
// FLOPs done. It runs on a Workspace of its own (a measurement, not a hot
// path).
func (s *Set) peakRun(iters int) float64 {
	if t := s.peak; t != nil {
		a := &peakArgs{iters: iters}
		t.k.call((*byte)(unsafe.Pointer(a)))
		return float64(t.flopsPerIter) * float64(iters)
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
