//go:build !amd64 || purego

package kernels

// gemmAsm reports that this build has no assembly GEMM.
func gemmAsm(isa ISA, m int, a []float32, lda int, sg Segs, b *PackedB, n0, n1 int, bias []float32, act Act, c []float32, ldc int) bool {
	return false
}
