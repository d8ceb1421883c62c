package tui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/plot"
	"mnet.dev/mnet/spec"
)

func checkConfig(t *testing.T, m Model, alpha float64, res int) {
	t.Helper()
	if m.Alpha() != alpha || m.Resolution() != res {
		t.Fatalf("configuration α %v, resolution %d; want α %v, resolution %d", m.Alpha(), m.Resolution(), alpha, res)
	}
	// Every number shown is analyze's for that configuration.
	r, err := analyze.Spec(m.entries[m.cur.cfg.entry].Network, spec.Options{Alpha: alpha, Resolution: res})
	if err != nil {
		t.Fatal(err)
	}
	if m.cur.report.Totals != r.Totals {
		t.Errorf("totals %+v, analyze gives %+v", m.cur.report.Totals, r.Totals)
	}
}

func TestAlphaAndResolutionKeys(t *testing.T) {
	m, _ := newTestModel(t, 80, 24)
	if m.Network() != "mobilenet_v1" {
		t.Fatalf("opens %s, want mobilenet_v1", m.Network())
	}
	checkConfig(t, m, 1, 224)
	steps := []struct {
		keys  []string
		alpha float64
		res   int
	}{
		{[]string{"left"}, 0.75, 224},
		{[]string{"left", "left", "left"}, 0.25, 224}, // stops at 0.25
		{[]string{"right"}, 0.5, 224},
		{[]string{"shift+right"}, 0.55, 224},
		{[]string{"."}, 0.6, 224},
		{[]string{","}, 0.55, 224},
		{[]string{"shift+left", "shift+left"}, 0.45, 224},
		{[]string{"right"}, 0.5, 224}, // coarse from between goes to the next published
		{[]string{"down"}, 0.5, 192},
		{[]string{"down", "down"}, 0.5, 128},
		{[]string{"down", "down", "down"}, 0.5, 96}, // stops at 96
		{[]string{"up", "up"}, 0.5, 160},
		{[]string{"a", "0.35", "enter"}, 0.35, 160},
		{[]string{"r", "200", "enter"}, 0.35, 200},
		{[]string{"up"}, 0.35, 224}, // from a typed value to the next multiple of 32
		{[]string{"right", "right", "right", "right"}, 1, 224},
		{[]string{"a", "1.4", "enter"}, 1.4, 224}, // typed beyond the stepping range
		{[]string{"left"}, 1, 224},
		{[]string{"up", "up", "up", "up"}, 1, 320},
		{[]string{"0"}, 1, 224}, // the spec's own
	}
	for _, s := range steps {
		m = press(t, m, s.keys...)
		checkConfig(t, m, s.alpha, s.res)
		if m.prompt.active() {
			t.Fatalf("after %v a prompt is still open", s.keys)
		}
	}
}

func TestTypedValuesAreValidated(t *testing.T) {
	m, _ := newTestModel(t, 80, 24)
	cases := []struct {
		keys []string
		err  string
	}{
		{[]string{"a", "abc", "enter"}, `"abc" is not a number`},
		{[]string{"a", "0", "enter"}, "out of range"},
		{[]string{"a", "-1", "enter"}, "out of range"},
		{[]string{"a", "5", "enter"}, "out of range"},
		{[]string{"a", "NaN", "enter"}, "not a number"},
		{[]string{"a", "enter"}, "type a width multiplier"},
		{[]string{"r", "12.5", "enter"}, "not a whole number"},
		{[]string{"r", "0", "enter"}, "out of range"},
		{[]string{"r", "99999", "enter"}, "out of range"},
	}
	for _, c := range cases {
		m = press(t, m, c.keys...)
		if !m.prompt.active() || !strings.Contains(m.prompt.err, c.err) {
			t.Errorf("%v: prompt active %v, error %q; want %q", c.keys, m.prompt.active(), m.prompt.err, c.err)
		}
		mustContain(t, screen(m), "✗ "+m.prompt.err[:min(len(m.prompt.err), 30)])
		checkConfig(t, m, 1, 224)
		m = press(t, m, "esc")
		if m.prompt.active() {
			t.Fatal("esc does not close the prompt")
		}
	}
	// Typing after an error clears it.
	m = press(t, m, "a", "x", "enter")
	m = press(t, m, "backspace")
	if m.prompt.err != "" {
		t.Errorf("error %q stays after an edit", m.prompt.err)
	}
}

