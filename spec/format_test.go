package spec

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestFormatRoundTrip: every example, written back with Format and parsed
// again, resolves to the same graph at several α and resolutions.
func TestFormatRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("../examples/*.yaml")
	if len(files) == 0 {
		t.Fatal("no examples")
	}
	for _, p := range files {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		a, err := Parse(p, src)
		if err != nil {
			t.Fatal(err)
		}
		out := Format(a)
		b, err := Parse("formatted", out)
		if err != nil {
			t.Fatalf("%s: formatted spec does not parse: %v\n%s", p, err, out)
		}
		for _, o := range []Options{{}, {Alpha: 0.5, Resolution: 160}} {
			ga, err1 := Resolve(a, o)
			gb, err2 := Resolve(b, o)
			if err1 != nil || err2 != nil {
				t.Fatalf("%s: %v / %v", p, err1, err2)
			}
			if len(ga.Nodes) != len(gb.Nodes) {
				t.Fatalf("%s: %d nodes after formatting, %d before", p, len(gb.Nodes), len(ga.Nodes))
			}
			for i := range ga.Nodes {
				x, y := ga.Nodes[i], gb.Nodes[i]
				x.Pos, y.Pos, x.Field, y.Field = Pos{}, Pos{}, "", ""
				if !reflect.DeepEqual(x, y) {
					t.Fatalf("%s: node %d differs:\n%+v\n%+v", p, i, x, y)
				}
			}
		}
	}
}
