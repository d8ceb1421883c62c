package exec

import "mnet.dev/mnet/exec/internal/kernels"

// convOp is a general convolution. Two paths:
//
//   - Implicit GEMM (direct, when the input is dense: one group, pixel
//     stride = channels): each output row is one GEMM whose A is the input
//     image read in place, a row per output pixel (SW*C floats apart) made
//     of one segment per kernel row (KW*C contiguous floats, an input row
//     apart; see kernels.Segs). A border row's window leaves kernel rows
//     outside the image: they are skipped (fewer segments, B from the first
//     row inside), which is exact since padding taps add zero. Only the
//     output columns whose window crosses the left or right edge go through
//     im2col, a column at a time for a run of rows (their C rows are
//     OutW*stride apart).
//   - im2col: a tile of output pixels copied into per-thread scratch, then
//     the packed GEMM, group by group (grouped or strided inputs).
//
// MobileNet's first layer (224x224x3, 3x3 stride 2, 32 filters; one Zen 3
// core, in the network, best / median of interleaved runs): 0.43 / 0.55 ms
// with the former im2col, 0.35 / 0.42 with its 36-byte block copies (K =
// 27 values per output pixel: 1.35 MB written per image, then read back),
// 0.29 / 0.37 direct. What remains is the GEMM's K = 27 (short k loops:
// 74 GFLOP/s) and a kernel call per output row and row-block height.
type convOp struct {
	ks        *kernels.Set
	ws        []kernels.Workspace // per thread
	shape     kernels.ConvShape
	batch     int
	in, out   []float32
	inImg     int // values per input image
	outImg    int
	k         int // im2col row length: KH*KW*Cin/groups
	cout      int // per group
	b         []*kernels.PackedB
	bias      []float32
	act       kernels.Act
	tile      int // im2col: output pixels per work item and per scratch fill
	tilesImg  int
	scratch   [][]float32 // per thread, tile*k
	inStride  int         // values per pixel of the input and output
	outStride int
	direct    bool // implicit GEMM; work items are output rows
}

// convDirect reports whether the implicit-GEMM path can run s: one group,
// a dense input, and every output row's window overlapping the image (so
// every row has at least one kernel row to multiply). The generic kernels
// keep im2col: their GEMM pays a call per segment and 4 columns (MobileNet's
// first layer: 1.5 GFLOP/s direct, 1.9 with im2col).
func convDirect(ks *kernels.Set, s *kernels.ConvShape, inStride int) bool {
	return ks.SegmentedGemm() && s.Groups == 1 && inStride == s.C && s.PadTop < s.KH && (s.OutH-1)*s.SH-s.PadTop < s.InH
}

func (o *convOp) items() int {
	if o.direct {
		return o.batch * o.shape.OutH
	}
	return o.batch * o.tilesImg
}

func (o *convOp) multAdds() int64 {
	pix := int64(o.batch) * int64(o.shape.OutH) * int64(o.shape.OutW)
	return pix * int64(o.k) * int64(o.cout) * int64(len(o.b))
}

func (o *convOp) Run(lo, hi, tid int) {
	if o.direct {
		o.runDirect(lo, hi, tid)
		return
	}
	s := &o.shape
	pixels := s.OutH * s.OutW
	scratch := o.scratch[tid]
	for it := lo; it < hi; it++ {
		img, t := it/o.tilesImg, it%o.tilesImg
		r0, r1 := t*o.tile, min((t+1)*o.tile, pixels)
		in := o.in[img*o.inImg : (img+1)*o.inImg]
		out := o.out[img*o.outImg:]
		for g, b := range o.b {
			kernels.Im2col(s, g, in, o.inStride, scratch, o.k, r0, r1)
			var bias []float32
			if o.bias != nil {
				bias = o.bias[g*o.cout : (g+1)*o.cout]
			}
			kernels.Gemm(o.ks, &o.ws[tid], r1-r0, scratch, o.k, b, 0, o.cout, bias, o.act, out[r0*o.outStride+g*o.cout:], o.outStride)
		}
	}
}

// runDirect computes output rows [lo, hi) (over all images) by implicit
// GEMM, the border columns by im2col.
func (o *convOp) runDirect(lo, hi, tid int) {
	s := &o.shape
	b := o.b[0]
	c := s.C
	ox0, ox1 := interiorCols(s)
	seg := s.KW * c
	for lo < hi {
		img, y0 := lo/s.OutH, lo%s.OutH
		y1 := min(s.OutH, y0+hi-lo)
		in := o.in[img*o.inImg : (img+1)*o.inImg]
		out := o.out[img*o.outImg : (img+1)*o.outImg]
		if ox0 < ox1 {
			for oy := y0; oy < y1; oy++ {
				iy0 := oy*s.SH - s.PadTop
				kh0, kh1 := max(0, -iy0), min(s.KH, s.InH-iy0)
				a := in[((iy0+kh0)*s.InW+ox0*s.SW-s.PadLeft)*c:]
				sg := kernels.Segs{N: kh1 - kh0, Len: seg, Stride: s.InW * c, K0: kh0 * seg}
				kernels.GemmSegs(o.ks, &o.ws[tid], ox1-ox0, a, s.SW*c, sg, b, 0, o.cout, o.bias, o.act,
					out[(oy*s.OutW+ox0)*o.outStride:], o.outStride)
			}
		}
		for ox := 0; ox < s.OutW; ox++ {
			if ox == ox0 && ox0 < ox1 {
				ox = ox1 - 1 // the interior columns, done above
				continue
			}
			o.borderColumn(in, out, ox, y0, y1, tid)
		}
		lo += y1 - y0
	}
}

// borderColumn computes output column ox of rows [y0, y1) through im2col,
// a scratch tile of rows at a time.
func (o *convOp) borderColumn(in, out []float32, ox, y0, y1, tid int) {
	s := &o.shape
	scratch := o.scratch[tid]
	for r0 := y0; r0 < y1; r0 += o.tile {
		r1 := min(y1, r0+o.tile)
		for oy := r0; oy < r1; oy++ {
			p := oy*s.OutW + ox
			kernels.Im2col(s, 0, in, o.inStride, scratch[(oy-r0)*o.k:], o.k, p, p+1)
		}
		kernels.Gemm(o.ks, &o.ws[tid], r1-r0, scratch, o.k, o.b[0], 0, o.cout, o.bias, o.act,
			out[(r0*s.OutW+ox)*o.outStride:], s.OutW*o.outStride)
	}
}

// interiorCols returns the output columns [ox0, ox1) whose windows lie
// inside the input horizontally (possibly empty).
func interiorCols(s *kernels.ConvShape) (int, int) {
	ox0 := (s.PadLeft + s.SW - 1) / s.SW
	if s.InW+s.PadLeft-s.KW < 0 {
		return ox0, ox0
	}
	ox1 := min((s.InW+s.PadLeft-s.KW)/s.SW+1, s.OutW)
	return ox0, max(ox0, ox1)
}
