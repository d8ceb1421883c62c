package kernels

import "testing"

// dkBenchISAs runs f as a sub-benchmark per available kernel set.
func dkBenchISAs(b *testing.B, f func(b *testing.B, ks *Set, ws *Workspace)) {
	for _, ks := range Available() {
		b.Run(ks.String(), func(b *testing.B) { f(b, ks, new(Workspace)) })
	}
}

// Benchmarks of the direct kernels on shapes from the zoo's networks; times
// per call on one core, "cpu-µs" being thread CPU time (see dkTimeLoop).

func dkBenchReport(b *testing.B, bytes float64, f func()) {
	wall, cpu := dkTimeLoop(b, f)
	b.ReportMetric(bytes/cpu/1e9, "GB/s")
	b.ReportMetric(wall*1e6, "µs")
	b.ReportMetric(cpu*1e6, "cpu-µs")
}

func BenchmarkMaxPool3x3s2(b *testing.B) { // GoogLeNet pool2: 56x56x192 -> 28x28, Caffe ceil mode
	s := PoolShape{InH: 56, InW: 56, C: 192, KH: 3, KW: 3, SH: 2, SW: 2, OutH: 28, OutW: 28}
	in := make([]float32, 56*56*192)
	out := make([]float32, 28*28*192)
	dkBenchISAs(b, func(b *testing.B, ks *Set, ws *Workspace) {
		dkBenchReport(b, 4*float64(len(in)+len(out)), func() { MaxPool(ks, ws, &s, in, 192, out, 192, 0, 28) })
	})
}

func BenchmarkAvgPool3x3s1(b *testing.B) { // Inception branch pool: 28x28x256, SAME
	s := PoolShape{InH: 28, InW: 28, C: 256, KH: 3, KW: 3, SH: 1, SW: 1, PadTop: 1, PadLeft: 1, OutH: 28, OutW: 28, PadBottom: 1, PadRight: 1}
	in := make([]float32, 28*28*256)
	out := make([]float32, 28*28*256)
	dkBenchISAs(b, func(b *testing.B, ks *Set, ws *Workspace) {
		dkBenchReport(b, 4*float64(len(in)+len(out)), func() { AvgPool(ks, ws, &s, false, in, 256, out, 256, 0, 28) })
	})
}

func BenchmarkGlobalAvgPool7x7x1024(b *testing.B) { // MobileNet v1 head
	in := make([]float32, 7*7*1024)
	out := make([]float32, 1024)
	dkBenchISAs(b, func(b *testing.B, ks *Set, ws *Workspace) {
		dkBenchReport(b, 4*float64(len(in)+len(out)), func() { GlobalAvgPool(ks, ws, in, 7, 7, 1024, 1024, out) })
	})
}

func BenchmarkLRN56x56x192(b *testing.B) { // GoogLeNet norm2
	in := make([]float32, 56*56*192)
	for i := range in {
		in[i] = float32(i%7) * 0.3
	}
	out := make([]float32, len(in))
	p := LRNParams{Size: 5, Alpha: 1e-4, Beta: 0.75, K: 1}
	dkBenchReport(b, 4*float64(len(in)+len(out)), func() { LRN(p, 192, in, 192, out, 192, 0, 56*56) })
}

func BenchmarkSoftmax1001(b *testing.B) {
	in := make([]float32, 1001)
	for i := range in {
		in[i] = float32(i%17) * 0.5
	}
	out := make([]float32, len(in))
	dkBenchReport(b, 8*1001, func() { Softmax(in, out) })
}

func BenchmarkIm2colFirstConv(b *testing.B) { // MobileNet v1 conv1: 224x224x3, 3x3 s2 SAME -> 112x112x27
	s := ConvShape{InH: 224, InW: 224, C: 3, KH: 3, KW: 3, SH: 2, SW: 2, PadTop: 0, PadLeft: 0, OutH: 112, OutW: 112, Groups: 1}
	in := make([]float32, 224*224*3)
	dst := make([]float32, 112*112*27)
	dkBenchReport(b, 4*float64(len(in)+len(dst)), func() { Im2col(&s, 0, in, 3, dst, 27, 0, s.Rows()) })
}

func BenchmarkIm2col3x3x64(b *testing.B) { // a ResNet-style 3x3 conv: 56x56x64, pad 1
	s := ConvShape{InH: 56, InW: 56, C: 64, KH: 3, KW: 3, SH: 1, SW: 1, PadTop: 1, PadLeft: 1, OutH: 56, OutW: 56, Groups: 1}
	in := make([]float32, 56*56*64)
	dst := make([]float32, 56*56*576)
	dkBenchReport(b, 4*float64(len(in)+len(dst)), func() { Im2col(&s, 0, in, 64, dst, 576, 0, s.Rows()) })
}
