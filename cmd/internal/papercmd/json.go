package papercmd

import (
	"mnet.dev/mnet/analyze/paper"
)

type jsonCell struct {
	Column    string   `json:"column"`
	Paper     string   `json:"paper"`
	Exact     *int64   `json:"exact,omitempty"`
	Ours      *float64 `json:"mnet,omitempty"`
	Match     *bool    `json:"match,omitempty"`
	Note      string   `json:"note,omitempty"`
	Rule      string   `json:"rule,omitempty"`
	RuleValue *float64 `json:"rule_value,omitempty"`
	RuleMatch *bool    `json:"rule_match,omitempty"`
}

type jsonRow struct {
	Label string     `json:"label"`
	Cells []jsonCell `json:"cells"`
}

type jsonTable struct {
	ID       string    `json:"id"`
	Citation string    `json:"citation,omitempty"`
	Title    string    `json:"title"`
	Rows     []jsonRow `json:"rows"`
}

type jsonCheckpoint struct {
	Alpha      float64  `json:"alpha"`
	Resolution int      `json:"resolution"`
	Top1       float64  `json:"top1"`
	Top5       float64  `json:"top5"`
	Top1_2017  float64  `json:"top1_2017"`
	Top5_2017  float64  `json:"top5_2017"`
	MACs       jsonCell `json:"macs"`
	Params     jsonCell `json:"params"`
}

func cell(c paper.Cell) jsonCell {
	j := jsonCell{Column: c.Column, Paper: c.Paper.Text, Note: c.Note, Rule: c.Rule}
	if c.HasOurs {
		exact, ours, match := c.Exact, c.Ours, c.Match
		j.Exact, j.Ours, j.Match = &exact, &ours, &match
	}
	if c.Rule != "" {
		v, m := c.RuleValue, c.RuleMatch
		j.RuleValue, j.RuleMatch = &v, &m
	}
	return j
}

// jsonOf is the JSON report: the tables asked for and the checkpoints.
func jsonOf(o *Options, rep *paper.Reproduction) any {
	out := struct {
		Citation            string           `json:"citation"`
		Conventions         string           `json:"conventions"`
		Tables              []jsonTable      `json:"tables"`
		CheckpointsCitation string           `json:"checkpoints_citation"`
		Checkpoints         []jsonCheckpoint `json:"checkpoints"`
		V2Citation          string           `json:"checkpoints_v2_citation,omitempty"`
		V2                  []jsonCheckpoint `json:"checkpoints_v2,omitempty"`
	}{Citation: rep.Citation, Conventions: conventionLine, CheckpointsCitation: rep.CheckpointsCitation}
	for _, t := range rep.Tables {
		if !o.want(t.ID) {
			continue
		}
		jt := jsonTable{ID: t.ID, Citation: t.Citation, Title: t.Title}
		for _, r := range t.Rows {
			jr := jsonRow{Label: r.Label}
			for _, c := range r.Cells {
				jr.Cells = append(jr.Cells, cell(c))
			}
			jt.Rows = append(jt.Rows, jr)
		}
		out.Tables = append(out.Tables, jt)
	}
	if o.want("slim") {
		for _, c := range rep.Checkpoints {
			out.Checkpoints = append(out.Checkpoints, jsonCheckpoint{c.Alpha, c.Resolution, c.Top1, c.Top5,
				c.Top1_2017, c.Top5_2017, cell(c.MACs), cell(c.Params)})
		}
	}
	if o.want("slim-v2") {
		out.V2Citation = rep.CheckpointsV2Citation
		for _, c := range rep.CheckpointsV2 {
			out.V2 = append(out.V2, jsonCheckpoint{Alpha: c.Alpha, Resolution: c.Resolution, Top1: c.Top1, Top5: c.Top5,
				MACs: cell(c.MACs), Params: cell(c.Params)})
		}
	}
	return out
}
