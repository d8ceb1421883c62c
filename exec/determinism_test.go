package exec

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/exec/internal/kernels"
	"mnet.dev/mnet/internal/testdata"
	"mnet.dev/mnet/spec"
	"mnet.dev/mnet/spec/tflite"
	"mnet.dev/mnet/tensor"
)

// fullConfigs are the example networks at their default sizes (MobileNet
// also small: its 0.25-128 layers have the few rows and channels where the
// split differs most), for the vector sets on the hardware; VGG16 and
// AlexNet at smaller inputs, which shrink their fully connected layers
// (generating 138 M random weights four times took seconds; the layers'
// splits are the same kinds). The generic and simulated sets, far slower,
// run smallConfigs.
var fullConfigs = []struct {
	name string
	o    spec.Options
}{
	{"mobilenet_v1", spec.Options{}},
	{"mobilenet_v1", spec.Options{Alpha: 0.25, Resolution: 128}},
	{"mobilenet_v1_conv", spec.Options{}},
	{"mobilenet_v1_shallow", spec.Options{}},
	{"googlenet", spec.Options{}},
	{"googlenet_torchvision", spec.Options{}},
	{"vgg16", spec.Options{Resolution: 112}},
	{"alexnet", spec.Options{Resolution: 131}},
	{"squeezenet", spec.Options{}},
}

// memoWeights generates each layer's random weights once for all the
// compilations of a test.
type memoWeights struct {
	src  WeightSource
	done map[int]*spec.Weights
}

func (m *memoWeights) Layer(n *spec.Node) (*spec.Weights, error) {
	if lw, ok := m.done[n.Index]; ok {
		return lw, nil
	}
	lw, err := m.src.Layer(n)
	if err == nil {
		m.done[n.Index] = lw
	}
	return lw, err
}

// runLayers runs p once on a fixed input and returns every layer's output.
func runLayers(p *Plan, seed uint64) [][]float32 {
	randomInput(p, seed)
	var outs [][]float32
	p.RunEach(func(_ Layer, out *tensor.Tensor) { outs = append(outs, slices.Clone(out.Float32())) })
	return outs
}

// firstDiff returns the first layer and index where two runs differ in
// any bit, or -1.
func firstDiff(a, b [][]float32) (layer, i int) {
	for l := range a {
		for i := range a[l] {
			if math.Float32bits(a[l][i]) != math.Float32bits(b[l][i]) {
				return l, i
			}
		}
	}
	return -1, -1
}

// checkThreads compiles r for ks with 1 to 4 threads and requires every
// layer's output, hence the network's, to have the same bits each time. It
// returns the single-thread layers.
func checkThreads(t *testing.T, what string, r *analyze.Report, ks *kernels.Set, ws WeightSource) [][]float32 {
	t.Helper()
	var ref [][]float32
	for threads := 1; threads <= 4; threads++ {
		p, err := Compile(r, Options{kernelSet: ks, Threads: threads, Weights: ws})
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		outs := runLayers(p, 7)
		layers := p.Layers()
		p.Close()
		if ref == nil {
			ref = outs
			continue
		}
		if l, i := firstDiff(ref, outs); l >= 0 {
			t.Errorf("%s on %v: %d threads differ from 1 in layer %s at %d: %v vs %v",
				what, ks, threads, layers[l].Name, i, outs[l][i], ref[l][i])
		}
	}
	return ref
}

// setDistance is the largest difference between two runs' final outputs,
// relative to the largest magnitude of the output.
func setDistance(a, b [][]float32) float64 {
	x, y := a[len(a)-1], b[len(b)-1]
	scale, d := 0.0, 0.0
	for i := range x {
		scale = max(scale, math.Abs(float64(x[i])))
		d = max(d, math.Abs(float64(x[i])-float64(y[i])))
	}
	return d / max(scale, 1e-30)
}

// TestThreadsDeterministic runs every example network on every kernel set
// (simulated where the CPU lacks it) with 1, 2, 3 and 4 threads and
// requires bit-identical outputs of every layer: the threads split each
// layer differently (rows or column panels, a chunk count per thread
// count), and no kernel's result may depend on the split. It also reports
// how far the kernel sets' outputs are from each other: the AVX2 and
// AVX-512 kernels compute every value with the same operations in the same
// order (one FMA chain per output in the GEMM, tap order in the depthwise
// kernels, the same pooling kernels), so they must agree bit for bit; the
// generic kernels add the bias last and sum in other groupings, a few ulps
// per layer.
func TestThreadsDeterministic(t *testing.T) {
	sets := testSets(t)
	for _, ks := range sets {
		cfgs := fullConfigs
		if ks.Generic() || simulated(ks) || testing.Short() {
			cfgs = smallConfigs
		}
		for _, cfg := range cfgs {
			r := reportFor(t, cfg.name, cfg.o)
			ws := &memoWeights{src: RandomWeights{Seed: 3}, done: map[int]*spec.Weights{}}
			checkThreads(t, fmt.Sprintf("%s %+v", cfg.name, cfg.o), r, ks, ws)
		}
	}
	// Across sets, on the small configurations every set runs.
	for _, cfg := range smallConfigs {
		r := reportFor(t, cfg.name, cfg.o)
		var outs [][][]float32
		for _, ks := range sets {
			p, err := Compile(r, Options{kernelSet: ks, Threads: 1, Weights: RandomWeights{Seed: 3}})
			if err != nil {
				t.Fatal(err)
			}
			outs = append(outs, runLayers(p, 7))
			p.Close()
		}
		for i := 1; i < len(sets); i++ {
			d := setDistance(outs[0], outs[i])
			t.Logf("%s %+v: %v vs %v: largest output difference %.2g of the output scale", cfg.name, cfg.o, sets[i], sets[0], d)
			if d > 1e-4 {
				t.Errorf("%s: %v and %v differ by %.2g of the output scale", cfg.name, sets[i], sets[0], d)
			}
			if sets[i].Generic() || sets[0].Generic() {
				continue
			}
			for j := 1; j < i; j++ {
				if !sets[j].Generic() {
					if l, k := firstDiff(outs[i], outs[j]); l >= 0 {
						t.Errorf("%s: %v and %v differ in layer %d at %d", cfg.name, sets[i], sets[j], l, k)
					}
				}
			}
		}
	}
}

// TestRealModelsThreadsDeterministic does the same for every real model in
// the shared test data (MobileNet v1 float and uint8, the embedding
// extractor, MobileNetV2; the uint8 ones dequantized to float32), with
// their trained weights.
func TestRealModelsThreadsDeterministic(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(testdata.Dir(t), "models", "*.tflite"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no models in the test data (%v)", err)
	}
	sets := testSets(t)
	for _, f := range files {
		cv, err := tflite.Importer{}.Load(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		r, err := analyze.Spec(cv.Network, spec.Options{})
		if err != nil {
			t.Fatal(err)
		}
		big := r.Totals.MultAdds > 100_000_000
		var outs [][][]float32
		var names []string
		for _, ks := range sets {
			if (ks.Generic() || simulated(ks)) && (big || testing.Short()) {
				continue // the full-size models take too long off the hardware
			}
			outs = append(outs, checkThreads(t, filepath.Base(f), r, ks, Attached{}))
			names = append(names, ks.String())
		}
		for i := 1; i < len(outs); i++ {
			t.Logf("%s: %s vs %s: largest output difference %.2g of the output scale", filepath.Base(f), names[i], names[0], setDistance(outs[0], outs[i]))
		}
	}
}
