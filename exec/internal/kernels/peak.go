package kernels

import (
	"math"
	"time"
	"unsafe"
)

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

// PeakInt8GMACs measures, for about d, the single-thread int8
// multiply-accumulate peak of the set's int8 kernels: chains of independent
// vpdpbusd on registers (64 u8 x s8 MACs each) for the VNNI kernels, the
// scalar multiply-add loop of the generic ones. It returns the best rate
// seen in GMAC/s (mult-adds, not operations).
func (s *Set) PeakInt8GMACs(d time.Duration) float64 {
	iters := 1 << 12
	best := 0.0
	deadline := time.Now().Add(d)
	for {
		t0 := time.Now()
		macs := s.peakInt8Run(iters)
		el := time.Since(t0)
		if el > 0 {
			best = max(best, macs/el.Seconds()/1e9)
		}
		if el < time.Millisecond && iters < 1<<30 {
			iters *= 2
		}
		if time.Now().After(deadline) {
			return best
		}
	}
}

// peakInt8Run runs iters iterations of the int8 peak loop and returns the
// MACs done.
func (s *Set) peakInt8Run(iters int) float64 {
	if t := s.int8(); t != nil && t.peak != nil {
		a := &peakArgs{iters: iters}
		t.peak.k.call((*byte)(unsafe.Pointer(a)))
		return float64(t.peak.flopsPerIter) * float64(iters)
	}
	if r := peakInt8Generic(iters); r == math.MinInt32+1 {
		return 0 // never: keeps the loop from being optimised away
	}
	return 8 * float64(iters)
}

// peakInt8Generic runs 8 independent int32 multiply-add chains of 8-bit
// values, the generic int8 kernels' inner operation.
func peakInt8Generic(iters int) int32 {
	a := [8]int32{1, 2, 3, 4, 5, 6, 7, 8}
	x, y := int32(int8(iters)), int32(uint8(iters>>8))
	for range iters {
		a[0] += x * y
		a[1] += x * y
		a[2] += x * y
		a[3] += x * y
		a[4] += x * y
		a[5] += x * y
		a[6] += x * y
		a[7] += x * y
	}
	return a[0] ^ a[1] ^ a[2] ^ a[3] ^ a[4] ^ a[5] ^ a[6] ^ a[7]
}
