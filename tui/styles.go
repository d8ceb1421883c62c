package tui

import (
	"charm.land/bubbles/v2/table"
	"charm.land/lipgloss/v2"
)

// styles are every style of the explorer, in one place. Colours are
// ANSI-256 indices that read on dark and light backgrounds; Bubble Tea
// downsamples them to what the terminal supports and drops them under
// NO_COLOR, so nothing is conveyed by colour alone: the current point, the
// configurations that fit and the selected view also differ in glyph or text.
type styles struct {
	Title    lipgloss.Style // the top bar
	TitleDim lipgloss.Style
	Label    lipgloss.Style // a quantity's name
	Value    lipgloss.Style // a number
	Dim      lipgloss.Style // units, notes, conventions
	Heading  lipgloss.Style // a panel's title
	Accent   lipgloss.Style // the current configuration
	Est      lipgloss.Style // an estimated accuracy ("est.")
	Good     lipgloss.Style // fits the budget
	Bad      lipgloss.Style // does not fit
	Error    lipgloss.Style // a rejected input
	Info     lipgloss.Style // a status message
	Key      lipgloss.Style // a key in the footer and help
	KeyDesc  lipgloss.Style
	Tab      lipgloss.Style // an inactive view tab
	TabOn    lipgloss.Style // the active view tab
	Rule     lipgloss.Style
	BarMA    lipgloss.Style // mult-adds bars
	BarP     lipgloss.Style // parameter bars
	Progress lipgloss.Style
	Point    lipgloss.Style // a published point of the chart
	Measured lipgloss.Style // a measured point of the chart
	Axis     lipgloss.Style
	Prompt   lipgloss.Style
	Selected lipgloss.Style // the picker's selected line
	Table    table.Styles
}

func newStyles() styles {
	c := lipgloss.Color
	s := styles{
		Title:    lipgloss.NewStyle().Bold(true).Foreground(c("231")).Background(c("62")),
		TitleDim: lipgloss.NewStyle().Foreground(c("189")).Background(c("62")),
		Label:    lipgloss.NewStyle().Bold(true),
		Value:    lipgloss.NewStyle(),
		Dim:      lipgloss.NewStyle().Foreground(c("245")),
		Heading:  lipgloss.NewStyle().Bold(true).Foreground(c("69")),
		Accent:   lipgloss.NewStyle().Bold(true).Foreground(c("205")),
		Est:      lipgloss.NewStyle().Foreground(c("172")),
		Good:     lipgloss.NewStyle().Foreground(c("35")),
		Bad:      lipgloss.NewStyle().Foreground(c("167")),
		Error:    lipgloss.NewStyle().Bold(true).Foreground(c("196")),
		Info:     lipgloss.NewStyle().Foreground(c("35")),
		Key:      lipgloss.NewStyle().Bold(true).Foreground(c("69")),
		KeyDesc:  lipgloss.NewStyle().Foreground(c("245")),
		Tab:      lipgloss.NewStyle().Foreground(c("245")),
		TabOn:    lipgloss.NewStyle().Bold(true).Underline(true).Foreground(c("205")),
		Rule:     lipgloss.NewStyle().Foreground(c("240")),
		BarMA:    lipgloss.NewStyle().Foreground(c("33")),
		BarP:     lipgloss.NewStyle().Foreground(c("170")),
		Progress: lipgloss.NewStyle().Foreground(c("205")),
		Point:    lipgloss.NewStyle().Foreground(c("33")),
		Measured: lipgloss.NewStyle().Bold(true).Foreground(c("35")),
		Axis:     lipgloss.NewStyle().Foreground(c("245")),
		Prompt:   lipgloss.NewStyle().Bold(true).Foreground(c("205")),
		Selected: lipgloss.NewStyle().Bold(true).Reverse(true),
	}
	s.Table = table.Styles{
		Header:   lipgloss.NewStyle().Bold(true).Foreground(c("69")).PaddingLeft(1),
		Cell:     lipgloss.NewStyle().PaddingLeft(1),
		Selected: lipgloss.NewStyle().Bold(true).Reverse(true),
	}
	return s
}
