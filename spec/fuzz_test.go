package spec

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseResolve feeds arbitrary bytes to the parser and, when they
// parse, to shape inference at a few α and resolutions: any panic fails.
func FuzzParseResolve(f *testing.F) {
	files, _ := filepath.Glob("../examples/*.yaml")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(header + "layers: [{type: conv, filters: 8, kernel: 3, groups: 3}]\n"))
	f.Add([]byte(header + "layers: [{type: concat, branches: [{}, {layers: [{type: maxpool, kernel: 2}]}]}]\n"))
	f.Add([]byte(header + "layers: [{type: repeat, times: 3, layers: [{type: separable, filters: 8, stride: 2}]}]\n"))
	f.Add([]byte("input: {size: 1, channels: 1}\nlayers: [{type: avgpool, kernel: 3, ceil_mode: true, padding: [0, 5, 0, 5]}]\n"))
	f.Add([]byte(everyKind))
	f.Add([]byte("&a [*a]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := Parse("fuzz.yaml", data)
		if err != nil {
			return
		}
		for _, o := range []Options{{}, {Alpha: 0.25, Resolution: 17}, {Alpha: 1.7, Resolution: 3, Classes: 5, Rounding: RoundMultiple8, Padding: PadKeras}} {
			g, err := Resolve(n, o)
			if err != nil {
				continue
			}
			for _, nd := range g.Nodes {
				if nd.Out.H < 1 || nd.Out.W < 1 || nd.Out.C < 1 || nd.Out.Elems() > MaxTensorElems {
					t.Fatalf("node %s has shape %v", nd.Name, nd.Out)
				}
			}
		}
	})
}
