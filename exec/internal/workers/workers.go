// Package workers runs a plan's layers on several threads: a Team of
// threads-1 worker goroutines plus the calling goroutine, which split each
// Job's items into chunks and claim them from a shared counter.
//
// Chunks are claimed dynamically: a worker that is late (descheduled by the
// OS, or parked) leaves its share to the others instead of stalling the
// layer, and uneven chunks balance out. Workers spin for a while between
// jobs, so consecutive layers do not pay a goroutine wake-up, then park.
// Running a job allocates nothing.
package workers

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Task is work split into items [0, n): Run(lo, hi, tid) does the items
// [lo, hi) on thread tid (0 is the caller; tids are below the team's
// thread count, so per-thread scratch can be indexed by them).
type Task interface {
	Run(lo, hi, tid int)
}

// Job is one layer's work as a Team hands it out: N items cut into Chunks
// near-equal chunks (1: run inline on the caller). A plan owns one Job per
// layer and reuses it for every run.
type Job struct {
	Task   Task
	N      int // items
	Chunks int

	// next holds the epoch of the current run in its high 32 bits and the
	// next unclaimed chunk in its low 32 bits, so a thread that arrives
	// after the run has moved on cannot claim a chunk of a newer run.
	next atomic.Uint64
	done atomic.Int32 // chunks finished in the current run
}

// claim runs chunks of the job's run `epoch` until none are left.
func (j *Job) claim(epoch uint64, tid int) {
	for {
		v := j.next.Load()
		if v>>32 != epoch&0xffffffff || int(uint32(v)) >= j.Chunks {
			return
		}
		if !j.next.CompareAndSwap(v, v+1) {
			continue
		}
		c := int(uint32(v))
		lo, hi := Chunk(j.N, j.Chunks, c)
		j.Task.Run(lo, hi, tid)
		j.done.Add(1)
	}
}

// Chunk returns the i-th of k near-equal parts of [0, n).
func Chunk(n, k, i int) (int, int) {
	return n * i / k, n * (i + 1) / k
}

// Team is the caller and threads-1 worker goroutines.
type Team struct {
	threads int
	epoch   atomic.Uint64
	cur     atomic.Pointer[Job]
	quit    atomic.Bool

	sleeping []atomic.Bool
	wake     []chan struct{}
	done     sync.WaitGroup
}

// spinIters is how long a worker polls for the next job before parking:
// long enough to cover the gap between two layers of one inference.
const spinIters = 1 << 15

// New starts a team of threads threads (the caller counts as one).
func New(threads int) *Team {
	t := &Team{threads: threads, sleeping: make([]atomic.Bool, threads), wake: make([]chan struct{}, threads)}
	for i := 1; i < threads; i++ {
		t.wake[i] = make(chan struct{}, 1)
		t.done.Add(1)
		go t.worker(i)
	}
	return t
}

func (t *Team) worker(id int) {
	defer t.done.Done()
	// The team starts at epoch 0; a job may be published before this
	// goroutine first runs, so it must not read its starting epoch.
	var seen uint64
	for {
		e := t.epoch.Load()
		for i := 0; e == seen && i < spinIters; i++ {
			if i&255 == 255 {
				runtime.Gosched()
			}
			e = t.epoch.Load()
		}
		if e == seen {
			t.sleeping[id].Store(true)
			if e = t.epoch.Load(); e == seen {
				<-t.wake[id]
				e = t.epoch.Load()
			}
			t.sleeping[id].Store(false)
			if e == seen {
				continue // a stale wake-up token
			}
		}
		seen = e
		if t.quit.Load() {
			return
		}
		if j := t.cur.Load(); j != nil {
			j.claim(e, id)
		}
	}
}

// Run executes the job and returns when all its chunks are done.
func (t *Team) Run(j *Job) {
	if j.Chunks <= 1 || t.threads <= 1 {
		j.Task.Run(0, j.N, 0)
		return
	}
	e := t.epoch.Load() + 1
	j.done.Store(0)
	j.next.Store(e << 32)
	t.cur.Store(j)
	t.epoch.Store(e)
	for i := 1; i < t.threads; i++ {
		if t.sleeping[i].Load() {
			select {
			case t.wake[i] <- struct{}{}:
			default:
			}
		}
	}
	j.claim(e, 0)
	for i := 0; int(j.done.Load()) != j.Chunks; i++ {
		if i&255 == 255 {
			runtime.Gosched()
		}
	}
}

// Close stops the workers; the team must not run jobs afterwards.
func (t *Team) Close() {
	if t.threads <= 1 || t.quit.Swap(true) {
		return
	}
	t.epoch.Add(1)
	for i := 1; i < t.threads; i++ {
		select {
		case t.wake[i] <- struct{}{}:
		default:
		}
	}
	t.done.Wait()
}
