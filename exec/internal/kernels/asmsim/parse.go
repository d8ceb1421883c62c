package asmsim

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Program is a set of parsed assembly files.
type Program struct {
	Funcs map[string]*Func
	Files []FileInfo
}

// FileInfo identifies a parsed file.
type FileInfo struct {
	Path   string
	SHA256 string // hex digest of the contents parsed
}

// Func is one TEXT block.
type Func struct {
	Name      string
	File      string
	Line      int
	Requires  map[string]bool // ISA extensions from the "// Requires:" comment
	Params    []Param         // from the "// func" comment
	FrameSize int
	ArgSize   int
	Insts     []*Inst
	Labels    map[string]int

	// Count[i] is how many times Insts[i] has executed (coverage).
	Count []int64
}

// Param is one word-sized parameter or result of a function's signature.
type Param struct {
	Name   string
	Off    int
	Result bool
}

// OpKind classifies an operand.
type OpKind uint8

const (
	KImm OpKind = iota
	KGP
	KVec
	KMask
	KMem
	KFP
	KLabel
)

func (k OpKind) String() string {
	return [...]string{"imm", "gp", "vec", "k", "mem", "fp", "label"}[k]
}

// Operand is one decoded operand.
type Operand struct {
	Kind  OpKind
	Reg   int // GP 0-15 (AX CX DX BX SP BP SI DI R8-R15), vector 0-31, K 0-7
	Lanes int // vector registers: 4 (X), 8 (Y), 16 (Z)
	Imm   int64
	// Memory: Base (and Index*Scale, Index >= 0) + Disp.
	Base, Index, Scale int
	Disp               int64
	Name               string // FP parameter or jump label
	Off                int    // FP offset
	Text               string
}

// Op is a decoded opcode.
type Op uint8

const (
	opInvalid Op = iota
	opMOVQ
	opLEAQ
	opADDQ
	opXORQ
	opANDQ
	opSHRQ
	opDECQ
	opCMPQ
	opTESTQ
	opJZ
	opJNZ
	opJMP
	opRET
	opVMOVUPS
	opVMASKMOVPS
	opVBROADCASTSS
	opVFMADD231PS
	opVADDPS
	opVMAXPS
	opVMINPS
	opVMULPS
	opVXORPS
	opVPXORD
	opVZEROUPPER
	opKMOVW
	opPREFETCHT0
)

var opNames = map[string]Op{
	"MOVQ": opMOVQ, "LEAQ": opLEAQ, "ADDQ": opADDQ, "XORQ": opXORQ, "ANDQ": opANDQ,
	"SHRQ": opSHRQ, "DECQ": opDECQ, "CMPQ": opCMPQ, "TESTQ": opTESTQ,
	"JZ": opJZ, "JEQ": opJZ, "JNZ": opJNZ, "JNE": opJNZ, "JMP": opJMP, "RET": opRET,
	"VMOVUPS": opVMOVUPS, "VMASKMOVPS": opVMASKMOVPS, "VBROADCASTSS": opVBROADCASTSS,
	"VFMADD231PS": opVFMADD231PS, "VADDPS": opVADDPS, "VMAXPS": opVMAXPS, "VMINPS": opVMINPS,
	"VMULPS": opVMULPS,
	"VXORPS": opVXORPS, "VPXORD": opVPXORD, "VZEROUPPER": opVZEROUPPER, "KMOVW": opKMOVW,
	"PREFETCHT0": opPREFETCHT0,
}

// Form is the decoded operand pattern of an instruction, chosen at parse time.
type Form uint8

const (
	fNone    Form = iota
	fRR           // reg, reg (GP)
	fIR           // imm, reg
	fMR           // mem, reg (GP)
	fRM           // reg, mem
	fFR           // fp, reg
	fRF           // reg, fp
	fMI           // mem, imm (CMPQ)
	fRI           // reg, imm (CMPQ)
	fR            // reg
	fL            // label
	fVLoad        // mem, vec
	fVStore       // vec, mem
	fVCopy        // vec, vec
	fKLoad        // mem, k, vec (masked load)
	fKStore       // vec, k, mem (masked store)
	fVMLoad       // mem, vmask, vec (VMASKMOVPS load)
	fVMStore      // vec, vmask, mem (VMASKMOVPS store)
	fV3           // vec|mem, vec, vec (src2, src1, dst in Go order)
	fKFromR       // gp, k
	fKFromM       // mem, k
	fNoArgs       // RET, VZEROUPPER
	fM            // mem (PREFETCHT0)
)

