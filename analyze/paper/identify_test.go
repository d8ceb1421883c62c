package paper

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/internal/testdata"
	"mnet.dev/mnet/spec"
	"mnet.dev/mnet/spec/tflite"
)

func identifier(t testing.TB) *Identifier {
	t.Helper()
	id, err := NewIdentifier()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func analyse(t testing.TB, n *spec.Network, o spec.Options) *analyze.Report {
	t.Helper()
	r, err := analyze.Spec(n, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func example(t testing.TB, name string) *spec.Network {
	t.Helper()
	n, err := examples.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestIdentifyExamples: each family's spec is recognised at its own
// configuration and at others; the look-alikes are not.
func TestIdentifyExamples(t *testing.T) {
	id := identifier(t)
	cases := []struct {
		model string
		o     spec.Options
		want  Identity
	}{
		{"mobilenet_v1", spec.Options{}, Identity{MobileNetV1, "mobilenet_v1", 1, 224, 1000}},
		{"mobilenet_v1", spec.Options{Alpha: 0.25, Resolution: 128, Classes: 1001}, Identity{MobileNetV1, "mobilenet_v1", 0.25, 128, 1001}},
		{"mobilenet_v1", spec.Options{Alpha: 0.6, Resolution: 200}, Identity{MobileNetV1, "mobilenet_v1", 0.6, 200, 1000}},
		{"mobilenet_v1", spec.Options{Alpha: 1.4, Resolution: 96, Rounding: spec.RoundKeras}, Identity{MobileNetV1, "mobilenet_v1", 1.4, 96, 1000}},
		{"mobilenet_v1", spec.Options{Alpha: 0.35, Rounding: spec.RoundMultiple8, Padding: spec.PadSymmetric}, Identity{MobileNetV1, "mobilenet_v1", 0.35, 224, 1000}},
		{"mobilenet_v2", spec.Options{Alpha: 0.35, Resolution: 96, Classes: 1001}, Identity{MobileNetV2, "mobilenet_v2", 0.35, 96, 1001}},
		{"mobilenet_v2", spec.Options{Alpha: 1.4}, Identity{MobileNetV2, "mobilenet_v2", 1.4, 224, 1000}},
		{"mobilenet_v3_large", spec.Options{Alpha: 0.75}, Identity{MobileNetV3Large, "mobilenet_v3_large", 0.75, 224, 1000}},
		{"mobilenet_v3_small", spec.Options{Resolution: 160}, Identity{MobileNetV3Small, "mobilenet_v3_small", 1, 160, 1000}},
		{"vgg16", spec.Options{}, Identity{VGG16, "vgg16", 1, 224, 1000}},
		{"vgg16", spec.Options{Alpha: 0.5, Resolution: 160}, Identity{VGG16, "vgg16", 0.5, 160, 1000}},
		{"googlenet", spec.Options{}, Identity{GoogLeNet, "googlenet", 1, 224, 1000}},
		{"squeezenet", spec.Options{Classes: 10}, Identity{SqueezeNet, "squeezenet", 1, 0, 10}},
		{"alexnet", spec.Options{}, Identity{AlexNet, "alexnet", 1, 0, 1000}},
		// Look-alikes: five fewer 14x14 layers, full convolutions, 3x3
		// branches instead of 5x5.
		{"mobilenet_v1_shallow", spec.Options{}, Identity{}},
		{"mobilenet_v1_conv", spec.Options{}, Identity{}},
		{"googlenet_torchvision", spec.Options{}, Identity{}},
	}
	for _, c := range cases {
		r := analyse(t, example(t, c.model), c.o)
		if c.want.Known() && c.want.Resolution == 0 {
			c.want.Resolution = r.Graph.Input.H // the spec's own (227 for Caffe's)
		}
		if got := id.Identify(r); got != c.want {
			t.Errorf("%s %+v: %+v, want %+v", c.model, c.o, got, c.want)
		}
	}
}

// withChannels rewrites the MobileNet v1 spec with every filter count
// written out at α (TF-slim's rounding), the spec's α 1, a new name and no
// comments: the form an imported or hand-written copy has.
func withChannels(t *testing.T, alpha float64) *spec.Network {
	t.Helper()
	src, err := examples.Source("mobilenet_v1")
	if err != nil {
		t.Fatal(err)
	}
	s := regexp.MustCompile(`(?m)\s*#.*$`).ReplaceAllString(string(src), "")
	s = regexp.MustCompile(`filters: (\d+)`).ReplaceAllStringFunc(s, func(m string) string {
		c, _ := strconv.Atoi(strings.TrimPrefix(m, "filters: "))
		return fmt.Sprintf("filters: %d", max(int(float64(c)*alpha), 8))
	})
	s = strings.Replace(s, "name: MobileNet v1", "name: my phone net", 1)
	n, err := spec.Parse("phone.yaml", []byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestIdentifyByArchitecture: a renamed copy with the channels written out
// is recognised, at the α its channels have; changing one stride or one
// channel count makes it something else.
func TestIdentifyByArchitecture(t *testing.T) {
	id := identifier(t)
	for _, a := range []float64{0.25, 0.5, 0.75} {
		n := withChannels(t, a)
		got := id.Identify(analyse(t, n, spec.Options{Resolution: 160}))
		want := Identity{MobileNetV1, "mobilenet_v1", a, 160, 1000}
		if got != want {
			t.Errorf("copy at α %g: %+v, want %+v", a, got, want)
		}
	}
	src, _ := examples.Source("mobilenet_v1")
	for what, edit := range map[string][2]string{
		"a stride":        {"{name: conv_dw_4,  type: depthwise, stride: 2}", "{name: conv_dw_4,  type: depthwise, stride: 1}"},
		"a width":         {"{name: conv_pw_5,  type: pointwise, filters: 256}", "{name: conv_pw_5,  type: pointwise, filters: 320}"},
		"a kernel":        {"{name: conv1,      type: conv, filters: 32, kernel: 3, stride: 2}", "{name: conv1,      type: conv, filters: 32, kernel: 5, stride: 2}"},
		"one dw-pw fewer": {"times: 5", "times: 4"},
	} {
		s := strings.Replace(string(src), edit[0], edit[1], 1)
		if s == string(src) {
			t.Fatalf("%s: the edit does not apply", what)
		}
		n, err := spec.Parse("edited.yaml", []byte(s))
		if err != nil {
			t.Fatal(err)
		}
		if got := id.Identify(analyse(t, n, spec.Options{})); got.Known() {
			t.Errorf("MobileNet v1 with %s changed identified as %v", what, got)
		}
	}
}

// TestIdentifyTFLite: TF-slim's own .tflite files, imported, are the
// MobileNet v1 configurations their names say.
func TestIdentifyTFLite(t *testing.T) {
	id := identifier(t)
	for _, c := range []struct {
		file  string
		alpha float64
		res   int
	}{
		{"mobilenet_v1_0.25_224_float.tflite", 0.25, 224},
		{"mobilenet_v1_0.25_224_quant.tflite", 0.25, 224},
		{"mobilenet_v1_0.25_128_quant.tflite", 0.25, 128},
		{"mobilenet_v1_0.5_160_quant.tflite", 0.5, 160},
		{"mobilenet_v1_0.75_192_quant.tflite", 0.75, 192},
	} {
		path := testdata.File(t, "models/"+c.file)
		m, err := tflite.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		conv, err := tflite.Convert(m, path)
		if err != nil {
			t.Fatal(err)
		}
		got := id.Identify(analyse(t, conv.Network, spec.Options{}))
		want := Identity{MobileNetV1, "mobilenet_v1", c.alpha, c.res, 1001}
		if got != want || got.String() != fmt.Sprintf("MobileNet v1 %g-%d", c.alpha, c.res) {
			t.Errorf("%s: %+v (%s), want %+v", c.file, got, got, want)
		}
	}
	// The real MobileNetV2 is the mobilenet_v2 family at 1.0-224.
	path := testdata.File(t, "models/mobilenet_v2_1.0_224_quant.tflite")
	m, err := tflite.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	conv, err := tflite.Convert(m, path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := id.Identify(analyse(t, conv.Network, spec.Options{})), (Identity{MobileNetV2, "mobilenet_v2", 1, 224, 1001}); got != want {
		t.Errorf("MobileNetV2: %+v, want %+v", got, want)
	}
}

func TestIdentityString(t *testing.T) {
	for id, want := range map[Identity]string{
		{Family: MobileNetV1, Alpha: 1, Resolution: 224}:    "MobileNet v1 1.0-224",
		{Family: MobileNetV1, Alpha: 0.75, Resolution: 160}: "MobileNet v1 0.75-160",
		{}: "unrecognised",
	} {
		if id.String() != want {
			t.Errorf("%+v: %q, want %q", id, id.String(), want)
		}
	}
	if ModelOf(MobileNetV1) != "mobilenet_v1" || ModelOf("LeNet") != "" {
		t.Error("ModelOf")
	}
}

// BenchmarkIdentify: what recognising a network adds to analysing it (the
// explorer identifies on every key press).
func BenchmarkIdentify(b *testing.B) {
	id := identifier(b)
	r := analyse(b, example(b, "mobilenet_v1"), spec.Options{Alpha: 0.5, Resolution: 160})
	for b.Loop() {
		if !id.Identify(r).Known() {
			b.Fatal("not recognised")
		}
	}
}
