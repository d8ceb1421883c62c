package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// gemmBenchShapes are the GEMMs of MobileNet v1: pointwise layers of
// 1.0-224 (m = H*W, k = Cin, n = Cout), the first 3x3 convolution as im2col
// (k = 27), the classifier, and the pointwise layers of 0.25-128.
var gemmBenchShapes = []struct {
	name    string
	m, k, n int
}{
	{"conv1_im2col_12544x27x32", 12544, 27, 32},
	{"pw_12544x32x64", 12544, 32, 64},
	{"pw_3136x64x128", 3136, 64, 128},
	{"pw_3136x128x128", 3136, 128, 128},
	{"pw_784x128x256", 784, 128, 256},
	{"pw_784x256x256", 784, 256, 256},
	{"pw_196x256x512", 196, 256, 512},
	{"pw_196x512x512", 196, 512, 512},
	{"pw_49x512x1024", 49, 512, 1024},
	{"pw_49x1024x1024", 49, 1024, 1024},
	{"fc_1x1024x1000", 1, 1024, 1000},
	{"q_4096x8x16", 4096, 8, 16},
	{"q_1024x16x32", 1024, 16, 32},
	{"q_256x32x64", 256, 32, 64},
	{"q_64x64x128", 64, 64, 128},
	{"q_16x128x256", 16, 128, 256},
	{"q_16x256x256", 16, 256, 256},
}

// BenchmarkGemm reports GFLOP/s (2*m*n*k per call) for each shape and ISA,
// with bias and ReLU6 fused as in MobileNet, and %peak: the rate against
// PeakGFLOPS of the same ISA measured for 20 ms just before the shape (on a
// shared machine the peak itself moves; see also BenchmarkPeak and the
// interleaved TestGemmTune harness).
func BenchmarkGemm(b *testing.B) {
	for _, ks := range Available() {
		ws := new(Workspace)
		for _, sh := range gemmBenchShapes {
			b.Run(fmt.Sprintf("%v/%s", ks, sh.name), func(b *testing.B) {
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
				p := PackB(sh.k, sh.n, w, sh.n)
				peak := ks.PeakGFLOPS(20 * time.Millisecond)
				for b.Loop() {
					Gemm(ks, ws, sh.m, a, sh.k, p, 0, sh.n, bias, ActReLU6, c, sh.n)
				}
				gflops := GemmFLOPs(sh.m, sh.n, sh.k) * float64(b.N) / b.Elapsed().Seconds() / 1e9
				b.ReportMetric(gflops, "GFLOP/s")
				b.ReportMetric(100*gflops/peak, "%peak")
			})
		}
	}
}

// BenchmarkGemmPaddedLDA runs the K >= 512 shapes with lda = K+16: with
// lda = K = 1024 (or 512) the A rows of a block are 4 KiB (2 KiB) apart and
// share L1 sets; compare with BenchmarkGemm's lda = K.
func BenchmarkGemmPaddedLDA(b *testing.B) {
	for _, ks := range Available() {
		ws := new(Workspace)
		if ks.Generic() {
			continue
		}
		for _, sh := range gemmBenchShapes {
			if sh.k < 512 || sh.m < 16 {
				continue
			}
			b.Run(fmt.Sprintf("%v/%s", ks, sh.name), func(b *testing.B) {
				lda := sh.k + 16
				a := make([]float32, sh.m*lda)
				w := make([]float32, sh.k*sh.n)
				bias := make([]float32, sh.n)
				rng := rand.New(rand.NewPCG(1, 2))
				for _, s := range [][]float32{a, w, bias} {
					for i := range s {
						s[i] = rng.Float32()*2 - 1
					}
				}
				c := make([]float32, sh.m*sh.n)
				p := PackB(sh.k, sh.n, w, sh.n)
				peak := ks.PeakGFLOPS(20 * time.Millisecond)
				for b.Loop() {
					Gemm(ks, ws, sh.m, a, lda, p, 0, sh.n, bias, ActReLU6, c, sh.n)
				}
				gflops := GemmFLOPs(sh.m, sh.n, sh.k) * float64(b.N) / b.Elapsed().Seconds() / 1e9
				b.ReportMetric(gflops, "GFLOP/s")
				b.ReportMetric(100*gflops/peak, "%peak")
			})
		}
	}
}

