package importcmd

import (
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

func run(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios}
	cmd := NewCmdImport(f, nil)
	cmd.SetArgs(args)
	cmd.SetOut(out)
	cmd.SetErr(errOut)
	err := cmd.Execute()
	return out.String(), errOut.String(), err
}

// TestImportFloatModel: the written spec analyzes exactly like MobileNet v1
// at α 0.25 with 1001 classes.
func TestImportFloatModel(t *testing.T) {
	model := testdata.File(t, "models/mobilenet_v1_0.25_224_float.tflite")
	out := filepath.Join(t.TempDir(), "m.yaml")
	if _, msg, err := run(t, model, "-o", out); err != nil || !strings.Contains(msg, "wrote "+out) {
		t.Fatalf("%v %q", err, msg)
	}
	n, err := spec.ParseFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := analyze.Spec(n, spec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	y, _ := examples.Load("mobilenet_v1")
	want, err := analyze.Spec(y, spec.Options{Alpha: 0.25, Classes: 1001})
	if err != nil {
		t.Fatal(err)
	}
	if got.Totals.MultAdds != want.Totals.MultAdds || got.Totals.Params != want.Totals.Params {
		t.Errorf("imported spec: %d mult-adds, %d params; MobileNet 0.25: %d, %d", got.Totals.MultAdds, got.Totals.Params,
			want.Totals.MultAdds, want.Totals.Params)
	}
	// To standard output without -o.
	text, _, err := run(t, model)
	if err != nil || !strings.HasPrefix(text, "# Imported by mnet from") {
		t.Errorf("stdout: %v %q", err, text[:min(len(text), 80)])
	}
}

func TestImportErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.tflite")
	os.WriteFile(bad, []byte("TFL3 but not really a model"), 0o644)
	if _, _, err := run(t, bad); err == nil || !strings.Contains(err.Error(), "bad.tflite") {
		t.Errorf("malformed model: %v", err)
	}
	if _, _, err := run(t, "net.yaml"); err == nil || cmdutil.ExitCode(err) != cmdutil.ExitUsage {
		t.Errorf("a YAML file: %v", err)
	}
	model := testdata.File(t, "models/mobilenet_v1_0.25_128_quant.tflite")
	target := filepath.Join(dir, "no", "such", "dir", "x.yaml")
	if _, _, err := run(t, model, "-o", target); err == nil || !strings.Contains(err.Error(), target) {
		t.Errorf("unwritable output: %v", err)
	}
	if _, err := os.Stat(target); err == nil {
		t.Error("a file was left behind")
	}
}
