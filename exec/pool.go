package exec

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// task is work split into items [0, n): run(lo, hi, tid) does a chunk on
// thread tid (0 is the caller).
type task interface {
	run(lo, hi, tid int)
}

// job is one layer's work as the pool hands it out: the items are cut into
// a fixed number of chunks, and every participating thread claims chunks
// from a shared counter until none are left. A plan owns one job per layer
// (no allocation per inference).
type job struct {
	t      task
	n      int // items
	chunks int // 1: run inline on the caller

	// next holds the epoch of the current run in its high 32 bits and the
	// next unclaimed chunk in its low 32 bits, so a thread that arrives
	// after the run has moved on cannot claim a chunk of a newer run.
	next atomic.Uint64
	done atomic.Int32 // chunks finished in the current run
}

// claim runs chunks of the job's run `epoch` until none are left.
func (j *job) claim(epoch uint64, tid int) {
	for {
		v := j.next.Load()
		if v>>32 != epoch&0xffffffff || int(uint32(v)) >= j.chunks {
			return
		}
		if !j.next.CompareAndSwap(v, v+1) {
			continue
		}
		c := int(uint32(v))
		lo, hi := chunk(j.n, j.chunks, c)
		j.t.run(lo, hi, tid)
		j.done.Add(1)
	}
}

// pool runs jobs on the caller and threads-1 worker goroutines. Chunks are
// claimed dynamically: a worker that is late (descheduled by the OS, or
// parked) leaves its share to the others instead of stalling the layer, and
// uneven chunks balance out. Workers spin for a while between jobs, then
// park.
type pool struct {
	threads int
	epoch   atomic.Uint64
	cur     atomic.Pointer[job]
	quit    atomic.Bool

	sleeping []atomic.Bool
	wake     []chan struct{}
	done     sync.WaitGroup
}

// spinIters is how long a worker polls for the next job before parking:
// long enough to cover the gap between two layers of one inference.
const spinIters = 1 << 15

func newPool(threads int) *pool {
	p := &pool{threads: threads, sleeping: make([]atomic.Bool, threads), wake: make([]chan struct{}, threads)}
	for i := 1; i < threads; i++ {
		p.wake[i] = make(chan struct{}, 1)
		p.done.Add(1)
		go p.worker(i)
	}
	return p
}

func (p *pool) worker(id int) {
	defer p.done.Done()
	// The pool starts at epoch 0; a job may be published before this
	// goroutine first runs, so it must not read its starting epoch.
	var seen uint64
	for {
		e := p.epoch.Load()
		for i := 0; e == seen && i < spinIters; i++ {
			if i&255 == 255 {
				runtime.Gosched()
			}
			e = p.epoch.Load()
		}
		if e == seen {
			p.sleeping[id].Store(true)
			if e = p.epoch.Load(); e == seen {
				<-p.wake[id]
				e = p.epoch.Load()
			}
			p.sleeping[id].Store(false)
			if e == seen {
				continue // a stale wake-up token
			}
		}
		seen = e
		if p.quit.Load() {
			return
		}
		if j := p.cur.Load(); j != nil {
			j.claim(e, id)
		}
	}
}

// chunk returns the i-th of k near-equal parts of [0, n).
func chunk(n, k, i int) (int, int) {
	return n * i / k, n * (i + 1) / k
}

// run executes the job and returns when all its chunks are done.
func (p *pool) run(j *job) {
	if j.chunks <= 1 || p.threads <= 1 {
		j.t.run(0, j.n, 0)
		return
	}
	e := p.epoch.Load() + 1
	j.done.Store(0)
	j.next.Store(e << 32)
	p.cur.Store(j)
	p.epoch.Store(e)
	for i := 1; i < p.threads; i++ {
		if p.sleeping[i].Load() {
			select {
			case p.wake[i] <- struct{}{}:
			default:
			}
		}
	}
	j.claim(e, 0)
	for i := 0; int(j.done.Load()) != j.chunks; i++ {
		if i&255 == 255 {
			runtime.Gosched()
		}
	}
}

// close stops the workers.
func (p *pool) close() {
	if p.threads <= 1 || p.quit.Swap(true) {
		return
	}
	p.epoch.Add(1)
	for i := 1; i < p.threads; i++ {
		select {
		case p.wake[i] <- struct{}{}:
		default:
		}
	}
	p.done.Wait()
}
