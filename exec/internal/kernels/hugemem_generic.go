//go:build !linux

package kernels

// adviseHuge does nothing where there is no madvise(MADV_HUGEPAGE).
func adviseHuge(b []byte) {}
