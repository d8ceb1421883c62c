package qref_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"mnet.dev/mnet/exec/internal/qref"
	"mnet.dev/mnet/internal/qmath"
)

// TestSoftmaxEqualInputs: a row of n equal values gives 256/n steps,
// rounded (exp(0) is One, the Q12 sum exactly n, its reciprocal 1/n to
// within 2^-31), and 1/1 saturates at 255. From 512 equal values on, the
// output shift exceeds 31 and TFLite aborts (TFLITE_CHECK in
// reference/softmax.h); qref returns an error.
func TestSoftmaxEqualInputs(t *testing.T) {
	p, err := qmath.SoftmaxScaling(1, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		n    int
		want uint8
	}{{1, 255}, {2, 128}, {3, 85}, {4, 64}, {5, 51}, {7, 37}, {256, 1}, {511, 1}} {
		in, out := make([]uint8, c.n), make([]uint8, c.n)
		for i := range in {
			in[i] = 77
		}
		if err := qref.Softmax(p, c.n, in, out); err != nil {
			t.Fatal(err)
		}
		for _, o := range out {
			if o != c.want {
				t.Errorf("softmax of %d equal values = %d, want %d", c.n, o, c.want)
				break
			}
		}
	}
	for _, n := range []int{512, 1001} {
		in, out := make([]uint8, n), make([]uint8, n)
		if err := qref.Softmax(p, n, in, out); err == nil {
			t.Errorf("softmax of %d equal values accepted; TFLite aborts", n)
		}
	}
	// Differences below DiffMin are exactly 0; the maximum gets the rest.
	in, out := []uint8{200, 0, 0, 0}, make([]uint8, 4)
	if err := qref.Softmax(p, 4, in, out); err != nil {
		t.Fatal(err)
	}
	if out[0] != 255 || out[1] != 0 || out[2] != 0 || out[3] != 0 {
		t.Errorf("softmax(200, 0, 0, 0) = %v, want [255 0 0 0]", out)
	}
}

// lutSoftmax is TFLite's other uint8 softmax, the optimized one its default
// kernels run (optimized_ops.h: PopulateSoftmaxLookupTable fills
// table[255 - v] = expf(-inputScale * beta * v); Softmax sums
// table[255 - max + x] in float32, multiplies by 1 / (sum * 1/256) and
// quantizes with QuantizeSoftmaxOutput<uint8_t>, which off aarch64 is
// int32(p + 0.5f)). expf is float32(math.Exp) here, correctly rounded but
// for rare double roundings; this is a test-only comparison.
func lutSoftmax(inputScale, beta float32, depth int, in, out []uint8) {
	var table [256]float32
	scale := -inputScale * beta
	for v := range 256 {
		table[255-v] = float32(math.Exp(float64(scale * float32(v))))
	}
	for r := 0; r < len(in); r += depth {
		row := in[r : r+depth]
		m := row[0]
		for _, x := range row {
			m = max(m, x)
		}
		off := table[255-int(m):]
		var sum float32
		for _, x := range row {
			sum += off[x]
		}
		inv := 1 / float32(sum*(1.0/256))
		for i, x := range row {
			p := float32(off[x] * inv)
			out[r+i] = uint8(min(max(int32(p+0.5), 0), 255))
		}
	}
}

// TestSoftmaxAgainstFloatAndLUT measures the fixed-point reference softmax
// against the exact softmax (in output steps, 1/256) and against TFLite's
// optimized lookup-table softmax, over random rows of 2 to 1001 logits at
// the input scales of the shared models and a wider range.
func TestSoftmaxAgainstFloatAndLUT(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	worstExact, worstLUT := 0.0, 0
	differ, total, refused := 0, 0, 0
	for trial := range 3000 {
		scale := float32(math.Exp(math.Log(0.01) + r.Float64()*math.Log(50))) // 0.01 .. 0.5
		if trial%3 == 0 {
			scale = []float32{0.13083284, 0.1, 0.17}[trial%9/3]
		}
		p, err := qmath.SoftmaxScaling(1, scale)
		if err != nil {
			t.Fatal(err)
		}
		depth := []int{2, 3, 5, 10, 100, 1001}[trial%6]
		in := make([]uint8, depth)
		spread := 1 + r.IntN(255)
		for i := range in {
			in[i] = uint8(r.IntN(spread))
		}
		ref, lut := make([]uint8, depth), make([]uint8, depth)
		m := 0
		for _, x := range in {
			m = max(m, int(x))
		}
		var sum float64
		for _, x := range in {
			sum += math.Exp(float64(scale) * float64(int(x)-m))
		}
		if err := qref.Softmax(p, depth, in, ref); err != nil {
			if sum < 511 {
				t.Fatalf("row of %d summing to %.1f refused: %v", depth, sum, err)
			}
			refused++ // rows whose exponentials sum to 512 or more
			continue
		}
		lutSoftmax(scale, 1, depth, in, lut)
		for i, x := range in {
			exact := 256 * math.Exp(float64(scale)*float64(int(x)-m)) / sum
			worstExact = max(worstExact, math.Abs(float64(ref[i])-min(exact, 255)))
			d := int(ref[i]) - int(lut[i])
			if d != 0 {
				differ++
			}
			worstLUT = max(worstLUT, d, -d)
			total++
		}
	}
	t.Logf("%d of 3000 random rows refused (exponentials summing to 512 or more)", refused)
	t.Logf("reference softmax: worst distance from the exact softmax %.3f steps; differs from TFLite's lookup-table softmax in %d of %d outputs (%.3f%%), by at most %d step", worstExact, differ, total, 100*float64(differ)/float64(total), worstLUT)
	if worstExact > 1 {
		t.Errorf("reference softmax %.3f steps from the exact one, want <= 1", worstExact)
	}
	if worstLUT > 1 {
		t.Errorf("reference and lookup-table softmax differ by %d steps, want <= 1", worstLUT)
	}
}

// TestSoftmaxLUTGrid compares the reference and lookup-table softmax on rows
// of 2 to 5 logits swept over their whole uint8 range, where probabilities
// are large and land near every rounding boundary: they agree to one step.
func TestSoftmaxLUTGrid(t *testing.T) {
	differ, total, worst := 0, 0, 0
	for _, scale := range []float32{0.01, 0.02, 0.05, 0.0733, 0.1, 0.13083284, 0.17, 0.25, 0.3, 0.5, 1, 2} {
		p, err := qmath.SoftmaxScaling(1, scale)
		if err != nil {
			t.Fatal(err)
		}
		for depth := 2; depth <= 5; depth++ {
			in, ref, lut := make([]uint8, depth), make([]uint8, depth), make([]uint8, depth)
			for a := range 256 {
				for b := 0; b < 256; b += 1 + (depth-2)*4 {
					in[0], in[1] = uint8(a), uint8(b)
					for k := 2; k < depth; k++ {
						in[k] = uint8((a*k + b*3) % 256)
					}
					if err := qref.Softmax(p, depth, in, ref); err != nil {
						t.Fatal(err)
					}
					lutSoftmax(scale, 1, depth, in, lut)
					for i := range ref {
						d := int(ref[i]) - int(lut[i])
						if d != 0 {
							differ++
						}
						worst = max(worst, d, -d)
						total++
					}
				}
			}
		}
	}
	t.Logf("reference vs lookup-table softmax on small rows: %d of %d outputs differ, by at most %d step", differ, total, worst)
	if worst > 1 {
		t.Errorf("reference and lookup-table softmax differ by %d steps, want <= 1", worst)
	}
}
