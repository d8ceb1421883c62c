package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// TestQDepthwise runs random int8 depthwise convolutions (kernel sizes 1
// to 7, strides 1 to 3, every padding, odd channel counts, multipliers,
// pixel strides above the channel count, row ranges, zero points 0, 128,
// 255 and random) on every set and requires TFLite's bytes, computed
// literally: bias + sum over the in-bounds taps of (x - zx)(w - zw),
// MultiplyByQuantizedMultiplier, the output zero point, the clamp.
func TestQDepthwise(t *testing.T) {
	sets := testSets(t)
	rng := rand.New(rand.NewPCG(31, 1))
	for it := range 400 {
		runQDWCase(t, rng, randDWCase(rng), it, sets)
	}
	// The interior block kernels: both kernel sizes and strides, runs
	// shorter than, equal to and longer than a block (with the overlapping
	// last one), channel counts with and without a partial vector, top and
	// bottom borders (fewer kernel rows).
	it := 0
	for _, k := range []int{3, 5} {
		for _, st := range []int{1, 2} {
			for _, inW := range []int{k + 3*st, k + 7*st, k + 8*st, 2*k + 19*st} {
				for _, ch := range []int{8, 16, 24, 29, 64} {
					var c dwCase
					c.s = DWShape{InH: 3 + rng.IntN(4), InW: inW, C: ch, Mult: 1, KH: k, KW: k, SH: st, SW: st}
					c.s.OutH, c.s.PadTop, _ = tPadChoice(rng, c.s.InH, k, st)
					c.s.OutW, c.s.PadLeft, _ = tPadChoice(rng, c.s.InW, k, st)
					c.inStride, c.outStride = ch+rng.IntN(2)*3, ch
					c.oy0, c.oy1 = 0, c.s.OutH
					c.desc = fmt.Sprintf("block k%d s%d in %dx%dx%d pad %d,%d", k, st, c.s.InH, inW, ch, c.s.PadTop, c.s.PadLeft)
					runQDWCase(t, rng, c, it, sets)
					it++
				}
			}
		}
	}
}

// runQDWCase runs one int8 depthwise case on every set against TFLite's
// literal arithmetic.
func runQDWCase(t *testing.T, rng *rand.Rand, c dwCase, it int, sets []*Set) {
	t.Helper()
	{
		s := &c.s
		cm := s.OutC()
		zx := []int32{0, 128, 255, int32(rng.IntN(256))}[rng.IntN(4)]
		in := make([]uint8, (s.InH*s.InW-1)*c.inStride+s.C)
		for i := range in {
			in[i] = uint8(rng.IntN(256))
		}
		w := make([]int32, s.KH*s.KW*cm)
		for i := range w {
			w[i] = int32(rng.IntN(511) - 255)
		}
		bias := make([]int32, cm)
		for i := range bias {
			bias[i] = int32(rng.IntN(1<<16)) - 1<<15
		}
		mult, shift := make([]int32, cm), make([]int, cm)
		for i := range mult {
			mult[i], shift[i] = 1<<30+int32(rng.IntN(1<<30)), -rng.IntN(16)
			if it%7 == 6 {
				shift[i] = rng.IntN(3)
			}
		}
		zo := int32(rng.IntN(256))
		lo, hi := int32(0), int32(255)
		if it%2 == 1 {
			lo, hi = zo, min(255, zo+int32(rng.IntN(180)))
		}
		q, err := NewQOut(cm, mult, shift, zo, lo, hi)
		if err != nil {
			t.Fatal(err)
		}
		want := make([]uint8, s.OutH*s.OutW*cm)
		for oy := range s.OutH {
			for ox := range s.OutW {
				for oc := range cm {
					acc := bias[oc]
					for kh := range s.KH {
						for kw := range s.KW {
							iy, ix := oy*s.SH-s.PadTop+kh, ox*s.SW-s.PadLeft+kw
							if iy < 0 || iy >= s.InH || ix < 0 || ix >= s.InW {
								continue
							}
							acc += (int32(in[(iy*s.InW+ix)*c.inStride+oc/s.Mult]) - zx) * w[(kh*s.KW+kw)*cm+oc]
						}
					}
					v := refMBQM(acc, mult[oc], shift[oc]) + zo
					want[(oy*s.OutW+ox)*cm+oc] = uint8(min(max(v, lo), hi))
				}
			}
		}
		pw := PackQDW(*s, w)
		for _, ks := range sets {
			const guard = 0x5a
			buf := make([]uint8, (s.OutH*s.OutW-1)*c.outStride+cm+2*guardLen)
			for i := range buf {
				buf[i] = guard
			}
			o := buf[guardLen : len(buf)-guardLen]
			QDepthwise(ks, nil, s, in, c.inStride, zx, pw, bias, q, o, c.outStride, c.oy0, c.oy1)
			for i, b := range buf {
				p, ch := (i-guardLen)/c.outStride, (i-guardLen)%c.outStride
				inside := i >= guardLen && i < len(buf)-guardLen && ch < cm && p >= c.oy0*s.OutW && p < c.oy1*s.OutW
				if !inside {
					if b != guard {
						t.Fatalf("%v %s: wrote outside the output rows at buffer offset %d", ks, c.desc, i)
					}
					continue
				}
				if w := want[p*cm+ch]; b != w {
					t.Fatalf("%v %s zx %d: pixel (%d,%d) ch %d = %d, TFLite %d", ks, c.desc, zx, p/s.OutW, p%s.OutW, ch, b, w)
				}
			}
		}
	}
}

