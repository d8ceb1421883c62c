package papercmd

import (
	"strconv"

	"mnet.dev/mnet/analyze/paper"
	"mnet.dev/mnet/internal/render"
)

// csvTable is every cell of the tables asked for, one a row: the table,
// the row's label, the column, the value as published and mnet's beside
// it (exact count, value in the column's unit, whether it prints as the
// published one), and for a mismatch the note and the rule's recomputed
// value. TF-slim's table is "slim"; its accuracies have no mnet value.
func csvTable(o *Options, rep *paper.Reproduction) *render.Table {
	t := &render.Table{Header: []string{"table", "model", "column", "published", "mnet", "exact", "match", "rule", "rule_value", "rule_match", "note"}}
	for _, tb := range rep.Tables {
		if !o.want(tb.ID) {
			continue
		}
		for _, r := range tb.Rows {
			for _, c := range r.Cells {
				t.Rows = append(t.Rows, csvCell(tb.ID, r.Label, c))
			}
		}
	}
	if o.want("slim") {
		f := func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
		for _, c := range rep.Checkpoints {
			label := checkpointLabel(c.Alpha, c.Resolution)
			for _, acc := range []struct {
				col string
				v   float64
			}{{"top1", c.Top1}, {"top5", c.Top5}, {"top1_2017", c.Top1_2017}, {"top5_2017", c.Top5_2017}} {
				t.Rows = append(t.Rows, []string{"slim", label, acc.col, f(acc.v), "", "", "", "", "", "", ""})
			}
			t.Rows = append(t.Rows, csvCell("slim", label, c.MACs), csvCell("slim", label, c.Params))
		}
	}
	return t
}

func csvCell(table, label string, c paper.Cell) []string {
	row := []string{table, label, c.Column, c.Paper.Text, "", "", "", c.Rule, "", "", c.Note}
	if c.HasOurs {
		row[4] = strconv.FormatFloat(c.Ours, 'f', -1, 64)
		row[5] = strconv.FormatInt(c.Exact, 10)
		row[6] = strconv.FormatBool(c.Match)
	}
	if c.Rule != "" {
		row[8] = strconv.FormatFloat(c.RuleValue, 'f', -1, 64)
		row[9] = strconv.FormatBool(c.RuleMatch)
	}
	return row
}
