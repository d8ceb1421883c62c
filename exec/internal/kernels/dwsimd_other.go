//go:build !amd64 || purego

package kernels

// dwSIMD has no vector kernels to offer in this build.
func dwSIMD(ISA, *DWShape, []float32, int, *PackedDW, []float32, Act, []float32, int, int, int) bool {
	return false
}
