// Command gemm generates mnet's packed float32 GEMM micro-kernels and the
// peak-FMA calibration kernel as Go assembly (avo), for AVX2+FMA and AVX-512F
// from the same generator functions.
//
// Usage (from exec/internal/kernels, see gen.go):
//
//	cd _asm && go run ./gemm -pkg kernels \
//	    -out ../gemm_amd64.s -stubs ../gemm_amd64.go \
//	    -peak-out ../peak_amd64.s -peak-stubs ../peak_amd64.go
//
// # Instruction vocabulary
//
// This is the complete list of instructions the generator emits (an
// instruction-level simulator parsing the .s files needs nothing else).
// Vector instructions are written once, parameterised by the register file:
// Y registers (8 float32 lanes, 16 registers) for AVX2, Z registers (16
// lanes, 32 registers) for AVX-512.
//
//	VMOVUPS      m -> v (load), v -> m (store), v -> v (copy)
//	VMOVUPS.Z    m, K, v       masked zeroing load            (AVX-512 only)
//	VMOVUPS      v, K, m       masked store                   (AVX-512 only)
//	VMASKMOVPS   m, vmask, v   masked load (sign bit of vmask lanes)  (AVX2 only)
//	VMASKMOVPS   v, vmask, m   masked store                   (AVX2 only)
//	VBROADCASTSS m32 -> v
//	VFMADD231PS  v1, v2, v3    v3 += v1*v2 (all registers)
//	VXORPS       v, v, v       zeroing idiom only (AVX2)
//	VPXORD       v, v, v       zeroing idiom only (AVX-512: VXORPS on zmm is AVX512DQ)
//	VADDPS, VMULPS             register operands, or memory first operand
//	VMAXPS, VMINPS             register operands
//	VZEROUPPER                 before every RET
//	KMOVW        m16 -> K      (AVX-512 only; K1, K2)
//	PREFETCHT0   m             (no architectural effect; never faults)
//	MOVQ (arguments and register copies), LEAQ, ADDQ, SHRQ, ANDQ, DECQ, TESTQ (imm, reg)
//	CMPQ (reg, reg)
//	JZ, JNZ, JEQ, JNE, JMP, RET
//
// Memory operands are base+disp or base+index*scale+disp with scale 1 or 2.
// No embedded broadcasts, no gathers, no AVX-512 instructions beyond
// AVX-512F (the opmask logic uses KMOVW only).
//
// # Micro-kernel
//
// gemm{ISA}_{mr}x{w} computes `blocks` consecutive blocks of mr rows times w
// columns of C, w = 16*np (np packed B panels of 16 columns each):
//
//	for each block: acc = (flags&accumulate ? C : flags&bias ? bias : 0)
//	                acc += A[mr x segs*k] * Bpanel[segs*k x w]   (A read in place, row stride lda bytes)
//	                acc = epilogue(acc); store to C (row stride ldc bytes)
//
// The epilogue is ReLU (max 0), ReLU6 (then min 6), hard-swish
// x*(min(max(x+3, 0), 6)*(1/6)) or hard-sigmoid min(max(x+3, 0), 6)*(1/6),
// as the flags say, each operation rounded to float32 in that order (the
// generic Go kernels do the same, so they agree bit for bit on the
// epilogue); a NaN accumulator stays NaN through every one.
//
// Every kernel takes one argument, a pointer to a gemmArgs record (the
// offsets below), so that a driver can call any kernel of its table through
// a function value, native or simulated, without its arguments escaping.
//
// A row's segs*k values lie in segs segments of k contiguous floats, each
// segment segadj bytes past the end of the previous one (segs 1 for a plain
// GEMM): an implicit-GEMM convolution reads the input image in place, one
// segment per kernel row. B rows continue across segments.
//
// With flagPf the first block also prefetches (PREFETCHT0) the B panels of
// the next call, np*bstride bytes on: one line per panel per k step, the
// rate at which the block reads its own. The B panels of a layer that does
// not stay in the caches (the 7x7x1024 layers of MobileNet: 2-4 MiB) then
// arrive while the previous panels are computed instead of stalling the
// next call's first block; later blocks reuse the panel from L1/L2 and
// prefetch nothing. Only the kernels the driver calls with several blocks
// have that path (see arch.prefetches). Measured in MobileNet v1 1.0-224
// (Zen 3, AVX2, interleaved runs with and without it, per-layer medians):
// -8 to -11% on the 49-row layers, -2 to -3% on the 196-row ones, the
// others unchanged (+-1%). Prefetching in every block instead cost 2-4% on
// the layers with L2-resident panels (a load slot per k step); prefetching
// C (the next block's output lines) was neutral; prefetching two panels
// ahead measured the same as one.
//
// A rows are broadcast straight from memory (not packed); B is packed as
// k-major panels of 16 floats per k (64 bytes, one cache line), panel p+1
// starting bstride bytes after panel p.
//
// Every C element is one chain of FMAs in k order, started from the bias
// (or from C, for a K block after the first; 0 without bias): any kernel
// computes any element with the same operations in the same order, so the
// result does not depend on how the driver cut the rows and columns into
// calls (the thread split of a layer). The kernels with fewer than 8
// independent accumulators once split k over 2 or 4 accumulator copies to
// hide the FMA latency and summed the copies at the end, in another order:
// a row computed in a 1-row block then differed in the last bit from the
// same row in a 12-row block. They serve the fully connected layer (m = 1,
// a GEMV bound by streaming B at 64 bytes per FMA, not by FMA latency:
// measured the same or 3% faster with one chain) and the last rows of a
// thread's chunk.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/pass"
	"github.com/mmcloughlin/avo/printer"
	"github.com/mmcloughlin/avo/reg"
)

