package exec

import (
	"time"

	"mnet.dev/mnet/exec/internal/kernels"
)

// KernelSets lists the kernel sets this build and CPU can run, slowest
// first ("generic", then "avx2", "avx512").
func KernelSets() []string {
	var out []string
	for _, i := range kernels.Available() {
		out = append(out, i.String())
	}
	return out
}

// BestKernelSet is the kernel set Compile picks by default here.
func BestKernelSet() string { return kernels.Best().String() }

// PeakGFLOPS measures, for about d, the FMA throughput of one core with a
// register-only kernel of the named set: the ceiling the compute-bound
// kernels of that set can reach now (the machine's load and clock
// included). It counts 2 FLOPs per fused multiply-add.
func PeakGFLOPS(kernelSet string, d time.Duration) (float64, error) {
	ks, err := kernels.Parse(kernelSet)
	if err != nil {
		return 0, err
	}
	return ks.PeakGFLOPS(d), nil
}
