package sweepcmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/cmd/internal/iostreams"
	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/internal/testdata"
	"mnet.dev/mnet/spec"
)

func TestSweepJSON(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios}
	cmd := NewCmdSweep(f, nil)
	cmd.SetArgs([]string{"--alpha", "0.5,0.35", "--res", "160", "--format", "json"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	var pts []Point
	if err := json.Unmarshal(out.Bytes(), &pts); err != nil {
		t.Fatal(err)
	}
	n, _ := examples.Load("mobilenet_v1")
	for i, a := range []float64{0.5, 0.35} {
		r, err := analyze.Spec(n, spec.Options{Alpha: a, Resolution: 160})
		if err != nil {
			t.Fatal(err)
		}
		if pts[i].MultAdds != r.Totals.MultAdds || pts[i].Params != r.Totals.Params {
			t.Errorf("point %d = %+v, analyze gives %d / %d", i, pts[i], r.Totals.MultAdds, r.Totals.Params)
		}
	}
	if pts[0].Top1 == nil || *pts[0].Top1 != 59.1 || pts[1].Top1 != nil {
		t.Errorf("accuracy: published for 0.5-160 only: %+v %+v", pts[0].Top1, pts[1].Top1)
	}
}

func TestSweepOtherNetsHaveNoAccuracy(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	cmd := NewCmdSweep(&cmdutil.Factory{IOStreams: ios}, nil)
	cmd.SetArgs([]string{"mobilenet_v1_shallow", "--alpha", "1", "--res", "224", "--format", "csv"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.HasSuffix(lines[1], ",-,-") || !strings.Contains(lines[1], "307323392") {
		t.Errorf("csv %q", out.String())
	}
}

func run(t *testing.T, args ...string) string {
	t.Helper()
	ios, _, out, _ := iostreams.Test()
	cmd := NewCmdSweep(&cmdutil.Factory{IOStreams: ios}, nil)
	cmd.SetArgs(args)
	if err := cmd.Execute(); err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	return out.String()
}

// TestSweepByArchitecture: the accuracy follows the network, not its name:
// a renamed copy of the MobileNet v1 spec and TF-slim's imported .tflite
// get TF-slim's published accuracy, and VGG16 the paper's at 224.
func TestSweepByArchitecture(t *testing.T) {
	src, err := examples.Source("mobilenet_v1")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "my net.yaml")
	if err := os.WriteFile(file, []byte(strings.Replace(string(src), "name: MobileNet v1", "name: Mine", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	out := run(t, file, "--alpha", "0.5", "--res", "160", "--format", "csv")
	if !strings.HasSuffix(strings.TrimSpace(out), ",59.1,81.9") {
		t.Errorf("renamed copy: %q", out)
	}
	model := testdata.File(t, "models/mobilenet_v1_0.25_224_float.tflite")
	// The model as imported (α 1: its channels are written out) is
	// MobileNet v1 0.25-224: 49.8% top-1.
	out = run(t, model, "--alpha", "1", "--res", "224", "--format", "csv")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.HasSuffix(lines[1], ",49.8,74.2") {
		t.Errorf("imported 0.25-224: %q", out)
	}
	out = run(t, "vgg16", "--alpha", "1", "--res", "224,160")
	if !strings.Contains(out, "71.5%      -") || !strings.Contains(out, "Accuracy source: Howard") || strings.Count(out, "%") != 1 {
		t.Errorf("VGG16:\n%s", out)
	}
}

// TestSweepFamilyGrids: without --alpha and --res a MobileNet sweeps its
// own published grid with its own accuracies: V2 6 x 5 (22 published, with
// top-5), V3-Small 5 x 6 (2 published, top-1 only).
func TestSweepFamilyGrids(t *testing.T) {
	for _, c := range []struct {
		model           string
		rows, published int
		first           string
	}{
		{"mobilenet_v2", 30, 22, "1.4,224,"},
		{"mobilenet_v3_small", 30, 2, "1.25,256,"},
	} {
		lines := strings.Split(strings.TrimSpace(run(t, c.model, "--format", "csv")), "\n")[1:]
		pub := 0
		for _, l := range lines {
			if !strings.HasSuffix(l, ",-,-") {
				pub++
			}
		}
		if len(lines) != c.rows || pub != c.published || !strings.HasPrefix(lines[0], c.first) {
			t.Errorf("%s: %d rows, %d with accuracy, first %q", c.model, len(lines), pub, lines[0])
		}
	}
	if out := run(t, "mobilenet_v3_large", "--alpha", "0.75", "--res", "224", "--format", "csv"); !strings.Contains(out, ",154010224,154.0,3417808,3.42,73.3,-") {
		t.Errorf("V3-Large 0.75-224: %q", out)
	}
}
