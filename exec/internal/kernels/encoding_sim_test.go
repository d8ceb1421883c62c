//go:build amd64 && !purego

package kernels

// The simulator executes the assembly text; the CPU executes the bytes the
// Go assembler made of it. For AVX-512, which nothing here can execute,
// TestSimEncoding closes that gap: it disassembles the kernels as linked
// into this test binary with GNU objdump (which decodes EVEX; Go's own
// objdump does not) and requires every machine instruction to be the
// source instruction the simulator ran: mnemonic, registers, opmask and
// zeroing decorations, memory operand base/index/scale/displacement and
// access size, immediates, and jump targets. It skips when objdump is
// missing or cannot decode AVX-512.

import (
	"debug/elf"
	"debug/gosym"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"mnet.dev/mnet/exec/internal/kernels/asmsim"
)

// intelOperand is an operand in a comparable form.
type intelOperand struct {
	kind        string // reg, imm, mem, target
	reg         string // register name (rax, edi, zmm3, k1)
	imm         uint64 // immediates and jump targets
	size        string // memory: BYTE .. ZMMWORD, or "" (lea)
	base, index string
	scale       int
	disp        int64
	mask        string // {k1}
	zero        bool   // {z}
}

func (o intelOperand) String() string {
	dec := o.mask
	if o.zero {
		dec += "{z}"
	}
	switch o.kind {
	case "reg":
		return o.reg + dec
	case "imm", "target":
		return fmt.Sprintf("%s %#x", o.kind, o.imm)
	}
	return fmt.Sprintf("%s[%s+%s*%d%+d]%s", o.size, o.base, o.index, o.scale, o.disp, dec)
}

var (
	reDecor = regexp.MustCompile(`\{(k[0-7]|z)\}`)
	reDis   = regexp.MustCompile(`^\s*([0-9a-f]+):\t(\S+)\s*(.*)$`)
)

// parseIntelOperand parses one operand of objdump's Intel syntax.
func parseIntelOperand(s string) (intelOperand, error) {
	var o intelOperand
	for _, m := range reDecor.FindAllStringSubmatch(s, -1) {
		if m[1] == "z" {
			o.zero = true
		} else {
			o.mask = "{" + m[1] + "}"
		}
	}
	s = strings.TrimSpace(reDecor.ReplaceAllString(s, ""))
	if i := strings.Index(s, "["); i >= 0 {
		o.kind = "mem"
		if pre := strings.TrimSpace(s[:i]); pre != "" {
			o.size = strings.TrimSuffix(pre, " PTR")
		}
		inner := strings.TrimSuffix(s[i+1:], "]")
		// Terms separated by + or - (the sign belongs to the displacement).
		inner = strings.ReplaceAll(inner, "-", "+-")
		for _, term := range strings.Split(inner, "+") {
			switch {
			case term == "":
			case strings.Contains(term, "*"):
				r, sc, _ := strings.Cut(term, "*")
				o.index = r
				o.scale, _ = strconv.Atoi(sc)
			case strings.HasPrefix(term, "0x") || strings.HasPrefix(term, "-0x"):
				v, err := strconv.ParseInt(term, 0, 64)
				if err != nil {
					return o, err
				}
				o.disp = v
			default:
				o.base = term
			}
		}
		return o, nil
	}
	if strings.HasPrefix(s, "0x") {
		v, err := strconv.ParseUint(s, 0, 64)
		o.kind, o.imm = "imm", v
		return o, err
	}
	if f := strings.Fields(s); len(f) == 2 && regexp.MustCompile(`^[0-9a-f]+$`).MatchString(f[0]) {
		v, err := strconv.ParseUint(f[0], 16, 64) // jump: "5c571e <sym+0x1fe>"
		o.kind, o.imm = "target", v
		return o, err
	}
	o.kind, o.reg = "reg", s
	return o, nil
}

var gp64 = map[string][2]string{
	"AX": {"rax", "eax"}, "CX": {"rcx", "ecx"}, "DX": {"rdx", "edx"}, "BX": {"rbx", "ebx"},
	"SI": {"rsi", "esi"}, "DI": {"rdi", "edi"}, "SP": {"rsp", "esp"}, "BP": {"rbp", "ebp"},
	"R8": {"r8", "r8d"}, "R9": {"r9", "r9d"}, "R10": {"r10", "r10d"}, "R11": {"r11", "r11d"},
	"R12": {"r12", "r12d"}, "R13": {"r13", "r13d"}, "R14": {"r14", "r14d"}, "R15": {"r15", "r15d"},
}

