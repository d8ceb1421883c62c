package asmsim

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"strings"
)

// Vec is a vector register: 16 lanes of raw 32-bit values and a defined bit
// per lane.
type Vec struct {
	Lane [16]uint32
	Def  uint16
}

// Flags of the arithmetic instructions; only those the conditional jumps
// read (ZF) matter to the kernels, the others are kept for the probes.
const (
	flagZF = 1 << iota
	flagSF
	flagCF
	flagOF
)

// Machine is the simulated CPU. The zero value is not usable; use New.
type Machine struct {
	Mem *Memory
	// Features lists the ISA extensions the simulated CPU has; executing an
	// instruction needing another is an error (an AVX2 machine: AVX, AVX2,
	// FMA3). Nil means all.
	Features map[string]bool
	// MaxSteps bounds the instructions of one Call (0: 1e9).
	MaxSteps int64
	// Steps counts the instructions executed over all calls.
	Steps int64
	// Prefetch, if set, is called with the address of every PREFETCHT0
	// (which otherwise has no effect: it reads nothing and cannot fault);
	// an error it returns stops the call.
	Prefetch func(addr uint64) error
	// Prefetches counts the PREFETCHT0 instructions executed.
	Prefetches int64

	gp    [16]uint64
	gpDef uint16
	v     [32]Vec
	k     [8]uint64
	kDef  uint8
	flags uint8
	fDef  uint8
	frame []byte
	feats uint32 // Features as a bit set
}

// Features of the machines the kernels target (what cpu_amd64.go checks).
var (
	FeaturesAVX2   = map[string]bool{"AVX": true, "AVX2": true, "FMA3": true, "MMX+": true}
	FeaturesAVX512 = map[string]bool{"AVX": true, "AVX2": true, "FMA3": true, "MMX+": true, "AVX512F": true, "AVX512VL": true}
)

// New returns a machine over mem with the given features.
func New(mem *Memory, features map[string]bool) *Machine {
	return &Machine{Mem: mem, Features: features}
}

// ExecError is a failure while executing an instruction.
type ExecError struct {
	Func string
	Inst *Inst
	Err  error
	Regs string // register dump
}

func (e *ExecError) Error() string {
	return fmt.Sprintf("%s: %s: %s: %v\n%s", e.Inst.Pos(), e.Func, e.Inst.Text, e.Err, e.Regs)
}

func (e *ExecError) Unwrap() error { return e.Err }

// Call runs f with the given argument words (pointers as addresses) and
// returns the words of the whole argument frame afterwards (results
// included). Registers start undefined.
func (m *Machine) Call(f *Func, args ...uint64) ([]uint64, error) {
	nargs := 0
	for _, p := range f.Params {
		if !p.Result {
			nargs++
		}
	}
	if len(args) != nargs {
		return nil, fmt.Errorf("%s: %d arguments, want %d", f.Name, len(args), nargs)
	}
	m.frame = make([]byte, f.ArgSize)
	for i, a := range args {
		binary.LittleEndian.PutUint64(m.frame[8*i:], a)
	}
	m.feats = ^uint32(0)
	if m.Features != nil {
		m.feats = 0
		for f, ok := range m.Features {
			if ok {
				if b, known := featureBits[f]; known {
					m.feats |= b
				}
			}
		}
	}
	m.gpDef, m.kDef, m.fDef = 0, 0, 0
	for i := range m.v {
		m.v[i].Def = 0
	}
	max := m.MaxSteps
	if max == 0 {
		max = 1e9
	}
	var steps int64
	pc := 0
	for {
		if pc >= len(f.Insts) {
			return nil, fmt.Errorf("%s: ran off the end", f.Name)
		}
		in := f.Insts[pc]
		f.Count[pc]++
		steps++
		if steps > max {
			return nil, &ExecError{f.Name, in, fmt.Errorf("more than %d instructions: endless loop?", max), m.dump()}
		}
		next, done, err := m.exec(in, pc)
		if err != nil {
			m.Steps += steps
			return nil, &ExecError{f.Name, in, err, m.dump()}
		}
		if done {
			break
		}
		pc = next
	}
	m.Steps += steps
	out := make([]uint64, f.ArgSize/8)
	for i := range out {
		out[i] = binary.LittleEndian.Uint64(m.frame[8*i:])
	}
	return out, nil
}

func (m *Machine) dump() string {
	var b strings.Builder
	for r := 0; r < 16; r++ {
		if m.gpDef&(1<<r) != 0 {
			fmt.Fprintf(&b, " %s=%#x", GPName(r), m.gp[r])
		}
	}
	return "\tregisters:" + b.String()
}

