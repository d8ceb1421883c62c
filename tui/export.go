package tui

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"

	"mnet.dev/mnet/analyze/paper"
	"mnet.dev/mnet/internal/atomicfile"
	"mnet.dev/mnet/plot"
)

// ExportFunc writes one chart (plot.Save's signature).
type ExportFunc func(req plot.Request, path string) error

// exportDoneMsg reports the files `e` wrote.
type exportDoneMsg struct {
	paths []string
	err   error
}

// yamlDoneMsg reports the file `y` wrote.
type yamlDoneMsg struct {
	path string
	err  error
}

// fileBase is a file-name-safe stem for an entry: the example's name or
// the spec file's base name.
func fileBase(e Entry) string {
	b := strings.TrimSuffix(filepath.Base(e.Name), filepath.Ext(e.Name))
	b = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, b)
	if b == "" || b == "." || b == ".." {
		b = "network"
	}
	return b
}

// exportRequests are the charts of a view: Overview the per-type bars,
// Layers the per-layer chart, Trade-off accuracy against mult-adds and
// against parameters (MobileNet v1, the current configuration
// highlighted when it is MobileNet v1), Budget the mult-adds heat map over
// α x resolution.
func exportRequests(v viewID, e Entry, a *analysis) []plot.Request {
	base := plot.Request{Network: e.Network, Options: a.cfg.options()}
	var kinds []string
	switch v {
	case viewOverview:
		kinds = []string{plot.KindByType}
	case viewLayers:
		kinds = []string{plot.KindLayers}
	case viewTradeoff:
		kinds = []string{plot.KindTradeoff, plot.KindParams}
	case viewBudget:
		kinds = []string{plot.KindGrid}
	}
	var out []plot.Request
	for _, k := range kinds {
		r := base
		r.Kind = k
		switch k {
		case plot.KindTradeoff, plot.KindParams:
			r.Network, r.Options = nil, a.cfg.options()
			if a.id.Family == paper.MobileNetV1 {
				r.Highlight = []plot.Config{{Alpha: a.id.Alpha, Resolution: a.id.Resolution}}
			}
		case plot.KindGrid:
			r.Options.Alpha, r.Options.Resolution = 0, 0
		}
		out = append(out, r)
	}
	return out
}

// exportPath is where a chart goes: named after the network and the
// configuration (the trade-off charts are MobileNet v1's, highlighted at
// the current configuration when it is MobileNet v1).
func exportPath(dir string, e Entry, a *analysis, r plot.Request) string {
	cfg := configName(a.cfg.alpha, a.cfg.res)
	var name string
	switch r.Kind {
	case plot.KindTradeoff, plot.KindParams:
		name = paper.ModelOf(paper.MobileNetV1) + "-" + r.Kind
		if len(r.Highlight) > 0 {
			name += "-" + cfg
		}
	case plot.KindGrid:
		name = fileBase(e) + "-" + r.Kind
	default:
		name = fileBase(e) + "-" + cfg + "-" + r.Kind
	}
	return filepath.Join(dir, name+".png")
}

// exportCmd draws the view's charts in the background.
func exportCmd(fn ExportFunc, reqs []plot.Request, paths []string) tea.Cmd {
	return func() tea.Msg {
		var done []string
		for i, r := range reqs {
			if err := fn(r, paths[i]); err != nil {
				return exportDoneMsg{paths: done, err: fmt.Errorf("exporting the %s chart: %w", r.Kind, err)}
			}
			done = append(done, paths[i])
		}
		return exportDoneMsg{paths: done}
	}
}

// yamlPath is the default file `y` offers.
func yamlPath(dir string, e Entry, a *analysis) string {
	return filepath.Join(dir, fmt.Sprintf("%s-%s.yaml", fileBase(e), configName(a.cfg.alpha, a.cfg.res)))
}

// writeYAMLCmd writes the configuration's spec atomically.
func writeYAMLCmd(e Entry, a *analysis, path string) tea.Cmd {
	return func() tea.Msg {
		g := a.report.Graph
		note := fmt.Sprintf("Written by mnet tui: %s (%s) at α %s, resolution %d (%dx%d input).",
			g.Name, e.Name, alphaStr(g.Alpha), g.Resolution, g.Input.H, g.Input.W)
		b, err := specYAML(e.Source, g, note)
		if err != nil {
			return yamlDoneMsg{path: path, err: err}
		}
		err = atomicfile.WriteFile(path, func(w io.Writer) error {
			_, err := io.Copy(w, bytes.NewReader(b))
			return err
		})
		return yamlDoneMsg{path: path, err: err}
	}
}
