package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// refDW is the float64 reference depthwise convolution (dense h x w x c*m
// output), weights [KH][KW][C*Mult].
func refDW(s *DWShape, in *tview, w, bias []float32, act Act) []float64 {
	cm := s.OutC()
	out := make([]float64, s.OutH*s.OutW*cm)
	for oy := 0; oy < s.OutH; oy++ {
		for ox := 0; ox < s.OutW; ox++ {
			for oc := 0; oc < cm; oc++ {
				sum := 0.0
				if bias != nil {
					sum = float64(bias[oc])
				}
				for kh := 0; kh < s.KH; kh++ {
					for kw := 0; kw < s.KW; kw++ {
						iy, ix := oy*s.SH-s.PadTop+kh, ox*s.SW-s.PadLeft+kw
						if iy < 0 || iy >= s.InH || ix < 0 || ix >= s.InW {
							continue
						}
						sum += float64(in.at(iy, ix, oc/s.Mult)) * float64(w[(kh*s.KW+kw)*cm+oc])
					}
				}
				out[(oy*s.OutW+ox)*cm+oc] = refAct(act, sum)
			}
		}
	}
	return out
}

type dwCase struct {
	s                   DWShape
	inStride, outStride int
	oy0, oy1            int
	act                 Act
	bias                bool
	desc                string
}

func randDWCase(rng *rand.Rand) dwCase {
	ks := []int{1, 3, 3, 3, 5, 5, 7}
	var c dwCase
	s := &c.s
	s.KH = ks[rng.IntN(len(ks))]
	s.KW = s.KH
	if rng.IntN(5) == 0 {
		s.KW = ks[rng.IntN(len(ks))]
	}
	s.SH = 1 + rng.IntN(2)
	if rng.IntN(8) == 0 {
		s.SH = 3
	}
	s.SW = s.SH
	if rng.IntN(6) == 0 {
		s.SW = 1 + rng.IntN(3)
	}
	s.InH = 1 + rng.IntN(12)
	s.InW = 1 + rng.IntN(40)
	s.C = tChannels[rng.IntN(len(tChannels))]
	s.Mult = 1
	if rng.IntN(5) == 0 {
		s.Mult = 2
	}
	var hn, wn string
	s.OutH, s.PadTop, hn = tPadChoice(rng, s.InH, s.KH, s.SH)
	s.OutW, s.PadLeft, wn = tPadChoice(rng, s.InW, s.KW, s.SW)
	c.inStride = s.C + []int{0, 0, 1, 5}[rng.IntN(4)]
	c.outStride = s.OutC() + []int{0, 0, 3, 8}[rng.IntN(4)]
	c.oy0, c.oy1 = 0, s.OutH
	if rng.IntN(3) == 0 {
		c.oy0 = rng.IntN(s.OutH)
		c.oy1 = c.oy0 + 1 + rng.IntN(s.OutH-c.oy0)
	}
	c.act = Act(rng.IntN(int(numActs)))
	c.bias = rng.IntN(4) != 0
	c.desc = fmt.Sprintf("%dx%dx%d m%d k%dx%d s%dx%d pad %d,%d (%s/%s) out %dx%d str %d/%d rows [%d,%d) %v bias=%v",
		s.InH, s.InW, s.C, s.Mult, s.KH, s.KW, s.SH, s.SW, s.PadTop, s.PadLeft, hn, wn, s.OutH, s.OutW,
		c.inStride, c.outStride, c.oy0, c.oy1, c.act, c.bias)
	return c
}