var intelMnem = map[string]string{
	"MOVQ": "mov", "LEAQ": "lea", "ADDQ": "add", "XORQ": "xor", "ANDQ": "and", "SHRQ": "shr",
	"DECQ": "dec", "CMPQ": "cmp", "TESTQ": "test", "JZ": "je", "JEQ": "je", "JNZ": "jne", "JNE": "jne",
	"JMP": "jmp", "RET": "ret", "VMOVUPS": "vmovups", "VMOVUPS.Z": "vmovups", "VMASKMOVPS": "vmaskmovps",
	"VBROADCASTSS": "vbroadcastss", "VFMADD231PS": "vfmadd231ps", "VADDPS": "vaddps", "VMAXPS": "vmaxps",
	"VMINPS": "vminps", "VMULPS": "vmulps", "VXORPS": "vxorps", "VPXORD": "vpxord", "VZEROUPPER": "vzeroupper", "KMOVW": "kmovw",
	"PREFETCHT0": "prefetcht0",
}

// expectIntel converts a simulated instruction to the operands objdump
// should show, in Intel order. addrOf gives the address of an instruction
// index (jump targets).
func expectIntel(in *asmsim.Inst, addrOf func(int) uint64) []intelOperand {
	size := ""
	switch in.Mnem {
	case "MOVQ", "CMPQ":
		size = "QWORD"
	case "VBROADCASTSS":
		size = "DWORD"
	case "PREFETCHT0":
		size = "BYTE"
	case "KMOVW":
		size = "WORD"
	case "LEAQ":
	default:
		size = map[int]string{4: "XMMWORD", 8: "YMMWORD", 16: "ZMMWORD"}[in.Lanes]
	}
	conv := func(a asmsim.Operand) intelOperand {
		switch a.Kind {
		case asmsim.KGP:
			r := gp64[asmsim.GPName(a.Reg)][0]
			if in.Mnem == "KMOVW" {
				r = gp64[asmsim.GPName(a.Reg)][1]
			}
			return intelOperand{kind: "reg", reg: r}
		case asmsim.KVec:
			return intelOperand{kind: "reg", reg: fmt.Sprintf("%cmm%d", map[int]byte{4: 'x', 8: 'y', 16: 'z'}[a.Lanes], a.Reg)}
		case asmsim.KMask:
			return intelOperand{kind: "reg", reg: fmt.Sprintf("k%d", a.Reg)}
		case asmsim.KImm:
			return intelOperand{kind: "imm", imm: uint64(a.Imm)}
		case asmsim.KLabel:
			return intelOperand{kind: "target", imm: addrOf(in.Target)}
		case asmsim.KFP: // ABI0, frameless: the arguments start above the return address
			return intelOperand{kind: "mem", size: size, base: "rsp", disp: int64(a.Off + 8)}
		}
		o := intelOperand{kind: "mem", size: size, base: gp64[asmsim.GPName(a.Base)][0], disp: a.Disp}
		if a.Index >= 0 {
			o.index, o.scale = gp64[asmsim.GPName(a.Index)][0], a.Scale
		}
		return o
	}
	args := in.Args
	var out []intelOperand
	switch {
	case in.Mnem == "CMPQ": // Go keeps Intel order for CMP
		for _, a := range args {
			out = append(out, conv(a))
		}
	case len(args) == 3 && args[1].Kind == asmsim.KMask: // src, K, dst -> dst{k}{z}, src
		d := conv(args[2])
		d.mask, d.zero = fmt.Sprintf("{k%d}", args[1].Reg), in.Zeroing
		out = []intelOperand{d, conv(args[0])}
	default:
		for i := len(args) - 1; i >= 0; i-- {
			out = append(out, conv(args[i]))
		}
	}
	return out
}

// sameOperand compares an expected and a decoded operand. Memory operands
// compare structurally (objdump writes a zero displacement for r13 and an
// index scale of 1 explicitly); immediates as 64-bit sign-extended values.
func sameOperand(want, got intelOperand) bool {
	if want.kind == "target" && got.kind == "imm" { // stripped binary: no <symbol+off>
		got.kind = "target"
	}
	if want.kind != got.kind || want.mask != got.mask || want.zero != got.zero {
		return false
	}
	switch want.kind {
	case "reg":
		return want.reg == got.reg
	case "imm":
		return want.imm == got.imm || uint64(int64(int32(got.imm))) == want.imm
	case "target":
		return want.imm == got.imm
	}
	return want.size == got.size && want.base == got.base && want.index == got.index &&
		(want.index == "" || want.scale == got.scale) && want.disp == got.disp
}

type span struct{ lo, hi uint64 }

