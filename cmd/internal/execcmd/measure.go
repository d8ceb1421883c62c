package execcmd

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/exec"
	"mnet.dev/mnet/internal/render"
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
	prog := cmdutil.NewProgress(o.IO, "measuring "+r.Graph.Name)
	res, err := exec.Measure(ctx, r, exec.Options{Kernels: o.Kernels, Threads: o.Threads, Batch: o.Batch, Weights: ws, MaxMemory: o.MaxMem},
		exec.MeasureOptions{Warmup: o.Warmup, Runs: o.Runs, MinTime: o.Time, Profile: o.Profile, Progress: prog.Update})
	prog.Done()
	if err != nil {
		return nil, err
	}
	m := &measurement{Report: r, Result: res, Warmup: o.Warmup, Weights: desc}
	if m.Peak, err = exec.PeakGFLOPS(res.Kernels, peakTime); err != nil {
		return nil, err
	}
	return m, nil
}

// peakConventions says what --peak measures.
const peakConventions = "peak_gflops is per core: register-only float32 multiply-add chains, 1 s per kernel set; " +
	"a GFLOP is 10^9 floating-point operations; one fused multiply-add counts 2"

func runPeak(o *Options) error {
	type peak struct {
		Kernels    string  `json:"kernels"`
		PeakGFLOPS float64 `json:"peak_gflops"`
	}
	var peaks []peak
	text := "FMA peak per core (register-only multiply-add chains, float32, 1 s each):\n"
	md := &render.Table{Title: "FMA peak per core (register-only multiply-add chains, float32, 1 s each)",
		Header: []string{"Kernels", "GFLOP/s"}, Align: []render.Align{render.Left, render.Right},
		Notes: []string{"A GFLOP is 10^9 floating-point operations; one fused multiply-add counts 2."}}
	csv := &render.Table{Header: []string{"kernels", "peak_gflops"}}
	for _, ks := range exec.KernelSets() {
		g, err := exec.PeakGFLOPS(ks, time.Second)
		if err != nil {
			return err
		}
		peaks = append(peaks, peak{ks, g})
		text += fmt.Sprintf("  %-8s %7.1f GFLOP/s\n", ks, g)
		md.Rows = append(md.Rows, []string{ks, strconv.FormatFloat(g, 'f', 1, 64)})
		csv.Rows = append(csv.Rows, []string{ks, strconv.FormatFloat(g, 'f', -1, 64)})
	}
	text += "A GFLOP is 10^9 floating-point operations; one fused multiply-add counts 2."
	return cmdutil.Print(o.IO, o.Format, cmdutil.Data{
		JSON: struct {
			Peaks       []peak `json:"peaks"`
			Conventions string `json:"conventions"`
		}{peaks, peakConventions},
		CSV:      csv,
		Doc:      cmdutil.Doc{cmdutil.Text(text)},
		Markdown: cmdutil.Doc{cmdutil.Table{Table: md}},
	})
}