func runDWCase(t *testing.T, rng *rand.Rand, c dwCase, sets []*Set) {
	t.Helper()
	s := &c.s
	cm := s.OutC()
	in := newTView(s.InH, s.InW, s.C, c.inStride, tRandVal(rng))
	inOrig := append([]float32(nil), in.buf...)
	w := make([]float32, s.KH*s.KW*cm)
	for i := range w {
		w[i] = rng.Float32()*2 - 1
	}
	var bias []float32
	if c.bias {
		bias = make([]float32, cm)
		for i := range bias {
			bias[i] = rng.Float32()*2 - 1
		}
	}
	ref := refDW(s, in, w, bias, c.act)
	for _, ks := range sets {
		for _, pack := range []*Set{ks, Generic()} {
			if pack.Generic() && ks.Generic() {
				continue
			}
			pw := PackDW(pack, *s, w)
			out := newTView(s.OutH, s.OutW, cm, c.outStride, nil)
			Depthwise(ks, nil, s, in.data, c.inStride, pw, bias, c.act, out.data, c.outStride, c.oy0, c.oy1)
			what := fmt.Sprintf("%v (packed %v) %s", ks, pack, c.desc)
			out.checkOut(t, what, ref, c.oy0, c.oy1, 1e-5)
			in.checkSame(t, what, inOrig)
		}
	}
}

func TestDepthwiseRandom(t *testing.T) {
	sets := testSets(t)
	rng := rand.New(rand.NewPCG(1, 2))
	n := 600
	if testing.Short() {
		n = 150
	}
	for range n {
		c := randDWCase(rng)
		runDWCase(t, rng, c, sets)
		if t.Failed() {
			return
		}
	}
}

// TestDepthwiseBlockPaths aims at the vector kernels' cases: interior runs
// shorter than, equal to and longer than a block (with the overlapping last
// block), tails of every length, the channel-group unroll, both strides and
// kernel sizes, every padding at the top and bottom.
func TestDepthwiseBlockPaths(t *testing.T) {
	sets := testSets(t)
	rng := rand.New(rand.NewPCG(3, 4))
	for _, k := range []int{3, 5} {
		for _, st := range []int{1, 2} {
			for _, inW := range []int{k, k + 4, k + 5*st, k + 6*st, k + 7*st, 2*k + 13*st} {
				for _, ch := range []int{1, 7, 8, 15, 16, 17, 39, 64, 71} {
					c := dwCase{}
					s := &c.s
					*s = DWShape{InH: 4 + rng.IntN(4), InW: inW, C: ch, Mult: 1, KH: k, KW: k, SH: st, SW: st}
					s.OutH, s.PadTop, _ = tPadChoice(rng, s.InH, k, st)
					s.OutW, s.PadLeft, _ = tPadChoice(rng, s.InW, k, st)
					c.inStride, c.outStride = ch+rng.IntN(2)*3, ch+rng.IntN(2)*5
					c.oy0, c.oy1 = 0, s.OutH
					c.act = Act(rng.IntN(int(numActs)))
					c.bias = true
					c.desc = fmt.Sprintf("k%d s%d in %dx%dx%d pad %d,%d out %dx%d", k, st, s.InH, inW, ch, s.PadTop, s.PadLeft, s.OutH, s.OutW)
					runDWCase(t, rng, c, sets)
				}
			}
		}
	}
}

// mobileNetDW lists the depthwise layers of MobileNet v1 1.0-224 and
// 0.25-128 (input H=W, channels, stride), TF SAME padding.
var mobileNetDW = []struct{ hw, c, s int }{
	{112, 32, 1}, {112, 64, 2}, {56, 128, 1}, {56, 128, 2}, {28, 256, 1}, {28, 256, 2},
	{14, 512, 1}, {14, 512, 2}, {7, 1024, 1},
	{64, 8, 1}, {64, 16, 2}, {32, 32, 1}, {32, 32, 2}, {16, 64, 1}, {16, 64, 2}, {8, 128, 1}, {8, 128, 2}, {4, 256, 1},
}

func dwSameShape(hw, c, k, st int) DWShape {
	out := (hw + st - 1) / st
	pad := max((out-1)*st+k-hw, 0) / 2
	return DWShape{InH: hw, InW: hw, C: c, Mult: 1, KH: k, KW: k, SH: st, SW: st, PadTop: pad, PadLeft: pad, OutH: out, OutW: out}
}

