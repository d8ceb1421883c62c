package exec

import (
	"context"
	"fmt"
	"time"

	"mnet.dev/mnet/analyze"
)

// MeasureOptions control a latency measurement.
type MeasureOptions struct {
	Warmup int // untimed runs first
	// Runs is the number of timed runs; when 0, runs continue until MinTime
	// has passed (and at least 5 runs are done).
	Runs    int
	MinTime time.Duration // 0 with Runs 0: 2s
	// Profile times every layer of every run (adds two clock reads per
	// layer, about 50 ns each).
	Profile bool
	// Progress, if set, is called after each timed run with the runs done
	// and the expected total.
	Progress func(done, total int)
}

// LayerTiming is one layer's share of a profiled measurement.
type LayerTiming struct {
	Layer
	Median time.Duration
}

// Result is a latency measurement of a plan.
type Result struct {
	Latency      Stats
	MultAdds     int64   // per inference (all images of the batch)
	GFLOPS       float64 // 2 x mult-adds / median latency
	ImagesPerSec float64
	Layers       []LayerTiming // with Profile

	// The plan that was measured.
	Kernels     string // kernel set: "avx512", "avx2" or "generic"
	Threads     int
	Batch       int
	ArenaBytes  int64
	WeightBytes int64
}

// Measure compiles a report with o, measures the plan with mo and releases
// it: the one-call form for tools that time a configuration and move on.
func Measure(ctx context.Context, r *analyze.Report, o Options, mo MeasureOptions) (*Result, error) {
	g := r.Graph
	p, err := Compile(r, o)
	if err != nil {
		return nil, fmt.Errorf("compiling %s (α %g, resolution %d): %w", g.Name, g.Alpha, g.Resolution, err)
	}
	defer p.Close()
	res, err := p.Measure(ctx, mo)
	if err != nil {
		return nil, fmt.Errorf("measuring %s (α %g, resolution %d): %w", g.Name, g.Alpha, g.Resolution, err)
	}
	return res, nil
}

// Measure runs the plan repeatedly and times each inference. It returns
// early with ctx's error when ctx is cancelled.
func (p *Plan) Measure(ctx context.Context, o MeasureOptions) (*Result, error) {
	warm := o.Warmup
	if o.Runs < 0 || o.MinTime < 0 || warm < 0 {
		return nil, fmt.Errorf("negative run count, warm-up or time")
	}
	minTime := o.MinTime
	if o.Runs == 0 && minTime == 0 {
		minTime = 2 * time.Second
	}
	for range warm {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p.Run()
	}
	// Estimate the total for the progress display and size the sample.
	total := o.Runs
	if total == 0 {
		t0 := time.Now()
		p.Run()
		one := max(time.Since(t0), time.Microsecond)
		total = max(int(minTime/one), 5)
	}
	total = min(total, 1_000_000)
	times := make([]time.Duration, 0, total)
	var layer [][]time.Duration
	var stamps []time.Time
	if o.Profile {
		layer = make([][]time.Duration, len(p.jobs))
		for i := range layer {
			layer[i] = make([]time.Duration, 0, total)
		}
		stamps = make([]time.Time, len(p.jobs)+1)
	}
	start := time.Now()
	for i := 0; ; i++ {
		if o.Runs > 0 && i >= o.Runs {
			break
		}
		if o.Runs == 0 && i >= 5 && time.Since(start) >= minTime {
			break
		}
		if i%8 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if o.Profile {
			p.runTimed(stamps)
			for l := range layer {
				layer[l] = append(layer[l], stamps[l+1].Sub(stamps[l]))
			}
			times = append(times, stamps[len(stamps)-1].Sub(stamps[0]))
		} else {
			t0 := time.Now()
			p.Run()
			times = append(times, time.Since(t0))
		}
		if o.Progress != nil {
			o.Progress(i+1, max(total, i+1))
		}
	}
	res := &Result{Latency: NewStats(times), MultAdds: p.Report.Totals.MultAdds * int64(p.Batch),
		Kernels: p.Kernels, Threads: p.Threads, Batch: p.Batch, ArenaBytes: p.ArenaBytes(), WeightBytes: p.WeightBytes()}
	med := res.Latency.Median.Seconds()
	if med > 0 {
		res.GFLOPS = 2 * float64(res.MultAdds) / med / 1e9
		res.ImagesPerSec = float64(p.Batch) / med
	}
	for l, ts := range layer {
		res.Layers = append(res.Layers, LayerTiming{Layer: p.layers[l], Median: NewStats(ts).Median})
	}
	return res, nil
}

// runTimed is Run with a clock read before the first and after every layer.
func (p *Plan) runTimed(stamps []time.Time) {
	stamps[0] = time.Now()
	for i := range p.jobs {
		p.team.Run(&p.jobs[i])
		stamps[i+1] = time.Now()
	}
}

// TypeTiming is a layer type's share of a profiled measurement: the paper's
// Table 2 in time.
type TypeTiming struct {
	Type     string
	Layers   int
	Time     time.Duration // sum of the type's per-layer medians
	MultAdds int64
}

// ByType sums the profiled layers per type, in order of first appearance;
// nil without a profile.
func (r *Result) ByType() []TypeTiming {
	idx := map[string]int{}
	var out []TypeTiming
	for _, l := range r.Layers {
		i, ok := idx[l.Type]
		if !ok {
			i = len(out)
			idx[l.Type] = i
			out = append(out, TypeTiming{Type: l.Type})
		}
		out[i].Layers++
		out[i].Time += l.Median
		out[i].MultAdds += l.MultAdds
	}
	return out
}
