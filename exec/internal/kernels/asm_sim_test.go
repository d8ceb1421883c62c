//go:build amd64 && !purego

package kernels

// Shared machinery of the simulator tests (dwconv_sim_test.go,
// gemm_sim_test.go): the generated assembly runs in the instruction-level
// simulator of ./asmsim, driven by the production drivers themselves: a
// set's entry points are bound (Set.Bind) to a checking runner that, for
// every kernel call the driver makes, maps the call's argument record,
// runs the call natively too where the CPU has the set, and compares. See
// asmsim's package comment for the machine model.
//
// How the pieces prove what they prove:
//
//   - TestSetTables checks every set's table against the assembly: each
//     entry names a function of the program whose shape (rows and panels,
//     kernel size and stride) is the entry's, and every function of the
//     program is in a table. The simulator runs the function the entry
//     names, so a crossed wire in a table would be caught here.
//   - Every kernel call of a set the CPU runs (AVX2 here; AVX-512 on a
//     machine that has it) runs natively and simulated from the same
//     memory state, and all writable memory must come out bit-identical:
//     the simulator is validated on silicon, per call.
//   - Every call is then checked bit for bit against an exact scalar model
//     of what the kernel computes (the FMA order of the depthwise kernels,
//     the one accumulator chain of the GEMM kernels, the epilogues), the
//     same models that agree bit for bit with the AVX2 hardware; against
//     the float64 references within the kernel tests' tolerance; and
//     against the guards (the simulator's memory map makes any access
//     outside the views an error; NaN guards in the gaps catch writes
//     inside them).
//   - Each test requires every instruction of the kernels it targets to
//     have executed at least once.
//   - TestSimEncoding (encoding_sim_test.go) checks that the machine code
//     linked into the test binary is, instruction by instruction, the
//     source the simulator executes (the one link between simulated text
//     and the bytes an AVX-512 CPU would run).

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"mnet.dev/mnet/exec/internal/kernels/asmsim"
)

var (
	simOnce sync.Once
	simProg *asmsim.Program
	simErr  error
)

// simProgram parses the generated assembly once per test binary. A parse
// error (an instruction or operand form the simulator does not implement,
// an FP argument not matching the signature, ...) fails every simulator
// test, naming the file and line.
func simProgram(t testing.TB) *asmsim.Program {
	t.Helper()
	simOnce.Do(func() {
		simProg, simErr = asmsim.KernelProgram()
	})
	if simErr != nil {
		t.Fatalf("parsing the generated assembly: %v", simErr)
	}
	return simProg
}

// logSimFiles records which version of the assembly a test validated.
func logSimFiles(t *testing.T, p *asmsim.Program) {
	t.Helper()
	for _, f := range p.Files {
		t.Logf("simulated %s sha256 %s", f.Path, f.SHA256)
	}
}

// archSet returns the set of this build named name ("avx2", "avx512").
func archSet(t testing.TB, name string) *Set {
	t.Helper()
	for _, s := range AllSets() {
		if s.String() == name {
			return s
		}
	}
	t.Fatalf("no kernel set %s in this build", name)
	return nil
}

// featureMap is a set's features as asmsim.New wants them.
func featureMap(s *Set) map[string]bool {
	m := map[string]bool{}
	for _, f := range s.Features() {
		m[f] = true
	}
	return m
}

func ptrAddr[T any](p *T) uint64 { return uint64(uintptr(unsafe.Pointer(p))) }

// guardedCopy returns a copy of s inside a buffer with NaN guard bands
// (unmapped in the simulator: an overrun reaches no mapped region).
func guardedCopy(s []float32) *guarded {
	g := newGuarded(len(s))
	copy(g.data(), s)
	return g
}

// snapshot copies the writable regions' bytes.
func snapshot(mem *asmsim.Memory) [][]byte {
	var out [][]byte
	for _, r := range mem.Regions() {
		if r.Writable {
			out = append(out, append([]byte(nil), r.Data...))
		}
	}
	return out
}

func restore(mem *asmsim.Memory, s [][]byte) {
	i := 0
	for _, r := range mem.Regions() {
		if r.Writable {
			copy(r.Data, s[i])
			i++
		}
	}
}

