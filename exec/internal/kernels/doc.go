// Package kernels holds mnet's compute kernels: the packed GEMM behind
// pointwise, standard and fully connected layers, the depthwise convolution,
// and the small direct kernels (pooling, LRN, softmax, im2col).
//
// Activations are NHWC float32. Every kernel exists in a pure-Go generic
// form, always built, and the hot ones also as avo-generated Go assembly for
// AVX2+FMA and AVX-512 (see _asm/, a module of its own so avo is not a
// dependency of mnet). The ISA is chosen at run time from golang.org/x/sys/cpu
// and carried as a value (no global mutable state); building with -tags purego,
// or on a non-amd64 machine, leaves only the generic kernels.
//
// The generated kernels: the GEMM micro-kernels and the peak-FMA loop
// (_asm/gemm: AVX2 and AVX-512 from the same generator functions, checked
// for AVX-512 in the instruction-level simulator of ./asmsim), the
// depthwise kernels (_asm/dwconv, likewise), and the pooling kernels
// (_asm/pool: AVX2 only, used on AVX-512 machines too, see there). The
// GEMM reads A in segments (GemmSegs), which is how a convolution on a dense
// input runs as an implicit GEMM without im2col.
//
// Plans' long-lived buffers (the activation arena, the packed weights) go
// on transparent huge pages where Linux offers them (HugeFloats, Slab).
package kernels
