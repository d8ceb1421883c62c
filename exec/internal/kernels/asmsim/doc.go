// Package asmsim is an instruction-level simulator for the Go assembly that
// avo generates for mnet's kernels (exec/internal/kernels/*_amd64.s). It
// exists so that the AVX-512 routines, which cannot run on a machine without
// AVX-512, are executed and checked lane by lane in tests; the AVX2 routines
// run both on the hardware and in the simulator, which is how the simulator
// itself is validated.
//
// It is test infrastructure: nothing outside tests should import it.
//
// # What it accepts
//
// Parse reads Go assembler syntax as avo prints it: TEXT blocks with their
// "// func" signature and "// Requires:" comments, labels, and the
// instructions listed below with registers (AX..R15, X/Y/Z0-31, K0-7),
// immediates ($n), FP arguments (name+off(FP)) and memory operands
// off(BASE)(INDEX*scale). Any other instruction, operand form, suffix or
// directive is a parse error naming file:line, so a generator change that
// leaves the simulated vocabulary fails loudly instead of being guessed at.
// Parse also checks every name+off(FP) against the signature comment
// (the name and offset of the parameter, as go vet's asmdecl does), that
// the jump targets exist, that the reserved registers (SP, BP, R14, R15) are
// never used, and that each instruction's ISA extension (AVX, FMA3,
// AVX512F, AVX512VL, AVX512DQ, and avo's MMX+ for PREFETCHT0) is listed in
// the function's Requires line.
//
// Scalar: MOVQ, LEAQ, ADDQ, XORQ, ANDQ, SHRQ, DECQ, CMPQ, TESTQ, JZ/JEQ,
// JNZ/JNE, JMP, RET. PREFETCHT0 (m): no architectural effect; it computes
// its address (the registers must be defined) and reports it to the
// Machine's Prefetch hook, reads nothing and never faults. Vector (X, Y or
// Z registers, one width per instruction):
// VMOVUPS (load, store, copy; K-masked load with .Z zeroing or merging,
// K-masked store), VMASKMOVPS (load, store), VBROADCASTSS (m32),
// VFMADD231PS, VADDPS, VMAXPS, VMINPS, VXORPS, VPXORD, VZEROUPPER, KMOVW
// (r32 or m16 to K).
//
// # Machine model
//
// 16 64-bit GP registers, 32 vector registers of 16 32-bit lanes (raw bits),
// 8 opmask registers, and ZF/SF/CF/OF. Every register lane, opmask and flag
// carries a "defined" bit: registers are undefined at function entry, and
// reading an undefined value (except through the x^x zeroing idiom) is an
// error, as is a conditional jump on a flag the last instruction left
// undefined (SHRQ's OF for counts above 1). A write to an X or Y register
// zeroes the lanes above it up to bit 511 (VEX and EVEX encodings both do);
// VZEROUPPER zeroes bits 128-511 of registers 0-15.
//
// Memory is a set of mapped regions (Memory.Map): usually Go slices mapped
// at their real addresses, so that pointers a Go wrapper writes into an
// argument record or passes as arguments need no translation. Every access
// must lie entirely inside one region and a store inside a writable one;
// anything else is an error that names the instruction, the address and the
// nearest region (which makes the simulator an exact bounds checker). Masked
// accesses (VMASKMOVPS, K-masked VMOVUPS) touch only the active lanes, as
// the hardware suppresses faults on masked-off elements.
//
// # Arithmetic
//
// Lanes are IEEE binary32 with round-to-nearest-even, no FTZ/DAZ (the Go
// runtime's MXCSR). VFMADD231PS is fused: the exact a*b+c rounded once to
// float32 (FMA32; see its comment for why this needs more than
// float32(math.FMA(...)), and the tests for the check against math/big).
// NaN results follow the x86 rules: VADDPS returns the first source operand
// (Intel order) if it is a NaN, else the second, quieted; VFMADD231PS
// returns the first NaN of (multiplicand, multiplier, addend), quieted; an
// invalid operation with no NaN input gives the default NaN 0xFFC00000;
// VMAXPS/VMINPS return the second source operand unless the first is
// strictly greater/less (so NaN in either, or two zeros, give the second).
//
// Go assembler operand order is the reverse of Intel's: "VMAXPS Y1, Y2, Y3"
// is Intel "VMAXPS ymm3, ymm2, ymm1", Y3 = max(src1=Y2, src2=Y1), and
// "VFMADD231PS Y1, Y2, Y3" is Y3 = Y2*Y1 + Y3 (multiplicand Y2). CMPQ is the
// exception (Go keeps Intel order: CMPQ a, b sets flags from a-b).
//
// All of this is checked against the hardware in this package's tests
// (probe_amd64.s: hand-written routines run natively and simulated on
// adversarial inputs, bit for bit) and, end to end, by the kernels package's
// *_sim_test.go files, which run every AVX2 kernel natively and simulated.
package asmsim
