package tui

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"mnet.dev/mnet/analyze/paper"
	"mnet.dev/mnet/plot"
)

// viewID is one of the explorer's views (tabs).
type viewID int

const (
	viewOverview viewID = iota
	viewLayers
	viewTradeoff
	viewBudget
	numViews
)

func (v viewID) String() string {
	return [...]string{"Overview", "Layers", "Trade-off", "Budget"}[v]
}

// Model is the explorer's state. It is a Bubble Tea model: Update returns
// a new Model, View renders it.
type Model struct {
	entries []Entry
	dir     string
	export  ExportFunc
	book    *book
	keys    keyMap
	st      styles

	width, height int

	cur     *analysis        // the current configuration, analysed
	grid    []gridPoint      // the current network at its family's published grid
	ids     []paper.Identity // what each entry's network is, by its architecture
	mnEntry int              // the first entry that is MobileNet v1 (-1: none), for the chart's measured points
	view    viewID
	layers  layersPanel
	budget  budget
	meas    measurer
	prompt  prompt
	picker  picker
	help    bool

	status    string
	statusErr bool
	exporting bool
}

// New returns the explorer for cfg.
func New(cfg Config) (Model, error) {
	m := Model{dir: cfg.Dir, export: cfg.Export, keys: newKeyMap(), st: newStyles(), mnEntry: -1}
	var err error
	if m.book, err = newBook(); err != nil {
		return Model{}, err
	}
	m.entries = cfg.Entries
	start := cfg.Start
	if len(m.entries) == 0 {
		if m.entries, err = ExampleEntries(); err != nil {
			return Model{}, err
		}
		start = -1
	}
	m.ids = make([]paper.Identity, len(m.entries))
	for i, e := range m.entries {
		if e.Network == nil {
			return Model{}, fmt.Errorf("entry %q has no network", e.Name)
		}
		m.ids[i] = m.book.identify(e)
		if m.isMobileNet(i) && m.mnEntry < 0 {
			m.mnEntry = i
		}
	}
	if start < 0 { // the examples: open MobileNet v1
		start = max(m.mnEntry, 0)
	}
	if start >= len(m.entries) {
		return Model{}, fmt.Errorf("start entry %d out of range [0, %d)", start, len(m.entries))
	}
	if m.export == nil {
		m.export = plot.Save
	}
	fn := cfg.Measure
	if fn == nil {
		fn = ExecMeasure(ExecOptions{Threads: cfg.Threads})
	}
	m.meas = newMeasurer(fn, m.st)
	m.layers = newLayersPanel(m.keys, m.st)
	c := m.defaultConfig(start)
	if cfg.Alpha != 0 {
		c.alpha = cfg.Alpha
	}
	if cfg.Resolution != 0 {
		c.res = cfg.Resolution
	}
	a, err := m.book.analyse(m.entries, c)
	if err != nil {
		return Model{}, fmt.Errorf("%s at α %s, resolution %d: %w", m.entries[start].Name, alphaStr(c.alpha), c.res, err)
	}
	m.setAnalysis(a)
	m.grid = m.book.grid(m.entries[start], m.ids[start].Family)
	m.width, m.height = 80, 24
	m.layoutLayers()
	return m, nil
}

// isMobileNet reports whether an entry's network is MobileNet v1 (by its
// architecture): TF-slim's accuracies and the fit to them apply to it.
func (m Model) isMobileNet(entry int) bool { return m.ids[entry].Family == paper.MobileNetV1 }

// successor reports whether an entry is MobileNetV2 or V3: its trade-off
// chart shows its own published points.
func (m Model) successor(entry int) bool {
	switch m.ids[entry].Family {
	case paper.MobileNetV2, paper.MobileNetV3Large, paper.MobileNetV3Small:
		return true
	}
	return false
}

// hasAccuracy reports whether an entry's family has published accuracies
// (MobileNet v1, V2, V3): its budget grid ranks by them.
func (m Model) hasAccuracy(entry int) bool {
	switch m.ids[entry].Family {
	case paper.MobileNetV1, paper.MobileNetV2, paper.MobileNetV3Large, paper.MobileNetV3Small:
		return true
	}
	return false
}

// defaultConfig is an entry at its spec's own α and resolution.
func (m Model) defaultConfig(entry int) config {
	n := m.entries[entry].Network
	return config{entry: entry, alpha: n.Alpha, res: n.Input.Height}
}