func TestDepthwiseMobileNet(t *testing.T) {
	sets := testSets(t)
	rng := rand.New(rand.NewPCG(5, 6))
	for _, l := range mobileNetDW {
		if testing.Short() && l.hw*l.hw*l.c > 100000 {
			continue
		}
		c := dwCase{s: dwSameShape(l.hw, l.c, 3, l.s), act: ActReLU6, bias: true}
		c.inStride, c.outStride = l.c, l.c
		c.oy0, c.oy1 = 0, c.s.OutH
		c.desc = fmt.Sprintf("mobilenet %dx%dx%d s%d", l.hw, l.hw, l.c, l.s)
		runDWCase(t, rng, c, sets)
	}
}

func TestDepthwiseNoAlloc(t *testing.T) {
	s := dwSameShape(20, 37, 3, 1)
	in := make([]float32, s.InH*s.InW*s.C)
	out := make([]float32, s.OutH*s.OutW*s.C)
	w := make([]float32, 9*s.C)
	ws := new(Workspace)
	for _, ks := range Available() {
		pw := PackDW(ks, s, w)
		for act := range numActs {
			allocs := testing.AllocsPerRun(20, func() {
				Depthwise(ks, ws, &s, in, s.C, pw, nil, act, out, s.C, 0, s.OutH)
			})
			if allocs != 0 {
				t.Errorf("%v %v: %v allocations per call", ks, act, allocs)
			}
		}
	}
}

func TestDepthwisePanics(t *testing.T) {
	s := dwSameShape(8, 4, 3, 1)
	g := Generic()
	w := PackDW(g, s, make([]float32, 9*4))
	in := make([]float32, 8*8*4)
	out := make([]float32, 8*8*4)
	for name, f := range map[string]func(){
		"short input":  func() { Depthwise(g, nil, &s, in[:len(in)-1], 4, w, nil, ActNone, out, 4, 0, 8) },
		"short output": func() { Depthwise(g, nil, &s, in, 4, w, nil, ActNone, out[:len(out)-1], 4, 0, 8) },
		"rows":         func() { Depthwise(g, nil, &s, in, 4, w, nil, ActNone, out, 4, 0, 9) },
		"stride":       func() { Depthwise(g, nil, &s, in, 3, w, nil, ActNone, out, 4, 0, 8) },
		"bias":         func() { Depthwise(g, nil, &s, in, 4, w, make([]float32, 3), ActNone, out, 4, 0, 8) },
		"weights":      func() { PackDW(g, s, make([]float32, 9*4-1)) },
		"activation":   func() { Depthwise(g, nil, &s, in, 4, w, nil, numActs, out, 4, 0, 8) },
		"unsupported":  func() { Depthwise(&Set{name: "unsupported"}, nil, &s, in, 4, w, nil, ActNone, out, 4, 0, 8) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// TestDepthwiseConcurrentRows runs disjoint row ranges concurrently (as the
// executor does) and expects exactly the single-call result.
func TestDepthwiseConcurrentRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 20))
	s := dwSameShape(23, 45, 3, 1)
	in := make([]float32, s.InH*s.InW*s.C)
	for i := range in {
		in[i] = rng.Float32()*2 - 1
	}
	w := make([]float32, 9*s.C)
	for i := range w {
		w[i] = rng.Float32()*2 - 1
	}
	for _, ks := range testSets(t) {
		pw := PackDW(ks, s, w)
		want := make([]float32, s.OutH*s.OutW*s.C)
		Depthwise(ks, nil, &s, in, s.C, pw, nil, ActReLU, want, s.C, 0, s.OutH)
		got := make([]float32, len(want))
		done := make(chan bool)
		bounds := []int{0, 5, 6, 13, 23}
		for i := 0; i+1 < len(bounds); i++ {
			go func(y0, y1 int) {
				Depthwise(ks, nil, &s, in, s.C, pw, nil, ActReLU, got, s.C, y0, y1)
				done <- true
			}(bounds[i], bounds[i+1])
		}
		for i := 0; i+1 < len(bounds); i++ {
			<-done
		}
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("%v: concurrent rows differ at %d: %v vs %v", ks, i, got[i], want[i])
			}
		}
	}
}
