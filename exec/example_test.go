package exec_test

import (
	"context"
	"fmt"
	"math"
	"time"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/exec"
	"mnet.dev/mnet/spec"
	"mnet.dev/mnet/tensor"
)

// Compile MobileNet v1 0.25-128 with random weights, feed it an image and
// read the class probabilities.
func Example() {
	n, err := examples.Load("mobilenet_v1")
	if err != nil {
		panic(err)
	}
	r, err := analyze.Spec(n, spec.Options{Alpha: 0.25, Resolution: 128})
	if err != nil {
		panic(err)
	}
	p, err := exec.Compile(r, exec.Options{Threads: 1})
	if err != nil {
		panic(err)
	}
	defer p.Close()

	in := p.Input() // batch x H x W x C, float32
	fmt.Println("input:", in.Type, in.Shape)
	for i := range in.Float32() {
		in.Float32()[i] = float32(math.Sin(float64(i))) // an image, in [-1, 1]
	}
	p.Run()
	out := p.Output()
	sum := 0.0
	for _, v := range out.Float32() {
		sum += float64(v)
	}
	fmt.Println("output:", out.Shape, "from", len(p.Layers()), "compiled layers")
	fmt.Printf("probabilities sum to %.4f\n", sum)
	// Output:
	// input: float32 [1 128 128 3]
	// output: [1 1 1 1000] from 30 compiled layers
	// probabilities sum to 1.0000
}

// A batch of images per inference, on several threads: the same bits as
// one thread.
func ExampleCompile() {
	n, _ := examples.Load("mobilenet_v1")
	r, _ := analyze.Spec(n, spec.Options{Alpha: 0.25, Resolution: 96})
	run := func(threads int) []float32 {
		p, err := exec.Compile(r, exec.Options{Threads: threads, Batch: 4, Weights: exec.RandomWeights{Seed: 7}})
		if err != nil {
			panic(err)
		}
		defer p.Close()
		for i := range p.Input().Float32() {
			p.Input().Float32()[i] = float32(i%255)/127.5 - 1
		}
		p.Run()
		return append([]float32(nil), p.Output().Float32()...)
	}
	one, two := run(1), run(2)
	same := len(one) == 4*1000
	for i := range one {
		same = same && math.Float32bits(one[i]) == math.Float32bits(two[i])
	}
	fmt.Println("4 images x 1000 classes, identical on 1 and 2 threads:", same)
	// Output:
	// 4 images x 1000 classes, identical on 1 and 2 threads: true
}

// Look at every layer's output while an inference runs.
func ExamplePlan_RunEach() {
	n, _ := examples.Load("mobilenet_v1")
	r, _ := analyze.Spec(n, spec.Options{Alpha: 0.25, Resolution: 128})
	p, _ := exec.Compile(r, exec.Options{Threads: 1})
	defer p.Close()
	p.RunEach(func(l exec.Layer, out *tensor.Tensor) {
		if l.Index < 3 || l.Type == "Fully Connected" {
			fmt.Printf("%-10s %-16s %v %d mult-adds\n", l.Name, l.Type, out.Shape, l.MultAdds)
		}
	})
	// Output:
	// conv1      Conv 3x3         [1 64 64 8] 884736 mult-adds
	// conv_dw_1  Conv DW 3x3      [1 64 64 8] 294912 mult-adds
	// conv_pw_1  Conv 1x1         [1 64 64 16] 524288 mult-adds
	// fc         Fully Connected  [1 1 1 1000] 256000 mult-adds
}

// Check a compiled plan against the float64 reference executor.
func ExampleReference() {
	n, _ := examples.Load("googlenet")
	r, _ := analyze.Spec(n, spec.Options{Alpha: 0.25, Resolution: 64})
	ws := exec.RandomWeights{Seed: 3}
	p, _ := exec.Compile(r, exec.Options{Weights: ws})
	defer p.Close()
	img := make([]float32, p.Input().Len())
	for i := range img {
		img[i] = float32(math.Cos(float64(i)))
	}
	copy(p.Input().Float32(), img)
	p.Run()
	want, err := exec.Reference(r.Graph, ws, img)
	if err != nil {
		panic(err)
	}
	worst := 0.0
	for i, v := range p.Output().Float32() {
		worst = math.Max(worst, math.Abs(float64(v)-want[i]))
	}
	fmt.Println("within 1e-5 of the reference:", worst < 1e-5)
	// Output:
	// within 1e-5 of the reference: true
}