// Flag bits passed in the kernels' flags argument. Keep in sync with
// gemm_asm.go.
const (
	flagMax      = 1   // acc = max(acc, 0) (ReLU, ReLU6)
	flagMin      = 2   // acc = min(acc, 6) (ReLU6)
	flagAccum    = 4   // start from C instead of bias/zero (K blocking)
	flagMask     = 8   // partial last panel: mask loads of C/bias and stores
	flagBias     = 16  // start from bias (ignored with flagAccum)
	flagPf       = 32  // first block: prefetch the next call's B panels
	flagHSwish   = 64  // acc = acc * (min(max(acc+3, 0), 6) * 1/6)
	flagHSigmoid = 128 // acc = min(max(acc+3, 0), 6) * 1/6
	flagResidual = 256 // acc += R (a residual connection) before the activation
	// Masked stores by vectors of 8 lanes (AVX2), per vector v of the
	// panels: flagFull<<v the vector is whole, flagPart<<v it is the
	// partial one (neither: empty).
	flagFull = 1 << 16
	flagPart = 1 << 24
)

// The argument record every kernel reads (its only argument, a pointer):
// gemmArgs in ../../gemm_simd.go, whose layout TestGemmArgsLayout checks
// against these offsets.
const (
	offA       = 0   // *float32: A at the first row of the first block
	offLda     = 8   // A row stride, bytes
	offB       = 16  // *float32: packed B at the first k step of the first panel
	offBstride = 24  // bytes from one B panel to the next
	offK       = 32  // k steps per segment
	offSegs    = 40  // segments (>= 1)
	offSegadj  = 48  // bytes from the end of a segment of A to the next one
	offC       = 56  // *float32: C at the first row of the first block
	offLdc     = 64  // C row stride, bytes
	offBlocks  = 72  // blocks of mr rows
	offBias    = 80  // *float32: the bias at the first column (flagBias)
	offFlags   = 88  // the flag bits above
	offKMask   = 96  // uint64: AVX-512 lane mask of a partial last panel (bit j: column j)
	offVMask   = 128 // [32]int32: AVX2 lane masks of a partial last panel (4 ymm)
	offThree   = 256 // [16]float32: 3 (hard-swish and hard-sigmoid)
	offSix     = 320 // [16]float32: 6
	offSixth   = 384 // [16]float32: float32(1/6)
	offRes     = 448 // *float32: R at the first row of the first block (flagResidual)
	offLdr     = 456 // R row stride, bytes
	offResCur  = 464 // scratch: the current block's R (the only word the kernels write)
)

const panelW = 16 // floats per packed B panel row (64 bytes)

// arch describes one vector ISA for the shared generator functions.
type arch struct {
	name  string // function name component: "AVX2", "AVX512"
	lanes int    // float32 lanes per vector register
	vecs  []reg.VecPhysical
	kmask bool  // tails via opmask registers (AVX-512) instead of VMASKMOVPS
	mr    int   // rows of the main kernel
	np    []int // panels per kernel call (kernels for each, rows 1..maxMR[i])
	maxMR []int
}

// prefetches reports whether the mr x 16*np kernel has the prefetching
// first block: only the kernels the driver (gemmAsmBlocked) calls with
// several blocks and a next call. Those run the main kernel's panel count
// (the others serve the last, odd panel, or m <= 2 on AVX2), and their
// height is above half the main kernel's: splitRows balances the blocks of
// m > mr rows, so a call of two or more blocks has blocks of more than
// mr/2 rows. (Any other kernel's prefetch path would be dead code.)
func (a arch) prefetches(mr, np int) bool {
	return np == a.np[0] && 2*mr > a.mr
}

