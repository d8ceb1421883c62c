package tui

import (
	"context"
	"time"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/exec"
	"mnet.dev/mnet/spec"
)

// Entry is one network the picker offers.
type Entry struct {
	// Name is what the picker shows: an example's name or a file path.
	Name    string
	Network *spec.Network
	// Source is the spec's YAML text, from which `y` writes a copy with α
	// and the resolution set; nil when the network did not come from YAML.
	// (Which published accuracy applies is decided by the network's
	// architecture: paper.Book's policy.)
	Source []byte
}

// ExampleEntry returns the embedded example spec name (or alias) as an
// entry.
func ExampleEntry(name string) (Entry, error) {
	n, err := examples.Load(name)
	if err != nil {
		return Entry{}, err
	}
	src, err := examples.Source(name)
	if err != nil {
		return Entry{}, err
	}
	return Entry{Name: examples.Canonical(name), Network: n, Source: src}, nil
}

// ExampleEntries returns every embedded example spec, sorted by name.
func ExampleEntries() ([]Entry, error) {
	var out []Entry
	for _, name := range examples.Names() {
		e, err := ExampleEntry(name)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// Measurement is a latency measurement of one configuration.
type Measurement struct {
	Median  time.Duration
	GFLOPS  float64 // 2 x mult-adds / median latency, 10^9 per second
	Runs    int
	Threads int
	Kernels string // the kernel set that ran (avx512, avx2, generic)
}

// MeasureFunc measures the latency of an analysed configuration. It calls
// progress (from any goroutine) as runs complete and returns ctx's error
// promptly when ctx is cancelled.
type MeasureFunc func(ctx context.Context, r *analyze.Report, progress func(done, total int)) (Measurement, error)

// ExecOptions configure ExecMeasure.
type ExecOptions struct {
	Threads int    // 0: all cores
	Kernels string // "" or "auto": the fastest this CPU runs
	Warmup  int    // untimed runs (0: exec's default)
	Runs    int    // timed runs; 0: as many as fit in MinTime
	// MinTime is how long to keep measuring when Runs is 0 (0: one second,
	// so that a measurement feels quick in an interactive tool).
	MinTime time.Duration
}

// ExecMeasure measures with package exec (exec.Measure: compile the plan
// with random weights, which latency does not depend on, time it, release it).
func ExecMeasure(o ExecOptions) MeasureFunc {
	return func(ctx context.Context, r *analyze.Report, progress func(done, total int)) (Measurement, error) {
		mo := exec.MeasureOptions{Warmup: o.Warmup, Runs: o.Runs, MinTime: o.MinTime, Progress: progress}
		if mo.Runs == 0 {
			if mo.MinTime == 0 {
				mo.MinTime = time.Second
			}
			// A timed measurement reports progress in time (exec's run
			// count is an estimate made from the first run).
			start, total := time.Now(), max(int(mo.MinTime/time.Millisecond), 1)
			mo.Progress = func(int, int) {
				progress(min(int(time.Since(start)/time.Millisecond), total-1), total)
			}
		}
		res, err := exec.Measure(ctx, r, exec.Options{Threads: o.Threads, Kernels: o.Kernels}, mo)
		if err != nil {
			return Measurement{}, err
		}
		return Measurement{Median: res.Latency.Median, GFLOPS: res.GFLOPS, Runs: res.Latency.Runs,
			Threads: res.Threads, Kernels: res.Kernels}, nil
	}
}

// Config is what the explorer starts with.
type Config struct {
	// Entries are the networks the picker offers; Start is the one opened
	// first. With no entries, the embedded examples are offered and
	// MobileNet v1 is opened.
	Entries []Entry
	Start   int
	// Alpha and Resolution are the first configuration (0: the spec's).
	Alpha      float64
	Resolution int
	// Measure runs `m`; nil means ExecMeasure(ExecOptions{}).
	Measure MeasureFunc
	// Export writes the charts of `e`; nil means plot.Save.
	Export ExportFunc
	// Dir is where `e` and `y` write files ("" is the current directory).
	Dir string
	// Threads is the thread count of the default Measure (0: all cores).
	Threads int
}
