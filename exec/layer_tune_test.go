package exec

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"testing"
	"time"

	"mnet.dev/mnet/spec"
)

// TestLayerTune (opt-in: MNET_TUNE=1; MNET_MODEL, MNET_ALPHA, MNET_RES,
// MNET_THREADS, MNET_RUNS) runs a whole network many times and prints every
// layer's best and median time in the network, with its caches as the
// preceding layers left them: the in-network counterpart of the kernels'
// TestGemmTune, for telling kernel speed from cache effects and noise.
//
//	MNET_TUNE=1 go test -run TestLayerTune -v ./exec
func TestLayerTune(t *testing.T) {
	if os.Getenv("MNET_TUNE") == "" {
		t.Skip()
	}
	model := envOr("MNET_MODEL", "mobilenet_v1")
	alpha, _ := strconv.ParseFloat(envOr("MNET_ALPHA", "1"), 64)
	res, _ := strconv.Atoi(envOr("MNET_RES", "224"))
	threads, _ := strconv.Atoi(envOr("MNET_THREADS", "1"))
	runs, _ := strconv.Atoi(envOr("MNET_RUNS", "300"))
	o := spec.Options{}
	if model == "mobilenet_v1" {
		o = spec.Options{Alpha: alpha, Resolution: res}
	}
	r := reportFor(t, model, o)
	p, err := Compile(r, Options{Threads: threads})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	randomInput(p, 1)
	for range 10 {
		p.Run()
	}
	stamps := make([]time.Time, len(p.jobs)+1)
	per := make([][]time.Duration, len(p.jobs))
	var tot []time.Duration
	for range runs {
		p.runTimed(stamps)
		for l := range per {
			per[l] = append(per[l], stamps[l+1].Sub(stamps[l]))
		}
		tot = append(tot, stamps[len(stamps)-1].Sub(stamps[0]))
	}
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	srt := func(ds []time.Duration) []time.Duration {
		sort.Slice(ds, func(a, b int) bool { return ds[a] < ds[b] })
		return ds
	}
	var sumMin, sumMed float64
	types := map[string][2]float64{}
	var order []string
	for l, ds := range per {
		ds = srt(ds)
		ly := p.layers[l]
		mn, md := ms(ds[0]), ms(ds[len(ds)/2])
		sumMin += mn
		sumMed += md
		if _, ok := types[ly.Type]; !ok {
			order = append(order, ly.Type)
		}
		v := types[ly.Type]
		types[ly.Type] = [2]float64{v[0] + mn, v[1] + md}
		gf := 2 * float64(ly.MultAdds) / 1e9
		fmt.Printf("%-12s %-16s min %7.3f med %7.3f  GFLOP/s best %6.1f med %6.1f\n", ly.Name, ly.Type, mn, md, gf/mn*1e3, gf/md*1e3)
	}
	for _, ty := range order {
		fmt.Printf("type %-16s sum-of-min %7.3f sum-of-med %7.3f\n", ty, types[ty][0], types[ty][1])
	}
	tot = srt(tot)
	fmt.Printf("layers: sum-of-min %.3f sum-of-med %.3f; whole run min %.3f med %.3f ms\n", sumMin, sumMed, ms(tot[0]), ms(tot[len(tot)/2]))
}

func envOr(k, d string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return d
}