// zero emits the zeroing idiom for x: VXORPS on ymm, VPXORD on zmm (the
// EVEX VXORPS needs AVX512DQ; VPXORD is AVX-512F).
func (a arch) zero(ctx *build.Context, x reg.VecPhysical) {
	if a.kmask {
		ctx.VPXORD(x, x, x)
	} else {
		ctx.VXORPS(x, x, x)
	}
}

func vecRegs(n int, s func(reg.VecPhysical) reg.Register) []reg.VecPhysical {
	all := []reg.VecPhysical{
		reg.X0, reg.X1, reg.X2, reg.X3, reg.X4, reg.X5, reg.X6, reg.X7,
		reg.X8, reg.X9, reg.X10, reg.X11, reg.X12, reg.X13, reg.X14, reg.X15,
		reg.X16, reg.X17, reg.X18, reg.X19, reg.X20, reg.X21, reg.X22, reg.X23,
		reg.X24, reg.X25, reg.X26, reg.X27, reg.X28, reg.X29, reg.X30, reg.X31,
	}
	out := make([]reg.VecPhysical, n)
	for i := range out {
		out[i] = s(all[i]).(reg.VecPhysical)
	}
	return out
}

var (
	archAVX2 = arch{
		// The 2-panel AVX2 kernels (1x32, 2x32) serve m <= 2 and, above
		// all, run the generator's two-panel path (B addressing with the
		// panel stride, masks across panels) on AVX2 hardware, the path
		// the AVX-512 main kernel uses.
		name: "AVX2", lanes: 8, kmask: false, mr: 6, np: []int{1, 2}, maxMR: []int{6, 2},
		vecs: vecRegs(16, func(r reg.VecPhysical) reg.Register { return r.AsY() }),
	}
	archAVX512 = arch{
		name: "AVX512", lanes: 16, kmask: true, mr: 12, np: []int{2, 1}, maxMR: []int{12, 12},
		vecs: vecRegs(32, func(r reg.VecPhysical) reg.Register { return r.AsZ() }),
	}
)

func main() {
	// avo's build package registers its own flags on flag.CommandLine.
	fs := flag.NewFlagSet("gemm", flag.ExitOnError)
	pkg := fs.String("pkg", "kernels", "package name")
	out := fs.String("out", "", "GEMM assembly output")
	stubs := fs.String("stubs", "", "GEMM Go stubs output")
	peakOut := fs.String("peak-out", "", "peak kernel assembly output")
	peakStubs := fs.String("peak-stubs", "", "peak kernel Go stubs output")
	_ = fs.Parse(os.Args[1:])

	if *out != "" || *stubs != "" {
		ctx := newContext()
		for _, a := range []arch{archAVX2, archAVX512} {
			for i, np := range a.np {
				for mr := 1; mr <= a.maxMR[i]; mr++ {
					gemmKernel(ctx, a, mr, np)
				}
			}
		}
		emit(ctx, *pkg, *out, *stubs)
	}
	if *peakOut != "" || *peakStubs != "" {
		ctx := newContext()
		peakKernel(ctx, archAVX2, 12)
		peakKernel(ctx, archAVX512, 24)
		emit(ctx, *pkg, *peakOut, *peakStubs)
	}
}

func newContext() *build.Context {
	ctx := build.NewContext()
	ctx.ConstraintExpr("amd64,!purego")
	return ctx
}

// emit compiles the context and writes the assembly and stub files. The
// printer configuration is fixed (no argv, no paths) so output is
// reproducible byte for byte.
func emit(ctx *build.Context, pkg, asmPath, stubPath string) {
	f, err := ctx.Result()
	if err != nil {
		log.Fatal(err)
	}
	cfg := printer.Config{Name: "mnet.dev/mnet/exec/internal/kernels/_asm/gemm", Pkg: pkg}
	passes := []pass.Interface{pass.Compile}
	add := func(path string, b printer.Builder) {
		if path == "" {
			return
		}
		w, err := os.Create(path)
		if err != nil {
			log.Fatal(err)
		}
		passes = append(passes, &pass.Output{Writer: w, Printer: b(cfg)})
	}
	add(asmPath, printer.NewGoAsm)
	add(stubPath, printer.NewStubs)
	// pass.Output closes the files.
	if err := pass.Concat(passes...).Execute(f); err != nil {
		log.Fatal(err)
	}
}

