// Package analyzecmd implements `mnet analyze` (and `mnet-analyze`): the
// exact cost analysis of one network configuration.
package analyzecmd

import (
	"github.com/spf13/cobra"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/cmd/internal/iostreams"
	"mnet.dev/mnet/internal/render"
	"mnet.dev/mnet/spec"
)

// Options are the analyze command's inputs.
type Options struct {
	IO      *iostreams.IOStreams
	Load    func(string) (*spec.Network, error)
	Spec    string
	Flags   cmdutil.SpecFlags
	Options spec.Options
	Format  render.Format
	Layers  bool
}

// NewCmdAnalyze builds the command; runF replaces the run function in tests.
func NewCmdAnalyze(f *cmdutil.Factory, use string, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Load: f.LoadNetwork}
	cmd := &cobra.Command{
		Use:   use + " [SPEC|NAME]",
		Short: "Exact mult-adds, parameters and memory of a network, per layer and per layer type",
		Long: `Analyze a network spec (a YAML file, or the name of an embedded example) at a
width multiplier α and resolution: mult-adds, parameters and memory per
layer and per layer type (the paper's Table 2), totals, and the peak
activation memory. Without SPEC it analyzes MobileNet v1 1.0-224.

Embedded specs: ` + exampleNames(),
		Example: `  mnet analyze mobilenet_v1 --alpha 0.5 --res 160
  mnet analyze vgg16 --layers
  mnet analyze my_net.yaml --format json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Spec = args[0]
			}
			var err error
			if opts.Options, err = opts.Flags.Options(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return Run(opts)
		},
	}
	opts.Flags.Add(cmd.Flags())
	cmdutil.AddFormatFlag(cmd, &opts.Format)
	cmd.Flags().BoolVarP(&opts.Layers, "layers", "l", false, "add the per-layer table")
	return cmd
}

// Run analyzes the network and writes the report.
func Run(o *Options) error {
	n, err := o.Load(o.Spec)
	if err != nil {
		return err
	}
	r, err := analyze.Spec(n, o.Options)
	if err != nil {
		return err
	}
	return cmdutil.Print(o.IO, o.Format, Data(r, o.Layers))
}

// Data is the report in every format: the JSON contract, the per-type (or
// with layers, the per-layer) table as CSV, and the text report.
func Data(r *analyze.Report, layers bool) cmdutil.Data {
	d := cmdutil.Data{JSON: JSON(r), CSV: TypeTable(r), Doc: Doc(r, layers)}
	if layers {
		d.CSV = LayerTable(r)
	}
	return d
}
