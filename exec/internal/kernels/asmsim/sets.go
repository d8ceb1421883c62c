package asmsim

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"unsafe"
)

// KernelSet is what the harness needs of a kernel set; the kernels
// package's *Set is one.
type KernelSet[S any] interface {
	String() string
	// Native reports whether this CPU runs the set.
	Native() bool
	// Features lists the CPU features its kernels need (nil: no assembly).
	Features() []string
	// KernelNames lists the assembly functions of its entry points.
	KernelNames() []string
	// Bind returns a copy of the set whose entry points run call(name,
	// native) instead of the assembly function name.
	Bind(suffix string, call func(name string, native func(args *byte)) func(args *byte)) S
}

// SimulateEnv names the environment variable that asks TestSets to run
// sets in the simulator even where the CPU has them: a comma-separated list
// of set names, or "all". It is how a machine with AVX-512 checks the path
// an AVX2-only machine takes.
const SimulateEnv = "MNET_SIMULATE"

// TestSets returns the kernel sets a test must cover: every set of the
// build (all, e.g. kernels.AllSets()), each as itself where this CPU runs
// it, and where it does not (or $MNET_SIMULATE names it) a copy whose
// kernels run in the simulator, named "<set>-sim". A test looping over
// TestSets therefore covers every instruction set on every machine and
// cannot forget one.
//
// A simulated set's kernels that the CPU runs anyway (those it shares with
// a native set, such as the AVX2 pooling kernels of the AVX-512 set) run
// natively unless $MNET_SIMULATE forces the set and the simulator has
// them. The simulated kernels read and write the process's memory directly
// (Memory.Direct), one call at a time (calls from several goroutines are
// serialised): tests keep their guard bands around buffers, and the
// simulator's own checks (undefined registers, unsupported instructions,
// features the set lacks) apply to every call. A failing simulated call
// panics, naming the kernel and instruction.
func TestSets[S KernelSet[S]](t testing.TB, all []S) []S {
	t.Helper()
	force := map[string]bool{}
	for _, n := range strings.Split(os.Getenv(SimulateEnv), ",") {
		if n = strings.TrimSpace(n); n != "" {
			force[n] = true
		}
	}
	host := map[string]bool{} // kernels the CPU runs
	for _, s := range all {
		if s.Native() {
			for _, n := range s.KernelNames() {
				host[n] = true
			}
		}
	}
	var out []S
	var prog *Program
	for _, s := range all {
		feats := s.Features()
		forced := force[s.String()] || force["all"]
		if feats == nil || (s.Native() && !forced) {
			if s.Native() {
				out = append(out, s)
			}
			continue
		}
		if prog == nil {
			var err error
			if prog, err = KernelProgram(); err != nil {
				t.Fatalf("simulating %v: %v", s, err)
			}
		}
		r := NewRunner(prog, feats)
		for _, n := range s.KernelNames() {
			if prog.Funcs[n] == nil && !host[n] {
				t.Fatalf("simulating %v: the simulator has no %s, and this CPU cannot run it", s, n)
			}
		}
		out = append(out, s.Bind("sim", func(name string, native func(*byte)) func(*byte) {
			if host[name] && (!forced || prog.Funcs[name] == nil) {
				return native
			}
			return r.Kernel(name, native)
		}))
	}
	return out
}

// simulatedFiles are the kernels package's generated assembly files whose
// vocabulary the simulator implements: every kernel but the pooling ones,
// which are AVX2 only (any machine with the vector sets runs them) and use
// float64 and lane-crossing instructions the simulator does not have.
func simulatedFiles() []string { return []string{"dwconv_amd64.s", "gemm_amd64.s", "peak_amd64.s"} }

// KernelProgram parses the kernels package's generated assembly that the
// simulator implements (all but the AVX2-only pooling kernels), located
// from this source file.
func KernelProgram() (*Program, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return nil, fmt.Errorf("asmsim: cannot locate the kernels' sources")
	}
	var paths []string
	for _, f := range simulatedFiles() {
		paths = append(paths, filepath.Join(filepath.Dir(file), "..", f))
	}
	return ParseFiles(paths...)
}

// Runner runs a program's functions on a machine with the given features,
// on direct memory, one call at a time.
type Runner struct {
	mu    sync.Mutex
	prog  *Program
	feats map[string]bool
	mem   *Memory
	// Steps counts the instructions executed.
	Steps int64
}

// NewRunner returns a runner for prog on a machine with the features.
func NewRunner(prog *Program, features []string) *Runner {
	f := map[string]bool{}
	for _, x := range features {
		f[x] = true
	}
	return &Runner{prog: prog, feats: f, mem: &Memory{Direct: true}}
}

// Kernel returns the simulated replacement for the assembly function name
// (a KernelSet's Bind callback): a function taking the kernel's argument
// record, as the assembly does. It panics if the program has no such
// function.
func (r *Runner) Kernel(name string, _ func(args *byte)) func(args *byte) {
	f := r.prog.Func(name) // panics if there is none
	return func(args *byte) {
		r.mu.Lock()
		defer r.mu.Unlock()
		m := New(r.mem, r.feats)
		if _, err := m.Call(f, uint64(uintptr(unsafe.Pointer(args)))); err != nil {
			panic(fmt.Sprintf("asmsim: simulated %s: %v", name, err))
		}
		r.Steps += m.Steps
	}
}
