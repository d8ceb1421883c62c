package cmdutil

import (
	"github.com/spf13/pflag"

	"mnet.dev/mnet/spec"
)

// SpecFlags are the network-level overrides every command that builds a
// network accepts. They are validated by spec.Options.Check: the limits
// are spec's, the same in every command.
type SpecFlags struct {
	Alpha      float64
	Resolution int
	Classes    int
	Rounding   string
	Padding    string

	fs     *pflag.FlagSet
	config bool // --alpha and --res are SpecFlags' own
}

// Add registers --alpha, --res, --classes, --rounding and --padding.
func (s *SpecFlags) Add(fs *pflag.FlagSet) {
	s.config = true
	fs.Float64VarP(&s.Alpha, "alpha", "a", 0, "width multiplier α (default: the spec's, 1.0 for MobileNet)")
	fs.IntVarP(&s.Resolution, "res", "r", 0, "input resolution in pixels, ρ = res/224 for MobileNet (default: the spec's)")
	s.AddNetwork(fs)
}

// AddNetwork registers only --classes, --rounding and --padding (for
// commands whose α and resolution are ranges).
func (s *SpecFlags) AddNetwork(fs *pflag.FlagSet) {
	s.fs = fs
	fs.IntVar(&s.Classes, "classes", 0, "number of classes (default: the spec's)")
	fs.StringVar(&s.Rounding, "rounding", "", "channel rounding under α: tf-slim, keras or multiple-of-8 (default: the spec's)")
	fs.StringVar(&s.Padding, "padding", "", "SAME padding convention: tf, keras or symmetric (default: the spec's)")
}

// Options validates the flags and converts them to spec options. A flag
// given as 0 is refused (0 means "the spec's own" only when left out).
func (s *SpecFlags) Options() (spec.Options, error) {
	o := spec.Options{Alpha: s.Alpha, Resolution: s.Resolution, Classes: s.Classes,
		Rounding: spec.Rounding(s.Rounding), Padding: spec.PadConvention(s.Padding)}
	given := func(name string) bool { return s.fs != nil && s.fs.Changed(name) }
	if err := CheckAlpha(s.Alpha, s.config && given("alpha")); err != nil {
		return o, err
	}
	if err := CheckResolution(s.Resolution, s.config && given("res")); err != nil {
		return o, err
	}
	if s.Classes == 0 && given("classes") {
		return o, optionFlagError(spec.CheckClasses(0))
	}
	return o, optionFlagError(o.Check())
}