// GP returns general-purpose register r (for tests).
func (m *Machine) GP(r int) (uint64, bool) { return m.gp[r], m.gpDef&(1<<r) != 0 }

// V returns vector register r (for tests).
func (m *Machine) V(r int) Vec { return m.v[r] }

func (m *Machine) getGP(r int) (uint64, error) {
	if m.gpDef&(1<<r) == 0 {
		return 0, fmt.Errorf("reads %s, which is undefined", GPName(r))
	}
	return m.gp[r], nil
}

func (m *Machine) setGP(r int, v uint64) {
	m.gp[r] = v
	m.gpDef |= 1 << r
}

func (m *Machine) addr(o *Operand) (uint64, error) {
	b, err := m.getGP(o.Base)
	if err != nil {
		return 0, err
	}
	a := b + uint64(o.Disp)
	if o.Index >= 0 {
		x, err := m.getGP(o.Index)
		if err != nil {
			return 0, err
		}
		a += x * uint64(o.Scale)
	}
	return a, nil
}

func (m *Machine) fpWord(o *Operand) (int, error) {
	if o.Off+8 > len(m.frame) || o.Off%8 != 0 {
		return 0, fmt.Errorf("argument %s at %d outside the %d-byte frame", o.Name, o.Off, len(m.frame))
	}
	return o.Off, nil
}

// readVec returns the first n lanes of vector register r, all of which must
// be defined.
func (m *Machine) readVec(r, n int) (*[16]uint32, error) {
	want := uint16(1<<n - 1)
	if m.v[r].Def&want != want {
		return nil, fmt.Errorf("reads lanes of %s that are undefined (defined mask %#04x)", vecName(r, n), m.v[r].Def)
	}
	return &m.v[r].Lane, nil
}

// writeVec writes n lanes of r and zeroes the lanes above (bits n*32..511),
// as every VEX- and EVEX-encoded write does.
func (m *Machine) writeVec(r, n int, lanes *[16]uint32) {
	v := &m.v[r]
	copy(v.Lane[:n], lanes[:n])
	for i := n; i < 16; i++ {
		v.Lane[i] = 0
	}
	v.Def = 0xffff
}

func vecName(r, n int) string {
	return fmt.Sprintf("%c%d", map[int]byte{4: 'X', 8: 'Y', 16: 'Z'}[n], r)
}

func (m *Machine) setFlags(f, def uint8) {
	m.flags = f
	m.fDef = def
}

func zs(r uint64) uint8 {
	var f uint8
	if r == 0 {
		f |= flagZF
	}
	if int64(r) < 0 {
		f |= flagSF
	}
	return f
}

const allFlags = flagZF | flagSF | flagCF | flagOF

