package plot

import (
	"fmt"
	"strconv"
	"strings"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/analyze/paper"
	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/spec"
)

// Chart kinds.
const (
	KindTradeoff = "tradeoff"
	KindParams   = "params"
	KindByType   = "bytype"
	KindLayers   = "layers"
	KindPareto   = "pareto"
	KindGrid     = "grid"
	// KindGenerations is MobileNet v1, V2 and V3 with the baselines on
	// one accuracy / mult-add plane, with the Pareto front across them.
	KindGenerations = "generations"
)

// Kinds lists the chart kinds Save draws.
func Kinds() []string {
	return []string{KindTradeoff, KindParams, KindByType, KindLayers, KindPareto, KindGrid, KindGenerations}
}

// Config is one MobileNet configuration: width multiplier and input
// resolution in pixels.
type Config struct {
	Alpha      float64
	Resolution int
}

// String prints a configuration the paper's way: "0.75 MobileNet-160".
func (c Config) String() string {
	return fmt.Sprintf("%s MobileNet-%d", alphaText(c.Alpha), c.Resolution)
}

// check refuses what spec.Options would read as "the spec's default" (a
// zero α or resolution) and values out of range (spec's limits).
func (c Config) check() error {
	if err := spec.CheckAlpha(c.Alpha); err != nil {
		return fmt.Errorf("configuration %s: %w", c, err)
	}
	if err := spec.CheckResolution(c.Resolution); err != nil {
		return fmt.Errorf("configuration %s: %w", c, err)
	}
	return nil
}

// Request describes a chart for Save.
type Request struct {
	Kind    string        // one of Kinds()
	Network *spec.Network // for bytype, layers and grid (nil: MobileNet v1)
	Options spec.Options  // α, resolution etc. for bytype and layers; classes, rounding, padding for grid
	// Highlight marks configurations on tradeoff and params (the TUI's
	// current one); those without a published accuracy are estimated.
	Highlight []Config
	Accuracy  string // "slim" (default) or "paper"
	// Measure adds measured time (bytype, layers, grid); pareto always
	// draws measured latency. The measurements are the caller's (package
	// exec): Measured, one result per configuration of Reports.
	Measure  bool
	Measured *Measured
	// Alphas and Resolutions span grid and pareto (nil: the 16 published
	// checkpoints' α 1, 0.75, 0.5, 0.25 and resolutions 224, 192, 160, 128).
	Alphas      []float64
	Resolutions []int
	// Width and Height in pixels and DPI; 0 keeps the chart's default size
	// in inches (8 x 5.33, layers taller) at the DPI (default 150): 1200 x
	// 800 pixels by default.
	Width, Height int
	DPI           int
}

// Limits on requests.
const (
	maxGridCells = 1024 // grid (drawn cells)
	// MaxMeasured bounds the configurations of a measured chart (pareto,
	// grid with Measure): what a caller may be asked to measure.
	MaxMeasured = 256
)

// DefaultGrid returns TF-slim's published grid, the default ranges of grid
// and pareto: α 1, 0.75, 0.5, 0.25 and resolutions 224, 192, 160, 128.
func DefaultGrid() (alphas []float64, resolutions []int) {
	return []float64{1, 0.75, 0.5, 0.25}, []int{224, 192, 160, 128}
}

// Check validates a request before anything is computed or measured.
func (r *Request) Check() error {
	if !isKind(r.Kind) {
		return fmt.Errorf("unknown chart kind %q (want %s)", r.Kind, strings.Join(Kinds(), ", "))
	}
	switch r.Accuracy {
	case "", AccuracySlim, AccuracyPaper:
	default:
		return fmt.Errorf("accuracy source %q: want %s or %s", r.Accuracy, AccuracySlim, AccuracyPaper)
	}
	if err := (Size{r.Width, r.Height, r.DPI}).Check(); err != nil {
		return err
	}
	for _, a := range r.Alphas {
		if err := spec.CheckAlpha(a); err != nil {
			return err
		}
	}
	for _, res := range r.Resolutions {
		if err := spec.CheckResolution(res); err != nil {
			return err
		}
	}
	if (r.Alphas != nil && len(r.Alphas) == 0) || (r.Resolutions != nil && len(r.Resolutions) == 0) {
		return fmt.Errorf("empty α or resolution range")
	}
	for _, c := range r.Highlight {
		if err := c.check(); err != nil {
			return fmt.Errorf("highlighted %w", err)
		}
	}
	alphas, res := r.grid()
	n := len(uniqFloats(alphas)) * len(uniqInts(res))
	switch {
	case r.Kind == KindGrid && n > maxGridCells:
		return fmt.Errorf("the grid has %d cells; the limit is %d", n, maxGridCells)
	case r.Kind == KindGrid && r.Measure && n > MaxMeasured, r.Kind == KindPareto && n > MaxMeasured:
		return fmt.Errorf("%d configurations to measure; the limit is %d", n, MaxMeasured)
	}
	return nil
}

