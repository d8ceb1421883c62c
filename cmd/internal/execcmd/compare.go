package execcmd

import (
	"context"
	"fmt"
	"strconv"

	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/internal/render"
)

// runCompare measures two networks and sets the measured speed-up beside
// the theoretical ratio of their mult-adds (the paper's Table 4 in time).
func runCompare(ctx context.Context, o *Options) error {
	a, err := measure(ctx, o, o.Specs[0])
	if err != nil {
		return err
	}
	b, err := measure(ctx, o, o.Specs[1])
	if err != nil {
		return err
	}
	speedup := a.Result.Latency.Median.Seconds() / b.Result.Latency.Median.Seconds()
	ratio := float64(a.Result.MultAdds) / float64(b.Result.MultAdds)
	t := &render.Table{
		Title:  fmt.Sprintf("%s vs %s: measured speed-up beside the mult-add ratio", a.Report.Graph.Name, b.Report.Graph.Name),
		Header: []string{"Network", "Mult-Adds", "Median ms", "p90 ms", "GFLOP/s"},
		Align:  []render.Align{render.Left, render.Right, render.Right, render.Right, render.Right},
	}
	csv := &render.Table{Header: []string{"network", "mult_adds", "median_ms", "p90_ms", "gflops"}}
	for _, m := range []*measurement{a, b} {
		row := []string{m.Report.Graph.Name, render.Int(m.Result.MultAdds), ms(m.Result.Latency.Median),
			ms(m.Result.Latency.P90), strconv.FormatFloat(m.Result.GFLOPS, 'f', 1, 64)}
		t.Rows = append(t.Rows, row)
		row = append([]string(nil), row...)
		row[1] = strconv.FormatInt(m.Result.MultAdds, 10)
		csv.Rows = append(csv.Rows, row)
	}
	t.Notes = []string{
		fmt.Sprintf("Measured speed-up of %s over %s: %.2fx; ratio of mult-adds: %.2fx; the speed-up realises %.0f%% of the theoretical saving.",
			b.Report.Graph.Name, a.Report.Graph.Name, speedup, ratio, 100*speedup/ratio),
	}
	return cmdutil.Print(o.IO, o.Format, cmdutil.Data{
		JSON: struct {
			A        jsonReport `json:"a"`
			B        jsonReport `json:"b"`
			Speedup  float64    `json:"measured_speedup"`
			MARatio  float64    `json:"mult_adds_ratio"`
			Realized float64    `json:"realized_fraction"`
		}{toJSON(a), toJSON(b), speedup, ratio, speedup / ratio},
		CSV: csv,
		Doc: cmdutil.Doc{cmdutil.Heading{heading(a), heading(b)}, cmdutil.Table{Table: t}},
	})
}
