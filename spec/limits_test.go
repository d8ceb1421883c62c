package spec

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// TestLimits: the option limits, and Resolve refusing what Check refuses
// with the file and field named.
func TestLimits(t *testing.T) {
	ok := []Options{{}, {Alpha: MaxAlpha, Resolution: MaxResolution, Classes: MaxClasses}, {Alpha: 1e-3, Resolution: 1, Classes: 1}}
	for _, o := range ok {
		if err := o.Check(); err != nil {
			t.Errorf("%+v: %v", o, err)
		}
	}
	bad := []struct {
		o            Options
		field, value string
	}{
		{Options{Alpha: -1}, "alpha", "-1"},
		{Options{Alpha: MaxAlpha + 0.01}, "alpha", "4.01"},
		{Options{Alpha: math.NaN()}, "alpha", "NaN"},
		{Options{Resolution: -3}, "resolution", "-3"},
		{Options{Resolution: MaxResolution + 1}, "resolution", "65537"},
		{Options{Classes: MaxClasses + 1}, "classes", "16777217"},
		{Options{Classes: -1}, "classes", "-1"},
	}
	n, err := Parse("net.yaml", []byte("name: x\ninput: {size: 8, channels: 3}\nlayers:\n  - {type: softmax}\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range bad {
		var re *RangeError
		if err := c.o.Check(); !errors.As(err, &re) || re.Option != c.field || re.Value != c.value {
			t.Errorf("%+v: %v, want a range error on %s %s", c.o, err, c.field, c.value)
		}
		_, err := Resolve(n, c.o)
		var se *Error
		if !errors.As(err, &se) || se.File != "net.yaml" || se.Field != c.field || !strings.Contains(se.Msg, "out of range") {
			t.Errorf("Resolve %+v: %v", c.o, err)
		}
	}
	for _, o := range []Options{{Rounding: "up"}, {Padding: "caffe"}} {
		var se *Error
		if err := o.Check(); !errors.As(err, &se) || (se.Field != "rounding" && se.Field != "padding") {
			t.Errorf("%+v: %v", o, err)
		}
		if _, err := Resolve(n, o); err == nil || !strings.HasPrefix(err.Error(), "net.yaml: ") {
			t.Errorf("Resolve %+v: %v", o, err)
		}
	}
	if msg := CheckAlpha(5).Error(); msg != "width multiplier 5 out of range (0, 4]" {
		t.Errorf("message %q", msg)
	}
	if msg := CheckResolution(0).Error(); msg != "resolution 0 out of range [1, 65536]" {
		t.Errorf("message %q", msg)
	}
}
