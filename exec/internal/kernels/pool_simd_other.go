//go:build !amd64 || purego

package kernels

func poolSIMD(isa ISA, s *PoolShape, isMax, countPad bool, in []float32, inStride int, out []float32, outStride int, oy0, oy1 int) bool {
	return false
}

func globalSIMD(isa ISA, isMax bool, in []float32, h, w, c, inStride int, out []float32) bool {
	return false
}
