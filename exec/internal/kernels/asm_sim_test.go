//go:build amd64 && !purego

package kernels

// Shared machinery of the simulator tests (dwconv_sim_test.go,
// gemm_sim_test.go): the generated assembly runs in the instruction-level
// simulator of ./asmsim, driven by exact copies of the production Go drivers
// (dwSIMD, gemmAsmBlocked) whose kernel calls go to the simulator instead
// of the hardware. See asmsim's package comment for the machine model.
//
// Why copies and not one driver taking the kernel calls as parameters: a
// call through a function value lets the argument record escape, and the
// production drivers would allocate on every call (tried: the depthwise
// driver then fails TestDepthwiseNoAlloc). The copies cost nothing at run
// time and TestSimDriverCopies keeps them exact.
//
// How the pieces prove what they prove:
//
//   - TestSimDriverCopies checks that the copies' bodies are token for
//     token the production bodies (the copies take the kernel-call
//     functions as parameters named like the package functions they
//     shadow), up to the listed fixes of production bugs (driverPatches),
//     and TestSimCallTables that the production dispatch
//     (dwCallBlock, dwCallPixel, callAVX2, callAVX512) sends every shape to
//     the kernel of that shape's name. So the simulated runs receive
//     exactly the argument records and frames production code passes.
//   - Every AVX2 kernel call (and every AVX-512 call on a machine that has
//     AVX-512) runs natively and simulated from the same memory state, and
//     all writable memory must come out bit-identical: the simulator is
//     validated on silicon, per call.
//   - AVX-512 calls are then checked bit for bit against exact scalar
//     models of what the kernels compute (the FMA order of the depthwise
//     kernels, the accumulator sets of the GEMM kernels), the same models
//     that agree bit for bit with the AVX2 hardware; against the float64
//     references within the kernel tests' tolerance; and against the
//     guards (the simulator's memory map makes any access outside the
//     views an error; NaN guards in the gaps catch writes inside them).
//   - Each test requires every instruction of the kernels it targets to
//     have executed at least once.
//   - TestSimEncoding (encoding_sim_test.go) checks that the machine code
//     linked into the test binary is, instruction by instruction, the
//     source the simulator executes (the one link between simulated text
//     and the bytes an AVX-512 CPU would run).

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"path/filepath"
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
		simProg, simErr = asmsim.ParseFiles("dwconv_amd64.s", "gemm_amd64.s", "peak_amd64.s")
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

func isaName(isa ISA) string {
	if isa == AVX512 {
		return "AVX512"
	}
	return "AVX2"
}

func simFeatures(isa ISA) map[string]bool {
	if isa == AVX512 {
		return asmsim.FeaturesAVX512
	}
	return asmsim.FeaturesAVX2
}

// nativeOK reports whether isa's kernels can run on this machine.
func nativeOK(isa ISA) bool { return isa.Supported() }

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

// funcDecl finds a top-level function in a Go file of this package.
func funcDecl(t *testing.T, file, name string) (*token.FileSet, *ast.FuncDecl) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, 0) // comments dropped
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == name && fd.Recv == nil {
			return fset, fd
		}
	}
	t.Fatalf("%s: no function %s", file, name)
	return nil, nil
}

func nodeText(fset *token.FileSet, n any) string {
	var b bytes.Buffer
	if err := printer.Fprint(&b, fset, n); err != nil {
		panic(err)
	}
	return b.String()
}

func fieldText(fset *token.FileSet, f *ast.Field) string {
	var names []string
	for _, n := range f.Names {
		names = append(names, n.Name)
	}
	return strings.Join(names, ", ") + " " + nodeText(fset, f.Type)
}

// driverPatches are the deliberate differences between a driver copy and
// the production driver: fixes of production bugs the simulator found, so
// that the rest of the kernels can be tested before the fix lands. Each is
// a replacement applied to the production body before the comparison.
var driverPatches = map[string][][2]string{}