func TestResolutionTooSmallKeepsConfiguration(t *testing.T) {
	m, _ := newTestModel(t, 80, 24)
	m = press(t, m, "p")
	for m.picker.cursor > 0 {
		m = press(t, m, "up")
	}
	m = press(t, m, "enter") // alexnet, 227
	if m.Network() != "alexnet" {
		t.Fatalf("picked %s", m.Network())
	}
	checkConfig(t, m, 1, 227)
	m = press(t, m, "r", "40", "enter")
	if !m.prompt.active() || !strings.Contains(m.prompt.err, "alexnet at α 1.0, resolution 40") {
		t.Errorf("error %q", m.prompt.err)
	}
	checkConfig(t, m, 1, 227)
}

func TestPicker(t *testing.T) {
	m, _ := newTestModel(t, 80, 24)
	m = press(t, m, "left", "down") // 0.75-192
	start := m.cur.cfg.entry
	m = press(t, m, "p")
	if !m.picker.open || m.picker.cursor != start {
		t.Fatalf("picker open %v at %d, want at %d", m.picker.open, m.picker.cursor, start)
	}
	m = press(t, m, "down", "esc")
	if m.picker.open || m.cur.cfg.entry != start {
		t.Fatal("esc changed the network or left the picker open")
	}
	m = press(t, m, "p", "j", "enter")
	if m.Network() != "mobilenet_v1_conv" {
		t.Fatalf("network %s, want mobilenet_v1_conv", m.Network())
	}
	checkConfig(t, m, 1, 224) // opened at its own α and resolution
	mustContain(t, screen(m), "Conv MobileNet", "opened mobilenet_v1_conv")
	// Its budget grid and accuracy are its own: no published accuracy.
	if m.cur.acc.kind != accNone || m.grid[0].totals.MultAdds <= m.book.mobilenet[0].totals.MultAdds {
		t.Errorf("accuracy %v, grid %d vs MobileNet %d", m.cur.acc.kind, m.grid[0].totals.MultAdds, m.book.mobilenet[0].totals.MultAdds)
	}
}

func TestAccuracy(t *testing.T) {
	m, _ := newTestModel(t, 80, 24)
	m = press(t, m, "left", "left", "down", "down") // 0.5-160: published
	if m.cur.acc.kind != accPublished || m.cur.acc.top1 != 59.1 {
		t.Errorf("0.5-160: %+v, want published 59.1", m.cur.acc)
	}
	m = press(t, m, ".") // 0.55-160: estimated
	top1, _ := m.book.fit.Estimate(m.cur.report.Totals.MultAdds, m.cur.report.Totals.Params)
	if m.cur.acc.kind != accEstimated || m.cur.acc.top1 != top1 || m.cur.acc.extrapolated {
		t.Errorf("0.55-160: %+v, want the fit's %v", m.cur.acc, top1)
	}
	mustContain(t, screen(m), "est.", "log-linear fit")
	m = press(t, m, "a", "2", "enter") // far outside: extrapolated
	if !m.cur.acc.extrapolated {
		t.Error("α 2 is not marked extrapolated")
	}
	// Resolutions up to spec's limit, as in every command.
	m = press(t, m, "a", "0", ".", "2", "5", "enter", "r", "5", "0", "0", "0", "enter")
	checkConfig(t, m, 0.25, 5000)
}

