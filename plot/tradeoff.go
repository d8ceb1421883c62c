package plot

import (
	"fmt"
	"sort"
	"time"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/analyze/paper"
	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/spec"
)

// Point is one MobileNet v1 configuration with its exact cost and its
// accuracy, and where that accuracy comes from.
type Point struct {
	Config
	MultAdds int64   // exact multiply-accumulates (analyze)
	Params   int64   // exact weights (analyze)
	Top1     float64 // ImageNet top-1, %
	Source   Source
	Table    string // the paper's table, for Source Paper
	// Extrapolated marks an estimate outside the published range of
	// mult-adds and parameters.
	Extrapolated bool
	Highlight    bool
	Latency      time.Duration // measured median (pareto only)
}

// Baseline is one of the networks the paper compares MobileNet with
// (Tables 8 and 9): the paper's accuracy, mnet's exact cost of the example
// spec.
type Baseline struct {
	Name     string // GoogLeNet, VGG16, SqueezeNet, AlexNet
	Model    string // the example spec
	MultAdds int64
	Params   int64
	Top1     float64
	Table    string
}

// Tradeoff is the data of the tradeoff and params charts.
type Tradeoff struct {
	Accuracy string // "slim" or "paper"
	// Points are the 16 published configurations (α descending, then
	// resolution descending), then highlighted configurations not among
	// them.
	Points    []Point
	Published int // Points[:Published] are the published configurations
	Baselines []Baseline
	Fit       *paper.Fit
	Citation  string // TF-slim's table
	Classes   int    // the classifier width costs are counted at
}

// TradeoffData computes the points of the tradeoff and params charts: the
// 16 TF-slim configurations of MobileNet v1 with analyze's exact totals and
// the published accuracy from the chosen source, the highlighted
// configurations (estimated when nothing is published), and the baselines.
func TradeoffData(accuracy string, highlight []Config) (*Tradeoff, error) {
	mode, pol, err := policy(accuracy)
	if err != nil {
		return nil, err
	}
	book, err := paper.NewBook()
	if err != nil {
		return nil, err
	}
	n, err := examples.Load(paper.ModelOf(paper.MobileNetV1))
	if err != nil {
		return nil, err
	}
	d := &Tradeoff{Accuracy: mode, Fit: book.Fit, Citation: book.CheckpointsCitation, Classes: n.Classes}
	var configs []Config
	for _, c := range book.Checkpoints {
		configs = append(configs, Config{c.Alpha, c.Resolution})
	}
	sort.SliceStable(configs, func(i, j int) bool {
		if configs[i].Alpha != configs[j].Alpha {
			return configs[i].Alpha > configs[j].Alpha
		}
		return configs[i].Resolution > configs[j].Resolution
	})
	d.Published = len(configs)
	for _, h := range highlight {
		if !containsConfig(configs, h) {
			configs = append(configs, h)
		}
	}
	if d.Points, err = points(n, book, pol, configs); err != nil {
		return nil, err
	}
	for i := range d.Points {
		d.Points[i].Highlight = containsConfig(highlight, d.Points[i].Config)
	}
	for _, b := range book.Baselines {
		bn, err := examples.Load(b.Model)
		if err != nil {
			return nil, err
		}
		r, err := analyze.Spec(bn, spec.Options{})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", b.Model, err)
		}
		name := string(paper.FamilyOf(b.Model))
		if name == "" {
			name = b.Label
		}
		d.Baselines = append(d.Baselines, Baseline{Name: name, Model: b.Model, MultAdds: r.Totals.MultAdds,
			Params: r.Totals.Params, Top1: b.Top1, Table: b.Table})
	}
	return d, nil
}

// points analyzes MobileNet v1 (n, its defining spec) at each
// configuration and gives it the accuracy of book's policy.
func points(n *spec.Network, book *paper.Book, pol paper.Policy, configs []Config) ([]Point, error) {
	out := make([]Point, 0, len(configs))
	for _, c := range configs {
		if err := c.check(); err != nil {
			return nil, err
		}
		r, err := analyze.Spec(n, spec.Options{Alpha: c.Alpha, Resolution: c.Resolution})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c, err)
		}
		p := Point{Config: c, MultAdds: r.Totals.MultAdds, Params: r.Totals.Params}
		id := paper.Identity{Family: paper.MobileNetV1, Model: paper.ModelOf(paper.MobileNetV1), Alpha: c.Alpha, Resolution: c.Resolution, Classes: r.Graph.Classes}
		acc := book.AccuracyOf(id, r.Totals, pol)
		p.Top1, p.Source, p.Table, p.Extrapolated = acc.Top1, acc.Source, acc.Table, acc.Extrapolated
		out = append(out, p)
	}
	return out, nil
}

func containsConfig(cs []Config, c Config) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}
