package qref_test

import (
	"math"
	"slices"
	"testing"

	"mnet.dev/mnet/exec/internal/qref"
	"mnet.dev/mnet/internal/qmath"
)

// These tests rerun quantized cases from TFLite's kernel tests with the
// exact quantized outputs those tests expect. The tests build their tensors
// with SingleOpModel (tensorflow/lite/kernels/test_util.h): a uint8 tensor
// with range [min, max] gets scale (max-min)/255 and the zero point
// round(-min/scale) (QuantizationParams, computed in float), values are
// quantized as clamp(round(zp + f/scale)), and the int32 bias gets scale
// input scale x filter scale (a float product) and zero point 0.

type tfliteQuant struct {
	scale float32
	zp    int32
}

// quantParams is test_util.h's QuantizationParams<uint8_t>(min, max).
func quantParams(fmin, fmax float32) tfliteQuant {
	scale := (fmax - fmin) / 255
	zpFromMin := 0 - fmin/scale
	zpFromMax := 255 - fmax/scale
	zp := zpFromMax
	if float32(math.Abs(float64(fmin/scale))) < 255+float32(math.Abs(float64(fmax/scale))) {
		zp = zpFromMin
	}
	return tfliteQuant{scale, int32(min(max(math.Round(float64(zp)), 0), 255))}
}

func (q tfliteQuant) quantize(f []float32) []uint8 {
	out := make([]uint8, len(f))
	for i, v := range f {
		out[i] = uint8(min(max(math.Round(float64(float32(q.zp)+v/q.scale)), 0), 255))
	}
	return out
}

func quantizeBias(f []float32, scale float32) []int32 {
	out := make([]int32, len(f))
	for i, v := range f {
		out[i] = int32(math.Round(float64(v / scale)))
	}
	return out
}

// convParams derives the kernel parameters through qmath.PrepareConv, as the
// TFLite Prepare step does.
func convParams(t *testing.T, in, w, out tfliteQuant, channels, axis int) qref.ConvParams {
	t.Helper()
	bias := qmath.Tensor{Name: "bias", Type: qmath.Int32, Scale: []float32{in.scale * w.scale}, ZeroPoint: []int64{0}}
	q, err := qmath.PrepareConv(
		qmath.Tensor{Name: "in", Type: qmath.Uint8, Scale: []float32{in.scale}, ZeroPoint: []int64{int64(in.zp)}},
		qmath.Tensor{Name: "w", Type: qmath.Uint8, Scale: []float32{w.scale}, ZeroPoint: []int64{int64(w.zp)}},
		&bias,
		qmath.Tensor{Name: "out", Type: qmath.Uint8, Scale: []float32{out.scale}, ZeroPoint: []int64{int64(out.zp)}},
		qmath.ActNone, channels, axis)
	if err != nil {
		t.Fatal(err)
	}
	return qref.ConvParams{StrideW: 1, StrideH: 1, DilationW: 1, DilationH: 1,
		InputOffset: q.InputOffset, WeightsOffset: q.WeightsOffset, OutputOffset: q.OutputOffset,
		OutputMultiplier: q.Multiplier.M, OutputShift: q.Multiplier.Shift, ActMin: q.ActMin, ActMax: q.ActMax}
}

// TFLite's tensorflow/lite/kernels/conv_test.cc, SimpleTestQuantized and
// SimpleTestQuantizedWithAnisotropicStrides (VALID padding).
func TestTFLiteConvQuantized(t *testing.T) {
	in, w, out := quantParams(-63.5, 64), quantParams(-63.5, 64), quantParams(-127, 128)
	if in != (tfliteQuant{0.5, 127}) || out != (tfliteQuant{1, 127}) {
		t.Fatalf("quantization params %+v %+v", in, out)
	}
	p := convParams(t, in, w, out, 3, 0)
	p.StrideW, p.StrideH = 2, 2
	input := in.quantize([]float32{1, 1, 1, 1, 2, 2, 2, 2, 1, 2, 3, 4, 1, 2, 3, 4})
	filter := w.quantize([]float32{1, 2, 3, 4, -1, 1, -1, 1, -1, -1, 1, 1})
	bias := quantizeBias([]float32{1, 2, 3}, in.scale*w.scale)
	got := make([]uint8, 12)
	if err := qref.Conv(p, qref.Shape{2, 2, 4, 1}, input, qref.Shape{3, 2, 2, 1}, filter, bias, qref.Shape{2, 1, 2, 3}, got); err != nil {
		t.Fatal(err)
	}
	if want := []uint8{145, 129, 132, 145, 129, 132, 144, 131, 130, 164, 131, 130}; !slices.Equal(got, want) {
		t.Errorf("SimpleTestQuantized: %v, want %v", got, want)
	}

	p = convParams(t, in, w, out, 1, 0)
	p.StrideW, p.StrideH = 3, 1
	input = in.quantize([]float32{3, 2, 1, -1, -2, -3, 4, 3, 2, -2, -3, -4, 5, 4, 3, -3, -4, -5})
	filter = w.quantize([]float32{1, 2, 3, 4})
	got = make([]uint8, 4)
	if err := qref.Conv(p, qref.Shape{1, 3, 6, 1}, input, qref.Shape{1, 2, 2, 1}, filter, quantizeBias([]float32{-1}, in.scale*w.scale), qref.Shape{1, 2, 2, 1}, got); err != nil {
		t.Fatal(err)
	}
	if want := []uint8{157, 103, 167, 93}; !slices.Equal(got, want) {
		t.Errorf("SimpleTestQuantizedWithAnisotropicStrides: %v, want %v", got, want)
	}
}