// TestQAvgPool checks the int8 average pooling against TFLite's rule on
// random windows, for uint8 and for int8 (offset) data.
func TestQAvgPool(t *testing.T) {
	rng := rand.New(rand.NewPCG(32, 1))
	for it := range 300 {
		s := PoolShape{InH: 1 + rng.IntN(9), InW: 1 + rng.IntN(9), C: 1 + rng.IntN(40), KH: 1 + rng.IntN(4), KW: 1 + rng.IntN(4), SH: 1 + rng.IntN(3), SW: 1 + rng.IntN(3)}
		s.OutH, s.PadTop, _ = tPadChoice(rng, s.InH, s.KH, s.SH)
		s.OutW, s.PadLeft, _ = tPadChoice(rng, s.InW, s.KW, s.SW)
		signed := it%2 == 1
		in := make([]uint8, s.InH*s.InW*s.C)
		for i := range in {
			in[i] = uint8(rng.IntN(256))
		}
		lo, hi := int32(rng.IntN(60)), int32(200+rng.IntN(56))
		out := make([]uint8, s.OutH*s.OutW*s.C)
		QAvgPool(&s, signed, in, s.C, lo, hi, out, s.C, 0, s.OutH)
		for oy := range s.OutH {
			for ox := range s.OutW {
				for ch := range s.C {
					sum, n := int32(0), int32(0)
					for kh := range s.KH {
						for kw := range s.KW {
							iy, ix := oy*s.SH-s.PadTop+kh, ox*s.SW-s.PadLeft+kw
							if iy >= 0 && iy < s.InH && ix >= 0 && ix < s.InW {
								v := int32(in[(iy*s.InW+ix)*s.C+ch])
								if signed {
									v -= 128
								}
								sum += v
								n++
							}
						}
					}
					var r int32
					switch {
					case n == 0:
					case sum > 0 || !signed:
						r = (sum + n/2) / n
					default:
						r = (sum - n/2) / n
					}
					if signed {
						r += 128
					}
					r = min(max(r, lo), hi)
					if got := out[(oy*s.OutW+ox)*s.C+ch]; int32(got) != r {
						t.Fatalf("%+v signed %v: (%d,%d,%d) = %d, TFLite %d", s, signed, oy, ox, ch, got, r)
					}
				}
			}
		}
	}
}

// TestQIm2col checks the u8 im2col against a direct gather with the pad
// value, and the zeroed tail of each row.
func TestQIm2col(t *testing.T) {
	rng := rand.New(rand.NewPCG(33, 1))
	for range 200 {
		s := ConvShape{InH: 1 + rng.IntN(8), InW: 1 + rng.IntN(8), KH: 1 + rng.IntN(4), KW: 1 + rng.IntN(4), SH: 1 + rng.IntN(2), SW: 1 + rng.IntN(2), Groups: 1 + rng.IntN(2)}
		s.C = s.Groups * (1 + rng.IntN(5))
		s.OutH, s.PadTop, _ = tPadChoice(rng, s.InH, s.KH, s.SH)
		s.OutW, s.PadLeft, _ = tPadChoice(rng, s.InW, s.KW, s.SW)
		in := make([]uint8, s.InH*s.InW*s.C)
		for i := range in {
			in[i] = uint8(rng.IntN(256))
		}
		pad := uint8(rng.IntN(256))
		k := s.Im2colK()
		ld := (k+3)/4*4 + rng.IntN(3)
		g := rng.IntN(s.Groups)
		dst := make([]uint8, s.Rows()*ld)
		for i := range dst {
			dst[i] = 0xee
		}
		QIm2col(&s, g, in, s.C, pad, dst, ld, 0, s.Rows())
		cg := s.C / s.Groups
		for r := range s.Rows() {
			oy, ox := r/s.OutW, r%s.OutW
			for kh := range s.KH {
				for kw := range s.KW {
					for c := range cg {
						iy, ix := oy*s.SH-s.PadTop+kh, ox*s.SW-s.PadLeft+kw
						want := pad
						if iy >= 0 && iy < s.InH && ix >= 0 && ix < s.InW {
							want = in[(iy*s.InW+ix)*s.C+g*cg+c]
						}
						if got := dst[r*ld+(kh*s.KW+kw)*cg+c]; got != want {
							t.Fatalf("%+v: row %d tap (%d,%d) ch %d = %d, want %d", s, r, kh, kw, c, got, want)
						}
					}
				}
			}
			for j := k; j < ld; j++ {
				if dst[r*ld+j] != 0 {
					t.Fatalf("%+v: row %d column %d past K not zero", s, r, j)
				}
			}
		}
	}
}

