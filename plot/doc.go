// Package plot draws publication-quality charts of the MobileNet accuracy /
// cost trade-off and of any network's cost structure, with gonum/plot.
//
// Six kinds of chart (see Kinds):
//
//   - tradeoff: ImageNet top-1 accuracy against mult-adds (log axis) for the
//     16 α x resolution MobileNets (the paper's Figure 4), one line per α,
//     points labelled with their resolution, and the baselines of the
//     paper's Tables 8 and 9 (GoogLeNet, VGG16, SqueezeNet, AlexNet).
//   - params: the same against parameters (the paper's Figure 5).
//   - bytype: the paper's Table 2 as grouped bars, the share of mult-adds and
//     of parameters per layer type, and optionally of measured time.
//   - layers: mult-adds, parameters and activation memory of every layer
//     along the depth, coloured by type, and optionally measured time.
//   - pareto: measured latency on this machine against accuracy over an
//     α x resolution grid, with the Pareto frontier.
//   - grid: a heat map of mult-adds (or measured latency) over α x
//     resolution.
//
// Data and drawing are separate: TradeoffData, ByTypeData, LayersData,
// GridData and ParetoData compute what a chart shows (tested on their own;
// the accuracy of a configuration is analyze/paper's policy),
// and DrawTradeoff, DrawParams, DrawByType, DrawLayers, DrawGrid and
// DrawPareto turn it into a Figure, which writes PNG, SVG or PDF. Save does
// all of it for a Request, writing the file atomically.
//
// # Conventions
//
// Mult-adds are multiply-accumulates of the convolutions and fully
// connected layers, parameters are weights only (no biases, no batch norm),
// both counted exactly by package analyze (the paper's conventions).
//
// # Accuracy
//
// Accuracy is never invented silently. It comes from TF-slim's 16 published
// MobileNet v1 checkpoints ("slim", the default) or, with "paper", from the
// paper's own Tables 4-9 where it prints one (TF-slim's checkpoint
// elsewhere, drawn with an open marker). A configuration with neither gets
// the estimate of paper.Fit, a documented log-linear least-squares fit to
// the checkpoints; it is drawn with its own marker and legend entry, and the
// caption states the fit and its leave-one-out error.
//
// # Measurements
//
// plot draws the data it is given and measures nothing. A measured chart
// (pareto, and bytype, layers and grid with Measure) takes the results of
// package exec: Request.Reports lists the configurations to time, in order,
// and Request.Measured holds one exec.Result per configuration (with a
// per-layer profile for bytype and layers) and the Machine they were
// measured on, which the caption states. mnet plot measures them with
// exec.MeasureInterleaved.
package plot