// diffRegions returns a description of the first difference between the
// writable regions and snapshot s, or "".
func diffRegions(mem *asmsim.Memory, s [][]byte) string {
	i := 0
	for _, r := range mem.Regions() {
		if !r.Writable {
			continue
		}
		if !bytes.Equal(r.Data, s[i]) {
			for j := range r.Data {
				if r.Data[j] != s[i][j] {
					w := j &^ 3
					return fmt.Sprintf("region %s, byte %d (float %d): %x vs %x", r.Name, j, w/4, r.Data[w:w+4], s[i][w:w+4])
				}
			}
		}
		i++
	}
	return ""
}

// checkCoverage fails unless every instruction of the functions whose
// names have the prefix and suffix has executed.
func checkCoverage(t *testing.T, p *asmsim.Program, prefix, suffix string) {
	t.Helper()
	nf, ni := 0, 0
	for _, name := range p.Names() {
		if !strings.HasPrefix(name, prefix) || !strings.Contains(name, suffix) {
			continue
		}
		f := p.Funcs[name]
		nf++
		missed := 0
		for i, c := range f.Count {
			ni++
			if c == 0 {
				if missed++; missed <= 3 {
					t.Errorf("%s: %s never executed: %s", f.Insts[i].Pos(), name, f.Insts[i].Text)
				}
			}
		}
		if missed > 3 {
			t.Errorf("%s: %d instructions never executed", name, missed)
		}
	}
	if nf == 0 {
		t.Errorf("no functions %s*%s in the assembly", prefix, suffix)
	}
	t.Logf("coverage: all %d instructions of %d %s*%s functions executed", ni, nf, prefix, suffix)
}

// simCall is what a checking runner knows of one kernel call.
type simCall struct {
	set    *Set   // the production set the call belongs to
	name   string // the assembly function
	args   *byte  // its argument record
	native bool   // also run on the hardware
}

// simRunner runs the kernel calls of bound sets in the simulator over the
// current case's memory map (mem, set by the test before each driver
// call), plus each call's argument record: read-only, except the words
// scratch(name) says the kernel may write. With native set, calls of sets
// the CPU runs also run on the hardware from the same memory state, and
// all writable memory must come out the same. check, if set, sees every
// call just after it ran simulated (before: the writable memory before the
// call) and may fail the test.
type simRunner struct {
	t      *testing.T
	prog   *asmsim.Program
	mem    *asmsim.Memory
	desc   string
	native bool

	record  func(name string) (size, scratch uintptr) // record size and start of its writable part
	machine func(c *simCall, m *asmsim.Machine)       // prepares the machine (e.g. a prefetch hook)
	check   func(c *simCall, m *asmsim.Machine, before [][]byte)

	calls, nativeCalls map[string]int
	steps              int64
}

func newSimRunner(t *testing.T, record func(name string) (size, scratch uintptr)) *simRunner {
	return &simRunner{t: t, prog: simProgram(t), record: record, calls: map[string]int{}, nativeCalls: map[string]int{}}
}

// bind returns set s with every entry point run by r.
func (r *simRunner) bind(s *Set) *Set {
	return s.Bind("checked", func(name string, native func(*byte)) func(*byte) {
		return func(a *byte) { r.run(s, name, native, a) }
	})
}

func (r *simRunner) run(s *Set, name string, native func(*byte), a *byte) {
	t := r.t
	t.Helper()
	size, scratch := r.record(name)
	rec := unsafe.Slice(a, size)
	base := ptrAddr(a)
	ro := r.mem.Map(name+" args", base, rec[:scratch], false)
	rw := r.mem.Map(name+" args scratch", base+uint64(scratch), rec[scratch:], true)
	defer r.mem.Unmap(ro, rw)
	c := &simCall{set: s, name: name, args: a, native: r.native && s.Native()}
	before := snapshot(r.mem)
	var hw [][]byte
	if c.native {
		native(a)
		hw = snapshot(r.mem)
		restore(r.mem, before)
	}
	m := asmsim.New(r.mem, featureMap(s))
	if r.machine != nil {
		r.machine(c, m)
	}
	if _, err := m.Call(r.prog.Func(name), base); err != nil {
		t.Fatalf("%s: %v", r.desc, err)
	}
	r.steps += m.Steps
	r.calls[name]++
	if hw != nil {
		if diff := diffRegions(r.mem, hw); diff != "" {
			t.Fatalf("%s: %s: simulator and hardware differ: %s", r.desc, name, diff)
		}
		r.nativeCalls[name]++
	}
	if r.check != nil {
		r.check(c, m, before)
	}
}

