package plot

import (
	"fmt"

	"mnet.dev/mnet/analyze/paper"
)

// Accuracy sources.
const (
	AccuracySlim  = "slim"  // TF-slim's 16 published checkpoints (default)
	AccuracyPaper = "paper" // the paper's Tables 4-9 where they print one
)

// Source says where a point's accuracy comes from.
type Source int

const (
	// Checkpoint: a TF-slim checkpoint's published top-1 (2018 release).
	Checkpoint Source = iota
	// Paper: the paper's own figure (Tables 4-9).
	Paper
	// Estimated: no published figure; paper.Fit's estimate.
	Estimated
)

func (s Source) String() string {
	switch s {
	case Checkpoint:
		return "TF-slim checkpoint"
	case Paper:
		return "paper"
	case Estimated:
		return "estimated"
	}
	return fmt.Sprintf("Source(%d)", int(s))
}

// Accuracies gives the ImageNet top-1 accuracy of a MobileNet v1
// configuration from the chosen published source, falling back to the
// documented estimate.
type Accuracies struct {
	Mode        string // AccuracySlim or AccuracyPaper
	Checkpoints []paper.Checkpoint
	Paper       []paper.Accuracy // the paper's figures (Tables 4-9)
	Fit         *paper.Fit
	Citation    string // TF-slim's
}

// NewAccuracies loads the published tables and the fit. mode is "slim"
// (or "") or "paper".
func NewAccuracies(mode string) (*Accuracies, error) {
	switch mode {
	case "":
		mode = AccuracySlim
	case AccuracySlim, AccuracyPaper:
	default:
		return nil, fmt.Errorf("accuracy source %q: want %s or %s", mode, AccuracySlim, AccuracyPaper)
	}
	a := &Accuracies{Mode: mode}
	var err error
	if a.Checkpoints, a.Citation, err = paper.Checkpoints(); err != nil {
		return nil, err
	}
	if a.Paper, err = paper.PaperAccuracies(); err != nil {
		return nil, err
	}
	if a.Fit, err = paper.NewFit(); err != nil {
		return nil, err
	}
	return a, nil
}

// Of returns the accuracy of α, resolution: the paper's figure (in paper
// mode), else TF-slim's checkpoint, else the fit's estimate from the exact
// mult-adds and parameters (extrapolated outside the published range).
// table names the paper's table for Paper.
func (a *Accuracies) Of(alpha float64, resolution int, multAdds, params int64) (top1 float64, src Source, table string, extrapolated bool) {
	if a.Mode == AccuracyPaper {
		if p, ok := paper.LookupAccuracy(a.Paper, alpha, resolution); ok {
			return p.Top1, Paper, p.Table, false
		}
	}
	if c, ok := paper.Lookup(a.Checkpoints, alpha, resolution); ok {
		return c.Top1, Checkpoint, "", false
	}
	top1, extrapolated = a.Fit.Estimate(multAdds, params)
	return top1, Estimated, "", extrapolated
}
