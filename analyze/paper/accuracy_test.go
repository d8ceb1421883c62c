package paper

import (
	"fmt"
	"testing"
)

func TestPaperAccuracies(t *testing.T) {
	acc, err := PaperAccuracies()
	if err != nil {
		t.Fatal(err)
	}
	// Tables 6, 7 and 9 (Tables 4, 5 and 8 repeat 1.0-224 and 0.75-224).
	want := map[string]float64{
		"1-224": 70.6, "0.75-224": 68.4, "0.5-224": 63.7, "0.25-224": 50.6,
		"1-192": 69.1, "1-160": 67.2, "1-128": 64.4, "0.5-160": 60.2,
	}
	if len(acc) != len(want) {
		t.Errorf("%d configurations, want %d: %+v", len(acc), len(want), acc)
	}
	for _, a := range acc {
		k := fmt.Sprintf("%g-%d", a.Alpha, a.Resolution)
		if w, ok := want[k]; !ok || w != a.Top1 || a.Model != "mobilenet_v1" {
			t.Errorf("%s: %+v, want %.1f", k, a, w)
		}
	}
	if a, ok := LookupAccuracy(acc, 0.5, 160); !ok || a.Table != "9" || a.Top1 != 60.2 {
		t.Errorf("0.5-160: %+v %v", a, ok)
	}
	if _, ok := LookupAccuracy(acc, 0.5, 128); ok {
		t.Error("0.5-128 is not in the paper")
	}
}

func TestBaselines(t *testing.T) {
	bs, err := Baselines()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"googlenet": 69.8, "vgg16": 71.5, "squeezenet": 57.5, "alexnet": 57.2}
	if len(bs) != len(want) {
		t.Fatalf("%d baselines: %+v", len(bs), bs)
	}
	for _, b := range bs {
		if want[b.Model] != b.Top1 || b.Resolution == 0 || b.Alpha != 1 {
			t.Errorf("%+v, want top-1 %.1f", b, want[b.Model])
		}
	}
}
