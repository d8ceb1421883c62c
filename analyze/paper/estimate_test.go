package paper

import (
	"math"
	"testing"
)

func TestFit(t *testing.T) {
	f, err := NewFit()
	if err != nil {
		t.Fatal(err)
	}
	t.Log(f.Describe())
	// Accuracy rises with both cost and width.
	if f.B <= 0 || f.C <= 0 {
		t.Errorf("coefficients %+v: accuracy should rise with mult-adds and parameters", f)
	}
	if f.RMS > 1.5 || f.LOO > 2.5 || f.Max < f.RMS {
		t.Errorf("fit quality RMS %.2f LOO %.2f max %.2f", f.RMS, f.LOO, f.Max)
	}
	// The fit reproduces a published point to within its max residual.
	cps, _, _ := Checkpoints()
	c, _ := Lookup(cps, 0.5, 160)
	got, ext := f.Estimate(76_524_800, 1_319_648)
	if math.Abs(got-c.Top1) > f.Max+1e-9 || ext {
		t.Errorf("0.5-160: estimate %.2f (extrapolated %v), published %.1f", got, ext, c.Top1)
	}
	// Outside the published range it says so.
	if _, ext := f.Estimate(2_000_000_000, 10_000_000); !ext {
		t.Error("a 2000M mult-add network is not flagged as extrapolated")
	}
	// A straight line is fitted exactly.
	pts := []fitPoint{{0, 0, 1}, {1, 0, 3}, {0, 1, 4}, {1, 1, 6}, {2, 3, 14}}
	coef, ok := leastSquares(pts)
	if !ok || math.Abs(coef[0]-1) > 1e-9 || math.Abs(coef[1]-2) > 1e-9 || math.Abs(coef[2]-3) > 1e-9 {
		t.Errorf("leastSquares = %v, %v; want [1 2 3]", coef, ok)
	}
}
