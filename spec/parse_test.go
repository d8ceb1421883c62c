package spec

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

const header = "name: t\ninput: {height: 32, width: 32, channels: 3}\nclasses: 10\n"

// TestParseErrors checks one bad input of each kind: the error names the
// file, the line and column, the field, and what was expected.
func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, src string
		where     string // "line:col"
		field     string
		want      string
	}{
		{"empty file", "", "", "", "empty file"},
		{"only whitespace", "  \n\n", "", "", "empty file"},
		{"only a comment", "# nothing\n", "", "", "empty file"},
		{"yaml syntax", header + "layers: [ {type: conv\n", "4", "", "invalid YAML"},
		{"tab indentation", header + "layers:\n\t- {type: conv}\n", "5", "", "invalid YAML"},
		{"not a mapping", "- a\n- b\n", "1:1", "", "expected a network spec"},
		{"unknown network key", header + "layres: []\n", "4:1", "layres", `unknown key "layres" in a network spec (did you mean "layers"?)`},
		{"duplicate network key", header + "classes: 5\nlayers: [{type: softmax}]\n", "4:1", "classes", `duplicate key "classes" (first given at line 3)`},
		{"duplicate layer key", header + "layers:\n  - {type: conv, filters: 8, filters: 9, kernel: 3}\n", "5:30", "layers[0].filters", `duplicate key "filters"`},
		{"missing input", "name: t\nlayers: [{type: softmax}]\n", "1:1", "input", "missing"},
		{"missing layers", header, "1:1", "layers", "missing"},
		{"no layers", header + "layers: []\n", "4:9", "layers", "no layers"},
		{"unknown layer kind", header + "layers:\n  - {type: cnov, filters: 8}\n", "5:12", "layers[0].type", `unknown layer type "cnov" (did you mean "conv"?)`},
		{"layer kind alias", header + "layers:\n  - {type: dense, units: 8}\n", "5:12", "layers[0].type", `(did you mean "fc"?)`},
		{"layer without type", header + "layers:\n  - {filters: 8}\n", "5:5", "layers[0]", "has no type"},
		{"unknown layer key", header + "layers:\n  - {type: conv, filters: 8, kernel: 3, strides: 2}\n", "5:41", "layers[0].strides", `unknown key "strides" in a conv layer (did you mean "stride"?)`},
		{"key of another kind", header + "layers:\n  - {type: depthwise, filters: 8}\n", "5:23", "layers[0].filters", `unknown key "filters" in a depthwise layer`},
		{"negative size", header + "layers:\n  - {type: conv, filters: -8, kernel: 3}\n", "5:27", "layers[0].filters", "expected a positive integer, got -8"},
		{"zero size", header + "layers:\n  - {type: conv, filters: 8, kernel: 0}\n", "5:38", "layers[0].kernel", "expected a positive integer, got 0"},
		{"fractional size", header + "layers:\n  - {type: conv, filters: 8.5, kernel: 3}\n", "5:27", "layers[0].filters", "expected a positive integer, got 8.5"},
		{"string size", header + "layers:\n  - {type: conv, filters: many, kernel: 3}\n", "5:27", "layers[0].filters", `expected a positive integer or "classes"`},
		{"absurd size", header + "layers:\n  - {type: conv, filters: 99999999999, kernel: 3}\n", "5:27", "layers[0].filters", "absurdly large"},
		{"missing filters", header + "layers:\n  - {type: conv, kernel: 3}\n", "5:5", "layers[0].filters", "missing: a conv layer needs filters"},
		{"bad kernel list", header + "layers:\n  - {type: conv, filters: 8, kernel: [3, 3, 3]}\n", "5:38", "layers[0].kernel", "expected a number or [height, width]"},
		{"bad padding word", header + "layers:\n  - {type: conv, filters: 8, kernel: 3, padding: sme}\n", "5:50", "layers[0].padding", "expected same, valid"},
		{"bad activation", header + "layers:\n  - {type: conv, filters: 8, kernel: 3, activation: relu7}\n", "5:53", "layers[0].activation", `unknown value "relu7" (did you mean "relu"?`},
		{"bad bool", header + "layers:\n  - {type: conv, filters: 8, kernel: 3, bias: maybe}\n", "5:47", "layers[0].bias", "expected true or false"},
		{"bad alpha", header + "alpha: 0\nlayers: [{type: softmax}]\n", "4:8", "alpha", "a width multiplier in (0, 4]"},
		{"bad rounding", header + "rounding: tfslim\nlayers: [{type: softmax}]\n", "4:11", "rounding", `did you mean "tf-slim"?`},
		{"repeat without layers", header + "layers:\n  - {type: repeat, times: 2}\n", "5:5", "layers[0].layers", "missing"},
		{"huge repeat", header + "layers:\n  - {type: repeat, times: 100000, layers: [{type: softmax}]}\n", "5:27", "layers[0].times", "absurdly large"},
		{"one branch", header + "layers:\n  - {type: concat, branches: [{layers: []}]}\n", "5:30", "layers[0].branches", "at least two branches"},
		{"duplicate branch", header + "layers:\n  - {type: concat, branches: [{name: a}, {name: a}]}\n", "5:42", "layers[0].branches[1].name", `duplicate branch name "a"`},
		{"nested error position", header + "layers:\n  - type: concat\n    branches:\n      - layers: [{type: conv, filters: 8, kernel: x}]\n      - {}\n", "7:51", "layers[0].branches[0].layers[0].kernel", "expected a positive integer"},
		{"global pool with kernel", header + "layers:\n  - {type: avgpool, global: true, kernel: 3}\n", "5:5", "layers[0]", "global pool takes no kernel"},
		{"name with slash", header + "layers:\n  - {type: softmax, name: a/b}\n", "5:27", "layers[0].name", "may not contain"},
		{"two documents", header + "layers: [{type: softmax}]\n---\nname: u\n", "", "", "more than one YAML document"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("net.yaml", []byte(tc.src))
			if err == nil {
				t.Fatalf("Parse accepted bad input:\n%s", tc.src)
			}
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *spec.Error", err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "net.yaml:") {
				t.Errorf("error %q does not start with the file name", msg)
			}
			if tc.where != "" && !strings.HasPrefix(msg, "net.yaml:"+tc.where+":") && !strings.HasPrefix(msg, "net.yaml:"+tc.where+" ") {
				t.Errorf("error %q is not at %s", msg, tc.where)
			}
			if se.Field != tc.field {
				t.Errorf("field = %q, want %q (error %q)", se.Field, tc.field, msg)
			}
			if !strings.Contains(msg, tc.want) {
				t.Errorf("error %q does not say %q", msg, tc.want)
			}
		})
	}
}

