package exec

import (
	"context"
	"errors"
	"testing"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/spec"
)

// TestMeasureInterleaved: every configuration gets its best round, whole;
// progress counts all runs of all configurations; one configuration is one
// round; a cancelled context stops it.
func TestMeasureInterleaved(t *testing.T) {
	reps := []*analyze.Report{reportFor(t, "mobilenet_v1", spec.Options{Alpha: 0.25, Resolution: 32}),
		reportFor(t, "mobilenet_v1", spec.Options{Alpha: 0.25, Resolution: 64})}
	var last, calls int
	mo := MeasureOptions{Warmup: 1, Runs: 5, Profile: true, Progress: func(d, total int) {
		if d < last || total != 10 {
			t.Errorf("progress %d/%d after %d", d, total, last)
		}
		last, calls = d, calls+1
	}}
	res, rounds, err := MeasureInterleaved(context.Background(), reps, Options{Threads: 1}, mo, 3)
	if err != nil {
		t.Fatal(err)
	}
	if rounds != 3 || len(res) != 2 || last != 10 || calls != 10 {
		t.Fatalf("%d rounds, %d results, progress %d in %d calls", rounds, len(res), last, calls)
	}
	for i, r := range res {
		// Rounds of 2, 2 and 1 runs: the best is one of them, with its
		// own profile.
		if r.Latency.Runs < 1 || r.Latency.Runs > 2 || r.Latency.Median <= 0 || len(r.Layers) == 0 || r.MultAdds != reps[i].Totals.MultAdds {
			t.Errorf("result %d: %+v", i, r.Latency)
		}
	}
	res, rounds, err = MeasureInterleaved(context.Background(), reps[:1], Options{Threads: 1}, MeasureOptions{Runs: 4}, 3)
	if err != nil || rounds != 1 || res[0].Latency.Runs != 4 {
		t.Errorf("one configuration: %d rounds, %v", rounds, err)
	}
	if _, _, err := MeasureInterleaved(context.Background(), reps, Options{}, MeasureOptions{}, 3); err == nil {
		t.Error("no run count accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := MeasureInterleaved(ctx, reps, Options{}, MeasureOptions{Runs: 2}, 2); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