// BenchmarkGemmSegs runs output rows of convolutions as implicit GEMMs
// (GemmSegs): MobileNet's first layer (111 interior pixels of a 224x224x3
// image, 3x3 stride 2: segments of 9 values an image row apart, rows 6
// values apart) and a 3x3 stride-1 layer on 56x56x64 (segments of 192).
func BenchmarkGemmSegs(b *testing.B) {
	for _, ks := range Available() {
		ws := new(Workspace)
		for _, sh := range []struct {
			name       string
			m, lda, n  int
			sg         Segs
			imageValue int
		}{
			{"conv1_row_111x3x9x32", 111, 6, 32, Segs{N: 3, Len: 9, Stride: 224 * 3}, 3 * 224 * 3},
			{"conv3x3_row_54x3x192x64", 54, 64, 64, Segs{N: 3, Len: 192, Stride: 56 * 64}, 3 * 56 * 64},
		} {
			b.Run(fmt.Sprintf("%v/%s", ks, sh.name), func(b *testing.B) {
				rng := rand.New(rand.NewPCG(1, 2))
				a := make([]float32, sh.imageValue)
				k := sh.sg.N * sh.sg.Len
				w := make([]float32, k*sh.n)
				for _, s := range [][]float32{a, w} {
					for i := range s {
						s[i] = rng.Float32()*2 - 1
					}
				}
				c := make([]float32, sh.m*sh.n)
				p := PackB(k, sh.n, w, sh.n)
				for b.Loop() {
					GemmSegs(ks, ws, sh.m, a, sh.lda, sh.sg, p, 0, sh.n, w[:sh.n], ActReLU6, c, sh.n)
				}
				b.ReportMetric(GemmFLOPs(sh.m, sh.n, k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkGemmInterleaved is the tuning harness for a shared, noisy
// machine: each iteration runs one short round of every MobileNet shape
// (about 2 ms each) and of the peak kernel, interleaved, and the reported
// metrics are each shape's best rate over all rounds and that rate as a
// share of the best peak (a round a neighbour disturbed loses to the
// others, where a median would carry it). Run it with enough rounds:
//
//	go test -run '^$' -bench GemmInterleaved -benchtime 40x ./exec/internal/kernels
func BenchmarkGemmInterleaved(b *testing.B) {
	for _, ks := range Available() {
		if ks.Generic() {
			continue
		}
		b.Run(ks.String(), func(b *testing.B) {
			type shape struct {
				name string
				fl   float64
				run  func()
				best float64
			}
			ws := new(Workspace)
			var shapes []*shape
			for _, sh := range gemmBenchShapes {
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
				p := PackB(sh.k, sh.n, w, sh.n)
				shapes = append(shapes, &shape{name: sh.name, fl: GemmFLOPs(sh.m, sh.n, sh.k),
					run: func() { Gemm(ks, ws, sh.m, a, sh.k, p, 0, sh.n, bias, ActReLU6, c, sh.n) }})
			}
			peak := 0.0
			for b.Loop() {
				peak = max(peak, ks.PeakGFLOPS(2*time.Millisecond))
				for _, s := range shapes {
					n, t0 := 0, time.Now()
					for time.Since(t0) < 2*time.Millisecond || n < 2 {
						s.run()
						n++
					}
					s.best = max(s.best, s.fl*float64(n)/time.Since(t0).Seconds()/1e9)
				}
			}
			b.ReportMetric(peak, "GFLOP/s-peak")
			for _, s := range shapes {
				b.ReportMetric(s.best, "GFLOP/s-"+s.name)
				b.ReportMetric(100*s.best/peak, "%peak-"+s.name)
			}
		})
	}
}
