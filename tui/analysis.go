package tui

import (
	"fmt"
	"slices"
	"strconv"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/analyze/paper"
	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/spec"
)

// config is one configuration: a network of the picker at α and a
// resolution.
type config struct {
	entry int
	alpha float64
	res   int
}

func (c config) options() spec.Options { return spec.Options{Alpha: c.alpha, Resolution: c.res} }

// accKind says where an accuracy comes from.
type accKind int

const (
	accNone      accKind = iota // no accuracy known for this network
	accPublished                // a TF-slim checkpoint
	accEstimated                // paper.Fit
	accPaper                    // a baseline's accuracy in the paper's Tables 8 and 9
)

// accuracy is the ImageNet accuracy of a configuration.
type accuracy struct {
	kind         accKind
	top1, top5   float64 // %; top5 only when published
	extrapolated bool    // an estimate outside the published range
	table        string  // accPaper: the paper's table
}

// analysis is everything the panels show about the current configuration.
type analysis struct {
	cfg    config
	report *analyze.Report
	id     paper.Identity // what the network is, from its architecture
	acc    accuracy
}

// gridPoint is one α x resolution point of the published grid, for the
// budget and the chart.
type gridPoint struct {
	alpha  float64
	res    int
	totals analyze.Totals
	acc    accuracy
	err    error // the network cannot be built at this point
}

// baseline is a network of the paper's Tables 8 and 9.
type baseline struct {
	example          string  // the example spec's name
	label            string  // as the paper prints it
	table            string  // "8" or "9"
	top1             string  // published, as printed
	top1Value        float64 // the same, as a number
	multAdds, params int64   // exact, from analyze
}

// book is the reference data loaded once: the published accuracies with
// their policy (paper.Book), MobileNet v1's published grid and the
// baselines.
type book struct {
	pb        *paper.Book
	fit       *paper.Fit
	alphas    []float64                   // MobileNet v1's grid's α, descending
	res       []int                       // its resolutions, ascending
	grids     map[paper.Family]paper.Grid // each family's own (V2: TF-slim's 22, V3: its paper's)
	baselines []baseline
	mobilenet []gridPoint // MobileNet v1 at the 16 published configurations
}

// gridOf is the α x resolution grid of a network's family: its own
// published one for MobileNet v1, V2 and V3, v1's for the others.
func (b *book) gridOf(f paper.Family) paper.Grid {
	if g, ok := b.grids[f]; ok {
		return g
	}
	return paper.Grid{Alphas: b.alphas, Resolutions: b.res}
}

func newBook() (*book, error) {
	pb, err := paper.NewBook()
	if err != nil {
		return nil, fmt.Errorf("loading the published accuracies: %w", err)
	}
	b := &book{pb: pb, fit: pb.Fit}
	for _, c := range pb.Checkpoints {
		if !slices.Contains(b.alphas, c.Alpha) {
			b.alphas = append(b.alphas, c.Alpha)
		}
		if !slices.Contains(b.res, c.Resolution) {
			b.res = append(b.res, c.Resolution)
		}
	}
	slices.Sort(b.alphas)
	slices.Reverse(b.alphas)
	slices.Sort(b.res)
	b.grids = map[paper.Family]paper.Grid{}
	for _, f := range []paper.Family{paper.MobileNetV1, paper.MobileNetV2, paper.MobileNetV3Large, paper.MobileNetV3Small} {
		g, ok, err := paper.GridOf(f)
		if err != nil {
			return nil, err
		}
		if ok {
			b.grids[f] = g
		}
	}
	if b.baselines, err = loadBaselines(pb.Baselines); err != nil {
		return nil, err
	}
	mn, err := ExampleEntry(paper.ModelOf(paper.MobileNetV1))
	if err != nil {
		return nil, err
	}
	b.mobilenet = b.grid(mn, paper.MobileNetV1)
	return b, nil
}

// loadBaselines analyses the baselines of the paper's Tables 8 and 9 (their
// example specs), with their labels and published accuracy.
func loadBaselines(bs []paper.Accuracy) ([]baseline, error) {
	out := make([]baseline, 0, len(bs))
	for _, a := range bs {
		n, err := examples.Load(a.Model)
		if err != nil {
			return nil, err
		}
		r, err := analyze.Spec(n, spec.Options{Alpha: a.Alpha, Resolution: a.Resolution})
		if err != nil {
			return nil, fmt.Errorf("analysing %s: %w", a.Model, err)
		}
		out = append(out, baseline{example: a.Model, label: a.Label, table: a.Table,
			top1: strconv.FormatFloat(a.Top1, 'f', 1, 64) + "%", top1Value: a.Top1,
			multAdds: r.Totals.MultAdds, params: r.Totals.Params})
	}
	return out, nil
}

// identify recognises an entry's network (at its own configuration) by
// its architecture.
func (b *book) identify(e Entry) paper.Identity {
	r, err := analyze.Spec(e.Network, spec.Options{})
	if err != nil {
		return paper.Identity{}
	}
	return b.pb.Identifier.Identify(r)
}

// accuracyOf is the accuracy paper's policy shows for an analysed
// configuration: TF-slim's for MobileNet v1, or else the fit's estimate;
// the paper's for a baseline of Tables 8 and 9 as published; none
// otherwise.
func (b *book) accuracyOf(r *analyze.Report) (paper.Identity, accuracy) {
	id, rep := b.pb.Accuracy(r, paper.Policy{Estimate: true})
	acc := accuracy{top1: rep.Top1, extrapolated: rep.Extrapolated, table: rep.Table}
	switch rep.Source {
	case paper.FromCheckpoint:
		acc.kind, acc.top5 = accPublished, rep.Top5
	case paper.Estimated:
		acc.kind = accEstimated
	case paper.FromPaper:
		acc.kind = accPaper
	default:
		acc = accuracy{}
	}
	return id, acc
}

// analyse computes the analysis of a configuration.
func (b *book) analyse(entries []Entry, c config) (*analysis, error) {
	e := entries[c.entry]
	r, err := analyze.Spec(e.Network, c.options())
	if err != nil {
		return nil, err
	}
	a := &analysis{cfg: c, report: r}
	a.id, a.acc = b.accuracyOf(r)
	return a, nil
}

// grid analyses an entry at its family's grid (gridOf), in the order of
// its α (descending) then resolutions (ascending), with the published
// accuracy (or v1's estimate) of each point for the MobileNet families.
func (b *book) grid(e Entry, f paper.Family) []gridPoint {
	g := b.gridOf(f)
	mobilenet := f == paper.MobileNetV1 || f == paper.MobileNetV2 || f == paper.MobileNetV3Large || f == paper.MobileNetV3Small
	out := make([]gridPoint, 0, len(g.Alphas)*len(g.Resolutions))
	for _, a := range g.Alphas {
		for _, res := range g.Resolutions {
			p := gridPoint{alpha: a, res: res}
			r, err := analyze.Spec(e.Network, spec.Options{Alpha: a, Resolution: res})
			if err != nil {
				p.err = err
			} else {
				p.totals = r.Totals
				if mobilenet {
					_, p.acc = b.accuracyOf(r)
				}
			}
			out = append(out, p)
		}
	}
	return out
}
