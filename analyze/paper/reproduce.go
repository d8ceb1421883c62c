package paper

import (
	"fmt"
	"math"
	"strings"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/spec"
)

// Columns of the paper's tables.
const (
	ColAccuracy = "accuracy"        // ImageNet top-1, published only
	ColMultAdds = "mult_adds"       // millions
	ColParams   = "params"          // millions, weights only
	ColMAShare  = "mult_adds_share" // percent of the network's mult-adds
	ColPShare   = "params_share"    // percent of its parameters
)

// Cell is one published value beside mnet's.
type Cell struct {
	Column  string
	Paper   Printed
	HasOurs bool    // false for accuracy: mnet does not train networks
	Exact   int64   // our exact count behind Ours (mult-adds or parameters)
	Ours    float64 // in the column's unit: millions or percent
	Match   bool    // Ours prints as Paper at the paper's precision

	// A note explains a value that does not match. Rule names the counting
	// convention that accounts for it, RuleValue is that convention's
	// value recomputed, and RuleMatch whether it prints as the paper.
	Note      string
	Rule      string
	RuleValue float64
	RuleMatch bool
	// RuleAlt is a second recomputed value where a rule has one: for
	// share-sum, the column's sum with our value in place of the printed.
	RuleAlt float64
}

// Diff is Ours - Paper in the column's unit.
func (c Cell) Diff() float64 { return c.Ours - c.Paper.Value }

// Row is one line of a published table.
type Row struct {
	Label string
	Cells []Cell
}

// Table is a published table with mnet's values.
type Table struct {
	ID       string
	Citation string // a successor paper's table: its paper ("" for v1's)
	Title    string
	Columns  []string
	Rows     []Row
}

// Reproduction is the whole comparison.
type Reproduction struct {
	Citation            string
	Tables              []Table
	CheckpointsCitation string
	Checkpoints         []CheckpointRow
	// CheckpointsV2 is TF-slim's MobileNetV2 table (22 checkpoints).
	CheckpointsV2Citation string
	CheckpointsV2         []CheckpointRow
}

type reportKey struct {
	model, inline string
	o             spec.Options
}

// reproducer caches the reports the rows share.
type reproducer struct {
	reports map[reportKey]*analyze.Report
}

func (p *reproducer) report(model, inline string, o spec.Options) (*analyze.Report, error) {
	k := reportKey{model, inline, o}
	if r, ok := p.reports[k]; ok {
		return r, nil
	}
	var n *spec.Network
	var err error
	if inline != "" {
		n, err = spec.Parse("published.yaml (inline)", []byte(inline))
	} else {
		n, err = examples.Load(model)
	}
	if err != nil {
		return nil, err
	}
	r, err := analyze.Spec(n, o)
	if err != nil {
		return nil, err
	}
	p.reports[k] = r
	return r, nil
}

// Reproduce compares every published cell with mnet's exact values.
func Reproduce() (*Reproduction, error) {
	d, err := load()
	if err != nil {
		return nil, err
	}
	p := &reproducer{reports: map[reportKey]*analyze.Report{}}
	out := &Reproduction{Citation: d.Paper.Citation, CheckpointsCitation: d.Checkpoints.Citation}
	for _, td := range append(append([]tableData(nil), d.Paper.Tables...), d.Successors...) {
		t := Table{ID: td.ID, Citation: td.Citation, Title: td.Title, Columns: td.Columns}
		for _, rd := range td.Rows {
			row, err := p.row(td, rd)
			if err != nil {
				return nil, fmt.Errorf("paper: table %s, %s: %w", td.ID, rd.Label, err)
			}
			t.Rows = append(t.Rows, row)
		}
		if err := shareSums(&t); err != nil {
			return nil, err
		}
		out.Tables = append(out.Tables, t)
	}
	if out.Checkpoints, err = p.checkpoints(d); err != nil {
		return nil, err
	}
	out.CheckpointsV2Citation = d.CheckpointsV2.Citation
	if out.CheckpointsV2, err = p.checkpointsV2(&d.CheckpointsV2); err != nil {
		return nil, err
	}
	return out, nil
}

