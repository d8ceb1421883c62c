// Package execcmd implements `mnet exec`: compile a network for the CPU,
// run it with mnet's kernels and report latency you can trust.
package execcmd

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/cmd/internal/iostreams"
	"mnet.dev/mnet/internal/render"
	"mnet.dev/mnet/spec"
)

// Options are the exec command's inputs.
type Options struct {
	IO     *iostreams.IOStreams
	Load   func(string) (*cmdutil.Model, error)
	Getenv func(string) string

	Specs   []string // one, or two with Compare
	Flags   cmdutil.SpecFlags
	Spec    spec.Options
	Batch   int
	Threads int
	Warmup  int
	Runs    int
	Time    time.Duration
	Profile bool
	Compare bool
	Peak    bool
	Kernels string
	Seed    uint64
	MaxMem  int64
	Format  render.Format
}

// NewCmdExec builds the command; runF replaces the run function in tests.
func NewCmdExec(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Load: f.LoadModel, Getenv: f.Getenv}
	var maxMem string
	cmd := &cobra.Command{
		Use:   "exec [SPEC|NAME] [SPEC|NAME]",
		Short: "Run a network on mnet's CPU kernels and measure its latency",
		Long: `Compile a network for this CPU (batch norm folded, weights packed, bias and
ReLU fused into the kernels) and time repeated inferences: min, median, p90,
mean and standard deviation, images/s, and the achieved GFLOP/s (2 x
mult-adds / median) beside this machine's measured FMA peak. A .tflite
model runs with its trained weights (quantized ones dequantized to
float32); specs run with random weights (He-normal, fixed seed): latency
does not depend on their values.

--profile times every layer and sums the time per layer type: the paper's
Table 2 in time instead of mult-adds. --compare A B measures two networks
and sets the measured speed-up beside the ratio of their mult-adds.
--peak only measures the FMA peak per core of each kernel set.

The kernel set is the fastest the CPU runs (avx512, avx2; on arm64
neondot, neon; else generic); --kernels or MNET_KERNELS=generic forces one.`,
		Example: `  mnet exec mobilenet_v1 --threads 1
  mnet exec mobilenet_v1 --alpha 0.25 --res 128 --runs 500 --format json
  mnet exec --profile
  mnet exec --compare conv_mobilenet mobilenet_v1
  mnet exec mobilenet_v1_0.25_224_float.tflite
  mnet exec --peak`,
		Args: cobra.MaximumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Specs = args
			if opts.Compare && len(args) != 2 {
				return cmdutil.FlagErrorf("--compare needs two networks, got %d", len(args))
			}
			if !opts.Compare && len(args) > 1 {
				return cmdutil.FlagErrorf("one network at a time (or --compare A B)")
			}
			var err error
			if opts.Spec, err = opts.Flags.Options(); err != nil {
				return err
			}
			if err := cmdutil.CheckThreads(opts.Threads); err != nil {
				return err
			}
			switch {
			case opts.Batch < 1 || opts.Batch > 4096:
				return cmdutil.FlagErrorf("--batch %d out of range [1, 4096]", opts.Batch)
			case opts.Warmup < 0 || opts.Warmup > 100000:
				return cmdutil.FlagErrorf("--warmup %d out of range", opts.Warmup)
			case opts.Runs < 0 || opts.Runs > 1000000:
				return cmdutil.FlagErrorf("--runs %d out of range", opts.Runs)
			case opts.Time < 0 || opts.Time > 24*time.Hour:
				return cmdutil.FlagErrorf("--time %v out of range", opts.Time)
			case opts.Runs > 0 && cmd.Flags().Changed("time"):
				return cmdutil.FlagErrorf("give --runs or --time, not both")
			}
			if maxMem != "" {
				if opts.MaxMem, err = ParseBytes(maxMem); err != nil {
					return cmdutil.FlagErrorf("--max-memory: %v", err)
				}
			}
			if opts.Kernels == "" && opts.Getenv != nil {
				opts.Kernels = opts.Getenv("MNET_KERNELS")
			}
			if runF != nil {
				return runF(opts)
			}
			return Run(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	opts.Flags.Add(fl)
	fl.IntVarP(&opts.Batch, "batch", "b", 1, "images per inference")
	fl.IntVarP(&opts.Threads, "threads", "t", 0, "threads (0: all cores)")
	fl.IntVar(&opts.Warmup, "warmup", 5, "untimed runs first")
	fl.IntVar(&opts.Runs, "runs", 0, "timed runs (default: as many as fit in --time)")
	fl.DurationVar(&opts.Time, "time", 3*time.Second, "how long to keep timing when --runs is not given")
	fl.BoolVarP(&opts.Profile, "profile", "p", false, "time every layer and every layer type")
	fl.BoolVar(&opts.Compare, "compare", false, "measure two networks and compare (A B)")
	fl.BoolVar(&opts.Peak, "peak", false, "only measure the FMA peak per core of each kernel set")
	fl.StringVar(&opts.Kernels, "kernels", "", "kernel set: auto, avx512, avx2 or generic (default $MNET_KERNELS, else auto)")
	fl.Uint64Var(&opts.Seed, "seed", 1, "seed of the random weights")
	fl.StringVar(&maxMem, "max-memory", "", "refuse plans needing more memory, e.g. 2GiB (default: half the RAM)")
	cmdutil.AddFormatFlag(cmd, &opts.Format)
	return cmd
}

// ParseBytes reads a size such as 512MiB, 2GB, 1.5G or 1048576.
func ParseBytes(s string) (int64, error) {
	t := strings.TrimSpace(strings.ToUpper(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"TIB", 1 << 40}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
		{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"T", 1 << 40}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.m
			break
		}
	}
	var v float64
	if _, err := fmt.Sscanf(t, "%g", &v); err != nil || v <= 0 || v*float64(mult) > 1<<50 {
		return 0, fmt.Errorf("%q is not a size (e.g. 512MiB, 2GB)", s)
	}
	return int64(v * float64(mult)), nil
}

// Run measures and reports.
func Run(ctx context.Context, o *Options) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if o.Peak {
		return runPeak(o)
	}
	if o.Compare {
		return runCompare(ctx, o)
	}
	name := ""
	if len(o.Specs) == 1 {
		name = o.Specs[0]
	}
	m, err := measure(ctx, o, name)
	if err != nil {
		return err
	}
	return cmdutil.Print(o.IO, o.Format, data(m))
}
