package kernels

import (
	"fmt"
	"strings"
	"time"
)

// A Set is one kernel set: what one instruction set offers the drivers, as
// a table of micro-kernel shapes and entry points. The drivers (Gemm,
// Depthwise, the pooling functions, PeakGFLOPS) are written once over this
// table; a port to another architecture adds a table and its kernels
// (sets_amd64.go; sets_generic.go where there are none), not drivers. A Set
// without tables runs the generic Go kernels, which every build has.
//
// Sets are built once, at package initialisation, and never change; Bind
// returns a new one.
type Set struct {
	name     string
	features []string // CPU features its kernels need, as asmsim names them
	native   bool     // this CPU and build run it
	gemm     *gemmTable
	dw       *dwTable
	pool     *poolTable
	peak     *peakTable
	q8       *q8Table // int8 kernels (nil: generic)
	q8native bool     // this CPU runs the q8 kernels (AVX-512 without VNNI does not)
}

// Kernel is one entry point of a set: an assembly function taking a pointer
// to its argument record.
type Kernel struct {
	Name string // the assembly function, e.g. "gemmAVX512_12x32"
	call func(args *byte)
}

func (k Kernel) ok() bool { return k.call != nil }

// String returns the set's name as reports and MNET_KERNELS spell it:
// "generic", "avx2", "avx512" (a bound copy adds a suffix, e.g.
// "avx512-sim").
func (s *Set) String() string { return s.name }

// Native reports whether this CPU and build run the set.
func (s *Set) Native() bool { return s.native }

// Features lists the CPU features the set's kernels need, in the
// instruction simulator's names (asmsim: "AVX2", "FMA3", "AVX512F", ...);
// nil for the generic set, which has no assembly, and for the arm64 sets,
// which the simulator does not model (they run natively, or under qemu).
func (s *Set) Features() []string { return s.features }

// Generic reports whether the set runs only the pure-Go kernels.
func (s *Set) Generic() bool { return s.gemm == nil && s.dw == nil && s.pool == nil }

// KernelNames lists the assembly functions of the set's entry points.
func (s *Set) KernelNames() []string {
	var out []string
	s.each(func(k *Kernel) { out = append(out, k.Name) })
	return out
}

// each visits every entry point of the set's tables.
func (s *Set) each(f func(k *Kernel)) {
	if t := s.gemm; t != nil {
		for np := range t.kern {
			for mr := range t.kern[np] {
				if t.kern[np][mr].ok() {
					f(&t.kern[np][mr])
				}
			}
		}
	}
	if t := s.dw; t != nil {
		for i := range t.block {
			if t.block[i].k.ok() {
				f(&t.block[i].k)
			}
		}
		f(&t.pixel)
	}
	if t := s.pool; t != nil {
		f(&t.max)
		f(&t.avg)
		f(&t.globalAvg)
	}
	if t := s.peak; t != nil {
		f(&t.k)
	}
	if t := s.q8; t != nil && t.dw.ok() {
		f(&t.dw)
	}
	if t := s.q8; t != nil {
		for i := range t.dwBlock {
			f(&t.dwBlock[i].k)
		}
	}
	if t := s.q8; t != nil && t.peak != nil {
		f(&t.peak.k)
	}
	if t := s.q8; t != nil && t.gemm != nil && t.gemm.pack.ok() {
		f(&t.gemm.pack)
	}
	if t := s.q8; t != nil && t.rowSum.ok() {
		f(&t.rowSum)
	}
	if t := s.q8; t != nil && t.gemm != nil {
		for np := range t.gemm.kern {
			for mr := range t.gemm.kern[np] {
				if t.gemm.kern[np][mr].ok() {
					f(&t.gemm.kern[np][mr])
				}
			}
		}
	}
}

// q8 returns the set's int8 kernels if this CPU runs them, else nil (the
// generic int8 kernels).
func (s *Set) int8() *q8Table {
	if s.q8native {
		return s.q8
	}
	return nil
}

// Int8Kernels names what runs the set's int8 layers: "vnni" for the AVX-512
// VNNI kernels, "avx2" for the AVX2 ones (int16 pairs), "neondot" for the
// arm64 dot-product ones, "neon" for the arm64 widening ones, or
// "generic".
func (s *Set) Int8Kernels() string {
	if t := s.int8(); t != nil {
		return t.name
	}
	return "generic"
}

// Bind returns a copy of the set, named name+"-"+suffix, whose entry points
// run call(name, native) instead of their assembly function (native, named
// name): this is how the tests run a set's kernels in the instruction
// simulator (asmsim) through the production drivers, on machines without
// the set's instructions. The copy counts as native.
func (s *Set) Bind(suffix string, call func(name string, native func(args *byte)) func(args *byte)) *Set {
	c := *s
	c.name = s.name + "-" + suffix
	c.native = true
	if s.gemm != nil {
		g := *s.gemm
		c.gemm = &g
	}
	if s.dw != nil {
		d := *s.dw
		d.block = append([]dwBlock(nil), s.dw.block...)
		c.dw = &d
	}
	if s.pool != nil {
		p := *s.pool
		c.pool = &p
	}
	if s.peak != nil {
		p := *s.peak
		c.peak = &p
	}
	if s.q8 != nil {
		q := *s.q8
		if q.gemm != nil {
			g := *q.gemm
			q.gemm = &g
		}
		if q.peak != nil {
			pk := *q.peak
			q.peak = &pk
		}
		q.dwBlock = append([]dwBlock(nil), q.dwBlock...)
		c.q8 = &q
		c.q8native = true
	}
	c.each(func(k *Kernel) { k.call = call(k.Name, k.call) })
	return &c
}

