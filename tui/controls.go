package tui

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"mnet.dev/mnet/spec"
)

// The ranges the stepping keys move in. Typed values may go beyond them,
// within spec's limits (the same as every command's).
const (
	alphaFineStep = 0.05
	alphaMin      = 0.05
	alphaMax      = spec.MaxAlpha
	resStep       = 32
	resMin        = 96
	resMax        = 320
)

// coarseAlpha moves α to the next published width multiplier (grid holds
// them ascending: 0.25, 0.5, 0.75, 1.0); past the ends α stays.
func coarseAlpha(a float64, grid []float64, up bool) float64 {
	const eps = 1e-9
	if up {
		for _, g := range grid {
			if g > a+eps {
				return g
			}
		}
		return a
	}
	for i := len(grid) - 1; i >= 0; i-- {
		if grid[i] < a-eps {
			return grid[i]
		}
	}
	return a
}

// fineAlpha moves α by 0.05 to the next multiple of 0.05 (an α typed
// between two multiples goes to the nearer one in that direction).
func fineAlpha(a float64, up bool) float64 {
	k := a / alphaFineStep
	const eps = 1e-6
	var n float64
	if up {
		n = math.Floor(k+eps) + 1
	} else {
		n = math.Ceil(k-eps) - 1
	}
	n = max(n, math.Round(alphaMin/alphaFineStep))
	n = min(n, math.Round(alphaMax/alphaFineStep))
	// n/20 is the float64 closest to the decimal (0.55, not 0.5500000001).
	return n / math.Round(1/alphaFineStep)
}

// stepRes moves the resolution to the next multiple of 32 within 96-320.
func stepRes(r int, up bool) int {
	if up {
		if r >= resMax {
			return r
		}
		return min((r/resStep+1)*resStep, resMax)
	}
	if r <= resMin {
		return r
	}
	return max(((r-1)/resStep)*resStep, resMin)
}

// parseAlpha reads a typed width multiplier.
func parseAlpha(s string) (float64, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "α"))
	if s == "" {
		return 0, errors.New("type a width multiplier, e.g. 0.6")
	}
	a, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(a) || math.IsInf(a, 0) {
		return 0, fmt.Errorf("%q is not a number; type a width multiplier such as 0.6", s)
	}
	var re *spec.RangeError
	if err := spec.CheckAlpha(a); errors.As(err, &re) {
		return 0, fmt.Errorf("α %s is out of range: it must be in %s", s, re.Range)
	}
	return a, nil
}

// parseRes reads a typed resolution.
func parseRes(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("type a resolution in pixels, e.g. 200")
	}
	r, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole number of pixels; type e.g. 200", s)
	}
	if err := spec.CheckResolution(r); err != nil {
		return 0, fmt.Errorf("resolution %d is out of range: it must be 1 to %d pixels", r, spec.MaxResolution)
	}
	return r, nil
}

// controlsView is the line under the title: α, the resolution and the
// input they give.
func controlsView(st styles, a *analysis, w int) string {
	g := a.report.Graph
	parts := []string{
		st.Label.Render("α ") + st.Accent.Render(alphaStr(g.Alpha)) + st.Dim.Render(" ←→"),
		st.Label.Render("resolution ") + st.Accent.Render(strconv.Itoa(g.Resolution)) + st.Dim.Render(" ↑↓"),
		st.Dim.Render(fmt.Sprintf("input %s (ρ %.3f)", inputStr(g.Input), g.Rho)),
	}
	if w >= 100 {
		parts = append(parts, st.Dim.Render(fmt.Sprintf("%d classes, rounding %s", g.Classes, g.Rounding)))
	}
	return " " + strings.Join(parts, "   ")
}

func inputStr(s spec.Shape) string { return fmt.Sprintf("%dx%dx%d", s.H, s.W, s.C) }