// exec runs one instruction and returns the next pc.
func (m *Machine) exec(in *Inst, pc int) (next int, done bool, err error) {
	if in.feats&^m.feats != 0 {
		for _, f := range in.Feats {
			if !m.Features[f] {
				return 0, false, fmt.Errorf("needs %s, which the simulated CPU lacks", f)
			}
		}
	}
	a := in.Args
	next = pc + 1
	// src returns the value of a GP or immediate source operand.
	src := func(o *Operand) (uint64, error) {
		if o.Kind == KImm {
			return uint64(o.Imm), nil
		}
		return m.getGP(o.Reg)
	}
	switch in.Op {
	case opMOVQ:
		switch in.Form {
		case fRR, fIR:
			v, err := src(&a[0])
			if err != nil {
				return 0, false, err
			}
			m.setGP(a[1].Reg, v)
		case fMR:
			ad, err := m.addr(&a[0])
			if err != nil {
				return 0, false, err
			}
			v, err := m.Mem.load64(ad)
			if err != nil {
				return 0, false, err
			}
			m.setGP(a[1].Reg, v)
		case fRM:
			v, err := m.getGP(a[0].Reg)
			if err != nil {
				return 0, false, err
			}
			ad, err := m.addr(&a[1])
			if err != nil {
				return 0, false, err
			}
			if err := m.Mem.store64(ad, v); err != nil {
				return 0, false, err
			}
		case fFR:
			off, err := m.fpWord(&a[0])
			if err != nil {
				return 0, false, err
			}
			m.setGP(a[1].Reg, binary.LittleEndian.Uint64(m.frame[off:]))
		case fRF:
			v, err := m.getGP(a[0].Reg)
			if err != nil {
				return 0, false, err
			}
			off, err := m.fpWord(&a[1])
			if err != nil {
				return 0, false, err
			}
			binary.LittleEndian.PutUint64(m.frame[off:], v)
		}
	case opLEAQ:
		ad, err := m.addr(&a[0])
		if err != nil {
			return 0, false, err
		}
		m.setGP(a[1].Reg, ad)
	case opADDQ:
		x, err := src(&a[0])
		if err != nil {
			return 0, false, err
		}
		y, err := m.getGP(a[1].Reg)
		if err != nil {
			return 0, false, err
		}
		r, carry := bits.Add64(y, x, 0)
		f := zs(r)
		if carry != 0 {
			f |= flagCF
		}
		if (int64(x) < 0) == (int64(y) < 0) && (int64(r) < 0) != (int64(y) < 0) {
			f |= flagOF
		}
		m.setGP(a[1].Reg, r)
		m.setFlags(f, allFlags)
	case opXORQ, opANDQ:
		var x, y uint64
		if in.Op == opXORQ && in.Form == fRR && a[0].Reg == a[1].Reg {
			x, y = 0, 0 // zeroing idiom: no dependency on the old value
		} else {
			if x, err = src(&a[0]); err != nil {
				return 0, false, err
			}
			if y, err = m.getGP(a[1].Reg); err != nil {
				return 0, false, err
			}
		}
		r := x ^ y
		if in.Op == opANDQ {
			r = x & y
		}
		m.setGP(a[1].Reg, r)
		m.setFlags(zs(r), allFlags)
	case opSHRQ:
		n := uint(a[0].Imm) & 63
		y, err := m.getGP(a[1].Reg)
		if err != nil {
			return 0, false, err
		}
		if n == 0 {
			break // flags unaffected
		}
		r := y >> n
		f := zs(r)
		if y>>(n-1)&1 != 0 {
			f |= flagCF
		}
		def := uint8(flagZF | flagSF | flagCF)
		if n == 1 {
			def |= flagOF
			if int64(y) < 0 {
				f |= flagOF
			}
		}
		m.setGP(a[1].Reg, r)
		m.setFlags(f, def)
	case opDECQ:
		y, err := m.getGP(a[0].Reg)
		if err != nil {
			return 0, false, err
		}
		r := y - 1
		f := zs(r) | m.flags&flagCF // CF unaffected
		if y == 1<<63 {
			f |= flagOF
		}
		m.setGP(a[0].Reg, r)
		m.setFlags(f, flagZF|flagSF|flagOF|m.fDef&flagCF)
	case opCMPQ:
		// Go keeps Intel order for CMP: flags of a[0] - a[1].
		var x, y uint64
		switch in.Form {
		case fMI:
			ad, err := m.addr(&a[0])
			if err != nil {
				return 0, false, err
			}
			if x, err = m.Mem.load64(ad); err != nil {
				return 0, false, err
			}
			y = uint64(a[1].Imm)
		case fRI:
			if x, err = m.getGP(a[0].Reg); err != nil {
				return 0, false, err
			}
			y = uint64(a[1].Imm)
		case fRR:
			if x, err = m.getGP(a[0].Reg); err != nil {
				return 0, false, err
			}
			if y, err = m.getGP(a[1].Reg); err != nil {
				return 0, false, err
			}
		}
		r, borrow := bits.Sub64(x, y, 0)
		f := zs(r)
		if borrow != 0 {
			f |= flagCF
		}
		if (int64(x) < 0) != (int64(y) < 0) && (int64(r) < 0) != (int64(x) < 0) {
			f |= flagOF
		}
		m.setFlags(f, allFlags)
	case opTESTQ:
		x, err := src(&a[0])
		if err != nil {
			return 0, false, err
		}
		y, err := m.getGP(a[1].Reg)
		if err != nil {
			return 0, false, err
		}
		m.setFlags(zs(x&y), allFlags)
	case opJZ, opJNZ:
		if m.fDef&flagZF == 0 {
			return 0, false, fmt.Errorf("jumps on ZF, which is undefined here")
		}
		if (m.flags&flagZF != 0) == (in.Op == opJZ) {
			next = in.Target
		}
	case opJMP:
		next = in.Target
	case opRET:
		return 0, true, nil
	case opKMOVW:
		var v uint64
		if in.Form == fKFromR {
			if v, err = m.getGP(a[0].Reg); err != nil {
				return 0, false, err
			}
		} else {
			ad, err := m.addr(&a[0])
			if err != nil {
				return 0, false, err
			}
			var b [2]byte
			if err := m.Mem.load(ad, b[:]); err != nil {
				return 0, false, err
			}
			v = uint64(binary.LittleEndian.Uint16(b[:]))
		}
		m.k[a[1].Reg] = v & 0xffff // KMOVW zero-extends into the 64-bit opmask
		m.kDef |= 1 << a[1].Reg
	case opPREFETCHT0:
		// The address must be computable (defined registers); nothing is
		// read, so an address outside every region is fine, as on the
		// hardware.
		ad, err := m.addr(&a[0])
		if err != nil {
			return 0, false, err
		}
		m.Prefetches++
		if m.Prefetch != nil {
			if err := m.Prefetch(ad); err != nil {
				return 0, false, err
			}
		}
	case opVZEROUPPER:
		for r := 0; r < 16; r++ {
			for i := 4; i < 16; i++ {
				m.v[r].Lane[i] = 0
			}
			m.v[r].Def |= 0xfff0
		}
	default:
		return next, false, m.execVec(in)
	}
	return next, false, nil
}

