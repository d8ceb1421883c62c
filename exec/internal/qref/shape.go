package qref

import "fmt"

// Shape is a 4-D shape, dimension 0 outermost and 3 innermost (contiguous),
// as TFLite's RuntimeShape for the 4-D kernels: activations are NHWC
// (batch, height, width, channels); convolution filters are
// [out channels, kh, kw, in channels per group]; depthwise filters are
// [1, kh, kw, in channels x depth multiplier].
type Shape [4]int

// Elems returns the number of elements.
func (s Shape) Elems() int { return s[0] * s[1] * s[2] * s[3] }

// Offset returns the index of element (i0, i1, i2, i3) in a dense row-major
// buffer (TFLite's Offset).
func (s Shape) Offset(i0, i1, i2, i3 int) int {
	return ((i0*s[1]+i1)*s[2]+i2)*s[3] + i3
}

func (s Shape) valid() bool {
	return s[0] >= 1 && s[1] >= 1 && s[2] >= 1 && s[3] >= 1
}

func (s Shape) String() string { return fmt.Sprintf("[%d %d %d %d]", s[0], s[1], s[2], s[3]) }

// Padding is TFLite's padding scheme.
type Padding uint8

// Padding schemes.
const (
	Same  Padding = iota // output = ceil(in / stride)
	Valid                // no padding
)

func (p Padding) String() string {
	if p == Valid {
		return "VALID"
	}
	return "SAME"
}

// OutputSize returns a convolution's or pool's output size along one axis
// and its padding before the first element (top or left), as TFLite's
// ComputeOutSize and ComputePaddingWithOffset (tensorflow/lite/kernels/
// padding.h) compute them: SAME gives ceil(in/stride), VALID
// (in - effective filter)/stride + 1, with effective filter (filter-1) *
// dilation + 1; the total padding (out-1)*stride + effective filter - in,
// if positive, is split with the odd element after (bottom or right). The
// kernels take the before-padding; the after-padding is implied by the
// output size. An output smaller than 1 is an error.
func OutputSize(p Padding, in, filter, stride, dilation int) (out, padBefore int, err error) {
	if in < 1 || filter < 1 || stride < 1 || dilation < 1 {
		return 0, 0, fmt.Errorf("qref: input %d, filter %d, stride %d, dilation %d: all must be >= 1", in, filter, stride, dilation)
	}
	eff := (filter-1)*dilation + 1
	switch p {
	case Same:
		out = (in + stride - 1) / stride
	case Valid:
		out = (in + stride - eff) / stride
	default:
		return 0, 0, fmt.Errorf("qref: padding %d is neither SAME nor VALID", p)
	}
	if out < 1 {
		return 0, 0, fmt.Errorf("qref: filter %d (dilation %d) is larger than the input %d with VALID padding", filter, dilation, in)
	}
	total := (out-1)*stride + eff - in
	return out, max(total, 0) / 2, nil
}