// kernelSpans finds the kernels' code in the binary through the Go
// function table (.gopclntab, kept even when go test strips the symbols).
// kernelSpans returns, per kernel of p, the address ranges of the test
// binary's functions of that name (from the pcln table: go test strips the
// ELF symbols). A kernel referred to as a function value (the sets'
// tables) has two: the assembly function (ABI0) and a small ABIInternal
// wrapper calling it; TestSimEncoding takes the one that decodes to the
// source.
func kernelSpans(exe string, p *asmsim.Program) (spans map[string][]span, lo, hi uint64, err error) {
	ef, err := elf.Open(exe)
	if err != nil {
		return nil, 0, 0, err
	}
	defer ef.Close()
	pcln, text := ef.Section(".gopclntab"), ef.Section(".text")
	if pcln == nil || text == nil {
		return nil, 0, 0, fmt.Errorf("no .gopclntab or .text section")
	}
	data, err := pcln.Data()
	if err != nil {
		return nil, 0, 0, err
	}
	tab, err := gosym.NewTable(nil, gosym.NewLineTable(data, text.Addr))
	if err != nil {
		return nil, 0, 0, err
	}
	const pkg = "mnet.dev/mnet/exec/internal/kernels."
	spans = map[string][]span{}
	lo = ^uint64(0)
	for _, f := range tab.Funcs {
		name, ok := strings.CutPrefix(f.Name, pkg)
		if !ok {
			continue
		}
		name = strings.TrimSuffix(name, ".abi0")
		if _, ok := p.Funcs[name]; ok {
			spans[name] = append(spans[name], span{f.Entry, f.End})
			lo, hi = min(lo, f.Entry), max(hi, f.End)
		}
	}
	return spans, lo, hi, nil
}

func TestSimEncoding(t *testing.T) {
	objdump, err := exec.LookPath("objdump")
	if err != nil {
		t.Skip("GNU objdump not installed: the encodings are not cross-checked")
	}
	p := simProgram(t)
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	spans, lo, hi, err := kernelSpans(exe, p)
	if err != nil {
		t.Skipf("test binary: %v", err)
	}
	if len(spans) != len(p.Funcs) {
		t.Fatalf("found %d of the %d kernels in the test binary's symbols", len(spans), len(p.Funcs))
	}
	out, err := exec.Command(objdump, "-d", "-M", "intel", "--no-show-raw-insn",
		fmt.Sprintf("--start-address=%#x", lo), fmt.Sprintf("--stop-address=%#x", hi), exe).Output()
	if err != nil {
		t.Skipf("objdump: %v", err)
	}
	type dis struct {
		addr       uint64
		mnem, args string
	}
	var all []dis
	for _, line := range strings.Split(string(out), "\n") {
		m := reDis.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		a, _ := strconv.ParseUint(m[1], 16, 64)
		all = append(all, dis{a, m[2], strings.TrimSpace(m[3])})
		if m[2] == "(bad)" {
			t.Skipf("this objdump cannot decode the kernels (%s at %#x): encodings not cross-checked", line, a)
		}
	}
	checked := 0
	for _, name := range p.Names() {
		f := p.Funcs[name]
		var d []dis
		for _, sp := range spans[name] {
			d = d[:0]
			for _, x := range all {
				if x.addr >= sp.lo && x.addr < sp.hi {
					d = append(d, x)
				}
			}
			// Trailing alignment padding after the last instruction.
			for len(d) > len(f.Insts) && (d[len(d)-1].mnem == "int3" || strings.HasPrefix(d[len(d)-1].mnem, "nop") || d[len(d)-1].mnem == "xchg") {
				d = d[:len(d)-1]
			}
			if len(d) == len(f.Insts) {
				break // the assembly function, not its wrapper
			}
		}
		if len(d) != len(f.Insts) {
			t.Errorf("%s: %d machine instructions, %d source instructions", name, len(d), len(f.Insts))
			continue
		}
		addrOf := func(i int) uint64 { return d[i].addr }
		nbad := 0
		for i, in := range f.Insts {
			want := expectIntel(in, addrOf)
			bad := d[i].mnem != intelMnem[in.Mnem]
			var got []intelOperand
			if d[i].args != "" {
				for _, s := range strings.Split(d[i].args, ",") {
					o, err := parseIntelOperand(s)
					if err != nil {
						bad = true
					}
					got = append(got, o)
				}
			}
			if len(got) != len(want) {
				bad = true
			} else {
				for j := range want {
					if !sameOperand(want[j], got[j]) {
						bad = true
					}
				}
			}
			if bad {
				t.Errorf("%s: %s assembled as %#x: %s %s (decoded %v, expected %s %v)", in.Pos(), in.Text, d[i].addr, d[i].mnem, d[i].args, got, intelMnem[in.Mnem], want)
				if nbad++; nbad == 5 {
					break
				}
			}
			checked++
		}
	}
	t.Logf("%d instructions of %d kernels: the machine code is the simulated source", checked, len(p.Funcs))
}
