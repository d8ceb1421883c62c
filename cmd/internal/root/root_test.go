package root

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/cmd/internal/iostreams"
)

func run(args ...string) (int, string, string) {
	ios, _, out, errOut := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Getenv: func(string) string { return "" }}
	code := Run(context.Background(), NewCmdRoot(f), f, args)
	return code, out.String(), errOut.String()
}

func TestExitCodes(t *testing.T) {
	cases := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"analyze"}, 0, ""},
		{[]string{"analyze", "--alpha", "7"}, 2, "--alpha 7 out of range"},
		{[]string{"analyze", "--bogus"}, 2, "unknown flag"},
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{"analyze", "no_such_net"}, 1, `no example spec named "no_such_net"`},
		{[]string{"analyze", "missing.yaml"}, 1, "missing.yaml"},
		{[]string{"analyze", "alexnet", "--res", "10"}, 1, "alexnet.yaml:15:5: layers[0].kernel: 11x11 conv"},
		{[]string{"sweep", "--res", "1:2:0"}, 2, "--res"},
		{[]string{"paper", "--table", "1"}, 2, "--table"},
		{[]string{"analyze", "a", "b"}, 2, "accepts at most 1 arg(s), received 2"},
		{[]string{"import"}, 2, "accepts 1 arg(s), received 0"},
		{[]string{"paper", "extra"}, 2, `unknown command "extra" for "mnet paper"`},
		{[]string{"analyz"}, 2, "unknown command \"analyz\" for \"mnet\"\n\nDid you mean this?\n\tanalyze\n"},
		{[]string{"analyze", "--alpha", "x"}, 2, `invalid argument "x" for "-a, --alpha" flag`},
		{[]string{"analyze", "--res"}, 2, "flag needs an argument: --res"},
		{[]string{"exec", "--format", "xml"}, 2, `--format: unknown format "xml" (want table, json, csv, markdown)`},
		// The same limits everywhere: spec's.
		{[]string{"analyze", "--res", "70000"}, 2, "--res 70000 out of range [1, 65536]"},
		{[]string{"tui", "--res", "70000"}, 2, "--res 70000 out of range [1, 65536]"},
		{[]string{"exec", "--res", "70000"}, 2, "--res 70000 out of range [1, 65536]"},
		{[]string{"sweep", "--res", "70000"}, 2, "--res: 70000 out of range [1, 65536]"},
		{[]string{"plot", "grid", "--resolutions", "70000", "-o", "x.png"}, 2, "--resolutions: 70000 out of range [1, 65536]"},
		{[]string{"plot", "bytype", "--alpha", "5", "-o", "x.png"}, 2, "--alpha 5 out of range (0, 4]"},
	}
	for _, c := range cases {
		code, out, errOut := run(c.args...)
		if code != c.code {
			t.Errorf("%v: exit %d, want %d (stderr %q)", c.args, code, c.code, errOut)
		}
		if c.err != "" && !strings.Contains(errOut, c.err) {
			t.Errorf("%v: stderr %q does not say %q", c.args, errOut, c.err)
		}
		if c.code != 0 && out != "" {
			t.Errorf("%v: failed but wrote to stdout: %q", c.args, out)
		}
	}
}

func TestAnalyzeRootMatchesSubcommand(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios}
	if code := Run(context.Background(), NewCmdAnalyzeRoot(f), f, []string{"vgg16", "-f", "json"}); code != 0 {
		t.Fatalf("mnet-analyze exit %d", code)
	}
	_, sub, _ := run("analyze", "vgg16", "-f", "json")
	if out.String() != sub {
		t.Error("mnet-analyze and mnet analyze differ")
	}
}

// TestUsageErrorsAreTyped: a usage error is known by its type where it
// arises, never by its message: a spec file whose name reads like cobra's
// errors fails as a bad spec (exit 1), without a usage hint.
func TestUsageErrorsAreTyped(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"invalid argument.yaml", "unknown command.yaml", "accepts at most.yaml", "flag needs an argument.yaml"} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("name: x\ninput: {size: 8, channels: 3}\nlayers:\n  - {type: cnov, filters: 3}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := run("analyze", path)
		if code != 1 || out != "" || !strings.Contains(errOut, path+":4:12: layers[0].type") || strings.Contains(errOut, "--help") {
			t.Errorf("%s: exit %d, stderr %q", name, code, errOut)
		}
		// A missing file of such a name too.
		code, _, errOut = run("analyze", filepath.Join(dir, "missing "+name))
		if code != 1 || strings.Contains(errOut, "--help") {
			t.Errorf("missing %s: exit %d, stderr %q", name, code, errOut)
		}
	}
}
