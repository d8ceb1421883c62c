package analyze_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/spec"
)

func report(t testing.TB, name string, o spec.Options) *analyze.Report {
	t.Helper()
	n, err := examples.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	r, err := analyze.Spec(n, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestExactValues checks the verified exact counts the paper's rounded
// figures follow from.
func TestExactValues(t *testing.T) {
	cases := []struct {
		model                      string
		o                          spec.Options
		multAdds, params, withBias int64
		trainable, keras           int64 // 0: not checked
	}{
		{"mobilenet_v1", spec.Options{}, 568_740_352, 4_209_088, 4_210_088, 0, 4_253_864},
		{"mobilenet_v1", spec.Options{Alpha: 0.75}, 325_400_448, 2_568_144, 0, 0, 0},
		{"mobilenet_v1", spec.Options{Alpha: 0.5}, 149_497_088, 1_319_648, 0, 0, 0},
		{"mobilenet_v1", spec.Options{Alpha: 0.25}, 41_030_272, 463_600, 0, 0, 0},
		{"mobilenet_v1", spec.Options{Resolution: 192}, 418_121_728, 4_209_088, 0, 0, 0},
		{"mobilenet_v1", spec.Options{Resolution: 160}, 290_675_200, 4_209_088, 0, 0, 0},
		{"mobilenet_v1", spec.Options{Resolution: 128}, 186_400_768, 4_209_088, 0, 0, 0},
		{"mobilenet_v1", spec.Options{Classes: 1001}, 0, 0, 0, 0, 4_254_889}, // TF-slim checkpoint
		{"mobilenet_v1_conv", spec.Options{}, 4_867_293_184, 29_281_120, 0, 0, 0},
		{"mobilenet_v1_shallow", spec.Options{}, 307_323_392, 2_875_328, 0, 0, 0},
		{"vgg16", spec.Options{}, 15_470_264_320, 138_344_128, 138_357_544, 0, 0},
		{"googlenet_torchvision", spec.Options{}, 1_498_376_192, 6_609_344, 0, 6_624_904, 0},
		{"googlenet", spec.Options{}, 1_582_671_872, 6_990_272, 0, 0, 0},
		{"alexnet", spec.Options{}, 724_406_816, 60_954_656, 60_965_224, 0, 0},
		{"squeezenet", spec.Options{}, 861_339_936, 1_244_448, 1_248_424, 0, 0},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s/%+v", c.model, c.o), func(t *testing.T) {
			tt := report(t, c.model, c.o).Totals
			check := func(what string, got, want int64) {
				if want != 0 && got != want {
					t.Errorf("%s = %d, want %d", what, got, want)
				}
			}
			check("mult-adds", tt.MultAdds, c.multAdds)
			check("params (weights only)", tt.Params, c.params)
			check("params with bias", tt.ParamsWithBias, c.withBias)
			check("trainable params", tt.ParamsTrainable, c.trainable)
			check("Keras params", tt.ParamsKeras, c.keras)
		})
	}
}

func TestMobileNetByType(t *testing.T) {
	r := report(t, "mobilenet_v1", spec.Options{})
	want := []analyze.TypeCost{
		{Type: "Conv 1x1", Layers: 13, MultAdds: 539_492_352, Params: 3_139_584},
		{Type: "Conv DW 3x3", Layers: 13, MultAdds: 17_385_984, Params: 44_640},
		{Type: "Conv 3x3", Layers: 1, MultAdds: 10_838_016, Params: 864},
		{Type: "Fully Connected", Layers: 1, MultAdds: 1_024_000, Params: 1_024_000},
	}
	if len(r.ByType) != len(want) {
		t.Fatalf("by type: %+v", r.ByType)
	}
	var ma, pa float64
	for i, w := range want {
		g := r.ByType[i]
		if g.Type != w.Type || g.Layers != w.Layers || g.MultAdds != w.MultAdds || g.Params != w.Params {
			t.Errorf("row %d = %+v, want %+v", i, g, w)
		}
		ma += g.MultAddsShare
		pa += g.ParamsShare
	}
	if math.Abs(ma-1) > 1e-12 || math.Abs(pa-1) > 1e-12 {
		t.Errorf("shares sum to %v and %v", ma, pa)
	}
	// Table 2 printed 1.19% for Conv 3x3; the exact share is 1.91%.
	if s := math.Round(r.ByType[2].MultAddsShare * 10000); s != 191 {
		t.Errorf("Conv 3x3 share = %v basis points, want 191", s)
	}
	if r.Totals.PeakActivationBytes != (112*112*32+112*112*64)*4 || r.Layers[r.Totals.PeakActivationLayer].Name != "conv_pw_1" {
		t.Errorf("peak activation %d at %d", r.Totals.PeakActivationBytes, r.Totals.PeakActivationLayer)
	}
}

