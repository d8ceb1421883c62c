package plotcmd

import (
	"bytes"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/cmd/internal/iostreams"
	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/internal/testdata"
	"mnet.dev/mnet/plot"
)

// parse runs the command's flag handling with a recording run function.
func parse(t *testing.T, args ...string) (*Options, error) {
	t.Helper()
	ios, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios}
	var got *Options
	cmd := NewCmdPlot(f, func(o *Options) error { got = o; return nil })
	cmd.SetArgs(args)
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	err := cmd.Execute()
	return got, err
}

func TestFlags(t *testing.T) {
	o, err := parse(t, "grid", "vgg16", "--alphas", "0.25:1:0.25", "--resolutions", "96,128", "--measure",
		"--threads", "1", "--runs", "3", "--width", "800", "--height", "600", "--dpi", "100", "-o", "g.svg")
	if err != nil {
		t.Fatal(err)
	}
	want := &Options{Kind: "grid", Spec: "vgg16", Output: "g.svg", Accuracy: "slim", Measure: true, Threads: 1, Runs: 3,
		Alphas: []float64{0.25, 0.5, 0.75, 1}, Resolutions: []int{96, 128}, Width: 800, Height: 600, DPI: 100}
	o.IO, o.Load = nil, nil
	if o.Flags.Alpha != 0 || o.Flags.Resolution != 0 {
		t.Errorf("spec flags %+v", o.Flags)
	}
	o.Flags = cmdutil.SpecFlags{} // compared above; holds its flag set
	if !reflect.DeepEqual(o, want) {
		t.Errorf("options\n got %+v\nwant %+v", o, want)
	}

	o, err = parse(t, "tradeoff", "--alpha", "0.6", "--res", "200", "--accuracy", "paper", "-o", "t.png")
	if err != nil {
		t.Fatal(err)
	}
	req := o.request(nil)
	if req.Accuracy != "paper" || len(req.Highlight) != 1 || req.Highlight[0] != (plot.Config{Alpha: 0.6, Resolution: 200}) {
		t.Errorf("tradeoff request %+v", req)
	}
	o, _ = parse(t, "params", "--alpha", "0.5", "-o", "p.png")
	if h := o.request(nil).Highlight; len(h) != 1 || h[0] != (plot.Config{Alpha: 0.5, Resolution: 224}) {
		t.Errorf("--alpha alone highlights α at 224: %+v", h)
	}
	o, _ = parse(t, "bytype", "squeezenet", "--alpha", "0.5", "--res", "160", "--classes", "10", "-o", "b.pdf")
	if req := o.request(nil); req.Options.Alpha != 0.5 || req.Options.Resolution != 160 || req.Options.Classes != 10 || req.Highlight != nil {
		t.Errorf("bytype request %+v", req)
	}
	if _, err := parse(t, "tradeoff", "mobilenet", "-o", "t.png"); err != nil {
		t.Errorf("tradeoff of MobileNet by alias: %v", err)
	}
	// MobileNet v1 is recognised by its architecture: a renamed copy and
	// TF-slim's imported model are MobileNet v1 too.
	src, err := examples.Source("mobilenet_v1")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "phone.yaml")
	if err := os.WriteFile(file, []byte(strings.Replace(string(src), "name: MobileNet v1", "name: Phone", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := parse(t, "tradeoff", file, "-o", "t.png"); err != nil {
		t.Errorf("tradeoff of a renamed MobileNet v1: %v", err)
	}
	if _, err := parse(t, "pareto", testdata.File(t, "models/mobilenet_v1_0.25_224_float.tflite"), "-o", "t.png"); err != nil {
		t.Errorf("pareto of TF-slim's MobileNet v1: %v", err)
	}
	if _, err := parse(t, "pareto", "--measure", "-o", "p.png"); err != nil {
		t.Errorf("pareto --measure is redundant, not wrong: %v", err)
	}
}

func TestBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"histogram", "-o", "x.png"}, "unknown chart kind"},
		{[]string{"tradeoff"}, "-o FILE"},
		{[]string{"tradeoff", "-o", "x.jpg"}, "unknown image format"},
		{[]string{"tradeoff", "vgg16", "-o", "x.png"}, "MobileNet v1 only"},
		{[]string{"pareto", "vgg16", "-o", "x.png"}, "MobileNet v1 only"},
		{[]string{"tradeoff", "--measure", "-o", "x.png"}, "--measure applies"},
		{[]string{"params", "--threads", "2", "-o", "x.png"}, "--threads applies only when measuring"},
		{[]string{"layers", "--runs", "2", "-o", "x.png"}, "--runs applies only when measuring"},
		{[]string{"bytype", "--accuracy", "paper", "-o", "x.png"}, "--accuracy applies"},
		{[]string{"tradeoff", "--accuracy", "imagenet", "-o", "x.png"}, "want slim or paper"},
		{[]string{"grid", "--alpha", "0.5", "-o", "x.png"}, "use --alphas"},
		{[]string{"layers", "--alphas", "0.5", "-o", "x.png"}, "--alphas and --resolutions apply"},
		{[]string{"grid", "--alphas", "1:0.25:0.25", "-o", "x.png"}, "--alphas"},
		{[]string{"pareto", "--resolutions", "96:128:0.5", "-o", "x.png"}, "--resolutions"},
		{[]string{"grid", "--alphas", "0.1:4:0.01", "--resolutions", "96:320:32", "-o", "x.png"}, "cells"},
		{[]string{"pareto", "--threads", "-1", "-o", "x.png"}, "--threads"},
		{[]string{"bytype", "--alpha", "7", "-o", "x.png"}, "--alpha"},
		{[]string{"tradeoff", "--classes", "10", "-o", "x.png"}, "--classes applies"},
		{[]string{"tradeoff", "--width", "20", "-o", "x.png"}, "width 20"},
		{[]string{"tradeoff", "--dpi", "5000", "-o", "x.png"}, "DPI 5000"},
		{[]string{"tradeoff", "--nope", "-o", "x.png"}, "unknown flag"},
		{[]string{}, "arg"},
		{[]string{"bytype", "a", "b", "-o", "x.png"}, "arg"},
	} {
		_, err := parse(t, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want %q", c.args, err, c.want)
			continue
		}
		var fe *cmdutil.FlagError
		if c.want != "unknown flag" && c.want != "arg" && !errors.As(err, &fe) {
			t.Errorf("%v: %v is not a usage error (exit 2)", c.args, err)
		}
	}
}

