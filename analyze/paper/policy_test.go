package paper

import (
	"testing"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/spec"
)

func book(t testing.TB) *Book {
	t.Helper()
	b, err := NewBook()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestAccuracyPolicy: the rules of AccuracyOf, for MobileNet v1 under each
// policy, for a baseline and for anything else.
func TestAccuracyPolicy(t *testing.T) {
	b := book(t)
	mn := func(a float64, r int) Identity { return Identity{MobileNetV1, "mobilenet_v1", a, r, 1000} }
	slim, byPaper, est := Policy{}, Policy{PreferPaper: true, Estimate: true}, Policy{Estimate: true}
	totals := analyze.Totals{MultAdds: 200e6, Params: 2e6}
	cases := []struct {
		what string
		id   Identity
		p    Policy
		want Reported
	}{
		{"0.5-160, TF-slim", mn(0.5, 160), slim, Reported{Source: FromCheckpoint, Top1: 59.1, Top5: 81.9}},
		{"0.5-160, the paper", mn(0.5, 160), byPaper, Reported{Source: FromPaper, Top1: 60.2, Table: "9"}},
		{"0.5-128: not in the paper", mn(0.5, 128), byPaper, Reported{Source: FromCheckpoint, Top1: 56.3, Top5: 79.4}},
		{"0.6-200 unpublished, no estimate", mn(0.6, 200), slim, Reported{}},
		{"VGG16 at its published configuration", Identity{VGG16, "vgg16", 1, 224, 1000}, slim, Reported{Source: FromPaper, Top1: 71.5, Table: "8"}},
		{"VGG16 at 160 px", Identity{VGG16, "vgg16", 1, 160, 1000}, est, Reported{}},
		{"VGG16 with 10 classes", Identity{VGG16, "vgg16", 1, 224, 10}, est, Reported{}},
		{"unrecognised", Identity{}, byPaper, Reported{}},
	}
	for _, c := range cases {
		if got := b.AccuracyOf(c.id, totals, c.p); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.what, got, c.want)
		}
	}
	// An estimate is the fit's, from the exact totals.
	got := b.AccuracyOf(mn(0.6, 200), totals, est)
	top1, ext := b.Fit.Estimate(totals.MultAdds, totals.Params)
	if got.Source != Estimated || got.Top1 != top1 || got.Extrapolated != ext {
		t.Errorf("0.6-200 estimated: %+v, fit %.2f %v", got, top1, ext)
	}
	for _, s := range []Source{NoAccuracy, FromCheckpoint, FromPaper, Estimated, Source(9)} {
		if s.String() == "" {
			t.Errorf("%d has no name", s)
		}
	}
}

// TestAccuracyByIdentity: the accuracy follows the architecture, not the
// name: a renamed copy with its channels written out gets MobileNet v1
// 0.25's checkpoint; a look-alike gets none.
func TestAccuracyByIdentity(t *testing.T) {
	b := book(t)
	id, acc := b.Accuracy(analyse(t, withChannels(t, 0.25), spec.Options{Resolution: 128}), Policy{Estimate: true})
	if id.String() != "MobileNet v1 0.25-128" || acc.Source != FromCheckpoint || acc.Top1 != 41.5 {
		t.Errorf("copy: %v %+v", id, acc)
	}
	if id, acc := b.Accuracy(analyse(t, example(t, "mobilenet_v1_shallow"), spec.Options{}), Policy{Estimate: true}); id.Known() || acc.Known() {
		t.Errorf("shallow MobileNet: %v %+v", id, acc)
	}
}
