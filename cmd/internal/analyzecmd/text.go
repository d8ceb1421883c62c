package analyzecmd

import (
	"fmt"
	"strings"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/cmd/internal/cmdutil"
	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/internal/render"
)

func exampleNames() string { return strings.Join(examples.Names(), ", ") }

// Heading describes the configuration in one line.
func Heading(r *analyze.Report) string {
	g := r.Graph
	name := g.Name
	if name == "" {
		name = g.File
	}
	return fmt.Sprintf("%s  α %s, %dx%dx%d input (ρ %.3f), %d classes, rounding %s, padding %s",
		name, render.Alpha(g.Alpha), g.Input.H, g.Input.W, g.Input.C, g.Rho, g.Classes, g.Rounding, g.Padding)
}

// TypeTable is the per-type summary (the paper's Table 2) with a total row.
func TypeTable(r *analyze.Report) *render.Table {
	t := &render.Table{
		Title:  "Per layer type (the paper's Table 2)",
		Header: []string{"Type", "Layers", "Mult-Adds", "Share", "Parameters", "Share"},
		Align:  []render.Align{render.Left, render.Right, render.Right, render.Right, render.Right, render.Right},
	}
	layers := 0
	for _, tc := range r.ByType {
		t.Rows = append(t.Rows, []string{tc.Type, fmt.Sprint(tc.Layers), render.Int(tc.MultAdds),
			render.Percent(tc.MultAddsShare, 2), render.Int(tc.Params), render.Percent(tc.ParamsShare, 2)})
		layers += tc.Layers
	}
	t.Rows = append(t.Rows, []string{"Total", fmt.Sprint(layers), render.Int(r.Totals.MultAdds), "100.00%",
		render.Int(r.Totals.Params), "100.00%"})
	t.Emph = make([]bool, len(t.Rows))
	t.Emph[len(t.Rows)-1] = true
	return t
}

// LayerTable lists every layer.
func LayerTable(r *analyze.Report) *render.Table {
	t := &render.Table{
		Title: "Per layer",
		Header: []string{"#", "Name", "Type", "Input", "Output", "Mult-Adds", "Weights", "Biases", "BN ch",
			"Out bytes", "Wt bytes", "MA/byte"},
		Align: []render.Align{render.Right, render.Left, render.Left, render.Right, render.Right, render.Right,
			render.Right, render.Right, render.Right, render.Right, render.Right, render.Right},
	}
	for _, l := range r.Layers {
		t.Rows = append(t.Rows, []string{fmt.Sprint(l.Index + 1), l.Name, l.Type, l.In.String(), l.Out.String(),
			render.Int(l.MultAdds), render.Int(l.Weights), render.Int(l.Biases), render.Int(l.BNChannels),
			render.Int(l.OutputBytes), render.Int(l.WeightBytes), render.Float(l.Intensity, 2)})
	}
	return t
}

// TotalsTable lists the totals under every parameter convention.
func TotalsTable(r *analyze.Report) *render.Table {
	t := r.Totals
	peakAt := r.Layers[t.PeakActivationLayer].Name
	return &render.Table{
		Title:  "Totals",
		Header: []string{"Quantity", "Value", "Meaning"},
		Align:  []render.Align{render.Left, render.Right, render.Left},
		Rows: [][]string{
			{"Mult-adds", render.Int(t.MultAdds), fmt.Sprintf("%s M; %s MFLOPs (FLOPs = 2 x mult-adds)", render.Millions(t.MultAdds, 2), render.Millions(2*t.MultAdds, 2))},
			{"Parameters", render.Int(t.Params), fmt.Sprintf("%s M, weights only (the paper's convention)", render.Millions(t.Params, 2))},
			{"  + biases", render.Int(t.ParamsWithBias), "weights and the layers' own biases"},
			{"  trainable", render.Int(t.ParamsTrainable), "+ batch norm scale and shift (PyTorch's count)"},
			{"  Keras total", render.Int(t.ParamsKeras), "+ batch norm moving mean and variance"},
			{"Weight memory", render.Int(t.WeightBytes), render.Bytes(t.WeightBytes) + " float32, batch norm folded into biases"},
			{"Peak activations", render.Int(t.PeakActivationBytes), fmt.Sprintf("%s float32 per image, at %s", render.Bytes(t.PeakActivationBytes), peakAt)},
		},
	}
}

// Doc is the text report: the heading, the per-type and totals tables,
// with layers the per-layer table, and the counting conventions.
func Doc(r *analyze.Report, layers bool) cmdutil.Doc {
	d := cmdutil.Doc{cmdutil.Heading{Heading(r)}, cmdutil.Table{Table: TypeTable(r)}, cmdutil.Table{Table: TotalsTable(r)}}
	if layers {
		d = append(d, cmdutil.Table{Table: LayerTable(r)})
	}
	return append(d, cmdutil.List{Title: "Conventions:", Items: analyze.Conventions()})
}
