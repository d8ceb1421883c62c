package tui

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/table"
)

// keyMap is every key binding of the explorer, in one place. The help
// screen lists them in the groups of fullHelp; the footer shows shortHelp.
type keyMap struct {
	// The configuration.
	AlphaDown, AlphaUp         key.Binding
	AlphaFineDown, AlphaFineUp key.Binding
	ResDown, ResUp             key.Binding
	TypeAlpha, TypeRes         key.Binding
	Reset                      key.Binding
	Picker                     key.Binding

	// Views.
	NextView, PrevView key.Binding
	GoView             key.Binding // 1-4
	ScrollUp           key.Binding // the layer table
	ScrollDown         key.Binding
	PageUp, PageDown   key.Binding
	Top, Bottom        key.Binding

	// Actions.
	Budget     key.Binding
	GoBest     key.Binding
	Measure    key.Binding
	MeasureAll key.Binding
	Cancel     key.Binding
	Export     key.Binding
	WriteYAML  key.Binding
	Help       key.Binding
	Quit       key.Binding

	// Prompts and the picker.
	Accept    key.Binding
	NextKind  key.Binding
	PickUp    key.Binding
	PickDown  key.Binding
	ForceQuit key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		AlphaDown:     key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "α down: 1.0 0.75 0.5 0.25")),
		AlphaUp:       key.NewBinding(key.WithKeys("right"), key.WithHelp("→", "α up: 0.25 0.5 0.75 1.0")),
		AlphaFineDown: key.NewBinding(key.WithKeys("shift+left", ","), key.WithHelp("⇧← ,", "α − 0.05")),
		AlphaFineUp:   key.NewBinding(key.WithKeys("shift+right", "."), key.WithHelp("⇧→ .", "α + 0.05")),
		ResDown:       key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "resolution − 32 (to 96)")),
		ResUp:         key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "resolution + 32 (to 320)")),
		TypeAlpha:     key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "type α exactly")),
		TypeRes:       key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "type resolution exactly")),
		Reset:         key.NewBinding(key.WithKeys("0"), key.WithHelp("0", "the spec's own α and res.")),
		Picker:        key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pick another network")),

		NextView:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next view")),
		PrevView:   key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("⇧tab", "previous view")),
		GoView:     key.NewBinding(key.WithKeys("1", "2", "3", "4"), key.WithHelp("1-4", "go to a view")),
		ScrollUp:   key.NewBinding(key.WithKeys("k"), key.WithHelp("k", "layer table: up")),
		ScrollDown: key.NewBinding(key.WithKeys("j"), key.WithHelp("j", "layer table: down")),
		PageUp:     key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "layer table: page up")),
		PageDown:   key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "layer table: page down")),
		Top:        key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g home", "layer table: first layer")),
		Bottom:     key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G end", "layer table: last layer")),

		Budget:     key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "set a device budget")),
		GoBest:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "go to the best that fits")),
		Measure:    key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "measure latency, background")),
		MeasureAll: key.NewBinding(key.WithKeys("M"), key.WithHelp("M", "measure the whole grid")),
		Cancel:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel measurement; close")),
		Export:     key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export the charts as PNG")),
		WriteYAML:  key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "write config as spec YAML")),
		Help:       key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "this help")),
		Quit:       key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q ctrl+c", "quit")),

		Accept:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "accept")),
		NextKind:  key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "budget on: next quantity")),
		PickUp:    key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑ k", "previous network")),
		PickDown:  key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓ j", "next network")),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
	}
}

// helpRow is one line of the help screen: keys and what they do.
type helpRow struct{ Key, Desc string }

// helpGroup is one titled group of the help screen.
type helpGroup struct {
	Title string
	Rows  []helpRow
}

// row is a help line for one binding.
func row(b key.Binding) helpRow { return helpRow{b.Help().Key, b.Help().Desc} }

// pair is one help line for two bindings that go together.
func pair(a, b key.Binding, desc string) helpRow {
	return helpRow{a.Help().Key + " " + b.Help().Key, desc}
}

// fullHelp lists every key, grouped, for the help screen.
func (k keyMap) fullHelp() []helpGroup {
	return []helpGroup{
		{"Configuration", []helpRow{
			pair(k.AlphaDown, k.AlphaUp, "α: 0.25, 0.5, 0.75, 1.0"),
			{"⇧←→ , .", "α ∓ 0.05"},
			pair(k.ResDown, k.ResUp, "resolution ∓ 32 (96 to 320)"),
			row(k.TypeAlpha), row(k.TypeRes), row(k.Reset), row(k.Picker)}},
		{"Views", []helpRow{
			pair(k.NextView, k.PrevView, "next, previous view"), row(k.GoView),
			pair(k.ScrollDown, k.ScrollUp, "layer table: scroll"),
			pair(k.PageDown, k.PageUp, "layer table: pages"),
			{"g G", "layer table: first, last"}}},
		{"Actions", []helpRow{row(k.Budget), row(k.GoBest), row(k.Measure), row(k.MeasureAll),
			row(k.Cancel), row(k.Export), row(k.WriteYAML), row(k.Help), row(k.Quit)}},
		{"In a prompt", []helpRow{row(k.Accept), {"esc", "cancel"}, row(k.NextKind), row(k.ForceQuit)}},
	}
}

// footerItem is one "key action" pair of the footer.
type footerItem struct{ Key, Desc string }

// shortHelp is the footer for a view, most useful first; the footer shows
// as many as fit, and always the last two (help, quit).
func (k keyMap) shortHelp(v viewID) []footerItem {
	items := []footerItem{{"←→", "α"}, {"↑↓", "res"}, {"tab", "view"}}
	switch v {
	case viewLayers:
		items = append(items, footerItem{"j k", "scroll"})
	case viewBudget:
		items = append(items, footerItem{"b", "budget"}, footerItem{"enter", "go to best"}, footerItem{"M", "measure grid"})
	}
	items = append(items, footerItem{"m", "measure"}, footerItem{"p", "network"}, footerItem{"b", "budget"},
		footerItem{"a r", "type α res"}, footerItem{"e", "export PNG"}, footerItem{"y", "YAML"})
	// Drop repeats (a view may have promoted a key).
	seen := map[string]bool{}
	var out []footerItem
	for _, it := range items {
		if !seen[it.Key] {
			seen[it.Key] = true
			out = append(out, it)
		}
	}
	return append(out, footerItem{"?", "help"}, footerItem{"q", "quit"})
}

// tableKeyMap binds the layer table's scrolling to keys the explorer does
// not use for anything else (the arrows change α and the resolution).
func (k keyMap) tableKeyMap() table.KeyMap {
	return table.KeyMap{
		LineUp:     k.ScrollUp,
		LineDown:   k.ScrollDown,
		PageUp:     k.PageUp,
		PageDown:   k.PageDown,
		GotoTop:    k.Top,
		GotoBottom: k.Bottom,
		// Half pages are not bound.
		HalfPageUp:   key.NewBinding(key.WithDisabled()),
		HalfPageDown: key.NewBinding(key.WithDisabled()),
	}
}