// Init starts nothing: the explorer waits for keys.
func (m Model) Init() tea.Cmd { return nil }

// Update folds a message into the model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layoutLayers()
		return m, nil
	case tea.KeyPressMsg:
		return m.updateKey(msg)
	case measureProgressMsg, measureDoneMsg:
		var cmd tea.Cmd
		var status string
		var err error
		m.meas, cmd, status, err = m.meas.update(msg)
		switch {
		case err != nil:
			m.setError(err)
		case status != "":
			m.setStatus(status)
		}
		return m, cmd
	case exportDoneMsg:
		m.exporting = false
		if msg.err != nil {
			m.setError(msg.err)
			return m, nil
		}
		m.setStatus(wroteFiles(msg.paths))
		return m, nil
	case yamlDoneMsg:
		if msg.err != nil {
			m.setError(fmt.Errorf("writing the spec YAML: %w", msg.err))
			return m, nil
		}
		m.setStatus(wroteFiles([]string{msg.path}))
		return m, nil
	}
	if m.prompt.active() {
		var cmd tea.Cmd
		m.prompt, cmd = m.prompt.update(msg) // the cursor's blink
		return m, cmd
	}
	return m, nil
}

func (m *Model) setStatus(s string) { m.status, m.statusErr = s, false }

// wroteFiles says which files were written, and where: "wrote a.png, b.png
// in /abs/dir".
func wroteFiles(paths []string) string {
	if len(paths) == 0 {
		return "wrote nothing"
	}
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = filepath.Base(p)
	}
	dir := filepath.Dir(paths[0])
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return "wrote " + strings.Join(names, ", ") + " in " + dir
}
func (m *Model) setError(err error) { m.status, m.statusErr = err.Error(), true }

func (m Model) quit() (tea.Model, tea.Cmd) {
	m.meas = m.meas.cancel()
	return m, tea.Quit
}

func (m Model) updateKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	if key.Matches(msg, k.ForceQuit) {
		return m.quit()
	}
	if m.prompt.active() {
		return m.updatePrompt(msg)
	}
	if m.picker.open {
		return m.updatePicker(msg)
	}
	if m.help {
		switch {
		case key.Matches(msg, k.Quit):
			return m.quit()
		case key.Matches(msg, k.Help, k.Cancel):
			m.help = false
		}
		return m, nil
	}
	c := m.cur.cfg
	switch {
	case key.Matches(msg, k.Quit):
		return m.quit()
	case key.Matches(msg, k.Help):
		m.help = true
	case key.Matches(msg, k.Cancel):
		if m.meas.running() {
			m.meas = m.meas.cancel()
			m.setStatus("cancelling the measurement…")
		} else {
			m.status = ""
		}
	case key.Matches(msg, k.AlphaDown, k.AlphaUp):
		c.alpha = coarseAlpha(c.alpha, m.coarseAlphas(), key.Matches(msg, k.AlphaUp))
		m.configure(c)
	case key.Matches(msg, k.AlphaFineDown, k.AlphaFineUp):
		c.alpha = fineAlpha(c.alpha, key.Matches(msg, k.AlphaFineUp))
		m.configure(c)
	case key.Matches(msg, k.ResDown, k.ResUp):
		c.res = stepRes(c.res, key.Matches(msg, k.ResUp))
		m.configure(c)
	case key.Matches(msg, k.Reset):
		m.configure(m.defaultConfig(c.entry))
	case key.Matches(msg, k.TypeAlpha):
		var cmd tea.Cmd
		m.prompt, cmd = openPrompt(promptAlpha, "", alphaStr(c.alpha), m.st)
		return m, cmd
	case key.Matches(msg, k.TypeRes):
		var cmd tea.Cmd
		m.prompt, cmd = openPrompt(promptRes, "", fmt.Sprint(c.res), m.st)
		return m, cmd
	case key.Matches(msg, k.Picker):
		m.picker = picker{open: true, cursor: c.entry}
	case key.Matches(msg, k.NextView):
		m.view = (m.view + 1) % numViews
	case key.Matches(msg, k.PrevView):
		m.view = (m.view + numViews - 1) % numViews
	case key.Matches(msg, k.GoView):
		m.view = viewID(msg.Code - '1')
	case key.Matches(msg, k.Budget):
		var cmd tea.Cmd
		placeholder := ""
		if m.budget.set {
			placeholder = strings.ReplaceAll(m.budget.kind.format(m.budget.limit), " ", "")
		}
		m.prompt, cmd = openPrompt(promptBudget, "", placeholder, m.st)
		m.prompt.budgetKind = m.budget.kind
		m.view = viewBudget
		return m, cmd
	case key.Matches(msg, k.GoBest) && m.view == viewBudget:
		m.goBest()
	case key.Matches(msg, k.Measure):
		return m.measure(false)
	case key.Matches(msg, k.MeasureAll):
		return m.measure(true)
	case key.Matches(msg, k.Export):
		return m.startExport()
	case key.Matches(msg, k.WriteYAML):
		e := m.entries[c.entry]
		if len(e.Source) == 0 {
			m.setError(errors.New(e.Name + " did not come from a spec YAML file: there is no spec to write"))
			return m, nil
		}
		var cmd tea.Cmd
		m.prompt, cmd = openPrompt(promptYAML, yamlPath(m.dir, e, m.cur), "", m.st)
		return m, cmd
	case m.view == viewLayers:
		var cmd tea.Cmd
		m.layers, cmd = m.layers.update(msg)
		return m, cmd
	}
	return m, nil
}

