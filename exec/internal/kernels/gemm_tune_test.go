package kernels

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"
)

// TestGemmTune (opt-in: MNET_TUNE=1; MNET_ISA, MNET_SHAPES filter) is the
// tuning harness used on the shared dev machine: it interleaves every shape
// with the peak kernel in many short rounds and prints the best rate of each,
// which is far less sensitive to other load than a median:
//
//	MNET_TUNE=1 go test -run TestGemmTune -v ./exec/internal/kernels
func TestGemmTune(t *testing.T) {
	if os.Getenv("MNET_TUNE") == "" {
		t.Skip()
	}
	isa := Best()
	if s := os.Getenv("MNET_ISA"); s != "" {
		isa, _ = Parse(s)
	}
	filter := os.Getenv("MNET_SHAPES")
	type st struct {
		name string
		run  func()
		fl   float64
		best float64
	}
	var sts []*st
	for _, sh := range gemmBenchShapes {
		if filter != "" && !strings.Contains(sh.name, filter) {
			continue
		}
		rng := rand.New(rand.NewPCG(1, 2))
		a := make([]float32, sh.m*sh.k)
		w := make([]float32, sh.k*sh.n)
		bias := make([]float32, sh.n)
		for _, s := range [][]float32{a, w, bias} {
			for i := range s {
				s[i] = rng.Float32()*2 - 1
			}
		}
		c := make([]float32, sh.m*sh.n)
		p := PackB(isa, sh.k, sh.n, w, sh.n)
		sts = append(sts, &st{name: sh.name, fl: GemmFLOPs(sh.m, sh.n, sh.k), run: func() {
			Gemm(isa, sh.m, a, sh.k, p, 0, sh.n, bias, ActReLU6, c, sh.n)
		}})
	}
	peak := 0.0
	for range 40 {
		peak = max(peak, PeakGFLOPS(isa, 5*time.Millisecond))
		for _, s := range sts {
			n := 0
			t0 := time.Now()
			for time.Since(t0) < 5*time.Millisecond || n < 2 {
				s.run()
				n++
			}
			// best of short reps
			for range 3 {
				t1 := time.Now()
				reps := max(1, n/3)
				for range reps {
					s.run()
				}
				s.best = max(s.best, s.fl*float64(reps)/time.Since(t1).Seconds()/1e9)
			}
		}
	}
	fmt.Printf("peak %v %.1f GFLOP/s\n", isa, peak)
	for _, s := range sts {
		fmt.Printf("%-28s %6.1f GFLOP/s  %5.1f%%\n", s.name, s.best, 100*s.best/peak)
	}
}
