package qref_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"mnet.dev/mnet/exec/internal/qref"
	"mnet.dev/mnet/exec/internal/qref/qreftest"
	"mnet.dev/mnet/internal/qmath"
)

// naive computes a case another way than the kernels: every operator as a
// grouped convolution over an explicitly padded input (a depthwise
// convolution is one with a group per input channel, a fully connected layer
// one 1x1 convolution over a 1x1 image), accumulated in int64 and wrapped to
// int32 only at the end (the sum modulo 2^32 is what int32 accumulation
// gives), then requantized by the qmath model.
func naive(c *qreftest.ConvCase) []int32 {
	in, filter := values(c.InU8, c.InI8), values(c.FilterU8, c.FilterI8)
	p := c.Params
	ish, fsh, osh := c.InShape, c.FilterShape, c.OutShape
	kh, kw := fsh[1], fsh[2]
	inC, outC := ish[3], osh[3]
	var groups, fIn int
	filterAt := func(oc, ky, kx, i int) int64 { return filter[((oc*kh+ky)*kw+kx)*fIn+i] }
	switch c.Kind {
	case qreftest.Depthwise:
		groups, fIn = inC, 1
		filterAt = func(oc, ky, kx, _ int) int64 { return filter[(ky*kw+kx)*outC+oc] }
	default:
		fIn = fsh[3]
		groups = inC / fIn
	}
	// Pad: ph rows above, enough below; absent cells are marked.
	dh, dw := max(p.DilationH, 1), max(p.DilationW, 1)
	sh, sw := max(p.StrideH, 1), max(p.StrideW, 1)
	ph, pw := p.PadH, p.PadW
	H := max(ish[1]+ph, (osh[1]-1)*sh+(kh-1)*dh+1)
	W := max(ish[2]+pw, (osh[2]-1)*sw+(kw-1)*dw+1)
	type cell struct {
		v       int64
		present bool
	}
	padded := make([]cell, ish[0]*H*W*inC)
	for b := range ish[0] {
		for y := range ish[1] {
			for x := range ish[2] {
				for ch := range inC {
					padded[((b*H+y+ph)*W+x+pw)*inC+ch] = cell{in[((b*ish[1]+y)*ish[2]+x)*inC+ch], true}
				}
			}
		}
	}
	mult, shift := c.Mult, c.Shift
	if !c.Int8 {
		mult, shift = []int32{p.OutputMultiplier}, []int{p.OutputShift}
	}
	out := make([]int32, osh.Elems())
	perGroupOut := outC / groups
	for b := range osh[0] {
		for oy := range osh[1] {
			for ox := range osh[2] {
				for oc := range outC {
					g := oc / perGroupOut
					var acc int64
					for ky := range kh {
						for kx := range kw {
							for i := range fIn {
								cl := padded[((b*H+oy*sh+ky*dh)*W+ox*sw+kx*dw)*inC+g*fIn+i]
								if cl.present {
									acc += (filterAt(oc, ky, kx, i) + int64(p.WeightsOffset)) * (cl.v + int64(p.InputOffset))
								}
							}
						}
					}
					if c.Bias != nil {
						acc += int64(c.Bias[oc])
					}
					m, s := mult[0], shift[0]
					if len(mult) > 1 {
						m, s = mult[oc], shift[oc]
					}
					v := qmath.MultiplyByQuantizedMultiplier(int32(acc), m, s) + p.OutputOffset
					out[((b*osh[1]+oy)*osh[2]+ox)*outC+oc] = min(max(v, p.ActMin), p.ActMax)
				}
			}
		}
	}
	return out
}

func values(u []uint8, s []int8) []int64 {
	if s != nil {
		v := make([]int64, len(s))
		for i, x := range s {
			v[i] = int64(x)
		}
		return v
	}
	v := make([]int64, len(u))
	for i, x := range u {
		v[i] = int64(x)
	}
	return v
}

func asInt32(v any) []int32 {
	switch v := v.(type) {
	case []uint8:
		out := make([]int32, len(v))
		for i, x := range v {
			out[i] = int32(x)
		}
		return out
	case []int8:
		out := make([]int32, len(v))
		for i, x := range v {
			out[i] = int32(x)
		}
		return out
	}
	panic(fmt.Sprintf("unexpected %T", v))
}

// TestKernelsAgainstNaive compares every convolution-like reference kernel,
// both schemes, with the naive formulation on random cases, and counts how
// many outputs sat at the clamp (so that saturation is exercised).
func TestKernelsAgainstNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, kind := range []qreftest.Kind{qreftest.Conv, qreftest.Depthwise, qreftest.FullyConnected} {
		for _, signed := range []bool{false, true} {
			clamped, total := 0, 0
			for range 150 {
				c := qreftest.RandomConv(r, kind, signed)
				got, err := c.Reference()
				if err != nil {
					t.Fatalf("%v: %v", c, err)
				}
				g, want := asInt32(got), naive(c)
				for i := range want {
					if g[i] != want[i] {
						t.Fatalf("%v: output %d = %d, naive %d", c, i, g[i], want[i])
					}
					total++
					if want[i] == c.Params.ActMin || want[i] == c.Params.ActMax {
						clamped++
					}
				}
			}
			t.Logf("%v int8=%v: %d outputs equal, %d of them at the clamp", kind, signed, total, clamped)
			if clamped == 0 || clamped == total {
				t.Errorf("%v int8=%v: %d of %d outputs clamped; the cases do not exercise both", kind, signed, clamped, total)
			}
		}
	}
}

