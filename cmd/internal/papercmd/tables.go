package papercmd

import (
	"fmt"
	"math"
	"strconv"

	"mnet.dev/mnet/analyze/paper"
	"mnet.dev/mnet/internal/render"
)

var columnTitle = map[string]string{
	paper.ColAccuracy: "Accuracy",
	paper.ColMultAdds: "M Mult-Adds",
	paper.ColParams:   "M Params",
	paper.ColMAShare:  "Mult-Adds",
	paper.ColPShare:   "Params",
}

// ours formats mnet's value two decimals finer than the paper prints.
func ours(c paper.Cell) string {
	d := max(c.Paper.Decimals+2, 2)
	s := strconv.FormatFloat(c.Ours, 'f', d, 64)
	if c.Paper.Percent {
		s += "%"
	}
	return s
}

func diff(c paper.Cell) string {
	d := max(c.Paper.Decimals+2, 2)
	v := c.Diff()
	if math.Abs(v) < math.Pow10(-d)/2 {
		v = 0
	}
	s := strconv.FormatFloat(v, 'f', d, 64)
	if v >= 0 {
		s = "+" + s
	}
	return s
}

// ruleText describes what a rule recomputed.
var ruleText = map[string]string{
	"without-fc":    "without the fully connected layers",
	"rho2":          "the 224 total scaled by ρ²",
	"flops":         "FLOPs (2 x mult-adds)",
	"without-first": "without the first 3x3 convolution",
	"double-round":  "rounded to 0.1M first",
	"with-bias":     "with biases",
	"bn3":           "weights + biases + 3 per BN channel",
	"share-sum":     "sum of the printed shares",
	"truncate":      "truncated instead of rounded",
	"se-hswish":     "with the SE and hard-swish multiplies",
}

func noteText(label string, col string, c paper.Cell) string {
	s := fmt.Sprintf("%s, %s: printed %s, exact %s. %s", label, columnTitle[col], c.Paper.Text, ours(c), c.Note)
	switch {
	case c.Rule == "share-sum":
		s += fmt.Sprintf(" [recomputed: %s = %s%%; with mnet's value (rounded as printed) %s%%]", ruleText[c.Rule],
			strconv.FormatFloat(c.RuleValue, 'f', 2, 64), strconv.FormatFloat(c.RuleAlt, 'f', 2, 64))
	case c.Rule != "":
		what := ruleText[c.Rule]
		if what == "" {
			what = c.Rule[len("model:"):] + "'s count"
		}
		verdict := "prints as " + c.Paper.Text + " ✓"
		if !c.RuleMatch {
			verdict = "does not print as " + c.Paper.Text + " either"
		}
		s += fmt.Sprintf(" [recomputed %s: %s, which %s]", what, strconv.FormatFloat(c.RuleValue, 'f', max(c.Paper.Decimals+2, 2), 64), verdict)
	}
	return s
}

// PaperTable renders one of the paper's tables.
func PaperTable(t paper.Table) *render.Table {
	out := &render.Table{Title: t.Title, Header: []string{"Model"}, Align: []render.Align{render.Left}}
	for _, col := range t.Columns {
		if col == paper.ColAccuracy {
			out.Header = append(out.Header, "Accuracy (paper)")
			out.Align = append(out.Align, render.Right)
			continue
		}
		title := columnTitle[col]
		out.Header = append(out.Header, title+" paper", "mnet", "Δ", "")
		out.Align = append(out.Align, render.Right, render.Right, render.Right, render.Left)
	}
	for _, r := range t.Rows {
		cells := []string{r.Label}
		for _, c := range r.Cells {
			if !c.HasOurs {
				cells = append(cells, c.Paper.Text)
				continue
			}
			mark := "✓"
			if !c.Match {
				out.Notes = append(out.Notes, fmt.Sprintf("[%d] %s", len(out.Notes)+1, noteText(r.Label, c.Column, c)))
				mark = fmt.Sprintf("[%d]", len(out.Notes))
			}
			cells = append(cells, c.Paper.Text, ours(c), diff(c), mark)
		}
		out.Rows = append(out.Rows, cells)
	}
	if t.Citation != "" {
		out.Notes = append(out.Notes, "Source: "+t.Citation)
	}
	return out
}