// coarseAlphas are the current network's family's published width
// multipliers, ascending.
func (m Model) coarseAlphas() []float64 {
	g := m.book.gridOf(m.ids[m.cur.cfg.entry].Family).Alphas
	out := make([]float64, len(g))
	for i, a := range g {
		out[len(out)-1-i] = a
	}
	return out
}

// configure moves to configuration c if the network can be built there;
// otherwise it keeps the current one and says why.
func (m *Model) configure(c config) bool {
	if c == m.cur.cfg {
		return true
	}
	a, err := m.book.analyse(m.entries, c)
	if err != nil {
		m.setError(fmt.Errorf("%s at α %s, resolution %d: %w", m.entries[c.entry].Name, alphaStr(c.alpha), c.res, err))
		return false
	}
	entryChanged := c.entry != m.cur.cfg.entry
	m.setAnalysis(a)
	if entryChanged {
		m.grid = m.book.grid(m.entries[c.entry], m.ids[c.entry].Family)
	}
	m.status = ""
	return true
}

func (m *Model) setAnalysis(a *analysis) {
	m.cur = a
	m.layers.setReport(a.report)
}

func (m *Model) goBest() {
	if !m.budget.set {
		m.setError(errors.New("no budget set: press b to set one"))
		return
	}
	best, ok := m.budget.best(m.grid, m.measuredAt(m.cur.cfg.entry))
	if !ok {
		m.setError(errors.New("nothing on the grid fits the budget"))
		return
	}
	c := m.cur.cfg
	c.alpha, c.res = best.alpha, best.res
	if m.configure(c) {
		m.setStatus("went to " + configName(best.alpha, best.res) + ", the best that fits")
	}
}

// measuredAt returns the lookup of an entry's measurements.
func (m Model) measuredAt(entry int) func(alpha float64, res int) *Measurement {
	return func(alpha float64, res int) *Measurement {
		return m.meas.result(config{entry: entry, alpha: alpha, res: res})
	}
}

func (m Model) label(c config) string {
	return m.entries[c.entry].Network.Name + " " + configName(c.alpha, c.res)
}

// measure queues the current configuration, or the whole grid.
func (m Model) measure(all bool) (tea.Model, tea.Cmd) {
	c := m.cur.cfg
	var tasks []measureTask
	if !all {
		if m.meas.running() {
			m.setError(errors.New("a measurement is running: esc cancels it"))
			return m, nil
		}
		tasks = append(tasks, measureTask{key: c, label: m.label(c), report: m.cur.report})
	} else {
		if m.meas.running() {
			m.setError(errors.New("a measurement is running: esc cancels it"))
			return m, nil
		}
		for _, p := range m.grid {
			k := config{entry: c.entry, alpha: p.alpha, res: p.res}
			if p.err != nil || m.meas.result(k) != nil {
				continue
			}
			gc := config{entry: c.entry, alpha: p.alpha, res: p.res}
			a, err := m.book.analyse(m.entries, gc)
			if err != nil {
				continue
			}
			tasks = append(tasks, measureTask{key: k, label: m.label(gc), report: a.report})
		}
		if len(tasks) == 0 {
			m.setStatus("every grid point is measured already")
			return m, nil
		}
	}
	var cmd tea.Cmd
	m.meas, cmd = m.meas.enqueue(tasks...)
	m.status = ""
	return m, cmd
}

