package plot

import (
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"mnet.dev/mnet/exec"
	"mnet.dev/mnet/spec"
)

// tiny is a small MobileNet configuration.
var tiny = spec.Options{Alpha: 0.25, Resolution: 96}

// TestMeasuredCharts renders the measured charts from measurements of the
// configurations each request asks for (Reports): the image is a chart of
// the right size.
func TestMeasuredCharts(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		req     Request
		configs int
	}{
		{Request{Kind: KindPareto, Alphas: []float64{0.25, 0.5}, Resolutions: []int{96, 128}}, 4},
		{Request{Kind: KindPareto, Accuracy: AccuracyPaper, Alphas: []float64{0.25, 0.3}, Resolutions: []int{224, 96}}, 4},
		{Request{Kind: KindByType, Options: tiny, Measure: true}, 1},
		{Request{Kind: KindLayers, Options: tiny, Measure: true}, 1},
		{Request{Kind: KindGrid, Alphas: []float64{0.25, 0.35}, Resolutions: []int{96}, Measure: true}, 2},
	} {
		req := withFakeMeasurements(t, c.req)
		if len(req.Measured.Results) != c.configs {
			t.Errorf("%s: %d configurations to measure, want %d", req.Kind, len(req.Measured.Results), c.configs)
		}
		req.DPI = 75
		path := filepath.Join(dir, req.Kind+req.Accuracy+".png")
		if err := Save(req, path); err != nil {
			t.Fatalf("%s: %v", req.Kind, err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		h := DefaultHeight / 2
		if req.Kind == KindLayers {
			h = (300 + 230*4) / 2 // a fourth panel: time
		}
		checkImage(t, b, DefaultWidth/2, h)
	}
}

// TestReports: what each chart asks to measure, in the order its data
// takes the measurements; nothing for charts that measure nothing.
func TestReports(t *testing.T) {
	reps, err := (&Request{Kind: KindGrid, Measure: true, Alphas: []float64{1, 0.5}, Resolutions: []int{160, 128}}).Reports()
	if err != nil {
		t.Fatal(err)
	}
	var got []Config
	for _, r := range reps {
		got = append(got, Config{r.Graph.Alpha, r.Graph.Resolution})
	}
	if want := []Config{{0.5, 128}, {1, 128}, {0.5, 160}, {1, 160}}; !slices.Equal(got, want) {
		t.Errorf("grid measures %v, want %v", got, want)
	}
	reps, err = (&Request{Kind: KindPareto, Alphas: []float64{0.5, 1}, Resolutions: []int{128, 160}}).Reports()
	if err != nil || len(reps) != 4 || reps[0].Graph.Alpha != 1 || reps[0].Graph.Resolution != 160 {
		t.Errorf("pareto: %d configurations, %v", len(reps), err)
	}
	for _, req := range []Request{{Kind: KindTradeoff}, {Kind: KindByType}, {Kind: KindGrid}} {
		if reps, err := req.Reports(); reps != nil || err != nil {
			t.Errorf("%s without Measure asks to measure %d: %v", req.Kind, len(reps), err)
		}
	}
}

// TestMeasurementsChecked: a measured chart without its measurements, with
// too few, or a bytype chart from a measurement without a profile, is an
// error, not a chart.
func TestMeasurementsChecked(t *testing.T) {
	pareto := Request{Kind: KindPareto, Alphas: []float64{0.25}, Resolutions: []int{96, 128}}
	cases := []struct {
		req  Request
		want string
	}{
		{pareto, "Request.Measured holds none"},
		{Request{Kind: KindByType, Measure: true}, "Request.Measured holds none"},
		{func() Request {
			r := withFakeMeasurements(t, pareto)
			r.Measured.Results = r.Measured.Results[:1]
			return r
		}(), "1 measurements for the 2 configurations"},
		{func() Request {
			r := withFakeMeasurements(t, Request{Kind: KindByType, Options: tiny, Measure: true})
			r.Measured.Results[0].Layers = nil
			return r
		}(), "per-layer profile"},
	}
	for _, c := range cases {
		if _, err := Build(c.req); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.req.Kind, err, c.want)
		}
	}
}

