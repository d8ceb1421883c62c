package tui

// totalsView is the totals panel: mult-adds, parameters in the paper's
// convention (weights only) and Keras's, weight memory and peak activation
// memory, all from analyze.Totals. Wide, the notes say more.
func totalsView(st styles, a *analysis, wide bool) []string {
	t := a.report.Totals
	values := []string{count(t.MultAdds), count(t.Params), count(t.ParamsKeras), bytesStr(t.WeightBytes), bytesStr(t.PeakActivationBytes)}
	vw := 11
	for _, v := range values {
		vw = max(vw, len(v))
	}
	row := func(label, value, note string) string {
		return st.Label.Render(padRight(label, 11)) + st.Value.Render(padLeft(value, vw)) + "  " + st.Dim.Render(note)
	}
	notes := []string{millions(t.MultAdds), "weights only", "+ bias, BN", "float32", "peak"}
	if wide {
		peakAt := ""
		if l := t.PeakActivationLayer; l >= 0 && l < len(a.report.Layers) {
			peakAt = ", at " + a.report.Layers[l].Name
		}
		notes = []string{millions(t.MultAdds) + ", multiply-accumulates", millions(t.Params) + ", weights only (the paper's)",
			"Keras: + biases, batch norm", "float32, batch norm folded", "peak per image" + peakAt}
	}
	return []string{
		row("Mult-adds", values[0], notes[0]),
		row("Parameters", values[1], notes[1]),
		row("  Keras", values[2], notes[2]),
		row("Weights", values[3], notes[3]),
		row("Activations", values[4], notes[4]),
	}
}
