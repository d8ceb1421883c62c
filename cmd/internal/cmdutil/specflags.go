package cmdutil

import (
	"github.com/spf13/pflag"

	"mnet.dev/mnet/spec"
)

// SpecFlags are the network-level overrides every command that builds a
// network accepts.
type SpecFlags struct {
	Alpha      float64
	Resolution int
	Classes    int
	Rounding   string
	Padding    string

	fs *pflag.FlagSet
}

// Add registers --alpha, --res, --classes, --rounding and --padding.
func (s *SpecFlags) Add(fs *pflag.FlagSet) {
	s.fs = fs
	fs.Float64VarP(&s.Alpha, "alpha", "a", 0, "width multiplier α (default: the spec's, 1.0 for MobileNet)")
	fs.IntVarP(&s.Resolution, "res", "r", 0, "input resolution in pixels, ρ = res/224 for MobileNet (default: the spec's)")
	fs.IntVar(&s.Classes, "classes", 0, "number of classes (default: the spec's)")
	fs.StringVar(&s.Rounding, "rounding", "", "channel rounding under α: tf-slim, keras or multiple-of-8 (default: the spec's)")
	fs.StringVar(&s.Padding, "padding", "", "SAME padding convention: tf, keras or symmetric (default: the spec's)")
}

// Options validates the flags and converts them to spec options.
func (s *SpecFlags) Options() (spec.Options, error) {
	o := spec.Options{Alpha: s.Alpha, Resolution: s.Resolution, Classes: s.Classes,
		Rounding: spec.Rounding(s.Rounding), Padding: spec.PadConvention(s.Padding)}
	given := func(name string) bool { return s.fs != nil && s.fs.Changed(name) }
	if s.Alpha < 0 || s.Alpha > 4 || s.Alpha != s.Alpha || (s.Alpha == 0 && given("alpha")) {
		return o, FlagErrorf("--alpha %g out of range (0, 4]", s.Alpha)
	}
	if s.Resolution < 0 || s.Resolution > 1<<16 || (s.Resolution == 0 && given("res")) {
		return o, FlagErrorf("--res %d out of range [1, 65536]", s.Resolution)
	}
	if s.Classes < 0 || s.Classes > 1<<24 || (s.Classes == 0 && given("classes")) {
		return o, FlagErrorf("--classes %d out of range", s.Classes)
	}
	switch o.Rounding {
	case "", spec.RoundTFSlim, spec.RoundKeras, spec.RoundMultiple8:
	default:
		return o, FlagErrorf("--rounding %q: want tf-slim, keras or multiple-of-8", s.Rounding)
	}
	switch o.Padding {
	case "", spec.PadTF, spec.PadKeras, spec.PadSymmetric:
	default:
		return o, FlagErrorf("--padding %q: want tf, keras or symmetric", s.Padding)
	}
	return o, nil
}