func TestParetoData(t *testing.T) {
	reps, err := ParetoConfigs([]float64{0.25, 0.3}, []int{128, 96})
	if err != nil {
		t.Fatal(err)
	}
	var res []*exec.Result
	for _, r := range reps {
		res = append(res, fakeResult(r))
	}
	d, err := ParetoData("", reps, res, fakeMachine)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Points) != 4 || len(d.Frontier) == 0 || d.Machine != fakeMachine {
		t.Fatalf("%+v", d)
	}
	for i, p := range d.Points {
		if p.Latency != res[i].Latency.Median || p.Alpha != reps[i].Graph.Alpha || p.MultAdds != reps[i].Totals.MultAdds {
			t.Errorf("%s: latency %v, measured %v", p.Config, p.Latency, res[i].Latency.Median)
		}
		want := Checkpoint
		if p.Alpha == 0.3 || p.Resolution == 96 {
			want = Estimated // no checkpoint: the fit, marked
		}
		if p.Source != want {
			t.Errorf("%s: source %v, want %v", p.Config, p.Source, want)
		}
	}
	if _, err := ParetoData("", reps, res[:3], fakeMachine); err == nil {
		t.Error("3 measurements for 4 configurations accepted")
	}
	res[1] = &exec.Result{}
	if _, err := ParetoData("", reps, res, fakeMachine); err == nil {
		t.Error("a measurement without latency accepted")
	}
	if s := fakeMachine.String(); !strings.Contains(s, "1 thread,") || !strings.Contains(s, "20 runs in 5 interleaved rounds") {
		t.Errorf("machine %q", s)
	}
	if s := (Machine{CPU: "AMD EPYC", GOARCH: "amd64", Kernels: "avx2", Threads: 2, Runs: 20, Rounds: 1}).String(); !strings.Contains(s, "(AMD EPYC, amd64, avx2 kernels)") ||
		!strings.Contains(s, "2 threads, batch 1, median of 20 runs") {
		t.Errorf("machine %q", s)
	}
}

func TestGridLatency(t *testing.T) {
	g, err := GridData(load(t, "mobilenet_v1"), spec.Options{}, []float64{0.5, 0.25}, []int{96, 128})
	if err != nil {
		t.Fatal(err)
	}
	var res []*exec.Result
	for _, r := range g.Reports() {
		res = append(res, fakeResult(r))
	}
	if err := g.SetLatency(res, fakeMachine); err != nil {
		t.Fatal(err)
	}
	for i, r := range g.Resolutions {
		for j, a := range g.Alphas {
			want := fakeResult(report(t, "mobilenet_v1", spec.Options{Alpha: a, Resolution: r})).Latency.Median
			if g.Latency[i][j] != want {
				t.Errorf("α %g res %d: %v, want %v", a, r, g.Latency[i][j], want)
			}
		}
	}
	if err := g.SetLatency(res[:3], fakeMachine); err == nil {
		t.Error("3 measurements for 4 cells accepted")
	}
}