func (p *reproducer) row(td tableData, rd rowData) (Row, error) {
	row := Row{Label: rd.Label}
	o := spec.Options{Alpha: rd.Alpha, Resolution: rd.Resolution}
	r, err := p.report(rd.Model, rd.Inline, o)
	if err != nil {
		return row, err
	}
	printed := map[string]string{ColAccuracy: rd.Accuracy, ColMultAdds: rd.MultAdds, ColParams: rd.Params,
		ColMAShare: rd.MAShare, ColPShare: rd.PShare}
	for col := range rd.Notes {
		if !contains(td.Columns, col) {
			return row, fmt.Errorf("note for column %q, which the table does not have", col)
		}
	}
	for _, col := range td.Columns {
		pv, err := parsePrinted(printed[col])
		if err != nil {
			return row, fmt.Errorf("column %s: %w", col, err)
		}
		c := Cell{Column: col, Paper: pv}
		switch col {
		case ColMultAdds:
			c.HasOurs, c.Exact = true, r.Totals.MultAdds
			c.Ours = float64(c.Exact) / 1e6
		case ColParams:
			c.HasOurs, c.Exact = true, r.Totals.Params
			c.Ours = float64(c.Exact) / 1e6
		case ColMAShare, ColPShare:
			tc, ok := typeCost(r, rd.Type)
			if !ok {
				return row, fmt.Errorf("no layers of type %q", rd.Type)
			}
			c.HasOurs = true
			if col == ColMAShare {
				c.Exact, c.Ours = tc.MultAdds, 100*tc.MultAddsShare
			} else {
				c.Exact, c.Ours = tc.Params, 100*tc.ParamsShare
			}
		case ColAccuracy:
		default:
			return row, fmt.Errorf("unknown column %q", col)
		}
		c.Match = c.HasOurs && c.Paper.Rounds(c.Ours)
		if n, ok := rd.Notes[col]; ok {
			c.Note, c.Rule = n.Text, n.Rule
			if n.Rule != "" && n.Rule != "share-sum" {
				if c.RuleValue, err = p.rule(n.Rule, col, r, rd, o); err != nil {
					return row, err
				}
				c.RuleMatch = c.Paper.Rounds(c.RuleValue)
			}
		}
		row.Cells = append(row.Cells, c)
	}
	return row, nil
}

