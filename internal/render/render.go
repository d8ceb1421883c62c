// Package render writes mnet's tabular reports as aligned text (styled
// with lipgloss on a terminal, plain when piped), CSV or Markdown, and
// formats the numbers in them.
package render

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"charm.land/lipgloss/v2"
	"charm.land/lipgloss/v2/table"
)

// Format is an output format for tables.
type Format string

// Output formats. JSON is produced by each command from its own types.
const (
	FormatTable    Format = "table"
	FormatCSV      Format = "csv"
	FormatMarkdown Format = "markdown"
	FormatJSON     Format = "json"
)

// ParseFormat checks a --format value against the allowed formats.
func ParseFormat(s string, allowed ...Format) (Format, error) {
	names := make([]string, len(allowed))
	for i, f := range allowed {
		if string(f) == strings.ToLower(s) {
			return f, nil
		}
		names[i] = string(f)
	}
	return "", fmt.Errorf("unknown format %q (want %s)", s, strings.Join(names, ", "))
}

// Align is a column's alignment.
type Align uint8

// Alignments.
const (
	Left Align = iota
	Right
)

// Table is a titled grid of cells.
type Table struct {
	Title  string
	Header []string
	Align  []Align // per column; missing entries are Left
	Rows   [][]string
	Emph   []bool   // rows to emphasise (totals, the current configuration)
	Notes  []string // printed under the table (text and Markdown)
}

func (t *Table) align(c int) Align {
	if c < len(t.Align) {
		return t.Align[c]
	}
	return Left
}

func (t *Table) emph(r int) bool { return r < len(t.Emph) && t.Emph[r] }

// Write renders t in format f; styled selects lipgloss styling (use it
// only when writing to a terminal).
func Write(w io.Writer, t *Table, f Format, styled bool) error {
	switch f {
	case FormatCSV:
		return writeCSV(w, t)
	case FormatMarkdown:
		return writeMarkdown(w, t)
	}
	if styled {
		return writeStyled(w, t)
	}
	return writePlain(w, t)
}

func writeCSV(w io.Writer, t *Table) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	if err := cw.WriteAll(t.Rows); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func widths(t *Table) []int {
	ws := make([]int, len(t.Header))
	for c, h := range t.Header {
		ws[c] = lipgloss.Width(h)
	}
	for _, r := range t.Rows {
		for c, v := range r {
			if c < len(ws) {
				ws[c] = max(ws[c], lipgloss.Width(v))
			}
		}
	}
	return ws
}

func pad(s string, w int, a Align) string {
	gap := strings.Repeat(" ", max(w-lipgloss.Width(s), 0))
	if a == Right {
		return gap + s
	}
	return s + gap
}

func writePlain(w io.Writer, t *Table) error {
	var b strings.Builder
	if t.Title != "" {
		b.WriteString(t.Title + "\n\n")
	}
	ws := widths(t)
	line := func(cells []string) {
		parts := make([]string, len(ws))
		for c := range ws {
			v := ""
			if c < len(cells) {
				v = cells[c]
			}
			parts[c] = pad(v, ws[c], t.align(c))
		}
		b.WriteString(strings.TrimRight(strings.Join(parts, "  "), " ") + "\n")
	}
	line(t.Header)
	rule := make([]string, len(ws))
	for c, n := range ws {
		rule[c] = strings.Repeat("-", n)
	}
	b.WriteString(strings.Join(rule, "  ") + "\n")
	for _, r := range t.Rows {
		line(r)
	}
	for _, n := range t.Notes {
		b.WriteString(Wrap(n, NoteWidth, "    ") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeMarkdown(w io.Writer, t *Table) error {
	var b strings.Builder
	if t.Title != "" {
		b.WriteString("### " + t.Title + "\n\n")
	}
	esc := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	row := func(cells []string) {
		b.WriteString("|")
		for c := range t.Header {
			v := ""
			if c < len(cells) {
				v = cells[c]
			}
			b.WriteString(" " + esc(v) + " |")
		}
		b.WriteString("\n")
	}
	row(t.Header)
	b.WriteString("|")
	for c := range t.Header {
		if t.align(c) == Right {
			b.WriteString(" ---: |")
		} else {
			b.WriteString(" --- |")
		}
	}
	b.WriteString("\n")
	for _, r := range t.Rows {
		row(r)
	}
	if len(t.Notes) > 0 {
		b.WriteString("\n")
		for _, n := range t.Notes {
			b.WriteString(n + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Styles used on terminals; lipgloss downsamples or drops the colours to
// what the output supports (and honours NO_COLOR).
var (
	titleStyle  = lipgloss.NewStyle().Bold(true)
	headerStyle = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("12")).Padding(0, 1)
	cellStyle   = lipgloss.NewStyle().Padding(0, 1)
	emphStyle   = cellStyle.Bold(true)
	borderStyle = lipgloss.NewStyle().Foreground(lipgloss.Color("8"))
	noteStyle   = lipgloss.NewStyle().Faint(true)
)

func writeStyled(w io.Writer, t *Table) error {
	tb := table.New().
		Border(lipgloss.RoundedBorder()).
		BorderStyle(borderStyle).
		Headers(t.Header...).
		Rows(t.Rows...).
		StyleFunc(func(row, col int) lipgloss.Style {
			s := cellStyle
			switch {
			case row == table.HeaderRow:
				s = headerStyle
			case t.emph(row):
				s = emphStyle
			}
			if t.align(col) == Right {
				s = s.Align(lipgloss.Right)
			}
			return s
		})
	var b strings.Builder
	if t.Title != "" {
		b.WriteString(titleStyle.Render(t.Title) + "\n")
	}
	b.WriteString(tb.Render() + "\n")
	for _, n := range t.Notes {
		b.WriteString(noteStyle.Render(Wrap(n, NoteWidth, "    ")) + "\n")
	}
	_, err := lipgloss.Fprint(w, b.String())
	return err
}

// NoteWidth is the column at which notes under tables are wrapped.
const NoteWidth = 100

// Wrap breaks s into lines of at most width columns at spaces; lines after
// the first start with indent.
func Wrap(s string, width int, indent string) string {
	words := strings.Fields(s)
	var b strings.Builder
	col := 0
	for i, w := range words {
		ww := lipgloss.Width(w)
		if i > 0 && col+1+ww > width {
			b.WriteString("\n" + indent)
			col = lipgloss.Width(indent)
		} else if i > 0 {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += ww
	}
	return b.String()
}
