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

// pool runs tasks on a fixed set of threads: the caller and workers-1
// goroutines that spin for a while between tasks, then park.
type pool struct {
	threads int
	epoch   atomic.Uint64 // incremented to publish a task
	pending atomic.Int32  // chunks not yet finished
	quit    atomic.Bool

	// The published task; written before epoch is incremented.
	t      task
	n      int
	chunks int

	sleeping []atomic.Bool
	wake     []chan struct{}
	done     sync.WaitGroup
}

// spinIters is how long a worker polls for the next task before parking:
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
	// The pool starts at epoch 0; a task may be published before this
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
		// Every worker acknowledges every task, with or without a chunk,
		// so none is still reading it when the next one is published.
		if id < p.chunks {
			lo, hi := chunk(p.n, p.chunks, id)
			p.t.run(lo, hi, id)
		}
		p.pending.Add(-1)
	}
}

// chunk returns the i-th of k near-equal parts of [0, n).
func chunk(n, k, i int) (int, int) {
	return n * i / k, n * (i + 1) / k
}

// run executes t over [0, n) in up to `chunks` parts (at most the pool's
// threads), returning when all are done.
func (p *pool) run(t task, n, chunks int) {
	chunks = min(chunks, p.threads, n)
	if chunks <= 1 {
		t.run(0, n, 0)
		return
	}
	p.t, p.n, p.chunks = t, n, chunks
	p.pending.Store(int32(p.threads - 1))
	p.epoch.Add(1)
	for i := 1; i < p.threads; i++ {
		if p.sleeping[i].Load() {
			select {
			case p.wake[i] <- struct{}{}:
			default:
			}
		}
	}
	lo, hi := chunk(n, chunks, 0)
	t.run(lo, hi, 0)
	for i := 0; p.pending.Load() != 0; i++ {
		if i&255 == 255 {
			runtime.Gosched()
		}
	}
	p.t = nil
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