// RowBlock returns the preferred granularity for splitting a GEMM's rows
// across threads: the rows of the set's main micro-kernel.
func (s *Set) RowBlock() int {
	if s.gemm != nil {
		return s.gemm.mr
	}
	return genericMR
}

// QRowBlock is RowBlock for the int8 GEMM (QGemm).
func (s *Set) QRowBlock() int {
	if t := s.int8(); t != nil && t.gemm != nil {
		return t.gemm.mr
	}
	return 4
}

// SegmentedGemm reports whether GemmSegs runs in the set's micro-kernels
// (segments cost nothing extra there); the generic GEMM pays a call per
// segment and 4 columns, so an im2col copy is cheaper for it.
func (s *Set) SegmentedGemm() bool { return s.gemm != nil }

// PeakGFLOPS measures the single-thread floating-point peak of the set:
// chains of independent fused multiply-adds on registers only (no memory
// traffic), enough chains to cover FMA latency on both FMA ports (12 ymm
// chains for AVX2, 24 zmm chains for AVX-512). It runs for about d and
// returns the best rate seen, in GFLOP/s (an FMA counts as 2 FLOPs per
// lane). It is the calibration point for the GEMM benchmarks: a low value
// means the machine is busy or clocked down. For the generic set it
// measures the same kind of loop in scalar Go (8 chains of multiply-add),
// the ceiling of the generic kernels.
func (s *Set) PeakGFLOPS(d time.Duration) float64 {
	iters := 1 << 12
	best := 0.0
	deadline := time.Now().Add(d)
	for {
		t0 := time.Now()
		flops := s.peakRun(iters)
		el := time.Since(t0)
		if el > 0 {
			best = max(best, flops/el.Seconds()/1e9)
		}
		if el < time.Millisecond && iters < 1<<30 {
			iters *= 2
		}
		if time.Now().After(deadline) {
			return best
		}
	}
}

// Workspace is one thread's scratch for the kernel drivers: the argument
// records the assembly kernels read. A plan keeps one per thread, so the
// records need no allocation per call and escape nothing; one Workspace
// must not be used by two goroutines at once. The zero value is ready.
type Workspace struct {
	gemm  gemmArgs
	dw    dwArgs
	pool  poolArgs
	q8    qgemmArgs
	qdw   qdwArgs
	qpack qpackArgs
	qrs   qrowsumArgs
	qa    []int16     // widened A (AVX2 int8 GEMM)
	qbias []int32     // the int8 depthwise block kernels' interior bias
	qc    []uint8     // a partial panel's output (AVX2 int8 GEMM)
	gtail []float32   // a partial panel's C and residual (tailScratch GEMM)
	gbias [32]float32 // a partial panel's bias (tailScratch GEMM)
	ready bool        // the records' constants are set
}

// init sets the records' constant vectors once.
func (w *Workspace) init() {
	if w.ready {
		return
	}
	w.gemm.initConsts()
	w.dw.initConsts()
	w.ready = true
}

// workspace returns ws, or a fresh one when ws is nil (which allocates).
func workspace(ws *Workspace) *Workspace {
	if ws == nil {
		ws = new(Workspace)
	}
	ws.init()
	return ws
}

// genericSet is the pure-Go kernel set, in every build.
var genericSet = &Set{name: "generic", native: true}

// Generic returns the pure-Go kernel set.
func Generic() *Set { return genericSet }

// AllSets lists every kernel set this build has, slowest first, whether
// or not this CPU runs it (see Native): the generic set, then the
// architecture's (sets_amd64.go).
func AllSets() []*Set { return append([]*Set{genericSet}, archSets...) }

// Available lists the sets this build and CPU run, slowest first.
func Available() []*Set {
	var out []*Set
	for _, s := range AllSets() {
		if s.native {
			out = append(out, s)
		}
	}
	return out
}

// Best returns the fastest set this build and CPU run.
func Best() *Set {
	a := Available()
	return a[len(a)-1]
}

// Parse maps a name ("auto", "", "generic", "purego", "go", or a set's
// name such as "avx2", "avx512") to a set, failing for unknown names and
// for sets this machine cannot run.
func Parse(name string) (*Set, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	switch n {
	case "", "auto":
		return Best(), nil
	case "purego", "go":
		n = "generic"
	case "avx-512":
		n = "avx512"
	}
	var names []string
	for _, s := range AllSets() {
		names = append(names, s.name)
		if s.name != n {
			continue
		}
		if !s.native {
			return nil, fmt.Errorf("kernel set %q is not supported on this machine or build (have %v)", name, Available())
		}
		return s, nil
	}
	return nil, fmt.Errorf("unknown kernel set %q (want auto or one of %s)", name, strings.Join(names, ", "))
}
