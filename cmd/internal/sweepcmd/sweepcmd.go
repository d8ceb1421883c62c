// Package sweepcmd implements `mnet sweep`: a network's costs over a grid
// of width multipliers and resolutions, with the published accuracy where a
// checkpoint exists.
package sweepcmd

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/analyze/paper"
	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/cmd/internal/iostreams"
	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/internal/render"
	"mnet.dev/mnet/spec"
)

// Options are the sweep command's inputs.
type Options struct {
	IO          *iostreams.IOStreams
	Load        func(string) (*spec.Network, error)
	Spec        string
	Alphas      []float64
	Resolutions []int
	Flags       cmdutil.SpecFlags // --classes, --rounding, --padding
	Format      render.Format
}

// NewCmdSweep builds the command; runF replaces the run function in tests.
func NewCmdSweep(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Load: f.LoadNetwork}
	var alphas, res, format string
	cmd := &cobra.Command{
		Use:   "sweep [SPEC|NAME]",
		Short: "Mult-adds, parameters and published accuracy over an α x resolution grid",
		Long: `Analyze a network at every width multiplier and resolution of a grid. Ranges
are START:STOP:STEP (inclusive; STEP may be negative) or comma-separated
lists. For MobileNet v1 the published ImageNet top-1/top-5 accuracy of
TF-slim's checkpoints is shown where one exists, "-" elsewhere.`,
		Example: `  mnet sweep mobilenet_v1 --alpha 0.25:1:0.25 --res 128:224:32
  mnet sweep --alpha 0.35,0.5,1.4 --res 96,224 --format csv`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Spec = args[0]
			}
			var err error
			if opts.Alphas, err = ParseFloatRange(alphas); err != nil {
				return cmdutil.FlagErrorf("--alpha %q: %v", alphas, err)
			}
			for _, a := range opts.Alphas {
				if a <= 0 || a > 4 {
					return cmdutil.FlagErrorf("--alpha: %g out of range (0, 4]", a)
				}
			}
			if opts.Resolutions, err = ParseIntRange(res); err != nil {
				return cmdutil.FlagErrorf("--res %q: %v", res, err)
			}
			for _, r := range opts.Resolutions {
				if r <= 0 || r > 1<<16 {
					return cmdutil.FlagErrorf("--res: %d out of range [1, 65536]", r)
				}
			}
			if n := len(opts.Alphas) * len(opts.Resolutions); n > 1_000_000 {
				return cmdutil.FlagErrorf("the grid has %d configurations; the limit is 1,000,000", n)
			}
			if opts.Format, err = render.ParseFormat(format, render.FormatTable, render.FormatJSON, render.FormatCSV, render.FormatMarkdown); err != nil {
				return &cmdutil.FlagError{Err: fmt.Errorf("--format: %w", err)}
			}
			if _, err := opts.Flags.Options(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return Run(opts)
		},
	}
	cmd.Flags().StringVarP(&alphas, "alpha", "a", "1:0.25:-0.25", "width multipliers: START:STOP:STEP or a,b,c")
	cmd.Flags().StringVarP(&res, "res", "r", "224:128:-32", "resolutions: START:STOP:STEP or a,b,c")
	cmd.Flags().IntVar(&opts.Flags.Classes, "classes", 0, "number of classes (default: the spec's)")
	cmd.Flags().StringVar(&opts.Flags.Rounding, "rounding", "", "channel rounding under α: tf-slim, keras or multiple-of-8")
	cmd.Flags().StringVar(&opts.Flags.Padding, "padding", "", "SAME padding convention: tf, keras or symmetric")
	cmd.Flags().StringVarP(&format, "format", "f", "table", "output format: table, json, csv or markdown")
	return cmd
}

// Point is one configuration of the grid.
type Point struct {
	Alpha      float64  `json:"alpha"`
	Resolution int      `json:"resolution"`
	MultAdds   int64    `json:"mult_adds"`
	Params     int64    `json:"params"`
	Top1       *float64 `json:"top1,omitempty"`
	Top5       *float64 `json:"top5,omitempty"`
}