func TestParseAliasBomb(t *testing.T) {
	// Each level doubles the layers: 2^40 layers if expanded naively.
	var b strings.Builder
	b.WriteString(header + "x0: &a0 [{type: softmax}, {type: softmax}]\n")
	_, err := Parse("bomb.yaml", []byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), `unknown key "x0"`) {
		t.Fatalf("want unknown key error, got %v", err)
	}
	// Anchors inside the layer list, referenced many times.
	src := header + "layers:\n  - &l0 {type: repeat, times: 2, layers: [{type: softmax}]}\n"
	prev := "l0"
	for i := 1; i <= 40; i++ {
		src += "  - &l" + strconv.Itoa(i) + " {type: repeat, times: 2, layers: [*" + prev + ", *" + prev + "]}\n"
		prev = "l" + strconv.Itoa(i)
	}
	_, err = Parse("bomb.yaml", []byte(src))
	if err == nil {
		t.Fatal("alias bomb parsed without error")
	}
	if !strings.Contains(err.Error(), "too large") && !strings.Contains(err.Error(), "nested more than") {
		t.Fatalf("alias bomb: unexpected error %v", err)
	}
}

func TestParseAccepts(t *testing.T) {
	src := header + `alpha: 0.5
rounding: keras
padding: symmetric
defaults: {bn: true, bias: false, activation: relu6, padding: same}
layers:
  - {type: conv, filters: 16, kernel: [3, 5], stride: [2, 1], padding: [1, 2]}
  - {type: separable, filters: 32, stride: 2}
  - {type: pointwise, filters: 24, groups: 2, scale: false}
  - type: concat
    name: mix
    branches:
      - {name: id}
      - {name: pool, layers: [{type: maxpool, kernel: 3, stride: 1, padding: 1}]}
  - {type: avgpool, kernel: 2, ceil_mode: true, count_pad: true}
  - {type: lrn, size: 3, alpha: 0.001, beta: 0.5, k: 2}
  - {type: flatten}
  - {type: dropout, rate: 0.2}
  - {type: fc, units: classes}
  - {type: softmax}
`
	n, err := Parse("ok.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if n.Alpha != 0.5 || n.Rounding != RoundKeras || n.Padding != PadSymmetric {
		t.Errorf("network parameters: alpha %v rounding %v padding %v", n.Alpha, n.Rounding, n.Padding)
	}
	if *n.Defaults.Activation != ActReLU6 || *n.Defaults.BN != true || *n.Defaults.Bias != false {
		t.Errorf("defaults not read: %+v", n.Defaults)
	}
	l := n.Layers[0].Params.(*ConvLayer)
	if l.Kernel != [2]int{3, 5} || l.Stride != [2]int{2, 1} || *l.Padding != (Padding{PadExplicit, 1, 1, 2, 2}) {
		t.Errorf("conv fields: kernel %v stride %v padding %v", l.Kernel, l.Stride, l.Padding)
	}
	if p := n.Layers[4].Params.(*PoolLayer); p.Stride != [2]int{2, 2} || !p.CeilMode || !p.CountPad {
		t.Errorf("pool defaults to stride = kernel: %+v", p)
	}
	if !n.Layers[8].Params.(*FCLayer).Units.Classes {
		t.Error("units: classes not recognised")
	}
}
