package tuicmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/cmd/internal/iostreams"
	"mnet.dev/mnet/examples"
)

func factory() *cmdutil.Factory {
	ios, _, _, _ := iostreams.Test()
	return &cmdutil.Factory{IOStreams: ios, Getenv: func(string) string { return "" }}
}

func TestFlags(t *testing.T) {
	var got *Options
	cmd := NewCmdTui(factory(), func(_ context.Context, o *Options) error { got = o; return nil })
	cmd.SetArgs([]string{"vgg16", "mobilenet_v1", "--alpha", "0.5", "--res", "160", "-t", "2", "--dir", "/tmp"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.Specs, ",") != "vgg16,mobilenet_v1" || got.Alpha != 0.5 || got.Resolution != 160 ||
		got.Threads != 2 || got.Dir != "/tmp" {
		t.Errorf("options %+v", got)
	}
	// The limits are spec's, as in analyze: --res 5000 is fine, 70000 not.
	cmd = NewCmdTui(factory(), func(_ context.Context, o *Options) error { got = o; return nil })
	cmd.SetArgs([]string{"--res", "5000"})
	if err := cmd.Execute(); err != nil || got.Resolution != 5000 {
		t.Errorf("--res 5000: %v", err)
	}
	for _, bad := range [][]string{{"--alpha", "5"}, {"--alpha", "-1"}, {"--alpha", "0"}, {"--res", "-3"}, {"--res", "70000"}, {"--res", "0"}, {"--threads", "-1"}} {
		cmd := NewCmdTui(factory(), func(context.Context, *Options) error { return nil })
		cmd.SetArgs(bad)
		cmd.SetErr(&strings.Builder{})
		err := cmd.Execute()
		if cmdutil.ExitCode(err) != cmdutil.ExitUsage {
			t.Errorf("%v: %v (exit %d), want a usage error", bad, err, cmdutil.ExitCode(err))
		}
	}
}

func TestEntries(t *testing.T) {
	dir := t.TempDir()
	src, err := examples.Source("mobilenet_v1")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "mine.yaml")
	if err := os.WriteFile(file, src, 0o644); err != nil {
		t.Fatal(err)
	}
	f := factory()
	o := NewOptions(f)

	// No arguments: every example, MobileNet v1 first shown.
	es, start, err := Entries(o)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != len(examples.Names()) || es[start].Name != "mobilenet_v1" {
		t.Errorf("%d entries, start %s", len(es), es[start].Name)
	}

	// A file and an alias: offered first, in order, then the other examples.
	o.Specs = []string{file, "mobilenet", "mobilenet_v1"}
	es, start, err = Entries(o)
	if err != nil {
		t.Fatal(err)
	}
	if start != 0 || es[0].Name != file || es[1].Name != "mobilenet_v1" || len(es) != len(examples.Names())+1 {
		t.Errorf("entries %s, %s, ... (%d), start %d", es[0].Name, es[1].Name, len(es), start)
	}
	if string(es[0].Source) != string(src) || es[0].Network.Name != "MobileNet v1" {
		t.Error("the file entry is wrong")
	}

	// Errors name what failed.
	for _, bad := range []string{"no_such_net", filepath.Join(dir, "missing.yaml"), dir} {
		o.Specs = []string{bad}
		if _, _, err := Entries(o); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestRunNeedsATerminal(t *testing.T) {
	o := NewOptions(factory())
	err := Run(context.Background(), o)
	if err == nil || !strings.Contains(err.Error(), "needs a terminal") {
		t.Errorf("error %v", err)
	}
}
