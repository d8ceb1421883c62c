package kernels

import (
	"testing"
	"unsafe"
)

func TestHugeFloats(t *testing.T) {
	for _, n := range []int{0, 1, 1000, hugePage/4 - 1, hugePage / 4, 3*hugePage/4 + 5} {
		b := HugeFloats(n)
		if len(b) != n || cap(b) != n {
			t.Fatalf("HugeFloats(%d): len %d cap %d", n, len(b), cap(b))
		}
		if n == 0 {
			continue
		}
		al := uintptr(bAlign)
		if n*4 >= hugePage {
			al = hugePage
		}
		if p := uintptr(unsafe.Pointer(&b[0])); p%al != 0 {
			t.Errorf("HugeFloats(%d) at %#x, not %d-byte aligned", n, p, al)
		}
		for i, v := range b {
			if v != 0 {
				t.Fatalf("HugeFloats(%d)[%d] = %v", n, i, v)
			}
		}
	}
}

// TestSlab: buffers are zeroed, 64-byte aligned, exactly as long as asked,
// and never overlap (including across chunks and for requests larger than
// a chunk).
func TestSlab(t *testing.T) {
	var s Slab
	type span struct{ lo, hi uintptr }
	var spans []span
	var keep [][]float32 // the buffers stay alive, as a plan's weights do
	for i, n := range []int{1, 15, 16, 17, 1000, slabChunk/4 - 3, 5, slabChunk/4 + 7, 64, 0, 3} {
		b := s.Floats(n)
		keep = append(keep, b)
		if len(b) != n || cap(b) != n {
			t.Fatalf("#%d Floats(%d): len %d cap %d", i, n, len(b), cap(b))
		}
		if n == 0 {
			continue
		}
		lo := uintptr(unsafe.Pointer(&b[0]))
		if lo%bAlign != 0 {
			t.Errorf("#%d Floats(%d) at %#x, not %d-byte aligned", i, n, lo, bAlign)
		}
		for j := range b {
			if b[j] != 0 {
				t.Fatalf("#%d Floats(%d)[%d] = %v", i, n, j, b[j])
			}
			b[j] = float32(i + 1)
		}
		hi := lo + uintptr(4*n)
		for _, o := range spans {
			if lo < o.hi && o.lo < hi {
				t.Fatalf("#%d Floats(%d) [%#x, %#x) overlaps [%#x, %#x)", i, n, lo, hi, o.lo, o.hi)
			}
		}
		spans = append(spans, span{lo, hi})
	}
	for i, b := range keep {
		for _, v := range b {
			if v != keep[i][0] {
				t.Fatalf("buffer %d overwritten", i)
			}
		}
	}
}