// TestSimDriverCopies pins the drivers the simulator tests use to the
// production ones: same body token for token, same parameters after the
// kernel-call parameters. If this fails, the production driver changed:
// copy its new body into the *Via function verbatim.
func TestSimDriverCopies(t *testing.T) {
	for _, c := range []struct {
		file, name, simFile, simName string
		extra                        int // leading kernel-call parameters of the copy
	}{
		{"dwsimd_amd64.go", "dwSIMD", "dwconv_sim_test.go", "dwSIMDVia", 2},
		{"gemm_asm.go", "gemmAsmBlocked", "gemm_sim_test.go", "gemmAsmBlockedVia", 2},
	} {
		fs1, orig := funcDecl(t, c.file, c.name)
		fs2, cp := funcDecl(t, c.simFile, c.simName)
		a, b := nodeText(fs1, orig.Body), nodeText(fs2, cp.Body)
		for _, p := range driverPatches[c.name] {
			if !strings.Contains(a, p[0]) {
				t.Errorf("%s no longer contains %q (fixed?): drop the patch from driverPatches and re-copy the body into %s", c.name, p[0], c.simName)
			}
			a = strings.Replace(a, p[0], p[1], 1)
		}
		if a != b {
			t.Errorf("%s in %s differs from %s in %s (after driverPatches): re-copy the body", c.simName, c.simFile, c.name, c.file)
			continue
		}
		p1 := orig.Type.Params.List
		p2 := cp.Type.Params.List
		if len(p2) != len(p1)+c.extra {
			t.Errorf("%s: %d parameter groups, want %d + %d", c.simName, len(p2), len(p1), c.extra)
			continue
		}
		for i := range p1 {
			if a, b := fieldText(fs1, p1[i]), fieldText(fs2, p2[i+c.extra]); a != b {
				t.Errorf("%s: parameter %q, %s has %q", c.simName, b, c.name, a)
			}
		}
		// The shadowing parameters must carry the names of the functions
		// the body calls.
		for _, f := range p2[:c.extra] {
			for _, n := range f.Names {
				if !strings.Contains(nodeText(fs1, orig.Body), n.Name+"(") {
					t.Errorf("%s: parameter %s is not called by %s", c.simName, n.Name, c.name)
				}
			}
		}
	}
}

// evalCond evaluates a dispatch condition built from ==, && and the
// identifiers isa, k, s, mr, np against the given values.
func evalCond(t *testing.T, fset *token.FileSet, e ast.Expr, env map[string]int) int {
	t.Helper()
	switch e := e.(type) {
	case *ast.ParenExpr:
		return evalCond(t, fset, e.X, env)
	case *ast.BinaryExpr:
		x, y := evalCond(t, fset, e.X, env), evalCond(t, fset, e.Y, env)
		b := 0
		switch e.Op {
		case token.LAND:
			if x != 0 && y != 0 {
				b = 1
			}
		case token.EQL:
			if x == y {
				b = 1
			}
		default:
			t.Fatalf("dispatch condition %s: unsupported operator", nodeText(fset, e))
		}
		return b
	case *ast.Ident:
		if v, ok := env[e.Name]; ok {
			return v
		}
		switch e.Name {
		case "AVX2":
			return int(AVX2)
		case "AVX512":
			return int(AVX512)
		}
	case *ast.BasicLit:
		var v int
		if _, err := fmt.Sscan(e.Value, &v); err == nil {
			return v
		}
	}
	t.Fatalf("dispatch condition %s: unsupported expression", nodeText(fset, e))
	return 0
}