// TestRun draws a chart end to end: the file is a PNG of the asked size,
// stdout stays empty, stderr says where it went.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "layers.png")
	ios, _, stdout, stderr := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios}
	cmd := NewCmdPlot(f, nil)
	cmd.SetArgs([]string{"layers", "mobilenet_v1_shallow", "--width", "600", "--height", "500", "--dpi", "75", "-o", out})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	file, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	cfg, err := png.DecodeConfig(file)
	if err != nil || cfg.Width != 600 || cfg.Height != 500 {
		t.Errorf("PNG %+v, %v", cfg, err)
	}
	if stdout.Len() != 0 || stderr.String() != "wrote "+out+"\n" {
		t.Errorf("stdout %q, stderr %q", stdout, stderr)
	}

	// A missing spec file and an unwritable path are plain errors (exit 1).
	for _, args := range [][]string{
		{"bytype", filepath.Join(dir, "nope.yaml"), "-o", filepath.Join(dir, "b.png")},
		{"tradeoff", "-o", filepath.Join(dir, "no", "dir", "t.png")},
	} {
		ios, _, _, _ := iostreams.Test()
		cmd := NewCmdPlot(&cmdutil.Factory{IOStreams: ios}, nil)
		cmd.SetArgs(args)
		cmd.SetOut(&bytes.Buffer{})
		cmd.SetErr(&bytes.Buffer{})
		err := cmd.Execute()
		if err == nil || cmdutil.ExitCode(err) != cmdutil.ExitError {
			t.Errorf("%v: %v", args, err)
		}
		if strings.HasSuffix(args[len(args)-1], "t.png") && !strings.Contains(err.Error(), args[len(args)-1]) {
			t.Errorf("error %q does not name the path", err)
		}
	}
}

// TestProgress: a measured chart on a terminal draws a progress bar on
// stderr and clears it; not on a terminal, nothing but "wrote".
func TestProgress(t *testing.T) {
	dir := t.TempDir()
	for _, tty := range []bool{true, false} {
		out := filepath.Join(dir, "bytype.png")
		ios, _, stdout, stderr := iostreams.Test()
		ios.ErrTTY = tty
		cmd := NewCmdPlot(&cmdutil.Factory{IOStreams: ios}, nil)
		cmd.SetArgs([]string{"bytype", "--alpha", "0.25", "--res", "96", "--measure", "--runs", "2", "--threads", "1", "--dpi", "50", "-o", out})
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		s := stderr.String()
		if tty && (!strings.Contains(s, "measuring [") || !strings.Contains(s, "2/2 runs") || !strings.Contains(s, "\r\x1b[K")) {
			t.Errorf("tty stderr %q", s)
		}
		if !tty && s != "wrote "+out+"\n" {
			t.Errorf("non-tty stderr %q", s)
		}
		if stdout.Len() != 0 {
			t.Errorf("stdout %q", stdout)
		}
	}
}
