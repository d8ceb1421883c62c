package plot

import (
	"math"
	"strconv"

	gplot "gonum.org/v1/plot"
)

// logTicks marks a log axis at 1, 2 and 5 times the powers of ten
// (labelled) and at the other integers (minor).
type logTicks struct{}

func (logTicks) Ticks(lo, hi float64) []gplot.Tick {
	if lo <= 0 || hi <= lo {
		return nil
	}
	var ticks []gplot.Tick
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		p := math.Pow(10, e)
		for m := 1; m <= 9; m++ {
			v := float64(m) * p
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			t := gplot.Tick{Value: v}
			if m == 1 || m == 2 || m == 5 {
				t.Label = numberLabel(v)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// numberLabel prints a tick value without float noise: 0.5, 20, 1000, 20000.
func numberLabel(v float64) string {
	if v >= 1 {
		return strconv.FormatFloat(math.Round(v), 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// stepTicks marks a linear axis every step (labelled), from the first
// multiple of step at or above lo.
type stepTicks struct {
	step   float64
	format func(float64) string // nil: numberLabel-like
}

func (s stepTicks) Ticks(lo, hi float64) []gplot.Tick {
	if s.step <= 0 || hi < lo {
		return nil
	}
	var ticks []gplot.Tick
	for v := math.Ceil(lo/s.step-1e-9) * s.step; v <= hi+1e-9*s.step; v += s.step {
		v = math.Round(v/s.step) * s.step
		if v == 0 { // no "-0"
			v = 0
		}
		label := strconv.FormatFloat(v, 'f', -1, 64)
		if s.format != nil {
			label = s.format(v)
		}
		ticks = append(ticks, gplot.Tick{Value: v, Label: label})
	}
	return ticks
}

// niceStep returns a 1-2-5 step giving about n intervals over span.
func niceStep(span float64, n int) float64 {
	return stepFrom(span, n, []float64{1, 2, 2.5, 5, 10})
}

// niceIntStep is niceStep for counts: 1, 2, 5, 10, 20, ...
func niceIntStep(span float64, n int) float64 {
	return max(stepFrom(span, n, []float64{1, 2, 5, 10}), 1)
}

func stepFrom(span float64, n int, mults []float64) float64 {
	if span <= 0 || n <= 0 {
		return 1
	}
	raw := span / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range mults {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}
