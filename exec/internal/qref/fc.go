package qref

import "fmt"

// FullyConnectedParams are a quantized fully connected layer's offsets,
// per-tensor requantization and clamp (TFLite's
// tflite::FullyConnectedParams), with the meaning they have in ConvParams.
type FullyConnectedParams struct {
	InputOffset, WeightsOffset, OutputOffset int32
	OutputMultiplier                         int32
	OutputShift                              int
	ActMin, ActMax                           int32
}

// FullyConnected is TFLite's uint8 fully connected layer
// (reference_ops::FullyConnected in reference/fully_connected.h, the
// multiplier overload): in is batches x depth, filter outDepth x depth (row
// major), out batches x outDepth;
//
//	out[b][o] = clamp(MBQM(sum_d (filter[o][d] + WeightsOffset) * (in[b][d] + InputOffset) + bias[o]) + OutputOffset)
//
// bias may be nil.
func FullyConnected(p FullyConnectedParams, batches, depth, outDepth int, in, filter []uint8, bias []int32, out []uint8) error {
	r := requant{mult: []int32{p.OutputMultiplier}, shift: []int{p.OutputShift}, offset: p.OutputOffset, min: p.ActMin, max: p.ActMax}
	return fullyConnected(p, p.WeightsOffset, &r, batches, depth, outDepth, in, filter, bias, out)
}

// FullyConnectedInt8 is TFLite's int8 fully connected layer with per-tensor
// quantization (reference_integer_ops::FullyConnected in
// reference/integer_ops/fully_connected.h), which keeps the weights offset.
func FullyConnectedInt8(p FullyConnectedParams, batches, depth, outDepth int, in, filter []int8, bias []int32, out []int8) error {
	r := requant{mult: []int32{p.OutputMultiplier}, shift: []int{p.OutputShift}, offset: p.OutputOffset, min: p.ActMin, max: p.ActMax}
	return fullyConnected(p, p.WeightsOffset, &r, batches, depth, outDepth, in, filter, bias, out)
}

// FullyConnectedPerChannel is TFLite's int8 fully connected layer with
// per-channel quantization (reference_integer_ops::FullyConnectedPerChannel,
// the multiplier overload): symmetric weights (p.WeightsOffset and the
// per-tensor multiplier are ignored), one multiplier and shift per output.
func FullyConnectedPerChannel(p FullyConnectedParams, mult []int32, shift []int, batches, depth, outDepth int, in, filter []int8, bias []int32, out []int8) error {
	if err := checkPerChannel(mult, shift, outDepth); err != nil {
		return err
	}
	r := requant{mult: mult, shift: shift, offset: p.OutputOffset, min: p.ActMin, max: p.ActMax}
	return fullyConnected(p, 0, &r, batches, depth, outDepth, in, filter, bias, out)
}

func fullyConnected[T element](p FullyConnectedParams, weightsOffset int32, r *requant, batches, depth, outDepth int, in, filter []T, bias []int32, out []T) error {
	if batches < 1 || depth < 1 || outDepth < 1 {
		return fmt.Errorf("qref: fully connected %d x %d -> %d: every size must be >= 1", batches, depth, outDepth)
	}
	if len(in) != batches*depth || len(filter) != outDepth*depth || len(out) != batches*outDepth {
		return fmt.Errorf("qref: fully connected %d x %d -> %d: input, filter and output have %d, %d and %d elements", batches, depth, outDepth, len(in), len(filter), len(out))
	}
	if bias != nil && len(bias) != outDepth {
		return fmt.Errorf("qref: bias has %d values for %d outputs", len(bias), outDepth)
	}
	if err := checkClamp[T](p.ActMin, p.ActMax); err != nil {
		return err
	}
	for b := range batches {
		x := in[b*depth:][:depth]
		for o := range outDepth {
			w := filter[o*depth:][:depth]
			var acc int32
			for d := range x {
				acc += (int32(w[d]) + weightsOffset) * (int32(x[d]) + p.InputOffset)
			}
			if bias != nil {
				acc += bias[o]
			}
			out[b*outDepth+o] = T(r.apply(acc, o))
		}
	}
	return nil
}
