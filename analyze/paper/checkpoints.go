package paper

import (
	"fmt"

	"mnet.dev/mnet/spec"
)

// Checkpoint is one of TF-slim's 16 published MobileNet v1 checkpoints.
type Checkpoint struct {
	Alpha      float64
	Resolution int
	Top1, Top5 float64 // ImageNet accuracy, %, 2018 checkpoints
	// The original 2017_06_14 checkpoints.
	Top1_2017, Top5_2017 float64
	MACs, Params         Printed // TF-slim's printed million MACs and parameters
}

// Checkpoints returns TF-slim's table (the accuracies every plot and the
// explorer use), with its citation.
func Checkpoints() ([]Checkpoint, string, error) {
	d, err := load()
	if err != nil {
		return nil, "", err
	}
	out := make([]Checkpoint, 0, len(d.Checkpoints.Rows))
	for _, r := range d.Checkpoints.Rows {
		c := Checkpoint{Alpha: r.Alpha, Resolution: r.Resolution, Top1: r.Top1, Top5: r.Top5,
			Top1_2017: r.Top1_2017, Top5_2017: r.Top5_2017}
		if c.MACs, err = parsePrinted(r.MACs); err != nil {
			return nil, "", err
		}
		if c.Params, err = parsePrinted(r.Params); err != nil {
			return nil, "", err
		}
		out = append(out, c)
	}
	return out, d.Checkpoints.Citation, nil
}

// Lookup returns the published checkpoint at α and resolution, if any.
func Lookup(cps []Checkpoint, alpha float64, resolution int) (Checkpoint, bool) {
	for _, c := range cps {
		if c.Alpha == alpha && c.Resolution == resolution {
			return c, true
		}
	}
	return Checkpoint{}, false
}

// CheckpointRow compares one TF-slim row with mnet's exact counts (at the
// checkpoints' 1001 classes).
type CheckpointRow struct {
	Checkpoint
	MACs, Params Cell
}

func (p *reproducer) checkpoints(d *data) ([]CheckpointRow, error) {
	cps, _, err := Checkpoints()
	if err != nil {
		return nil, err
	}
	notes := d.Checkpoints.Notes
	out := make([]CheckpointRow, 0, len(cps))
	for _, c := range cps {
		o := spec.Options{Alpha: c.Alpha, Resolution: c.Resolution, Classes: d.Checkpoints.Classes}
		r, err := p.report(ModelOf(MobileNetV1), "", o)
		if err != nil {
			return nil, err
		}
		rd := rowData{Model: ModelOf(MobileNetV1)}
		row := CheckpointRow{Checkpoint: c}
		row.MACs = Cell{Column: ColMultAdds, Paper: c.MACs, HasOurs: true, Exact: r.Totals.MultAdds, Ours: float64(r.Totals.MultAdds) / 1e6}
		row.MACs.Match = c.MACs.Rounds(row.MACs.Ours)
		row.Params = Cell{Column: ColParams, Paper: c.Params, HasOurs: true, Exact: r.Totals.Params, Ours: float64(r.Totals.Params) / 1e6}
		row.Params.Match = c.Params.Rounds(row.Params.Ours)
		note := func(cell *Cell, key, col string) error {
			n, ok := notes[key]
			if !ok {
				return fmt.Errorf("paper: checkpoints: no note %q", key)
			}
			cell.Note, cell.Rule = n.Text, n.Rule
			if n.Rule != "" {
				if cell.RuleValue, err = p.rule(n.Rule, col, r, rd, o); err != nil {
					return err
				}
				cell.RuleMatch = cell.Paper.Rounds(cell.RuleValue)
			}
			return nil
		}
		if !row.MACs.Match {
			key := "macs_alpha075"
			switch {
			case c.Alpha == 0.25 && c.Resolution == 192:
				key = "macs_025_192"
			case c.Alpha == 0.5 && c.Resolution == 224:
				key = "macs_050_224"
			}
			if err := note(&row.MACs, key, ColMultAdds); err != nil {
				return nil, err
			}
		}
		if !row.Params.Match {
			if err := note(&row.Params, "params", ColParams); err != nil {
				return nil, err
			}
		}
		out = append(out, row)
	}
	return out, nil
}

// CheckpointsV2 returns TF-slim's 22 MobileNetV2 checkpoints (Top1_2017
// and Top5_2017 are zero: there was one release), with the citation.
func CheckpointsV2() ([]Checkpoint, string, error) {
	d, err := load()
	if err != nil {
		return nil, "", err
	}
	out := make([]Checkpoint, 0, len(d.CheckpointsV2.Rows))
	for _, r := range d.CheckpointsV2.Rows {
		c := Checkpoint{Alpha: r.Alpha, Resolution: r.Resolution, Top1: r.Top1, Top5: r.Top5}
		if c.MACs, err = parsePrinted(r.MACs); err != nil {
			return nil, "", err
		}
		if c.Params, err = parsePrinted(r.Params); err != nil {
			return nil, "", err
		}
		out = append(out, c)
	}
	return out, d.CheckpointsV2.Citation, nil
}

// checkpointsV2 compares TF-slim's MobileNetV2 rows with mnet's counts; a
// cell that does not match takes its column's note, whose rule is
// recomputed for it.
func (p *reproducer) checkpointsV2(d *checkpointsV2Data) ([]CheckpointRow, error) {
	cps, _, err := CheckpointsV2()
	if err != nil {
		return nil, err
	}
	out := make([]CheckpointRow, 0, len(cps))
	for i, c := range cps {
		o := spec.Options{Alpha: c.Alpha, Resolution: c.Resolution, Classes: d.Classes}
		r, err := p.report(d.Model, "", o)
		if err != nil {
			return nil, err
		}
		rd := rowData{Model: d.Model, MultAdds: d.Rows[i].MACs, Params: d.Rows[i].Params}
		row := CheckpointRow{Checkpoint: c}
		row.MACs = Cell{Column: ColMultAdds, Paper: c.MACs, HasOurs: true, Exact: r.Totals.MultAdds, Ours: float64(r.Totals.MultAdds) / 1e6}
		row.Params = Cell{Column: ColParams, Paper: c.Params, HasOurs: true, Exact: r.Totals.Params, Ours: float64(r.Totals.Params) / 1e6}
		for _, cell := range []*Cell{&row.MACs, &row.Params} {
			cell.Match = cell.Paper.Rounds(cell.Ours)
			if cell.Match {
				continue
			}
			key := map[string]string{ColMultAdds: "macs", ColParams: "params"}[cell.Column]
			n, ok := d.Notes[key]
			if !ok {
				return nil, fmt.Errorf("paper: MobileNetV2 checkpoints: no note %q", key)
			}
			cell.Note, cell.Rule = n.Text, n.Rule
			if n.Rule != "" {
				if cell.RuleValue, err = p.rule(n.Rule, cell.Column, r, rd, o); err != nil {
					return nil, err
				}
				cell.RuleMatch = cell.Paper.Rounds(cell.RuleValue)
			}
		}
		out = append(out, row)
	}
	return out, nil
}
