package analyzecmd

import (
	"mnet.dev/mnet/analyze"
)

// The JSON report is a stable contract: fields are only ever added.
type jsonReport struct {
	Model       string      `json:"model"`
	File        string      `json:"file,omitempty"`
	Alpha       float64     `json:"alpha"`
	Resolution  int         `json:"resolution"`
	Rho         float64     `json:"rho"`
	Classes     int         `json:"classes"`
	Rounding    string      `json:"rounding"`
	Padding     string      `json:"padding"`
	Input       jsonInput   `json:"input"`
	Conventions []string    `json:"conventions"`
	Totals      jsonTotals  `json:"totals"`
	ByType      []jsonType  `json:"by_type"`
	Layers      []jsonLayer `json:"layers"`
}

type jsonInput struct {
	Height   int `json:"height"`
	Width    int `json:"width"`
	Channels int `json:"channels"`
}

type jsonTotals struct {
	MultAdds            int64  `json:"mult_adds"`
	FLOPs               int64  `json:"flops"`
	Params              int64  `json:"params"`
	ParamsWithBias      int64  `json:"params_with_bias"`
	ParamsTrainable     int64  `json:"params_trainable"`
	ParamsKeras         int64  `json:"params_keras"`
	WeightBytes         int64  `json:"weight_bytes"`
	PeakActivationBytes int64  `json:"peak_activation_bytes"`
	PeakActivationLayer string `json:"peak_activation_layer"`
}

type jsonType struct {
	Type          string  `json:"type"`
	Layers        int     `json:"layers"`
	MultAdds      int64   `json:"mult_adds"`
	Params        int64   `json:"params"`
	MultAddsShare float64 `json:"mult_adds_share"`
	ParamsShare   float64 `json:"params_share"`
}

type jsonLayer struct {
	Name        string  `json:"name"`
	Type        string  `json:"type"`
	Op          string  `json:"op"`
	Block       string  `json:"block,omitempty"`
	Input       [3]int  `json:"input"`
	Output      [3]int  `json:"output"`
	MultAdds    int64   `json:"mult_adds"`
	Params      int64   `json:"params"`
	Biases      int64   `json:"biases"`
	BNChannels  int64   `json:"bn_channels"`
	OutputBytes int64   `json:"output_bytes"`
	WeightBytes int64   `json:"weight_bytes"`
	Intensity   float64 `json:"intensity"`
}

// JSON returns the report in its stable JSON shape.
func JSON(r *analyze.Report) any {
	g := r.Graph
	t := r.Totals
	out := jsonReport{
		Model: g.Name, File: g.File, Alpha: g.Alpha, Resolution: g.Resolution, Rho: g.Rho, Classes: g.Classes,
		Rounding: string(g.Rounding), Padding: string(g.Padding),
		Input:       jsonInput{g.Input.H, g.Input.W, g.Input.C},
		Conventions: analyze.Conventions(),
		Totals: jsonTotals{MultAdds: t.MultAdds, FLOPs: 2 * t.MultAdds, Params: t.Params, ParamsWithBias: t.ParamsWithBias,
			ParamsTrainable: t.ParamsTrainable, ParamsKeras: t.ParamsKeras, WeightBytes: t.WeightBytes,
			PeakActivationBytes: t.PeakActivationBytes, PeakActivationLayer: r.Layers[t.PeakActivationLayer].Name},
		ByType: make([]jsonType, len(r.ByType)),
		Layers: make([]jsonLayer, len(r.Layers)),
	}
	for i, tc := range r.ByType {
		out.ByType[i] = jsonType{tc.Type, tc.Layers, tc.MultAdds, tc.Params, tc.MultAddsShare, tc.ParamsShare}
	}
	for i, l := range r.Layers {
		out.Layers[i] = jsonLayer{Name: l.Name, Type: l.Type, Op: l.Op.String(), Block: l.Block,
			Input: [3]int{l.In.H, l.In.W, l.In.C}, Output: [3]int{l.Out.H, l.Out.W, l.Out.C},
			MultAdds: l.MultAdds, Params: l.Weights, Biases: l.Biases, BNChannels: l.BNChannels,
			OutputBytes: l.OutputBytes, WeightBytes: l.WeightBytes, Intensity: l.Intensity}
	}
	return out
}