// TestAccuracyByArchitecture: a renamed copy of MobileNet v1, with its own
// name and none of the example's, gets TF-slim's accuracy and the trade-off
// chart's highlight; a look-alike gets none.
func TestAccuracyByArchitecture(t *testing.T) {
	src, err := examples.Source("mobilenet_v1")
	if err != nil {
		t.Fatal(err)
	}
	n, err := spec.Parse("phone.yaml", []byte(strings.Replace(string(src), "name: MobileNet v1", "name: Phone net", 1)))
	if err != nil {
		t.Fatal(err)
	}
	shallow, err := ExampleEntry("mobilenet_v1_shallow")
	if err != nil {
		t.Fatal(err)
	}
	ex := &exports{}
	m, err := New(Config{Entries: []Entry{{Name: "phone.yaml", Network: n, Source: src}, shallow}, Measure: fakeMeasure, Export: ex.save, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	m = press(t, m, "left", "left", "down", "down") // 0.5-160
	if m.cur.acc.kind != accPublished || m.cur.acc.top1 != 59.1 || m.mnEntry != 0 || !m.isMobileNet(0) || m.isMobileNet(1) {
		t.Errorf("renamed MobileNet v1 0.5-160: %+v, MobileNet entry %d", m.cur.acc, m.mnEntry)
	}
	reqs := exportRequests(viewTradeoff, m.entries[0], m.cur)
	if len(reqs) != 2 || len(reqs[0].Highlight) != 1 || reqs[0].Highlight[0] != (plot.Config{Alpha: 0.5, Resolution: 160}) {
		t.Errorf("trade-off export %+v", reqs)
	}
	m = press(t, m, "p", "j", "enter")
	if m.Network() != "mobilenet_v1_shallow" || m.cur.acc.kind != accNone {
		t.Errorf("%s: accuracy %+v", m.Network(), m.cur.acc)
	}
}

func TestViews(t *testing.T) {
	m, _ := newTestModel(t, 80, 24)
	for i, want := range []viewID{viewLayers, viewTradeoff, viewBudget, viewOverview} {
		m = press(t, m, "tab")
		if m.view != want {
			t.Fatalf("tab %d: view %v, want %v", i+1, m.view, want)
		}
	}
	m = press(t, m, "shift+tab")
	if m.view != viewBudget {
		t.Errorf("shift+tab: %v", m.view)
	}
	m = press(t, m, "2")
	if m.view != viewLayers {
		t.Errorf("2: %v", m.view)
	}
	// j/k scroll the layer table; the arrows still change the configuration.
	m = press(t, m, "j", "j", "j")
	if c := m.layers.table.Cursor(); c != 3 {
		t.Errorf("cursor %d after jjj", c)
	}
	m = press(t, m, "left") // the table keeps its place
	if c := m.layers.table.Cursor(); c != 3 || m.Alpha() != 0.75 {
		t.Errorf("cursor %d, α %v", c, m.Alpha())
	}
	m = press(t, m, "G")
	if c := m.layers.table.Cursor(); c != len(m.cur.report.Layers)-1 {
		t.Errorf("G: cursor %d", c)
	}
	mustContain(t, screen(m), "layer 30 of 30", "softmax")
	m = press(t, m, "?")
	if !m.help {
		t.Fatal("? does not open help")
	}
	mustContain(t, screen(m), "Keys", "measure latency")
	m = press(t, m, "esc")
	if m.help {
		t.Fatal("esc does not close help")
	}
}

func TestHelpListsEveryKey(t *testing.T) {
	m, _ := newTestModel(t, 120, 40)
	s := screen(press(t, m, "?"))
	for _, b := range []string{"← →", "⇧←→ , .", "↓ ↑", "a ", "r ", "0 ", "p ", "tab ⇧tab", "1-4", "j k", "pgdn pgup",
		"g G", "b ", "enter", "m ", "M ", "esc", "e ", "y ", "? ", "q ctrl+c"} {
		if !strings.Contains(s, " "+b) {
			t.Errorf("help lacks %q", b)
		}
	}
}

func TestBudget(t *testing.T) {
	m, _ := newTestModel(t, 80, 24)
	m = press(t, m, "b")
	if !m.prompt.active() || m.prompt.kind != promptBudget || m.view != viewBudget {
		t.Fatal("b does not open the budget prompt on the budget view")
	}
	m = press(t, m, "150M", "enter")
	if !m.budget.set || m.budget.kind != budgetMultAdds || m.budget.limit != 150e6 {
		t.Fatalf("budget %+v", m.budget)
	}
	mustContain(t, screen(m), "mult-adds ≤ 150 M", "Most accurate that fits: 0.5-224", "63.3%")
	m = press(t, m, "enter")
	checkConfig(t, m, 0.5, 224)

	// Parameters, typed in millions without a unit.
	m = press(t, m, "b", "tab", "1.5", "enter")
	if m.budget.kind != budgetParams || m.budget.limit != 1.5e6 {
		t.Fatalf("budget %+v", m.budget)
	}
	mustContain(t, screen(m), "Most accurate that fits: 0.5-224") // 1.32 M params
	// Activation memory.
	m = press(t, m, "b", "tab", "tab", "2MiB", "enter")
	if m.budget.kind != budgetActivations || m.budget.limit != 2<<20 {
		t.Fatalf("budget %+v", m.budget)
	}
	// A bad limit keeps the prompt open.
	m = press(t, m, "b", "lots", "enter")
	if !m.prompt.active() || m.prompt.err == "" {
		t.Fatal("a bad limit was accepted")
	}
	m = press(t, m, "ctrl+u", "3parsecs", "enter")
	if !strings.Contains(m.prompt.err, "not a limit") && !strings.Contains(m.prompt.err, "unknown unit") {
		t.Errorf("error %q", m.prompt.err)
	}
	m = press(t, m, "esc")
	// Latency: nothing measured, nothing known to fit.
	m = press(t, m, "b", "tab", "5ms", "enter")
	if m.budget.kind != budgetLatency || m.budget.limit != 5e6 {
		t.Fatalf("budget %+v", m.budget)
	}
	mustContain(t, screen(m), "nothing measured fits")
	m = press(t, m, "M") // the fake measures 1 ms per 100 M mult-adds
	if len(m.meas.results) != 16 {
		t.Fatalf("%d measured", len(m.meas.results))
	}
	mustContain(t, screen(m), "Most accurate that fits: 1.0-192", "✗ 5.69ms") // 1 ms per 100 M mult-adds
	// An empty limit clears the budget.
	m = press(t, m, "b", "enter")
	if m.budget.set {
		t.Error("empty limit does not clear")
	}
	m = press(t, m, "enter")
	if m.status == "" || !m.statusErr {
		t.Error("enter without a budget says nothing")
	}
}

func TestParseLimit(t *testing.T) {
	cases := []struct {
		k    budgetKind
		in   string
		want float64
	}{
		{budgetMultAdds, "150", 150e6}, {budgetMultAdds, "150M", 150e6}, {budgetMultAdds, "1.5G", 1.5e9},
		{budgetMultAdds, "500k", 5e5}, {budgetMultAdds, "≤ 150 M", 150e6}, {budgetParams, "4.2m", 4.2e6},
		{budgetWeights, "16", 16 << 20}, {budgetWeights, "16MB", 16e6}, {budgetWeights, "512KiB", 512 << 10},
		{budgetActivations, "1GiB", 1 << 30}, {budgetLatency, "5", 5e6}, {budgetLatency, "250us", 250e3},
		{budgetLatency, "250µs", 250e3}, {budgetLatency, "0.1s", 1e8}, {budgetLatency, "1e1ms", 1e7},
	}
	for _, c := range cases {
		got, err := parseLimit(c.k, c.in)
		if err != nil || got != c.want {
			t.Errorf("%v %q = %v, %v; want %v", c.k, c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "x", "-5", "0", "5 apples", "1e400", "NaN", "5ms5"} {
		if v, err := parseLimit(budgetMultAdds, bad); err == nil {
			t.Errorf("%q accepted: %v", bad, v)
		}
	}
	if _, err := parseLimit(budgetLatency, "5MB"); err == nil {
		t.Error("bytes accepted for latency")
	}
}

func TestMeasure(t *testing.T) {
	m, _ := newTestModel(t, 80, 24)
	m = press(t, m, "left", "left", "down", "down", "m") // 0.5-160
	if m.meas.running() {
		t.Fatal("still running after the fake finished")
	}
	r := m.meas.result(config{entry: m.cur.cfg.entry, alpha: 0.5, res: 160})
	if r == nil || r.Median != time.Duration(m.cur.report.Totals.MultAdds/100) {
		t.Fatalf("result %+v", r)
	}
	s := screen(m)
	mustContain(t, s, "Latency 765 µs median", "measured MobileNet v1 0.5-160: 765 µs median, 2.0 GFLOP/s")
	// Remembered for the session: away and back.
	m = press(t, m, "right", "left")
	mustContain(t, screen(m), "Latency 765 µs median")
	// Marked on the chart (once the current point has moved away).
	m = press(t, m, "3", "left")
	mustContain(t, screen(m), "● measured")
	if strings.Count(screen(m), "●") != 2 { // the point and the legend
		t.Errorf("chart:\n%s", screen(m))
	}
}

// blockingMeasure runs until cancelled, reporting progress once.
func blockingMeasure(started chan<- struct{}) MeasureFunc {
	return func(ctx context.Context, r *analyze.Report, progress func(done, total int)) (Measurement, error) {
		progress(1, 100)
		close(started)
		<-ctx.Done()
		return Measurement{}, ctx.Err()
	}
}

func TestMeasureCancelAndStayResponsive(t *testing.T) {
	m, _ := newTestModel(t, 80, 24)
	started := make(chan struct{})
	m.meas.fn = blockingMeasure(started)
	nm, cmd := m.Update(keyMsg("m"))
	m = nm.(Model)
	if !m.meas.running() {
		t.Fatal("m did not start a measurement")
	}
	batch, ok := cmd().(tea.BatchMsg)
	if !ok || len(batch) != 2 {
		t.Fatalf("m returned %T", cmd())
	}
	go batch[0]() // the measurement itself, as the runtime would run it
	<-started
	nm, _ = m.Update(batch[1]()) // its progress (not waiting for more)
	m = nm.(Model)
	mustContain(t, screen(m), "measuring MobileNet v1 1.0-224", "1%", "esc cancels")
	// The interface stays usable while it runs.
	m = press(t, m, "left", "tab")
	checkConfig(t, m, 0.75, 224)
	if !m.meas.running() {
		t.Fatal("the measurement stopped")
	}
	m = press(t, m, "m")
	if !m.statusErr || !strings.Contains(m.status, "a measurement is running") {
		t.Errorf("second m: %q", m.status)
	}
	m = press(t, m, "esc")
	mustContain(t, screen(m), "cancelling")
	done := m.meas.job.wait()()
	m = update(t, m, done)
	if m.meas.running() || !strings.Contains(m.status, "cancelled") {
		t.Errorf("after cancel: running %v, status %q", m.meas.running(), m.status)
	}
	if len(m.meas.results) != 0 {
		t.Error("a cancelled measurement was recorded")
	}
}

func TestMeasureError(t *testing.T) {
	m, _ := newTestModel(t, 80, 24)
	m.meas.fn = func(ctx context.Context, r *analyze.Report, progress func(done, total int)) (Measurement, error) {
		return Measurement{}, context.DeadlineExceeded
	}
	m = press(t, m, "m")
	if m.meas.running() || !m.statusErr || !strings.Contains(m.status, "measuring MobileNet v1 1.0-224") {
		t.Errorf("status %q", m.status)
	}
}

func TestExport(t *testing.T) {
	m, ex := newTestModel(t, 80, 24)
	m = press(t, m, "left", "left", "down", "down") // 0.5-160
	want := map[viewID][]string{
		viewOverview: {"bytype"},
		viewLayers:   {"layers"},
		viewTradeoff: {"tradeoff", "params"},
		viewBudget:   {"grid"},
	}
	for v := viewOverview; v < numViews; v++ {
		ex.reqs, ex.paths = nil, nil
		m.view = v
		m = press(t, m, "e")
		var kinds []string
		for _, r := range ex.reqs {
			kinds = append(kinds, r.Kind)
			if err := r.Check(); err != nil {
				t.Errorf("%v: request %s: %v", v, r.Kind, err)
			}
		}
		if strings.Join(kinds, ",") != strings.Join(want[v], ",") {
			t.Errorf("%v exports %v, want %v", v, kinds, want[v])
		}
		if m.exporting || m.status != wroteFiles(ex.paths) || !strings.HasSuffix(m.status, " in "+m.dir) {
			t.Errorf("%v: status %q", v, m.status)
		}
	}
	// The trade-off charts highlight the current configuration.
	m.view = viewTradeoff
	ex.reqs, ex.paths = nil, nil
	m = press(t, m, "e")
	if h := ex.reqs[0].Highlight; len(h) != 1 || h[0] != (plot.Config{Alpha: 0.5, Resolution: 160}) {
		t.Errorf("highlight %+v", h)
	}
	if filepath.Base(ex.paths[0]) != "mobilenet_v1-tradeoff-0.5-160.png" || filepath.Dir(ex.paths[0]) != m.dir {
		t.Errorf("path %s", ex.paths[0])
	}
}

func TestExportError(t *testing.T) {
	m, _ := newTestModel(t, 80, 24)
	m.export = func(req plot.Request, path string) error { return os.ErrPermission }
	m = press(t, m, "e")
	if !m.statusErr || !strings.Contains(m.status, "permission denied") {
		t.Errorf("status %q", m.status)
	}
}

func TestWriteYAML(t *testing.T) {
	m, _ := newTestModel(t, 80, 24)
	m = press(t, m, "left", "left", "down", "down", ".") // 0.55-160
	m = press(t, m, "y")
	if !m.prompt.active() || m.prompt.kind != promptYAML {
		t.Fatal("y does not open the file prompt")
	}
	path := m.prompt.input.Value()
	if filepath.Base(path) != "mobilenet_v1-0.55-160.yaml" {
		t.Errorf("default path %s", path)
	}
	m = press(t, m, "enter")
	if m.statusErr || m.status != "wrote mobilenet_v1-0.55-160.yaml in "+m.dir {
		t.Fatalf("status %q", m.status)
	}
	n, err := spec.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := analyze.Spec(n, spec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Totals != m.cur.report.Totals {
		t.Errorf("the written spec analyses to %+v, not %+v", r.Totals, m.cur.report.Totals)
	}
	// Everything but the first comment, alpha and the input is the example.
	src := string(m.entries[m.cur.cfg.entry].Source)
	got, _ := os.ReadFile(path)
	gl, sl := strings.Split(string(got), "\n")[1:], strings.Split(src, "\n")
	if len(gl) != len(sl) {
		t.Fatalf("%d lines, the example has %d", len(gl), len(sl))
	}
	var changed []string
	for i := range sl {
		if gl[i] != sl[i] {
			changed = append(changed, gl[i])
		}
	}
	if len(changed) != 2 || !strings.HasPrefix(changed[0], "input: {height: 160, width: 160") || !strings.HasPrefix(changed[1], "alpha: 0.55") {
		t.Errorf("changed lines %q", changed)
	}
	// A file that cannot be written is reported.
	m = press(t, m, "y", "ctrl+u", filepath.Join(m.dir, "no", "such", "dir.yaml"), "enter")
	if !m.statusErr || !strings.Contains(m.status, "writing the spec YAML") {
		t.Errorf("status %q", m.status)
	}
}

func TestWriteYAMLWithoutSource(t *testing.T) {
	e, err := ExampleEntry("vgg16")
	if err != nil {
		t.Fatal(err)
	}
	e.Source = nil
	m, err := New(Config{Entries: []Entry{e}, Measure: fakeMeasure})
	if err != nil {
		t.Fatal(err)
	}
	m = press(t, m, "y")
	if m.prompt.active() || !m.statusErr || !strings.Contains(m.status, "did not come from a spec YAML") {
		t.Errorf("status %q", m.status)
	}
}

func TestQuit(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		m, _ := newTestModel(t, 80, 24)
		_, cmd := m.Update(keyMsg(k))
		if cmd == nil {
			t.Fatalf("%s: no command", k)
		}
		if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Errorf("%s does not quit", k)
		}
	}
	// In a prompt q is typed; ctrl+c still quits.
	m, _ := newTestModel(t, 80, 24)
	m = press(t, m, "a", "q")
	if m.prompt.input.Value() != "q" {
		t.Errorf("prompt %q", m.prompt.input.Value())
	}
	_, cmd := m.Update(keyMsg("ctrl+c"))
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("ctrl+c in a prompt does not quit")
	}
}

func TestResizeNeverOverflows(t *testing.T) {
	m, _ := newTestModel(t, 80, 24)
	m = press(t, m, "b", "100M", "enter", "m")
	for _, sz := range [][2]int{{80, 24}, {120, 40}, {100, 30}, {60, 20}, {40, 12}, {20, 5}, {1, 1}, {200, 60}} {
		m = update(t, m, tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		for v := viewOverview; v < numViews; v++ {
			m.view = v
			for _, help := range []bool{false, true} {
				m.help = help
				lines := strings.Split(screen(m), "\n")
				if len(lines) != sz[1] {
					t.Errorf("%dx%d %v: %d lines", sz[0], sz[1], v, len(lines))
				}
				for i, l := range lines {
					if w := len([]rune(l)); w > sz[0] {
						t.Errorf("%dx%d %v: line %d is %d wide: %q", sz[0], sz[1], v, i, w, l)
					}
				}
			}
		}
		m.help = false
	}
}
