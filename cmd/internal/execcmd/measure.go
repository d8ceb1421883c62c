package execcmd

import (
	"context"
	"fmt"
	"time"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/exec"
)

// measurement is one network's result with what produced it.
type measurement struct {
	Report  *analyze.Report
	Result  *exec.Result // also says which plan ran: kernels, threads, memory
	Peak    float64      // measured FMA peak per core, GFLOP/s
	Warmup  int
	Weights string
}

// peakTime is how long the peak calibration runs after each measurement.
const peakTime = 200 * time.Millisecond

func measure(ctx context.Context, o *Options, name string) (*measurement, error) {
	model, err := o.Load(name)
	if err != nil {
		return nil, err
	}
	r, err := analyze.Spec(model.Network, o.Spec)
	if err != nil {
		return nil, err
	}
	var ws exec.WeightSource = exec.RandomWeights{Seed: o.Seed}
	desc := fmt.Sprintf("random, seed %d", o.Seed)
	if model.Weights != nil {
		ws, desc = model.Weights, "trained, from "+name
	}
	prog := newProgress(o.IO, r.Graph.Name)
	res, err := exec.Measure(ctx, r, exec.Options{Kernels: o.Kernels, Threads: o.Threads, Batch: o.Batch, Weights: ws, MaxMemory: o.MaxMem},
		exec.MeasureOptions{Warmup: o.Warmup, Runs: o.Runs, MinTime: o.Time, Profile: o.Profile, Progress: prog.update})
	prog.done()
	if err != nil {
		return nil, err
	}
	m := &measurement{Report: r, Result: res, Warmup: o.Warmup, Weights: desc}
	if m.Peak, err = exec.PeakGFLOPS(res.Kernels, peakTime); err != nil {
		return nil, err
	}
	return m, nil
}

func runPeak(o *Options) error {
	w := o.IO.Out
	fmt.Fprintln(w, "FMA peak per core (register-only multiply-add chains, float32, 1 s each):")
	for _, ks := range exec.KernelSets() {
		g, err := exec.PeakGFLOPS(ks, time.Second)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %-8s %7.1f GFLOP/s\n", ks, g)
	}
	fmt.Fprintln(w, "A GFLOP is 10^9 floating-point operations; one fused multiply-add counts 2.")
	return nil
}
