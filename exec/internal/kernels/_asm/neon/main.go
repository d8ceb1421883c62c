// Command neon generates mnet's arm64 kernels (Advanced SIMD, "NEON") as Go
// assembly: the float32 GEMM micro-kernels and the peak-FMA loop
// (gemm_arm64.s), the depthwise kernels (dwconv_arm64.s), the pooling
// kernels (pool_arm64.s) and the int8 kernels (int8_arm64.s), each with
// its Go stubs (*_arm64.go). avo is amd64 only, so this is a small writer of
// its own (asm.go) with an encoder (enc.go) for the instructions the Go
// assembler lacks, emitted as WORD with their GNU spelling beside them;
// TestEncodings checks every one against golang.org/x/arch/arm64/arm64asm.
// The output is byte-for-byte reproducible.
//
// Usage (from exec/internal/kernels, see the go:generate line in gemm.go):
//
//	go run -C _asm ./neon -dir ..
//
// # The kernels' arithmetic
//
// Each kernel computes exactly what its amd64 counterpart does, operation
// for operation, so every set gives the same bits: a GEMM output element
// is one chain of fused multiply-adds (FMLA, here by element: the A value
// is lane u of a vector holding 4 consecutive k steps of its row) in k
// order from the bias, C (K blocks after the first) or zero; a depthwise
// output is one FMLA chain over its taps in kernel-row order from the
// bias; the pooling kernels do the generic loops' compares and adds in the
// same order; the epilogues are Act.apply's float32 operations (see
// epilogue). The int8 kernels are integer and exact (int8.go).
//
// # Inner loops
//
// What the main kernels' inner loops issue (counted in the generated
// files; a MAC is one multiply-accumulate, bytes are those loaded):
//
//	gemmNEON_6x16   4 k steps: 96 FMLA (by element) of 113 instructions (85%), 0.92 B/MAC
//	gemmNEON_3x32   4 k steps: 96 FMLA of 119 (81%), 1.46 B/MAC
//	qgemmDot_6x16   16 k:      96 SDOT of 127 (76%; with the 6 EORs, 102 of 127 use the vector pipes), 0.23 B/MAC
//	qgemmNEON_6x16  8 k:       192 SMLAL of 215 (89%), 0.40 B/MAC
//	dwBlock3x3S1    a kernel row of 4 pixels x 16 channels: 48 FMLA of 64 (75%), 3.0 B/MAC
//	dwBlock5x5S1    a kernel row of 6 pixels x 8 channels: 60 FMLA of 79 (76%), 2.0 B/MAC
//	qdwNEON         a tap of 32 channels: 8 SMLAL of 22 (36%), 5.0 B/MAC
//
// 7x16 would need 28 accumulators and 7 A vectors: 6x16 is the tallest
// 16-column kernel in 32 registers (the packed B panels are 16 wide).
//
// Registers: the kernels use V0-V31 freely (Go's ABI0 assembly functions
// preserve no vector register) and R1-R17, R19-R25; never R18 (platform),
// R26-R30.
package main

import (
	"flag"
	"log"
	"path/filepath"
)

func main() {
	dir := flag.String("dir", "..", "the kernels package directory")
	flag.Parse()
	out := func(base string, build func(g *gen)) {
		f := &file{}
		build(&gen{f: f})
		if err := f.emit(filepath.Join(*dir, base+"_arm64.s"), filepath.Join(*dir, base+"_arm64.go"), "neon"); err != nil {
			log.Fatal(err)
		}
	}
	out("gemm", func(g *gen) {
		for _, s := range gemmShapes {
			for mr := 1; mr <= s.maxMR; mr++ {
				gemmKernel(g, mr, s.np)
			}
		}
		peakKernel(g, 24)
	})
	out("dwconv", func(g *gen) {
		for _, k := range []int{3, 5} {
			for _, s := range []int{1, 2} {
				dwBlockKernel(g, k, s)
			}
		}
		dwPixelKernel(g)
	})
	out("int8", func(g *gen) {
		for _, dot := range []bool{true, false} {
			for mr := 1; mr <= 6; mr++ {
				qgemmKernel(g, mr, dot)
			}
			qpeakKernel(g, 24, dot)
		}
		qdwKernel(g)
	})
	out("pool", func(g *gen) {
		poolWindowKernel(g, false)
		poolWindowKernel(g, true)
		globalAvgKernel(g)
	})
}