// TFLite's tensorflow/lite/kernels/depthwise_conv_test.cc,
// QuantizedDepthwiseConvolutionOpTest MultithreadOnRowSamePaddingTest and
// MultithreadOnRowValidPaddingTest: 3x3 filters over 8 channels, input and
// filter range [0, 128], output [0, 255] (scale 1, zero point 0, so the
// expected dequantized values are the raw outputs).
func TestTFLiteDepthwiseQuantized(t *testing.T) {
	in, w, out := quantParams(0, 128), quantParams(0, 128), quantParams(0, 255)
	row := []float32{1, 1, 0, 0, 1, 1, 0, 0}
	frow := []float32{1, 2, 3, 4, 5, 6, 7, 8}
	for _, c := range []struct {
		name    string
		h       int
		padding qref.Padding
		want    []uint8
	}{
		{"MultithreadOnRowSamePaddingTest", 3, qref.Same, []uint8{
			4, 8, 0, 0, 20, 24, 0, 0, 6, 12, 0, 0, 30, 37, 0, 0, 4, 8, 0, 0, 20, 24, 0, 0,
			6, 12, 0, 0, 30, 37, 0, 0, 9, 18, 0, 0, 46, 55, 0, 0, 6, 12, 0, 0, 30, 37, 0, 0,
			4, 8, 0, 0, 20, 24, 0, 0, 6, 12, 0, 0, 30, 37, 0, 0, 4, 8, 0, 0, 20, 24, 0, 0}},
		{"MultithreadOnRowValidPaddingTest", 5, qref.Valid, []uint8{
			9, 18, 0, 0, 46, 55, 0, 0, 9, 18, 0, 0, 46, 55, 0, 0, 9, 18, 0, 0, 46, 55, 0, 0}},
	} {
		var input, filter []float32
		for range c.h * 3 {
			input = append(input, row...)
		}
		for range 9 {
			filter = append(filter, frow...)
		}
		oh, padH, err := qref.OutputSize(c.padding, c.h, 3, 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		ow, padW, _ := qref.OutputSize(c.padding, 3, 3, 1, 1)
		p := qref.DepthwiseParams{ConvParams: convParams(t, in, w, out, 8, 3), DepthMultiplier: 1}
		p.PadH, p.PadW = padH, padW
		got := make([]uint8, oh*ow*8)
		if err := qref.DepthwiseConv(p, qref.Shape{1, c.h, 3, 8}, in.quantize(input), qref.Shape{1, 3, 3, 8}, w.quantize(filter),
			make([]int32, 8), qref.Shape{1, oh, ow, 8}, got); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestOutputSize(t *testing.T) {
	for _, c := range []struct {
		p                       qref.Padding
		in, filter, stride, dil int
		out, pad                int
	}{
		{qref.Same, 224, 3, 2, 1, 112, 0}, // total padding 1: all of it bottom/right
		{qref.Same, 112, 3, 1, 1, 112, 1},
		{qref.Same, 7, 3, 2, 1, 4, 1},
		{qref.Same, 5, 3, 1, 2, 5, 2}, // effective filter 5
		{qref.Valid, 7, 7, 1, 1, 1, 0},
		{qref.Valid, 9, 3, 1, 3, 3, 0},
		{qref.Valid, 6, 2, 3, 1, 2, 0},
		{qref.Same, 1, 3, 2, 1, 1, 1},
	} {
		out, pad, err := qref.OutputSize(c.p, c.in, c.filter, c.stride, c.dil)
		if err != nil || out != c.out || pad != c.pad {
			t.Errorf("OutputSize(%v, in %d, k %d, s %d, d %d) = %d, %d, %v; want %d, %d", c.p, c.in, c.filter, c.stride, c.dil, out, pad, err, c.out, c.pad)
		}
	}
	if _, _, err := qref.OutputSize(qref.Valid, 2, 3, 1, 1); err == nil {
		t.Error("VALID filter larger than the input accepted")
	}
	if _, _, err := qref.OutputSize(qref.Same, 5, 3, 0, 1); err == nil {
		t.Error("stride 0 accepted")
	}
}