// CheckpointTable renders TF-slim's 16 checkpoints beside mnet's counts.
func CheckpointTable(rep *paper.Reproduction) *render.Table {
	out := &render.Table{
		Title: "TF-slim MobileNet v1 checkpoints (1001 classes): published accuracy, million MACs and parameters",
		Header: []string{"Model", "Top-1", "Top-5", "Top-1 2017", "Top-5 2017",
			"M MACs slim", "mnet", "", "M Params slim", "mnet", ""},
		Align: []render.Align{render.Left, render.Right, render.Right, render.Right, render.Right,
			render.Right, render.Right, render.Left, render.Right, render.Right, render.Left},
	}
	notes := map[string]int{}
	mark := func(label string, c paper.Cell) string {
		if c.Match {
			return "✓"
		}
		key := c.Note
		if n, ok := notes[key]; ok {
			return fmt.Sprintf("[%d]", n)
		}
		out.Notes = append(out.Notes, fmt.Sprintf("[%d] %s", len(out.Notes)+1, noteText(label, c.Column, c)))
		notes[key] = len(out.Notes)
		return fmt.Sprintf("[%d]", len(out.Notes))
	}
	for _, r := range rep.Checkpoints {
		label := checkpointLabel(r.Alpha, r.Resolution)
		out.Rows = append(out.Rows, []string{label,
			pct(r.Top1), pct(r.Top5), pct(r.Top1_2017), pct(r.Top5_2017),
			r.MACs.Paper.Text, ours(r.MACs), mark(label, r.MACs),
			r.Params.Paper.Text, ours(r.Params), mark(label, r.Params)})
	}
	out.Notes = append(out.Notes, "Source: "+rep.CheckpointsCitation)
	return out
}

// checkpointLabel names a checkpoint as TF-slim does: "1.0_224", "0.5_160".
func checkpointLabel(alpha float64, res int) string {
	if alpha == 1 {
		return fmt.Sprintf("1.0_%d", res)
	}
	return fmt.Sprintf("%s_%d", strconv.FormatFloat(alpha, 'f', -1, 64), res)
}

func pct(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) + "%" }

// CheckpointV2Table renders TF-slim's 22 MobileNetV2 checkpoints beside
// mnet's counts.
func CheckpointV2Table(rep *paper.Reproduction) *render.Table {
	out := &render.Table{
		Title:  "TF-slim MobileNetV2 checkpoints (1001 classes): published accuracy, million MACs and parameters",
		Header: []string{"Model", "Top-1", "Top-5", "M MACs slim", "mnet", "", "M Params slim", "mnet", ""},
		Align: []render.Align{render.Left, render.Right, render.Right, render.Right, render.Right, render.Left,
			render.Right, render.Right, render.Left},
	}
	notes := map[string]int{}
	mark := func(label string, c paper.Cell) string {
		if c.Match {
			return "✓"
		}
		if n, ok := notes[c.Column]; ok {
			return fmt.Sprintf("[%d]", n)
		}
		out.Notes = append(out.Notes, fmt.Sprintf("[%d] %s", len(out.Notes)+1, noteText(label, c.Column, c)))
		notes[c.Column] = len(out.Notes)
		return fmt.Sprintf("[%d]", len(out.Notes))
	}
	for _, r := range rep.CheckpointsV2 {
		label := "mobilenet_v2_" + checkpointLabel(r.Alpha, r.Resolution)
		out.Rows = append(out.Rows, []string{label, pct(r.Top1), pct(r.Top5),
			r.MACs.Paper.Text, ours(r.MACs), markRule(mark(label, r.MACs), r.MACs),
			r.Params.Paper.Text, ours(r.Params), markRule(mark(label, r.Params), r.Params)})
	}
	out.Notes = append(out.Notes, "Source: "+rep.CheckpointsV2Citation)
	return out
}

// markRule adds to a mismatch's mark whether the note's rule, recomputed
// for this very cell, gives the printed value.
func markRule(mark string, c paper.Cell) string {
	if c.Match || c.Rule == "" {
		return mark
	}
	if c.RuleMatch {
		return mark + " ✓"
	}
	return mark + " ✗"
}
