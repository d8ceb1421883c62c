package kernels

import (
	"fmt"
	"testing"
	"time"
)

// mobileNet224DW is the depthwise stack of MobileNet v1 1.0-224 in order
// (the 14x14x512 stride-1 layer appears five times).
var mobileNet224DW = []struct{ hw, c, s int }{
	{112, 32, 1}, {112, 64, 2}, {56, 128, 1}, {56, 128, 2}, {28, 256, 1}, {28, 256, 2},
	{14, 512, 1}, {14, 512, 1}, {14, 512, 1}, {14, 512, 1}, {14, 512, 1}, {14, 512, 2}, {7, 1024, 1},
}

type dwBench struct {
	s     DWShape
	in    []float32
	out   []float32
	bias  []float32
	w     *PackedDW
	bytes float64
	flops float64
	ws    Workspace
}

func newDWBench(ks *Set, s DWShape) *dwBench {
	b := &dwBench{s: s}
	b.in = make([]float32, s.InH*s.InW*s.C)
	for i := range b.in {
		b.in[i] = float32(i%17) * 0.1
	}
	b.out = make([]float32, s.OutH*s.OutW*s.C)
	b.bias = make([]float32, s.C)
	w := make([]float32, s.KH*s.KW*s.C)
	for i := range w {
		w[i] = float32(i%5) * 0.01
	}
	b.w = PackDW(ks, s, w)
	b.bytes = 4 * float64(len(b.in)+len(b.out)+len(w)+len(b.bias))
	b.flops = float64(s.FLOPs())
	return b
}

func (b *dwBench) run(ks *Set) {
	Depthwise(ks, &b.ws, &b.s, b.in, b.s.C, b.w, b.bias, ActReLU6, b.out, b.s.C, 0, b.s.OutH)
}

// dkTimeLoop runs f under b.Loop on a locked OS thread and returns the wall
// and thread-CPU seconds per call. On a machine shared with other work the
// CPU time is the better measure of the kernel (it excludes the time the
// thread was descheduled), so the throughput metrics use it where available.
func dkTimeLoop(b *testing.B, f func()) (wall, cpu float64) {
	dkLockThread()
	defer dkUnlockThread()
	start, cstart := time.Now(), dkThreadCPU()
	for b.Loop() {
		f()
	}
	wall = time.Since(start).Seconds() / float64(b.N)
	cpu = (dkThreadCPU() - cstart) / float64(b.N)
	if !dkHaveThreadCPU {
		cpu = wall
	}
	return wall, cpu
}

// BenchmarkDepthwise times each MobileNet depthwise shape (TF SAME, ReLU6,
// one image, one core) and reports µs per call (wall), cpu-µs (thread CPU
// time), and from the latter GB/s (input+output+weights+bias bytes) and
// GFLOP/s (2*KH*KW*C*OutH*OutW).
func BenchmarkDepthwise(b *testing.B) {
	for _, ks := range Available() {
		for _, l := range mobileNetDW {
			s := dwSameShape(l.hw, l.c, 3, l.s)
			name := fmt.Sprintf("%v/%dx%dx%ds%d", ks, l.hw, l.hw, l.c, l.s)
			b.Run(name, func(b *testing.B) {
				d := newDWBench(ks, s)
				wall, cpu := dkTimeLoop(b, func() { d.run(ks) })
				b.ReportMetric(d.bytes/cpu/1e9, "GB/s")
				b.ReportMetric(d.flops/cpu/1e9, "GFLOP/s")
				b.ReportMetric(wall*1e6, "µs")
				b.ReportMetric(cpu*1e6, "cpu-µs")
			})
		}
	}
}

// BenchmarkDepthwiseMobileNet224 runs the 13 depthwise layers of MobileNet v1
// 1.0-224 back to back through two arena buffers, each layer reading what the
// previous one wrote (as the executor would, with a pointwise layer between).
func BenchmarkDepthwiseMobileNet224(b *testing.B) {
	for _, ks := range Available() {
		b.Run(ks.String(), func(b *testing.B) {
			var ds []*dwBench
			flops, size := 0.0, 0
			for _, l := range mobileNet224DW {
				d := newDWBench(ks, dwSameShape(l.hw, l.c, 3, l.s))
				ds = append(ds, d)
				flops += d.flops
				size = max(size, len(d.in), len(d.out))
			}
			bufs := [2][]float32{make([]float32, size), make([]float32, size)}
			for i := range bufs[0] {
				bufs[0][i] = float32(i%13) * 0.1
			}
			for _, d := range ds { // share the arenas
				d.in, d.out = nil, nil
			}
			wall, cpu := dkTimeLoop(b, func() {
				for i, d := range ds {
					d.in, d.out = bufs[i%2], bufs[1-i%2]
					d.run(ks)
				}
			})
			b.ReportMetric(flops/cpu/1e9, "GFLOP/s")
			b.ReportMetric(wall*1e6, "µs")
			b.ReportMetric(cpu*1e6, "cpu-µs")
		})
	}
}
