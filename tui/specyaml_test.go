package tui

import (
	"strings"
	"testing"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/spec"
)

func TestSpecYAML(t *testing.T) {
	const layers = "layers:\n  - {type: conv, filters: 32, kernel: 3, stride: 2}  # keep me\n  - {type: avgpool, global: true}\n  - {type: fc, units: classes}\n"
	cases := []struct {
		name, src string
		o         spec.Options
		edited    bool // values changed in place, the rest byte for byte
		want      []string
	}{
		{"block input, alpha present", "name: n\ninput:\n  height: 224\n  width: 224\nclasses: 10\nalpha: 1.0\n" + layers,
			spec.Options{Alpha: 0.5, Resolution: 160}, true, []string{"  height: 160\n  width: 160\n", "alpha: 0.5\n", "# keep me"}},
		{"size, no alpha", "name: n\ninput: {size: 224}\nclasses: 10\n" + layers,
			spec.Options{Alpha: 0.75, Resolution: 128}, true, []string{"input: {size: 128}", "alpha: 0.75\nlayers:"}},
		{"non-square input scales its width", "name: n\ninput: {height: 200, width: 300}\nclasses: 10\n" + layers,
			spec.Options{Resolution: 100}, true, []string{"input: {height: 100, width: 150}"}},
		{"a tagged value is re-encoded", "name: n\ninput: {height: 224, width: 224}\nclasses: 10\nalpha: !!float 1\n" + layers,
			spec.Options{Alpha: 0.25, Resolution: 96}, false, []string{"height: 96", "alpha: 0.25", "keep me"}},
		{"a flow mapping is re-encoded", "{name: n, input: {size: 64}, classes: 10, layers: [{type: conv, filters: 8, kernel: 3}, {type: fc, units: classes}]}\n",
			spec.Options{Alpha: 0.5, Resolution: 32}, false, []string{"size: 32", "alpha: 0.5"}},
	}
	for _, c := range cases {
		n, err := spec.Parse("t.yaml", []byte(c.src))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		r, err := analyze.Spec(n, c.o)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		out, err := specYAML([]byte(c.src), r.Graph, "note")
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		s := string(out)
		if !strings.HasPrefix(s, "# note\n") {
			t.Errorf("%s: no note:\n%s", c.name, s)
		}
		for _, w := range c.want {
			if !strings.Contains(s, w) {
				t.Errorf("%s: lacks %q:\n%s", c.name, w, s)
			}
		}
		n2, err := spec.Parse("out.yaml", out)
		if err != nil {
			t.Fatalf("%s: %v\n%s", c.name, err, s)
		}
		r2, err := analyze.Spec(n2, spec.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r2.Totals != r.Totals {
			t.Errorf("%s: written spec analyses to %+v, want %+v", c.name, r2.Totals, r.Totals)
		}
		if c.edited && len(strings.Split(s, "\n")) > len(strings.Split(c.src, "\n"))+2 {
			t.Errorf("%s: not edited in place:\n%s", c.name, s)
		}
	}
	if _, err := specYAML(nil, nil, "x"); err == nil {
		t.Error("no source accepted")
	}
}
