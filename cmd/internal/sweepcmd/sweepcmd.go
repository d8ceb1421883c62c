// Package sweepcmd implements `mnet sweep`: a network's costs over a grid
// of width multipliers and resolutions, with the published accuracy where a
// checkpoint exists.
package sweepcmd

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/spf13/cobra"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/analyze/paper"
	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/cmd/internal/iostreams"
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
	// FamilyGrid sweeps the network's family's published grid instead
	// (neither --alpha nor --res given: MobileNetV2's 6 x 5, V3's 5 x 6).
	FamilyGrid bool
	Flags      cmdutil.SpecFlags // --classes, --rounding, --padding
	Format     render.Format
}

// NewCmdSweep builds the command; runF replaces the run function in tests.
func NewCmdSweep(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Load: f.LoadNetwork}
	var alphas, res string
	cmd := &cobra.Command{
		Use:   "sweep [SPEC|NAME]",
		Short: "Mult-adds, parameters and published accuracy over an α x resolution grid",
		Long: `Analyze a network at every width multiplier and resolution of a grid. Ranges
are START:STOP:STEP (inclusive; STEP may be negative) or comma-separated
lists (without either, a MobileNet's own published grid: v1's 4 x 4, V2's
6 x 5, V3's 5 x 6). For MobileNet v1 and V2 the published ImageNet
top-1/top-5 accuracy of TF-slim's checkpoints is shown where one exists, for
V3 its paper's top-1, and for the baselines of
the paper's Tables 8 and 9 the paper's top-1 at the configuration it
gives; "-" elsewhere. Networks are recognised by their architecture, so a
renamed copy of a spec or an imported TF-slim .tflite gets its accuracy too.`,
		Example: `  mnet sweep mobilenet_v1 --alpha 0.25:1:0.25 --res 128:224:32
  mnet sweep --alpha 0.35,0.5,1.4 --res 96,224 --format csv`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Spec = args[0]
			}
			var err error
			if opts.Alphas, err = cmdutil.ParseAlphas("alpha", alphas); err != nil {
				return err
			}
			if opts.Resolutions, err = cmdutil.ParseResolutions("res", res); err != nil {
				return err
			}
			opts.FamilyGrid = !cmd.Flags().Changed("alpha") && !cmd.Flags().Changed("res")
			if n := len(opts.Alphas) * len(opts.Resolutions); n > 1_000_000 {
				return cmdutil.FlagErrorf("the grid has %d configurations; the limit is 1,000,000", n)
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
	opts.Flags.AddNetwork(cmd.Flags())
	cmdutil.AddFormatFlag(cmd, &opts.Format)
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

// Sweep analyzes n at every α and resolution, with the accuracy the
// book's policy gives each configuration (none estimated: "-" where nothing is
// published). The network is identified by its architecture at each point;
// one that is no known family at the first point is not looked up again.
func Sweep(n *spec.Network, base spec.Options, alphas []float64, res []int, book *paper.Book) ([]Point, []paper.Source, error) {
	out := make([]Point, 0, len(alphas)*len(res))
	var sources []paper.Source
	lookup := book != nil
	for _, a := range alphas {
		for _, r := range res {
			o := base
			o.Alpha, o.Resolution = a, r
			rep, err := analyze.Spec(n, o)
			if err != nil {
				return nil, nil, fmt.Errorf("α %g, resolution %d: %w", a, r, err)
			}
			p := Point{Alpha: a, Resolution: r, MultAdds: rep.Totals.MultAdds, Params: rep.Totals.Params}
			if lookup {
				id, acc := book.Accuracy(rep, paper.Policy{})
				lookup = id.Known()
				if acc.Known() {
					t1 := acc.Top1
					p.Top1 = &t1
					if acc.Source == paper.FromCheckpoint {
						t5 := acc.Top5
						p.Top5 = &t5
					}
					if !slices.Contains(sources, acc.Source) {
						sources = append(sources, acc.Source)
					}
				}
			}
			out = append(out, p)
		}
	}
	return out, sources, nil
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
	book, err := paper.NewBook()
	if err != nil {
		return err
	}
	alphas, res := o.Alphas, o.Resolutions
	var family paper.Family
	if r, err := analyze.Spec(n, base); err == nil {
		family = book.Identifier.Identify(r).Family
	}
	if g, ok, err := paper.GridOf(family); err != nil {
		return err
	} else if ok && o.FamilyGrid {
		alphas, res = g.Alphas, slices.Clone(g.Resolutions)
		slices.Reverse(res)
	}
	pts, sources, err := Sweep(n, base, alphas, res, book)
	if err != nil {
		return err
	}
	return cmdutil.Print(o.IO, o.Format, cmdutil.Data{JSON: pts, CSV: csvTable(n, pts), Doc: cmdutil.Doc{cmdutil.Table{Table: table(n, pts, sources, book, family)}}})
}

func rho(n *spec.Network, p Point) string {
	return strconv.FormatFloat(float64(p.Resolution)/float64(n.Input.Height), 'f', 3, 64)
}

func table(n *spec.Network, pts []Point, sources []paper.Source, book *paper.Book, family paper.Family) *render.Table {
	t := &render.Table{
		Title:  fmt.Sprintf("%s: α x resolution sweep", n.Name),
		Header: []string{"α", "Resolution", "ρ", "Mult-Adds", "M", "Params", "M", "Top-1", "Top-5"},
		Align:  []render.Align{render.Right, render.Right, render.Right, render.Right, render.Right, render.Right, render.Right, render.Right, render.Right},
		Notes: []string{"Mult-adds: multiply-accumulates of convolutions and FC layers; params: their weights only (the paper's conventions).",
			"Top-1/Top-5: published ImageNet accuracy of a trained checkpoint; \"-\" where none was published."},
	}
	v3 := family == paper.MobileNetV3Large || family == paper.MobileNetV3Small
	for _, s := range sources {
		switch {
		case s == paper.FromCheckpoint && family == paper.MobileNetV2:
			t.Notes = append(t.Notes, "Accuracy source: "+book.CheckpointsV2Citation)
		case s == paper.FromCheckpoint:
			t.Notes = append(t.Notes, "Accuracy source: "+book.CheckpointsCitation)
		case s == paper.FromPaper && v3:
			t.Notes = append(t.Notes, "Accuracy source: "+successorCitation(book, family))
		case s == paper.FromPaper:
			t.Notes = append(t.Notes, "Accuracy source: "+book.Citation)
		}
	}
	pct := func(v *float64) string {
		if v == nil {
			return "-"
		}
		return strconv.FormatFloat(*v, 'f', 1, 64) + "%"
	}
	for _, p := range pts {
		t.Rows = append(t.Rows, []string{render.Alpha(p.Alpha), strconv.Itoa(p.Resolution), rho(n, p),
			render.Int(p.MultAdds), render.Millions(p.MultAdds, 1), render.Int(p.Params), render.Millions(p.Params, 2), pct(p.Top1), pct(p.Top5)})
	}
	return t
}

// csvTable has machine-readable values: exact integers, accuracies
// without "%".
func csvTable(n *spec.Network, pts []Point) *render.Table {
	t := &render.Table{Header: []string{"alpha", "resolution", "rho", "mult_adds", "mult_adds_millions", "params", "params_millions", "top1", "top5"}}
	num := func(v *float64) string {
		if v == nil {
			return "-"
		}
		return strconv.FormatFloat(*v, 'f', 1, 64)
	}
	for _, p := range pts {
		t.Rows = append(t.Rows, []string{render.Alpha(p.Alpha), strconv.Itoa(p.Resolution), rho(n, p),
			strconv.FormatInt(p.MultAdds, 10), render.Millions(p.MultAdds, 1), strconv.FormatInt(p.Params, 10), render.Millions(p.Params, 2), num(p.Top1), num(p.Top5)})
	}
	return t
}

// successorCitation names the table a successor family's figures come
// from.
func successorCitation(book *paper.Book, f paper.Family) string {
	for _, a := range book.Successors {
		if paper.FamilyOf(a.Model) == f {
			return paper.TableName(a.Table) + " (Howard et al. 2019, arXiv:1905.02244)"
		}
	}
	return string(f)
}