// Sweep analyzes n at every α and resolution. Accuracies come from cps
// (nil for none).
func Sweep(n *spec.Network, base spec.Options, alphas []float64, res []int, cps []paper.Checkpoint) ([]Point, error) {
	out := make([]Point, 0, len(alphas)*len(res))
	for _, a := range alphas {
		for _, r := range res {
			o := base
			o.Alpha, o.Resolution = a, r
			rep, err := analyze.Spec(n, o)
			if err != nil {
				return nil, fmt.Errorf("α %g, resolution %d: %w", a, r, err)
			}
			p := Point{Alpha: a, Resolution: r, MultAdds: rep.Totals.MultAdds, Params: rep.Totals.Params}
			if c, ok := paper.Lookup(cps, a, r); ok {
				t1, t5 := c.Top1, c.Top5
				p.Top1, p.Top5 = &t1, &t5
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// Run sweeps the grid and writes it.
func Run(o *Options) error {
	n, err := o.Load(o.Spec)
	if err != nil {
		return err
	}
	base, err := o.Flags.Options()
	if err != nil {
		return err
	}
	var cps []paper.Checkpoint
	var cite string
	if isMobileNet(o.Spec) {
		if cps, cite, err = paper.Checkpoints(); err != nil {
			return err
		}
	}
	pts, err := Sweep(n, base, o.Alphas, o.Resolutions, cps)
	if err != nil {
		return err
	}
	if o.Format == render.FormatJSON {
		b, err := json.MarshalIndent(pts, "", "  ")
		if err != nil {
			return err
		}
		_, err = o.IO.Out.Write(append(b, '\n'))
		return err
	}
	t := &render.Table{
		Title:  fmt.Sprintf("%s: α x resolution sweep", n.Name),
		Header: []string{"α", "Resolution", "ρ", "Mult-Adds", "M", "Params", "M", "Top-1", "Top-5"},
		Align:  []render.Align{render.Right, render.Right, render.Right, render.Right, render.Right, render.Right, render.Right, render.Right, render.Right},
		Notes: []string{"Mult-adds: multiply-accumulates of convolutions and FC layers; params: their weights only (the paper's conventions).",
			"Top-1/Top-5: published ImageNet accuracy of a trained checkpoint; \"-\" where none was published."},
	}
	if cite != "" {
		t.Notes = append(t.Notes, "Accuracy source: "+cite)
	}
	csv := o.Format == render.FormatCSV
	if csv {
		t.Header = []string{"alpha", "resolution", "rho", "mult_adds", "mult_adds_millions", "params", "params_millions", "top1", "top5"}
	}
	for _, p := range pts {
		t1, t5 := "-", "-"
		if p.Top1 != nil {
			t1, t5 = strconv.FormatFloat(*p.Top1, 'f', 1, 64), strconv.FormatFloat(*p.Top5, 'f', 1, 64)
			if !csv {
				t1, t5 = t1+"%", t5+"%"
			}
		}
		rho := strconv.FormatFloat(float64(p.Resolution)/float64(n.Input.Height), 'f', 3, 64)
		ma, pa := render.Int(p.MultAdds), render.Int(p.Params)
		if csv {
			ma, pa = strconv.FormatInt(p.MultAdds, 10), strconv.FormatInt(p.Params, 10)
		}
		t.Rows = append(t.Rows, []string{render.Alpha(p.Alpha), strconv.Itoa(p.Resolution), rho,
			ma, render.Millions(p.MultAdds, 1), pa, render.Millions(p.Params, 2), t1, t5})
	}
	return render.Write(o.IO.Out, t, o.Format, o.IO.OutTTY && o.Format == render.FormatTable)
}

// isMobileNet reports whether the argument names the embedded MobileNet v1,
// the network TF-slim's checkpoint accuracies belong to.
func isMobileNet(arg string) bool {
	return arg == "" || examples.Canonical(arg) == "mobilenet_v1"
}
