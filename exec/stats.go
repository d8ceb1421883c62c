package exec

import (
	"math"
	"sort"
	"time"
)

// Stats summarises a set of durations.
type Stats struct {
	Min, Median, P90, Mean, Stddev time.Duration
	Runs                           int
}

// NewStats computes the statistics of ds (which it sorts).
func NewStats(ds []time.Duration) Stats {
	if len(ds) == 0 {
		return Stats{}
	}
	sort.Slice(ds, func(a, b int) bool { return ds[a] < ds[b] })
	var sum float64
	for _, d := range ds {
		sum += float64(d)
	}
	mean := sum / float64(len(ds))
	var sq float64
	for _, d := range ds {
		sq += (float64(d) - mean) * (float64(d) - mean)
	}
	sd := 0.0
	if len(ds) > 1 {
		sd = math.Sqrt(sq / float64(len(ds)-1))
	}
	return Stats{Min: ds[0], Median: quantile(ds, 0.5), P90: quantile(ds, 0.9), Mean: time.Duration(mean),
		Stddev: time.Duration(sd), Runs: len(ds)}
}

// quantile interpolates linearly between the sorted samples.
func quantile(sorted []time.Duration, q float64) time.Duration {
	pos := q * float64(len(sorted)-1)
	i := int(pos)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	f := pos - float64(i)
	return time.Duration(float64(sorted[i])*(1-f) + float64(sorted[i+1])*f)
}