// Inst is one decoded instruction.
type Inst struct {
	Op      Op
	Form    Form
	Mnem    string // as written, with suffix
	Zeroing bool   // .Z
	Args    []Operand
	Lanes   int // vector width of the instruction (0 if none)
	Target  int // jump target (instruction index)
	File    string
	Line    int
	Text    string
	Feats   []string // ISA extensions this instruction needs
	feats   uint32   // Feats as a bit set (featureBits)
}

// featureBits numbers the ISA extensions an instruction may need, for the
// bit sets in Inst.feats (a fixed, read-only table).
var featureBits = map[string]uint32{
	"AVX": 1 << 0, "AVX2": 1 << 1, "FMA3": 1 << 2, "AVX512F": 1 << 3,
	"AVX512VL": 1 << 4, "AVX512DQ": 1 << 5, "MMX+": 1 << 6,
}

// Pos returns "file:line".
func (in *Inst) Pos() string { return fmt.Sprintf("%s:%d", filepath.Base(in.File), in.Line) }

var gpNames = map[string]int{
	"AX": 0, "CX": 1, "DX": 2, "BX": 3, "SP": 4, "BP": 5, "SI": 6, "DI": 7,
	"R8": 8, "R9": 9, "R10": 10, "R11": 11, "R12": 12, "R13": 13, "R14": 14, "R15": 15,
}

// GPName returns the Go assembler name of GP register r.
func GPName(r int) string {
	for n, i := range gpNames {
		if i == r {
			return n
		}
	}
	return fmt.Sprintf("GP%d", r)
}

// reservedGP are registers the kernels must never touch (stack and frame
// pointer; R14 is g and R15 the GOT base in ABIInternal and dynlink code).
var reservedGP = map[int]bool{4: true, 5: true, 14: true, 15: true}

var (
	reText  = regexp.MustCompile(`^TEXT\s+·(\w+)\(SB\)\s*,\s*([A-Z|$0-9]+)\s*,\s*\$(\d+)-(\d+)$`)
	reFP    = regexp.MustCompile(`^(\w+)\+(\d+)\(FP\)$`)
	reMem   = regexp.MustCompile(`^(-?(?:0x[0-9a-fA-F]+|\d+))?\((\w+)\)(?:\((\w+)\*(\d)\))?$`)
	reVec   = regexp.MustCompile(`^([XYZ])(\d+)$`)
	reK     = regexp.MustCompile(`^K([0-7])$`)
	reLabel = regexp.MustCompile(`^(\w+):$`)
	reReq   = regexp.MustCompile(`^// Requires: (.*)$`)
	reFunc  = regexp.MustCompile(`^// func (\w+\(.*\).*)$`)
)

// ParseFiles parses the given assembly files into one Program.
func ParseFiles(paths ...string) (*Program, error) {
	p := &Program{Funcs: map[string]*Func{}}
	var errs []error
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(src)
		p.Files = append(p.Files, FileInfo{Path: path, SHA256: hex.EncodeToString(sum[:])})
		if err := p.parse(path, src); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return p, nil
}

// ParseSource parses one file's contents (name is used in messages).
func ParseSource(name string, src []byte) (*Program, error) {
	p := &Program{Funcs: map[string]*Func{}}
	sum := sha256.Sum256(src)
	p.Files = append(p.Files, FileInfo{Path: name, SHA256: hex.EncodeToString(sum[:])})
	if err := p.parse(name, src); err != nil {
		return nil, err
	}
	return p, nil
}

// Func returns the named function or panics.
func (p *Program) Func(name string) *Func {
	f := p.Funcs[name]
	if f == nil {
		panic("asmsim: no function " + name)
	}
	return f
}

