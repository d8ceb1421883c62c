package cmdutil

import (
	"reflect"
	"testing"
)

func TestRanges(t *testing.T) {
	f, err := ParseFloatRange("0.25:1:0.25")
	if err != nil || !reflect.DeepEqual(f, []float64{0.25, 0.5, 0.75, 1}) {
		t.Errorf("0.25:1:0.25 = %v, %v", f, err)
	}
	f, err = ParseFloatRange("0.1:0.3:0.1") // float error must not drop 0.3
	if err != nil || !reflect.DeepEqual(f, []float64{0.1, 0.2, 0.3}) {
		t.Errorf("0.1:0.3:0.1 = %v, %v", f, err)
	}
	i, err := ParseIntRange("224:128:-32")
	if err != nil || !reflect.DeepEqual(i, []int{224, 192, 160, 128}) {
		t.Errorf("224:128:-32 = %v, %v", i, err)
	}
	i, err = ParseIntRange("96, 128,224")
	if err != nil || !reflect.DeepEqual(i, []int{96, 128, 224}) {
		t.Errorf("list = %v, %v", i, err)
	}
	for _, bad := range []string{"", "1:2", "1:2:0", "2:1:1", "a:b:c", "1:1000000:1", "x", "NaN", "0.5:1:0.1x"} {
		if _, err := ParseFloatRange(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := ParseIntRange("96:128:0.5"); err == nil {
		t.Error("fractional resolution accepted")
	}
}

// TestRangeLimits: every value of a range is within spec's limits, and a
// bad range is a usage error naming the flag.
func TestRangeLimits(t *testing.T) {
	if as, err := ParseAlphas("alpha", "0.25:1:0.25"); err != nil || len(as) != 4 {
		t.Errorf("alphas %v %v", as, err)
	}
	for _, c := range []struct {
		f    func() error
		want string
	}{
		{func() error { _, err := ParseAlphas("alpha", "1,5"); return err }, "--alpha: 5 out of range (0, 4]"},
		{func() error { _, err := ParseAlphas("alphas", "x"); return err }, `--alphas "x": "x" is not a number`},
		{func() error { _, err := ParseResolutions("res", "224,70000"); return err }, "--res: 70000 out of range [1, 65536]"},
		{func() error { _, err := ParseResolutions("resolutions", "0"); return err }, "--resolutions: 0 out of range [1, 65536]"},
	} {
		err := c.f()
		if err == nil || err.Error() != c.want || ExitCode(err) != ExitUsage {
			t.Errorf("%v (exit %d), want %q", err, ExitCode(err), c.want)
		}
	}
}
