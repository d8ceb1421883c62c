package plot

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/examples"
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
// the path are checked before anything is measured.
func Save(ctx context.Context, req Request, path string) error {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	if err := req.Check(); err != nil {
		return err
	}
	if err := checkDir(path); err != nil {
		return err
	}
	fig, err := Build(ctx, req)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, func(w io.Writer) error {
		return fig.Write(w, format, req.size())
	})
}

// Render draws the requested chart and writes it to w in format ("png",
// "svg" or "pdf").
func Render(ctx context.Context, req Request, w io.Writer, format string) error {
	if err := req.Check(); err != nil {
		return err
	}
	fig, err := Build(ctx, req)
	if err != nil {
		return err
	}
	return fig.Write(w, format, req.size())
}

// checkDir fails early when path's directory does not exist or is not a
// directory, so that no measurement is wasted.
func checkDir(path string) error {
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

// Build computes the data of the requested chart (measuring if needed) and
// draws it.
func Build(ctx context.Context, req Request) (*Figure, error) {
	if err := req.Check(); err != nil {
		return nil, err
	}
	n := req.Network
	if n == nil {
		var err error
		if n, err = examples.Load("mobilenet_v1"); err != nil {
			return nil, err
		}
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
	case KindByType, KindLayers:
		r, err := analyze.Spec(n, req.Options)
		if err != nil {
			return nil, err
		}
		var prof *Profile
		if req.Measure {
			if prof, err = MeasureProfile(ctx, r, req.measurer()); err != nil {
				return nil, err
			}
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
			if err := d.Measure(ctx, req.measurer()); err != nil {
				return nil, err
			}
		}
		return DrawGrid(d), nil
	case KindPareto:
		alphas, res := req.grid()
		d, err := ParetoData(ctx, req.Accuracy, alphas, res, req.measurer())
		if err != nil {
			return nil, err
		}
		return DrawPareto(d), nil
	}
	return nil, fmt.Errorf("unknown chart kind %q", req.Kind)
}
