// Package qmath holds the integer arithmetic of quantized inference exactly
// as TensorFlow Lite's default build does it, and the checks and derivations
// of quantization parameters that TFLite's kernels make in their Prepare
// step. It is the one place mnet defines these semantics: the TFLite reader
// checks models with it, the scalar reference kernels
// (mnet.dev/mnet/exec/internal/qref) and the fast integer kernels compute
// with it, so that they agree bit for bit.
//
// It lives outside exec because the model reader (spec/tflite) must be able
// to call the checks, and the dependencies run spec <- analyze <- exec; it
// imports nothing of mnet.
//
// # Sources
//
// Each function names the TFLite or gemmlowp function it follows. The files
// are tensorflow/lite/kernels/internal/{common.h, common.cc,
// quantization_util.cc} and tensorflow/lite/kernels/kernel_util.cc (read in
// tensorflow/tflite-micro, whose tensorflow/lite/kernels is the same code),
// the kernels' Prepare steps (conv, depthwise_conv, fully_connected, pooling,
// softmax, add), and gemmlowp's fixedpoint/fixedpoint.h.
//
// # Requantization
//
// A real multiplier r (for a convolution, inputScale * weightsScale /
// outputScale) becomes M * 2^(shift-31) with 2^30 <= M < 2^31
// (QuantizeMultiplier, frexp then round half away from zero), and an int32
// accumulator x is scaled by it in two roundings (MultiplyByQuantizedMultiplier,
// TFLite's default build, not TFLITE_SINGLE_ROUNDING):
//
//	t = round_half_up(x * 2^max(shift,0) * M / 2^31)    SaturatingRoundingDoublingHighMul
//	y = round_half_away(t / 2^max(-shift,0))            RoundingDivideByPOT
//
// Rounding twice is not rounding once: for some x the result is one more or
// one less than round(x * r') with r' = M * 2^(shift-31) exactly. mnet follows
// the double rounding.
//
// Two details of the scales matter to the last bit: TFLite's uint8 kernels
// take inputScale * weightsScale as a float32 product before widening it to
// double (GetQuantizedConvolutionMultipler), its int8 per-channel kernels
// compute the product in double (PopulateConvolutionQuantizationParams);
// PerTensorConvMultiplier and PerChannelConvMultiplier do the same.
//
// # Other runtimes
//
// Optimized runtimes do not all round this way. ruy (TFLite's GEMM backend
// on many builds) rounds the 64-bit product once, half up
// (ruy/apply_multiplier.cc: "not meant to be bit-exact-normative"), as TFLite
// itself does when built with TFLITE_SINGLE_ROUNDING; XNNPACK's int8 kernels
// requantize with a float32 multiply ("fp32") or a single rounding shift
// ("rndnu"); ONNX Runtime's MLAS kernels with a float32 multiply rounded to
// nearest even; TFLite's ARM dot-product depthwise kernels round halves
// upward (DepthwiseConvOutputRounding::kUpward); and TFLite's optimized uint8
// softmax uses a float lookup table instead of the fixed-point arithmetic.
// Each can differ from these results by one step on a small share of values.
// mnet follows TFLite's reference kernels.
package qmath
