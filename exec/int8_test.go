package exec

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/exec/internal/kernels"
	"mnet.dev/mnet/exec/internal/qref/reftflite"
	"mnet.dev/mnet/internal/testdata"
	"mnet.dev/mnet/spec"
	"mnet.dev/mnet/spec/tflite"
	"mnet.dev/mnet/tensor"
)

// randomBytes fills an int8 plan's input (all images) with random bytes
// and returns a copy (Run overwrites the input).
func randomBytes(p *Plan, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 5))
	b := inputBytes(p)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return bytes.Clone(b)
}

// inputBytes and outputBytes are an int8 plan's input and output as bytes.
func inputBytes(p *Plan) []byte  { return tensorBytes(p.Input()) }
func outputBytes(p *Plan) []byte { return tensorBytes(p.Output()) }

func tensorBytes(t *tensor.Tensor) []byte { return t.Bytes() }

// checkInt8 runs an int8 plan on random input and requires every image's
// output to equal want(image input), byte for byte.
func checkInt8(t *testing.T, label string, g *spec.Graph, p *Plan, seed uint64, want func(b int, in []byte) []byte) {
	t.Helper()
	in := randomBytes(p, seed)
	p.Run()
	inN, outN := int(g.Input.Elems()), len(outputBytes(p))/p.Batch
	for b := range p.Batch {
		w := want(b, in[b*inN:(b+1)*inN])
		got := outputBytes(p)[b*outN : (b+1)*outN]
		if i := firstByteDiff(got, w); i >= 0 {
			t.Fatalf("%s: image %d: output %d is %d, the reference's %d (%d of %d differ)", label, b, i, got[i], w[i], countDiff(got, w), len(w))
		}
	}
}

// memoReference computes the integer reference of each image once.
func memoReference(t *testing.T, g *spec.Graph) func(b int, in []byte) []byte {
	done := map[string][]byte{}
	return func(_ int, in []byte) []byte {
		if w, ok := done[string(in)]; ok {
			return w
		}
		w, err := ReferenceInt8(g, Attached{}, in)
		if err != nil {
			t.Fatal(err)
		}
		done[string(in)] = w
		return w
	}
}

func firstByteDiff(a, b []byte) int {
	if len(a) != len(b) {
		return 0
	}
	for i := range a {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

func countDiff(a, b []byte) int {
	n := 0
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}

// TestInt8ExamplesMatchReference calibrates every example network (small
// sizes) for int8 and runs it on every kernel set with 1 and 2 threads and
// a batch of 2: each image's output must equal the integer reference's
// byte for byte. Simulated and emulated sets run the first network only.
func TestInt8ExamplesMatchReference(t *testing.T) {
	for i, cfg := range smallConfigs {
		o := cfg.o
		o.Precision = spec.PrecisionInt8
		r := reportFor(t, cfg.name, o)
		cal, err := Calibrate(r, Options{Weights: RandomWeights{Seed: 11}, kernelSet: kernels.Best()})
		if err != nil {
			t.Fatalf("%s: %v", cfg.name, err)
		}
		cr, err := analyze.Analyze(cal)
		if err != nil {
			t.Fatal(err)
		}
		want := memoReference(t, cal)
		for _, ks := range testSets(t) {
			if i > 0 && simulated(ks) {
				continue
			}
			for _, threads := range []int{1, 2} {
				p, err := Compile(cr, Options{kernelSet: ks, Threads: threads, Batch: 2, Weights: Attached{}})
				if err != nil {
					t.Fatalf("%s: %v", cfg.name, err)
				}
				if p.Precision != spec.PrecisionInt8 {
					t.Fatalf("%s: compiled %s", cfg.name, p.Precision)
				}
				checkInt8(t, fmt.Sprintf("%s %v %s t%d", cfg.name, cfg.o, ks, threads), cal, p, 3, want)
				p.Close()
			}
		}
	}
}

// quantModels are the shared quantized TFLite models; simulated and
// emulated sets run the first.
var quantModels = []string{
	"mobilenet_v1_0.25_128_quant.tflite",
	"mobilenet_v1_0.25_224_quant.tflite",
	"mobilenet_v1_0.5_160_quant.tflite",
	"mobilenet_v1_0.75_192_quant.tflite",
	"mobilenet_v1_1.0_224_quant_embedding_extractor.tflite",
	"mobilenet_v2_1.0_224_quant.tflite",
}

// TestInt8RealModels runs the shared uint8 models in int8 (their default
// precision) on every kernel set with 1 and 2 threads. The output must
// equal, byte for byte, both the integer reference of the imported graph
// (ReferenceInt8) and the TFLite-file reference (reftflite, which reads
// the file directly, not through the importer).
func TestInt8RealModels(t *testing.T) {
	for i, name := range quantModels {
		path := testdata.File(t, filepath.Join("models", name))
		m, err := tflite.Importer{}.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		r, err := analyze.Spec(m.Network, spec.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Graph.Precision != spec.PrecisionInt8 {
			t.Fatalf("%s resolves to %s", name, r.Graph.Precision)
		}
		tm, err := tflite.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		file, err := reftflite.Prepare(tm)
		if err != nil {
			t.Fatal(err)
		}
		ref := memoReference(t, r.Graph)
		checked := false
		want := func(b int, in []byte) []byte {
			w := ref(b, in)
			if !checked {
				ts, err := file.Run(in)
				if err != nil {
					t.Fatal(err)
				}
				if f := ts[file.Output().Index]; !bytes.Equal(w, f) {
					t.Fatalf("%s: the graph's integer reference and the TFLite-file reference differ in %d of %d outputs", name, countDiff(w, f), len(f))
				}
				checked = true
			}
			return w
		}
		for _, ks := range testSets(t) {
			if i > 0 && simulated(ks) {
				continue
			}
			for _, threads := range []int{1, 2} {
				p, err := Compile(r, Options{kernelSet: ks, Threads: threads, Weights: Attached{}})
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				checkInt8(t, fmt.Sprintf("%s %s t%d", name, ks, threads), r.Graph, p, 1, want)
				p.Close()
			}
		}
	}
}
