package reftflite_test

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/exec"
	"mnet.dev/mnet/exec/internal/qref/reftflite"
	"mnet.dev/mnet/exec/vision"
	"mnet.dev/mnet/internal/testdata"
	"mnet.dev/mnet/spec"
	"mnet.dev/mnet/spec/tflite"
)

var imageModels = []string{
	"mobilenet_v1_0.25_128_quant.tflite",
	"mobilenet_v1_0.25_224_quant.tflite",
	"mobilenet_v1_0.5_160_quant.tflite",
	"mobilenet_v1_0.75_192_quant.tflite",
	"mobilenet_v2_1.0_224_quant.tflite",
	"mobilenet_v1_1.0_224_quant_embedding_extractor.tflite",
}

var images = []string{"burger.jpg", "cat.bmp", "grace_hopper.bmp", "resized_cat.bmp"}

// quantizedInput is the uint8 input of a model with input quantization
// (s, zp) for an image: bilinear resize as mnet's exec/vision does it
// (classify's preprocessing), then the value s*(pixel - zp) classify feeds
// quantized back, round(pixel), clamped.
func quantizedInput(t *testing.T, path string, w, h int) []byte {
	img, err := vision.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	rgb := vision.ResizeRGB(img, w, h)
	q := make([]byte, len(rgb))
	for i, v := range rgb {
		q[i] = byte(min(max(math.Round(float64(v)), 0), 255))
	}
	return q
}

// floatPlan compiles the model's dequantized float32 form on mnet's float
// kernels (the imported model's attached weights, dequantized at compile),
// as mnet classify runs quantized models with --precision float.
func floatPlan(t *testing.T, m *tflite.Model, path string) *exec.Plan {
	c, err := tflite.Convert(m, path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := analyze.Spec(c.Network, spec.Options{Precision: spec.PrecisionFloat})
	if err != nil {
		t.Fatal(err)
	}
	p, err := exec.Compile(r, exec.Options{Threads: 1, Weights: exec.Attached{}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Input().Float32() == nil || p.Output().Float32() == nil {
		t.Fatalf("%s: the compiled plan is not float32 (input %v)", path, p.Input().Type)
	}
	return p
}

type scored struct {
	i int
	v float64
}

func top(v []float64, k int) []scored {
	s := make([]scored, len(v))
	for i, x := range v {
		s[i] = scored{i, x}
	}
	sort.SliceStable(s, func(a, b int) bool { return s[a].v > s[b].v })
	return s[:k]
}

// TestImages runs every uint8 model of the shared test data on every image
// with the integer reference and with mnet's float path (the dequantized
// weights on float32 kernels) on the same input tensor (the rounded resized
// pixels, dequantized for the float path), logs both top-5 lists and how far
// the float outputs are from the integer ones in output steps (the output
// scale: 1/256 for the classifiers' probabilities, 0.0235 for the
// extractor's features, whose "top-5" are its largest features), and checks
// the upstream projects' published expectations on the integer answers.
func TestImages(t *testing.T) {
	var report strings.Builder
	fmt.Fprintf(&report, "\n| model | image | int8 top-5 (class p) | float top-5 (class p) | float vs int8: max / mean steps | top-1 same |\n|---|---|---|---|---|---|\n")
	for _, name := range imageModels {
		path := testdata.File(t, "models/"+name)
		m, err := tflite.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := reftflite.Prepare(m)
		if err != nil {
			t.Fatal(err)
		}
		fp := floatPlan(t, m, path)
		in, out := ref.Input(), ref.Output()
		si, zi := float32(in.Quant.Scale[0]), in.Quant.ZeroPoint[0]
		so, zo := float64(out.Quant.Scale[0]), out.Quant.ZeroPoint[0]
		h, w := in.Shape[1], in.Shape[2]
		classifier := len(m.Labels) > 0
		for _, im := range images {
			q := quantizedInput(t, testdata.File(t, "images/"+im), w, h)
			tensors, err := ref.Run(q)
			if err != nil {
				t.Fatal(err)
			}
			qo := tensors[out.Index]
			intv := make([]float64, len(qo))
			for i, v := range qo {
				intv[i] = so * float64(int64(v)-zo)
			}
			for i, v := range q {
				fp.Input().Float32()[i] = si * float32(int64(v)-zi)
			}
			fp.Run()
			fo := fp.Output().Float32()
			if len(fo) != len(qo) {
				t.Fatalf("%s: float output has %d values, integer %d", name, len(fo), len(qo))
			}
			floatv := make([]float64, len(fo))
			worst, sum := 0.0, 0.0
			for i, v := range fo {
				floatv[i] = float64(v)
				d := math.Abs(floatv[i]-intv[i]) / so
				worst = max(worst, d)
				sum += d
			}
			ti, tf := top(intv, 5), top(floatv, 5)
			list := func(s []scored) string {
				var b []string
				for _, c := range s {
					label := fmt.Sprint(c.i)
					if classifier {
						label = fmt.Sprintf("%d %s", c.i, m.Labels[c.i])
					}
					b = append(b, fmt.Sprintf("%s %.3f", label, c.v))
				}
				return strings.Join(b, "; ")
			}
			fmt.Fprintf(&report, "| %s | %s | %s | %s | %.2f / %.3f | %v |\n", strings.TrimSuffix(name, ".tflite"), im, list(ti), list(tf), worst, sum/float64(len(fo)), ti[0].i == tf[0].i)

			// The upstream projects' published expectations (testdata README).
			if name == "mobilenet_v1_0.25_224_quant.tflite" && im == "burger.jpg" {
				if ti[0].i != 934 || math.Abs(ti[0].v-0.96) > 0.01 {
					t.Errorf("burger with 0.25-224: int8 top-1 %d %.3f, want 934 cheeseburger 0.96 +- 0.01", ti[0].i, ti[0].v)
				}
			}
			if name == "mobilenet_v1_0.75_192_quant.tflite" && im == "grace_hopper.bmp" && ti[0].i != 653 {
				t.Errorf("grace_hopper with 0.75-192: int8 top-1 %d, want 653 military uniform", ti[0].i)
			}
		}
		fp.Close()
	}
	t.Log(report.String())
}
