package cmdutil

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"mnet.dev/mnet/cmd/internal/iostreams"
	"mnet.dev/mnet/internal/render"
)

// Formats are the output formats of every command that prints data.
func Formats() []render.Format {
	return []render.Format{render.FormatTable, render.FormatJSON, render.FormatCSV, render.FormatMarkdown}
}

// ParseFormat reads a --format value; an unknown one is a usage error.
func ParseFormat(s string) (render.Format, error) {
	f, err := render.ParseFormat(s, Formats()...)
	if err != nil {
		return "", &FlagError{Err: fmt.Errorf("--format: %w", err)}
	}
	return f, nil
}

// AddFormatFlag gives cmd the -f/--format flag (table, json, csv or
// markdown; table by default) and parses it into *f before cmd runs: a bad
// value is a usage error.
func AddFormatFlag(cmd *cobra.Command, f *render.Format) {
	raw := cmd.Flags().StringP("format", "f", string(render.FormatTable), "output format: table, json, csv or markdown")
	*f = render.FormatTable
	next := cmd.PreRunE
	cmd.PreRunE = func(c *cobra.Command, args []string) error {
		v, err := ParseFormat(*raw)
		if err != nil {
			return err
		}
		*f = v
		if next != nil {
			return next(c, args)
		}
		return nil
	}
}

// Data is what a command prints, in every format.
type Data struct {
	// JSON is the value of --format json, a stable contract: it is written
	// indented, with a trailing newline.
	JSON any
	// CSV is the table of --format csv: one header row, then one row per
	// record, with machine-readable values.
	CSV *render.Table
	// Doc is what table (aligned text, styled on a terminal) and markdown
	// print.
	Doc Doc
	// Markdown, if set, replaces Doc for markdown (a report whose text form
	// is not made of tables).
	Markdown Doc
}

// Print writes d to the command's output in format f, all at once: a
// failure leaves no partial report.
func Print(ios *iostreams.IOStreams, f render.Format, d Data) error {
	var b bytes.Buffer
	switch f {
	case render.FormatJSON:
		j, err := json.MarshalIndent(d.JSON, "", "  ")
		if err != nil {
			return err
		}
		b.Write(append(j, '\n'))
	case render.FormatCSV:
		if d.CSV == nil {
			return fmt.Errorf("no CSV form of this report")
		}
		if err := render.Write(&b, d.CSV, render.FormatCSV, false); err != nil {
			return err
		}
	case render.FormatTable, render.FormatMarkdown:
		doc := d.Doc
		if f == render.FormatMarkdown && d.Markdown != nil {
			doc = d.Markdown
		}
		if err := doc.Write(&b, f, ios.OutTTY && f == render.FormatTable); err != nil {
			return err
		}
	default:
		return fmt.Errorf("unknown format %q", f)
	}
	_, err := ios.Out.Write(b.Bytes())
	return err
}

// Doc is a report for people: blocks separated by a blank line.
type Doc []Block

// Block is one part of a Doc.
type Block interface {
	write(w io.Writer, f render.Format, styled bool) error
}

// Write renders the document in format f (table or markdown); styled
// selects lipgloss styling for tables (on a terminal only).
func (d Doc) Write(w io.Writer, f render.Format, styled bool) error {
	for i, b := range d {
		if i > 0 {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
		}
		if err := b.write(w, f, styled); err != nil {
			return err
		}
	}
	return nil
}

// Heading is a report's title lines; Markdown makes each a level-2
// heading.
type Heading []string

func (h Heading) write(w io.Writer, f render.Format, _ bool) error {
	for _, l := range h {
		if f == render.FormatMarkdown {
			l = "## " + l
		}
		if _, err := io.WriteString(w, l+"\n"); err != nil {
			return err
		}
	}
	return nil
}

// Text is written as it is, with a newline.
type Text string

func (t Text) write(w io.Writer, _ render.Format, _ bool) error {
	_, err := io.WriteString(w, string(t)+"\n")
	return err
}

// Lines are written one a line; Markdown makes them a list.
type Lines []string

func (ls Lines) write(w io.Writer, f render.Format, _ bool) error {
	for _, l := range ls {
		if f == render.FormatMarkdown {
			l = "- " + l
		}
		if _, err := io.WriteString(w, l+"\n"); err != nil {
			return err
		}
	}
	return nil
}

// List is a titled list of notes: "- " items, wrapped at render.NoteWidth
// in text, one item a line in Markdown.
type List struct {
	Title string
	Items []string
}

func (l List) write(w io.Writer, f render.Format, _ bool) error {
	var b bytes.Buffer
	if l.Title != "" {
		b.WriteString(l.Title + "\n")
	}
	for _, it := range l.Items {
		if f != render.FormatMarkdown {
			it = render.Wrap(it, render.NoteWidth, "  ")
		}
		b.WriteString("- " + it + "\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

// Table is a table block.
type Table struct{ *render.Table }

func (t Table) write(w io.Writer, f render.Format, styled bool) error {
	return render.Write(w, t.Table, f, styled)
}

// Blank ends a document with a blank line.
type Blank struct{}

func (Blank) write(io.Writer, render.Format, bool) error { return nil }
