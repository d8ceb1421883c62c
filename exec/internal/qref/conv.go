package qref

import (
	"fmt"
	"math"

	"mnet.dev/mnet/internal/qmath"
)

// ConvParams are a quantized convolution's geometry and requantization, the
// fields of TFLite's tflite::ConvParams the reference kernels read.
type ConvParams struct {
	StrideW, StrideH     int // >= 1
	DilationW, DilationH int // >= 1
	// PadW and PadH are the padding before the first column and row (TFLite's
	// padding_values.width/height); pixels outside the input contribute
	// nothing (not the zero point: they are skipped).
	PadW, PadH int
	// InputOffset and WeightsOffset are minus the input and weights zero
	// points; OutputOffset is the output zero point.
	InputOffset, WeightsOffset, OutputOffset int32
	// OutputMultiplier and OutputShift are the per-tensor requantization
	// (qmath.Multiplier M and Shift); the per-channel kernels take arrays
	// instead.
	OutputMultiplier int32
	OutputShift      int
	// ActMin and ActMax are the output clamp (qmath.ActivationRange), within
	// the output type's range.
	ActMin, ActMax int32
}

// element is the type of quantized activations and weights.
type element interface{ ~uint8 | ~int8 }

func typeRange[T element]() (lo, hi int32) {
	var z T
	if T(z-1) < 0 {
		return math.MinInt8, math.MaxInt8
	}
	return 0, math.MaxUint8
}

// requant is the epilogue every convolution-like kernel shares: bias,
// MultiplyByQuantizedMultiplier, output offset, clamp.
type requant struct {
	mult     []int32 // one per output channel, or one for all
	shift    []int
	offset   int32
	min, max int32
}

func (r *requant) apply(acc int32, c int) int32 {
	if len(r.mult) == 1 {
		c = 0
	}
	acc = qmath.MultiplyByQuantizedMultiplier(acc, r.mult[c], r.shift[c])
	acc += r.offset
	return min(max(acc, r.min), r.max)
}

func checkLen(what string, got int, s Shape) error {
	if !s.valid() {
		return fmt.Errorf("qref: %s shape %v: every dimension must be >= 1", what, s)
	}
	if got != s.Elems() {
		return fmt.Errorf("qref: %s has %d elements, want %d for shape %v", what, got, s.Elems(), s)
	}
	return nil
}

func checkClamp[T element](lo, hi int32) error {
	tlo, thi := typeRange[T]()
	if lo > hi || lo < tlo || hi > thi {
		return fmt.Errorf("qref: activation clamp [%d, %d] is not a range within [%d, %d]", lo, hi, tlo, thi)
	}
	return nil
}

func checkPerChannel(mult []int32, shift []int, channels int) error {
	if len(mult) != channels || len(shift) != channels {
		return fmt.Errorf("qref: %d multipliers and %d shifts for %d output channels", len(mult), len(shift), channels)
	}
	return nil
}

func checkGeometry(strideW, strideH, dilW, dilH int) error {
	if strideW < 1 || strideH < 1 || dilW < 1 || dilH < 1 {
		return fmt.Errorf("qref: strides %dx%d and dilations %dx%d must be >= 1", strideW, strideH, dilW, dilH)
	}
	return nil
}

// Conv is TFLite's uint8 convolution with per-tensor quantization
// (reference_ops::Conv in tensorflow/lite/kernels/internal/reference/conv.h):
// for every output element,
//
//	acc = sum over the window and input channels of
//	      (filter + WeightsOffset) * (input + InputOffset)   (int32, wrapping)
//	acc += bias[oc]
//	out = clamp(MultiplyByQuantizedMultiplier(acc, OutputMultiplier, OutputShift) + OutputOffset, ActMin, ActMax)
//
// Window positions outside the input are skipped. The input channels may be
// a multiple of the filter's (grouped convolution: output channel oc reads
// group oc / (out channels / groups)). bias may be nil.
func Conv(p ConvParams, inShape Shape, in []uint8, filterShape Shape, filter []uint8, bias []int32, outShape Shape, out []uint8) error {
	r := requant{mult: []int32{p.OutputMultiplier}, shift: []int{p.OutputShift}, offset: p.OutputOffset, min: p.ActMin, max: p.ActMax}
	return conv(p, p.WeightsOffset, &r, inShape, in, filterShape, filter, bias, outShape, out)
}

