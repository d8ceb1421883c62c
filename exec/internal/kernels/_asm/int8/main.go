// Command int8 generates mnet's int8 kernels (u8 activations, s8 weights,
// int32 accumulation, TFLite's integer requantization to u8) as Go assembly
// (avo): the AVX-512 VNNI GEMM micro-kernels, built on vpdpbusd, the
// AVX-512 depthwise kernel (qdw.go), and the AVX2 GEMM and depthwise
// kernels on int16 pairs (avx2.go).
//
// Usage (from exec/internal/kernels, see qgemm.go):
//
//	cd _asm && go run ./int8 -pkg kernels -out ../int8_amd64.s -stubs ../int8_amd64.go
//
// # Micro-kernel
//
// qgemmVNNI_{mr}x{w} computes `blocks` consecutive blocks of mr rows times
// w = 16*np columns of C:
//
//	acc = bias (+ rowcorr[row])                      int32
//	acc += A[mr x 4kq] * Bpanel[4kq x w]            u8 x s8 -> int32 (vpdpbusd)
//	acc = requantize(acc)                            TFLite's MultiplyByQuantizedMultiplier
//	C = min(max(acc + zo, lo), hi) as u8
//
// A rows are read in place, 4 bytes (one k quad) broadcast per row and
// step. B is packed in panels of 16 columns: per k quad, the 4 bytes of
// each column in turn (64 bytes, one zmm: lane j holds column j's 4
// weights), panel p+1 bstride bytes after panel p. vpdpbusd adds to each
// int32 lane the four products of the unsigned A bytes and the signed B
// bytes: exact (at most 4*255*128 per step, and int32 sums wrap as TFLite's
// do). The K rows past the real K (K rounded up to 4) hold zero weights.
//
// The requantization is TFLite's default (double rounding) exactly, per
// output channel j with multiplier M (in [2^30, 2^31)), left shift L and
// right shift R:
//
//	x = acc << L                                     (vpsllvd; only with qfLShift)
//	x = (int64(x)*M + 2^30) >> 31                    SaturatingRoundingDoublingHighMul
//	x = (x >> R) + ((x & mask) > (mask>>1) + (x<0))  RoundingDivideByPOT, mask = 2^R-1
//
// The first line's nudge (2^30, or 1-2^30 for a negative product, then a
// division truncating toward zero) is the same as adding 2^30 and shifting
// arithmetically: for a negative product both give ceil((p+1-2^30)/2^31) =
// floor((p+2^30)/2^31). The saturating case of the high multiply (both
// operands INT32_MIN) cannot occur with M >= 2^30. The 64-bit products of
// the even lanes come from vpmuldq on acc and M, those of the odd lanes
// from vpmuldq on acc>>32 and M one column on (the multiplier array read
// 4 bytes later); the rounded products' bits 31..62 are the results, which
// vpsrlq 31 (even) and vpsllq 1 (odd) put in the low and high dwords for
// one vpblendmd.
//
// Every kernel takes one argument, a pointer to its argument record (the
// offsets in qgemm.go and qdw.go; the kernels package mirrors them and its
// tests check the layouts).
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

func main() {
	fs := flag.NewFlagSet("int8", flag.ExitOnError)
	pkg := fs.String("pkg", "kernels", "package name")
	out := fs.String("out", "", "assembly output")
	stubs := fs.String("stubs", "", "Go stubs output")
	_ = fs.Parse(os.Args[1:])

	ctx := build.NewContext()
	ctx.ConstraintExpr("amd64,!purego")
	a := archVNNI
	for i, np := range a.np {
		for mr := 1; mr <= a.maxMR[i]; mr++ {
			gemmKernel(ctx, a, mr, np)
		}
	}
	dwPixelKernel(ctx)
	peakKernel(ctx, 24)
	rowSumKernel(ctx)
	packKernel(ctx)
	for mr := 1; mr <= 6; mr++ {
		gemmAVX2Kernel(ctx, mr)
	}
	dwAVX2Kernel(ctx)
	peakAVX2Kernel(ctx, 6)
	for _, avx2 := range []bool{false, true} {
		for _, k := range []int{3, 5} {
			for _, s := range []int{1, 2} {
				dwBlockKernel(ctx, k, s, avx2)
			}
		}
	}
	f, err := ctx.Result()
	if err != nil {
		log.Fatal(err)
	}
	cfg := printer.Config{Name: "mnet.dev/mnet/exec/internal/kernels/_asm/int8", Pkg: *pkg}
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
	add(*out, printer.NewGoAsm)
	add(*stubs, printer.NewStubs)
	if err := pass.Concat(passes...).Execute(f); err != nil {
		log.Fatal(err)
	}
}

// peakKernel emits peakVNNI(args *byte): iters x nacc independent
// vpdpbusd on registers only (iters is the record's first word): the int8
// multiply-accumulate ceiling, 64 MACs per instruction.
func peakKernel(ctx *build.Context, nacc int) {
	const name = "peakVNNI"
	ctx.Function(name)
	ctx.Attributes(attr.NOSPLIT)
	ctx.Pragma("noescape")
	ctx.SignatureExpr("func(args *byte)")
	ctx.Doc(fmt.Sprintf("%s runs iters x %d independent vpdpbusd (64 int8 MACs each) on registers.", name, nacc))
	z := zmms()
	x, y := z[nacc], z[nacc+1]
	for i := range nacc + 2 {
		ctx.VPXORD(z[i], z[i], z[i])
	}
	ctx.Load(ctx.Param("args"), reg.R12)
	ctx.MOVQ(operand.Mem{Base: reg.R12}, reg.R12)
	ctx.TESTQ(reg.R12, reg.R12)
	ctx.JZ(operand.LabelRef(name + "_done"))
	ctx.Label(name + "_loop")
	for i := range nacc {
		ctx.VPDPBUSD(x, y, z[i])
	}
	ctx.DECQ(reg.R12)
	ctx.JNZ(operand.LabelRef(name + "_loop"))
	ctx.Label(name + "_done")
	ctx.VZEROUPPER()
	ctx.RET()
}
