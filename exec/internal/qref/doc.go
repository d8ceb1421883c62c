// Package qref is mnet's scalar integer reference: TensorFlow Lite's
// reference kernels for quantized inference, written straight from
// tensorflow/lite/kernels/internal/reference/ and kept apart from any fast
// path. Every optimized integer kernel must match it bit for bit.
//
// The kernels take plain slices, NHWC shapes and explicit quantization
// parameters, and depend on no mnet graph type, so that a kernel test can
// call them directly. The arithmetic they share (requantization, the
// fixed-point exponential, parameter derivation) is mnet.dev/mnet/internal/qmath.
package qref
