// Package qreftest generates random quantized kernel problems for tests:
// the shapes, parameters and data that are hard for integer kernels (odd
// sizes and channel counts, strides 1 and 2 and more, SAME and VALID padding,
// dilation, groups and depth multipliers, zero points at the ends of their
// range, scales from 1e-6 to 1, accumulators that saturate the output), with
// the quantization derived through qmath as the model reader derives it. A
// case's Reference method is the scalar reference output (package qref) an
// optimized kernel must equal.
package qreftest

import (
	"fmt"
	"math"
	"math/rand/v2"

	"mnet.dev/mnet/exec/internal/qref"
	"mnet.dev/mnet/internal/qmath"
)

// Kind selects the operator of a ConvCase.
type Kind uint8

// Operators.
const (
	Conv Kind = iota
	Depthwise
	FullyConnected
)

func (k Kind) String() string {
	return [...]string{"conv", "depthwise", "fully connected"}[k]
}

// ConvCase is one random convolution, depthwise convolution or fully
// connected problem. For FullyConnected the shapes are
// In [batches 1 1 depth], Filter [outDepth 1 1 depth], Out [batches 1 1 outDepth].
type ConvCase struct {
	Kind Kind
	// Int8 selects int8 activations with symmetric per-channel weights;
	// otherwise uint8 with asymmetric per-tensor weights.
	Int8                 bool
	Params               qref.DepthwiseParams // ConvParams for Conv and FullyConnected
	Mult                 []int32              // per output channel (int8)
	Shift                []int
	InShape, FilterShape qref.Shape
	OutShape             qref.Shape
	InU8, FilterU8       []uint8 // uint8 cases
	InI8, FilterI8       []int8  // int8 cases
	Bias                 []int32 // may be nil
	Padding              qref.Padding
	InScale, OutScale    float32
	WeightScales         []float32
	Activation           qmath.Activation
}

func (c *ConvCase) String() string {
	s := "uint8"
	if c.Int8 {
		s = "int8"
	}
	p := c.Params
	return fmt.Sprintf("%s %s in %v filter %v out %v stride %dx%d dilation %dx%d pad %d,%d %s dm %d offsets %d/%d/%d act %s [%d,%d] bias %v",
		s, c.Kind, c.InShape, c.FilterShape, c.OutShape, p.StrideH, p.StrideW, p.DilationH, p.DilationW, p.PadH, p.PadW, c.Padding,
		p.DepthMultiplier, p.InputOffset, p.WeightsOffset, p.OutputOffset, c.Activation, p.ActMin, p.ActMax, c.Bias != nil)
}

// Reference computes the case with the scalar reference kernel; the result
// is []uint8 or []int8 as the case's type.
func (c *ConvCase) Reference() (any, error) {
	p := c.Params
	switch {
	case c.Kind == Conv && !c.Int8:
		out := make([]uint8, c.OutShape.Elems())
		return out, qref.Conv(p.ConvParams, c.InShape, c.InU8, c.FilterShape, c.FilterU8, c.Bias, c.OutShape, out)
	case c.Kind == Conv:
		out := make([]int8, c.OutShape.Elems())
		return out, qref.ConvPerChannel(p.ConvParams, c.Mult, c.Shift, c.InShape, c.InI8, c.FilterShape, c.FilterI8, c.Bias, c.OutShape, out)
	case c.Kind == Depthwise && !c.Int8:
		out := make([]uint8, c.OutShape.Elems())
		return out, qref.DepthwiseConv(p, c.InShape, c.InU8, c.FilterShape, c.FilterU8, c.Bias, c.OutShape, out)
	case c.Kind == Depthwise:
		out := make([]int8, c.OutShape.Elems())
		return out, qref.DepthwiseConvPerChannel(p, c.Mult, c.Shift, c.InShape, c.InI8, c.FilterShape, c.FilterI8, c.Bias, c.OutShape, out)
	}
	fc := qref.FullyConnectedParams{InputOffset: p.InputOffset, WeightsOffset: p.WeightsOffset, OutputOffset: p.OutputOffset,
		OutputMultiplier: p.OutputMultiplier, OutputShift: p.OutputShift, ActMin: p.ActMin, ActMax: p.ActMax}
	b, d, o := c.InShape[0], c.InShape[3], c.OutShape[3]
	if !c.Int8 {
		out := make([]uint8, c.OutShape.Elems())
		return out, qref.FullyConnected(fc, b, d, o, c.InU8, c.FilterU8, c.Bias, out)
	}
	out := make([]int8, c.OutShape.Elems())
	return out, qref.FullyConnectedPerChannel(fc, c.Mult, c.Shift, b, d, o, c.InI8, c.FilterI8, c.Bias, out)
}

