package paper

import (
	"fmt"

	"mnet.dev/mnet/analyze"
)

// Source says where a shown accuracy comes from.
type Source int

const (
	// NoAccuracy: nothing is published for the configuration (or nothing
	// the policy shows).
	NoAccuracy Source = iota
	// FromCheckpoint: a TF-slim checkpoint's published top-1 and top-5
	// (2018 release).
	FromCheckpoint
	// FromPaper: the paper's own figure (Tables 4-9).
	FromPaper
	// Estimated: Fit's estimate for a MobileNet v1 configuration with no
	// published figure.
	Estimated
)

func (s Source) String() string {
	switch s {
	case NoAccuracy:
		return "none"
	case FromCheckpoint:
		return "TF-slim checkpoint"
	case FromPaper:
		return "paper"
	case Estimated:
		return "estimated"
	}
	return fmt.Sprintf("Source(%d)", int(s))
}

// Reported is the ImageNet accuracy to show for a configuration.
type Reported struct {
	Source     Source
	Top1, Top5 float64 // %; Top5 only from a checkpoint
	Table      string  // FromPaper: the paper's table
	// Extrapolated marks an estimate outside the published range of
	// mult-adds and parameters.
	Extrapolated bool
}

// Known reports whether there is an accuracy to show.
func (r Reported) Known() bool { return r.Source != NoAccuracy }

// Policy is what a tool asks of Book.AccuracyOf; the rules themselves are
// AccuracyOf's.
type Policy struct {
	// PreferPaper takes the paper's own figure for a MobileNet v1
	// configuration it prints (Tables 4-9) before TF-slim's checkpoint.
	PreferPaper bool
	// Estimate falls back to Fit's estimate for a MobileNet v1
	// configuration with no published figure.
	Estimate bool
}

// Book holds the published accuracies, the fit and the identifier: what
// the accuracy policy needs. It is read-only once made, so one Book may
// serve concurrent users.
type Book struct {
	Citation            string       // the paper
	Checkpoints         []Checkpoint // TF-slim's 16
	CheckpointsCitation string
	PaperFigures        []Accuracy // MobileNet v1's in Tables 4-9 (PaperAccuracies)
	Baselines           []Accuracy // Tables 8 and 9
	// CheckpointsV2 are TF-slim's 22 MobileNetV2 checkpoints; Successors
	// the V2 and V3 papers' figures (SuccessorAccuracies).
	CheckpointsV2         []Checkpoint
	CheckpointsV2Citation string
	Successors            []Accuracy
	Fit                   *Fit
	Identifier            *Identifier
}

// NewBook loads the published tables, fits the estimate and loads the
// families' specs.
func NewBook() (*Book, error) {
	d, err := load()
	if err != nil {
		return nil, err
	}
	b := &Book{Citation: d.Paper.Citation}
	if b.Checkpoints, b.CheckpointsCitation, err = Checkpoints(); err != nil {
		return nil, err
	}
	if b.PaperFigures, err = PaperAccuracies(); err != nil {
		return nil, err
	}
	if b.Baselines, err = Baselines(); err != nil {
		return nil, err
	}
	if b.CheckpointsV2, b.CheckpointsV2Citation, err = CheckpointsV2(); err != nil {
		return nil, err
	}
	if b.Successors, err = SuccessorAccuracies(); err != nil {
		return nil, err
	}
	if b.Fit, err = NewFit(); err != nil {
		return nil, err
	}
	if b.Identifier, err = NewIdentifier(); err != nil {
		return nil, err
	}
	return b, nil
}

// Accuracy identifies the analysed network (Identify) and returns the
// accuracy to show for it under p (AccuracyOf).
func (b *Book) Accuracy(r *analyze.Report, p Policy) (Identity, Reported) {
	id := b.Identifier.Identify(r)
	return id, b.AccuracyOf(id, r.Totals, p)
}

// AccuracyOf is the accuracy policy, keyed on the network's identity:
//
//   - MobileNet v1 at α and resolution: the paper's figure if p prefers it
//     and the paper prints one; else TF-slim's checkpoint if one was
//     published; else, if p estimates, Fit's estimate from the exact
//     mult-adds and parameters t (marked extrapolated outside the
//     published range). The class count does not matter (TF-slim's
//     checkpoints have 1001 outputs, the paper's networks 1000).
//   - MobileNetV2 at α and resolution: its paper's figure if p prefers it,
//     else TF-slim's checkpoint (22 of them), else the paper's figure.
//     MobileNetV3-Large and -Small: the V3 paper's figure (1.0 and 0.75 at
//     224). No estimate: Fit is v1's.
//   - A baseline of Tables 8 and 9: the paper's figure, at the one
//     configuration the paper gives it (α, resolution and classes of its
//     spec).
//   - Anything else: none.
func (b *Book) AccuracyOf(id Identity, t analyze.Totals, p Policy) Reported {
	switch {
	case id.Family == MobileNetV1:
		if p.PreferPaper {
			if a, ok := LookupAccuracy(b.PaperFigures, id.Alpha, id.Resolution); ok {
				return Reported{Source: FromPaper, Top1: a.Top1, Table: a.Table}
			}
		}
		if c, ok := Lookup(b.Checkpoints, id.Alpha, id.Resolution); ok {
			return Reported{Source: FromCheckpoint, Top1: c.Top1, Top5: c.Top5}
		}
		if p.Estimate {
			top1, ext := b.Fit.Estimate(t.MultAdds, t.Params)
			return Reported{Source: Estimated, Top1: top1, Extrapolated: ext}
		}
	case id.Family == MobileNetV2 || id.Family == MobileNetV3Large || id.Family == MobileNetV3Small:
		var paper *Accuracy
		for i, a := range b.Successors {
			if a.Model == id.Model && a.Alpha == id.Alpha && a.Resolution == id.Resolution {
				paper = &b.Successors[i]
			}
		}
		if paper != nil && (p.PreferPaper || id.Family != MobileNetV2) {
			return Reported{Source: FromPaper, Top1: paper.Top1, Table: paper.Table}
		}
		if id.Family == MobileNetV2 {
			if c, ok := Lookup(b.CheckpointsV2, id.Alpha, id.Resolution); ok {
				return Reported{Source: FromCheckpoint, Top1: c.Top1, Top5: c.Top5}
			}
		}
		if paper != nil {
			return Reported{Source: FromPaper, Top1: paper.Top1, Table: paper.Table}
		}
	case id.Known():
		for _, a := range b.Baselines {
			if a.Model == id.Model && a.Alpha == id.Alpha && a.Resolution == id.Resolution && a.Classes == id.Classes {
				return Reported{Source: FromPaper, Top1: a.Top1, Table: a.Table}
			}
		}
	}
	return Reported{}
}
