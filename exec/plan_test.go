package exec

import (
	"errors"
	"math/rand/v2"
	"testing"

	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/spec"
)

// smallConfigs are every example at a size the float64 reference runs
// quickly.
var smallConfigs = []struct {
	name string
	o    spec.Options
}{
	{"mobilenet_v1", spec.Options{Alpha: 0.25, Resolution: 96}},
	// Wide enough for padded pixel strides (512 and 1024 channels).
	{"mobilenet_v1", spec.Options{Alpha: 1, Resolution: 32}},
	{"mobilenet_v1_conv", spec.Options{Alpha: 0.25, Resolution: 64}},
	{"mobilenet_v1_shallow", spec.Options{Alpha: 0.5, Resolution: 64}},
	{"googlenet", spec.Options{Alpha: 0.25, Resolution: 64}},
	{"googlenet_torchvision", spec.Options{Alpha: 0.25, Resolution: 64}},
	{"vgg16", spec.Options{Alpha: 0.125, Resolution: 32, Classes: 10}},
	{"alexnet", spec.Options{Alpha: 0.125, Resolution: 99, Classes: 10}},
	{"squeezenet", spec.Options{Alpha: 0.25, Resolution: 67, Classes: 10}},
}

// TestExamplesMatchReference runs every example network against the naive
// float64 reference, on every kernel set, with 1 and 2 threads.
func TestExamplesMatchReference(t *testing.T) {
	for _, cfg := range smallConfigs {
		r := reportFor(t, cfg.name, cfg.o)
		ws := RandomWeights{Seed: 11}
		for _, ks := range testSets(t) {
			for _, threads := range []int{1, 2} {
				p, err := Compile(r, Options{kernelSet: ks, Threads: threads, Weights: ws})
				if err != nil {
					t.Fatalf("%s: %v", cfg.name, err)
				}
				t.Run(cfg.name+"/"+ks.String()+"/"+string(rune('0'+threads)), func(t *testing.T) {
					compareWithReference(t, p, ws, 2e-5)
				})
				p.Close()
			}
		}
	}
}

// TestInceptionModule checks one GoogLeNet inception module (four
// branches, a ceil-mode pool, concatenation) and an LRN against the
// reference, at odd sizes and channel counts.
func TestInceptionModule(t *testing.T) {
	r := parseReport(t, `input: {height: 13, width: 11, channels: 19}
defaults: {bias: true, activation: relu}
layers:
  - {type: lrn, size: 5, alpha: 0.0001, beta: 0.75, k: 1}
  - type: concat
    branches:
      - {layers: [{type: pointwise, filters: 13}]}
      - {layers: [{type: pointwise, filters: 7}, {type: conv, filters: 17, kernel: 3, padding: 1}]}
      - {layers: [{type: pointwise, filters: 5}, {type: conv, filters: 9, kernel: 5, padding: 2}]}
      - {layers: [{type: maxpool, kernel: 3, stride: 1, padding: 1, ceil_mode: true}, {type: pointwise, filters: 11}]}
  - {type: maxpool, kernel: 3, stride: 2, ceil_mode: true}
  - {type: avgpool, kernel: 3, stride: 2, padding: 1, count_pad: true}
  - type: add
    activation: relu
    branches:
      - {layers: [{type: depthwise, kernel: 3, multiplier: 1}]}
      - {}
  - {type: fc, units: 10}
  - {type: softmax}
`)
	ws := RandomWeights{Seed: 2}
	for _, ks := range testSets(t) {
		for _, threads := range []int{1, 2} {
			p, err := Compile(r, Options{kernelSet: ks, Threads: threads, Batch: 3, Weights: ws})
			if err != nil {
				t.Fatal(err)
			}
			t.Run(ks.String(), func(t *testing.T) { compareWithReference(t, p, ws, 1e-5) })
			p.Close()
		}
	}
}

// TestPlanMultAddsMatchAnalysis: the mult-adds each compiled layer performs,
// counted from its kernel calls, equal the analysis' count (times the
// batch), so the two can never drift apart.
func TestPlanMultAddsMatchAnalysis(t *testing.T) {
	for _, name := range examples.Names() {
		r := reportFor(t, name, spec.Options{Alpha: 0.5})
		p, err := Compile(r, Options{Threads: 2, Batch: 2})
		if err != nil {
			t.Fatal(err)
		}
		var total int64
		for _, l := range p.Layers() {
			if want := r.Layers[l.Index].MultAdds * 2; l.MultAdds != want {
				t.Errorf("%s %s: plan does %d mult-adds, analysis says %d", name, l.Name, l.MultAdds, want)
			}
			total += l.MultAdds
		}
		if total != 2*r.Totals.MultAdds {
			t.Errorf("%s: plan total %d, analysis %d x 2", name, total, r.Totals.MultAdds)
		}
		if p.ArenaBytes() < r.Totals.PeakActivationBytes*2 {
			t.Errorf("%s: arena %d bytes is below the analysis' peak %d x 2", name, p.ArenaBytes(), r.Totals.PeakActivationBytes)
		}
		p.Close()
	}
}

