package exec

import (
	"context"
	"testing"
	"time"

	"mnet.dev/mnet/spec"
)

func TestNewStats(t *testing.T) {
	ms := func(v ...float64) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x * float64(time.Millisecond))
		}
		return out
	}
	s := NewStats(ms(5, 1, 4, 2, 3))
	if s.Min != time.Millisecond || s.Median != 3*time.Millisecond || s.Mean != 3*time.Millisecond || s.Runs != 5 {
		t.Errorf("stats %+v", s)
	}
	// p90 interpolates: position 0.9*4 = 3.6 between 4 and 5 ms.
	if s.P90 != 4600*time.Microsecond {
		t.Errorf("p90 = %v, want 4.6ms", s.P90)
	}
	// Sample standard deviation of 1..5 is sqrt(2.5).
	if d := s.Stddev - 1581138*time.Nanosecond; d < -time.Microsecond || d > time.Microsecond {
		t.Errorf("stddev = %v", s.Stddev)
	}
	if z := NewStats(nil); z.Runs != 0 {
		t.Errorf("empty: %+v", z)
	}
}

func TestResultByType(t *testing.T) {
	r := &Result{Layers: []LayerTiming{
		{Layer: Layer{Type: "Conv 1x1", MultAdds: 10}, Median: 3 * time.Millisecond},
		{Layer: Layer{Type: "Conv DW 3x3", MultAdds: 2}, Median: time.Millisecond},
		{Layer: Layer{Type: "Conv 1x1", MultAdds: 5}, Median: 2 * time.Millisecond},
	}}
	got := r.ByType()
	want := []TypeTiming{{"Conv 1x1", 2, 5 * time.Millisecond, 15}, {"Conv DW 3x3", 1, time.Millisecond, 2}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("ByType = %+v, want %+v", got, want)
	}
}

// TestMeasure runs a real measurement: every layer is profiled, the
// statistics are ordered, and a cancelled context stops it.
func TestMeasure(t *testing.T) {
	r := reportFor(t, "mobilenet_v1", spec.Options{Alpha: 0.25, Resolution: 32})
	p, err := Compile(r, Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	done := 0
	res, err := p.Measure(context.Background(), MeasureOptions{Warmup: 1, Runs: 7, Profile: true, Progress: func(d, total int) { done = d }})
	if err != nil {
		t.Fatal(err)
	}
	l := res.Latency
	if l.Runs != 7 || done != 7 || !(l.Min <= l.Median && l.Median <= l.P90) || res.GFLOPS <= 0 {
		t.Errorf("latency %+v, progress %d, gflops %v", l, done, res.GFLOPS)
	}
	if len(res.Layers) != len(p.Layers()) {
		t.Errorf("%d profiled layers, plan has %d", len(res.Layers), len(p.Layers()))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Measure(ctx, MeasureOptions{Runs: 1000}); err == nil {
		t.Error("a cancelled measurement returned no error")
	}
}