// logUniform returns a float32 between lo and hi, uniform in log scale.
func logUniform(r *rand.Rand, lo, hi float64) float32 {
	return float32(math.Exp(math.Log(lo) + r.Float64()*(math.Log(hi)-math.Log(lo))))
}

// zeroPoint picks a zero point at an end or the middle of the range, or
// anywhere.
func zeroPoint(r *rand.Rand, signed bool) int64 {
	if signed {
		return []int64{-128, 0, 127, int64(r.IntN(256)) - 128}[r.IntN(4)]
	}
	return []int64{0, 128, 255, int64(r.IntN(256))}[r.IntN(4)]
}

// fill returns n random values: uniform, or (one time in eight) all at one
// end of the range, which drives accumulators to their extremes.
func fill(r *rand.Rand, n int) []uint8 {
	v := make([]uint8, n)
	switch r.IntN(8) {
	case 0:
		for i := range v {
			v[i] = 255
		}
	case 1: // zeros
	default:
		for i := range v {
			v[i] = uint8(r.Uint32())
		}
	}
	return v
}

func toInt8(v []uint8) []int8 {
	out := make([]int8, len(v))
	for i, x := range v {
		out[i] = int8(x)
	}
	return out
}

func oddSize(r *rand.Rand, max int) int {
	if r.IntN(3) == 0 {
		return 1 + r.IntN(max)
	}
	return 1 + 2*r.IntN((max+1)/2) // odd
}

// RandomConv returns a random valid problem of the given kind and type.
func RandomConv(r *rand.Rand, kind Kind, signed bool) *ConvCase {
	for {
		if c := randomConv(r, kind, signed); c != nil {
			return c
		}
	}
}

