package spec

import (
	"errors"
	"strings"
	"testing"
)

func mustParse(t *testing.T, src string) *Network {
	t.Helper()
	n, err := Parse("net.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func resolveSrc(t *testing.T, src string, o Options) (*Graph, error) {
	t.Helper()
	return Resolve(mustParse(t, src), o)
}

// TestResolveErrors checks the shape errors: each names the layer's place.
func TestResolveErrors(t *testing.T) {
	cases := []struct {
		name, layers string
		opt          Options
		where, want  string
	}{
		{"groups do not divide input", "  - {type: conv, filters: 8, kernel: 3, groups: 2}\n", Options{}, "5:5", "2 groups do not divide the 3 input channels"},
		{"groups do not divide output", "  - {type: conv, filters: 8, kernel: 1}\n  - {type: conv, filters: 9, kernel: 3, groups: 2}\n", Options{}, "6:5", "2 groups do not divide the 9 output channels"},
		{"kernel does not fit", "  - {type: conv, filters: 8, kernel: 33, padding: valid}\n", Options{}, "5:5", "33-wide window does not fit the input of 32"},
		{"kernel does not fit at low res", "  - {type: maxpool, kernel: 5}\n", Options{Resolution: 4}, "5:5", "does not fit the input of 4"},
		{"output shrinks to zero", "  - type: repeat\n    times: 6\n    layers: [{type: conv, filters: 8, kernel: 3, stride: 2, padding: valid}]\n", Options{}, "7:14", "does not fit the input of 1"},
		{"absurd tensor", "  - {type: conv, filters: 3000000, kernel: 1}\n", Options{}, "5:5", "absurdly large"},
		{"absurd weights", "  - {type: fc, units: 100000000}\n", Options{}, "5:5", "weights of \"fc_1\" are absurdly large"},
		{"absurd input", "  - {type: softmax}\n", Options{Resolution: 60000}, "2:8", "absurdly large"},
		{"classes undefined", "  - {type: fc, units: classes}\n", Options{Classes: 0}, "4:5", "sets no classes"},
		{"branch sizes differ", "  - type: concat\n    branches:\n      - {layers: [{type: maxpool, kernel: 2}]}\n      - {}\n", Options{}, "5:5", "disagree in spatial size"},
		{"add channels differ", "  - type: add\n    branches:\n      - {layers: [{type: pointwise, filters: 4}]}\n      - {}\n", Options{}, "5:5", "add branches disagree in channels"},
		{"duplicate names", "  - {type: softmax, name: s}\n  - {type: softmax, name: s}\n", Options{}, "6:5", `duplicate layer name "s"`},
		{"bad alpha option", "  - {type: softmax}\n", Options{Alpha: 9}, "", "width multiplier 9 out of range"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(header, "classes: 10\n", "", 1)
			if tc.opt.Classes != 0 || !strings.Contains(tc.name, "classes") {
				src = header
			}
			_, err := resolveSrc(t, src+"layers:\n"+tc.layers, tc.opt)
			if err == nil {
				t.Fatal("Resolve accepted a network that cannot run")
			}
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *spec.Error", err)
			}
			if tc.where != "" && !strings.HasPrefix(err.Error(), "net.yaml:"+tc.where+":") {
				t.Errorf("error %q is not at %s", err, tc.where)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
		})
	}
}

func TestWindowConventions(t *testing.T) {
	same := Padding{Mode: PadSame}
	cases := []struct {
		in, k, s  int
		p         Padding
		conv      PadConvention
		ceil      bool
		out, b, a int
	}{
		{224, 3, 2, same, PadTF, false, 112, 0, 1},    // TF: extra pixel bottom/right
		{7, 3, 2, same, PadTF, false, 4, 1, 1},        // odd input
		{112, 3, 1, same, PadTF, false, 112, 1, 1},    // stride 1
		{224, 3, 2, same, PadKeras, false, 112, 0, 1}, // Keras pads (0, 1) then VALID
		{7, 3, 2, same, PadKeras, false, 3, 0, 0},     // differs from TF at odd sizes
		{7, 3, 2, same, PadSymmetric, false, 4, 1, 1}, // PyTorch padding=1
		{8, 3, 2, same, PadSymmetric, false, 4, 1, 0}, // last window stops short
		{10, 3, 2, Padding{Mode: PadValid}, PadTF, false, 4, 0, 0},
		{112, 3, 2, Padding{Mode: PadValid}, PadTF, true, 56, 0, 0},                    // Caffe ceil mode
		{13, 3, 2, Padding{Mode: PadValid}, PadTF, true, 6, 0, 0},                      // 13 -> 6 both ways
		{14, 3, 2, Padding{Mode: PadValid}, PadTF, true, 7, 0, 0},                      // ceil gives 7, floor 6
		{4, 2, 2, Padding{Mode: PadExplicit, Top: 1, Bottom: 1}, PadTF, true, 3, 1, 1}, // last window starting in padding is dropped
		{13, 1, 1, Padding{Mode: PadExplicit, Top: 1, Bottom: 1}, PadTF, false, 15, 1, 1},
	}
	for _, c := range cases {
		out, b, a, err := window(c.in, c.k, c.s, c.p, c.conv, c.ceil)
		if err != nil || out != c.out || b != c.b || a != c.a {
			t.Errorf("window(in %d, k %d, s %d, %v, %s, ceil %v) = %d (%d, %d) %v; want %d (%d, %d)",
				c.in, c.k, c.s, c.p, c.conv, c.ceil, out, b, a, err, c.out, c.b, c.a)
		}
	}
}

