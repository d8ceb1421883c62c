package classifycmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/cmd/internal/iostreams"
	"mnet.dev/mnet/internal/testdata"
)

func run(t *testing.T, runF func(*Options) error, args ...string) (string, error) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Getenv: func(string) string { return "" }}
	cmd := NewCmdClassify(f, runF)
	cmd.SetArgs(args)
	cmd.SetOut(out)
	cmd.SetErr(errOut)
	err := cmd.Execute()
	return out.String(), err
}

func TestFlags(t *testing.T) {
	var got *Options
	if _, err := run(t, func(o *Options) error { got = o; return nil }, "-m", "m.tflite", "--top", "3", "--preprocess", "unit", "-f", "json", "a.png", "b.jpg"); err != nil {
		t.Fatal(err)
	}
	if got.Model != "m.tflite" || got.Top != 3 || got.Preprocess != "unit" || len(got.Images) != 2 {
		t.Errorf("options %+v", got)
	}
	for _, bad := range [][]string{{"a.png"}, {"-m", "m.tflite"}, {"-m", "m", "--top", "0", "a"}, {"-m", "m", "--preprocess", "caffe", "a"}, {"-m", "m", "-f", "xml", "a"}} {
		if _, err := run(t, func(*Options) error { return nil }, bad...); err == nil || cmdutil.ExitCode(err) != cmdutil.ExitUsage {
			t.Errorf("%v: %v, want a usage error", bad, err)
		}
	}
}

// TestRealModels classifies the shared test photos with the real TFLite
// models and checks the published top-1 classes. Tolerances: the
// probabilities are our float32 arithmetic on dequantized weights, so the
// quantized models' scores differ from an integer runtime's; we require
// the top-1 class and a probability band around what we measured.
func TestRealModels(t *testing.T) {
	models := func(name string) string { return testdata.File(t, "models/"+name) }
	images := func(name string) string { return testdata.File(t, "images/"+name) }
	labels := testdata.File(t, "labels/imagenet_labels_1001.txt")
	cases := []struct {
		model, image string
		index        int
		label        string
		pmin, pmax   float64
	}{
		// The float model on the already model-sized cat: top-1 Egyptian cat.
		{"mobilenet_v1_0.25_224_float.tflite", "resized_cat.bmp", 286, "Egyptian cat", 0.45, 0.56},
		// The uint8 0.25-224 model dequantized: cheeseburger; the integer
		// runtime reports 0.96 +- 0.01, our float arithmetic 0.98.
		{"mobilenet_v1_0.25_224_quant.tflite", "burger.jpg", 934, "cheeseburger", 0.95, 1},
		// The uint8 0.75-192 model dequantized: military uniform.
		{"mobilenet_v1_0.75_192_quant.tflite", "grace_hopper.bmp", 653, "military uniform", 0.55, 0.72},
	}
	for _, c := range cases {
		t.Run(c.model+"/"+c.image, func(t *testing.T) {
			out, err := run(t, nil, "--model", models(c.model), "--labels", labels, "--format", "json", images(c.image))
			if err != nil {
				t.Fatal(err)
			}
			var res []Result
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatal(err)
			}
			if len(res) != 1 || len(res[0].Top) != 5 || res[0].Image != images(c.image) {
				t.Fatalf("result %+v", res)
			}
			top := res[0].Top[0]
			if top.Index != c.index || !strings.HasPrefix(top.Label, c.label) || top.Probability < c.pmin || top.Probability > c.pmax {
				t.Errorf("top-1 = %+v, want class %d %q with probability in [%g, %g]", top, c.index, c.label, c.pmin, c.pmax)
			}
			for i := 1; i < len(res[0].Top); i++ {
				if res[0].Top[i].Probability > res[0].Top[i-1].Probability {
					t.Errorf("not sorted: %+v", res[0].Top)
				}
			}
		})
	}
}

func TestEmbeddedLabelsAndErrors(t *testing.T) {
	model := testdata.File(t, "models/mobilenet_v1_0.5_160_quant.tflite")
	img := testdata.File(t, "images/burger.jpg")
	out, err := run(t, nil, "--model", model, "--top", "2", img)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "cheeseburger") || !strings.Contains(out, "Probability") {
		t.Errorf("table output:\n%s", out)
	}
	dir := t.TempDir()
	notImage := filepath.Join(dir, "x.png")
	os.WriteFile(notImage, []byte("not an image"), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--model", model, notImage}, "not a PNG, JPEG or BMP"},
		{[]string{"--model", model, filepath.Join(dir, "missing.jpg")}, "no such file"},
		{[]string{"--model", "mobilenet_v1", img}, "no trained weights"},
		{[]string{"--model", model, "--labels", notImage, img}, "labels"},
	} {
		if _, err := run(t, nil, c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
}