// kernel holds the register assignment of one micro-kernel.
type kernel struct {
	ctx   *build.Context
	a     arch
	mr    int                 // rows per block
	np    int                 // panels per call
	nvec  int                 // vectors per row (w / lanes)
	acc   [][]reg.VecPhysical // [row][vector]
	bv    []reg.VecPhysical   // B row vectors
	t     reg.VecPhysical     // broadcast / clamp temporary
	masks []reg.VecPhysical   // AVX2 tail masks (aliases bv/t, used outside the k loop)
	kregs []reg.Register      // AVX-512 tail masks
	label string
	hasPf bool // has the prefetching first block (see gemmKernel)
	pf    bool // emitting the prefetching copy of the k loop
}

// General-purpose register assignment (no BP, SP, R14, R15).
var (
	rBase   = []reg.Register{reg.RAX, reg.RBX, reg.RCX, reg.RDX} // A rows 0,3,6,9 (+lda, +2*lda)
	rBlocks = reg.RSI
	rTmp    = reg.RDI
	rA      = reg.R8  // A block start
	rLda    = reg.R9  // lda in bytes
	rB      = reg.R10 // B cursor
	rBs     = reg.R11 // panel stride in bytes
	rK      = reg.R12 // k counter
	rC      = reg.R13 // C block start
	rSeg    = rTmp    // segments left (k loop)
	rPf     = rA      // prefetch cursor (k loop of a prefetching block; rA is restored after)
)

func gemmKernel(ctx *build.Context, a arch, mr, np int) {
	k := &kernel{ctx: ctx, a: a, mr: mr, np: np, nvec: np * panelW / a.lanes}
	k.hasPf = a.prefetches(mr, np)
	name := fmt.Sprintf("gemm%s_%dx%d", a.name, mr, np*panelW)
	k.label = name
	n := 0
	next := func() reg.VecPhysical { r := a.vecs[n]; n++; return r }
	k.acc = make([][]reg.VecPhysical, mr)
	for r := range k.acc {
		k.acc[r] = make([]reg.VecPhysical, k.nvec)
		for v := range k.acc[r] {
			k.acc[r][v] = next()
		}
	}
	for range k.nvec {
		k.bv = append(k.bv, next())
	}
	k.t = next()
	if n > len(a.vecs) {
		panic(fmt.Sprintf("%s: needs %d vector registers", name, n))
	}
	if !a.kmask {
		// Masks are live only outside the k loop (init and store), where
		// the B registers are free; at init all accumulators are live, so
		// they must not overlap any of them.
		k.masks = k.bv
	} else {
		k.kregs = []reg.Register{reg.K1, reg.K2}[:k.nvec]
	}

	ctx.Function(name)
	ctx.Attributes(attr.NOSPLIT)
	ctx.Pragma("noescape")
	ctx.SignatureExpr("func(args *byte)")
	ctx.Doc(fmt.Sprintf("%s computes blocks x %d rows by %d columns of C; see the generator.", name, mr, np*panelW))
	k.body()
}

func (k *kernel) lbl(s string) string { return k.label + "_" + s }

// load loads the record field at byte offset off into r (through r: the
// record pointer first).
func (k *kernel) load(off int, r reg.Register) {
	k.ctx.Load(k.ctx.Param("args"), r)
	k.ctx.MOVQ(operand.Mem{Base: r, Disp: off}, r)
}

// args loads the record pointer into r.
func (k *kernel) args(r reg.Register) { k.ctx.Load(k.ctx.Param("args"), r) }

// rowMem addresses A row r (relative to the current bases) at byte offset disp.
func (k *kernel) rowMem(r, disp int) operand.Mem {
	m := operand.Mem{Base: rBase[r/3], Disp: disp}
	switch r % 3 {
	case 1:
		m.Index, m.Scale = rLda, 1
	case 2:
		m.Index, m.Scale = rLda, 2
	}
	return m
}

// vecMem addresses vector v of a w-wide row starting at base+disp
// (C or bias rows: columns are contiguous).
func (k *kernel) vecMem(base reg.Register, v int) operand.Mem {
	return operand.Mem{Base: base, Disp: v * k.a.lanes * 4}
}

// loadVec loads vector v of a row into dst, masked if masked is set.
func (k *kernel) loadVec(m operand.Mem, v int, dst reg.VecPhysical, masked bool) {
	c := k.ctx
	switch {
	case !masked:
		c.VMOVUPS(m, dst)
	case k.a.kmask:
		c.VMOVUPS_Z(m, k.kregs[v], dst)
	default:
		c.VMASKMOVPS(m, k.masks[v], dst)
	}
}

func (k *kernel) storeVec(src reg.VecPhysical, v int, m operand.Mem, masked bool) {
	c := k.ctx
	switch {
	case !masked:
		c.VMOVUPS(src, m)
	case k.a.kmask:
		c.VMOVUPS(src, k.kregs[v], m)
	default:
		c.VMASKMOVPS(src, k.masks[v], m)
	}
}

