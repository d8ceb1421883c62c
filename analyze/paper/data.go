// Package paper holds the MobileNets paper's published figures and TF-slim's
// checkpoint table as embedded data (published.yaml, with its sources), and
// reproduces them: each published cell beside mnet's exact value, the
// difference, and for every cell that does not match, the counting rule that
// explains it, recomputed.
package paper

import (
	"bytes"
	_ "embed"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed published.yaml
var publishedYAML []byte

// data mirrors published.yaml.
type data struct {
	Paper struct {
		Citation string      `yaml:"citation"`
		Tables   []tableData `yaml:"tables"`
	} `yaml:"paper"`
	Checkpoints struct {
		Citation string              `yaml:"citation"`
		Classes  int                 `yaml:"classes"`
		Rows     []checkpointData    `yaml:"rows"`
		Notes    map[string]noteData `yaml:"notes"`
	} `yaml:"checkpoints"`
	// Successors are the MobileNetV2 and V3 papers' tables.
	Successors    []tableData       `yaml:"successors"`
	CheckpointsV2 checkpointsV2Data `yaml:"checkpoints_v2"`
	V3Grid        struct {
		Alphas      []float64 `yaml:"alphas"`
		Resolutions []int     `yaml:"resolutions"`
	} `yaml:"v3_grid"`
}

// checkpointsV2Data is TF-slim's MobileNetV2 table: one note per column,
// for every cell of it that does not match.
type checkpointsV2Data struct {
	Citation string              `yaml:"citation"`
	Model    string              `yaml:"model"`
	Classes  int                 `yaml:"classes"`
	Rows     []checkpointData    `yaml:"rows"`
	Notes    map[string]noteData `yaml:"notes"`
}

type tableData struct {
	ID       string    `yaml:"id"`
	Citation string    `yaml:"citation"` // a successor paper's (v1's tables share paper.citation)
	Title    string    `yaml:"title"`
	Columns  []string  `yaml:"columns"`
	Rows     []rowData `yaml:"rows"`
}

type rowData struct {
	Label      string              `yaml:"label"`
	Model      string              `yaml:"model"`
	Inline     string              `yaml:"inline"`
	Type       string              `yaml:"type"`
	Alpha      float64             `yaml:"alpha"`
	Resolution int                 `yaml:"resolution"`
	Accuracy   string              `yaml:"accuracy"`
	MultAdds   string              `yaml:"mult_adds"`
	Params     string              `yaml:"params"`
	MAShare    string              `yaml:"mult_adds_share"`
	PShare     string              `yaml:"params_share"`
	Notes      map[string]noteData `yaml:"notes"`
}

type noteData struct {
	Rule string `yaml:"rule"`
	Text string `yaml:"text"`
}

type checkpointData struct {
	Alpha      float64 `yaml:"alpha"`
	Resolution int     `yaml:"resolution"`
	MACs       string  `yaml:"macs"`
	Params     string  `yaml:"params"`
	Top1       float64 `yaml:"top1"`
	Top5       float64 `yaml:"top5"`
	Top1_2017  float64 `yaml:"top1_2017"`
	Top5_2017  float64 `yaml:"top5_2017"`
}

func load() (*data, error) {
	var d data
	dec := yaml.NewDecoder(bytes.NewReader(publishedYAML))
	dec.KnownFields(true)
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("paper: published.yaml: %w", err)
	}
	return &d, nil
}

// Printed is a number as the paper prints it: its value and precision.
type Printed struct {
	Text     string
	Value    float64
	Decimals int
	Percent  bool
}

func parsePrinted(s string) (Printed, error) {
	p := Printed{Text: s}
	t := strings.TrimSpace(s)
	if strings.HasSuffix(t, "%") {
		p.Percent = true
		t = strings.TrimSuffix(t, "%")
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return p, fmt.Errorf("paper: bad printed value %q", s)
	}
	p.Value = v
	if i := strings.IndexByte(t, '.'); i >= 0 {
		p.Decimals = len(t) - i - 1
	} else if len(t) >= 4 {
		// The paper prints at most four significant figures: in 15300 or
		// 1700 the trailing zeros are not significant (the 569s and 290s of
		// the same tables are exact to the unit).
		for j := len(t) - 1; j > 0 && t[j] == '0'; j-- {
			p.Decimals--
		}
	}
	return p, nil
}

// Rounds reports whether an exact value prints as p at p's precision
// (round half away from zero, as people round).
func (p Printed) Rounds(exact float64) bool {
	scale := math.Pow10(p.Decimals)
	r := exact * scale
	if r < 0 {
		r -= 0.5
	} else {
		r += 0.5
	}
	return float64(int64(r)) == roundTo(p.Value*scale)
}

func roundTo(v float64) float64 {
	if v < 0 {
		return float64(int64(v - 0.5))
	}
	return float64(int64(v + 0.5))
}
