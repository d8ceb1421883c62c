package plot

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/exec"
)

// Measurer times network configurations on this machine with package exec
// (random weights: latency does not depend on them).
type Measurer struct {
	Threads int // 0: all cores
	Runs    int // timed runs per configuration (0: 20)
	Warmup  int // untimed runs first (0: 2)
	// Progress, if set, is called after every timed run with the runs done
	// and the total over all configurations.
	Progress func(done, total int)
}

// Machine describes where and how a measurement was made, for captions.
type Machine struct {
	CPU     string // model name, "" when unknown
	GOARCH  string
	Kernels string // exec's kernel set
	Threads int
	Runs    int // timed runs per configuration (medians are reported)
	Rounds  int // interleaved rounds the runs were split into
}

// String is a caption sentence: "Measured on this machine (AMD EPYC,
// amd64, avx512 kernels), 2 threads, median of 20 runs, ...".
func (m Machine) String() string {
	var where []string
	if m.CPU != "" {
		where = append(where, m.CPU)
	}
	where = append(where, m.GOARCH, m.Kernels+" kernels")
	thr := "threads"
	if m.Threads == 1 {
		thr = "thread"
	}
	runs := fmt.Sprintf("median of %d runs", m.Runs)
	if m.Rounds > 1 {
		runs = fmt.Sprintf("%d runs in %d interleaved rounds (the best round's median)", m.Runs, m.Rounds)
	}
	return fmt.Sprintf("Measured on this machine (%s) with mnet's exec, %d %s, batch 1, %s, random weights; other machines differ.",
		strings.Join(where, ", "), m.Threads, thr, runs)
}

// Measure compiles and times each report; profile adds per-layer times.
// Several configurations are measured in interleaved rounds (each round
// compiles, times and closes every plan in turn, with a share of the runs),
// so that a burst of load from other programs falls on all of them alike.
// A configuration's result is then its best round (lowest median), whole:
// load from other programs only ever slows a round down, and the median
// within a round already discards single slow runs.
func (m Measurer) Measure(ctx context.Context, reports []*analyze.Report, profile bool) ([]*exec.Result, Machine, error) {
	runs := m.Runs
	if runs <= 0 {
		runs = defaultRuns
	}
	warm := m.Warmup
	if warm <= 0 {
		warm = defaultWarmups
	}
	rounds := 1
	if len(reports) > 1 {
		rounds = min(defaultRounds, runs)
	}
	mach := Machine{CPU: cpuModel(), GOARCH: runtime.GOARCH, Runs: runs, Rounds: rounds}
	total := runs * len(reports)
	out := make([]*exec.Result, len(reports))
	done := 0
	for k := range rounds {
		n := runs / rounds
		if k < runs%rounds {
			n++
		}
		for i, r := range reports {
			res, err := m.measureOne(ctx, r, exec.MeasureOptions{Warmup: warm, Runs: n, Profile: profile}, &mach, func(d int) {
				if m.Progress != nil {
					m.Progress(done+d, total)
				}
			})
			if err != nil {
				return nil, mach, err
			}
			done += n
			// Keep the whole best round, so that its statistics, GFLOP/s
			// and profile describe the same runs.
			if out[i] == nil || res.Latency.Median < out[i].Latency.Median {
				out[i] = res
			}
		}
	}
	return out, mach, nil
}

// measureOne compiles r, measures it and releases the plan.
func (m Measurer) measureOne(ctx context.Context, r *analyze.Report, o exec.MeasureOptions, mach *Machine, progress func(int)) (*exec.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	o.Progress = func(d, _ int) { progress(d) }
	res, err := exec.Measure(ctx, r, exec.Options{Threads: m.Threads}, o)
	if err != nil {
		return nil, err
	}
	mach.Kernels, mach.Threads = res.Kernels, res.Threads
	return res, nil
}

// cpuModel reads the CPU's model name (Linux), or returns "".
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
