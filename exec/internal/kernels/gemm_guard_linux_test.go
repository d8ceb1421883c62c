package kernels

import (
	"math/rand/v2"
	"syscall"
	"testing"
	"unsafe"
)

// pageEnd returns n float32s ending exactly at an inaccessible page, so a
// read or write past the end faults (the masked tail loads and stores must
// not touch memory past the last valid column).
func pageEnd(t *testing.T, n int) []float32 {
	t.Helper()
	ps := syscall.Getpagesize()
	size := (n*4+ps-1)/ps*ps + ps
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Skipf("mmap: %v", err)
	}
	t.Cleanup(func() { _ = syscall.Munmap(mem) })
	if err := syscall.Mprotect(mem[size-ps:], syscall.PROT_NONE); err != nil {
		t.Skipf("mprotect: %v", err)
	}
	if n == 0 {
		return nil
	}
	start := size - ps - n*4
	return unsafe.Slice((*float32)(unsafe.Pointer(&mem[start])), n)
}

func TestGemmPageGuard(t *testing.T) {
	for _, ks := range Available() {
		ws := new(Workspace)
		for _, sh := range []struct{ m, n, k int }{
			{7, 21, 9}, {49, 1000, 33}, {13, 45, 600}, {1, 8, 5}, {2, 45, 7}, {1, 1000, 30}, {12, 17, 1}, {3, 21, 2100},
		} {
			rng := rand.New(rand.NewPCG(uint64(sh.m), uint64(sh.n)))
			a := pageEnd(t, sh.m*sh.k)
			c := pageEnd(t, sh.m*sh.n)
			bias := pageEnd(t, sh.n)
			b := make([]float32, sh.k*sh.n)
			for _, s := range [][]float32{a, b, bias} {
				for i := range s {
					s[i] = rng.Float32()*2 - 1
				}
			}
			p := PackB(sh.k, sh.n, b, sh.n)
			Gemm(ks, ws, sh.m, a, sh.k, p, 0, sh.n, bias, ActReLU6, c, sh.n)
			cs := gemmCase{m: sh.m, n: sh.n, k: sh.k, lda: sh.k, ldc: sh.n, n0: 0, n1: sh.n, bias: true, act: ActReLU6}
			ref := refGemm(cs, a, b, bias, nil)
			for i, v := range ref {
				if d := float64(c[i]) - v; !(d < 1e-4 && d > -1e-4) {
					t.Fatalf("%v %+v: C[%d] = %v, want %v", ks, sh, i, c[i], v)
				}
			}
		}
	}
}
