package workers

import (
	"sync/atomic"
	"testing"
)

// TestEveryItemOnce: whatever the item and chunk counts, every item of a
// job runs exactly once per Run, on a team of three threads, fifty times
// over (the epochs of successive runs must not mix).
func TestEveryItemOnce(t *testing.T) {
	team := New(3)
	defer team.Close()
	for range 50 {
		for _, n := range []int{1, 2, 3, 7, 100} {
			for _, chunks := range []int{1, 2, 3, 5, 12} {
				seen := make([]int32, n)
				j := &Job{Task: markTask(seen), N: n, Chunks: min(chunks, n)}
				team.Run(j)
				for i, v := range seen {
					if v != 1 {
						t.Fatalf("n %d chunks %d: item %d done %d times", n, chunks, i, v)
					}
				}
			}
		}
	}
}

// TestThreadIDs: tids stay below the thread count (per-thread scratch is
// indexed by them).
func TestThreadIDs(t *testing.T) {
	team := New(4)
	defer team.Close()
	var bad atomic.Int32
	j := &Job{Task: tidTask{limit: 4, bad: &bad}, N: 1000, Chunks: 64}
	for range 20 {
		team.Run(j)
	}
	if bad.Load() != 0 {
		t.Errorf("%d chunks ran with a thread id out of range", bad.Load())
	}
}

func TestChunk(t *testing.T) {
	for _, n := range []int{0, 1, 5, 17} {
		for k := 1; k <= 6; k++ {
			next := 0
			for i := range k {
				lo, hi := Chunk(n, k, i)
				if lo != next || hi < lo {
					t.Fatalf("Chunk(%d, %d, %d) = [%d, %d), want to start at %d", n, k, i, lo, hi, next)
				}
				next = hi
			}
			if next != n {
				t.Fatalf("Chunk(%d, %d, ·) covers [0, %d)", n, k, next)
			}
		}
	}
}

type markTask []int32

func (m markTask) Run(lo, hi, _ int) {
	for i := lo; i < hi; i++ {
		atomic.AddInt32(&m[i], 1)
	}
}

type tidTask struct {
	limit int
	bad   *atomic.Int32
}

func (tt tidTask) Run(_, _, tid int) {
	if tid < 0 || tid >= tt.limit {
		tt.bad.Add(1)
	}
}