// loadMasks prepares the tail masks. AVX2: nvec vectors of int32 lane
// masks from the record's vmask. AVX-512: one 16-bit opmask per vector from
// the record's kmask.
func (k *kernel) loadMasks() {
	c := k.ctx
	k.args(rTmp)
	if k.a.kmask {
		for v := range k.nvec {
			c.KMOVW(operand.Mem{Base: rTmp, Disp: offKMask + 2*v}, k.kregs[v])
		}
		return
	}
	for v := range k.nvec {
		c.VMOVUPS(operand.Mem{Base: rTmp, Disp: offVMask + v*32}, k.masks[v])
	}
}

func (k *kernel) zeroAcc() {
	for r := range k.mr {
		for v := range k.nvec {
			k.a.zero(k.ctx, k.acc[r][v])
		}
	}
}

// initFromBias starts every row's accumulators at the bias vector.
func (k *kernel) initFromBias(masked bool) {
	c := k.ctx
	if masked {
		k.loadMasks()
	}
	k.load(offBias, rTmp)
	for v := range k.nvec {
		k.loadVec(k.vecMem(rTmp, v), v, k.acc[0][v], masked)
	}
	for r := 1; r < k.mr; r++ {
		for v := range k.nvec {
			c.VMOVUPS(k.acc[0][v], k.acc[r][v])
		}
	}
}

// initFromC starts the accumulators at the current C block (K blocks after
// the first).
func (k *kernel) initFromC(masked bool) {
	c := k.ctx
	if masked {
		k.loadMasks()
	}
	k.load(offLdc, rB)
	c.MOVQ(rC, rTmp)
	for r := range k.mr {
		if r > 0 {
			c.ADDQ(rB, rTmp)
		}
		for v := range k.nvec {
			k.loadVec(k.vecMem(rTmp, v), v, k.acc[r][v], masked)
		}
	}
}

// step emits one k step at byte offset u (A: 4*u, B: 64*u).
func (k *kernel) step(u int) {
	c := k.ctx
	vpp := panelW / k.a.lanes // vectors per panel
	for v := range k.nvec {
		m := operand.Mem{Base: rB, Disp: u*panelW*4 + (v%vpp)*k.a.lanes*4}
		if v/vpp == 1 {
			m.Index, m.Scale = rBs, 1
		}
		c.VMOVUPS(m, k.bv[v])
	}
	if k.pf {
		// One line of each next panel per k step: the rate at which this
		// block consumes its own panels' lines.
		c.PREFETCHT0(operand.Mem{Base: rPf, Disp: u * panelW * 4})
		if k.np > 1 {
			c.PREFETCHT0(operand.Mem{Base: rPf, Index: rBs, Scale: 1, Disp: u * panelW * 4})
		}
	}
	for r := range k.mr {
		c.VBROADCASTSS(k.rowMem(r, 4*u), k.t)
		for v := range k.nvec {
			c.VFMADD231PS(k.bv[v], k.t, k.acc[r][v])
		}
	}
}

func (k *kernel) advance(steps int) {
	c := k.ctx
	for g := 0; g < (k.mr+2)/3; g++ {
		c.ADDQ(operand.U32(4*steps), rBase[g])
	}
	c.ADDQ(operand.U32(4*panelW*steps), rB)
	if k.pf {
		c.ADDQ(operand.U32(4*panelW*steps), rPf)
	}
}

const unroll = 4

