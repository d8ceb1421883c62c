package tui

import (
	"fmt"
	"strings"
	"testing"

	"mnet.dev/mnet/internal/golden"
)

// TestGoldenScreens compares whole screens, without styling, at 80x24 and
// 120x40 with testdata/TestGoldenScreens/<state>-<w>x<h>.txt
// (go test -update rewrites them).
func TestGoldenScreens(t *testing.T) {
	states := []struct {
		name string
		keys []string
		prep func(m Model) Model
	}{
		{name: "start"},
		{name: "table9-0.5-160", keys: []string{"left", "left", "down", "down"}},
		{name: "estimate-0.6-200", keys: []string{"a", "0.6", "enter", "r", "200", "enter"}},
		{name: "layers", keys: []string{"left", "down", "2", "j", "j"}},
		{name: "tradeoff-estimate", keys: []string{"a", "0.6", "enter", "3"}},
		{name: "budget", keys: []string{"b", "150M", "enter"}},
		{name: "budget-latency-measured", keys: []string{"b", "tab", "tab", "tab", "tab", "3ms", "enter", "M"}},
		{name: "help", keys: []string{"?"}},
		{name: "picker", keys: []string{"p", "down"}},
		{name: "prompt-error", keys: []string{"a", "1.5.1", "enter"}},
		{name: "vgg16", keys: []string{"p", "j", "j", "j", "j", "j", "j", "j", "enter"}},
		{name: "vgg16-tradeoff", keys: []string{"p", "j", "j", "j", "j", "j", "j", "j", "enter", "3"}},
		{name: "mobilenet-v3-large", keys: []string{"p", "j", "j", "j", "j", "enter"}},
		{name: "mobilenet-v2-narrow", keys: []string{"p", "j", "j", "j", "enter", "left", "left", "left", "left", "left", "left", "left"}},
		{name: "mobilenet-v2-grid", keys: []string{"p", "j", "j", "j", "enter", "4"}},
		{name: "mobilenet-v3-small-grid", keys: []string{"p", "j", "j", "j", "j", "j", "enter", "4"}},
		{name: "mobilenet-v2-tradeoff", keys: []string{"p", "j", "j", "j", "enter", "3"}},
		{name: "measuring", prep: func(m Model) Model {
			m.meas.job = &measureJob{id: 1, task: measureTask{label: m.label(m.cur.cfg)}}
			m.meas.runs, m.meas.total = 37, 100
			return m
		}},
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, s := range states {
			m, _ := newTestModel(t, size[0], size[1])
			m = press(t, m, s.keys...)
			if s.prep != nil {
				m = s.prep(m)
			}
			// The temporary directory in a status line varies.
			got := strings.ReplaceAll(screen(m), m.dir, "$DIR")
			golden.Check(t, fmt.Sprintf("%s-%dx%d.txt", s.name, size[0], size[1]), []byte(got+"\n"))
		}
	}
}