func TestRounding(t *testing.T) {
	cases := []struct {
		r     Rounding
		c     int
		alpha float64
		want  int
	}{
		{RoundTFSlim, 32, 0.25, 8}, {RoundTFSlim, 32, 0.125, 8}, {RoundKeras, 32, 0.125, 4},
		{RoundTFSlim, 1024, 0.75, 768}, {RoundKeras, 1024, 0.75, 768},
		{RoundTFSlim, 32, 0.35, 11}, {RoundKeras, 32, 0.35, 11}, {RoundMultiple8, 32, 0.35, 16},
		{RoundMultiple8, 1024, 0.35, 360}, {RoundTFSlim, 1024, 0.35, 358},
		{RoundMultiple8, 64, 0.1, 8}, {RoundMultiple8, 100, 1.3, 128},
		{RoundTFSlim, 4, 1, 4}, // α = 1 leaves every count alone
	}
	for _, c := range cases {
		if got := c.r.Apply(c.c, c.alpha); got != c.want {
			t.Errorf("%s.Apply(%d, %g) = %d, want %d", c.r, c.c, c.alpha, got, c.want)
		}
	}
}

func TestResolveAlphaAndNames(t *testing.T) {
	src := header + `defaults: {bn: true}
layers:
  - {type: conv, filters: 32, kernel: 3, stride: 2}
  - type: repeat
    times: 2
    layers:
      - {type: separable, filters: 64}
      - {type: pointwise, filters: 48, name: "p{i+3}"}
  - {type: pointwise, filters: 40, scale: false}
  - {type: fc, units: classes}
`
	g, err := resolveSrc(t, src, Options{Alpha: 0.5, Resolution: 64, Classes: 7})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, n := range g.Nodes {
		names = append(names, n.Name+":"+n.Out.String())
	}
	want := "conv_1:32x32x16 dw_1:32x32x16 pw_1:32x32x32 p4:32x32x24 dw_2:32x32x24 pw_2:32x32x32 p5:32x32x24 pw_3:32x32x40 fc_1:1x1x7"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("nodes:\n got %s\nwant %s", got, want)
	}
	if g.Rho != 2 || g.Input != (Shape{64, 64, 3}) {
		t.Errorf("rho %v input %v", g.Rho, g.Input)
	}
	if dw, ok := g.Nodes[1].Op.(*Depthwise); !ok || !dw.BN || dw.Bias || dw.Act != ActReLU || dw.Mult != 1 || g.Nodes[1].Out.C != 16 {
		t.Errorf("separable half: %+v", g.Nodes[1].Op)
	}
	if pw, ok := g.Nodes[2].Op.(*Conv); !ok || !pw.BN || pw.Bias || pw.Act != ActReLU || pw.KH != 1 || pw.Groups != 1 {
		t.Errorf("separable half: %+v", g.Nodes[2].Op)
	}
	if fc := g.Nodes[8].Op.(*FC); !fc.Bias || fc.BN || fc.Act != ActNone {
		t.Errorf("classifier ignores conv defaults: %+v", fc)
	}
	if c := g.Nodes[0].Op.(*Conv); !c.BN || !c.Bias {
		t.Errorf("conv with defaults {bn: true}: bias falls back to true: %+v", c)
	}
}

func TestResolveBlocks(t *testing.T) {
	src := header + `layers:
  - {type: conv, filters: 8, kernel: 3, name: stem}
  - type: concat
    name: mix
    branches:
      - {name: a, layers: [{type: pointwise, filters: 4}]}
      - {name: b, layers: [{type: pointwise, filters: 2}, {type: conv, filters: 6, kernel: 3}]}
      - {name: c}
  - type: add
    name: res
    activation: relu
    branches:
      - {layers: [{type: pointwise, filters: 18}]}
      - {}
`
	g, err := resolveSrc(t, src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Node{}
	for _, n := range g.Nodes {
		byName[n.Name] = n
	}
	mix := byName["mix"]
	if mix.Op.Kind() != OpConcat || mix.Out != (Shape{32, 32, 18}) {
		t.Fatalf("concat: %+v", mix)
	}
	a, b2, stem := byName["mix/a/pw_1"].Index, byName["mix/b/conv_1"].Index, byName["stem"].Index
	if len(mix.Inputs) != 3 || mix.Inputs[0] != a || mix.Inputs[1] != b2 || mix.Inputs[2] != stem {
		t.Errorf("concat inputs %v, want [%d %d %d]", mix.Inputs, a, b2, stem)
	}
	if byName["mix/b/pw_1"].Inputs[0] != stem || byName["mix/b/pw_1"].Block != "mix/b" {
		t.Errorf("branch reads the block input: %+v", byName["mix/b/pw_1"])
	}
	res := byName["res"]
	if add, ok := res.Op.(*Add); !ok || add.Act != ActReLU || res.Out != mix.Out || res.Inputs[1] != mix.Index {
		t.Errorf("add: %+v", res)
	}
	cons := g.Consumers()
	if len(cons[stem]) != 3 { // mix/a, mix/b and the identity branch into mix
		t.Errorf("stem consumers %v", cons[stem])
	}
}

func TestResolveNonSquare(t *testing.T) {
	src := "input: {height: 120, width: 160, channels: 1}\nlayers: [{type: conv, filters: 4, kernel: 3, stride: 2}]\n"
	g, err := resolveSrc(t, src, Options{Resolution: 60})
	if err != nil {
		t.Fatal(err)
	}
	if g.Input != (Shape{60, 80, 1}) || g.Nodes[0].Out != (Shape{30, 40, 4}) {
		t.Errorf("input %v out %v", g.Input, g.Nodes[0].Out)
	}
}