// Names returns the function names, sorted.
func (p *Program) Names() []string {
	var out []string
	for n := range p.Funcs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func (p *Program) parse(path string, src []byte) error {
	var errs []error
	fail := func(line int, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s:%d: %s", filepath.Base(path), line, fmt.Sprintf(format, args...)))
	}
	var (
		cur      *Func
		sig      string
		sigLine  int
		requires string
	)
	finish := func() {
		if cur == nil {
			return
		}
		for _, in := range cur.Insts {
			if in.Op == opJZ || in.Op == opJNZ || in.Op == opJMP {
				t, ok := cur.Labels[in.Args[0].Name]
				if !ok {
					fail(in.Line, "jump to unknown label %s", in.Args[0].Name)
				}
				in.Target = t
			}
		}
		if n := len(cur.Insts); n == 0 || (cur.Insts[n-1].Op != opRET && cur.Insts[n-1].Op != opJMP) {
			fail(cur.Line, "%s does not end in RET or JMP", cur.Name)
		}
		cur.Count = make([]int64, len(cur.Insts))
		cur = nil
	}
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for ln := 1; sc.Scan(); ln++ {
		raw := sc.Text()
		line := strings.TrimSpace(raw)
		switch {
		case line == "":
			continue
		case strings.HasPrefix(line, "//"):
			if m := reFunc.FindStringSubmatch(line); m != nil {
				sig, sigLine = m[1], ln
			} else if m := reReq.FindStringSubmatch(line); m != nil {
				requires = m[1]
			}
			continue
		case strings.HasPrefix(line, "#include"):
			if line != `#include "textflag.h"` {
				fail(ln, "unsupported include %s", line)
			}
			continue
		case strings.HasPrefix(line, "#"):
			fail(ln, "unsupported preprocessor directive %q", line)
			continue
		}
		if i := strings.Index(line, "//"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if strings.HasPrefix(line, "TEXT") {
			finish()
			m := reText.FindStringSubmatch(line)
			if m == nil {
				fail(ln, "unsupported TEXT line %q", line)
				continue
			}
			if m[2] != "NOSPLIT" {
				fail(ln, "unsupported TEXT flags %s", m[2])
			}
			frame, _ := strconv.Atoi(m[3])
			args, _ := strconv.Atoi(m[4])
			if frame != 0 {
				fail(ln, "%s: frame size %d: the simulator has no stack", m[1], frame)
			}
			if _, dup := p.Funcs[m[1]]; dup {
				fail(ln, "duplicate function %s", m[1])
			}
			cur = &Func{Name: m[1], File: path, Line: ln, FrameSize: frame, ArgSize: args,
				Labels: map[string]int{}, Requires: map[string]bool{}}
			p.Funcs[m[1]] = cur
			if sig == "" || sigLine != ln-1 && sigLine != ln-2 {
				fail(ln, "%s: no \"// func\" signature comment just above TEXT", m[1])
			} else if params, size, err := parseSignature(sig); err != nil {
				fail(sigLine, "%s: %v", m[1], err)
			} else {
				cur.Params = params
				if size != args {
					fail(ln, "%s: argument size %d, signature says %d", m[1], args, size)
				}
				if !strings.HasPrefix(sig, m[1]+"(") {
					fail(sigLine, "signature comment names %s, TEXT is %s", sig, m[1])
				}
			}
			for _, r := range strings.Split(requires, ",") {
				if r = strings.TrimSpace(r); r != "" {
					cur.Requires[r] = true
				}
			}
			sig, requires = "", ""
			continue
		}
		if m := reLabel.FindStringSubmatch(line); m != nil {
			if cur == nil {
				fail(ln, "label outside a function")
				continue
			}
			if _, dup := cur.Labels[m[1]]; dup {
				fail(ln, "duplicate label %s", m[1])
			}
			cur.Labels[m[1]] = len(cur.Insts)
			continue
		}
		if cur == nil {
			fail(ln, "unsupported line outside a function: %q", line)
			continue
		}
		in, err := decode(cur, path, ln, line)
		if err != nil {
			fail(ln, "%v: %q", err, line)
			continue
		}
		cur.Insts = append(cur.Insts, in)
	}
	finish()
	if err := sc.Err(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// parseSignature parses "name(a *T, b int) (r uint64)" into word-sized
// parameters at 8-byte offsets (results after the arguments). Only
// word-sized types are accepted.
func parseSignature(sig string) ([]Param, int, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p\nfunc "+sig, 0)
	if err != nil {
		return nil, 0, fmt.Errorf("signature %q: %v", sig, err)
	}
	fd, ok := f.Decls[0].(*ast.FuncDecl)
	if !ok {
		return nil, 0, fmt.Errorf("signature %q: not a function", sig)
	}
	var out []Param
	off := 0
	add := func(fl *ast.FieldList, result bool) error {
		if fl == nil {
			return nil
		}
		for _, fld := range fl.List {
			switch t := fld.Type.(type) {
			case *ast.StarExpr:
			case *ast.Ident:
				switch t.Name {
				case "int", "uint", "int64", "uint64", "uintptr":
				default:
					return fmt.Errorf("parameter type %s is not word-sized", t.Name)
				}
			default:
				return fmt.Errorf("unsupported parameter type in %q", sig)
			}
			names := fld.Names
			if len(names) == 0 {
				return fmt.Errorf("unnamed parameter in %q", sig)
			}
			for _, n := range names {
				out = append(out, Param{Name: n.Name, Off: off, Result: result})
				off += 8
			}
		}
		return nil
	}
	if err := add(fd.Type.Params, false); err != nil {
		return nil, 0, err
	}
	if err := add(fd.Type.Results, true); err != nil {
		return nil, 0, err
	}
	return out, off, nil
}

// splitOperands splits at top-level commas.
func splitOperands(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, c := range s {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	if t := strings.TrimSpace(s[start:]); t != "" {
		out = append(out, t)
	}
	return out
}

func parseOperand(s string, jump bool) (Operand, error) {
	o := Operand{Text: s, Index: -1, Base: -1}
	if jump {
		if regexp.MustCompile(`^\w+$`).MatchString(s) {
			o.Kind, o.Name = KLabel, s
			return o, nil
		}
		return o, fmt.Errorf("bad jump target %q", s)
	}
	if strings.HasPrefix(s, "$") {
		v, err := strconv.ParseInt(s[1:], 0, 64)
		if err != nil {
			return o, fmt.Errorf("unsupported immediate %q", s)
		}
		o.Kind, o.Imm = KImm, v
		return o, nil
	}
	if r, ok := gpNames[s]; ok {
		o.Kind, o.Reg = KGP, r
		return o, nil
	}
	if m := reVec.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[2])
		if n > 31 {
			return o, fmt.Errorf("bad vector register %s", s)
		}
		o.Kind, o.Reg = KVec, n
		o.Lanes = map[string]int{"X": 4, "Y": 8, "Z": 16}[m[1]]
		return o, nil
	}
	if m := reK.FindStringSubmatch(s); m != nil {
		o.Kind = KMask
		o.Reg, _ = strconv.Atoi(m[1])
		return o, nil
	}
	if m := reFP.FindStringSubmatch(s); m != nil {
		o.Kind, o.Name = KFP, m[1]
		o.Off, _ = strconv.Atoi(m[2])
		return o, nil
	}
	if m := reMem.FindStringSubmatch(s); m != nil {
		o.Kind = KMem
		if m[1] != "" {
			d, err := strconv.ParseInt(m[1], 0, 64)
			if err != nil {
				return o, fmt.Errorf("bad displacement in %q", s)
			}
			o.Disp = d
		}
		b, ok := gpNames[m[2]]
		if !ok {
			return o, fmt.Errorf("unsupported base register in %q", s)
		}
		o.Base = b
		if m[3] != "" {
			x, ok := gpNames[m[3]]
			if !ok || x == 4 {
				return o, fmt.Errorf("unsupported index register in %q", s)
			}
			o.Index = x
			o.Scale, _ = strconv.Atoi(m[4])
			if o.Scale != 1 && o.Scale != 2 && o.Scale != 4 && o.Scale != 8 {
				return o, fmt.Errorf("bad scale in %q", s)
			}
		}
		return o, nil
	}
	return o, fmt.Errorf("unsupported operand %q", s)
}

// pattern reports whether the operand kinds are exactly ks.
func pattern(args []Operand, ks ...OpKind) bool {
	if len(args) != len(ks) {
		return false
	}
	for i, k := range ks {
		if args[i].Kind != k {
			return false
		}
	}
	return true
}

func decode(f *Func, path string, ln int, line string) (*Inst, error) {
	mnem, rest, _ := strings.Cut(line, " ")
	rest = strings.TrimSpace(rest)
	base, suffix, hasSuffix := strings.Cut(mnem, ".")
	op, ok := opNames[base]
	if !ok {
		return nil, fmt.Errorf("unsupported instruction %s", mnem)
	}
	in := &Inst{Op: op, Mnem: mnem, File: path, Line: ln, Text: line}
	if hasSuffix {
		if suffix != "Z" || op != opVMOVUPS {
			return nil, fmt.Errorf("unsupported suffix .%s on %s", suffix, base)
		}
		in.Zeroing = true
	}
	jump := op == opJZ || op == opJNZ || op == opJMP
	for _, s := range splitOperands(rest) {
		o, err := parseOperand(s, jump)
		if err != nil {
			return nil, err
		}
		in.Args = append(in.Args, o)
	}
	a := in.Args
	// Static checks on every operand: reserved registers, FP names.
	for _, o := range a {
		regs := []int{}
		switch o.Kind {
		case KGP:
			regs = append(regs, o.Reg)
		case KMem:
			regs = append(regs, o.Base)
			if o.Index >= 0 {
				regs = append(regs, o.Index)
			}
		case KFP:
			var found *Param
			for i := range f.Params {
				if f.Params[i].Name == o.Name {
					found = &f.Params[i]
				}
			}
			if found == nil {
				return nil, fmt.Errorf("%s: unknown parameter %s", f.Name, o.Name)
			}
			if found.Off != o.Off {
				return nil, fmt.Errorf("%s: %s is at %d(FP), not %d", f.Name, o.Name, found.Off, o.Off)
			}
		}
		for _, r := range regs {
			if reservedGP[r] {
				return nil, fmt.Errorf("uses reserved register %s", GPName(r))
			}
		}
	}
	vecLanes := func(idx ...int) (int, error) {
		l := 0
		for _, i := range idx {
			if a[i].Kind != KVec {
				continue
			}
			if l != 0 && a[i].Lanes != l {
				return 0, fmt.Errorf("mixed vector widths")
			}
			l = a[i].Lanes
		}
		return l, nil
	}
	var err error
	switch op {
	case opMOVQ:
		switch {
		case pattern(a, KGP, KGP):
			in.Form = fRR
		case pattern(a, KImm, KGP):
			in.Form = fIR
		case pattern(a, KMem, KGP):
			in.Form = fMR
		case pattern(a, KGP, KMem):
			in.Form = fRM
		case pattern(a, KFP, KGP):
			in.Form = fFR
		case pattern(a, KGP, KFP):
			in.Form = fRF
		}
	case opLEAQ:
		if pattern(a, KMem, KGP) {
			in.Form = fMR
		}
	case opADDQ, opXORQ, opANDQ:
		switch {
		case pattern(a, KGP, KGP):
			in.Form = fRR
		case pattern(a, KImm, KGP):
			in.Form = fIR
		}
	case opSHRQ:
		if pattern(a, KImm, KGP) {
			in.Form = fIR
		}
	case opDECQ:
		if pattern(a, KGP) {
			in.Form = fR
		}
	case opCMPQ:
		switch {
		case pattern(a, KMem, KImm):
			in.Form = fMI
		case pattern(a, KGP, KImm):
			in.Form = fRI
		case pattern(a, KGP, KGP):
			in.Form = fRR
		}
	case opTESTQ:
		switch {
		case pattern(a, KGP, KGP):
			in.Form = fRR
		case pattern(a, KImm, KGP):
			in.Form = fIR
		}
	case opJZ, opJNZ, opJMP:
		if pattern(a, KLabel) {
			in.Form = fL
		}
	case opRET, opVZEROUPPER:
		if len(a) == 0 {
			in.Form = fNoArgs
		}
	case opVMOVUPS:
		switch {
		case pattern(a, KMem, KVec) && !in.Zeroing:
			in.Form = fVLoad
		case pattern(a, KVec, KMem) && !in.Zeroing:
			in.Form = fVStore
		case pattern(a, KVec, KVec) && !in.Zeroing:
			in.Form = fVCopy
		case pattern(a, KMem, KMask, KVec):
			in.Form = fKLoad
		case pattern(a, KVec, KMask, KMem) && !in.Zeroing:
			in.Form = fKStore
		}
	case opVMASKMOVPS:
		switch {
		case pattern(a, KMem, KVec, KVec):
			in.Form = fVMLoad
		case pattern(a, KVec, KVec, KMem):
			in.Form = fVMStore
		}
	case opVBROADCASTSS:
		if pattern(a, KMem, KVec) {
			in.Form = fVLoad
		}
	case opVFMADD231PS, opVADDPS, opVMAXPS, opVMINPS, opVMULPS, opVXORPS, opVPXORD:
		if (pattern(a, KVec, KVec, KVec) || pattern(a, KMem, KVec, KVec)) && !in.Zeroing {
			in.Form = fV3
		}
	case opPREFETCHT0:
		if pattern(a, KMem) {
			in.Form = fM
		}
	case opKMOVW:
		switch {
		case pattern(a, KGP, KMask):
			in.Form = fKFromR
		case pattern(a, KMem, KMask):
			in.Form = fKFromM
		}
	}
	if in.Form == fNone {
		kinds := make([]string, len(a))
		for i, o := range a {
			kinds[i] = o.Kind.String()
		}
		return nil, fmt.Errorf("unsupported operand form %s %s", mnem, strings.Join(kinds, ", "))
	}
	// Immediate ranges: 64-bit ALU immediates are sign-extended imm32.
	for _, o := range a {
		if o.Kind == KImm {
			switch op {
			case opSHRQ:
				if o.Imm < 0 || o.Imm > 255 {
					return nil, fmt.Errorf("shift count %d out of range", o.Imm)
				}
			default:
				if o.Imm != int64(int32(o.Imm)) && op != opMOVQ {
					return nil, fmt.Errorf("immediate %d does not fit a sign-extended imm32", o.Imm)
				}
			}
		}
	}
	// Vector width and ISA extensions.
	var idx []int
	for i := range a {
		idx = append(idx, i)
	}
	if in.Lanes, err = vecLanes(idx...); err != nil {
		return nil, err
	}
	if in.Op == opVMASKMOVPS && in.Lanes == 16 {
		return nil, fmt.Errorf("VMASKMOVPS has no zmm form")
	}
	if (in.Op == opVBROADCASTSS || in.Op == opVMOVUPS || in.Op >= opVFMADD231PS && in.Op <= opVPXORD || in.Op == opVMASKMOVPS) && in.Lanes == 0 {
		return nil, fmt.Errorf("vector instruction without a vector register")
	}
	in.Feats = features(in)
	for _, ft := range in.Feats {
		bit, ok := featureBits[ft]
		if !ok {
			return nil, fmt.Errorf("unknown ISA extension %s", ft)
		}
		in.feats |= bit
		if !f.Requires[ft] {
			return nil, fmt.Errorf("needs %s, not in %s's Requires line", ft, f.Name)
		}
	}
	for _, o := range a {
		if o.Kind == KMask && o.Reg == 0 && (in.Form == fKLoad || in.Form == fKStore) {
			return nil, fmt.Errorf("K0 as a write mask means no masking; the generators never intend that")
		}
	}
	return in, nil
}

// features lists the ISA extensions an instruction needs (the CPUID bits:
// EVEX encodings need AVX512F, and AVX512VL for X/Y registers).
func features(in *Inst) []string {
	evex := in.Lanes == 16 || in.Form == fKLoad || in.Form == fKStore || in.Op == opVPXORD
	for _, o := range in.Args {
		if o.Kind == KVec && o.Reg >= 16 {
			evex = true
		}
	}
	switch in.Op {
	case opPREFETCHT0:
		return []string{"MMX+"} // avo's name for the SSE subset AMD calls MMX extensions
	case opKMOVW:
		return []string{"AVX512F"}
	case opVZEROUPPER, opVMASKMOVPS:
		return []string{"AVX"}
	case opVXORPS:
		if evex {
			return evexFeats(in, "AVX512DQ")
		}
		return []string{"AVX"}
	case opVFMADD231PS:
		if evex {
			return evexFeats(in, "AVX512F")
		}
		return []string{"FMA3"}
	case opVMOVUPS, opVBROADCASTSS, opVADDPS, opVMAXPS, opVMINPS, opVMULPS, opVPXORD:
		if evex {
			return evexFeats(in, "AVX512F")
		}
		return []string{"AVX"}
	}
	return nil
}

func evexFeats(in *Inst, f string) []string {
	out := []string{f}
	if f != "AVX512F" {
		out = append(out, "AVX512F")
	}
	if in.Lanes != 16 {
		out = append(out, "AVX512VL")
	}
	return out
}
