package plot

import (
	"fmt"
	"strings"

	"mnet.dev/mnet/exec"
)

// Measured holds what a measured chart draws (Request.Measure, and
// always for pareto): one result of exec per configuration of
// Request.Reports, in that order (with per-layer profiles for bytype and
// layers), and where they were made.
type Measured struct {
	Results []*exec.Result
	Machine Machine
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
	for _, w := range []string{m.CPU, m.GOARCH} {
		if w != "" {
			where = append(where, w)
		}
	}
	where = append(where, m.Kernels+" kernels")
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
