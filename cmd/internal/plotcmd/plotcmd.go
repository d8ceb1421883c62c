// Package plotcmd implements `mnet plot`: publication-quality charts of the
// MobileNet accuracy / cost trade-off and of any network's costs, written
// as PNG, SVG or PDF (package plot).
package plotcmd

import (
	"context"
	"fmt"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/analyze/paper"
	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/cmd/internal/iostreams"
	"mnet.dev/mnet/exec"
	"mnet.dev/mnet/internal/cpuinfo"
	"mnet.dev/mnet/plot"
	"mnet.dev/mnet/spec"
)

// Options are the plot command's inputs, validated.
type Options struct {
	IO   *iostreams.IOStreams
	Load func(string) (*spec.Network, error)

	Kind   string
	Spec   string // SPEC or example NAME (bytype, layers, grid)
	Output string

	Flags       cmdutil.SpecFlags // --alpha, --res, --classes, --rounding, --padding
	Accuracy    string
	Measure     bool
	Threads     int
	Runs        int
	Alphas      []float64 // nil: the default grid
	Resolutions []int
	Width       int
	Height      int
	DPI         int
}

// The kinds that take a SPEC, that chart MobileNet's accuracy, that take
// α and resolution ranges.
func specKinds() []string { return []string{plot.KindByType, plot.KindLayers, plot.KindGrid} }

func accuracyKinds() []string { return []string{plot.KindTradeoff, plot.KindParams, plot.KindPareto} }

func rangeKinds() []string { return []string{plot.KindGrid, plot.KindPareto} }

