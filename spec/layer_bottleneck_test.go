package spec

import (
	"strings"
	"testing"
)

func resolveText(t *testing.T, text string, o Options) *Graph {
	t.Helper()
	n, err := Parse("b.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	g, err := Resolve(n, o)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func nodeNames(g *Graph) string {
	var names []string
	for _, n := range g.Nodes {
		names = append(names, n.Name)
	}
	return strings.Join(names, " ")
}

// TestBottleneckNodes: the block's nodes and their widths; the expansion is
// left out at t = 1, the add only at stride 1 with equal widths.
func TestBottleneckNodes(t *testing.T) {
	g := resolveText(t, `input: {size: 16, channels: 16}
rounding: multiple-of-8
layers:
  - {type: bottleneck, expansion: 1, filters: 16}
  - {type: bottleneck, filters: 24, stride: 2}
  - {name: b, type: bottleneck, filters: 24, kernel: 5, se: true, activation: hard-swish}
  - {type: bottleneck, filters: 24, residual: false}
`, Options{})
	want := "block_1/dw block_1/project block_1/add block_2/expand block_2/dw block_2/project " +
		"b/expand b/dw b/se/pool b/se/reduce b/se/expand b/se/scale b/project b/add " +
		"block_3/expand block_3/dw block_3/project"
	if got := nodeNames(g); got != want {
		t.Fatalf("nodes\n%s\nwant\n%s", got, want)
	}
	byName := map[string]*Node{}
	for i := range g.Nodes {
		byName[g.Nodes[i].Name] = &g.Nodes[i]
	}
	if n := byName["block_2/expand"]; n.Out.C != 96 || n.Op.(*Conv).Act != ActReLU6 || !n.Op.(*Conv).BN {
		t.Errorf("expansion %v %+v", n.Out, n.Op)
	}
	if n := byName["block_2/dw"]; n.Out != (Shape{8, 8, 96}) || n.Op.(*Depthwise).SH != 2 {
		t.Errorf("depthwise %v %+v", n.Out, n.Op)
	}
	if n := byName["b/project"]; n.Op.(*Conv).Act != ActNone || n.Out.C != 24 {
		t.Errorf("projection %v %+v", n.Out, n.Op)
	}
	if n := byName["b/dw"]; n.Op.(*Depthwise).KH != 5 || n.Op.(*Depthwise).Act != ActHardSwish {
		t.Errorf("depthwise %+v", n.Op)
	}
	// SE over 144 channels: MakeDivisible(144/4, 8) = 40 inner units.
	if n := byName["b/se/reduce"]; n.Out.C != 40 || n.In.C != 144 || n.Op.Class() != "SE FC" || n.Op.(*FC).Act != ActReLU || !n.Op.(*FC).Bias {
		t.Errorf("reduce %v %v %+v", n.In, n.Out, n.Op)
	}
	if n := byName["b/se/expand"]; n.Out.C != 144 || n.Op.(*FC).Act != ActHardSigmoid {
		t.Errorf("expand %v %+v", n.Out, n.Op)
	}
	if n := byName["b/se/scale"]; len(n.Inputs) != 2 || g.Nodes[n.Inputs[0]].Name != "b/dw" || g.Nodes[n.Inputs[1]].Name != "b/se/expand" {
		t.Errorf("scale inputs %v", n.Inputs)
	}
	if n := byName["b/add"]; g.Nodes[n.Inputs[0]].Name != "b/project" || g.Nodes[n.Inputs[1]].Name != "block_2/project" {
		t.Errorf("add inputs %v", n.Inputs)
	}
}

// TestWidthRules: make_divisible, the expansion under each rounding rule,
// explicit expansions under α, and min_alpha.
func TestWidthRules(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want int
	}{{11.2, 16}, {12, 16}, {18, 24}, {20, 24}, {4, 8}, {30, 32}, {36, 40}, {60, 64}, {168, 168}, {1792, 1792}, {44.8, 48}} {
		if got := MakeDivisible(c.v, 8); got != c.want {
			t.Errorf("MakeDivisible(%g, 8) = %d, want %d", c.v, got, c.want)
		}
	}
	const net = `input: {size: 8, channels: 3}
rounding: ROUND
layers:
  - {type: conv, filters: 32, kernel: 3}
  - {type: bottleneck, filters: 16, expansion: 2.5}
  - {type: bottleneck, filters: 16, expanded: 72}
  - {type: pointwise, filters: 1280, min_alpha: 1}
`
	for _, c := range []struct {
		round  string
		alpha  float64
		widths []int // conv, expand 1, project 1, expand 2, last
	}{
		{"multiple-of-8", 1, []int{32, 80, 16, 72, 1280}},
		{"multiple-of-8", 0.35, []int{16, 40, 8, 24, 1280}},
		{"multiple-of-8", 1.4, []int{48, 120, 24, 104, 1792}},
		{"keras", 0.5, []int{16, 40, 8, 36, 1280}},
	} {
		g := resolveText(t, strings.Replace(net, "ROUND", c.round, 1), Options{Alpha: c.alpha})
		var got []int
		for _, n := range g.Nodes {
			if cv, ok := n.Op.(*Conv); ok && (cv.KH == 3 || strings.HasSuffix(n.Name, "expand") || n.Name == "block_1/project" || n.Name == "pw_1") {
				got = append(got, n.Out.C)
			}
		}
		if len(got) != len(c.widths) {
			t.Fatalf("%s α %g: widths %v (%s)", c.round, c.alpha, got, nodeNames(g))
		}
		for i := range got {
			if got[i] != c.widths[i] {
				t.Errorf("%s α %g: widths %v, want %v", c.round, c.alpha, got, c.widths)
				break
			}
		}
	}
}

func TestBottleneckErrors(t *testing.T) {
	for text, want := range map[string]string{
		"{type: bottleneck}":                                         "needs filters",
		"{type: bottleneck, filters: 8, expansion: 0.5}":             "expansion factor t in [1, 64]",
		"{type: bottleneck, filters: 8, expansion: 2, expanded: 16}": "not both",
		"{type: bottleneck, filters: 8, expanded: classes}":          "got classes",
		"{type: se, reduction: 0}":                                   "reduction",
		"{type: pointwise, filters: 8, min_alpha: 5}":                "min_alpha",
	} {
		_, err := Parse("e.yaml", []byte("input: {size: 8}\nclasses: 3\nlayers: ["+text+"]\n"))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", text, err, want)
		}
	}
}
