//go:build !amd64 || purego

package kernels

// peakAsm reports that this build has no assembly peak kernel.
func peakAsm(isa ISA, iters int) (perIter int, ok bool) { return 0, false }
