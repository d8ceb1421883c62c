// Package tui is mnet's interactive terminal explorer of the MobileNet
// accuracy / cost trade-off: the width multiplier α and the input
// resolution are changed with a key press, and every panel (totals, the
// per-type breakdown of the paper's Table 2, the comparison with the
// baselines of Tables 8 and 9, the ImageNet accuracy, the per-layer table,
// a trade-off chart and a device budget) is recomputed at once.
//
// The package is Elm-style (Bubble Tea v2): one top Model holds the state,
// Update folds messages into it, View renders it. Each panel lives in its
// own file as a small sub-model or a pure render function; key bindings
// are all in keys.go and styles all in styles.go. The explorer holds no cost
// logic of its own: every number comes from package analyze (costs),
// analyze/paper (published accuracy and the documented estimate), exec
// (latency, measured in the background) and plot (the exported charts).
package tui
