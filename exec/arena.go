package exec

import (
	"sort"
)

// align is the placement granularity of tensors in the arena, in bytes: a
// cache line and an AVX-512 register.
const align = 64

// placement assigns each tensor an offset in one arena so that tensors
// alive at the same step never overlap. sizes are in bytes; born and last
// give each tensor's lifetime in steps (inclusive). Tensors of size 0 get
// no space. It returns the offsets and the arena's length.
func placement(sizes []int, born, last []int) ([]int, int) {
	type iv struct{ off, end, born, last int }
	order := make([]int, 0, len(sizes))
	for k, s := range sizes {
		if s > 0 {
			order = append(order, k)
		}
	}
	// Largest first, then earliest: the classic greedy that reaches the
	// peak on chains and stays close on branching graphs.
	sort.SliceStable(order, func(a, b int) bool {
		if sizes[order[a]] != sizes[order[b]] {
			return sizes[order[a]] > sizes[order[b]]
		}
		return born[order[a]] < born[order[b]]
	})
	offs := make([]int, len(sizes))
	var placed []iv
	total := 0
	for _, k := range order {
		size := (sizes[k] + align - 1) / align * align
		// Candidate offsets: 0 and the end of every placed tensor whose
		// lifetime overlaps; take the lowest that fits.
		var live []iv
		for _, p := range placed {
			if p.born <= last[k] && born[k] <= p.last {
				live = append(live, p)
			}
		}
		sort.Slice(live, func(a, b int) bool { return live[a].off < live[b].off })
		off := 0
		for _, p := range live {
			if off+size <= p.off {
				break
			}
			off = max(off, p.end)
		}
		offs[k] = off
		placed = append(placed, iv{off, off + size, born[k], last[k]})
		total = max(total, off+size)
	}
	return offs, total
}