// TestArenaMobileNetAtPeak: on a chain the greedy placement reaches the
// analysis' peak exactly (up to alignment).
func TestArenaMobileNetAtPeak(t *testing.T) {
	r := reportFor(t, "mobilenet_v1", spec.Options{})
	p, err := Compile(r, Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if p.ArenaBytes() > r.Totals.PeakActivationBytes+2*align {
		t.Errorf("arena %d bytes, analysis peak %d", p.ArenaBytes(), r.Totals.PeakActivationBytes)
	}
}

func TestPlacementNeverOverlapsLiveTensors(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for range 300 {
		n := 1 + rng.IntN(30)
		sizes, born, last := make([]int, n), make([]int, n), make([]int, n)
		for k := range n {
			sizes[k] = rng.IntN(100)
			born[k] = rng.IntN(20) - 1
			last[k] = born[k] + rng.IntN(6)
		}
		offs, total := placement(sizes, born, last)
		for a := range n {
			if sizes[a] == 0 {
				continue
			}
			if offs[a]%align != 0 || offs[a]+sizes[a] > total {
				t.Fatalf("tensor %d at %d+%d outside arena %d or misaligned", a, offs[a], sizes[a], total)
			}
			for b := a + 1; b < n; b++ {
				if sizes[b] == 0 || born[a] > last[b] || born[b] > last[a] {
					continue
				}
				if offs[a] < offs[b]+sizes[b] && offs[b] < offs[a]+sizes[a] {
					t.Fatalf("live tensors %d [%d,%d) and %d [%d,%d) overlap", a, offs[a], offs[a]+sizes[a], b, offs[b], offs[b]+sizes[b])
				}
			}
		}
	}
}

// TestRunDoesNotAllocate: zero heap allocations per inference once the
// plan is built, single- and multi-threaded.
func TestRunDoesNotAllocate(t *testing.T) {
	for _, name := range []string{"mobilenet_v1", "googlenet"} {
		r := reportFor(t, name, spec.Options{Alpha: 0.25, Resolution: 96})
		for _, threads := range []int{1, 2} {
			p, err := Compile(r, Options{Threads: threads})
			if err != nil {
				t.Fatal(err)
			}
			p.Run()
			if a := testing.AllocsPerRun(20, p.Run); a != 0 {
				t.Errorf("%s, %d threads: %.1f allocations per inference", name, threads, a)
			}
			p.Close()
		}
	}
}

func TestMemoryLimit(t *testing.T) {
	r := reportFor(t, "vgg16", spec.Options{})
	_, err := Compile(r, Options{MaxMemory: 100 << 20})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("VGG16 under a 100 MiB limit: %v, want ErrTooLarge", err)
	}
	if want := "needs about"; err == nil || !contains(err.Error(), want) {
		t.Errorf("error %q does not say what it needs", err)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestBadOptions(t *testing.T) {
	r := reportFor(t, "mobilenet_v1", spec.Options{Alpha: 0.25, Resolution: 32})
	for _, o := range []Options{{Kernels: "sse9"}, {Threads: 1000}, {Batch: 1 << 20}} {
		if p, err := Compile(r, o); err == nil {
			p.Close()
			t.Errorf("Compile(%+v) accepted", o)
		}
	}
	if _, err := Compile(r, Options{Weights: Attached{}}); !errors.Is(err, ErrNoWeights) || !contains(err.Error(), "no weights for layer") {
		t.Errorf("missing weights: %v", err)
	}
}

// TestPaddedStrides: the 512- and 1024-channel tensors between
// convolutions get padded pixel strides, the others do not.
func TestPaddedStrides(t *testing.T) {
	r := reportFor(t, "mobilenet_v1", spec.Options{})
	c := &compiler{r: r, g: r.Graph}
	c.layout()
	padded := 0
	for k, nd := range r.Graph.Nodes {
		want := nd.Out.C
		if k := nd.Op.Kind(); nd.Out.C >= 512 && (k == spec.OpConv || k == spec.OpDepthwise) && nd.Name != "conv_pw_13" {
			want += padStride
			padded++
		}
		if c.stride[k] != want {
			t.Errorf("%s (%d channels): stride %d, want %d", nd.Name, nd.Out.C, c.stride[k], want)
		}
	}
	if padded != 14 {
		t.Errorf("%d padded tensors, want 14", padded)
	}
}

// TestOddLayers covers what the example networks do not: a depthwise
// channel multiplier, grouped and strided 1x1 convolutions, SAME and
// explicit asymmetric padding, average pooling counting its padding, a
// 5x5 depthwise kernel and a flatten before the classifier.
func TestOddLayers(t *testing.T) {
	r := parseReport(t, `input: {height: 17, width: 15, channels: 6}
padding: keras
layers:
  - {type: depthwise, kernel: 3, multiplier: 2, stride: 2, activation: relu6}
  - {type: pointwise, filters: 9, groups: 3, bias: false}
  - {type: conv, filters: 7, kernel: [3, 1], stride: [1, 2], padding: [0, 2, 1, 0], bn: true}
  - {type: depthwise, kernel: 5, padding: same}
  - {type: pointwise, filters: 10, stride: 2}
  - {type: avgpool, kernel: 3, stride: 1, padding: 1, count_pad: true}
  - {type: flatten}
  - {type: fc, units: 4}
`)
	ws := RandomWeights{Seed: 8}
	for _, ks := range testSets(t) {
		for _, threads := range []int{1, 2} {
			p, err := Compile(r, Options{kernelSet: ks, Threads: threads, Batch: 2, Weights: ws})
			if err != nil {
				t.Fatal(err)
			}
			t.Run(ks.String(), func(t *testing.T) { compareWithReference(t, p, ws, 1e-5) })
			p.Close()
		}
	}
}