func typeCost(r *analyze.Report, typ string) (analyze.TypeCost, bool) {
	for _, tc := range r.ByType {
		if tc.Type == typ {
			return tc, true
		}
	}
	return analyze.TypeCost{}, false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// rule recomputes a value under the named counting convention, in the
// column's unit.
func (p *reproducer) rule(rule, col string, r *analyze.Report, rd rowData, o spec.Options) (float64, error) {
	var fc, first int64
	for _, l := range r.Layers {
		if l.Op == spec.OpFC {
			fc += l.MultAdds
		}
	}
	for _, l := range r.Layers {
		if l.MultAdds > 0 {
			first = l.MultAdds
			break
		}
	}
	var bn int64
	for _, l := range r.Layers {
		bn += l.BNChannels
	}
	switch {
	case rule == "without-fc" && col == ColMultAdds:
		return float64(r.Totals.MultAdds-fc) / 1e6, nil
	case rule == "without-first" && col == ColMultAdds:
		return float64(r.Totals.MultAdds-first) / 1e6, nil
	case rule == "double-round" && col == ColMultAdds:
		return math.Round(float64(r.Totals.MultAdds)/1e5) / 10, nil
	case rule == "flops" && col == ColMultAdds:
		return float64(2*r.Totals.MultAdds) / 1e6, nil
	case rule == "truncate" && col == ColMultAdds:
		return truncated(float64(r.Totals.MultAdds)/1e6, rd.printedDecimals(col)), nil
	case rule == "truncate" && col == ColParams:
		return truncated(float64(r.Totals.Params)/1e6, rd.printedDecimals(col)), nil
	case rule == "se-hswish" && col == ColMultAdds:
		return float64(r.Totals.MultAdds+elementwiseMultiplies(r)) / 1e6, nil
	case rule == "with-bias" && col == ColParams:
		return float64(r.Totals.ParamsWithBias) / 1e6, nil
	case rule == "bn3" && col == ColParams:
		return float64(r.Totals.ParamsWithBias+3*bn) / 1e6, nil
	case rule == "rho2" && col == ColMultAdds:
		base := o
		base.Resolution = 0 // the spec's own (224)
		b, err := p.report(rd.Model, rd.Inline, base)
		if err != nil {
			return 0, err
		}
		rho := float64(r.Graph.Resolution) / float64(b.Graph.Resolution)
		return float64(b.Totals.MultAdds) * rho * rho / 1e6, nil
	case strings.HasPrefix(rule, "model:"):
		other, err := p.report(strings.TrimPrefix(rule, "model:"), "", o)
		if err != nil {
			return 0, err
		}
		switch col {
		case ColMultAdds:
			return float64(other.Totals.MultAdds) / 1e6, nil
		case ColParams:
			return float64(other.Totals.Params) / 1e6, nil
		}
	}
	return 0, fmt.Errorf("rule %q does not apply to column %s", rule, col)
}

// shareSums fills the share-sum rule: the sum of the printed shares of the
// column, and the sum with our value in place of the noted one.
func shareSums(t *Table) error {
	for ci, col := range t.Columns {
		for ri := range t.Rows {
			c := &t.Rows[ri].Cells[ci]
			if c.Rule != "share-sum" {
				continue
			}
			if col != ColMAShare && col != ColPShare {
				return fmt.Errorf("paper: table %s: share-sum rule on column %s", t.ID, col)
			}
			var printed, withOurs float64
			for rj := range t.Rows {
				o := t.Rows[rj].Cells[ci]
				printed += o.Paper.Value
				if rj == ri {
					withOurs += math.Round(o.Ours*100) / 100
				} else {
					withOurs += o.Paper.Value
				}
			}
			c.RuleValue, c.RuleAlt = printed, withOurs
			// The rule explains the cell when the printed shares do not add
			// up to 100% and ours, at the paper's precision, do (to within
			// the rounding of four two-decimal shares).
			c.RuleMatch = math.Abs(printed-100) > 0.05 && math.Abs(withOurs-100) <= 0.02
		}
	}
	return nil
}

// truncated cuts v to d decimals (toward zero): the value a table that
// truncates prints, which Printed.Rounds then matches exactly.
func truncated(v float64, d int) float64 {
	scale := math.Pow10(d)
	return math.Trunc(v*scale+1e-9) / scale
}

// printedDecimals is the precision of the row's printed value in col.
func (rd rowData) printedDecimals(col string) int {
	var s string
	switch col {
	case ColMultAdds:
		s = rd.MultAdds
	case ColParams:
		s = rd.Params
	}
	p, err := parsePrinted(s)
	if err != nil {
		return 0
	}
	return p.Decimals
}

// elementwiseMultiplies counts the multiplications outside the
// multiply-accumulates that MobileNetV3 adds: one per value of every
// squeeze-and-excite channel scale and one per hard-swish output (its
// x·ReLU6(x+3) product; the /6 folds into the next layer's weights).
func elementwiseMultiplies(r *analyze.Report) int64 {
	var n int64
	for i := range r.Graph.Nodes {
		nd := &r.Graph.Nodes[i]
		var act spec.Activation
		switch op := nd.Op.(type) {
		case *spec.Scale:
			n += op.Multiplies(nd)
			continue
		case *spec.Conv:
			act = op.Act
		case *spec.Depthwise:
			act = op.Act
		case *spec.FC:
			act = op.Act
		case *spec.Add:
			act = op.Act
		}
		if act == spec.ActHardSwish {
			n += nd.Out.Elems()
		}
	}
	return n
}
