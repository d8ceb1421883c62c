package kernels

import (
	"fmt"
	"math"
)

// LRNParams are the parameters of a cross-channel local response
// normalisation in the Caffe/ONNX form:
//
//	b[c] = a[c] / (K + Alpha/Size * sum of a[j]^2 over the Size channels j centred on c)^Beta
//
// The window runs from c-(Size-1)/2 to c+Size/2, clipped to the channels
// (TF's depth_radius r is Size = 2r+1 with Alpha multiplied by Size).
type LRNParams struct {
	Size           int
	Alpha, Beta, K float32
}

// sqrt32 is a float32 square root (the compiler emits SQRTSS for this form).
func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }

// LRN normalises pixels [p0, p1) (pixel p is (y, x) with p = y*W+x, so output
// rows [y0, y1) are pixels [y0*W, y1*W)) of a tensor with c channels at pixel
// stride inStride into out at outStride. out must not overlap in. The sums of
// squares slide along the channels in float64.
func LRN(p LRNParams, c int, in []float32, inStride int, out []float32, outStride int, p0, p1 int) {
	if p.Size < 1 || c < 1 || p0 < 0 || p1 < p0 {
		panic(fmt.Sprintf("lrn: bad size %d, channels %d or pixels [%d, %d)", p.Size, c, p0, p1))
	}
	if p0 == p1 {
		return
	}
	dkCheckView("lrn input", in, p1, c, inStride)
	dkCheckView("lrn output", out, p1, c, outStride)
	pre := (p.Size - 1) / 2
	post := p.Size - 1 - pre
	k, am, beta := float64(p.K), float64(p.Alpha)/float64(p.Size), float64(p.Beta)
	for px := p0; px < p1; px++ {
		a := in[px*inStride:][:c]
		b := out[px*outStride:][:c]
		sum := 0.0
		for j := range min(post, c) {
			sum += float64(a[j]) * float64(a[j])
		}
		for i, v := range a {
			if j := i + post; j < c {
				sum += float64(a[j]) * float64(a[j])
			}
			if j := i - pre - 1; j >= 0 {
				sum -= float64(a[j]) * float64(a[j])
			}
			d := k + am*max(sum, 0)
			switch beta {
			case 0.75: // AlexNet, GoogLeNet: single-precision square roots
				r := sqrt32(float32(d))
				b[i] = v / (r * sqrt32(r))
			case 0.5:
				b[i] = v / sqrt32(float32(d))
			case 1:
				b[i] = float32(float64(v) / d)
			default:
				b[i] = float32(float64(v) * math.Exp(-beta*math.Log(d)))
			}
		}
	}
}
