package spec

import (
	"fmt"
	"math"
	"strconv"
)

// Limits on the network-level options: the one definition every tool
// (analyze, sweep, exec, plot, tui) validates Options against, through
// Options.Check.
const (
	// MaxAlpha bounds the width multiplier: α in (0, MaxAlpha].
	MaxAlpha = 4.0
	// MaxResolution bounds the input resolution: [1, MaxResolution] pixels.
	// (A square RGB input over about 26,700 pixels exceeds MaxTensorElems
	// anyway; Resolve says so.)
	MaxResolution = 1 << 16
	// MaxClasses bounds the classifier's outputs: [1, MaxClasses].
	MaxClasses = 1 << 24
)

// A RangeError is a network-level option outside its limits.
type RangeError struct {
	Option string // "alpha", "resolution" or "classes": the Options field
	What   string // what it is, for messages: "width multiplier", ...
	Value  string // the value, formatted
	Range  string // the allowed range: "(0, 4]", "[1, 65536]"
}

func (e *RangeError) Error() string { return e.What + " " + e.Value + " out of range " + e.Range }

// CheckAlpha returns a *RangeError unless a is a width multiplier in
// (0, MaxAlpha].
func CheckAlpha(a float64) error {
	if a > 0 && a <= MaxAlpha && !math.IsNaN(a) {
		return nil
	}
	return &RangeError{Option: "alpha", What: "width multiplier", Value: strconv.FormatFloat(a, 'g', -1, 64), Range: "(0, " + strconv.FormatFloat(MaxAlpha, 'g', -1, 64) + "]"}
}

// CheckResolution returns a *RangeError unless r is in [1, MaxResolution].
func CheckResolution(r int) error {
	if r >= 1 && r <= MaxResolution {
		return nil
	}
	return &RangeError{Option: "resolution", What: "resolution", Value: strconv.Itoa(r), Range: "[1, " + strconv.Itoa(MaxResolution) + "]"}
}

// CheckClasses returns a *RangeError unless c is in [1, MaxClasses].
func CheckClasses(c int) error {
	if c >= 1 && c <= MaxClasses {
		return nil
	}
	return &RangeError{Option: "classes", What: "class count", Value: strconv.Itoa(c), Range: "[1, " + strconv.Itoa(MaxClasses) + "]"}
}

// Check validates the options that are set (zero values keep the spec's
// own): α, resolution and classes against the limits above (a *RangeError),
// rounding and padding against the known rules (an *Error naming the
// field, without a file).
func (o Options) Check() error {
	if o.Alpha != 0 {
		if err := CheckAlpha(o.Alpha); err != nil {
			return err
		}
	}
	if o.Resolution != 0 {
		if err := CheckResolution(o.Resolution); err != nil {
			return err
		}
	}
	if o.Classes != 0 {
		if err := CheckClasses(o.Classes); err != nil {
			return err
		}
	}
	if err := checkPrecision(o.Precision); err != nil {
		return err
	}
	switch o.Rounding {
	case "", RoundTFSlim, RoundKeras, RoundMultiple8:
	default:
		return &Error{Field: "rounding", Msg: fmt.Sprintf("unknown rounding rule %q (want tf-slim, keras or multiple-of-8)", o.Rounding)}
	}
	switch o.Padding {
	case "", PadTF, PadKeras, PadSymmetric:
	default:
		return &Error{Field: "padding", Msg: fmt.Sprintf("unknown padding convention %q (want tf, keras or symmetric)", o.Padding)}
	}
	return nil
}