// logCalls reports the calls per kernel.
func (r *simRunner) logCalls(t *testing.T) (total, native int) {
	for _, name := range r.prog.Names() {
		if n := r.calls[name]; n > 0 {
			total += n
			native += r.nativeCalls[name]
			t.Logf("%-20s %5d calls simulated, %5d also on the hardware, bit-identical", name, n, r.nativeCalls[name])
		}
	}
	return total, native
}

// TestSetTables checks every set's table against the generated assembly:
// each entry names a function of the program whose shape is the entry's
// (GEMM rows and panels, depthwise kernel size and stride, the stubs'
// documented block geometry), and every function of the program is an
// entry of some set.
func TestSetTables(t *testing.T) {
	p := simProgram(t)
	reached := map[string]bool{}
	// The kernels the simulator does not parse (pooling) must at least be
	// the generated functions their entries name.
	stubs := map[string]bool{}
	for _, f := range []string{"pool_amd64.go", "int8_amd64.go"} {
		for _, m := range regexp.MustCompile(`(?m)^func (\w+)\(`).FindAllStringSubmatch(readFile(t, f), -1) {
			stubs[m[1]] = true
		}
	}
	for _, s := range AllSets() {
		if s.Generic() {
			continue
		}
		isa := strings.ToUpper(s.String())
		if g := s.gemm; g != nil {
			for np := range g.kern {
				for mr, k := range g.kern[np] {
					if !k.ok() {
						if mr > 0 && mr <= g.mr && (np == 0 || mr <= g.pairMax) {
							t.Errorf("%v: no %dx%d GEMM kernel, which the driver can ask for", s, mr, 16*(np+1))
						}
						continue
					}
					if want := fmt.Sprintf("gemm%s_%dx%d", isa, mr, 16*(np+1)); k.Name != want {
						t.Errorf("%v: GEMM table entry %dx%d is %s, want %s", s, mr, 16*(np+1), k.Name, want)
					}
					reached[k.Name] = true
				}
			}
		}
		if q := s.q8; q != nil && q.gemm != nil {
			for np := range q.gemm.kern {
				for mr, k := range q.gemm.kern[np] {
					if !k.ok() {
						continue
					}
					name := "VNNI"
					if q.layout == qPair16 {
						name = "AVX2"
					}
					if want := fmt.Sprintf("qgemm%s_%dx%d", name, mr, 16*(np+1)); k.Name != want {
						t.Errorf("%v: int8 GEMM table entry %dx%d is %s, want %s", s, mr, 16*(np+1), k.Name, want)
					}
				}
			}
		}
		if d := s.dw; d != nil {
			for _, b := range d.block {
				want := fmt.Sprintf("dwBlock%dx%dS%d%s", b.kh, b.kh, b.stride, isa)
				if b.k.Name != want {
					t.Errorf("%v: depthwise block entry k%d s%d is %s, want %s", s, b.kh, b.stride, b.k.Name, want)
				}
				reached[b.k.Name] = true
			}
			if want := "dwPixel" + isa; d.pixel.Name != want {
				t.Errorf("%v: depthwise pixel entry is %s, want %s", s, d.pixel.Name, want)
			}
		}
		for _, k := range s.KernelNames() {
			if p.Funcs[k] == nil && !stubs[k] {
				t.Errorf("%v: table entry %s is not in the assembly", s, k)
			}
			reached[k] = true
		}
	}
	for _, name := range p.Names() {
		if !reached[name] {
			t.Errorf("kernel %s (%s) is in no set's table", name, filepath.Base(p.Funcs[name].File))
		}
	}
	// The block geometry the driver uses is the one the generator built
	// (its stubs' doc comments state it).
	re := regexp.MustCompile(`// (dwBlock\d+x\d+S\d+(?:AVX2|AVX512)) computes a\.n blocks of (\d+) output pixels`)
	found := 0
	for _, f := range []string{"dwconv_amd64.go"} {
		src := readFile(t, f)
		for _, m := range re.FindAllStringSubmatch(src, -1) {
			found++
			var nb int
			fmt.Sscan(m[2], &nb)
			for _, s := range AllSets() {
				if s.dw == nil {
					continue
				}
				for _, b := range s.dw.block {
					if b.k.Name == m[1] && b.nb != nb {
						t.Errorf("%s: generated for %d pixels per block, the %v table says %d", m[1], nb, s, b.nb)
					}
				}
			}
		}
	}
	if found != 8 {
		t.Errorf("found %d block kernels in the stubs, want 8", found)
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
