package tui

import (
	"fmt"

	"mnet.dev/mnet/analyze/paper"
)

// accuracyView is the accuracy panel, at most maxLines lines: TF-slim's
// published top-1/top-5 for a published configuration, otherwise
// paper.Fit's estimate marked "est." with how it was made (the Trade-off
// view has the whole formula), or nothing for other networks.
func accuracyView(st styles, acc accuracy, fit *paper.Fit, w, maxLines int) []string {
	switch acc.kind {
	case accPublished:
		return []string{
			st.Label.Render("Top-1 ") + st.Accent.Render(percent(acc.top1)) +
				st.Label.Render("   Top-5 ") + st.Value.Render(percent(acc.top5)),
			st.Dim.Render("ImageNet, TF-slim's checkpoint"),
		}
	case accPaper:
		return []string{
			st.Label.Render("Top-1 ") + st.Accent.Render(percent(acc.top1)),
			st.Dim.Render("ImageNet, " + paper.TableName(acc.table)),
		}
	case accEstimated:
		lines := []string{
			st.Label.Render("Top-1 ") + st.Est.Render(percent(acc.top1)+" est.") + st.Dim.Render("  Top-5 -"),
		}
		how := fmt.Sprintf("est.: log-linear fit in mult-adds and params to TF-slim's 16 checkpoints, ±%.2f points (leave-one-out RMS)", fit.LOO)
		if acc.extrapolated {
			how = "extrapolated outside the published range, unreliable; " + how
		}
		for _, l := range clampLines(wrap(how, w), maxLines-1, w) {
			lines = append(lines, st.Dim.Render(l))
		}
		return lines
	default:
		lines := []string{st.Label.Render("Top-1 ") + st.Dim.Render("-")}
		for _, l := range clampLines(wrap("no published ImageNet accuracy (the estimate is fitted to MobileNet v1 only)", w), maxLines-1, w) {
			lines = append(lines, st.Dim.Render(l))
		}
		return lines
	}
}

// clampLines keeps at most n lines of plain text, ending the last kept one
// with an ellipsis when some are dropped.
func clampLines(lines []string, n, w int) []string {
	if len(lines) <= n || n <= 0 {
		return lines
	}
	lines = lines[:n]
	last := []rune(lines[n-1])
	if len(last) >= w {
		last = last[:max(w-1, 0)]
	}
	lines[n-1] = string(last) + "…"
	return lines
}