func (m Model) startExport() (tea.Model, tea.Cmd) {
	if m.exporting {
		m.setError(errors.New("an export is running"))
		return m, nil
	}
	e := m.entries[m.cur.cfg.entry]
	reqs := exportRequests(m.view, e, m.cur)
	paths := make([]string, len(reqs))
	for i, r := range reqs {
		paths[i] = exportPath(m.dir, e, m.cur, r)
	}
	m.exporting = true
	where := m.dir
	if where == "" {
		where = "."
	}
	if abs, err := filepath.Abs(where); err == nil {
		where = abs
	}
	m.setStatus(fmt.Sprintf("exporting the %s view's charts to %s…", m.view, where))
	return m, exportCmd(m.export, reqs, paths)
}

func (m Model) updatePrompt(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Cancel):
		m.prompt = prompt{}
		return m, nil
	case m.prompt.kind == promptBudget && key.Matches(msg, k.NextKind):
		m.prompt.budgetKind = (m.prompt.budgetKind + 1) % numBudgetKinds
		m.prompt.err = ""
		return m, nil
	case key.Matches(msg, k.Accept):
		return m.acceptPrompt()
	}
	var cmd tea.Cmd
	m.prompt, cmd = m.prompt.update(msg)
	return m, cmd
}

// acceptPrompt applies a typed value, or keeps the prompt open with the
// reason it was rejected.
func (m Model) acceptPrompt() (tea.Model, tea.Cmd) {
	v := m.prompt.input.Value()
	c := m.cur.cfg
	switch m.prompt.kind {
	case promptAlpha:
		a, err := parseAlpha(v)
		if err != nil {
			m.prompt.err = err.Error()
			return m, nil
		}
		c.alpha = a
		if !m.configure(c) {
			m.prompt.err, m.status = m.status, ""
			return m, nil
		}
	case promptRes:
		r, err := parseRes(v)
		if err != nil {
			m.prompt.err = err.Error()
			return m, nil
		}
		c.res = r
		if !m.configure(c) {
			m.prompt.err, m.status = m.status, ""
			return m, nil
		}
	case promptBudget:
		if strings.TrimSpace(v) == "" {
			m.budget = budget{kind: m.prompt.budgetKind}
			m.setStatus("budget cleared")
			break
		}
		lim, err := parseLimit(m.prompt.budgetKind, v)
		if err != nil {
			m.prompt.err = err.Error()
			return m, nil
		}
		m.budget = budget{kind: m.prompt.budgetKind, limit: lim, set: true}
		m.setStatus("budget: " + m.budget.kind.String() + " ≤ " + m.budget.kind.format(lim))
	case promptYAML:
		path := strings.TrimSpace(v)
		if path == "" {
			m.prompt.err = "type a file name"
			return m, nil
		}
		m.prompt = prompt{}
		return m, writeYAMLCmd(m.entries[c.entry], m.cur, path)
	}
	m.prompt = prompt{}
	return m, nil
}

func (m Model) updatePicker(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Cancel, k.Picker):
		m.picker.open = false
	case key.Matches(msg, k.Quit):
		return m.quit()
	case key.Matches(msg, k.PickUp):
		m.picker.cursor = max(m.picker.cursor-1, 0)
	case key.Matches(msg, k.PickDown):
		m.picker.cursor = min(m.picker.cursor+1, len(m.entries)-1)
	case key.Matches(msg, k.Accept):
		m.picker.open = false
		i := m.picker.cursor
		if i != m.cur.cfg.entry && m.configure(m.defaultConfig(i)) {
			m.setStatus(fmt.Sprintf("opened %s at its own α %s, resolution %d", m.entries[i].Name,
				alphaStr(m.cur.cfg.alpha), m.cur.cfg.res))
		}
	}
	return m, nil
}

// Alpha, Resolution and Network report the current configuration (for
// tests and callers).
func (m Model) Alpha() float64 { return m.cur.cfg.alpha }

// Resolution is the current input resolution in pixels.
func (m Model) Resolution() int { return m.cur.cfg.res }

// Network is the name of the current picker entry.
func (m Model) Network() string { return m.entries[m.cur.cfg.entry].Name }
