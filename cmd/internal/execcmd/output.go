package execcmd

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/exec"
	"mnet.dev/mnet/internal/render"
)

func ms(d time.Duration) string { return strconv.FormatFloat(d.Seconds()*1e3, 'f', 3, 64) }

func msf(d time.Duration) float64 { return d.Seconds() * 1e3 }

// peakShare is the achieved GFLOP/s over the peak of the threads used.
func (m *measurement) peakShare() float64 {
	if m.Peak <= 0 {
		return 0
	}
	return m.Result.GFLOPS / (m.Peak * float64(m.Result.Threads))
}

func heading(m *measurement) string {
	g := m.Report.Graph
	threads := "threads"
	if m.Result.Threads == 1 {
		threads = "thread"
	}
	return fmt.Sprintf("%s  α %s, %dx%dx%d input, batch %d, %d %s, kernels %s, weights %s",
		g.Name, render.Alpha(g.Alpha), g.Input.H, g.Input.W, g.Input.C, m.Result.Batch, m.Result.Threads, threads, m.Result.Kernels, m.Weights)
}

func summaryTable(m *measurement) *render.Table {
	l := m.Result.Latency
	t := &render.Table{
		Title:  fmt.Sprintf("Latency per inference, ms (%d timed runs after %d warm-up)", l.Runs, m.Warmup),
		Header: []string{"min", "median", "p90", "mean", "stddev"},
		Align:  []render.Align{render.Right, render.Right, render.Right, render.Right, render.Right},
		Rows:   [][]string{{ms(l.Min), ms(l.Median), ms(l.P90), ms(l.Mean), ms(l.Stddev)}},
	}
	return t
}

// doc is the text report of one measurement: the latency statistics,
// throughput and compute against the peak, memory, and with a profile the
// per-type and per-layer tables.
func doc(m *measurement) cmdutil.Doc {
	r := m.Result
	d := cmdutil.Doc{cmdutil.Heading{heading(m)}, cmdutil.Table{Table: summaryTable(m)}, cmdutil.Lines{
		fmt.Sprintf("Throughput  %.1f images/s", r.ImagesPerSec),
		fmt.Sprintf("Compute     %.1f GFLOP/s = 2 x %s mult-adds / median latency", r.GFLOPS, render.Int(r.MultAdds)),
		fmt.Sprintf("FMA peak    %.1f GFLOP/s per core (%s, measured just after); %d thread(s) reach %.0f%% of it",
			m.Peak, r.Kernels, r.Threads, 100*m.peakShare()),
		fmt.Sprintf("Memory      activations %s (arena), weights %s (packed float32)", render.Bytes(r.ArenaBytes), render.Bytes(r.WeightBytes)),
	}}
	if len(r.Layers) > 0 {
		d = append(d, cmdutil.Table{Table: typeTable(m)}, cmdutil.Table{Table: layerTable(m)})
	}
	return append(d, cmdutil.Text(render.Wrap("A mult-add is one multiply-accumulate; GFLOP/s counts 2 FLOPs per mult-add. "+
		"Latency is wall-clock time of one inference, inputs resident in memory.", render.NoteWidth, "")))
}

// byType is the profile summed per layer type, slowest first, with the
// total time.
func byType(m *measurement) ([]exec.TypeTiming, time.Duration) {
	rows := m.Result.ByType()
	var total time.Duration
	for _, r := range rows {
		total += r.Time
	}
	sort.SliceStable(rows, func(a, b int) bool { return rows[a].Time > rows[b].Time })
	return rows, total
}

func share(a, b float64) string {
	if b == 0 {
		return "-"
	}
	return render.Percent(a/b, 1)
}

func gflops(macs int64, d time.Duration) string {
	if d <= 0 || macs == 0 {
		return "-"
	}
	return strconv.FormatFloat(2*float64(macs)/d.Seconds()/1e9, 'f', 1, 64)
}

func typeTable(m *measurement) *render.Table {
	rows, total := byType(m)
	t := &render.Table{
		Title:  "Per layer type: the paper's Table 2 in time (sum of per-layer medians)",
		Header: []string{"Type", "Time ms", "Time share", "Mult-Adds share", "GFLOP/s"},
		Align:  []render.Align{render.Left, render.Right, render.Right, render.Right, render.Right},
	}
	for _, r := range rows {
		t.Rows = append(t.Rows, []string{r.Type, ms(r.Time), share(float64(r.Time), float64(total)),
			share(float64(r.MultAdds), float64(m.Result.MultAdds)), gflops(r.MultAdds, r.Time)})
	}
	t.Rows = append(t.Rows, []string{"Total", ms(total), "100.0%", "100.0%", gflops(m.Result.MultAdds, total)})
	t.Emph = make([]bool, len(t.Rows))
	t.Emph[len(t.Rows)-1] = true
	return t
}

func layerTable(m *measurement) *render.Table {
	_, total := byType(m)
	t := &render.Table{
		Title:  "Per layer (median of all runs)",
		Header: []string{"#", "Name", "Type", "Threads", "Time ms", "Time share", "Mult-Adds", "MA share", "GFLOP/s"},
		Align: []render.Align{render.Right, render.Left, render.Left, render.Right, render.Right, render.Right,
			render.Right, render.Right, render.Right},
	}
	for i, l := range m.Result.Layers {
		t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), l.Name, l.Type, strconv.Itoa(l.Threads), ms(l.Median),
			share(float64(l.Median), float64(total)), render.Int(l.MultAdds),
			share(float64(l.MultAdds), float64(m.Result.MultAdds)), gflops(l.MultAdds, l.Median)})
	}
	return t
}

