// Package exec runs a network spec on the CPU with mnet's own kernels and
// measures its latency.
//
// Compile turns an analyzed graph into a Plan: batch norm folded into the
// convolution weights, weights packed for the chosen kernel set, every
// activation tensor given a fixed place in one arena, and each layer bound to
// a kernel with its bias and activation fused into the kernel's output step.
// Plan.Run then performs an inference without allocating.
//
// # Ops
//
// What exec knows of each kind of op (spec.Op) is in one file, op_KIND.go:
// how a node compiles to kernel calls, and its float64 reference. They are
// registered by op kind in opImpls (ops.go); the activations' kernel
// epilogues and float64 definitions are in epilogues (epilogue.go). Reference
// runs a graph through the references, the yardstick the tests hold every
// plan to.
//
// # Tensors
//
// Tensors are typed (package tensor): the arena is bytes, and the plan's
// input, output and per-layer outputs are typed views of it (float32 today:
// Compile refuses integer tensors until integer kernels exist). Weights are
// spec.Weights of typed tensors from a WeightSource: RandomWeights for
// specs, Attached for the trained weights an importer attached to an
// imported model's layers; quantized ones are dequantized when the plan is
// built.
//
// # Layout
//
// Activations are NHWC (batch, height, width, channels; channels fastest).
// MobileNet's cost is 95% pointwise convolution, which in NHWC is a plain
// matrix product: the input tensor is already the row-major H·W x C_in left
// operand, read in place with no transform; the output tensor is the
// H·W x C_out product. The depthwise convolution, memory-bound, vectorises
// across the contiguous channels (8 float32 per AVX2 register, 16 per
// AVX-512), and MobileNet's channel counts are multiples of 8. A
// channel-blocked layout (NCHWc) would let the depthwise kernel run over
// whole blocks but would need the GEMM to read strided blocks or repack
// its operand at every layer, for no gain on these channel counts. It is the
// layout TFLite and XNNPACK use for the same reason. NHWC also makes a
// general convolution on a dense input an implicit GEMM: a row of output
// pixels is a GEMM whose A is the input image read in place, a segment per
// kernel row (see convOp); im2col remains for grouped or strided-pixel
// inputs and for the output columns whose window crosses the left or right
// edge.
//
// # Threads
//
// A Plan owns a team of threads-1 worker goroutines (exec/internal/workers)
// that live as long as the Plan; the calling goroutine is the last worker.
// Each layer is split into chunks of rows, or of GEMM column panels when a GEMM has at least as many
// output columns as rows (a chunk re-reads the whole other operand: the
// 7x7x1024 layers' weights, 2-4 MiB, once per chunk of rows; see
// gemmSplit); a layer too small to pay for the hand-off runs on the caller
// alone. Threads claim chunks from a shared counter. Workers spin briefly
// between layers before parking, so consecutive layers do not pay a
// goroutine wake-up. Each thread has its own kernels.Workspace (the
// kernels' argument records).
//
// # Same bits for any thread count
//
// A plan's output, and every layer's, has the same bits whatever Threads
// is: the kernels compute each value with the same operations in the same
// order however a layer is split into chunks (see the kernels package), and
// no layer reduces across chunks. Tested for 1 to 4 threads on every
// example network and every real model, on every kernel set. The kernel
// sets differ from each other only where their arithmetic does: AVX2 and
// AVX-512 give identical bits; the generic kernels differ from them by at
// most a few parts in a million of a network's output scale (measured: up
// to 3e-6 on the examples, 7.8e-6 on the real models).
//
// # Memory
//
// Tensor lifetimes come from analyze.Live (the same model behind the
// analysis' peak activation memory); tensors whose lifetimes overlap get
// disjoint ranges of one arena, placed largest first. The arena is at least
// the analysis' peak and usually equal to it. Weights, packed, live beside
// it; per-thread im2col scratch is sized for one tile of rows. The arena and
// the packed GEMM weights are placed on transparent huge pages where Linux
// offers them (kernels.HugeFloats, kernels.Slab): fewer TLB misses, which
// are dear under virtualisation (MobileNet 1.0-224: 2-3% faster).
package exec
