package plot

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/internal/atomicfile"
)

// FormatOf returns the output format for a file name's extension: png
// (also for no extension), svg or pdf.
func FormatOf(path string) (string, error) {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	switch ext {
	case "":
		return "png", nil
	case "png", "svg", "pdf":
		return ext, nil
	}
	return "", fmt.Errorf("%s: unknown image format %q (want .png, .svg or .pdf)", path, "."+ext)
}

// Save draws the requested chart and writes it to path, in the format of
// its extension (.png by default, .svg, .pdf), atomically: a temporary file
// in the same directory, renamed over path once complete. The request and
// the path are checked before anything is drawn.
func Save(req Request, path string) error {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	if err := req.Check(); err != nil {
		return err
	}
	if err := CheckPath(path); err != nil {
		return err
	}
	fig, err := Build(req)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, func(w io.Writer) error {
		return fig.Write(w, format, req.size())
	})
}

// Render draws the requested chart and writes it to w in format ("png",
// "svg" or "pdf").
func Render(req Request, w io.Writer, format string) error {
	if err := req.Check(); err != nil {
		return err
	}
	fig, err := Build(req)
	if err != nil {
		return err
	}
	return fig.Write(w, format, req.size())
}

// CheckPath fails when path cannot be written: its directory does not
// exist or is not a directory, or path is a directory. Callers that
// measure first check the path before measuring, so that no measurement
// is wasted.
func CheckPath(path string) error {
	if path == "" {
		return fmt.Errorf("no output file")
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("writing %s: %s is not a directory", path, dir)
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("writing %s: is a directory", path)
	}
	return nil
}

// Build computes the data of the requested chart, with the measurements
// it is given, and draws it.
func Build(req Request) (*Figure, error) {
	if err := req.Check(); err != nil {
		return nil, err
	}
	n, err := req.network()
	if err != nil {
		return nil, err
	}
	switch req.Kind {
	case KindTradeoff, KindParams:
		d, err := TradeoffData(req.Accuracy, req.Highlight)
		if err != nil {
			return nil, err
		}
		if req.Kind == KindParams {
			return DrawParams(d), nil
		}
		return DrawTradeoff(d), nil
	case KindGenerations:
		d, err := GenerationsData()
		if err != nil {
			return nil, err
		}
		if req.Measure {
			m, err := req.measured(len(d.Reports()))
			if err != nil {
				return nil, err
			}
			if err := d.SetLatency(m.Results, m.Machine); err != nil {
				return nil, err
			}
		}
		return DrawGenerations(d), nil
	case KindByType, KindLayers:
		r, err := analyze.Spec(n, req.Options)
		if err != nil {
			return nil, err
		}
		var prof *Profile
		if req.Measure {
			m, err := req.measured(1)
			if err != nil {
				return nil, err
			}
			if len(m.Results[0].Layers) == 0 {
				return nil, fmt.Errorf("the %s chart draws a per-layer profile: the measurement has none", req.Kind)
			}
			prof = &Profile{Result: m.Results[0], Machine: m.Machine}
		}
		if req.Kind == KindByType {
			return DrawByType(ByTypeData(r, prof)), nil
		}
		return DrawLayers(LayersData(r, prof)), nil
	case KindGrid:
		alphas, res := req.grid()
		d, err := GridData(n, req.Options, alphas, res)
		if err != nil {
			return nil, err
		}
		if req.Measure {
			m, err := req.measured(len(d.Reports()))
			if err != nil {
				return nil, err
			}
			if err := d.SetLatency(m.Results, m.Machine); err != nil {
				return nil, err
			}
		}
		return DrawGrid(d), nil
	case KindPareto:
		alphas, res := req.grid()
		reps, err := ParetoConfigs(alphas, res)
		if err != nil {
			return nil, err
		}
		m, err := req.measured(len(reps))
		if err != nil {
			return nil, err
		}
		d, err := ParetoData(req.Accuracy, reps, m.Results, m.Machine)
		if err != nil {
			return nil, err
		}
		return DrawPareto(d), nil
	}
	return nil, fmt.Errorf("unknown chart kind %q", req.Kind)
}
