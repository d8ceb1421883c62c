package root

import (
	"context"
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
