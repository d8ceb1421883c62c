package plot

import (
	"context"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mnet.dev/mnet/spec"
)

// tiny is the smallest MobileNet configuration set, so that measured
// charts stay fast.
var tiny = spec.Options{Alpha: 0.25, Resolution: 96}

// TestMeasuredCharts renders the measuring charts with a tiny network and
// few runs: the image is a chart, the data carry positive times, and
// progress is reported up to the total.
func TestMeasuredCharts(t *testing.T) {
	dir := t.TempDir()
	for _, req := range []Request{
		{Kind: KindPareto, Alphas: []float64{0.25, 0.5}, Resolutions: []int{96, 128}, Runs: 2, Threads: 1},
		{Kind: KindPareto, Accuracy: AccuracyPaper, Alphas: []float64{0.25, 0.3}, Resolutions: []int{224, 96}, Runs: 1, Threads: 1},
		{Kind: KindByType, Options: tiny, Measure: true, Runs: 2, Threads: 1},
		{Kind: KindLayers, Options: tiny, Measure: true, Runs: 2, Threads: 1},
		{Kind: KindGrid, Alphas: []float64{0.25, 0.35}, Resolutions: []int{96}, Measure: true, Runs: 2, Threads: 1},
	} {
		var last, total, calls int
		req.Progress = func(d, n int) { last, total, calls = d, n, calls+1 }
		req.DPI = 75
		path := filepath.Join(dir, req.Kind+req.Accuracy+".png")
		if err := Save(context.Background(), req, path); err != nil {
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
		alphas, res := req.grid()
		want := req.Runs
		if req.Kind == KindPareto || req.Kind == KindGrid {
			want *= len(alphas) * len(res)
		}
		if last != want || total != want || calls != want {
			t.Errorf("%s: progress %d/%d after %d calls, want %d", req.Kind, last, total, calls, want)
		}
	}
}

func TestMeasuredData(t *testing.T) {
	m := Measurer{Threads: 1, Runs: 2}
	d, err := ParetoData(context.Background(), "", []float64{0.25, 0.3}, []int{128, 96}, m)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Points) != 4 || len(d.Frontier) == 0 || d.Machine.Threads != 1 || d.Machine.Runs != 2 || d.Machine.Kernels == "" {
		t.Fatalf("%+v", d)
	}
	for _, p := range d.Points {
		if p.Latency <= 0 {
			t.Errorf("%s: latency %v", p.Config, p.Latency)
		}
		want := Checkpoint
		if p.Alpha == 0.3 || p.Resolution == 96 {
			want = Estimated // no checkpoint: the fit, marked
		}
		if p.Source != want {
			t.Errorf("%s: source %v, want %v", p.Config, p.Source, want)
		}
	}
	if !strings.Contains(d.Machine.String(), "1 thread,") || !strings.Contains(d.Machine.String(), "2 runs in 2 interleaved rounds") {
		t.Errorf("machine %q", d.Machine)
	}

	r := report(t, "mobilenet_v1", tiny)
	prof, err := MeasureProfile(context.Background(), r, m)
	if err != nil {
		t.Fatal(err)
	}
	if s := prof.Machine.String(); !strings.Contains(s, "median of 2 runs") || prof.Machine.Rounds != 1 {
		t.Errorf("one configuration is measured in one round: %q", s)
	}
	bt := ByTypeData(r, prof)
	var sum float64
	for _, tc := range bt.Types {
		sum += tc.TimeShare
	}
	if sum < 0.999 || sum > 1.001 {
		t.Errorf("measured time shares sum to %g", sum)
	}
}

func TestSaveErrors(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
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
		{Request{Kind: KindPareto, Threads: -1}, filepath.Join(dir, "a.png"), "threads"},
		{Request{Kind: KindPareto, Runs: -1}, filepath.Join(dir, "a.png"), "runs"},
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
		err := Save(ctx, c.req, c.path)
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
// format of its extension, with no temporary file left; a cancelled
// measurement writes nothing.
func TestSaveAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "chart.png")
	if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Save(context.Background(), Request{Kind: KindParams, DPI: 50}, p); err != nil {
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
	if err := Save(context.Background(), Request{Kind: KindGrid, DPI: 50}, noExt); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(noExt); !strings.HasPrefix(string(b), "\x89PNG") {
		t.Error("no extension: not a PNG")
	}
	svg := filepath.Join(dir, "chart.SVG")
	if err := Save(context.Background(), Request{Kind: KindGrid, DPI: 50}, svg); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(svg); !strings.Contains(string(b[:200]), "<svg") {
		t.Error(".SVG: not an SVG")
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cp := filepath.Join(dir, "pareto.png")
	err = Save(ctx, Request{Kind: KindPareto, Alphas: []float64{0.25}, Resolutions: []int{96}, Runs: 1}, cp)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
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
	if err := Render(context.Background(), Request{Kind: KindByType, DPI: 50}, &b, "svg"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "<svg") {
		t.Error("not an SVG")
	}
	if err := Render(context.Background(), Request{Kind: "nope"}, &b, "svg"); err == nil {
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
			errs <- Save(context.Background(), Request{Kind: k, DPI: 40}, filepath.Join(dir, k+".png"))
		}()
	}
	for range 3 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