// NewCmdPlot builds the command; runF replaces the run function in tests.
func NewCmdPlot(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Load: f.LoadNetwork}
	var alphas, res string
	cmd := &cobra.Command{
		Use:   "plot KIND [SPEC|NAME] -o FILE",
		Short: "Draw a chart of the accuracy / cost trade-off or of a network's costs (PNG, SVG, PDF)",
		Long: `Draw a publication-quality chart and write it to FILE: PNG, SVG or PDF by
the file's extension (PNG when it has none). The file is written atomically.
Nothing is printed on stdout; "wrote FILE" (and, on a terminal, a progress
bar while measuring) goes to stderr.

Kinds:
  tradeoff  ImageNet top-1 against mult-adds (log axis) for the 16 α x resolution
            MobileNets (the paper's Figure 4), with GoogLeNet, VGG16, SqueezeNet
            and AlexNet (Tables 8-9). --alpha/--res highlight a configuration.
  params    the same against parameters (the paper's Figure 5).
  bytype    the paper's Table 2 for any SPEC: share of mult-adds and parameters
            per layer type; --measure adds the share of measured time.
  layers    mult-adds, parameters and activation memory of every layer of SPEC,
            coloured by type; --measure adds each layer's measured time.
  pareto    latency measured on this machine against accuracy over the α x
            resolution grid (--alphas, --resolutions), with the Pareto frontier.
  grid      a heat map of SPEC's mult-adds (latency with --measure) over
            --alphas x --resolutions.

Accuracy (tradeoff, params, pareto) comes from TF-slim's 16 published
checkpoints, or with --accuracy paper from the paper's own tables where it
prints one. A configuration with no published accuracy is drawn as
"estimated", with its own marker and legend entry; the caption states the fit
(log-linear in mult-adds and parameters) and its leave-one-out error.

Mult-adds are multiply-accumulates; parameters are weights only.`,
		Example: `  mnet plot tradeoff -o tradeoff.png
  mnet plot tradeoff --alpha 0.6 --res 200 --accuracy paper -o tradeoff.svg
  mnet plot bytype mobilenet_v1 --alpha 0.5 --measure -o bytype.png
  mnet plot layers vgg16 -o vgg16-layers.pdf
  mnet plot pareto --threads 1 --alphas 0.25:1:0.25 --resolutions 128:224:32 -o pareto.png
  mnet plot grid --alphas 0.25:1.4:0.05 --resolutions 96:320:32 -o grid.png`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Kind = args[0]
			if len(args) == 2 {
				opts.Spec = args[1]
			}
			fl := cmd.Flags()
			if err := opts.validate(fl.Changed, alphas, res); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return Run(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	opts.Flags.Add(fl)
	fl.StringVarP(&opts.Output, "output", "o", "", "output `FILE` (.png, .svg or .pdf)")
	fl.StringVar(&opts.Accuracy, "accuracy", plot.AccuracySlim, "accuracy source: slim (TF-slim checkpoints) or paper (the paper's tables)")
	fl.BoolVar(&opts.Measure, "measure", false, "add measured time (bytype, layers, grid, generations); pareto always measures")
	fl.IntVar(&opts.Threads, "threads", 0, "threads for measurements (default: all cores)")
	fl.IntVar(&opts.Runs, "runs", 0, "timed runs per configuration (default 20)")
	fl.StringVar(&alphas, "alphas", "", "grid/pareto width multipliers: START:STOP:STEP or a,b,c (default 1,0.75,0.5,0.25)")
	fl.StringVar(&res, "resolutions", "", "grid/pareto resolutions: START:STOP:STEP or a,b,c (default 224,192,160,128)")
	fl.IntVar(&opts.Width, "width", 0, fmt.Sprintf("image width in pixels (default %d at the default DPI: 8 inches)", plot.DefaultWidth))
	fl.IntVar(&opts.Height, "height", 0, fmt.Sprintf("image height in pixels (default %d at the default DPI; layers is taller)", plot.DefaultHeight))
	fl.IntVar(&opts.DPI, "dpi", 0, fmt.Sprintf("dots per inch: text is sized in points (default %d)", plot.DefaultDPI))
	return cmd
}

// validate checks the flags against the kind; changed reports which flags
// the user set.
func (o *Options) validate(changed func(string) bool, alphas, res string) error {
	if !contains(plot.Kinds(), o.Kind) {
		return cmdutil.FlagErrorf("unknown chart kind %q (want %s)", o.Kind, strings.Join(plot.Kinds(), ", "))
	}
	if o.Output == "" {
		return cmdutil.FlagErrorf("no output file: give -o FILE (.png, .svg or .pdf)")
	}
	if _, err := plot.FormatOf(o.Output); err != nil {
		return &cmdutil.FlagError{Err: fmt.Errorf("-o: %w", err)}
	}
	measuring := o.Kind == plot.KindPareto || o.Measure
	if o.Measure && !contains(specKinds(), o.Kind) && o.Kind != plot.KindPareto && o.Kind != plot.KindGenerations {
		return cmdutil.FlagErrorf("--measure applies to bytype, layers, grid and generations (pareto always measures)")
	}
	for _, name := range []string{"threads", "runs"} {
		if changed(name) && !measuring {
			return cmdutil.FlagErrorf("--%s applies only when measuring: pareto, or --measure", name)
		}
	}
	if err := cmdutil.CheckThreads(o.Threads); err != nil {
		return err
	}
	if o.Runs < 0 || o.Runs > maxRuns {
		return cmdutil.FlagErrorf("--runs %d out of range [0, %d]", o.Runs, maxRuns)
	}
	if changed("accuracy") && !contains(accuracyKinds(), o.Kind) {
		return cmdutil.FlagErrorf("--accuracy applies to %s", strings.Join(accuracyKinds(), ", "))
	}
	switch o.Accuracy {
	case plot.AccuracySlim, plot.AccuracyPaper:
	default:
		return cmdutil.FlagErrorf("--accuracy %q: want slim or paper", o.Accuracy)
	}
	if (changed("alpha") || changed("res")) && contains(rangeKinds(), o.Kind) {
		return cmdutil.FlagErrorf("%s takes ranges: use --alphas and --resolutions", o.Kind)
	}
	if (alphas != "" || res != "") && !contains(rangeKinds(), o.Kind) {
		return cmdutil.FlagErrorf("--alphas and --resolutions apply to %s; use --alpha and --res", strings.Join(rangeKinds(), " and "))
	}
	var err error
	if alphas != "" {
		if o.Alphas, err = cmdutil.ParseAlphas("alphas", alphas); err != nil {
			return err
		}
	}
	if res != "" {
		if o.Resolutions, err = cmdutil.ParseResolutions("resolutions", res); err != nil {
			return err
		}
	}
	if _, err := o.Flags.Options(); err != nil {
		return err
	}
	if !contains(specKinds(), o.Kind) {
		for _, name := range []string{"classes", "rounding", "padding"} {
			if changed(name) {
				return cmdutil.FlagErrorf("--%s applies to %s", name, strings.Join(specKinds(), ", "))
			}
		}
	}
	req := o.request(nil)
	if err := req.Check(); err != nil {
		return &cmdutil.FlagError{Err: err}
	}
	if o.Spec != "" && !contains(specKinds(), o.Kind) {
		return o.checkMobileNet()
	}
	return nil
}

// checkMobileNet refuses a SPEC that is not MobileNet v1 for the charts of
// its published accuracy; the network is recognised by its architecture,
// whatever its name.
func (o *Options) checkMobileNet() error {
	n, err := o.Load(o.Spec)
	if err != nil {
		return err
	}
	r, err := analyze.Spec(n, spec.Options{})
	if err != nil {
		return err
	}
	ids, err := paper.NewIdentifier()
	if err != nil {
		return err
	}
	if id := ids.Identify(r); id.Family != paper.MobileNetV1 {
		return cmdutil.FlagErrorf("%s charts MobileNet v1 only (its accuracy is published), and %s is not MobileNet v1; SPEC is for %s",
			o.Kind, o.Spec, strings.Join(specKinds(), ", "))
	}
	return nil
}

// request builds the plot request; n is the loaded network (nil before
// loading or for MobileNet-only kinds).
func (o *Options) request(n *spec.Network) plot.Request {
	so, _ := o.Flags.Options()
	req := plot.Request{
		Kind: o.Kind, Network: n, Options: so, Accuracy: o.Accuracy, Measure: o.Measure || o.Kind == plot.KindPareto,
		Alphas: o.Alphas, Resolutions: o.Resolutions, Width: o.Width, Height: o.Height, DPI: o.DPI,
	}
	if (o.Kind == plot.KindTradeoff || o.Kind == plot.KindParams) && (o.Flags.Alpha != 0 || o.Flags.Resolution != 0) {
		c := plot.Config{Alpha: o.Flags.Alpha, Resolution: o.Flags.Resolution}
		if c.Alpha == 0 {
			c.Alpha = 1
		}
		if c.Resolution == 0 {
			c.Resolution = 224
		}
		req.Highlight = []plot.Config{c}
	}
	return req
}

// Measurement defaults and limits: runs per configuration, untimed runs
// first, interleaved rounds over several configurations.
const (
	defaultRuns    = 20
	defaultWarmups = 2
	defaultRounds  = 5
	maxRuns        = 10_000
)

// Run draws the chart and writes the file; a measured chart is measured
// first with package exec (random weights: latency does not depend on
// them), with a progress bar on a terminal.
func Run(ctx context.Context, o *Options) error {
	if ctx == nil {
		ctx = context.Background()
	}
	var n *spec.Network
	if contains(specKinds(), o.Kind) {
		var err error
		if n, err = o.Load(o.Spec); err != nil {
			return err
		}
	}
	req := o.request(n)
	if err := plot.CheckPath(o.Output); err != nil {
		return err
	}
	reps, err := req.Reports()
	if err != nil {
		return err
	}
	if reps != nil {
		if req.Measured, err = o.measure(ctx, reps); err != nil {
			return err
		}
	}
	if err := plot.Save(req, o.Output); err != nil {
		return err
	}
	_, err = fmt.Fprintf(o.IO.ErrOut, "wrote %s\n", o.Output)
	return err
}

// measure times the configurations a chart draws, in interleaved rounds;
// bytype and layers with a per-layer profile.
func (o *Options) measure(ctx context.Context, reps []*analyze.Report) (*plot.Measured, error) {
	runs := o.Runs
	if runs == 0 {
		runs = defaultRuns
	}
	bar := cmdutil.NewProgress(o.IO, "measuring")
	profile := o.Kind == plot.KindByType || o.Kind == plot.KindLayers
	res, rounds, err := exec.MeasureInterleaved(ctx, reps, exec.Options{Threads: o.Threads},
		exec.MeasureOptions{Warmup: defaultWarmups, Runs: runs, Profile: profile, Progress: bar.Update}, defaultRounds)
	bar.Done()
	if err != nil {
		return nil, err
	}
	return &plot.Measured{Results: res, Machine: plot.Machine{CPU: cpuinfo.Model(), GOARCH: runtime.GOARCH,
		Kernels: res[0].Kernels, Threads: res[0].Threads, Runs: runs, Rounds: rounds}}, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
