package paper

import (
	"fmt"
	"strings"

	"mnet.dev/mnet/examples"
)

// Accuracy is an ImageNet top-1 accuracy the paper prints for a network
// configuration.
type Accuracy struct {
	Label      string  // the row's label as printed: "1.0 MobileNet-224", "GoogleNet"
	Model      string  // the example spec: "mobilenet_v1", "googlenet", ...
	Alpha      float64 // width multiplier (the spec's default filled in)
	Resolution int     // input resolution (the spec's default filled in)
	Classes    int     // classifier outputs (the spec's)
	Top1       float64 // %
	Table      string  // the first table printing it: "6"
}

// PaperAccuracies returns the MobileNet v1 (ModelOf(MobileNetV1)) accuracies the
// paper prints in Tables 4-9, one per α and resolution, in the order they
// first appear. The same configuration printed in several tables (1.0
// MobileNet-224 is in four) must carry the same accuracy.
func PaperAccuracies() ([]Accuracy, error) {
	all, err := accuracies()
	if err != nil {
		return nil, err
	}
	var out []Accuracy
	for _, a := range all {
		if a.Model != ModelOf(MobileNetV1) {
			continue
		}
		if prev, ok := LookupAccuracy(out, a.Alpha, a.Resolution); ok {
			if prev.Top1 != a.Top1 {
				return nil, fmt.Errorf("paper: α %g resolution %d printed as %.1f%% in Table %s and %.1f%% in Table %s",
					a.Alpha, a.Resolution, prev.Top1, prev.Table, a.Top1, a.Table)
			}
			continue
		}
		out = append(out, a)
	}
	return out, nil
}

// Baselines returns the other networks of Tables 8 and 9 (GoogleNet, VGG
// 16, Squeezenet, AlexNet) with the accuracies the paper gives them.
func Baselines() ([]Accuracy, error) {
	all, err := accuracies()
	if err != nil {
		return nil, err
	}
	var out []Accuracy
	for _, a := range all {
		if (a.Table == "8" || a.Table == "9") && a.Model != ModelOf(MobileNetV1) {
			out = append(out, a)
		}
	}
	return out, nil
}

// LookupAccuracy returns the entry of list at α and resolution, if any.
func LookupAccuracy(list []Accuracy, alpha float64, resolution int) (Accuracy, bool) {
	for _, a := range list {
		if a.Alpha == alpha && a.Resolution == resolution {
			return a, true
		}
	}
	return Accuracy{}, false
}

// accuracies lists every row of the published tables that prints an
// accuracy, with the spec's default α and resolution filled in.
func accuracies() ([]Accuracy, error) {
	d, err := load()
	if err != nil {
		return nil, err
	}
	var out []Accuracy
	for _, t := range d.Paper.Tables {
		for _, r := range t.Rows {
			if r.Accuracy == "" || r.Model == "" {
				continue
			}
			p, err := parsePrinted(r.Accuracy)
			if err != nil {
				return nil, fmt.Errorf("paper: table %s, %s: %w", t.ID, r.Label, err)
			}
			if !p.Percent {
				return nil, fmt.Errorf("paper: table %s, %s: accuracy %q is not a percentage", t.ID, r.Label, r.Accuracy)
			}
			n, err := examples.Load(r.Model)
			if err != nil {
				return nil, fmt.Errorf("paper: table %s, %s: %w", t.ID, r.Label, err)
			}
			a := Accuracy{Label: r.Label, Model: r.Model, Alpha: r.Alpha, Resolution: r.Resolution, Classes: n.Classes, Top1: p.Value, Table: t.ID}
			if a.Alpha == 0 {
				a.Alpha = n.Alpha
			}
			if a.Alpha == 0 {
				a.Alpha = 1
			}
			if a.Resolution == 0 {
				a.Resolution = n.Input.Height
			}
			out = append(out, a)
		}
	}
	return out, nil
}

// SuccessorAccuracies returns the ImageNet top-1 accuracies the MobileNetV2
// and V3 papers print (V2's Table 4, V3's Table 3) for the networks mnet
// has a spec for, one per model, α and resolution. The same configuration
// printed twice must carry the same accuracy.
func SuccessorAccuracies() ([]Accuracy, error) {
	d, err := load()
	if err != nil {
		return nil, err
	}
	var out []Accuracy
	for _, t := range d.Successors {
		for _, r := range t.Rows {
			if r.Accuracy == "" || r.Model == "" || r.Model == ModelOf(MobileNetV1) {
				continue
			}
			p, err := parsePrinted(r.Accuracy)
			if err != nil || !p.Percent {
				return nil, fmt.Errorf("paper: table %s, %s: accuracy %q", t.ID, r.Label, r.Accuracy)
			}
			n, err := examples.Load(r.Model)
			if err != nil {
				return nil, fmt.Errorf("paper: table %s, %s: %w", t.ID, r.Label, err)
			}
			a := Accuracy{Label: r.Label, Model: r.Model, Alpha: r.Alpha, Resolution: r.Resolution, Classes: n.Classes, Top1: p.Value, Table: t.ID}
			if a.Alpha == 0 {
				a.Alpha = n.Alpha
			}
			if a.Resolution == 0 {
				a.Resolution = n.Input.Height
			}
			dup := false
			for _, b := range out {
				if b.Model == a.Model && b.Alpha == a.Alpha && b.Resolution == a.Resolution {
					if b.Top1 != a.Top1 {
						return nil, fmt.Errorf("paper: %s α %g-%d printed as %.1f%% in Table %s and %.1f%% in Table %s",
							a.Model, a.Alpha, a.Resolution, b.Top1, b.Table, a.Top1, a.Table)
					}
					dup = true
				}
			}
			if !dup {
				out = append(out, a)
			}
		}
	}
	return out, nil
}

// TableName names a published table by its id for display: "MobileNets
// paper Table 6" (v1's "2".."9"), "MobileNetV2 paper Table 4" ("V2-4"),
// "MobileNetV3 paper Table 3" ("V3-3").
func TableName(id string) string {
	switch {
	case strings.HasPrefix(id, "V2-"):
		return "MobileNetV2 paper Table " + strings.TrimPrefix(id, "V2-")
	case strings.HasPrefix(id, "V3-"):
		return "MobileNetV3 paper Table " + strings.TrimPrefix(id, "V3-")
	}
	return "MobileNets paper Table " + id
}
