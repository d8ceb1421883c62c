package paper

import (
	"fmt"
	"math"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/spec"
)

// Fit is a least-squares model of ImageNet top-1 accuracy for MobileNet v1
// configurations without a published checkpoint:
//
//	top1 ≈ A + B·ln(mult-adds) + C·ln(params)
//
// fitted to TF-slim's 16 published checkpoints (2018 accuracies), with the
// mult-adds and weights-only parameters mnet computes for them. The paper
// observes that accuracy falls off smoothly, roughly log-linearly, as α and
// ρ shrink; the parameter term separates the width multiplier (which
// removes parameters) from the resolution (which does not).
type Fit struct {
	A, B, C float64
	// RMS and Max are the fit's residuals on the 16 published points, and
	// LOO the root-mean-square leave-one-out prediction error (each point
	// predicted by a fit to the other 15): what to expect for a new
	// configuration inside the published range. In accuracy points (%).
	RMS, Max, LOO float64
	// The published range, in mult-adds and parameters.
	MinMultAdds, MaxMultAdds, MinParams, MaxParams int64
}

// Describe states the fit in one sentence for reports and legends.
func (f *Fit) Describe() string {
	return fmt.Sprintf("estimated by a least-squares fit top-1 = %.2f %+.3f·ln(mult-adds) %+.3f·ln(params) to TF-slim's 16 checkpoints "+
		"(residual RMS %.2f, max %.2f, leave-one-out RMS %.2f points)", f.A, f.B, f.C, f.RMS, f.Max, f.LOO)
}

// Estimate predicts top-1 accuracy (%) from exact mult-adds and weights-only
// parameters; extrapolated is true outside the published range.
func (f *Fit) Estimate(multAdds, params int64) (top1 float64, extrapolated bool) {
	top1 = f.A + f.B*math.Log(float64(multAdds)) + f.C*math.Log(float64(params))
	extrapolated = multAdds < f.MinMultAdds || multAdds > f.MaxMultAdds || params < f.MinParams || params > f.MaxParams
	return top1, extrapolated
}

type fitPoint struct{ x1, x2, y float64 }

// NewFit fits the model to the published checkpoints.
func NewFit() (*Fit, error) {
	cps, _, err := Checkpoints()
	if err != nil {
		return nil, err
	}
	n, err := examples.Load(ModelOf(MobileNetV1))
	if err != nil {
		return nil, err
	}
	f := &Fit{MinMultAdds: math.MaxInt64, MinParams: math.MaxInt64}
	pts := make([]fitPoint, 0, len(cps))
	for _, c := range cps {
		r, err := analyze.Spec(n, spec.Options{Alpha: c.Alpha, Resolution: c.Resolution})
		if err != nil {
			return nil, err
		}
		t := r.Totals
		pts = append(pts, fitPoint{math.Log(float64(t.MultAdds)), math.Log(float64(t.Params)), c.Top1})
		f.MinMultAdds, f.MaxMultAdds = min(f.MinMultAdds, t.MultAdds), max(f.MaxMultAdds, t.MultAdds)
		f.MinParams, f.MaxParams = min(f.MinParams, t.Params), max(f.MaxParams, t.Params)
	}
	coef, ok := leastSquares(pts)
	if !ok {
		return nil, fmt.Errorf("paper: accuracy fit is singular")
	}
	f.A, f.B, f.C = coef[0], coef[1], coef[2]
	var ss, loo float64
	for i, p := range pts {
		r := p.y - (f.A + f.B*p.x1 + f.C*p.x2)
		ss += r * r
		f.Max = max(f.Max, math.Abs(r))
		rest := append(append([]fitPoint(nil), pts[:i]...), pts[i+1:]...)
		c, ok := leastSquares(rest)
		if !ok {
			return nil, fmt.Errorf("paper: leave-one-out fit is singular")
		}
		e := p.y - (c[0] + c[1]*p.x1 + c[2]*p.x2)
		loo += e * e
	}
	f.RMS = math.Sqrt(ss / float64(len(pts)))
	f.LOO = math.Sqrt(loo / float64(len(pts)))
	return f, nil
}

// leastSquares solves the 3x3 normal equations for y = a + b·x1 + c·x2.
func leastSquares(pts []fitPoint) ([3]float64, bool) {
	var m [3][4]float64
	for _, p := range pts {
		row := [3]float64{1, p.x1, p.x2}
		for i := range 3 {
			for j := range 3 {
				m[i][j] += row[i] * row[j]
			}
			m[i][3] += row[i] * p.y
		}
	}
	// Gaussian elimination with partial pivoting.
	for col := range 3 {
		piv := col
		for r := col + 1; r < 3; r++ {
			if math.Abs(m[r][col]) > math.Abs(m[piv][col]) {
				piv = r
			}
		}
		if math.Abs(m[piv][col]) < 1e-12 {
			return [3]float64{}, false
		}
		m[col], m[piv] = m[piv], m[col]
		for r := range 3 {
			if r == col {
				continue
			}
			k := m[r][col] / m[col][col]
			for c := col; c < 4; c++ {
				m[r][c] -= k * m[col][c]
			}
		}
	}
	return [3]float64{m[0][3] / m[0][0], m[1][3] / m[1][1], m[2][3] / m[2][2]}, true
}