// TestAccumulatorWraps checks the int32 accumulation wraps as TFLite's does
// (its accumulators are int32 and its contract is that they do not overflow;
// a 1x1 convolution over 40000 channels of 255 x 255 would need 2.6e9).
func TestAccumulatorWraps(t *testing.T) {
	const n = 40000
	in, w := make([]uint8, n), make([]uint8, n)
	for i := range in {
		in[i], w[i] = 255, 255
	}
	p := qref.ConvParams{StrideW: 1, StrideH: 1, DilationW: 1, DilationH: 1, OutputMultiplier: 1 << 30, OutputShift: -24, ActMin: 0, ActMax: 255}
	out := make([]uint8, 1)
	if err := qref.Conv(p, qref.Shape{1, 1, 1, n}, in, qref.Shape{1, 1, 1, n}, w, nil, qref.Shape{1, 1, 1, 1}, out); err != nil {
		t.Fatal(err)
	}
	total := int64(n) * 255 * 255
	acc := int32(total) // wraps to a negative value
	want := uint8(min(max(qmath.MultiplyByQuantizedMultiplier(acc, 1<<30, -24), 0), 255))
	if acc >= 0 || out[0] != want {
		t.Errorf("wrapped accumulator %d: out %d, want %d", acc, out[0], want)
	}
}

func TestKernelErrors(t *testing.T) {
	p := qref.ConvParams{StrideW: 1, StrideH: 1, DilationW: 1, DilationH: 1, OutputMultiplier: 1 << 30, ActMax: 255}
	s := qref.Shape{1, 2, 2, 3}
	f := qref.Shape{4, 1, 1, 3}
	o := qref.Shape{1, 2, 2, 4}
	in, w, out := make([]uint8, 12), make([]uint8, 12), make([]uint8, 16)
	if err := qref.Conv(p, s, in, f, w, nil, o, out); err != nil {
		t.Fatalf("valid conv: %v", err)
	}
	bad := func(name string, err error) {
		if err == nil {
			t.Errorf("%s accepted", name)
		}
	}
	bad("short input", qref.Conv(p, s, in[:11], f, w, nil, o, out))
	bad("long output", qref.Conv(p, s, in, f, w, nil, o, make([]uint8, 17)))
	bad("zero dimension", qref.Conv(p, qref.Shape{1, 0, 2, 3}, nil, f, w, nil, o, out))
	bad("bias length", qref.Conv(p, s, in, f, w, make([]int32, 3), o, out))
	bad("channel mismatch", qref.Conv(p, s, in, qref.Shape{4, 1, 1, 2}, w[:8], nil, o, out))
	q := p
	q.StrideW = 0
	bad("stride 0", qref.Conv(q, s, in, f, w, nil, o, out))
	q = p
	q.ActMin, q.ActMax = 10, 5
	bad("empty clamp", qref.Conv(q, s, in, f, w, nil, o, out))
	q.ActMin, q.ActMax = 0, 300
	bad("clamp beyond uint8", qref.Conv(q, s, in, f, w, nil, o, out))
	bad("int8 clamp", qref.ConvPerChannel(p, make([]int32, 4), make([]int, 4), s, make([]int8, 12), f, make([]int8, 12), nil, o, make([]int8, 16)))
	bad("multiplier count", qref.ConvPerChannel(qref.ConvParams{StrideW: 1, StrideH: 1, DilationW: 1, DilationH: 1, ActMin: -128, ActMax: 127},
		make([]int32, 3), make([]int, 3), s, make([]int8, 12), f, make([]int8, 12), nil, o, make([]int8, 16)))
	dp := qref.DepthwiseParams{ConvParams: p, DepthMultiplier: 2}
	bad("depth multiplier mismatch", qref.DepthwiseConv(dp, s, in, qref.Shape{1, 3, 3, 3}, make([]uint8, 27), nil, qref.Shape{1, 2, 2, 3}, out[:12]))
	bad("fc sizes", qref.FullyConnected(qref.FullyConnectedParams{ActMax: 255}, 1, 3, 2, in[:3], w[:5], nil, out[:2]))
	pp := qref.PoolParams{StrideW: 1, StrideH: 1, FilterW: 2, FilterH: 2, PadW: 5, ActMax: 255}
	bad("pool window outside the input", qref.AveragePool(pp, s, in, qref.Shape{1, 1, 1, 3}, out[:3]))
	bad("softmax rows", qref.Softmax(qmath.SoftmaxParams{InputMultiplier: 1 << 30, InputLeftShift: 20, DiffMin: -100}, 5, in, make([]uint8, 12)))
	bad("add lengths", qref.Add(qmath.AddParams{LeftShift: 20, ActMax: 255}, in, in[:5], out[:12]))
}