func (k *kernel) body() {
	c := k.ctx
	k.load(offA, rA)
	k.load(offLda, rLda)
	k.load(offC, rC)
	k.load(offBlocks, rBlocks)
	if k.np > 1 {
		k.load(offBstride, rBs)
	}
	c.TESTQ(rBlocks, rBlocks)
	c.JZ(operand.LabelRef(k.lbl("ret")))
	k.args(rTmp)
	c.MOVQ(operand.Mem{Base: rTmp, Disp: offRes}, rK)
	c.MOVQ(rK, operand.Mem{Base: rTmp, Disp: offResCur})

	c.Label(k.lbl("block"))
	// Accumulator initialisation: C (accumulate), bias, or zero; masked
	// variants for a partial last panel.
	k.load(offFlags, rTmp)
	c.TESTQ(operand.U32(flagAccum), rTmp)
	c.JNZ(operand.LabelRef(k.lbl("initc")))
	c.TESTQ(operand.U32(flagBias), rTmp)
	c.JZ(operand.LabelRef(k.lbl("initzero")))
	c.TESTQ(operand.U32(flagMask), rTmp)
	c.JNZ(operand.LabelRef(k.lbl("initbiasmask")))
	k.initFromBias(false)
	c.JMP(operand.LabelRef(k.lbl("initdone")))
	c.Label(k.lbl("initbiasmask"))
	k.initFromBias(true)
	c.JMP(operand.LabelRef(k.lbl("initdone")))
	c.Label(k.lbl("initzero"))
	k.zeroAcc()
	c.JMP(operand.LabelRef(k.lbl("initdone")))
	c.Label(k.lbl("initc"))
	c.TESTQ(operand.U32(flagMask), rTmp)
	c.JNZ(operand.LabelRef(k.lbl("initcmask")))
	k.initFromC(false)
	c.JMP(operand.LabelRef(k.lbl("initdone")))
	c.Label(k.lbl("initcmask"))
	k.initFromC(true)
	c.Label(k.lbl("initdone"))

	// Row bases: rows 3g+{0,1,2} at base[g] + {0, lda, 2*lda}. rA moves on
	// to the next block (rA + mr*lda) as soon as the bases are set.
	groups := (k.mr + 2) / 3
	c.MOVQ(rA, rBase[0])
	for g := 1; g < groups; g++ {
		c.LEAQ(operand.Mem{Base: rBase[g-1], Index: rLda, Scale: 2}, rBase[g])
		c.ADDQ(rLda, rBase[g])
	}
	last := rBase[groups-1]
	switch k.mr - 3*(groups-1) {
	case 1:
		c.LEAQ(operand.Mem{Base: last, Index: rLda, Scale: 1}, rA)
	case 2:
		c.LEAQ(operand.Mem{Base: last, Index: rLda, Scale: 2}, rA)
	case 3:
		c.LEAQ(operand.Mem{Base: last, Index: rLda, Scale: 2}, rA)
		c.ADDQ(rLda, rA)
	}
	k.load(offB, rB)

	// The k loop: segs segments of k steps (A moves on by segadj bytes
	// between segments, B continues). The first block of a call with
	// flagPf runs a copy of it that also prefetches the next call's panels
	// (out of line, below the RET).
	k.load(offSegs, rSeg)
	if k.hasPf {
		k.load(offFlags, rK)
		c.TESTQ(operand.U32(flagPf), rK)
		c.JNZ(operand.LabelRef(k.lbl("pfcheck")))
	}
	c.Label(k.lbl("seg"))
	k.segLoop("")
	c.Label(k.lbl("segsdone"))

	k.load(offFlags, rTmp)
	k.residual()
	k.epilogue()

	// Store; rC moves on to the next block.
	k.load(offLdc, rB)
	c.TESTQ(operand.U32(flagMask), rTmp)
	c.JNZ(operand.LabelRef(k.lbl("storemask")))
	k.store(false)
	c.JMP(operand.LabelRef(k.lbl("stored")))
	c.Label(k.lbl("storemask"))
	k.loadMasks()
	if k.a.kmask {
		k.store(true)
	} else {
		k.storeMaskedAVX2()
	}
	c.Label(k.lbl("stored"))

	c.DECQ(rBlocks)
	c.JNZ(operand.LabelRef(k.lbl("block")))
	c.Label(k.lbl("ret"))
	c.VZEROUPPER()
	c.RET()
	if !k.hasPf {
		return
	}

	// Prefetching k loop, first block only: rPf (rA's register) walks the
	// next call's panels, np*bstride bytes ahead of rB; rA, the next
	// block's A start, is then recomputed from the a argument.
	c.Label(k.lbl("pfcheck"))
	k.load(offBlocks, rK)
	c.CMPQ(rK, rBlocks)
	c.JNE(operand.LabelRef(k.lbl("seg")))
	if k.np == 1 {
		k.load(offBstride, rBs)
	}
	c.LEAQ(operand.Mem{Base: rB, Index: rBs, Scale: uint8(k.np)}, rPf)
	k.pf = true
	c.Label(k.lbl("segpf"))
	k.segLoop("pf")
	k.pf = false
	c.Label(k.lbl("segsdonepf"))
	k.load(offA, rA)
	for range k.mr / 2 {
		c.LEAQ(operand.Mem{Base: rA, Index: rLda, Scale: 2}, rA)
	}
	if k.mr%2 == 1 {
		c.ADDQ(rLda, rA)
	}
	c.JMP(operand.LabelRef(k.lbl("segsdone")))
}

