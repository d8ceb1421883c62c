package paper

import (
	"fmt"
	"slices"
)

// Grid is the α x resolution grid a family was published at: α
// descending, resolutions ascending.
type Grid struct {
	Alphas      []float64
	Resolutions []int
}

// GridOf returns a family's published grid: TF-slim's checkpoints for
// MobileNet v1 (4 x 4) and V2 (6 multipliers, 5 resolutions; 1.4 and 1.3
// only at 224), the V3 paper's multipliers and resolutions for V3-Large
// and V3-Small; ok is false for the other families.
func GridOf(f Family) (Grid, bool, error) {
	d, err := load()
	if err != nil {
		return Grid{}, false, err
	}
	var g Grid
	add := func(a float64, r int) {
		if !slices.Contains(g.Alphas, a) {
			g.Alphas = append(g.Alphas, a)
		}
		if !slices.Contains(g.Resolutions, r) {
			g.Resolutions = append(g.Resolutions, r)
		}
	}
	switch f {
	case MobileNetV1:
		for _, r := range d.Checkpoints.Rows {
			add(r.Alpha, r.Resolution)
		}
	case MobileNetV2:
		for _, r := range d.CheckpointsV2.Rows {
			add(r.Alpha, r.Resolution)
		}
	case MobileNetV3Large, MobileNetV3Small:
		for _, a := range d.V3Grid.Alphas {
			for _, r := range d.V3Grid.Resolutions {
				add(a, r)
			}
		}
	default:
		return Grid{}, false, nil
	}
	if len(g.Alphas) == 0 || len(g.Resolutions) == 0 {
		return Grid{}, false, fmt.Errorf("paper: no grid for %s", f)
	}
	slices.Sort(g.Alphas)
	slices.Reverse(g.Alphas)
	slices.Sort(g.Resolutions)
	return g, true, nil
}