// dispatch walks a dispatch function's body (if/switch statements on the
// given environment, one kernel call per path) and returns the name of the
// first function called whose name starts with prefix.
func dispatch(t *testing.T, fset *token.FileSet, stmts []ast.Stmt, env map[string]int, prefix string) string {
	t.Helper()
	for _, st := range stmts {
		switch st := st.(type) {
		case *ast.ExprStmt:
			if call, ok := st.X.(*ast.CallExpr); ok {
				if id, ok := call.Fun.(*ast.Ident); ok && strings.HasPrefix(id.Name, prefix) {
					return id.Name
				}
				if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "panic" {
					return "panic"
				}
			}
		case *ast.IfStmt:
			if evalCond(t, fset, st.Cond, env) != 0 {
				if r := dispatch(t, fset, st.Body.List, env, prefix); r != "" {
					return r
				}
			} else if st.Else != nil {
				if r := dispatch(t, fset, []ast.Stmt{st.Else}, env, prefix); r != "" {
					return r
				}
			}
		case *ast.BlockStmt:
			if r := dispatch(t, fset, st.List, env, prefix); r != "" {
				return r
			}
		case *ast.SwitchStmt:
			var tag int
			hasTag := st.Tag != nil
			if hasTag {
				tag = evalCond(t, fset, st.Tag, env)
			}
			var def *ast.CaseClause
			matched := false
			for _, cs := range st.Body.List {
				cc := cs.(*ast.CaseClause)
				if cc.List == nil {
					def = cc
					continue
				}
				for _, e := range cc.List {
					v := evalCond(t, fset, e, env)
					if (hasTag && v == tag) || (!hasTag && v != 0) {
						matched = true
					}
				}
				if matched {
					return dispatch(t, fset, cc.Body, env, prefix)
				}
			}
			if def != nil {
				return dispatch(t, fset, def.Body, env, prefix)
			}
		case *ast.ReturnStmt:
			return ""
		}
	}
	return ""
}

// TestSimCallTables checks the production dispatch from shapes to kernels:
// every (ISA, kernel size, stride) and (ISA, rows, panels) reaches the
// kernel of that name, and every kernel in the assembly is reached. The
// simulator tests call kernels by these names, so a crossed wire in the
// dispatch (which they would not see) is caught here.
func TestSimCallTables(t *testing.T) {
	p := simProgram(t)
	reached := map[string]bool{}
	fs, blk := funcDecl(t, "dwsimd_amd64.go", "dwCallBlock")
	_, pix := funcDecl(t, "dwsimd_amd64.go", "dwCallPixel")
	for _, isa := range []ISA{AVX2, AVX512} {
		for _, k := range []int{3, 5} {
			for _, s := range []int{1, 2} {
				got := dispatch(t, fs, blk.Body.List, map[string]int{"isa": int(isa), "k": k, "s": s}, "dw")
				want := fmt.Sprintf("dwBlock%dx%dS%d%s", k, k, s, isaName(isa))
				if got != want {
					t.Errorf("dwCallBlock(%v, %d, %d) calls %s, want %s", isa, k, s, got, want)
				}
				reached[got] = true
			}
		}
		got := dispatch(t, fs, pix.Body.List, map[string]int{"isa": int(isa)}, "dw")
		if want := "dwPixel" + isaName(isa); got != want {
			t.Errorf("dwCallPixel(%v) calls %s, want %s", isa, got, want)
		}
		reached[got] = true
	}
	fs, c2 := funcDecl(t, "gemm_asm.go", "callAVX2")
	_, c5 := funcDecl(t, "gemm_asm.go", "callAVX512")
	for _, c := range []struct {
		isa   ISA
		fd    *ast.FuncDecl
		maxMR []int // by np-1
	}{{AVX2, c2, []int{6, 2}}, {AVX512, c5, []int{12, 12}}} {
		for np := 1; np <= 2; np++ {
			for mr := 1; mr <= 13; mr++ {
				got := dispatch(t, fs, c.fd.Body.List, map[string]int{"mr": mr, "np": np}, "gemm")
				want := fmt.Sprintf("gemm%s_%dx%d", isaName(c.isa), mr, 16*np)
				if mr > c.maxMR[np-1] {
					want = "panic"
				}
				if got != want {
					t.Errorf("%s(mr %d, np %d) calls %s, want %s", c.fd.Name.Name, mr, np, got, want)
				}
				reached[got] = true
			}
		}
	}
	for _, name := range p.Names() {
		if !strings.HasPrefix(name, "peak") && !reached[name] {
			t.Errorf("kernel %s (%s) is not reached by the dispatch", name, filepath.Base(p.Funcs[name].File))
		}
	}
}