// TestQDWArgsLayout pins qdwArgs to the generator's offsets.
func TestQDWArgsLayout(t *testing.T) {
	var a qdwArgs
	for _, f := range []struct {
		name     string
		got, off uintptr
	}{
		{"in", unsafe.Offsetof(a.in), 0}, {"w", unsafe.Offsetof(a.w), 8}, {"bias", unsafe.Offsetof(a.bias), 16},
		{"out", unsafe.Offsetof(a.out), 24}, {"cs", unsafe.Offsetof(a.cs), 32}, {"rsAdj", unsafe.Offsetof(a.rsAdj), 40},
		{"wstep", unsafe.Offsetof(a.wstep), 48}, {"wrsAdj", unsafe.Offsetof(a.wrsAdj), 56}, {"nkh", unsafe.Offsetof(a.nkh), 64},
		{"nkw", unsafe.Offsetof(a.nkw), 72}, {"nvec", unsafe.Offsetof(a.nvec), 80}, {"tail", unsafe.Offsetof(a.tail), 88},
		{"n", unsafe.Offsetof(a.n), 96}, {"pstep", unsafe.Offsetof(a.pstep), 104}, {"ostep", unsafe.Offsetof(a.ostep), 112},
		{"mult", unsafe.Offsetof(a.mult), 120}, {"lsh", unsafe.Offsetof(a.lsh), 128}, {"rsh", unsafe.Offsetof(a.rsh), 136},
		{"rm", unsafe.Offsetof(a.rm), 144}, {"rh", unsafe.Offsetof(a.rh), 152}, {"flags", unsafe.Offsetof(a.flags), 160},
		{"kmask", unsafe.Offsetof(a.kmask), 168}, {"zero", unsafe.Offsetof(a.zero), 192}, {"lo", unsafe.Offsetof(a.lo), 256},
		{"hi", unsafe.Offsetof(a.hi), 320}, {"ones", unsafe.Offsetof(a.ones), 384}, {"round", unsafe.Offsetof(a.round), 448},
		{"zx", unsafe.Offsetof(a.zx), 512}, {"curIn", unsafe.Offsetof(a.curIn), 576}, {"curOut", unsafe.Offsetof(a.curOut), 584},
		{"count", unsafe.Offsetof(a.count), 592},
	} {
		if f.got != f.off {
			t.Errorf("qdwArgs.%s at %d, generator expects %d", f.name, f.got, f.off)
		}
	}
}

var _ = fmt.Sprint

// BenchmarkQDepthwise times MobileNet 1.0-224's int8 depthwise layers
// (GMAC/s over the full output, as the float benchmark counts).
func BenchmarkQDepthwise(b *testing.B) {
	for _, ks := range Available() {
		for _, l := range mobileNetDW[:9] {
			s := dwSameShape(l.hw, l.c, 3, l.s)
			b.Run(fmt.Sprintf("%v/%dx%dx%ds%d", ks, l.hw, l.hw, l.c, l.s), func(b *testing.B) {
				in := make([]uint8, s.InH*s.InW*s.C)
				o := make([]uint8, s.OutH*s.OutW*s.C)
				w := PackQDW(s, make([]int32, 9*s.C))
				bias := make([]int32, s.C)
				q, _ := NewQOut(s.C, []int32{1 << 30}, []int{-8}, 0, 0, 255)
				ws := new(Workspace)
				for b.Loop() {
					QDepthwise(ks, ws, &s, in, s.C, 128, w, bias, q, o, s.C, 0, s.OutH)
				}
				b.ReportMetric(float64(s.FLOPs()/2)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GMAC/s")
			})
		}
	}
}
