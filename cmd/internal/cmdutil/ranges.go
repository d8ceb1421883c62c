package cmdutil

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"mnet.dev/mnet/spec"
)

const maxRange = 100_000

// ParseFloatRange parses START:STOP:STEP (inclusive, step may be negative)
// or a comma-separated list.
func ParseFloatRange(s string) ([]float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, fmt.Errorf("empty range")
	}
	if !strings.Contains(s, ":") {
		var out []float64
		for _, f := range strings.Split(s, ",") {
			v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%q is not a number", f)
			}
			out = append(out, v)
		}
		return out, nil
	}
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return nil, fmt.Errorf("want START:STOP:STEP")
	}
	var v [3]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("%q is not a number", p)
		}
		v[i] = f
	}
	start, stop, step := v[0], v[1], v[2]
	if step == 0 || (stop-start)/step < 0 {
		return nil, fmt.Errorf("step %g does not go from %g to %g", step, start, stop)
	}
	n := int(math.Floor((stop-start)/step+1e-9)) + 1
	if n > maxRange {
		return nil, fmt.Errorf("%d values; the limit is %d", n, maxRange)
	}
	out := make([]float64, n)
	for i := range out {
		// Round away the float error of start + i*step (0.1 + 2*0.1 ...).
		out[i] = math.Round((start+float64(i)*step)*1e9) / 1e9
	}
	return out, nil
}

// ParseIntRange is ParseFloatRange for integers.
func ParseIntRange(s string) ([]int, error) {
	fs, err := ParseFloatRange(s)
	if err != nil {
		return nil, err
	}
	out := make([]int, len(fs))
	for i, f := range fs {
		if f != math.Trunc(f) {
			return nil, fmt.Errorf("%g is not an integer", f)
		}
		out[i] = int(f)
	}
	return out, nil
}

// ParseAlphas reads a range of width multipliers for flag (START:STOP:STEP
// or a list), each within spec's limits; errors are usage errors.
func ParseAlphas(flag, s string) ([]float64, error) {
	as, err := ParseFloatRange(s)
	if err != nil {
		return nil, FlagErrorf("--%s %q: %v", flag, s, err)
	}
	for _, a := range as {
		if err := spec.CheckAlpha(a); err != nil {
			return nil, rangeFlagError(flag, err)
		}
	}
	return as, nil
}

// ParseResolutions reads a range of resolutions for flag, each within
// spec's limits; errors are usage errors.
func ParseResolutions(flag, s string) ([]int, error) {
	rs, err := ParseIntRange(s)
	if err != nil {
		return nil, FlagErrorf("--%s %q: %v", flag, s, err)
	}
	for _, r := range rs {
		if err := spec.CheckResolution(r); err != nil {
			return nil, rangeFlagError(flag, err)
		}
	}
	return rs, nil
}
