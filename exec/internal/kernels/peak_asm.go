//go:build amd64 && !purego

package kernels

// peakAsm runs isa's generated peak kernel (peak_amd64.s) and returns the
// FLOPs per iteration, or false if isa has no assembly peak kernel.
func peakAsm(isa ISA, iters int) (perIter int, ok bool) {
	switch isa {
	case AVX2:
		peakAVX2(iters)
		return 12 * 8 * 2, true
	case AVX512:
		peakAVX512(iters)
		return 24 * 16 * 2, true
	}
	return 0, false
}