// Trained weights travel with the network: an importer attaches them to
// the layers (spec.Layer.Weights), and Attached hands them to the plan.
// Here a one-layer network averages its three input channels.
func ExampleAttached() {
	no, linear := false, spec.ActNone
	kernel := []float32{1.0 / 3, 1.0 / 3, 1.0 / 3} // [out 1][kh 1][kw 1][in 3]
	net := &spec.Network{Name: "mean", Input: spec.InputSpec{Height: 2, Width: 2, Channels: 3}, Alpha: 1,
		Rounding: spec.RoundTFSlim, Padding: spec.PadTF,
		Layers: []spec.Layer{{
			Name:    "mean",
			Params:  &spec.PointwiseLayer{Filters: spec.Count{N: 1}, Stride: [2]int{1, 1}, Groups: 1, Fused: spec.Fused{Bias: &no, BN: &no, Activation: &linear}},
			Weights: &spec.Weights{Kernel: tensor.Float32s([]int{1, 1, 1, 3}, kernel)},
		}}}
	r, err := analyze.Spec(net, spec.Options{})
	if err != nil {
		panic(err)
	}
	p, err := exec.Compile(r, exec.Options{Weights: exec.Attached{}, Threads: 1, Kernels: "generic"})
	if err != nil {
		panic(err)
	}
	defer p.Close()
	copy(p.Input().Float32(), []float32{3, 6, 9, 0, 0, 3, 1, 1, 1, 30, 0, 0})
	p.Run()
	fmt.Printf("%.1f\n", p.Output().Float32())
	// Output:
	// [6.0 1.0 1.0 10.0]
}

// RandomWeights gives every weighted layer He-normal weights in the layout
// its op declares.
func ExampleRandomWeights() {
	n, _ := examples.Load("mobilenet_v1")
	r, _ := analyze.Spec(n, spec.Options{Alpha: 0.5})
	for _, i := range []int{0, 1, 28} {
		nd := &r.Graph.Nodes[i]
		w, _ := exec.RandomWeights{Seed: 1}.Layer(nd)
		l := nd.Op.Params(nd)
		fmt.Printf("%-9s %-4s kernel %v, bias %v, batch norm %v\n", nd.Name, l.Layout, w.Kernel.Shape, w.Bias != nil, w.BN != nil)
	}
	// Output:
	// conv1     OHWI kernel [16 3 3 3], bias false, batch norm true
	// conv_dw_1 HWC  kernel [3 3 16], bias false, batch norm true
	// fc        OI   kernel [1000 512], bias true, batch norm false
}

// Time a configuration: Measure compiles, runs and releases the plan.
func ExampleMeasure() {
	n, _ := examples.Load("mobilenet_v1")
	r, _ := analyze.Spec(n, spec.Options{Alpha: 0.25, Resolution: 128})
	res, err := exec.Measure(context.Background(), r, exec.Options{Threads: 1}, exec.MeasureOptions{Warmup: 2, Runs: 10, Profile: true})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Latency.Runs, "runs of", res.MultAdds, "mult-adds;", len(res.Layers), "layers profiled")
	fmt.Println("median within [min, p90]:", res.Latency.Min <= res.Latency.Median && res.Latency.Median <= res.Latency.P90)
	// Output:
	// 10 runs of 13570048 mult-adds; 30 layers profiled
	// median within [min, p90]: true
}

// Summarise durations: the median and 90th percentile interpolate.
func ExampleNewStats() {
	ms := func(v float64) time.Duration { return time.Duration(v * float64(time.Millisecond)) }
	s := exec.NewStats([]time.Duration{ms(5), ms(1), ms(4), ms(2), ms(3)})
	fmt.Println(s.Min, s.Median, s.P90, s.Mean, s.Runs)
	// Output:
	// 1ms 3ms 4.6ms 3ms 5
}

// The kernel sets this build and machine can run.
func ExampleKernelSets() {
	sets := exec.KernelSets()
	best := exec.BestKernelSet()
	fmt.Println(sets[0], "is always there; the default is the last:", sets[len(sets)-1] == best)
	// Output:
	// generic is always there; the default is the last: true
}
