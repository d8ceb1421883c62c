package execcmd

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/cmd/internal/iostreams"
)

func newRun(env map[string]string, runF func(*Options) error) func(args ...string) (string, error) {
	return func(args ...string) (string, error) {
		ios, _, out, errOut := iostreams.Test()
		f := &cmdutil.Factory{IOStreams: ios, Getenv: func(k string) string { return env[k] }}
		cmd := NewCmdExec(f, runF)
		cmd.SetArgs(args)
		cmd.SetOut(out)
		cmd.SetErr(errOut)
		err := cmd.Execute()
		return out.String(), err
	}
}

func TestFlags(t *testing.T) {
	var got *Options
	run := newRun(map[string]string{"MNET_KERNELS": "generic"}, func(o *Options) error { got = o; return nil })
	if _, err := run("vgg16", "--alpha", "0.5", "--res", "96", "--batch", "4", "--threads", "2", "--warmup", "1",
		"--runs", "7", "--profile", "--format", "json", "--seed", "9", "--max-memory", "1.5GiB"); err != nil {
		t.Fatal(err)
	}
	if got.Specs[0] != "vgg16" || got.Spec.Alpha != 0.5 || got.Spec.Resolution != 96 || got.Batch != 4 || got.Threads != 2 ||
		got.Warmup != 1 || got.Runs != 7 || !got.Profile || got.Seed != 9 || got.MaxMem != 3<<29 || got.Kernels != "generic" {
		t.Errorf("options %+v", got)
	}
	if _, err := run("--compare", "conv_mobilenet", "mobilenet_v1", "--kernels", "avx2"); err != nil || !got.Compare || got.Kernels != "avx2" {
		t.Errorf("compare: %v %+v", err, got)
	}
	bad := [][]string{
		{"--batch", "0"}, {"--threads", "-1"}, {"--runs", "-3"}, {"--runs", "5", "--time", "1s"}, {"--compare", "a"},
		{"a", "b"}, {"--max-memory", "lots"}, {"--format", "xml"}, {"--alpha", "0"}, {"--time", "-1s"},
	}
	for _, args := range bad {
		run := newRun(nil, func(*Options) error { t.Errorf("%v: run called", args); return nil })
		if _, err := run(args...); err == nil || cmdutil.ExitCode(err) != cmdutil.ExitUsage {
			t.Errorf("%v: error %v, want a usage error", args, err)
		}
	}
}

func TestParseBytes(t *testing.T) {
	cases := map[string]int64{"1024": 1024, "2KiB": 2048, "1.5GiB": 3 << 29, "2GB": 2e9, "512M": 512 << 20, "7b": 7}
	for s, want := range cases {
		if got, err := ParseBytes(s); err != nil || got != want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "x", "-1GB", "0", "99999999TB"} {
		if _, err := ParseBytes(s); err == nil {
			t.Errorf("ParseBytes(%q) accepted", s)
		}
	}
}

// TestJSONContract runs a tiny network for real and checks the stable
// JSON fields and that the numbers hang together.
func TestJSONContract(t *testing.T) {
	run := newRun(nil, nil)
	out, err := run("mobilenet_v1", "--alpha", "0.25", "--res", "64", "--runs", "20", "--warmup", "2", "--threads", "1", "--profile", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Model      string
		Alpha      float64
		Resolution int
		Batch      int
		Threads    int
		Kernels    string
		Runs       int
		LatencyMS  struct{ Min, Median, P90, Mean, Stddev float64 } `json:"latency_ms"`
		MultAdds   int64                                            `json:"mult_adds"`
		GFLOPS     float64
		PeakGFLOPS float64 `json:"peak_gflops"`
		Layers     []struct {
			Name     string
			Type     string
			MedianMS float64 `json:"median_ms"`
			MultAdds int64   `json:"mult_adds"`
		}
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	l := v.LatencyMS
	if v.Model != "MobileNet v1" || v.Alpha != 0.25 || v.Resolution != 64 || v.Batch != 1 || v.Threads != 1 || v.Runs != 20 || v.Kernels == "" {
		t.Errorf("header %+v", v)
	}
	if !(l.Min > 0 && l.Min <= l.Median && l.Median <= l.P90 && l.Stddev >= 0) {
		t.Errorf("latency %+v", l)
	}
	if want := 2 * float64(v.MultAdds) / (l.Median / 1e3) / 1e9; abs(v.GFLOPS-want) > 1e-6*want || v.PeakGFLOPS <= 0 {
		t.Errorf("gflops %v, want 2 x %d / median = %v; peak %v", v.GFLOPS, v.MultAdds, want, v.PeakGFLOPS)
	}
	var sum int64
	for _, ly := range v.Layers {
		sum += ly.MultAdds
		if ly.MedianMS <= 0 {
			t.Errorf("layer %s has median %v", ly.Name, ly.MedianMS)
		}
	}
	if len(v.Layers) != 30 || sum != v.MultAdds {
		t.Errorf("%d layers, mult-adds sum %d of %d", len(v.Layers), sum, v.MultAdds)
	}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

func TestTextAndCSV(t *testing.T) {
	run := newRun(nil, nil)
	out, err := run("squeezenet", "--alpha", "0.25", "--res", "67", "--runs", "3", "--threads", "2", "--profile")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"SqueezeNet v1.0", "median", "GFLOP/s", "Per layer type", "Conv 3x3", "fire2", "multiply-accumulate"} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
	out, err = run("mobilenet_v1", "--alpha", "0.25", "--res", "32", "--runs", "3", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) != 2 || recs[0][8] != "median_ms" || recs[1][0] != "MobileNet v1" {
		t.Errorf("csv %v %v", recs, err)
	}
}

func TestCompare(t *testing.T) {
	run := newRun(nil, nil)
	out, err := run("--compare", "conv_mobilenet", "mobilenet_v1", "--alpha", "0.25", "--res", "32", "--runs", "5", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		A, B struct {
			MultAdds int64 `json:"mult_adds"`
		}
		Speedup float64 `json:"measured_speedup"`
		Ratio   float64 `json:"mult_adds_ratio"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if v.A.MultAdds <= v.B.MultAdds || abs(v.Ratio-float64(v.A.MultAdds)/float64(v.B.MultAdds)) > 1e-9 || v.Speedup <= 0 {
		t.Errorf("compare %+v", v)
	}
}

func TestMemoryLimitRefused(t *testing.T) {
	run := newRun(nil, nil)
	start := time.Now()
	_, err := run("vgg16", "--max-memory", "64MiB")
	if err == nil || !strings.Contains(err.Error(), "needs about") || cmdutil.ExitCode(err) != cmdutil.ExitError {
		t.Fatalf("vgg16 under 64 MiB: %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Error("refusal took long: it should come before building anything")
	}
}

func TestPeak(t *testing.T) {
	run := newRun(nil, nil)
	out, err := run("--peak")
	if err != nil || !strings.Contains(out, "generic") || !strings.Contains(out, "GFLOP/s") {
		t.Errorf("peak: %v %q", err, out)
	}
}