// ConvPerChannel is TFLite's int8 convolution with per-channel quantization
// (reference_integer_ops::ConvPerChannel in
// reference/integer_ops/conv.h): as Conv, with symmetric weights (no weights
// offset: p.WeightsOffset is ignored) and the multiplier and shift of each
// output channel from mult and shift.
func ConvPerChannel(p ConvParams, mult []int32, shift []int, inShape Shape, in []int8, filterShape Shape, filter []int8, bias []int32, outShape Shape, out []int8) error {
	if err := checkPerChannel(mult, shift, outShape[3]); err != nil {
		return err
	}
	r := requant{mult: mult, shift: shift, offset: p.OutputOffset, min: p.ActMin, max: p.ActMax}
	return conv(p, 0, &r, inShape, in, filterShape, filter, bias, outShape, out)
}

func conv[T element](p ConvParams, weightsOffset int32, r *requant, inShape Shape, in []T, fShape Shape, filter []T, bias []int32, outShape Shape, out []T) error {
	if err := checkConv[T](p, inShape, len(in), fShape, len(filter), bias, outShape, len(out)); err != nil {
		return err
	}
	inH, inW, inC := inShape[1], inShape[2], inShape[3]
	fH, fW, fC := fShape[1], fShape[2], fShape[3]
	outC := outShape[3]
	perGroup := outC / (inC / fC)
	inOff := p.InputOffset
	for b := range outShape[0] {
		for oy := range outShape[1] {
			y0 := oy*p.StrideH - p.PadH
			for ox := range outShape[2] {
				x0 := ox*p.StrideW - p.PadW
				for oc := range outC {
					inC0 := (oc / perGroup) * fC
					var acc int32
					for fy := range fH {
						iy := y0 + p.DilationH*fy
						if iy < 0 || iy >= inH {
							continue
						}
						for fx := range fW {
							ix := x0 + p.DilationW*fx
							if ix < 0 || ix >= inW {
								continue
							}
							x := in[inShape.Offset(b, iy, ix, inC0):][:fC]
							w := filter[fShape.Offset(oc, fy, fx, 0):][:len(x)]
							for ic, xv := range x {
								acc += (int32(w[ic]) + weightsOffset) * (int32(xv) + inOff)
							}
						}
					}
					if bias != nil {
						acc += bias[oc]
					}
					out[outShape.Offset(b, oy, ox, oc)] = T(r.apply(acc, oc))
				}
			}
		}
	}
	return nil
}

func checkConv[T element](p ConvParams, inShape Shape, nIn int, fShape Shape, nFilter int, bias []int32, outShape Shape, nOut int) error {
	if err := checkLen("input", nIn, inShape); err != nil {
		return err
	}
	if err := checkLen("filter", nFilter, fShape); err != nil {
		return err
	}
	if err := checkLen("output", nOut, outShape); err != nil {
		return err
	}
	if err := checkGeometry(p.StrideW, p.StrideH, p.DilationW, p.DilationH); err != nil {
		return err
	}
	if inShape[0] != outShape[0] {
		return fmt.Errorf("qref: input batch %d != output batch %d", inShape[0], outShape[0])
	}
	if fShape[0] != outShape[3] {
		return fmt.Errorf("qref: filter has %d output channels, output %d", fShape[0], outShape[3])
	}
	if inShape[3]%fShape[3] != 0 || outShape[3]%(inShape[3]/fShape[3]) != 0 {
		return fmt.Errorf("qref: %d input channels, %d per filter and %d outputs do not form groups", inShape[3], fShape[3], outShape[3])
	}
	if bias != nil && len(bias) != outShape[3] {
		return fmt.Errorf("qref: bias has %d values for %d output channels", len(bias), outShape[3])
	}
	return checkClamp[T](p.ActMin, p.ActMax)
}
