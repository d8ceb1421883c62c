package exec

import (
	"context"
	"fmt"

	"mnet.dev/mnet/analyze"
)

// MeasureInterleaved measures several configurations fairly against each
// other: mo.Runs timed runs of each, split into rounds (at most rounds, at
// most one per run; one configuration is measured in one round). Each
// round compiles, times and releases every configuration in turn with its
// share of the runs, so that a burst of load from other programs falls on
// all of them alike. A configuration's result is its best round, whole
// (the lowest median, with that round's statistics, GFLOP/s and profile):
// load from other programs only ever slows a round down, and the median
// within a round already discards single slow runs.
//
// mo.Progress, if set, is called after every timed run with the runs done
// and the total over all configurations. It returns the results, in the
// order of reports, and the number of rounds.
func MeasureInterleaved(ctx context.Context, reports []*analyze.Report, o Options, mo MeasureOptions, rounds int) ([]*Result, int, error) {
	if mo.Runs <= 0 {
		return nil, 0, fmt.Errorf("interleaved measurement needs a run count, got %d", mo.Runs)
	}
	rounds = max(min(rounds, mo.Runs), 1)
	if len(reports) == 1 {
		rounds = 1
	}
	total := mo.Runs * len(reports)
	out := make([]*Result, len(reports))
	done := 0
	progress := mo.Progress
	for k := range rounds {
		n := mo.Runs / rounds
		if k < mo.Runs%rounds {
			n++
		}
		for i, r := range reports {
			if err := ctx.Err(); err != nil {
				return nil, 0, err
			}
			round := mo
			round.Runs, round.MinTime = n, 0
			round.Progress = func(d, _ int) {
				if progress != nil {
					progress(done+d, total)
				}
			}
			res, err := Measure(ctx, r, o, round)
			if err != nil {
				return nil, 0, err
			}
			done += n
			if out[i] == nil || res.Latency.Median < out[i].Latency.Median {
				out[i] = res
			}
		}
	}
	return out, rounds, nil
}
