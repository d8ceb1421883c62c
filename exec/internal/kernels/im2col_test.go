package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestIm2colRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	ks := []int{1, 3, 5, 7}
	for it := range 400 {
		var s ConvShape
		s.KH = ks[rng.IntN(len(ks))]
		s.KW = s.KH
		if rng.IntN(4) == 0 {
			s.KW = ks[rng.IntN(len(ks))]
		}
		s.SH, s.SW = 1+rng.IntN(2), 1+rng.IntN(2)
		s.InH, s.InW = 1+rng.IntN(10), 1+rng.IntN(10)
		s.Groups = []int{1, 1, 2, 3}[rng.IntN(4)]
		s.C = s.Groups * []int{1, 3, 4, 7, 8, 17}[rng.IntN(6)]
		s.OutH, s.PadTop, _ = tPadChoice(rng, s.InH, s.KH, s.SH)
		s.OutW, s.PadLeft, _ = tPadChoice(rng, s.InW, s.KW, s.SW)
		inStride := s.C + []int{0, 0, 5}[rng.IntN(3)]
		k := s.Im2colK()
		ld := k + []int{0, 0, 3, 16}[rng.IntN(4)]
		rows := s.Rows()
		r0, r1 := 0, rows
		if rng.IntN(2) == 0 {
			r0 = rng.IntN(rows)
			r1 = r0 + 1 + rng.IntN(rows-r0)
		}
		g := rng.IntN(s.Groups)
		in := newTView(s.InH, s.InW, s.C, inStride, tRandVal(rng))
		orig := append([]float32(nil), in.buf...)
		// dst viewed as (r1-r0) "pixels" of k channels at stride ld.
		dst := newTView(1, r1-r0, k, ld, nil)
		Im2col(&s, g, in.data, inStride, dst.data, ld, r0, r1)
		ref := make([]float64, (r1-r0)*k)
		cg := s.C / s.Groups
		for r := r0; r < r1; r++ {
			oy, ox := r/s.OutW, r%s.OutW
			for kh := range s.KH {
				for kw := range s.KW {
					for c := range cg {
						iy, ix := oy*s.SH-s.PadTop+kh, ox*s.SW-s.PadLeft+kw
						v := 0.0
						if iy >= 0 && iy < s.InH && ix >= 0 && ix < s.InW {
							v = float64(in.at(iy, ix, g*cg+c))
						}
						ref[(r-r0)*k+(kh*s.KW+kw)*cg+c] = v
					}
				}
			}
		}
		desc := fmt.Sprintf("#%d %+v g%d str %d ld %d rows [%d,%d)", it, s, g, inStride, ld, r0, r1)
		dst.checkOut(t, desc, ref, 0, 1, 0)
		in.checkSame(t, desc, orig)
		// Exactness: a copy, so bit for bit (no -0/+0 games either).
		for i := range ref {
			r, c := i/k, i%k
			if got := dst.data[r*ld+c]; math.Float32bits(got) != math.Float32bits(float32(ref[i])) {
				t.Errorf("%s: not bit-exact at row %d col %d", desc, r, c)
				break
			}
		}
		if t.Failed() {
			return
		}
	}
}

func TestIm2colNoAlloc(t *testing.T) {
	s := ConvShape{InH: 10, InW: 10, C: 3, KH: 3, KW: 3, SH: 2, SW: 2, PadTop: 0, PadLeft: 0, OutH: 5, OutW: 5, Groups: 1}
	in := make([]float32, 300)
	dst := make([]float32, 25*27)
	if n := testing.AllocsPerRun(10, func() { Im2col(&s, 0, in, 3, dst, 27, 0, 25) }); n != 0 {
		t.Errorf("%v allocations per call", n)
	}
}
