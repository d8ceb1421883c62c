package examples

import (
	"testing"

	"mnet.dev/mnet/spec"
)

// TestExamplesResolve: every example parses and resolves at the default
// and at a few other widths and resolutions.
func TestExamplesResolve(t *testing.T) {
	names := Names()
	if len(names) < 8 {
		t.Fatalf("only %d examples: %v", len(names), names)
	}
	for _, name := range names {
		n, err := Load(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n.Name == "" || n.Source == "" || n.Classes == 0 {
			t.Errorf("%s: name %q source %q classes %d", name, n.Name, n.Source, n.Classes)
		}
		for _, o := range []spec.Options{{}, {Alpha: 0.5}, {Alpha: 0.75, Resolution: 192}} {
			g, err := spec.Resolve(n, o)
			if err != nil {
				t.Errorf("%s %+v: %v", name, o, err)
				continue
			}
			if last := g.Nodes[len(g.Nodes)-1]; last.Out != (spec.Shape{H: 1, W: 1, C: n.Classes}) {
				t.Errorf("%s %+v: output %v, want 1x1x%d", name, o, last.Out, n.Classes)
			}
		}
	}
}

func TestAliases(t *testing.T) {
	for alias, name := range map[string]string{"conv_mobilenet": "mobilenet_v1_conv", "mobilenet": "mobilenet_v1", "vgg16": "vgg16"} {
		if got := Canonical(alias); got != name {
			t.Errorf("Canonical(%q) = %q, want %q", alias, got, name)
		}
		if _, err := Load(alias); err != nil {
			t.Errorf("Load(%q): %v", alias, err)
		}
	}
	if _, err := Load("../go.mod"); err == nil {
		t.Error("Load escaped the embedded directory")
	}
}