func TestVGGConvOnly(t *testing.T) {
	var conv int64
	for _, l := range report(t, "vgg16", spec.Options{}).Layers {
		if l.Op == spec.OpConv {
			conv += l.MultAdds
		}
	}
	if conv != 15_346_630_656 {
		t.Errorf("VGG16 conv-only mult-adds = %d, want 15,346,630,656", conv)
	}
}

// oneLayer analyzes a single layer on a DF x DF x M input (no padding
// effects: SAME, stride 1).
func oneLayer(t *testing.T, df, m int, layer string, o spec.Options) *analyze.Report {
	t.Helper()
	src := fmt.Sprintf("input: {height: %d, width: %d, channels: %d}\nlayers:\n  - %s\n", df, df, m, layer)
	n, err := spec.Parse("gen.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r, err := analyze.Spec(n, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestCostFormulas checks Section 3's formulas on random layers.
func TestCostFormulas(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		dk := 1 + 2*rng.IntN(3) // 1, 3, 5
		m, n, df := 1+rng.IntN(300), 1+rng.IntN(300), 1+rng.IntN(40)
		std := oneLayer(t, df, m, fmt.Sprintf("{type: conv, filters: %d, kernel: %d}", n, dk), spec.Options{})
		sep := oneLayer(t, df, m, fmt.Sprintf("{type: separable, filters: %d, kernel: %d}", n, dk), spec.Options{})
		wantStd := int64(dk * dk * m * n * df * df)
		wantSep := int64(dk*dk*m*df*df + m*n*df*df)
		if std.Totals.MultAdds != wantStd {
			t.Fatalf("standard DK=%d M=%d N=%d DF=%d: %d mult-adds, want DK·DK·M·N·DF·DF = %d", dk, m, n, df, std.Totals.MultAdds, wantStd)
		}
		if sep.Totals.MultAdds != wantSep {
			t.Fatalf("separable DK=%d M=%d N=%d DF=%d: %d, want DK·DK·M·DF·DF + M·N·DF·DF = %d", dk, m, n, df, sep.Totals.MultAdds, wantSep)
		}
		if std.Totals.Params != int64(dk*dk*m*n) || sep.Totals.Params != int64(dk*dk*m+m*n) {
			t.Fatalf("params: standard %d separable %d", std.Totals.Params, sep.Totals.Params)
		}
		ratio := float64(sep.Totals.MultAdds) / float64(std.Totals.MultAdds)
		if want := 1/float64(n) + 1/float64(dk*dk); math.Abs(ratio-want) > 1e-12 {
			t.Fatalf("separable/standard = %v, want 1/N + 1/DK² = %v", ratio, want)
		}
	}
}

// TestMultiplierScaling: α scales cost by about α², ρ by ρ² (exactly, for
// the pointwise layers that dominate, when channels and sizes divide).
func TestMultiplierScaling(t *testing.T) {
	base := oneLayer(t, 32, 256, "{type: separable, filters: 256}", spec.Options{})
	for _, a := range []float64{0.25, 0.5, 0.75} {
		// Scale the input channels too, as a hidden layer's would be.
		r := oneLayer(t, 32, int(256*a), "{type: separable, filters: 256}", spec.Options{Alpha: a})
		got := float64(r.Totals.MultAdds) / float64(base.Totals.MultAdds)
		// dw part scales by α, pw by α²: the exact ratio is between.
		pw := float64(256*256) * a * a
		dw := float64(9*256) * a
		want := (pw + dw) / float64(256*256+9*256)
		if math.Abs(got-want) > 1e-12 || got < a*a || got > a {
			t.Errorf("alpha %v: cost ratio %v, want %v (between α² and α)", a, got, want)
		}
	}
	for _, res := range []int{8, 16, 24} {
		r := oneLayer(t, res, 256, "{type: separable, filters: 256}", spec.Options{})
		rho := float64(res) / 32
		got := float64(r.Totals.MultAdds) / float64(base.Totals.MultAdds)
		if math.Abs(got-rho*rho) > 1e-12 {
			t.Errorf("rho %v: cost ratio %v, want ρ² = %v", rho, got, rho*rho)
		}
	}
	// Whole MobileNet: α² within a few percent (the first conv and the
	// classifier do not scale by α²).
	full := report(t, "mobilenet_v1", spec.Options{}).Totals.MultAdds
	for _, a := range []float64{0.5, 0.75} {
		got := float64(report(t, "mobilenet_v1", spec.Options{Alpha: a}).Totals.MultAdds) / float64(full)
		if math.Abs(got/(a*a)-1) > 0.06 {
			t.Errorf("MobileNet alpha %v: cost ratio %v, not about α² = %v", a, got, a*a)
		}
	}
}

func TestPeakActivation(t *testing.T) {
	// Chain: input 8x8x4 (256 values), conv to 8x8x8 (512), pool to 4x4x8
	// (128), flatten (a view), fc to 10. Peaks: input+conv = 768 values.
	src := `input: {size: 8, channels: 4}
layers:
  - {type: conv, filters: 8, kernel: 3}
  - {type: maxpool, kernel: 2}
  - {type: flatten}
  - {type: fc, units: 10}
`
	n, err := spec.Parse("chain.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r, err := analyze.Spec(n, spec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Totals.PeakActivationBytes != 768*4 || r.Totals.PeakActivationLayer != 0 {
		t.Errorf("chain peak = %d bytes at %d, want %d at 0", r.Totals.PeakActivationBytes, r.Totals.PeakActivationLayer, 768*4)
	}
	if r.Layers[2].OutputBytes != 0 {
		t.Errorf("flatten is a view, got %d output bytes", r.Layers[2].OutputBytes)
	}
	// Branches: input X (8x8x4=256) read by both branches and the identity
	// branch, so X lives until the concat. a: pw to 8 (512); b: pw to 2
	// (128) then conv to 6 (384). During b's conv: X 256 + a 512 + b1 128 +
	// b2 384 = 1280. Concat: X 256 + a 512 + b2 384 + out 8x8x18=1152 = 2304.
	src = `input: {size: 8, channels: 4}
layers:
  - type: concat
    branches:
      - {layers: [{type: pointwise, filters: 8}]}
      - {layers: [{type: pointwise, filters: 2}, {type: conv, filters: 6, kernel: 3}]}
      - {}
`
	n, err = spec.Parse("branch.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r, err = analyze.Spec(n, spec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Totals.PeakActivationBytes != 2304*4 || r.Layers[r.Totals.PeakActivationLayer].Name != "concat_1" {
		t.Errorf("branch peak = %d bytes at %d, want %d at the concat", r.Totals.PeakActivationBytes, r.Totals.PeakActivationLayer, 2304*4)
	}
}

func TestRefusesAbsurdNetworks(t *testing.T) {
	// Each layer is legal alone (tensors under 2^31 values), the network is
	// over 10^15 mult-adds.
	src := `input: {size: 4096, channels: 64}
layers:
  - {type: repeat, times: 200, layers: [{type: conv, filters: 64, kernel: 11}]}
`
	n, err := spec.Parse("huge.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := analyze.Spec(n, spec.Options{}); err == nil {
		t.Fatal("a network over 10^15 mult-adds was accepted")
	} else if want := "more than 10^15 mult-adds"; !contains(err.Error(), want) {
		t.Fatalf("error %q does not say %q", err, want)
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

func TestIntensity(t *testing.T) {
	r := report(t, "mobilenet_v1", spec.Options{})
	for _, l := range r.Layers {
		if l.MultAdds == 0 {
			continue
		}
		in := l.In.Elems()
		bias := l.Biases
		if bias == 0 {
			bias = l.BNChannels
		}
		want := float64(l.MultAdds) / float64(4*(in+l.Out.Elems()+l.Weights+bias))
		if math.Abs(l.Intensity-want) > 1e-9 {
			t.Errorf("%s: intensity %v, want %v", l.Name, l.Intensity, want)
		}
	}
	// The point of Table 2 in bytes: pointwise layers are compute-heavy,
	// depthwise ones are memory-bound.
	if r.Layers[1].Intensity > 2 || r.Layers[2].Intensity < 4*r.Layers[1].Intensity {
		t.Errorf("dw intensity %v, pw intensity %v", r.Layers[1].Intensity, r.Layers[2].Intensity)
	}
}
