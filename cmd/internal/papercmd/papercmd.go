// Package papercmd implements `mnet paper`: the MobileNets paper's Tables 2
// to 9 and TF-slim's checkpoint table, each published value beside mnet's
// exact one, with every discrepancy explained.
package papercmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"mnet.dev/mnet/analyze/paper"
	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/cmd/internal/iostreams"
	"mnet.dev/mnet/internal/render"
)

// Options are the paper command's inputs.
type Options struct {
	IO     *iostreams.IOStreams
	Format render.Format
	Tables []string // table ids to print ("2".."9", "slim"); all when empty
}

// NewCmdPaper builds the command; runF replaces the run function in tests.
func NewCmdPaper(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams}
	var format string
	cmd := &cobra.Command{
		Use:   "paper",
		Short: "Reproduce the MobileNets paper's Tables 2-9 and explain every discrepancy",
		Long: `Print the MobileNets paper's Tables 2 to 9 and TF-slim's table of the 16
MobileNet v1 checkpoints: each published value beside mnet's exact count and
the difference. A cell our exact count does not round to is marked and
explained: the counting rule that reproduces it (recomputed), or why none does.`,
		Example: `  mnet paper
  mnet paper --table 2 --table 7
  mnet paper --format markdown`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.Format, err = render.ParseFormat(format, render.FormatTable, render.FormatMarkdown, render.FormatJSON); err != nil {
				return &cmdutil.FlagError{Err: fmt.Errorf("--format: %w", err)}
			}
			for _, t := range opts.Tables {
				if !validTable(t) {
					return cmdutil.FlagErrorf("--table %q: want 2 to 9, or slim", t)
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return Run(opts)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "table", "output format: table, markdown or json")
	cmd.Flags().StringSliceVarP(&opts.Tables, "table", "t", nil, "only these tables (2-9, slim); repeatable")
	return cmd
}

func validTable(t string) bool {
	switch t {
	case "2", "3", "4", "5", "6", "7", "8", "9", "slim":
		return true
	}
	return false
}

func (o *Options) want(id string) bool {
	if len(o.Tables) == 0 {
		return true
	}
	for _, t := range o.Tables {
		if t == id {
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
	if o.Format == render.FormatJSON {
		return writeJSON(o, rep)
	}
	styled := o.IO.OutTTY && o.Format == render.FormatTable
	w := o.IO.Out
	var b strings.Builder
	b.WriteString(render.Wrap("Source: "+rep.Citation, render.NoteWidth, "  ") + "\n")
	b.WriteString(render.Wrap("mnet's values are exact counts ("+conventionLine+"). A value marked ✓ rounds to the "+
		"printed one at the paper's precision; a numbered mark refers to the note under the table.", render.NoteWidth, "") + "\n\n")
	if _, err := fmt.Fprint(w, b.String()); err != nil {
		return err
	}
	for _, t := range rep.Tables {
		if !o.want(t.ID) {
			continue
		}
		if err := render.Write(w, PaperTable(t), o.Format, styled); err != nil {
			return err
		}
		if _, err := fmt.Fprintln(w); err != nil {
			return err
		}
	}
	if o.want("slim") {
		if err := render.Write(w, CheckpointTable(rep), o.Format, styled); err != nil {
			return err
		}
	}
	return nil
}

const conventionLine = "a mult-add is one multiply-accumulate; parameters are conv and FC weights only, as in the paper"
