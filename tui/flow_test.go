package tui

import (
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// TestFlowMeasureWithExec drives the real program: change α and the
// resolution, measure the configuration with exec (MobileNet 0.25-128, a
// few runs on one thread), wait for the result, quit.
func TestFlowMeasureWithExec(t *testing.T) {
	ex := &exports{}
	m, err := New(Config{Measure: ExecMeasure(ExecOptions{Threads: 1, Warmup: 1, Runs: 5}), Export: ex.save, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	for _, k := range []string{"left", "left", "left", "down", "down", "down", "m"} {
		tm.Send(keyMsg(k))
	}
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return strings.Contains(ansi.Strip(string(b)), "measured MobileNet v1 0.25-128")
	}, teatest.WithDuration(60*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	tm.Send(keyMsg("q"))
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
	if fm.Alpha() != 0.25 || fm.Resolution() != 128 {
		t.Errorf("final configuration α %v, resolution %d", fm.Alpha(), fm.Resolution())
	}
	r := fm.meas.result(config{entry: fm.cur.cfg.entry, alpha: 0.25, res: 128})
	if r == nil || r.Runs != 5 || r.Median <= 0 || r.GFLOPS <= 0 || r.Threads != 1 {
		t.Errorf("measurement %+v", r)
	}
	if fm.meas.running() {
		t.Error("still measuring")
	}
}

var colorSGR = regexp.MustCompile(`\x1b\[[0-9;]*(38|48);[25];`)

// TestNoColor checks that colours reach a colour terminal and that
// NO_COLOR removes them (Bubble Tea's renderer downsamples the styles with
// the colour profile it detects from the environment).
func TestNoColor(t *testing.T) {
	run := func(env ...string) string {
		m, _ := newTestModel(t, 80, 24)
		tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24),
			teatest.WithProgramOptions(tea.WithEnvironment(env)))
		tm.Send(keyMsg("q"))
		b, err := io.ReadAll(tm.FinalOutput(t, teatest.WithFinalTimeout(10*time.Second)))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(ansi.Strip(string(b)), "Mult-adds") {
			t.Fatalf("no screen drawn (env %v)", env)
		}
		return string(b)
	}
	// TTY_FORCE makes colorprofile treat the test's buffer as a terminal.
	if out := run("TERM=xterm-256color", "TTY_FORCE=1"); !colorSGR.MatchString(out) {
		t.Error("no colour on a colour terminal")
	}
	if out := run("TERM=xterm-256color", "TTY_FORCE=1", "NO_COLOR=1"); colorSGR.MatchString(out) {
		t.Errorf("colour despite NO_COLOR: %q", colorSGR.FindString(out))
	}
}
