package exec

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"mnet.dev/mnet/exec/internal/kernels"
)

// TestConvPaths checks random convolutions (kernel sizes 1-7, rectangular,
// strides 1-3, SAME in every convention, VALID and explicit padding, odd
// channel counts, groups, batch 2) against the float64 reference on every
// kernel set, through both the implicit-GEMM path (the vector kernel sets'
// choice where it applies) and im2col, with 1 and 2 threads.
func TestConvPaths(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	pads := []string{"same", "valid", "0", "1", "2", "[1, 0, 2, 1]", "[0, 2, 1, 0]"}
	convs := []string{"tf", "keras", "symmetric"}
	direct := 0
	for i := range 40 {
		kh, kw := 1+rng.IntN(7), 1+rng.IntN(7)
		if rng.IntN(2) == 0 {
			kw = kh
		}
		sh, sw := 1+rng.IntN(3), 1+rng.IntN(3)
		h, w := kh+rng.IntN(14), kw+rng.IntN(14)
		groups := 1
		c := 1 + rng.IntN(9)
		if rng.IntN(5) == 0 {
			groups = 2
			c *= 2
		}
		f := groups * (1 + rng.IntN(20))
		src := fmt.Sprintf(`input: {height: %d, width: %d, channels: %d}
padding: %s
defaults: {bias: true, activation: relu6}
layers:
  - {type: conv, filters: %d, kernel: [%d, %d], stride: [%d, %d], padding: %s, groups: %d}
`, h, w, c, convs[rng.IntN(3)], f, kh, kw, sh, sw, pads[rng.IntN(len(pads))], groups)
		r := parseReport(t, src)
		ws := RandomWeights{Seed: uint64(i)}
		for _, ks := range testSets(t) {
			for _, threads := range []int{1, 2} {
				for _, forceIm2col := range []bool{false, true} {
					p, err := Compile(r, Options{kernelSet: ks, Threads: threads, Batch: 2, Weights: ws})
					if err != nil {
						t.Fatalf("%s: %v", src, err)
					}
					// Switched before the first Run, while no worker
					// has seen the job.
					o := p.jobs[0].Task.(*convOp)
					switch {
					case forceIm2col && !o.direct:
						p.Close()
						continue
					case forceIm2col:
						o.direct = false
						p.jobs[0].N = o.items()
						p.jobs[0].Chunks = min(p.jobs[0].Chunks, p.jobs[0].N)
					case o.direct:
						direct++
					}
					t.Run(fmt.Sprintf("%d/%v/%d/im2col=%v", i, ks, threads, !o.direct), func(t *testing.T) {
						compareWithReference(t, p, ws, 1e-5)
						if t.Failed() {
							t.Log(src)
						}
					})
					p.Close()
				}
			}
		}
	}
	if direct == 0 && len(kernels.Available()) > 1 {
		t.Error("no convolution took the implicit-GEMM path")
	}
}