// lanes of a mask register, which must be defined.
func (m *Machine) kmask(r, n int) (uint32, error) {
	if m.kDef&(1<<r) == 0 {
		return 0, fmt.Errorf("reads K%d, which is undefined", r)
	}
	return uint32(m.k[r]) & (1<<n - 1), nil
}

// loadLanes loads the lanes in active (bit i: lane i) from addr, lane by
// lane when not all are active (masked-off lanes are not accessed).
func (m *Machine) loadLanes(addr uint64, n int, active uint32, out *[16]uint32) error {
	if active == 1<<n-1 {
		var buf [64]byte
		if err := m.Mem.load(addr, buf[:4*n]); err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			out[i] = binary.LittleEndian.Uint32(buf[4*i:])
		}
		return nil
	}
	if err := m.span(addr, active, false); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		if active&(1<<i) == 0 {
			continue
		}
		v, err := m.Mem.load32(addr + 4*uint64(i))
		if err != nil {
			return fmt.Errorf("lane %d: %w", i, err)
		}
		out[i] = v
	}
	return nil
}

func (m *Machine) storeLanes(addr uint64, n int, active uint32, in *[16]uint32) error {
	if active == 1<<n-1 {
		var buf [64]byte
		for i := 0; i < n; i++ {
			binary.LittleEndian.PutUint32(buf[4*i:], in[i])
		}
		return m.Mem.store(addr, buf[:4*n])
	}
	if err := m.span(addr, active, true); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		if active&(1<<i) == 0 {
			continue
		}
		if err := m.Mem.store32(addr+4*uint64(i), in[i]); err != nil {
			return fmt.Errorf("lane %d: %w", i, err)
		}
	}
	return nil
}

// span checks that the active lanes of a masked access, from the first to
// the last, lie in one region: a masked access is one contiguous range, and
// its active part straddling two mapped objects (adjacent allocations
// mapped at their real addresses) is as much an overrun as one reaching
// unmapped memory.
func (m *Machine) span(addr uint64, active uint32, store bool) error {
	if active == 0 {
		return nil
	}
	lo := bits.TrailingZeros32(active)
	hi := 31 - bits.LeadingZeros32(active)
	_, err := m.Mem.find(addr+4*uint64(lo), 4*(hi-lo+1), store)
	if err != nil {
		return fmt.Errorf("active lanes %d-%d: %w", lo, hi, err)
	}
	return nil
}

// vmask returns the active lanes of a VMASKMOVPS mask register (sign bits).
func (m *Machine) vmask(r, n int) (uint32, error) {
	l, err := m.readVec(r, n)
	if err != nil {
		return 0, err
	}
	var act uint32
	for i := 0; i < n; i++ {
		if l[i]>>31 != 0 {
			act |= 1 << i
		}
	}
	return act, nil
}

