package plot

import (
	"fmt"
	"math"
	"testing"
	"time"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/analyze/paper"
	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/exec"
	"mnet.dev/mnet/spec"
)

func load(t *testing.T, name string) *spec.Network {
	t.Helper()
	n, err := examples.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func report(t *testing.T, name string, o spec.Options) *analyze.Report {
	t.Helper()
	r, err := analyze.Spec(load(t, name), o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestTradeoffData: the 16 points are analyze's exact totals with TF-slim's
// published accuracy; the baselines are analyze's totals of the example
// specs with the accuracy of the paper's Tables 8 and 9.
func TestTradeoffData(t *testing.T) {
	d, err := TradeoffData("", nil)
	if err != nil {
		t.Fatal(err)
	}
	cps, _, err := paper.Checkpoints()
	if err != nil {
		t.Fatal(err)
	}
	if d.Accuracy != AccuracySlim || len(d.Points) != 16 || d.Published != 16 || len(cps) != 16 {
		t.Fatalf("accuracy %q, %d points (%d published)", d.Accuracy, len(d.Points), d.Published)
	}
	for i, p := range d.Points {
		r := report(t, "mobilenet_v1", spec.Options{Alpha: p.Alpha, Resolution: p.Resolution})
		if p.MultAdds != r.Totals.MultAdds || p.Params != r.Totals.Params {
			t.Errorf("%s: %d mult-adds, %d params; analyze: %d, %d", p.Config, p.MultAdds, p.Params, r.Totals.MultAdds, r.Totals.Params)
		}
		c, ok := paper.Lookup(cps, p.Alpha, p.Resolution)
		if !ok || p.Top1 != c.Top1 || p.Source != Checkpoint || p.Highlight || p.Extrapolated {
			t.Errorf("%s: %+v, checkpoint %+v", p.Config, p, c)
		}
		if i > 0 { // α descending, then resolution descending
			q := d.Points[i-1]
			if q.Alpha < p.Alpha || q.Alpha == p.Alpha && q.Resolution <= p.Resolution {
				t.Errorf("order: %s after %s", p.Config, q.Config)
			}
		}
	}
	want := map[string]float64{"GoogLeNet": 69.8, "VGG16": 71.5, "SqueezeNet": 57.5, "AlexNet": 57.2}
	if len(d.Baselines) != len(want) {
		t.Fatalf("%d baselines", len(d.Baselines))
	}
	for _, b := range d.Baselines {
		r := report(t, b.Model, spec.Options{})
		if b.Top1 != want[b.Name] || b.MultAdds != r.Totals.MultAdds || b.Params != r.Totals.Params {
			t.Errorf("%+v; want top-1 %.1f, analyze %d / %d", b, want[b.Name], r.Totals.MultAdds, r.Totals.Params)
		}
	}
}

// TestTradeoffPaperAccuracy: with "paper", the paper's own figures where it
// prints one, TF-slim's elsewhere.
func TestTradeoffPaperAccuracy(t *testing.T) {
	d, err := TradeoffData(AccuracyPaper, nil)
	if err != nil {
		t.Fatal(err)
	}
	pa, err := paper.PaperAccuracies()
	if err != nil {
		t.Fatal(err)
	}
	cps, _, _ := paper.Checkpoints()
	nPaper := 0
	for _, p := range d.Points {
		if a, ok := paper.LookupAccuracy(pa, p.Alpha, p.Resolution); ok {
			nPaper++
			if p.Source != Paper || p.Top1 != a.Top1 || p.Table != a.Table {
				t.Errorf("%s: %+v, paper %+v", p.Config, p, a)
			}
			continue
		}
		c, _ := paper.Lookup(cps, p.Alpha, p.Resolution)
		if p.Source != Checkpoint || p.Top1 != c.Top1 {
			t.Errorf("%s: %+v, checkpoint %.1f", p.Config, p, c.Top1)
		}
	}
	if nPaper != 8 {
		t.Errorf("%d configurations from the paper, want 8", nPaper)
	}
	if p := find(d.Points, Config{1, 160}); p.Top1 != 67.2 || p.Table != "7" {
		t.Errorf("1.0-160: %+v; Table 7 prints 67.2%%", p)
	}
}

// TestTradeoffHighlight: a highlighted configuration without a checkpoint
// is added with the fit's estimate, never a made-up number; one with a
// checkpoint is only marked.
func TestTradeoffHighlight(t *testing.T) {
	d, err := TradeoffData(AccuracySlim, []Config{{0.6, 200}, {1, 224}, {1.4, 224}})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Points) != 18 || d.Published != 16 {
		t.Fatalf("%d points, %d published", len(d.Points), d.Published)
	}
	fit, err := paper.NewFit()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []Config{{0.6, 200}, {1.4, 224}} {
		p := find(d.Points, c)
		r := report(t, "mobilenet_v1", spec.Options{Alpha: c.Alpha, Resolution: c.Resolution})
		top1, ext := fit.Estimate(r.Totals.MultAdds, r.Totals.Params)
		if p.Source != Estimated || !p.Highlight || p.Top1 != top1 || p.Extrapolated != ext ||
			p.MultAdds != r.Totals.MultAdds || p.Params != r.Totals.Params {
			t.Errorf("%s: %+v; fit gives %.2f (extrapolated %v)", c, p, top1, ext)
		}
	}
	if p := find(d.Points, Config{1.4, 224}); !p.Extrapolated {
		t.Error("1.4-224 lies beyond the published range: extrapolated")
	}
	if p := find(d.Points, Config{0.6, 200}); p.Extrapolated {
		t.Error("0.6-200 lies inside the published range")
	}
	if p := find(d.Points, Config{1, 224}); !p.Highlight || p.Source != Checkpoint || p.Top1 != 70.9 {
		t.Errorf("1.0-224: %+v", p)
	}
	if _, err := TradeoffData(AccuracySlim, []Config{{0, 224}}); err == nil {
		t.Error("α 0 (the spec's default to analyze) accepted")
	}
	if _, err := TradeoffData("imagenet", nil); err == nil {
		t.Error("unknown accuracy source accepted")
	}
}

func find(pts []Point, c Config) Point {
	for _, p := range pts {
		if p.Config == c {
			return p
		}
	}
	return Point{}
}

// fakeResult "measures" r: every compiled layer takes 1 ms per million
// mult-adds plus 0.1 ms, and the latency is their sum. Deterministic, so
// measured charts have golden images.
func fakeResult(r *analyze.Report) *exec.Result {
	res := &exec.Result{Kernels: "test", Threads: 1, Batch: 1, MultAdds: r.Totals.MultAdds}
	var total time.Duration
	for _, l := range r.Layers {
		if l.Op == spec.OpDropout || l.Op == spec.OpFlatten {
			continue
		}
		d := time.Duration(float64(l.MultAdds)/1e6*float64(time.Millisecond)) + 100*time.Microsecond
		res.Layers = append(res.Layers, exec.LayerTiming{Layer: exec.Layer{Index: l.Index, Name: l.Name, Type: l.Type, MultAdds: l.MultAdds}, Median: d})
		total += d
	}
	res.Latency = exec.Stats{Min: total, Median: total, P90: total, Mean: total, Runs: 20}
	return res
}

// fakeMachine is where the fake measurements were "made".
var fakeMachine = Machine{GOARCH: "amd64", Kernels: "test", Threads: 1, Runs: 20, Rounds: 5}

func fakeProfile(r *analyze.Report) *Profile {
	return &Profile{Result: fakeResult(r), Machine: Machine{GOARCH: "amd64", Kernels: "test", Threads: 1, Runs: 1}}
}

// withFakeMeasurements returns req with fake measurements of the
// configurations it asks for.
func withFakeMeasurements(t *testing.T, req Request) Request {
	t.Helper()
	reps, err := req.Reports()
	if err != nil {
		t.Fatal(err)
	}
	if reps == nil {
		t.Fatalf("%s: no configurations to measure", req.Kind)
	}
	m := &Measured{Machine: fakeMachine}
	for _, r := range reps {
		m.Results = append(m.Results, fakeResult(r))
	}
	req.Measured = m
	return req
}

func TestByTypeData(t *testing.T) {
	r := report(t, "mobilenet_v1", spec.Options{})
	d := ByTypeData(r, nil)
	if len(d.Types) != len(r.ByType) || d.Network != "MobileNet v1" || d.Alpha != 1 || d.Resolution != 224 {
		t.Fatalf("%+v", d)
	}
	for i, tc := range r.ByType {
		got := d.Types[i]
		if got.Type != tc.Type || got.MultAdds != tc.MultAdds || got.Params != tc.Params ||
			got.MultAddsShare != tc.MultAddsShare || got.ParamsShare != tc.ParamsShare || got.Time != 0 {
			t.Errorf("%d: %+v, analyze %+v", i, got, tc)
		}
	}
	// Table 2: 94.86% of mult-adds and 74.59% of parameters in Conv 1x1.
	if c := d.Types[0]; c.Type != "Conv 1x1" || math.Abs(100*c.MultAddsShare-94.86) > 0.005 || math.Abs(100*c.ParamsShare-74.59) > 0.005 {
		t.Errorf("Conv 1x1: %+v", c)
	}

	prof := fakeProfile(r)
	d = ByTypeData(r, prof)
	var sum float64
	var total time.Duration
	for _, l := range prof.Result.Layers {
		total += l.Median
	}
	byType := map[string]time.Duration{}
	for _, l := range prof.Result.Layers {
		byType[l.Type] += l.Median
	}
	for _, tc := range d.Types {
		sum += tc.TimeShare
		if tc.Time != byType[tc.Type] || math.Abs(tc.TimeShare-float64(tc.Time)/float64(total)) > 1e-12 {
			t.Errorf("%s: time %v share %.4f; want %v", tc.Type, tc.Time, tc.TimeShare, byType[tc.Type])
		}
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("time shares sum to %g", sum)
	}
	// Pooling and softmax cost time but no mult-adds: added after the others.
	last := d.Types[len(d.Types)-1]
	if len(d.Types) <= len(r.ByType) || last.MultAdds != 0 || last.Time == 0 {
		t.Errorf("zero-cost types with time: %+v", d.Types[len(r.ByType):])
	}
}

func TestLayersData(t *testing.T) {
	r := report(t, "mobilenet_v1", spec.Options{Alpha: 0.5, Resolution: 160})
	d := LayersData(r, nil)
	var ma, pa int64
	for _, l := range d.Layers {
		ma += l.MultAdds
		pa += l.Params
		if l.Type == "Dropout" || l.Type == "Flatten" {
			t.Errorf("pass-through layer %s kept", l.Name)
		}
		src := r.Layers[l.Index]
		if src.Name != l.Name || src.MultAdds != l.MultAdds || src.Weights != l.Params || src.OutputBytes != l.ActivationBytes {
			t.Errorf("%s: %+v, analyze %+v", l.Name, l, src)
		}
	}
	if ma != r.Totals.MultAdds || pa != r.Totals.Params {
		t.Errorf("layers sum to %d / %d, totals %d / %d", ma, pa, r.Totals.MultAdds, r.Totals.Params)
	}
	if d.Alpha != 0.5 || d.Resolution != 160 || len(d.Types) < 4 || !d.Computing["Conv 1x1"] || d.Computing["Avg Pool"] {
		t.Errorf("types %v computing %v", d.Types, d.Computing)
	}
	prof := fakeProfile(r)
	d = LayersData(r, prof)
	for i, l := range d.Layers {
		if l.Time != prof.Result.Layers[i].Median || l.Index != prof.Result.Layers[i].Index {
			t.Errorf("%s: time %v, profile %+v", l.Name, l.Time, prof.Result.Layers[i])
		}
	}
	// Colours: the common types fixed, the others distinct.
	cols := colorsFor([]string{"Max Pool", "Conv 7x7", "Conv 1x1", "LRN", "Conv 5x5"}, map[string]bool{"Conv 7x7": true, "Conv 1x1": true, "Conv 5x5": true})
	if cols["Conv 1x1"] != okBlue || cols["Conv 7x7"] == cols["Conv 5x5"] || cols["Max Pool"] == cols["LRN"] {
		t.Errorf("colours %v", cols)
	}
}

func TestGridData(t *testing.T) {
	n := load(t, "mobilenet_v1")
	g, err := GridData(n, spec.Options{}, []float64{1, 0.5, 0.5, 0.25}, []int{224, 128})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Alphas) != 3 || g.Alphas[0] != 0.25 || len(g.Resolutions) != 2 || g.Resolutions[0] != 128 {
		t.Fatalf("axes %v %v: sorted, without repeats", g.Alphas, g.Resolutions)
	}
	for i, res := range g.Resolutions {
		for j, a := range g.Alphas {
			r := report(t, "mobilenet_v1", spec.Options{Alpha: a, Resolution: res})
			if g.MultAdds[i][j] != r.Totals.MultAdds || g.Params[i][j] != r.Totals.Params {
				t.Errorf("α %g res %d: %d, analyze %d", a, res, g.MultAdds[i][j], r.Totals.MultAdds)
			}
		}
	}
	if g.Latency != nil {
		t.Error("latency without measuring")
	}
	if _, err := GridData(n, spec.Options{}, nil, []int{224}); err == nil {
		t.Error("empty range accepted")
	}
	if _, err := GridData(n, spec.Options{}, []float64{5}, []int{224}); err == nil {
		t.Error("α 5 accepted")
	}
	if _, err := GridData(n, spec.Options{}, []float64{1}, []int{0}); err == nil {
		t.Error("resolution 0 (the spec's default to analyze) accepted")
	}
}

func TestParetoFrontier(t *testing.T) {
	ms := time.Millisecond
	pts := []Point{
		{Top1: 70, Latency: 10 * ms}, // 0: frontier (most accurate)
		{Top1: 68, Latency: 12 * ms}, // 1: beaten by 0
		{Top1: 65, Latency: 5 * ms},  // 2: frontier
		{Top1: 60, Latency: 5 * ms},  // 3: as fast as 2, less accurate
		{Top1: 50, Latency: 1 * ms},  // 4: frontier (fastest)
		{Top1: 49, Latency: 2 * ms},  // 5: beaten by 4
		{Top1: 65, Latency: 5 * ms},  // 6: equal to 2: the first is kept
	}
	got := ParetoFrontier(pts)
	want := []int{4, 2, 0}
	if len(got) != len(want) {
		t.Fatalf("frontier %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("frontier %v, want %v", got, want)
		}
	}
	if len(ParetoFrontier(nil)) != 0 {
		t.Error("empty frontier")
	}
}

// TestGenerationsData: v1's 16 and V2's 22 TF-slim checkpoints, V3's 4
// published points and the 4 baselines, with exact mult-adds; the front is
// cheapest first, strictly more accurate at each step, and no point beats
// a front point on both axes.
func TestGenerationsData(t *testing.T) {
	d, err := GenerationsData()
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, p := range d.Points {
		counts[p.Family]++
		if p.MultAdds <= 0 || p.Top1 <= 0 {
			t.Errorf("%s: %+v", p.Label(), p)
		}
	}
	if counts["MobileNet v1"] != 16 || counts["MobileNetV2"] != 22 || counts["MobileNetV3-Large"] != 2 || counts["MobileNetV3-Small"] != 2 || len(d.Points) != 46 {
		t.Errorf("points per family %v (%d in all)", counts, len(d.Points))
	}
	for k, i := range d.Front {
		f := d.Points[i]
		if k > 0 {
			prev := d.Points[d.Front[k-1]]
			if f.MultAdds < prev.MultAdds || f.Top1 <= prev.Top1 {
				t.Errorf("front step %s -> %s not cheaper-first, more accurate", prev.Label(), f.Label())
			}
		}
		for _, p := range d.Points {
			if p.MultAdds < f.MultAdds && p.Top1 > f.Top1 {
				t.Errorf("%s beats front point %s", p.Label(), f.Label())
			}
		}
	}
	first, last := d.Points[d.Front[0]], d.Points[d.Front[len(d.Front)-1]]
	if first.Label() != "V2 0.35-96" || last.Label() != "V3-L 1.0-224" {
		t.Errorf("front from %s to %s, want V2 0.35-96 to V3-L 1.0-224", first.Label(), last.Label())
	}
}

// TestGenerationsLatency: with measured latencies the front moves to the
// latency / accuracy plane: latencies proportional to mult-adds give the
// same front, and a point made very fast joins it.
func TestGenerationsLatency(t *testing.T) {
	d, err := GenerationsData()
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Reports()) != len(d.Points) {
		t.Fatalf("%d reports for %d points", len(d.Reports()), len(d.Points))
	}
	byMA := append([]int(nil), d.Front...)
	results := make([]*exec.Result, len(d.Points))
	for i, r := range d.Reports() {
		results[i] = &exec.Result{Latency: exec.Stats{Median: time.Duration(r.Totals.MultAdds / 100)}}
	}
	if err := d.SetLatency(results, Machine{Threads: 1}); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(d.Front) != fmt.Sprint(byMA) {
		t.Errorf("proportional latency: front %v, by mult-adds %v", d.Front, byMA)
	}
	// VGG16, the slowest, measured fastest of all: it heads the front.
	for i, p := range d.Points {
		if p.Family == "VGG16" {
			results[i].Latency.Median = time.Nanosecond
		}
	}
	if err := d.SetLatency(results, Machine{Threads: 1}); err != nil {
		t.Fatal(err)
	}
	if d.Points[d.Front[0]].Family != "VGG16" {
		t.Errorf("front starts at %s", d.Points[d.Front[0]].Label())
	}
	if err := d.SetLatency(results[:3], Machine{}); err == nil {
		t.Error("3 results for all the points accepted")
	}
	if f := DrawGenerations(d); f == nil {
		t.Error("no figure")
	}
}
