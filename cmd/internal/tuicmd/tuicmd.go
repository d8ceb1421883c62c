// Package tuicmd implements `mnet tui`: the interactive terminal explorer
// of the α x resolution accuracy / cost trade-off (package tui).
package tuicmd

import (
	"context"
	"errors"
	"fmt"
	"os"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/cmd/internal/iostreams"
	"mnet.dev/mnet/spec"
	"mnet.dev/mnet/tui"
)

// Options are the tui command's inputs.
type Options struct {
	IO     *iostreams.IOStreams
	Load   func(string) (*spec.Network, error)
	Getenv func(string) string
	// Specs are the networks given on the command line (example names or
	// spec files), offered first in the picker; the first one opens.
	Specs      []string
	Alpha      float64 // first configuration (0: the spec's)
	Resolution int
	Threads    int    // for measurements (0: all cores)
	Kernels    string // kernel set for measurements ("": $MNET_KERNELS, else auto)
	Dir        string // where e and y write
}

// NewOptions returns the options with the factory's streams and loader.
func NewOptions(f *cmdutil.Factory) *Options {
	return &Options{IO: f.IOStreams, Load: f.LoadNetwork, Getenv: f.Getenv, Dir: "."}
}

// NewCmdTui builds the command; runF replaces the run function in tests.
func NewCmdTui(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := NewOptions(f)
	cmd := &cobra.Command{
		Use:   "tui [SPEC|NAME ...]",
		Short: "Explore the α x resolution accuracy / cost trade-off interactively",
		Long: `Open an interactive terminal explorer. Change the width multiplier α
(← →, shift+← →, or type it with a) and the input resolution (↑ ↓, or r) and
watch the exact mult-adds, parameters (weights only, and Keras's count),
memory, the per-type breakdown of the paper's Table 2, the comparison with
the baselines of Tables 8 and 9 and the ImageNet accuracy (TF-slim's
published checkpoints, or an estimate marked "est." and explained) change
at once. Set a device budget (b) to see which configurations fit, measure
latency on this machine in the background (m), export the charts as PNG (e)
and write the configuration as a spec YAML (y). ? lists every key.

The networks given (example names or spec files) are offered first by the
picker (p), then every example; without any, MobileNet v1 opens. Running
mnet with no arguments on a terminal opens the explorer too.`,
		Example: `  mnet tui
  mnet tui mobilenet_v1 --alpha 0.5 --res 160
  mnet tui my_net.yaml vgg16`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Specs = args
			fl := cmd.Flags()
			if err := cmdutil.CheckAlpha(opts.Alpha, fl.Changed("alpha")); err != nil {
				return err
			}
			if err := cmdutil.CheckResolution(opts.Resolution, fl.Changed("res")); err != nil {
				return err
			}
			if err := cmdutil.CheckThreads(opts.Threads); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return Run(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.Float64VarP(&opts.Alpha, "alpha", "a", 0, "width multiplier α to open at (default: the spec's)")
	fl.IntVarP(&opts.Resolution, "res", "r", 0, "input resolution to open at (default: the spec's)")
	fl.IntVarP(&opts.Threads, "threads", "t", 0, "threads for latency measurements (0: all cores)")
	fl.StringVar(&opts.Kernels, "kernels", "", "kernel set for measurements: auto, avx512, avx2 or generic (default $MNET_KERNELS, else auto)")
	fl.StringVar(&opts.Dir, "dir", ".", "directory where e (charts) and y (spec YAML) write")
	return cmd
}

// Entries loads the networks given and appends the examples not among
// them. start is the entry to open first.
func Entries(o *Options) (entries []tui.Entry, start int, err error) {
	seen := map[string]bool{}
	for _, arg := range o.Specs {
		e, err := entry(o, arg)
		if err != nil {
			return nil, 0, err
		}
		if !seen[e.Name] {
			seen[e.Name] = true
			entries = append(entries, e)
		}
	}
	ex, err := tui.ExampleEntries()
	if err != nil {
		return nil, 0, err
	}
	for _, e := range ex {
		if seen[e.Name] {
			continue
		}
		if len(o.Specs) == 0 && e.Name == cmdutil.DefaultModel {
			start = len(entries)
		}
		entries = append(entries, e)
	}
	return entries, start, nil
}

// entry loads one command-line network: a spec file (its YAML kept for y)
// or an example. A path that exists wins over an example of the same name,
// as everywhere in mnet.
func entry(o *Options, arg string) (tui.Entry, error) {
	n, err := o.Load(arg)
	if err != nil {
		return tui.Entry{}, err
	}
	if st, statErr := os.Stat(arg); statErr == nil && !st.IsDir() {
		e := tui.Entry{Name: arg, Network: n}
		if !cmdutil.IsModelFile(arg) {
			if e.Source, err = os.ReadFile(arg); err != nil {
				return tui.Entry{}, fmt.Errorf("reading %s: %w", arg, err)
			}
		}
		return e, nil
	}
	e, err := tui.ExampleEntry(arg)
	if err != nil {
		return tui.Entry{}, err
	}
	e.Network = n
	return e, nil
}

// Run opens the explorer on the terminal and returns when it quits.
func Run(ctx context.Context, o *Options) error {
	if !o.IO.OutTTY {
		return errors.New("mnet tui needs a terminal: its output is not one (try mnet analyze or mnet sweep)")
	}
	if ctx == nil {
		ctx = context.Background()
	}
	entries, start, err := Entries(o)
	if err != nil {
		return err
	}
	kernels := o.Kernels
	if kernels == "" && o.Getenv != nil {
		kernels = o.Getenv("MNET_KERNELS")
	}
	m, err := tui.New(tui.Config{
		Entries: entries, Start: start, Alpha: o.Alpha, Resolution: o.Resolution,
		Measure: tui.ExecMeasure(tui.ExecOptions{Threads: o.Threads, Kernels: kernels}),
		Dir:     o.Dir, Threads: o.Threads,
	})
	if err != nil {
		return err
	}
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(o.IO.In), tea.WithOutput(o.IO.Out))
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrInterrupted) {
		return fmt.Errorf("terminal interface: %w", err)
	}
	return nil
}
