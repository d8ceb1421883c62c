// Package qref is mnet's scalar integer reference: TensorFlow Lite's
// reference kernels for quantized inference, written straight from
// tensorflow/lite/kernels/internal/reference/ and kept apart from any fast
// path. Every optimized integer kernel (VNNI, AVX2, generic Go) must match
// it bit for bit.
//
// # Use
//
// The kernels take plain slices, NHWC shapes (Shape) and explicit
// quantization parameters, and depend on no mnet graph type, so a kernel
// test can call them directly:
//
//	q, err := qmath.PrepareConv(in, w, &bias, out, qmath.ActRelu6, outC, 0) // checks and derives, as TFLite's Prepare
//	p := qref.ConvParams{StrideW: 2, StrideH: 2, DilationW: 1, DilationH: 1, PadW: padW, PadH: padH,
//		InputOffset: q.InputOffset, WeightsOffset: q.WeightsOffset, OutputOffset: q.OutputOffset,
//		OutputMultiplier: q.Multiplier.M, OutputShift: q.Multiplier.Shift, ActMin: q.ActMin, ActMax: q.ActMax}
//	err = qref.Conv(p, inShape, input, filterShape, filter, biasData, outShape, output)
//
// OutputSize gives TFLite's output size and padding. Package qreftest
// generates random problems (odd sizes, strides, SAME/VALID, zero points at
// the ends of their range, scales 1e-6..1, saturating accumulators) with
// their reference outputs; package reftflite runs whole .tflite models on
// these kernels.
//
// # Kernels and their sources
//
//	Conv                     reference/conv.h, reference_ops::Conv (uint8, per-tensor)
//	ConvPerChannel           reference/integer_ops/conv.h, ConvPerChannel (int8)
//	DepthwiseConv            reference/depthwiseconv_uint8.h, DepthwiseConvBasicKernel<kAwayFromZero>
//	DepthwiseConvPerChannel  reference/integer_ops/depthwise_conv.h, DepthwiseConvPerChannel
//	FullyConnected           reference/fully_connected.h (uint8, multiplier form)
//	FullyConnectedInt8       reference/integer_ops/fully_connected.h, FullyConnected (per tensor)
//	FullyConnectedPerChannel reference/integer_ops/fully_connected.h, FullyConnectedPerChannel
//	AveragePool              reference/pooling.h (uint8: (sum + n/2) / n)
//	AveragePoolInt8          reference/integer_ops/pooling.h (halves away from zero)
//	Softmax, SoftmaxInt8     reference/softmax.h, the fixed-point Softmax<InputT, OutputT>
//	Add, AddInt8             reference/add.h and integer_ops/add.h, AddElementwise (left shift 20)
//
// Their shared arithmetic is mnet.dev/mnet/internal/qmath, whose
// documentation states the rounding (TFLite's default double rounding,
// gemmlowp's fixed point) and where optimized runtimes (ruy, XNNPACK, ONNX
// Runtime) round differently. mnet follows the reference.
//
// # Semantics kept from TFLite
//
//   - Accumulators are int32 and wrap on overflow, as TFLite's do on every
//     target (its contract is that they do not overflow).
//   - Window positions outside the input are skipped, not read as the zero
//     point; average pools divide by the number of positions inside.
//   - A softmax row whose exponentials (relative to its maximum) sum to 512
//     or more, e.g. 512 equal logits, is an error: TFLite aborts there
//     (TFLITE_CHECK on the output shift).
//
// # The two uint8 softmaxes
//
// TFLite's optimized runtime computes uint8 softmax with a float lookup
// table (optimized_ops.h, PopulateSoftmaxLookupTable) rather than this
// fixed-point kernel. Measured here (softmax_test.go): on 3000 random rows
// of 2 to 1001 logits the two agree on all 0.5 million outputs, and the
// reference is within 0.5 steps (1/256) of the exact softmax; on rows of 2
// to 5 logits swept over the whole uint8 range at input scales 0.01 to 2
// they differ in 19 of 2.7 million outputs, by one step each.
//
// # Real models
//
// reftflite's tests run the shared uint8 MobileNets. Against the peers'
// integer references (../shared/peers/fixtures/int8, tflite_int) every
// output of both models on every input is equal when input scale x weights
// scale is taken in double, which is how those references were made; TFLite
// itself takes that product in float32 for uint8 layers
// (GetQuantizedConvolutionMultipler), which mnet follows, and which moves
// up to 4 output steps of the 1.0-224 extractor's 1024 features (about 40%
// of them by at least one step) while leaving the 0.25-128 classifier's
// logits unchanged.
package qref