func (m *Machine) execVec(in *Inst) error {
	a := in.Args
	n := in.Lanes
	all := uint32(1<<n - 1)
	var res [16]uint32
	switch in.Op {
	case opVMOVUPS:
		switch in.Form {
		case fVLoad:
			ad, err := m.addr(&a[0])
			if err != nil {
				return err
			}
			if err := m.loadLanes(ad, n, all, &res); err != nil {
				return err
			}
			m.writeVec(a[1].Reg, n, &res)
		case fVStore:
			s, err := m.readVec(a[0].Reg, n)
			if err != nil {
				return err
			}
			ad, err := m.addr(&a[1])
			if err != nil {
				return err
			}
			return m.storeLanes(ad, n, all, s)
		case fVCopy:
			s, err := m.readVec(a[0].Reg, n)
			if err != nil {
				return err
			}
			res = *s
			m.writeVec(a[1].Reg, n, &res)
		case fKLoad:
			act, err := m.kmask(a[1].Reg, n)
			if err != nil {
				return err
			}
			if !in.Zeroing {
				// Merging: inactive lanes keep the old value, which must
				// then be defined.
				old := &m.v[a[2].Reg]
				for i := 0; i < n; i++ {
					if act&(1<<i) == 0 {
						if old.Def&(1<<i) == 0 {
							return fmt.Errorf("merging masked load keeps undefined lane %d of %s", i, vecName(a[2].Reg, n))
						}
						res[i] = old.Lane[i]
					}
				}
			}
			ad, err := m.addr(&a[0])
			if err != nil {
				return err
			}
			if err := m.loadLanes(ad, n, act, &res); err != nil {
				return err
			}
			m.writeVec(a[2].Reg, n, &res)
		case fKStore:
			act, err := m.kmask(a[1].Reg, n)
			if err != nil {
				return err
			}
			v := &m.v[a[0].Reg]
			if v.Def&uint16(act) != uint16(act) {
				return fmt.Errorf("masked store of undefined lanes of %s", vecName(a[0].Reg, n))
			}
			ad, err := m.addr(&a[2])
			if err != nil {
				return err
			}
			return m.storeLanes(ad, n, act, &v.Lane)
		}
	case opVMASKMOVPS:
		switch in.Form {
		case fVMLoad:
			act, err := m.vmask(a[1].Reg, n)
			if err != nil {
				return err
			}
			ad, err := m.addr(&a[0])
			if err != nil {
				return err
			}
			if err := m.loadLanes(ad, n, act, &res); err != nil { // inactive lanes stay 0
				return err
			}
			m.writeVec(a[2].Reg, n, &res)
		case fVMStore:
			act, err := m.vmask(a[1].Reg, n)
			if err != nil {
				return err
			}
			v := &m.v[a[0].Reg]
			if v.Def&uint16(act) != uint16(act) {
				return fmt.Errorf("masked store of undefined lanes of %s", vecName(a[0].Reg, n))
			}
			ad, err := m.addr(&a[2])
			if err != nil {
				return err
			}
			return m.storeLanes(ad, n, act, &v.Lane)
		}
	case opVBROADCASTSS:
		ad, err := m.addr(&a[0])
		if err != nil {
			return err
		}
		x, err := m.Mem.load32(ad)
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			res[i] = x
		}
		m.writeVec(a[1].Reg, n, &res)
	case opVFMADD231PS, opVADDPS, opVMAXPS, opVMINPS, opVMULPS, opVXORPS, opVPXORD:
		// Go order: a[0] = Intel src2 (r/m), a[1] = Intel src1 (vvvv),
		// a[2] = destination.
		if (in.Op == opVXORPS || in.Op == opVPXORD) && a[0].Kind == KVec && a[0].Reg == a[1].Reg {
			m.writeVec(a[2].Reg, n, &res) // zeroing idiom
			return nil
		}
		var s2 [16]uint32
		if a[0].Kind == KMem {
			ad, err := m.addr(&a[0])
			if err != nil {
				return err
			}
			if err := m.loadLanes(ad, n, all, &s2); err != nil {
				return err
			}
		} else {
			p, err := m.readVec(a[0].Reg, n)
			if err != nil {
				return err
			}
			s2 = *p
		}
		p1, err := m.readVec(a[1].Reg, n)
		if err != nil {
			return err
		}
		s1 := *p1
		switch in.Op {
		case opVFMADD231PS:
			d, err := m.readVec(a[2].Reg, n)
			if err != nil {
				return err
			}
			for i := 0; i < n; i++ {
				// Intel VFMADD231PS dst, src1(vvvv), src2(r/m):
				// dst = src1*src2 + dst.
				res[i] = FMA231(d[i], s1[i], s2[i])
			}
		case opVADDPS:
			for i := 0; i < n; i++ {
				res[i] = Add32(s1[i], s2[i])
			}
		case opVMULPS:
			for i := 0; i < n; i++ {
				res[i] = Mul32(s1[i], s2[i])
			}
		case opVMAXPS:
			for i := 0; i < n; i++ {
				res[i] = Max32(s1[i], s2[i])
			}
		case opVMINPS:
			for i := 0; i < n; i++ {
				res[i] = Min32(s1[i], s2[i])
			}
		case opVXORPS, opVPXORD:
			for i := 0; i < n; i++ {
				res[i] = s1[i] ^ s2[i]
			}
		}
		m.writeVec(a[2].Reg, n, &res)
	default:
		return fmt.Errorf("no semantics for %s", in.Mnem)
	}
	return nil
}
