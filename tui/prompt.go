package tui

import (
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// promptKind is what a prompt asks for.
type promptKind int

const (
	promptNone promptKind = iota
	promptAlpha
	promptRes
	promptBudget
	promptYAML
)

// prompt is a one-line typed input (a bubbles textinput) at the bottom of
// the screen; a rejected value keeps it open with the reason.
type prompt struct {
	kind       promptKind
	input      textinput.Model
	err        string
	budgetKind budgetKind // what a budget prompt limits (tab cycles)
}

func (p prompt) active() bool { return p.kind != promptNone }

// openPrompt starts a prompt with an initial value (cursor at its end) or,
// when value is empty, the placeholder shown greyed.
func openPrompt(kind promptKind, value, placeholder string, st styles) (prompt, tea.Cmd) {
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = 256
	s := in.Styles()
	s.Focused.Text = st.Value
	s.Blurred.Text = st.Value
	s.Cursor.Blink = false // a steady cursor: no timer, no redraws while idle
	in.SetStyles(s)
	in.Placeholder = placeholder
	in.SetValue(value)
	in.CursorEnd()
	cmd := in.Focus()
	return prompt{kind: kind, input: in}, cmd
}

func (p prompt) label() string {
	switch p.kind {
	case promptAlpha:
		return "α"
	case promptRes:
		return "resolution"
	case promptBudget:
		return "budget: " + p.budgetKind.String() + " ≤"
	case promptYAML:
		return "write spec YAML to"
	}
	return ""
}

// hint is the line under the prompt when there is no error.
func (p prompt) hint() string {
	switch p.kind {
	case promptAlpha:
		return "enter sets · esc cancels · any α in (0, 4], e.g. 0.6 or 1.4"
	case promptRes:
		return "enter sets · esc cancels · pixels, e.g. 200 (the width scales with it)"
	case promptBudget:
		return "tab: limit another quantity · enter sets (empty clears) · esc cancels · " + p.budgetKind.unitHint()
	case promptYAML:
		return "enter writes (atomically; an existing file is replaced) · esc cancels"
	}
	return ""
}

func (p prompt) update(msg tea.Msg) (prompt, tea.Cmd) {
	var cmd tea.Cmd
	before := p.input.Value()
	p.input, cmd = p.input.Update(msg)
	if p.input.Value() != before {
		p.err = ""
	}
	return p, cmd
}

// view renders the prompt's two lines: the input, then the error or hint.
func (p prompt) view(st styles, w int) (string, string) {
	label := " " + st.Prompt.Render(p.label()+": ")
	p.input.SetWidth(max(w-len(p.label())-4, 8))
	second := st.Dim.Render(" " + p.hint())
	if p.err != "" {
		second = st.Error.Render(" ✗ " + p.err)
	}
	return label + p.input.View(), second
}
