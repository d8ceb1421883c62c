package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Helpers shared by the depthwise, pooling, LRN, softmax and im2col tests:
// tensors live in buffers whose margins, and the gaps between pixels when the
// pixel stride exceeds the channel count, hold a NaN with a recognisable
// payload, so a kernel that reads outside its view poisons its output and one
// that writes outside it is caught bit for bit.

const tGuardBits = 0x7fc0dead

var tGuardNaN = math.Float32frombits(tGuardBits)

const tGuardMargin = 29 // floats either side of a view

// tview is an NHWC tensor view inside a guarded buffer.
type tview struct {
	buf          []float32 // whole buffer, margins included
	data         []float32 // the tview handed to kernels: exactly as long as needed
	h, w, c, str int
}

// newTView makes an h x w x c tview with pixel stride str, values from fill
// (nil: all guard) and guard NaNs everywhere else.
func newTView(h, w, c, str int, fill func() float32) *tview {
	n := (h*w-1)*str + c
	buf := make([]float32, n+2*tGuardMargin)
	for i := range buf {
		buf[i] = tGuardNaN
	}
	v := &tview{buf: buf, data: buf[tGuardMargin : tGuardMargin+n], h: h, w: w, c: c, str: str}
	if fill != nil {
		for p := 0; p < h*w; p++ {
			for ch := 0; ch < c; ch++ {
				v.data[p*str+ch] = fill()
			}
		}
	}
	return v
}

func (v *tview) at(y, x, c int) float32 { return v.data[(y*v.w+x)*v.str+c] }

// checkOut compares rows [y0, y1) of an output tview with a float64 reference
// (laid out h x w x c densely) to within tol relative to the reference's
// largest magnitude, and checks that every other float of the buffer still
// holds the guard bit for bit.
func (v *tview) checkOut(t testing.TB, what string, ref []float64, y0, y1 int, tol float64) {
	t.Helper()
	maxAbs := 0.0
	for p := y0 * v.w; p < y1*v.w; p++ {
		for c := 0; c < v.c; c++ {
			maxAbs = max(maxAbs, math.Abs(ref[p*v.c+c]))
		}
	}
	lim := tol*maxAbs + 1e-30
	written := make([]bool, len(v.buf))
	bad := 0
	for p := y0 * v.w; p < y1*v.w; p++ {
		for c := 0; c < v.c; c++ {
			i := p*v.str + c
			written[tGuardMargin+i] = true
			got, want := float64(v.data[i]), ref[p*v.c+c]
			if !(math.Abs(got-want) <= lim) {
				if bad++; bad <= 5 {
					t.Errorf("%s: pixel (%d,%d) ch %d = %v, want %v (tol %.3g)", what, p/v.w, p%v.w, c, got, want, lim)
				}
			}
		}
	}
	for i, x := range v.buf {
		if !written[i] && math.Float32bits(x) != tGuardBits {
			if bad++; bad <= 5 {
				t.Errorf("%s: wrote %v at buffer offset %d outside the output (tview offset %d)", what, x, i, i-tGuardMargin)
			}
		}
	}
	if bad > 5 {
		t.Errorf("%s: %d mismatches in all", what, bad)
	}
}

// checkUntouched checks that the whole buffer of an input tview is as made.
func (v *tview) checkSame(t testing.TB, what string, orig []float32) {
	t.Helper()
	for i := range v.buf {
		if math.Float32bits(v.buf[i]) != math.Float32bits(orig[i]) {
			t.Errorf("%s: input buffer changed at offset %d", what, i)
			return
		}
	}
}

// tPadChoice picks output size and leading padding for one spatial dimension
// under one of the conventions the callers use.
func tPadChoice(rng *rand.Rand, in, k, s int) (out, pad int, name string) {
	for {
		switch rng.IntN(6) {
		case 0: // valid
			if in >= k {
				return (in-k)/s + 1, 0, "valid"
			}
		case 1: // TF SAME: extra pixel at the bottom/right
			out = (in + s - 1) / s
			total := max((out-1)*s+k-in, 0)
			return out, total / 2, "same"
		case 2: // symmetric k/2, floor
			p := k / 2
			if in+2*p >= k {
				return (in+2*p-k)/s + 1, p, "sym"
			}
		case 3: // Caffe ceil mode with a random symmetric pad < k
			p := rng.IntN(k)
			if in+2*p >= k {
				out = (in+2*p-k+s-1)/s + 1
				if (out-1)*s >= in+p {
					out--
				}
				return out, p, "ceil"
			}
		case 4: // large padding: whole windows in the padding
			p := k + rng.IntN(2)
			return (in+2*p-k)/s + 1, p, "bigpad"
		case 5: // asymmetric: random pad on the left, output to cover the input
			p := rng.IntN(k)
			if in+p >= k {
				return (in+p-k)/s + 1 + rng.IntN(2), p, "asym"
			}
		}
	}
}

func tRandVal(rng *rand.Rand) func() float32 {
	return func() float32 { return rng.Float32()*2 - 1 }
}

// tChannels are channel counts around the vector widths.
var tChannels = []int{1, 2, 3, 5, 7, 8, 9, 13, 16, 17, 24, 31, 32, 33, 40, 47, 64, 65, 77}