func randomConv(r *rand.Rand, kind Kind, signed bool) *ConvCase {
	c := &ConvCase{Kind: kind, Int8: signed}
	batches := 1 + r.IntN(2)
	p := &c.Params
	p.DepthMultiplier = 1
	switch kind {
	case FullyConnected:
		depth, outDepth := oddSize(r, 70), oddSize(r, 40)
		c.InShape, c.FilterShape, c.OutShape = qref.Shape{batches, 1, 1, depth}, qref.Shape{outDepth, 1, 1, depth}, qref.Shape{batches, 1, 1, outDepth}
	default:
		inH, inW := oddSize(r, 13), oddSize(r, 13)
		kh, kw := []int{1, 3, 3, 5, 2}[r.IntN(5)], 0
		if r.IntN(4) == 0 {
			kw = 1 + r.IntN(4)
		} else {
			kw = kh
		}
		p.StrideH, p.StrideW = []int{1, 2, 1, 2, 3}[r.IntN(5)], 0
		p.StrideW = p.StrideH
		if r.IntN(5) == 0 {
			p.StrideW = 1 + r.IntN(3)
		}
		p.DilationH, p.DilationW = 1, 1
		if r.IntN(6) == 0 {
			p.DilationH, p.DilationW = 2, 1+r.IntN(2)
		}
		c.Padding = qref.Padding(r.IntN(2))
		outH, padH, err := qref.OutputSize(c.Padding, inH, kh, p.StrideH, p.DilationH)
		if err != nil {
			return nil
		}
		outW, padW, err := qref.OutputSize(c.Padding, inW, kw, p.StrideW, p.DilationW)
		if err != nil {
			return nil
		}
		p.PadH, p.PadW = padH, padW
		if kind == Conv {
			groups := 1
			if r.IntN(6) == 0 {
				groups = 2 + r.IntN(3)
			}
			perGroupIn, perGroupOut := oddSize(r, 19), oddSize(r, 9)
			c.InShape = qref.Shape{batches, inH, inW, groups * perGroupIn}
			c.FilterShape = qref.Shape{groups * perGroupOut, kh, kw, perGroupIn}
			c.OutShape = qref.Shape{batches, outH, outW, groups * perGroupOut}
		} else {
			ch := oddSize(r, 37)
			if r.IntN(5) == 0 {
				p.DepthMultiplier = 2 + r.IntN(2)
			}
			c.InShape = qref.Shape{batches, inH, inW, ch}
			c.FilterShape = qref.Shape{1, kh, kw, ch * p.DepthMultiplier}
			c.OutShape = qref.Shape{batches, outH, outW, ch * p.DepthMultiplier}
		}
	}
	outC := c.OutShape[3]
	// Terms per output: the window times the input channels a filter reads.
	terms := c.FilterShape[1] * c.FilterShape[2]
	if kind != Depthwise {
		terms *= c.FilterShape[3]
	}

	typ := qmath.Uint8
	if signed {
		typ = qmath.Int8
	}
	c.InScale = logUniform(r, 1e-6, 1)
	nw := 1
	axis := 0
	if kind == Depthwise {
		axis = 3
	}
	if signed && r.IntN(4) != 0 {
		nw = outC
	}
	// Per-channel scales spread by up to 4x either way around one drawn
	// from 1e-6 to 1, as trained models' do.
	base := float64(logUniform(r, 1e-6, 1))
	c.WeightScales = make([]float32, nw)
	for i := range c.WeightScales {
		c.WeightScales[i] = float32(base * float64(logUniform(r, 0.25, 4)))
	}
	// The output scale maps the largest accumulator (terms * 255^2, when
	// inputs and weights sit at the far ends from their zero points) to 255
	// steps, divided by a factor from 1/2 to 8: with typical data most
	// outputs land inside the range, some saturate.
	c.OutScale = float32(float64(c.InScale) * base * float64(terms) * 255 / float64(logUniform(r, 0.5, 8)))
	in := qmath.Tensor{Name: "in", Type: typ, Scale: []float32{c.InScale}, ZeroPoint: []int64{zeroPoint(r, signed)}}
	out := qmath.Tensor{Name: "out", Type: typ, Scale: []float32{c.OutScale}, ZeroPoint: []int64{zeroPoint(r, signed)}}
	w := qmath.Tensor{Name: "w", Type: typ, Scale: c.WeightScales, ZeroPoint: make([]int64, nw), Dimension: axis}
	if !signed {
		w.ZeroPoint[0] = zeroPoint(r, false)
	}
	var bias *qmath.Tensor
	if r.IntN(5) != 0 {
		bs := make([]float32, nw)
		for i, s := range c.WeightScales {
			bs[i] = c.InScale * s
		}
		bias = &qmath.Tensor{Name: "bias", Type: qmath.Int32, Scale: bs, ZeroPoint: make([]int64, nw)}
		c.Bias = make([]int32, outC)
		span := int32(min(float64(terms)*255*255/16, 1<<30)) // 1/16 of the largest accumulator
		for i := range c.Bias {
			c.Bias[i] = r.Int32N(2*span+1) - span
			if r.IntN(20) == 0 {
				c.Bias[i] = []int32{1 << 30, -1 << 30}[r.IntN(2)] // saturates the output
			}
		}
	}
	c.Activation = []qmath.Activation{qmath.ActNone, qmath.ActNone, qmath.ActRelu, qmath.ActRelu6}[r.IntN(4)]
	q, err := qmath.PrepareConv(in, w, bias, out, c.Activation, outC, axis)
	if err != nil {
		return nil // e.g. RELU6 over an output scale whose q(6) overflows
	}
	p.InputOffset, p.WeightsOffset, p.OutputOffset = q.InputOffset, q.WeightsOffset, q.OutputOffset
	p.OutputMultiplier, p.OutputShift = q.Multiplier.M, q.Multiplier.Shift
	p.ActMin, p.ActMax = q.ActMin, q.ActMax
	if signed {
		c.Mult, c.Shift = q.Split()
		c.InI8, c.FilterI8 = toInt8(fill(r, c.InShape.Elems())), toInt8(fill(r, c.FilterShape.Elems()))
		for i, v := range c.FilterI8 { // symmetric weights: -128 is not used
			c.FilterI8[i] = max(v, -127)
		}
	} else {
		c.InU8, c.FilterU8 = fill(r, c.InShape.Elems()), fill(r, c.FilterShape.Elems())
	}
	return c
}
