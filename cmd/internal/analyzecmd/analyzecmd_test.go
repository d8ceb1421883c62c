package analyzecmd

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/cmd/internal/iostreams"
	"mnet.dev/mnet/internal/golden"
	"mnet.dev/mnet/internal/render"
)

func newCmd(runF func(*Options) error) (*cmdutil.Factory, func(args ...string) (string, string, error)) {
	ios, _, out, errOut := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Getenv: func(string) string { return "" }}
	return f, func(args ...string) (string, string, error) {
		out.Reset()
		errOut.Reset()
		cmd := NewCmdAnalyze(f, "analyze", runF)
		cmd.SetArgs(append([]string{}, args...)) // never nil: cobra would read os.Args
		cmd.SetOut(out)
		cmd.SetErr(errOut)
		err := cmd.Execute()
		return out.String(), errOut.String(), err
	}
}

// TestFlags checks flag parsing apart from running.
func TestFlags(t *testing.T) {
	var got *Options
	_, run := newCmd(func(o *Options) error { got = o; return nil })
	if _, _, err := run("vgg16", "--alpha", "0.5", "-r", "160", "--classes", "10", "--rounding", "keras", "--padding", "symmetric", "-f", "json", "--layers"); err != nil {
		t.Fatal(err)
	}
	if got.Spec != "vgg16" || got.Options.Alpha != 0.5 || got.Options.Resolution != 160 || got.Options.Classes != 10 ||
		got.Options.Rounding != "keras" || got.Options.Padding != "symmetric" || got.Format != render.FormatJSON || !got.Layers {
		t.Errorf("options %+v", got)
	}
	bad := [][]string{
		{"--alpha", "-1"}, {"--alpha", "x"}, {"--res", "0x"}, {"--res", "-5"}, {"--rounding", "up"},
		{"--padding", "caffe"}, {"--format", "xml"}, {"a", "b"}, {"--nope"},
	}
	for _, args := range bad {
		_, run := newCmd(func(*Options) error { t.Errorf("%v: run called", args); return nil })
		if _, _, err := run(args...); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

func TestDefaultReportGolden(t *testing.T) {
	_, run := newCmd(nil)
	out, _, err := run()
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "mobilenet_v1.golden", []byte(out))
	out, _, err = run("squeezenet", "--layers", "--format", "markdown")
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "squeezenet_layers.md.golden", []byte(out))
}

// TestJSONContract checks the stable JSON fields and their values.
func TestJSONContract(t *testing.T) {
	_, run := newCmd(nil)
	out, _, err := run("mobilenet_v1", "--alpha", "0.5", "--res", "160", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Model       string
		Alpha       float64
		Resolution  int
		Input       struct{ Height, Width, Channels int }
		Conventions []string
		Totals      struct {
			MultAdds            int64 `json:"mult_adds"`
			Params              int64
			ParamsWithBias      int64 `json:"params_with_bias"`
			ParamsKeras         int64 `json:"params_keras"`
			PeakActivationBytes int64 `json:"peak_activation_bytes"`
		}
		ByType []struct {
			Type          string
			MultAdds      int64   `json:"mult_adds"`
			Params        int64   `json:"params"`
			MultAddsShare float64 `json:"mult_adds_share"`
			ParamsShare   float64 `json:"params_share"`
		} `json:"by_type"`
		Layers []struct {
			Name     string
			Type     string
			Output   [3]int
			MultAdds int64 `json:"mult_adds"`
			Params   int64
		}
	}
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	if v.Model != "MobileNet v1" || v.Alpha != 0.5 || v.Resolution != 160 || v.Input.Height != 160 || v.Input.Channels != 3 {
		t.Errorf("header: %+v", v)
	}
	if v.Totals.MultAdds != 76_524_800 || v.Totals.Params != 1_319_648 || v.Totals.ParamsWithBias != 1_320_648 {
		t.Errorf("totals: %+v", v.Totals)
	}
	if len(v.Conventions) == 0 || !strings.Contains(v.Conventions[0], "multiply-accumulate") {
		t.Errorf("conventions missing: %v", v.Conventions)
	}
	var sum int64
	for _, l := range v.Layers {
		sum += l.MultAdds
	}
	if sum != v.Totals.MultAdds || len(v.Layers) != 30 {
		t.Errorf("%d layers sum to %d", len(v.Layers), sum)
	}
	if l := v.Layers[0]; l.Name != "conv1" || l.Type != "Conv 3x3" || l.Output != [3]int{80, 80, 16} {
		t.Errorf("first layer %+v", l)
	}
	if v.ByType[0].Type != "Conv 1x1" || v.ByType[0].MultAddsShare <= 0.85 {
		t.Errorf("by type %+v", v.ByType)
	}
}

func TestCSV(t *testing.T) {
	_, run := newCmd(nil)
	out, _, err := run("alexnet", "--format", "csv", "--layers")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 17 || recs[0][1] != "Name" || recs[1][1] != "conv1" || recs[1][2] != "Conv 11x11" {
		t.Errorf("csv: %d records, first %v %v", len(recs), recs[0], recs[1])
	}
}

// TestBadSpecs: a malformed file names file, line and field; a missing
// file and an unknown name say so.
func TestBadSpecs(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("name: x\ninput: {size: 8, channels: 3}\nlayers:\n  - {type: cnov, filters: 3}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ arg, want string }{
		{bad, bad + `:4:12: layers[0].type: unknown layer type "cnov" (did you mean "conv"?)`},
		{filepath.Join(dir, "missing.yaml"), "no such file"},
		{"mobilenet_v4", `no example spec named "mobilenet_v4"`},
		{dir, "is a directory"},
	}
	for _, c := range cases {
		f, run := newCmd(nil)
		_, _, err := run(c.arg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.arg, err, c.want)
		}
		if cmdutil.ExitCode(err) != cmdutil.ExitError {
			t.Errorf("%s: exit code %d, want 1", c.arg, cmdutil.ExitCode(err))
		}
		_ = f
	}
}
