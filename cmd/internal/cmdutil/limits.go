package cmdutil

import (
	"errors"

	"mnet.dev/mnet/spec"
)

// MaxThreads bounds --threads everywhere (exec.Compile's limit); 0 means
// all cores.
const MaxThreads = 256

// CheckThreads validates a --threads value.
func CheckThreads(n int) error {
	if n < 0 || n > MaxThreads {
		return FlagErrorf("--threads %d out of range [1, %d] (0: all cores)", n, MaxThreads)
	}
	return nil
}

// CheckAlpha validates an --alpha value against spec's limits; 0 keeps the
// spec's own α, but only when the flag was not given.
func CheckAlpha(a float64, given bool) error {
	if a == 0 && !given {
		return nil
	}
	return optionFlagError(spec.CheckAlpha(a))
}

// CheckResolution validates a --res value as CheckAlpha does α.
func CheckResolution(r int, given bool) error {
	if r == 0 && !given {
		return nil
	}
	return optionFlagError(spec.CheckResolution(r))
}

// flagName is the flag that sets a spec.Options field.
func flagName(option string) string {
	if option == "resolution" {
		return "res"
	}
	return option // alpha, classes, rounding, padding
}

// optionFlagError turns spec's verdict on an option (Options.Check, or a
// spec.Check function) into a usage error naming the flag.
func optionFlagError(err error) error {
	if err == nil {
		return nil
	}
	var re *spec.RangeError
	if errors.As(err, &re) {
		return FlagErrorf("--%s %s out of range %s", flagName(re.Option), re.Value, re.Range)
	}
	var se *spec.Error
	if errors.As(err, &se) {
		return FlagErrorf("--%s: %s", flagName(se.Field), se.Msg)
	}
	return &FlagError{Err: err}
}

// rangeFlagError is optionFlagError for one value of a range flag.
func rangeFlagError(flag string, err error) error {
	var re *spec.RangeError
	if errors.As(err, &re) {
		return FlagErrorf("--%s: %s out of range %s", flag, re.Value, re.Range)
	}
	return &FlagError{Err: err}
}
