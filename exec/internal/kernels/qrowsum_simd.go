package kernels

import "unsafe"

// qrowsumArgs is the record qrowsumVNNI reads (offsets in _asm/int8
// rowsum.go, checked by TestQRowSumArgsLayout).
type qrowsumArgs struct {
	src    unsafe.Pointer
	lda    int
	k      int
	rows   int
	factor int64
	dst    unsafe.Pointer
	kmask  uint64
}

// qrowsumSIMD runs the row-sum kernel; arguments were checked by QRowSums.
func qrowsumSIMD(k Kernel, ws *Workspace, m int, a []uint8, lda, kk int, factor int32, out []int32) {
	r := &ws.qrs
	*r = qrowsumArgs{src: unsafe.Pointer(&a[0]), lda: lda, k: kk, rows: m, factor: int64(factor), dst: unsafe.Pointer(&out[0])}
	if t := kk % 64; t != 0 {
		r.kmask = 1<<t - 1
	}
	k.call((*byte)(unsafe.Pointer(r)))
	r.src, r.dst = nil, nil
}
