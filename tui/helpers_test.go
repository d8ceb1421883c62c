package tui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/plot"
)

// fakeMeasure returns a fixed latency at once, after reporting progress.
func fakeMeasure(ctx context.Context, r *analyze.Report, progress func(done, total int)) (Measurement, error) {
	progress(5, 10)
	progress(10, 10)
	// A latency that depends on the configuration, so that the budget has
	// something to rank: 1 ms per 100 M mult-adds.
	d := time.Duration(r.Totals.MultAdds / 100)
	return Measurement{Median: d, GFLOPS: 2, Runs: 10, Threads: 2, Kernels: "test"}, nil
}

// exports records the charts `e` asked for.
type exports struct {
	mu    sync.Mutex
	reqs  []plot.Request
	paths []string
}

func (e *exports) save(req plot.Request, path string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.reqs = append(e.reqs, req)
	e.paths = append(e.paths, path)
	return nil
}

// newTestModel is the explorer on the examples, MobileNet v1 first shown,
// with a fake measurement and export, writing to a temporary directory.
func newTestModel(t testing.TB, w, h int) (Model, *exports) {
	t.Helper()
	ex := &exports{}
	m, err := New(Config{Measure: fakeMeasure, Export: ex.save, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	m = update(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	return m, ex
}

// keyMsg turns a key name into the message a terminal would produce.
func keyMsg(k string) tea.KeyPressMsg {
	special := map[string]tea.KeyPressMsg{
		"left":        {Code: tea.KeyLeft},
		"right":       {Code: tea.KeyRight},
		"up":          {Code: tea.KeyUp},
		"down":        {Code: tea.KeyDown},
		"shift+left":  {Code: tea.KeyLeft, Mod: tea.ModShift},
		"shift+right": {Code: tea.KeyRight, Mod: tea.ModShift},
		"enter":       {Code: tea.KeyEnter},
		"esc":         {Code: tea.KeyEscape},
		"tab":         {Code: tea.KeyTab},
		"shift+tab":   {Code: tea.KeyTab, Mod: tea.ModShift},
		"backspace":   {Code: tea.KeyBackspace},
		"pgdown":      {Code: tea.KeyPgDown},
		"ctrl+c":      {Code: 'c', Mod: tea.ModCtrl},
		"ctrl+u":      {Code: 'u', Mod: tea.ModCtrl},
	}
	if m, ok := special[k]; ok {
		return m
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// update feeds one message and runs the commands it returns.
func update(t testing.TB, m Model, msg tea.Msg) Model {
	t.Helper()
	nm, cmd := m.Update(msg)
	return drain(t, nm.(Model), cmd)
}

// press feeds keys; a key longer than one rune that is not a named key is
// typed rune by rune.
func press(t testing.TB, m Model, keys ...string) Model {
	t.Helper()
	for _, k := range keys {
		if _, named := map[string]bool{"left": true, "right": true, "up": true, "down": true, "shift+left": true,
			"shift+right": true, "enter": true, "esc": true, "tab": true, "shift+tab": true, "backspace": true,
			"pgdown": true, "ctrl+c": true, "ctrl+u": true}[k]; named || len([]rune(k)) == 1 {
			m = update(t, m, keyMsg(k))
			continue
		}
		for _, r := range k {
			m = update(t, m, keyMsg(string(r)))
		}
	}
	return m
}

// drain runs commands synchronously and feeds their messages back, as the
// Bubble Tea runtime would (batches in order).
func drain(t testing.TB, m Model, cmd tea.Cmd) Model {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for n := 0; len(queue) > 0; n++ {
		if n > 1000 {
			t.Fatal("commands do not settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case tea.QuitMsg:
			return m
		default:
			nm, next := m.Update(msg)
			m = nm.(Model)
			queue = append(queue, next)
		}
	}
	return m
}

// screen is the rendered view without styling.
func screen(m Model) string { return ansi.Strip(m.View().Content) }

func mustContain(t *testing.T, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("screen lacks %q:\n%s", sub, s)
		}
	}
}
