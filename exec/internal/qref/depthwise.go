package qref

import "fmt"

// DepthwiseParams are a depthwise convolution's parameters (TFLite's
// tflite::DepthwiseParams): ConvParams plus the depth multiplier, the number
// of output channels per input channel.
type DepthwiseParams struct {
	ConvParams
	DepthMultiplier int // >= 1
}

// DepthwiseConv is TFLite's uint8 depthwise convolution with per-tensor
// quantization (reference_ops::DepthwiseConv in
// reference/depthwiseconv_uint8.h, DepthwiseConvBasicKernel with
// kAwayFromZero rounding, which in the default build is
// MultiplyByQuantizedMultiplier): output channel oc = ic*DepthMultiplier + m
// accumulates (filter[.., oc] + WeightsOffset) * (input[.., ic] +
// InputOffset) over the window, then bias, requantization, offset and clamp
// as Conv. The filter is [1, kh, kw, out channels]. bias may be nil.
func DepthwiseConv(p DepthwiseParams, inShape Shape, in []uint8, filterShape Shape, filter []uint8, bias []int32, outShape Shape, out []uint8) error {
	r := requant{mult: []int32{p.OutputMultiplier}, shift: []int{p.OutputShift}, offset: p.OutputOffset, min: p.ActMin, max: p.ActMax}
	return depthwise(p, p.WeightsOffset, &r, inShape, in, filterShape, filter, bias, outShape, out)
}

// DepthwiseConvPerChannel is TFLite's int8 depthwise convolution with
// per-channel quantization (reference_integer_ops::DepthwiseConvPerChannel in
// reference/integer_ops/depthwise_conv.h): as DepthwiseConv with symmetric
// weights (p.WeightsOffset is ignored) and per-output-channel multipliers.
func DepthwiseConvPerChannel(p DepthwiseParams, mult []int32, shift []int, inShape Shape, in []int8, filterShape Shape, filter []int8, bias []int32, outShape Shape, out []int8) error {
	if err := checkPerChannel(mult, shift, outShape[3]); err != nil {
		return err
	}
	r := requant{mult: mult, shift: shift, offset: p.OutputOffset, min: p.ActMin, max: p.ActMax}
	return depthwise(p, 0, &r, inShape, in, filterShape, filter, bias, outShape, out)
}

func depthwise[T element](p DepthwiseParams, weightsOffset int32, r *requant, inShape Shape, in []T, fShape Shape, filter []T, bias []int32, outShape Shape, out []T) error {
	if err := checkDepthwise[T](p, inShape, len(in), fShape, len(filter), bias, outShape, len(out)); err != nil {
		return err
	}
	inH, inW, inC := inShape[1], inShape[2], inShape[3]
	fH, fW := fShape[1], fShape[2]
	dm := p.DepthMultiplier
	for b := range outShape[0] {
		for oy := range outShape[1] {
			y0 := oy*p.StrideH - p.PadH
			for ox := range outShape[2] {
				x0 := ox*p.StrideW - p.PadW
				for ic := range inC {
					for m := range dm {
						oc := ic*dm + m
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
								x := int32(in[inShape.Offset(b, iy, ix, ic)])
								w := int32(filter[fShape.Offset(0, fy, fx, oc)])
								acc += (w + weightsOffset) * (x + p.InputOffset)
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
	}
	return nil
}

func checkDepthwise[T element](p DepthwiseParams, inShape Shape, nIn int, fShape Shape, nFilter int, bias []int32, outShape Shape, nOut int) error {
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
	if p.DepthMultiplier < 1 {
		return fmt.Errorf("qref: depth multiplier %d must be >= 1", p.DepthMultiplier)
	}
	if inShape[0] != outShape[0] {
		return fmt.Errorf("qref: input batch %d != output batch %d", inShape[0], outShape[0])
	}
	if fShape[0] != 1 || fShape[3] != outShape[3] || outShape[3] != inShape[3]*p.DepthMultiplier {
		return fmt.Errorf("qref: depthwise filter %v, input %v and output %v do not fit depth multiplier %d", fShape, inShape, outShape, p.DepthMultiplier)
	}
	if bias != nil && len(bias) != outShape[3] {
		return fmt.Errorf("qref: bias has %d values for %d output channels", len(bias), outShape[3])
	}
	return checkClamp[T](p.ActMin, p.ActMax)
}
