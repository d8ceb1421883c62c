package exec

import (
	"fmt"
	"testing"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/exec/internal/kernels"
	"mnet.dev/mnet/spec"
)

// BenchmarkMobileNet runs whole MobileNet v1 inferences (batch 1, random
// weights) for 1.0-224 and 0.25-128 on every kernel set and 1 and 2
// threads; GFLOP/s is 2 x mult-adds per second.
func BenchmarkMobileNet(b *testing.B) {
	for _, cfg := range []struct {
		alpha float64
		res   int
	}{{1, 224}, {0.25, 128}} {
		r := reportFor(b, "mobilenet_v1", spec.Options{Alpha: cfg.alpha, Resolution: cfg.res})
		for _, isa := range kernels.Available() {
			for _, threads := range []int{1, 2} {
				name := fmt.Sprintf("%g-%d/%s/threads=%d", cfg.alpha, cfg.res, isa, threads)
				b.Run(name, func(b *testing.B) {
					p, err := Compile(r, Options{Kernels: isa.String(), Threads: threads})
					if err != nil {
						b.Fatal(err)
					}
					defer p.Close()
					randomInput(p, 1)
					p.Run()
					for b.Loop() {
						p.Run()
					}
					b.ReportMetric(2*float64(r.Totals.MultAdds)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}

// BenchmarkFirstConv runs MobileNet's first layer alone (224x224x3, 3x3
// stride 2, TF SAME, 32 filters, ReLU6; one thread) through the
// implicit-GEMM path and through im2col + GEMM.
func BenchmarkFirstConv(b *testing.B) {
	for _, cfg := range []struct{ res, filters int }{{224, 32}, {128, 8}} {
		r := parseReport(b, fmt.Sprintf(`input: {height: %d, width: %d, channels: 3}
padding: tf
defaults: {bias: true, activation: relu6}
layers:
  - {type: conv, filters: %d, kernel: 3, stride: 2, padding: same}
`, cfg.res, cfg.res, cfg.filters))
		benchFirstConv(b, r, fmt.Sprintf("%dx%dx3-%d", cfg.res, cfg.res, cfg.filters))
	}
}

func benchFirstConv(b *testing.B, r *analyze.Report, name string) {
	for _, isa := range kernels.Available() {
		for _, direct := range []bool{true, false} {
			b.Run(fmt.Sprintf("%s/%v/direct=%v", name, isa, direct), func(b *testing.B) {
				p, err := Compile(r, Options{Kernels: isa.String(), Threads: 1})
				if err != nil {
					b.Fatal(err)
				}
				defer p.Close()
				o := p.jobs[0].Task.(*convOp)
				o.direct = direct
				p.jobs[0].N = o.items()
				randomInput(p, 1)
				for b.Loop() {
					p.Run()
				}
				b.ReportMetric(2*float64(r.Totals.MultAdds)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkMobileNetInt8 is BenchmarkMobileNet in int8 (calibrated random
// weights, TFLite's integer arithmetic); GMAC/s is mult-adds per second.
func BenchmarkMobileNetInt8(b *testing.B) {
	for _, cfg := range []struct {
		alpha float64
		res   int
	}{{1, 224}, {0.25, 128}} {
		r := reportFor(b, "mobilenet_v1", spec.Options{Alpha: cfg.alpha, Resolution: cfg.res, Precision: spec.PrecisionInt8})
		cal, err := Calibrate(r, Options{})
		if err != nil {
			b.Fatal(err)
		}
		cr, err := analyze.Analyze(cal)
		if err != nil {
			b.Fatal(err)
		}
		for _, isa := range kernels.Available() {
			for _, threads := range []int{1, 2} {
				name := fmt.Sprintf("%g-%d/%s/threads=%d", cfg.alpha, cfg.res, isa, threads)
				b.Run(name, func(b *testing.B) {
					p, err := Compile(cr, Options{Kernels: isa.String(), Threads: threads, Weights: Attached{}})
					if err != nil {
						b.Fatal(err)
					}
					defer p.Close()
					randomBytes(p, 1)
					p.Run()
					for b.Loop() {
						p.Run()
					}
					b.ReportMetric(float64(r.Totals.MultAdds)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GMAC/s")
				})
			}
		}
	}
}

// BenchmarkSuccessors runs whole MobileNetV2, V3-Large and V3-Small
// inferences at 1.0-224 (batch 1, random weights) on every kernel set and 1
// and 2 threads: the networks the ONNX Runtime comparison times.
func BenchmarkSuccessors(b *testing.B) {
	for _, model := range []string{"mobilenet_v2", "mobilenet_v3_large", "mobilenet_v3_small"} {
		r := reportFor(b, model, spec.Options{})
		for _, isa := range kernels.Available() {
			for _, threads := range []int{1, 2} {
				b.Run(fmt.Sprintf("%s/%s/threads=%d", model, isa, threads), func(b *testing.B) {
					p, err := Compile(r, Options{Kernels: isa.String(), Threads: threads})
					if err != nil {
						b.Fatal(err)
					}
					defer p.Close()
					randomInput(p, 1)
					p.Run()
					for b.Loop() {
						p.Run()
					}
					b.ReportMetric(2*float64(r.Totals.MultAdds)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}