// segLoop emits the segment loop (labels suffixed sfx): the unrolled k
// loop and its tail, then the step to the next segment's A.
func (k *kernel) segLoop(sfx string) {
	c := k.ctx
	k.load(offK, rK)
	c.SHRQ(operand.Imm(2), rK)
	c.JZ(operand.LabelRef(k.lbl("ktail" + sfx)))
	c.Label(k.lbl("kloop" + sfx))
	for u := range unroll {
		k.step(u)
	}
	k.advance(unroll)
	c.DECQ(rK)
	c.JNZ(operand.LabelRef(k.lbl("kloop" + sfx)))
	c.Label(k.lbl("ktail" + sfx))
	k.load(offK, rK)
	c.ANDQ(operand.Imm(unroll-1), rK)
	c.JZ(operand.LabelRef(k.lbl("segend" + sfx)))
	c.Label(k.lbl("kloop1" + sfx))
	k.step(0)
	k.advance(1)
	c.DECQ(rK)
	c.JNZ(operand.LabelRef(k.lbl("kloop1" + sfx)))
	c.Label(k.lbl("segend" + sfx))
	c.DECQ(rSeg)
	c.JZ(operand.LabelRef(k.lbl("segsdone" + sfx)))
	k.load(offSegadj, rK)
	for g := 0; g < (k.mr+2)/3; g++ {
		c.ADDQ(rK, rBase[g])
	}
	c.JMP(operand.LabelRef(k.lbl("seg" + sfx)))
}

// residual adds the block's rows of R (a residual connection: the same
// shape as C, its own row stride) to the accumulators when the flags ask,
// masked like C for a partial panel; R moves on to the next block. rTmp
// holds the flags and keeps them.
func (k *kernel) residual() {
	c := k.ctx
	c.TESTQ(operand.U32(flagResidual), rTmp)
	c.JZ(operand.LabelRef(k.lbl("nores")))
	r, ldr := rB, rK // free after the k loop
	k.load(offResCur, r)
	k.load(offLdr, ldr)
	c.TESTQ(operand.U32(flagMask), rTmp)
	c.JNZ(operand.LabelRef(k.lbl("resmask")))
	for row := range k.mr {
		for v := range k.nvec {
			c.VADDPS(k.vecMem(r, v), k.acc[row][v], k.acc[row][v])
		}
		c.ADDQ(ldr, r)
	}
	c.JMP(operand.LabelRef(k.lbl("resdone")))
	c.Label(k.lbl("resmask"))
	k.loadMasks() // takes rTmp; r and ldr stay
	for row := range k.mr {
		for v := range k.nvec {
			k.loadVec(k.vecMem(r, v), v, k.t, true)
			c.VADDPS(k.t, k.acc[row][v], k.acc[row][v])
		}
		c.ADDQ(ldr, r)
	}
	k.load(offFlags, rTmp)
	c.Label(k.lbl("resdone"))
	k.args(rK)
	c.MOVQ(r, operand.Mem{Base: rK, Disp: offResCur})
	c.Label(k.lbl("nores"))
}

// epilogue applies the activation the flags ask for to every accumulator
// (rTmp holds the flags on entry and on exit). The registers outside the
// accumulators are free here: the B vectors, the broadcast temporary and
// any the kernel does not use (at least three).
func (k *kernel) epilogue() {
	c := k.ctx
	free := append([]reg.VecPhysical{k.t}, k.bv...)
	used := k.mr*k.nvec + k.nvec + 1
	free = append(free, k.a.vecs[used:]...)
	zero, six, u := free[0], free[1], free[2]
	args := rB // free until the store reloads it with ldc
	// The clamps and hard-swish's inner clamp keep a NaN as NaN: the
	// value is the second source of VMAXPS/VMINPS (Intel order), which
	// they return when either source is NaN.
	clampTo := func(x reg.VecPhysical, lo, hi bool) {
		if lo {
			c.VMAXPS(x, zero, x)
		}
		if hi {
			c.VMINPS(x, six, x)
		}
	}
	consts := func() {
		k.a.zero(c, zero)
		k.args(args)
		c.VMOVUPS(operand.Mem{Base: args, Disp: offSix}, six)
	}
	c.TESTQ(operand.U32(flagHSwish|flagHSigmoid), rTmp)
	c.JNZ(operand.LabelRef(k.lbl("hard")))
	c.TESTQ(operand.U32(flagMax|flagMin), rTmp)
	c.JZ(operand.LabelRef(k.lbl("epdone")))
	consts()
	c.TESTQ(operand.U32(flagMin), rTmp)
	c.JNZ(operand.LabelRef(k.lbl("relu6")))
	for r := range k.mr {
		for v := range k.nvec {
			clampTo(k.acc[r][v], true, false)
		}
	}
	c.JMP(operand.LabelRef(k.lbl("epdone")))
	c.Label(k.lbl("relu6"))
	for r := range k.mr {
		for v := range k.nvec {
			clampTo(k.acc[r][v], true, true)
		}
	}
	c.JMP(operand.LabelRef(k.lbl("epdone")))

	c.Label(k.lbl("hard"))
	consts()
	three := operand.Mem{Base: args, Disp: offThree}
	sixth := operand.Mem{Base: args, Disp: offSixth}
	c.TESTQ(operand.U32(flagHSigmoid), rTmp)
	c.JNZ(operand.LabelRef(k.lbl("hsigmoid")))
	for r := range k.mr {
		for v := range k.nvec {
			x := k.acc[r][v]
			c.VADDPS(three, x, u)
			clampTo(u, true, true)
			c.VMULPS(sixth, u, u)
			c.VMULPS(u, x, x)
		}
	}
	c.JMP(operand.LabelRef(k.lbl("epdone")))
	c.Label(k.lbl("hsigmoid"))
	for r := range k.mr {
		for v := range k.nvec {
			x := k.acc[r][v]
			c.VADDPS(three, x, x)
			clampTo(x, true, true)
			c.VMULPS(sixth, x, x)
		}
	}
	c.Label(k.lbl("epdone"))
}

