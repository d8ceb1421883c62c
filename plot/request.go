package plot

import (
	"fmt"
	"math"
	"strconv"
	"strings"

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
)

// Kinds lists the chart kinds Save draws.
func Kinds() []string {
	return []string{KindTradeoff, KindParams, KindByType, KindLayers, KindPareto, KindGrid}
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
// zero α or resolution) and values out of range.
func (c Config) check() error {
	if !validAlpha(c.Alpha) || !validResolution(c.Resolution) {
		return fmt.Errorf("configuration α %g, resolution %d out of range (0, 4] x [1, 65536]", c.Alpha, c.Resolution)
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
	// measures.
	Measure bool
	Threads int // threads for measurements (0: all cores)
	// Runs is the number of timed runs per configuration (0: 20).
	Runs int
	// Alphas and Resolutions span grid and pareto (nil: the 16 published
	// checkpoints' α 1, 0.75, 0.5, 0.25 and resolutions 224, 192, 160, 128).
	Alphas      []float64
	Resolutions []int
	// Width and Height in pixels and DPI; 0 keeps the chart's default size
	// in inches (8 x 5.33, layers taller) at the DPI (default 150): 1200 x
	// 800 pixels by default.
	Width, Height int
	DPI           int
	// Progress reports measurement progress in timed runs (may be nil).
	Progress func(done, total int)
}

// Limits on requests.
const (
	maxThreads     = 256
	maxRuns        = 10_000
	maxGridCells   = 1024 // grid (drawn cells)
	maxMeasured    = 256  // configurations measured by pareto or grid --measure
	defaultRuns    = 20
	defaultWarmups = 2
	defaultRounds  = 5 // interleaved rounds when measuring several configurations
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
	if r.Threads < 0 || r.Threads > maxThreads {
		return fmt.Errorf("%d threads out of range [0, %d]", r.Threads, maxThreads)
	}
	if r.Runs < 0 || r.Runs > maxRuns {
		return fmt.Errorf("%d runs out of range [0, %d]", r.Runs, maxRuns)
	}
	for _, a := range r.Alphas {
		if !validAlpha(a) {
			return fmt.Errorf("width multiplier %g out of range (0, 4]", a)
		}
	}
	for _, res := range r.Resolutions {
		if !validResolution(res) {
			return fmt.Errorf("resolution %d out of range [1, 65536]", res)
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
	case (r.Kind == KindPareto || r.Kind == KindGrid && r.Measure) && n > maxMeasured:
		return fmt.Errorf("%d configurations to measure; the limit is %d", n, maxMeasured)
	}
	return nil
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

func (r *Request) measurer() Measurer {
	return Measurer{Threads: r.Threads, Runs: r.Runs, Progress: r.Progress}
}

func isKind(k string) bool {
	for _, x := range Kinds() {
		if x == k {
			return true
		}
	}
	return false
}

func validAlpha(a float64) bool { return a > 0 && a <= 4 && !math.IsNaN(a) }

func validResolution(r int) bool { return r >= 1 && r <= 1<<16 }

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
