package kernels

import "unsafe"

// Large, long-lived buffers (the activation arena, the packed weights) are
// placed on 2 MiB pages where the OS offers transparent huge pages
// (Linux, with THP "always" or "madvise"): MobileNet v1 1.0-224 streams
// 16 MiB of weights and a 4.6 MiB arena per inference, 5,000 4 KiB pages
// against the 2,048 entries of Zen 3's L2 TLB, and under virtualisation
// every TLB miss walks two page tables. Measured (Zen 3 VM, one thread,
// interleaved runs of two plans, per-layer medians): the fully connected
// layer 14% faster, the first depthwise layer 13%, the 7x7 pointwise
// layers 4%, the 14x14 ones 2%; the network 2-3%.

// hugePage is the size of a transparent huge page on amd64 and arm64.
const hugePage = 2 << 20

// HugeFloats returns n zeroed float32s, 64-byte aligned and, when n*4 is
// at least a huge page, starting on a huge-page boundary with the pages
// advised for huge-page backing (Linux). The advice only takes effect for
// memory not yet touched: large allocations come fresh from the OS, so it
// does for a plan built at start-up.
func HugeFloats(n int) []float32 {
	if n == 0 {
		return nil
	}
	if n*4 < hugePage {
		return alignedFloats(n)
	}
	size := (n*4 + hugePage - 1) / hugePage * hugePage
	buf := make([]float32, (size+hugePage)/4)
	off := 0
	if r := uintptr(unsafe.Pointer(&buf[0])) % hugePage; r != 0 {
		off = int(hugePage-r) / 4
	}
	adviseHuge(unsafe.Slice((*byte)(unsafe.Pointer(&buf[off])), size))
	return buf[off : off+n : off+n]
}

// Slab hands out 64-byte aligned float32 buffers from huge-page-backed
// chunks (see HugeFloats), so that many packed weight matrices share huge
// pages instead of each rounding up to its own. Not safe for concurrent
// use; the zero value is ready.
type Slab struct {
	free []float32 // the unused rest of the current chunk
}

// slabChunk is the size of a slab chunk in bytes: four huge pages (MobileNet
// v1 1.0-224's 16 MiB of packed weights in four or five chunks).
const slabChunk = 4 * hugePage

// Floats returns n zeroed float32s from the slab, 64-byte aligned.
func (s *Slab) Floats(n int) []float32 {
	if n == 0 {
		return nil
	}
	need := (n + bAlign/4 - 1) / (bAlign / 4) * (bAlign / 4)
	if need > len(s.free) {
		s.free = HugeFloats(max(need, slabChunk/4))
	}
	out := s.free[:n:n]
	s.free = s.free[need:]
	return out
}
