package analyze_test

import (
	"fmt"
	"log"
	"strings"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/spec"
)

// The exact cost of a MobileNet configuration: the width multiplier α and
// the input resolution are spec options.
func ExampleSpec() {
	n, err := examples.Load("mobilenet_v1")
	if err != nil {
		log.Fatal(err)
	}
	r, err := analyze.Spec(n, spec.Options{Alpha: 0.5, Resolution: 160})
	if err != nil {
		log.Fatal(err)
	}
	t := r.Totals
	fmt.Printf("%s α %g, %dx%d: %d mult-adds, %d parameters\n", r.Graph.Name, r.Graph.Alpha, r.Graph.Input.H, r.Graph.Input.W, t.MultAdds, t.Params)
	// Output: MobileNet v1 α 0.5, 160x160: 76524800 mult-adds, 1319648 parameters
}

// A spec may be written inline; Analyze costs a resolved graph.
func ExampleAnalyze() {
	n, err := spec.Parse("tiny.yaml", []byte(`
name: tiny
input: {size: 32, channels: 3}
classes: 10
layers:
  - {type: conv, filters: 16, kernel: 3, stride: 2}
  - {type: separable, filters: 32}
  - {type: avgpool, global: true}
  - {type: fc, units: classes}
`))
	if err != nil {
		log.Fatal(err)
	}
	g, err := spec.Resolve(n, spec.Options{})
	if err != nil {
		log.Fatal(err)
	}
	r, err := analyze.Analyze(g)
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range r.Layers {
		if l.MultAdds > 0 {
			fmt.Printf("%-12s %-16s %-9s %7d mult-adds %5d weights\n", l.Name, l.Type, l.Out, l.MultAdds, l.Weights)
		}
	}
	fmt.Println("total", r.Totals.MultAdds, "mult-adds")
	// Output:
	// conv_1       Conv 3x3         16x16x16   110592 mult-adds   432 weights
	// dw_1         Conv DW 3x3      16x16x16    36864 mult-adds   144 weights
	// pw_1         Conv 1x1         16x16x32   131072 mult-adds   512 weights
	// fc_1         Fully Connected  1x1x10        320 mult-adds   320 weights
	// total 278848 mult-adds
}

// The paper's Table 2: where MobileNet's mult-adds and parameters are, per
// layer type.
func ExampleReport_byType() {
	n, err := examples.Load("mobilenet_v1")
	if err != nil {
		log.Fatal(err)
	}
	r, err := analyze.Spec(n, spec.Options{})
	if err != nil {
		log.Fatal(err)
	}
	for _, tc := range r.ByType {
		fmt.Printf("%-16s %6.2f%% of mult-adds %6.2f%% of parameters\n", tc.Type, 100*tc.MultAddsShare, 100*tc.ParamsShare)
	}
	// Output:
	// Conv 1x1          94.86% of mult-adds  74.59% of parameters
	// Conv DW 3x3        3.06% of mult-adds   1.06% of parameters
	// Conv 3x3           1.91% of mult-adds   0.02% of parameters
	// Fully Connected    0.18% of mult-adds  24.33% of parameters
}

// Parameters under the four conventions: weights only (the paper's), +
// biases, trainable (PyTorch's) and Keras's total.
func ExampleLayer_Params() {
	n, err := examples.Load("mobilenet_v1")
	if err != nil {
		log.Fatal(err)
	}
	r, err := analyze.Spec(n, spec.Options{})
	if err != nil {
		log.Fatal(err)
	}
	l := r.Layers[2] // conv_pw_1: 1x1x32x64, batch norm, no bias
	w, wb, tr, k := l.Params()
	fmt.Println(l.Name, w, wb, tr, k)
	t := r.Totals
	fmt.Println("network", t.Params, t.ParamsWithBias, t.ParamsTrainable, t.ParamsKeras)
	// Output:
	// conv_pw_1 2048 2048 2176 2304
	// network 4209088 4210088 4231976 4253864
}

// Peak activation memory is the largest sum of tensors alive at once
// (here conv_dw_1's output and conv_pw_1's, 131,072 + 262,144 bytes); Live
// gives every tensor's lifetime.
func ExampleLive() {
	n, err := examples.Load("mobilenet_v1")
	if err != nil {
		log.Fatal(err)
	}
	r, err := analyze.Spec(n, spec.Options{Alpha: 0.25, Resolution: 128})
	if err != nil {
		log.Fatal(err)
	}
	t := r.Totals
	fmt.Printf("peak %d bytes at %s\n", t.PeakActivationBytes, r.Layers[t.PeakActivationLayer].Name)
	lv := analyze.Live(r.Graph)
	fmt.Printf("conv1's output (%d bytes) is written at step %d and last read at step %d\n", lv.Bytes[0], lv.Born[0], lv.LastRead[0])
	// Output:
	// peak 393216 bytes at conv_pw_1
	// conv1's output (131072 bytes) is written at step 0 and last read at step 1
}

// The counting conventions every report states.
func ExampleConventions() {
	for _, c := range analyze.Conventions() {
		fmt.Println(strings.SplitN(c, ";", 2)[0])
	}
	// Output:
	// A mult-add is one multiply-accumulate, counted on the output grid for convolutions and fully connected layers only
	// Squeeze-and-excite: its two FCs count C x C/r mult-adds each (class SE FC)
	// Parameters (the paper's convention) are convolution and fully connected weights only
	// Memory is float32 (4 bytes), per image. Weight bytes count weights plus one bias per output channel (batch norm folded). Peak activations: the largest sum of tensors alive at once in execution order (dropout and flatten reuse their input).
	// Arithmetic intensity (MA/byte) is mult-adds per byte of input, weights and output moved once.
}

// The cost of one node of a resolved graph, by the formulas the report
// sums: each op defines its own (spec.Op), spec.CostOf collects them.
func Example_nodeCost() {
	n, err := examples.Load("mobilenet_v1")
	if err != nil {
		log.Fatal(err)
	}
	g, err := spec.Resolve(n, spec.Options{})
	if err != nil {
		log.Fatal(err)
	}
	nd := &g.Nodes[1] // conv_dw_1: 3x3 depthwise over 112x112x32
	c := spec.CostOf(nd)
	fmt.Println(nd.Op.Class(), c.MultAdds, c.Weights, c.Biases, c.BNChannels)
	// Output: Conv DW 3x3 3612672 288 0 32
}