// The JSON report is a stable contract: fields are only ever added.
type jsonLatency struct {
	Min    float64 `json:"min"`
	Median float64 `json:"median"`
	P90    float64 `json:"p90"`
	Mean   float64 `json:"mean"`
	Stddev float64 `json:"stddev"`
}

type jsonLayer struct {
	Name     string  `json:"name"`
	Type     string  `json:"type"`
	Threads  int     `json:"threads"`
	MedianMS float64 `json:"median_ms"`
	MultAdds int64   `json:"mult_adds"`
}

type jsonType struct {
	Type     string  `json:"type"`
	MedianMS float64 `json:"median_ms"`
	MultAdds int64   `json:"mult_adds"`
}

type jsonReport struct {
	Model        string      `json:"model"`
	Alpha        float64     `json:"alpha"`
	Resolution   int         `json:"resolution"`
	Batch        int         `json:"batch"`
	Threads      int         `json:"threads"`
	Kernels      string      `json:"kernels"`
	Weights      string      `json:"weights"`
	Runs         int         `json:"runs"`
	Warmup       int         `json:"warmup"`
	LatencyMS    jsonLatency `json:"latency_ms"`
	ImagesPerSec float64     `json:"images_per_sec"`
	MultAdds     int64       `json:"mult_adds"`
	GFLOPS       float64     `json:"gflops"`
	PeakGFLOPS   float64     `json:"peak_gflops"`
	PeakFraction float64     `json:"peak_fraction"`
	ArenaBytes   int64       `json:"arena_bytes"`
	WeightBytes  int64       `json:"weight_bytes"`
	Conventions  string      `json:"conventions"`
	Layers       []jsonLayer `json:"layers,omitempty"`
	ByType       []jsonType  `json:"by_type,omitempty"`
}

const conventions = "a mult-add is one multiply-accumulate; gflops = 2 x mult_adds / median latency / 1e9; peak_gflops is per core; peak_fraction = gflops / (peak_gflops x threads)"

func toJSON(m *measurement) jsonReport {
	g := m.Report.Graph
	l := m.Result.Latency
	j := jsonReport{Model: g.Name, Alpha: g.Alpha, Resolution: g.Resolution, Batch: m.Result.Batch, Threads: m.Result.Threads,
		Kernels: m.Result.Kernels, Weights: m.Weights, Runs: l.Runs, Warmup: m.Warmup,
		LatencyMS:    jsonLatency{msf(l.Min), msf(l.Median), msf(l.P90), msf(l.Mean), msf(l.Stddev)},
		ImagesPerSec: m.Result.ImagesPerSec, MultAdds: m.Result.MultAdds, GFLOPS: m.Result.GFLOPS,
		PeakGFLOPS: m.Peak, PeakFraction: m.peakShare(), ArenaBytes: m.Result.ArenaBytes, WeightBytes: m.Result.WeightBytes, Conventions: conventions}
	for _, ly := range m.Result.Layers {
		j.Layers = append(j.Layers, jsonLayer{ly.Name, ly.Type, ly.Threads, msf(ly.Median), ly.MultAdds})
	}
	if len(m.Result.Layers) > 0 {
		rows, _ := byType(m)
		for _, r := range rows {
			j.ByType = append(j.ByType, jsonType{r.Type, msf(r.Time), r.MultAdds})
		}
	}
	return j
}

// csvTable is the per-layer profile, or without one the summary, with
// machine-readable values.
func csvTable(m *measurement) *render.Table {
	if len(m.Result.Layers) > 0 {
		t := layerTable(m)
		t.Title = ""
		t.Header = []string{"index", "name", "type", "threads", "median_ms", "time_share", "mult_adds", "mult_adds_share", "gflops"}
		for i, l := range m.Result.Layers {
			t.Rows[i][6] = strconv.FormatInt(l.MultAdds, 10)
		}
		return t
	}
	j := toJSON(m)
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	return &render.Table{
		Header: []string{"model", "alpha", "resolution", "batch", "threads", "kernels", "runs", "min_ms", "median_ms", "p90_ms",
			"mean_ms", "stddev_ms", "images_per_sec", "mult_adds", "gflops", "peak_gflops"},
		Rows: [][]string{{j.Model, f(j.Alpha), strconv.Itoa(j.Resolution), strconv.Itoa(j.Batch), strconv.Itoa(j.Threads), j.Kernels,
			strconv.Itoa(j.Runs), f(j.LatencyMS.Min), f(j.LatencyMS.Median), f(j.LatencyMS.P90), f(j.LatencyMS.Mean),
			f(j.LatencyMS.Stddev), f(j.ImagesPerSec), strconv.FormatInt(j.MultAdds, 10), f(j.GFLOPS), f(j.PeakGFLOPS)}},
	}
}

// data is one measurement in every format.
func data(m *measurement) cmdutil.Data {
	return cmdutil.Data{JSON: toJSON(m), CSV: csvTable(m), Doc: doc(m)}
}
