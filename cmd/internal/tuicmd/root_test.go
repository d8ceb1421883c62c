package tuicmd_test

import (
	"context"
	"strings"
	"testing"

	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/cmd/internal/iostreams"
	"mnet.dev/mnet/cmd/internal/root"
)

// mnet without arguments opens the explorer only on a terminal; otherwise
// it prints its help, which lists the tui command.
func TestRootWithoutArguments(t *testing.T) {
	ios, _, out, errOut := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Getenv: func(string) string { return "" }}
	if code := root.Run(context.Background(), root.NewCmdRoot(f), f, nil); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out.String(), "Usage:") || !strings.Contains(out.String(), "tui ") {
		t.Errorf("help:\n%s", out)
	}
	// Unknown commands are still usage errors.
	ios, _, _, errOut = iostreams.Test()
	f = &cmdutil.Factory{IOStreams: ios}
	if code := root.Run(context.Background(), root.NewCmdRoot(f), f, []string{"frobnicate"}); code != cmdutil.ExitUsage ||
		!strings.Contains(errOut.String(), "unknown command") {
		t.Errorf("frobnicate: exit %d, %s", code, errOut)
	}
}
