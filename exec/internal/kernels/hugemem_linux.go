package kernels

import "golang.org/x/sys/unix"

// adviseHuge asks for transparent huge pages over b (page aligned); an
// error (THP disabled, an old kernel) leaves ordinary pages.
func adviseHuge(b []byte) { _ = unix.Madvise(b, unix.MADV_HUGEPAGE) }
