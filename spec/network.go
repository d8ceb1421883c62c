package spec

import (
	"fmt"

	"mnet.dev/mnet/tensor"
)

// Network is a parsed spec: the layers as written, before α, resolution and
// shapes are applied. Resolve turns it into a Graph.
type Network struct {
	File        string // the name errors are reported against
	Name        string
	Description string
	Source      string // where the architecture comes from (paper, framework)

	Input   InputSpec
	Classes int
	// InputType is the input's element type an imported quantized model
	// declares (nil: float32); see Precision.
	InputType *tensor.Type

	Alpha    float64  // default width multiplier (1 when absent)
	Rounding Rounding // default channel rounding rule under α
	Padding  PadConvention

	Defaults Defaults
	Layers   []Layer
}

// InputSpec is the default input image size. Resolve's Resolution option
// replaces Height (and scales Width in proportion).
type InputSpec struct {
	Height, Width, Channels int
	Pos                     Pos
}

// Defaults apply to every convolution (conv, depthwise, pointwise,
// separable) that does not set the field itself.
type Defaults struct {
	Bias       *bool
	BN         *bool
	Activation *Activation
	Padding    *Padding
}

// PadMode is how a layer pads its input.
type PadMode string

// Padding modes.
const (
	PadSame     PadMode = "same"     // output = ceil(in/stride), split per the network's convention
	PadValid    PadMode = "valid"    // no padding
	PadExplicit PadMode = "explicit" // the given amounts
)

// Padding is a layer's padding: a mode, and amounts when explicit.
type Padding struct {
	Mode                     PadMode
	Top, Bottom, Left, Right int
}

func (p Padding) String() string {
	if p.Mode != PadExplicit {
		return string(p.Mode)
	}
	return fmt.Sprintf("[%d,%d,%d,%d]", p.Top, p.Bottom, p.Left, p.Right)
}

// PadConvention decides how "same" padding is split when it matters.
type PadConvention string

// Padding conventions.
const (
	// PadTF is TensorFlow's SAME: output ceil(in/stride), the odd pixel of
	// padding at the bottom/right.
	PadTF PadConvention = "tf"
	// PadKeras is Keras MobileNet's: a stride-s>1 layer with kernel k is
	// zero-padded (k/2-1 before, k/2 after) then run VALID; stride 1 as TF.
	PadKeras PadConvention = "keras"
	// PadSymmetric pads (k-1)/2 on every side (PyTorch's padding=k//2),
	// output floor((in + 2p - k)/s) + 1.
	PadSymmetric PadConvention = "symmetric"
)

// Rounding is the rule that turns c·α into a channel count.
type Rounding string

// Rounding rules.
const (
	// RoundTFSlim is TF-slim's max(int(c·α), 8).
	RoundTFSlim Rounding = "tf-slim"
	// RoundKeras is Keras's int(c·α) (at least 1).
	RoundKeras Rounding = "keras"
	// RoundMultiple8 rounds c·α to the nearest multiple of 8, at least 8 and
	// not below 90% of c·α (MobileNet v2's make_divisible).
	RoundMultiple8 Rounding = "multiple-of-8"
)

// Apply returns the channel count for c channels at width multiplier alpha.
// Every rule leaves c unchanged at α = 1.
func (r Rounding) Apply(c int, alpha float64) int {
	if alpha == 1 {
		return c
	}
	v := float64(c) * alpha
	switch r {
	case RoundKeras:
		return max(int(v), 1)
	case RoundMultiple8:
		return MakeDivisible(v, 8)
	default:
		return max(int(v), 8)
	}
}

// MakeDivisible is TF-slim's and torchvision's _make_divisible(v, d): v
// rounded to the nearest multiple of d, at least d, and raised by d where
// rounding down lost more than 10% of v. MobileNetV2 and V3 round every
// channel count under α with it (d = 8), V2 its expansions (t times the
// input channels) and V3 its squeeze-and-excite reductions (C/4).
func MakeDivisible(v float64, d int) int {
	n := max(d, int(v+float64(d)/2)/d*d)
	if float64(n) < 0.9*v {
		n += d
	}
	return n
}