func TestSaveErrors(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		req  Request
		path string
		want string
	}{
		{Request{Kind: "histogram"}, filepath.Join(dir, "a.png"), `unknown chart kind "histogram"`},
		{Request{Kind: KindTradeoff}, filepath.Join(dir, "a.gif"), `unknown image format ".gif"`},
		{Request{Kind: KindTradeoff}, filepath.Join(dir, "missing", "a.png"), filepath.Join(dir, "missing", "a.png")},
		{Request{Kind: KindTradeoff}, dir, "is a directory"},
		{Request{Kind: KindTradeoff, Accuracy: "imagenet"}, filepath.Join(dir, "a.png"), "accuracy source"},
		{Request{Kind: KindTradeoff, Width: 10}, filepath.Join(dir, "a.png"), "width 10 pixels"},
		{Request{Kind: KindGrid, Alphas: []float64{-1}}, filepath.Join(dir, "a.png"), "width multiplier -1"},
		{Request{Kind: KindGrid, Resolutions: []int{0}}, filepath.Join(dir, "a.png"), "resolution 0"},
		{Request{Kind: KindGrid, Alphas: []float64{}}, filepath.Join(dir, "a.png"), "empty"},
		{Request{Kind: KindTradeoff, Highlight: []Config{{0, 224}}}, filepath.Join(dir, "a.png"), "highlighted"},
		{Request{Kind: KindGrid, Alphas: make([]float64, 0, 1)}, filepath.Join(dir, "a.png"), "empty"},
	}
	big := make([]float64, 40)
	for i := range big {
		big[i] = 0.05 * float64(i+1)
	}
	cases = append(cases,
		struct {
			req  Request
			path string
			want string
		}{Request{Kind: KindGrid, Alphas: big, Resolutions: []int{96, 128, 160, 192, 224, 256, 288}, Measure: true}, filepath.Join(dir, "a.png"), "to measure"})
	for _, c := range cases {
		err := Save(c.req, c.path)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v -> %s: error %v, want %q", c.req.Kind, c.path, err, c.want)
		}
	}
	// Nothing was written, no temporary file left behind.
	ents, _ := os.ReadDir(dir)
	if len(ents) != 0 {
		t.Errorf("dir holds %v", ents)
	}
}

// TestSaveAtomic: the file appears whole (and replaces an old one), in the
// format of its extension, with no temporary file left; a chart that
// cannot be drawn writes nothing.
func TestSaveAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "chart.png")
	if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Save(Request{Kind: KindParams, DPI: 50}, p); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(f)
	f.Close()
	if err != nil || cfg.Width != 400 {
		t.Errorf("PNG config %+v, %v", cfg, err)
	}
	noExt := filepath.Join(dir, "chart")
	if err := Save(Request{Kind: KindGrid, DPI: 50}, noExt); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(noExt); !strings.HasPrefix(string(b), "\x89PNG") {
		t.Error("no extension: not a PNG")
	}
	svg := filepath.Join(dir, "chart.SVG")
	if err := Save(Request{Kind: KindGrid, DPI: 50}, svg); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(svg); !strings.Contains(string(b[:200]), "<svg") {
		t.Error(".SVG: not an SVG")
	}

	cp := filepath.Join(dir, "pareto.png")
	if err := Save(Request{Kind: KindPareto, Alphas: []float64{0.25}, Resolutions: []int{96}}, cp); err == nil {
		t.Error("pareto without measurements saved")
	}
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if strings.Join(names, ",") != "chart,chart.SVG,chart.png" {
		t.Errorf("dir holds %v", names)
	}
}

func TestRender(t *testing.T) {
	var b strings.Builder
	if err := Render(Request{Kind: KindByType, DPI: 50}, &b, "svg"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "<svg") {
		t.Error("not an SVG")
	}
	if err := Render(Request{Kind: "nope"}, &b, "svg"); err == nil {
		t.Error("unknown kind rendered")
	}
}

func TestConfigString(t *testing.T) {
	for c, want := range map[Config]string{{1, 224}: "1.0 MobileNet-224", {0.75, 160}: "0.75 MobileNet-160", {2, 96}: "2.0 MobileNet-96"} {
		if c.String() != want {
			t.Errorf("%v: %q, want %q", c, c.String(), want)
		}
	}
}

// TestConcurrentSave: charts share no mutable state, so the TUI may draw
// several at once (run with -race).
func TestConcurrentSave(t *testing.T) {
	dir := t.TempDir()
	errs := make(chan error, 3)
	for _, k := range []string{KindTradeoff, KindByType, KindGrid} {
		go func() {
			errs <- Save(Request{Kind: k, DPI: 40}, filepath.Join(dir, k+".png"))
		}()
	}
	for range 3 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
