package plot_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot/cmpimg"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/exec"
	"mnet.dev/mnet/internal/golden"
	"mnet.dev/mnet/plot"
	"mnet.dev/mnet/spec"
)

// The examples write their charts to testdata/ (ignored by git), at a
// quarter of the default pixels; TestExamplesGolden runs them and compares
// each image with its golden file.

// The paper's Figure 4, with a configuration of no published checkpoint
// highlighted: its accuracy is estimated, and drawn as such.
func ExampleSave() {
	req := plot.Request{Kind: plot.KindTradeoff, Highlight: []plot.Config{{Alpha: 0.6, Resolution: 200}}, DPI: plot.DefaultDPI / 2}
	if err := plot.Save(req, "testdata/tradeoff.png"); err != nil {
		log.Fatal(err)
	}
	fmt.Println("wrote testdata/tradeoff.png")
	// Output: wrote testdata/tradeoff.png
}

// The data of a chart can be computed, inspected and drawn apart: here
// the paper's Table 2 for SqueezeNet.
func ExampleDrawByType() {
	n, err := examples.Load("squeezenet")
	if err != nil {
		log.Fatal(err)
	}
	r, err := analyze.Spec(n, spec.Options{})
	if err != nil {
		log.Fatal(err)
	}
	d := plot.ByTypeData(r, nil)
	for _, t := range d.Types[:2] {
		fmt.Printf("%s: %.1f%% of mult-adds, %.1f%% of parameters\n", t.Type, 100*t.MultAddsShare, 100*t.ParamsShare)
	}
	f, err := os.Create("testdata/bytype_squeezenet.png")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	if err := plot.DrawByType(d).Write(f, "png", plot.Size{DPI: plot.DefaultDPI / 2}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// Conv 3x3: 52.0% of mult-adds, 44.4% of parameters
	// Conv 1x1: 27.9% of mult-adds, 54.4% of parameters
}

// plot draws measurements it is given: ParetoConfigs lists what to
// measure, ParetoData takes one exec.Result per configuration (here
// made-up latencies, proportional to the mult-adds; mnet plot pareto
// measures them with exec.MeasureInterleaved).
func ExampleParetoData() {
	reps, err := plot.ParetoConfigs([]float64{1, 0.75, 0.5, 0.25}, []int{224, 160, 128})
	if err != nil {
		log.Fatal(err)
	}
	results := make([]*exec.Result, len(reps))
	for i, r := range reps {
		ms := time.Duration(float64(r.Totals.MultAdds)/40e6*float64(time.Millisecond)) + 300*time.Microsecond
		results[i] = &exec.Result{Latency: exec.Stats{Median: ms, Runs: 20}, Kernels: "example", Threads: 1}
	}
	mach := plot.Machine{CPU: "made-up latencies", Kernels: "example", Threads: 1, Runs: 20, Rounds: 5}
	d, err := plot.ParetoData(plot.AccuracySlim, reps, results, mach)
	if err != nil {
		log.Fatal(err)
	}
	for _, i := range d.Frontier[:3] {
		p := d.Points[i]
		fmt.Printf("%s: %v, top-1 %.1f%%\n", p.Config, p.Latency, p.Top1)
	}
	f, err := os.Create("testdata/pareto.png")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	if err := plot.DrawPareto(d).Write(f, "png", plot.Size{DPI: plot.DefaultDPI / 2}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// 0.25 MobileNet-128: 639.251µs, top-1 41.5%
	// 0.25 MobileNet-160: 826.48µs, top-1 45.5%
	// 0.25 MobileNet-224: 1.325756ms, top-1 49.8%
}

// A measured chart from a Request: Reports lists the configurations, exec
// measures them, Measured hands the results to the chart.
func ExampleRequest_Reports() {
	req := plot.Request{Kind: plot.KindGrid, Measure: true, Alphas: []float64{0.25, 0.5}, Resolutions: []int{64, 96}, DPI: plot.DefaultDPI / 2}
	reps, err := req.Reports()
	if err != nil {
		log.Fatal(err)
	}
	res, rounds, err := exec.MeasureInterleaved(context.Background(), reps, exec.Options{Threads: 1}, exec.MeasureOptions{Warmup: 1, Runs: 3}, 3)
	if err != nil {
		log.Fatal(err)
	}
	req.Measured = &plot.Measured{Results: res, Machine: plot.Machine{GOARCH: runtime.GOARCH, Kernels: res[0].Kernels, Threads: 1, Runs: 3, Rounds: rounds}}
	if err := plot.Save(req, "testdata/grid_measured.png"); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("measured %d configurations in %d rounds\n", len(res), rounds)
	// Output: measured 4 configurations in 3 rounds
}

// The points of the trade-off charts: analyze's exact cost and the
// accuracy paper's policy gives, with where it comes from.
func ExampleTradeoffData() {
	d, err := plot.TradeoffData(plot.AccuracyPaper, []plot.Config{{Alpha: 0.6, Resolution: 200}})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range d.Points {
		if p.Alpha == 0.5 && p.Resolution == 160 || p.Highlight {
			fmt.Printf("%s: %d mult-adds, top-1 %.1f%% (%s)\n", p.Config, p.MultAdds, p.Top1, p.Source)
		}
	}
	fmt.Println(d.Baselines[1].Name, d.Baselines[1].MultAdds, d.Baselines[1].Top1)
	// Output:
	// 0.5 MobileNet-160: 76524800 mult-adds, top-1 60.2% (paper)
	// 0.6 MobileNet-200: 180346569 mult-adds, top-1 63.6% (estimated)
	// VGG16 15470264320 71.5
}

// Every layer's costs along the depth, for the layers chart.
func ExampleLayersData() {
	n, err := examples.Load("vgg16")
	if err != nil {
		log.Fatal(err)
	}
	r, err := analyze.Spec(n, spec.Options{})
	if err != nil {
		log.Fatal(err)
	}
	d := plot.LayersData(r, nil)
	fmt.Println(len(d.Layers), "layers of", len(d.Types), "types")
	l := d.Layers[len(d.Layers)-4]
	fmt.Printf("%s: %d parameters\n", l.Name, l.Params)
	// Output:
	// 22 layers of 4 types
	// fc6: 102760448 parameters
}

// The frontier of measured points: none of them is both faster and more
// accurate than another on it.
func ExampleParetoFrontier() {
	ms := time.Millisecond
	pts := []plot.Point{{Top1: 70, Latency: 10 * ms}, {Top1: 68, Latency: 12 * ms}, {Top1: 65, Latency: 5 * ms}, {Top1: 50, Latency: ms}}
	fmt.Println(plot.ParetoFrontier(pts))
	// Output: [3 2 0]
}

// The output format follows the file's extension.
func ExampleFormatOf() {
	for _, p := range []string{"chart.svg", "chart", "chart.PDF", "chart.gif"} {
		f, err := plot.FormatOf(p)
		fmt.Printf("%q %v\n", f, err)
	}
	// Output:
	// "svg" <nil>
	// "png" <nil>
	// "pdf" <nil>
	// "" chart.gif: unknown image format ".gif" (want .png, .svg or .pdf)
}

// TestExamplesGolden runs the examples that draw deterministic charts, as
// gonum/plot's do, and compares the images they write with their golden
// files, within the tolerance of the other chart goldens
// (ExampleRequest_Reports measures, so its image is only decoded).
func TestExamplesGolden(t *testing.T) {
	for _, c := range []struct {
		name    string
		example func()
		golden  bool
	}{
		{"tradeoff.png", ExampleSave, true},
		{"bytype_squeezenet.png", ExampleDrawByType, true},
		{"pareto.png", ExampleParetoData, true},
		{"grid_measured.png", ExampleRequest_Reports, false},
	} {
		path := golden.Path(t, c.name)
		t.Run(strings.TrimSuffix(c.name, ".png"), func(t *testing.T) {
			c.example() // writes testdata/NAME
			b, err := os.ReadFile(filepath.Join("testdata", c.name))
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := png.DecodeConfig(bytes.NewReader(b))
			if err != nil || cfg.Width != plot.DefaultWidth/2 || cfg.Height != plot.DefaultHeight/2 {
				t.Fatalf("%s: %+v, %v", c.name, cfg, err)
			}
			if c.golden {
				golden.CheckWith(t, path, b, func(got, want []byte) (bool, string, error) {
					ok, err := cmpimg.EqualApprox("png", got, want, 0.001)
					return ok, "", err
				})
			}
		})
	}
}
