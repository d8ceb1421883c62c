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

// book is the reference data loaded once: TF-slim's checkpoints, the
// accuracy fit, the baselines and MobileNet v1's published grid.
type book struct {
	cps       []paper.Checkpoint
	cite      string
	fit       *paper.Fit
	alphas    []float64 // the grid's α, descending
	res       []int     // the grid's resolutions, ascending
	baselines []baseline
	mobilenet []gridPoint // MobileNet v1 at the 16 published configurations
}

func newBook() (*book, error) {
	b := &book{}
	var err error
	if b.cps, b.cite, err = paper.Checkpoints(); err != nil {
		return nil, fmt.Errorf("loading the published checkpoints: %w", err)
	}
	if b.fit, err = paper.NewFit(); err != nil {
		return nil, fmt.Errorf("fitting the accuracy estimate: %w", err)
	}
	for _, c := range b.cps {
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
	if b.baselines, err = loadBaselines(); err != nil {
		return nil, err
	}
	mn, err := ExampleEntry("mobilenet_v1")
	if err != nil {
		return nil, err
	}
	b.mobilenet = b.grid(mn)
	return b, nil
}

// loadBaselines analyses the baselines of the paper's Tables 8 and 9 (their
// example specs) and takes their labels and published accuracy from
// paper.Baselines.
func loadBaselines() ([]baseline, error) {
	bs, err := paper.Baselines()
	if err != nil {
		return nil, fmt.Errorf("loading the paper's tables: %w", err)
	}
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

// accuracyOf is the published accuracy of a configuration: TF-slim's for
// MobileNet v1, or else the fit's estimate; the paper's for a baseline of
// Tables 8 and 9 as published; none otherwise.
func (b *book) accuracyOf(e Entry, alpha float64, res int, t analyze.Totals) accuracy {
	if !e.Checkpoints {
		for _, bl := range b.baselines {
			if bl.example == e.Name && bl.top1 != "" && bl.multAdds == t.MultAdds && bl.params == t.Params {
				return accuracy{kind: accPaper, top1: bl.top1Value, table: bl.table}
			}
		}
		return accuracy{}
	}
	if c, ok := paper.Lookup(b.cps, alpha, res); ok {
		return accuracy{kind: accPublished, top1: c.Top1, top5: c.Top5}
	}
	top1, extra := b.fit.Estimate(t.MultAdds, t.Params)
	return accuracy{kind: accEstimated, top1: top1, extrapolated: extra}
}

// analyse computes the analysis of a configuration.
func (b *book) analyse(entries []Entry, c config) (*analysis, error) {
	e := entries[c.entry]
	r, err := analyze.Spec(e.Network, c.options())
	if err != nil {
		return nil, err
	}
	return &analysis{cfg: c, report: r, acc: b.accuracyOf(e, c.alpha, c.res, r.Totals)}, nil
}

// grid analyses an entry at the published grid's 16 configurations, in
// the order of b.alphas (descending) then b.res (ascending).
func (b *book) grid(e Entry) []gridPoint {
	out := make([]gridPoint, 0, len(b.alphas)*len(b.res))
	for _, a := range b.alphas {
		for _, res := range b.res {
			p := gridPoint{alpha: a, res: res}
			r, err := analyze.Spec(e.Network, spec.Options{Alpha: a, Resolution: res})
			if err != nil {
				p.err = err
			} else {
				p.totals = r.Totals
				if e.Checkpoints { // the budget ranks by accuracy only where all points have one
					p.acc = b.accuracyOf(e, a, res, r.Totals)
				}
			}
			out = append(out, p)
		}
	}
	return out
}