// measuring reports whether the chart draws measured time.
func (r *Request) measuring() bool {
	return r.Kind == KindPareto || r.Measure && (r.Kind == KindByType || r.Kind == KindLayers || r.Kind == KindGrid || r.Kind == KindGenerations)
}

// Reports returns the analysed configurations a measured chart draws, in
// the order Measured.Results must follow: the one configuration of bytype
// and layers (measure it with a per-layer profile), every cell of grid
// (ascending resolution, then ascending α), every point of pareto (α
// descending, then resolution descending). It is nil for a chart that
// measures nothing.
func (r *Request) Reports() ([]*analyze.Report, error) {
	if err := r.Check(); err != nil {
		return nil, err
	}
	if !r.measuring() {
		return nil, nil
	}
	n, err := r.network()
	if err != nil {
		return nil, err
	}
	switch r.Kind {
	case KindByType, KindLayers:
		rep, err := analyze.Spec(n, r.Options)
		if err != nil {
			return nil, err
		}
		return []*analyze.Report{rep}, nil
	case KindGrid:
		alphas, res := r.grid()
		g, err := GridData(n, r.Options, alphas, res)
		if err != nil {
			return nil, err
		}
		return g.Reports(), nil
	case KindGenerations:
		g, err := GenerationsData()
		if err != nil {
			return nil, err
		}
		return g.Reports(), nil
	}
	alphas, res := r.grid()
	return ParetoConfigs(alphas, res)
}

// network is the request's network, by default MobileNet v1.
func (r *Request) network() (*spec.Network, error) {
	if r.Network != nil {
		return r.Network, nil
	}
	return examples.Load(paper.ModelOf(paper.MobileNetV1))
}

// measured returns the request's measurements, checked against the n
// configurations of Reports.
func (r *Request) measured(n int) (*Measured, error) {
	if r.Measured == nil {
		return nil, fmt.Errorf("the %s chart draws measured time: Request.Measured holds none (measure Request.Reports with package exec)", r.Kind)
	}
	if len(r.Measured.Results) != n {
		return nil, fmt.Errorf("%d measurements for the %d configurations of the %s chart", len(r.Measured.Results), n, r.Kind)
	}
	for _, res := range r.Measured.Results {
		if res == nil {
			return nil, fmt.Errorf("a missing measurement for the %s chart", r.Kind)
		}
	}
	return r.Measured, nil
}

// grid returns the request's α and resolution ranges, defaulted.
func (r *Request) grid() ([]float64, []int) {
	a, res := r.Alphas, r.Resolutions
	da, dr := DefaultGrid()
	if a == nil {
		a = da
	}
	if res == nil {
		res = dr
	}
	return a, res
}

func (r *Request) size() Size { return Size{r.Width, r.Height, r.DPI} }

func isKind(k string) bool {
	for _, x := range Kinds() {
		if x == k {
			return true
		}
	}
	return false
}

// uniqFloats returns xs without repeats, in order.
func uniqFloats(xs []float64) []float64 {
	var out []float64
	seen := map[float64]bool{}
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func uniqInts(xs []int) []int {
	var out []int
	seen := map[int]bool{}
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// alphaText prints α as the paper does: 1.0, 0.75, 0.5, 0.25.
func alphaText(a float64) string {
	s := strconv.FormatFloat(a, 'g', -1, 64)
	if !strings.Contains(s, ".") && !strings.ContainsAny(s, "e") {
		s += ".0"
	}
	return s
}
