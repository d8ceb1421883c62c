// Package papercmd implements `mnet paper`: the MobileNets paper's Tables 2
// to 9 and TF-slim's checkpoint table, each published value beside mnet's
// exact one, with every discrepancy explained.
package papercmd

import (
	"github.com/spf13/cobra"
	"strings"

	"mnet.dev/mnet/analyze/paper"
	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/cmd/internal/iostreams"
	"mnet.dev/mnet/internal/render"
)

// Options are the paper command's inputs.
type Options struct {
	IO     *iostreams.IOStreams
	Format render.Format
	Tables []string // table ids to print ("2".."9", "slim", "v2-4", "v3-3", "slim-v2"); all when empty
}

// NewCmdPaper builds the command; runF replaces the run function in tests.
func NewCmdPaper(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "paper",
		Short: "Reproduce the MobileNets papers' tables (v1 2-9, V2 4, V3 3) and explain every discrepancy",
		Long: `Print the MobileNets paper's Tables 2 to 9 and TF-slim's table of the 16
MobileNet v1 checkpoints, MobileNetV2's Table 4 (v2-4), MobileNetV3's Table 3
(v3-3) and TF-slim's table of the 22 MobileNetV2 checkpoints (slim-v2): each
published value beside mnet's exact count and
the difference. A cell our exact count does not round to is marked and
explained: the counting rule that reproduces it (recomputed), or why none does.`,
		Example: `  mnet paper
  mnet paper --table 2 --table 7
  mnet paper --format markdown`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, t := range opts.Tables {
				if !validTable(t) {
					return cmdutil.FlagErrorf("--table %q: want 2 to 9, slim, v2-4, v3-3 or slim-v2", t)
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return Run(opts)
		},
	}
	cmdutil.AddFormatFlag(cmd, &opts.Format)
	cmd.Flags().StringSliceVarP(&opts.Tables, "table", "t", nil, "only these tables (2-9, slim, v2-4, v3-3, slim-v2); repeatable")
	return cmd
}

func validTable(t string) bool {
	switch t {
	case "2", "3", "4", "5", "6", "7", "8", "9", "slim", "v2-4", "v3-3", "slim-v2":
		return true
	}
	return false
}

func (o *Options) want(id string) bool {
	if len(o.Tables) == 0 {
		return true
	}
	for _, t := range o.Tables {
		if strings.EqualFold(t, id) {
			return true
		}
	}
	return false
}

// Run reproduces the tables and writes them.
func Run(o *Options) error {
	rep, err := paper.Reproduce()
	if err != nil {
		return err
	}
	return cmdutil.Print(o.IO, o.Format, cmdutil.Data{JSON: jsonOf(o, rep), CSV: csvTable(o, rep), Doc: doc(o, rep)})
}

// doc is the text report: the sources and how to read the tables, then
// each table with its notes.
func doc(o *Options, rep *paper.Reproduction) cmdutil.Doc {
	d := cmdutil.Doc{cmdutil.Text(render.Wrap("Source: "+rep.Citation, render.NoteWidth, "  ") + "\n" +
		render.Wrap("mnet's values are exact counts ("+conventionLine+"). A value marked ✓ rounds to the "+
			"printed one at the paper's precision; a numbered mark refers to the note under the table.", render.NoteWidth, ""))}
	for _, t := range rep.Tables {
		if o.want(t.ID) {
			d = append(d, cmdutil.Table{Table: PaperTable(t)})
		}
	}
	slim := o.want("slim") || o.want("slim-v2")
	if o.want("slim") {
		d = append(d, cmdutil.Table{Table: CheckpointTable(rep)})
	}
	if o.want("slim-v2") {
		d = append(d, cmdutil.Table{Table: CheckpointV2Table(rep)})
	}
	if slim {
		return d
	}
	return append(d, cmdutil.Blank{})
}

const conventionLine = "a mult-add is one multiply-accumulate; parameters are conv and FC weights only, as in the paper"