func (k *kernel) store(masked bool) {
	c := k.ctx
	for r := range k.mr {
		for v := range k.nvec {
			k.storeVec(k.acc[r][v], v, k.vecMem(rC, v), masked)
		}
		c.ADDQ(rB, rC)
	}
}

// storeMaskedAVX2 stores a partial panel's block on AVX2, vector by vector
// as the flags describe it: the whole vectors (flagFull<<v) with VMOVUPS,
// the partial one (flagPart<<v) with VMASKMOVPS, the empty ones not at all.
// VMASKMOVPS to memory is microcoded on AMD (Zen 3: about one per 10
// cycles against two plain stores per cycle): masking every vector of
// every row made the 8-filter first layer of MobileNet 0.25 (one 16-column
// panel, 8 used) twice as slow as its arithmetic. In a masked call only the
// last panel is partial, so the vectors before it are always whole, its
// first vector is never empty and its last never whole; those cases are
// not emitted. rC moves on to the next block.
func (k *kernel) storeMaskedAVX2() {
	c := k.ctx
	k.load(offFlags, rTmp)
	vpp := panelW / k.a.lanes
	last := (k.np - 1) * vpp // first vector of the partial panel
	for v := range k.nvec {
		row := func(masked bool) {
			c.MOVQ(rC, rK)
			for r := range k.mr {
				k.storeVec(k.acc[r][v], v, k.vecMem(rK, v), masked)
				if r < k.mr-1 {
					c.ADDQ(rB, rK)
				}
			}
		}
		if v < last {
			row(false)
			continue
		}
		next := k.lbl(fmt.Sprintf("sv%d", v+1))
		part := k.lbl(fmt.Sprintf("sv%dpart", v))
		if v < k.nvec-1 {
			c.TESTQ(operand.U32(flagFull<<v), rTmp)
			c.JZ(operand.LabelRef(part))
			row(false)
			c.JMP(operand.LabelRef(next))
		}
		c.Label(part)
		if v > last {
			c.TESTQ(operand.U32(flagPart<<v), rTmp)
			c.JZ(operand.LabelRef(next))
		}
		row(true)
		c.Label(next)
	}
	for range k.mr {
		c.ADDQ(rB, rC)
	}
}

// peakKernel emits peak{ISA}(args *byte): iters x nacc independent
// VFMADD231PS on registers only (no memory traffic but the record's first
// word, iters), enough chains to cover FMA latency x ports. FLOPs = iters *
// nacc * lanes * 2.
func peakKernel(ctx *build.Context, a arch, nacc int) {
	name := "peak" + a.name
	ctx.Function(name)
	ctx.Attributes(attr.NOSPLIT)
	ctx.Pragma("noescape")
	ctx.SignatureExpr("func(args *byte)")
	ctx.Doc(fmt.Sprintf("%s runs iters x %d independent %d-lane FMAs on registers.", name, nacc, a.lanes))
	x, y := a.vecs[nacc], a.vecs[nacc+1]
	for i := range nacc + 2 {
		a.zero(ctx, a.vecs[i])
	}
	ctx.Load(ctx.Param("args"), rK)
	ctx.MOVQ(operand.Mem{Base: rK}, rK)
	ctx.TESTQ(rK, rK)
	ctx.JZ(operand.LabelRef(name + "_done"))
	ctx.Label(name + "_loop")
	for i := range nacc {
		ctx.VFMADD231PS(x, y, a.vecs[i])
	}
	ctx.DECQ(rK)
	ctx.JNZ(operand.LabelRef(name + "_loop"))
	ctx.Label(name + "_done")
	ctx.VZEROUPPER()
	ctx.RET()
}
