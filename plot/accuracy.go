package plot

import (
	"fmt"

	"mnet.dev/mnet/analyze/paper"
)

// Accuracy sources of Request.Accuracy.
const (
	AccuracySlim  = "slim"  // TF-slim's 16 published checkpoints (default)
	AccuracyPaper = "paper" // the paper's Tables 4-9 where they print one
)

// Source says where a point's accuracy comes from (paper's policy decides).
type Source = paper.Source

// The sources a chart draws.
const (
	// Checkpoint: a TF-slim checkpoint's published top-1 (2018 release).
	Checkpoint = paper.FromCheckpoint
	// Paper: the paper's own figure (Tables 4-9).
	Paper = paper.FromPaper
	// Estimated: no published figure; paper.Fit's estimate.
	Estimated = paper.Estimated
)

// policy is the accuracy policy of a chart's accuracy mode ("" is slim):
// charts always estimate what is not published, and mark it.
func policy(mode string) (string, paper.Policy, error) {
	switch mode {
	case "", AccuracySlim:
		return AccuracySlim, paper.Policy{Estimate: true}, nil
	case AccuracyPaper:
		return AccuracyPaper, paper.Policy{PreferPaper: true, Estimate: true}, nil
	}
	return "", paper.Policy{}, fmt.Errorf("accuracy source %q: want %s or %s", mode, AccuracySlim, AccuracyPaper)
}
