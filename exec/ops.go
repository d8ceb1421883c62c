package exec

import (
	"mnet.dev/mnet/exec/internal/kernels"
	"mnet.dev/mnet/spec"
)

// op is one compiled layer: a task over items [0, items()) that the pool
// splits into chunks.
type op interface {
	task
	// items is the number of independent work units.
	items() int
	// multAdds is the mult-adds the op performs per inference, counted from
	// the kernel calls it makes (not copied from the analysis).
	multAdds() int64
}

func act(a spec.Activation) kernels.Act {
	switch a {
	case spec.ActReLU:
		return kernels.ActReLU
	case spec.ActReLU6:
		return kernels.ActReLU6
	}
	return kernels.ActNone
}

// gemmOp is a pointwise convolution (stride 1, no padding) or a fully
// connected layer: out[m, g*cout+j] = act(bias + in[m, g*cin:] · B_g).
// It splits either rows (in blocks of the micro-kernel's height) or, when
// there are few rows, column panels.
type gemmOp struct {
	ks         *kernels.Set
	ws         []kernels.Workspace // per thread
	m          int                 // rows: batch * H * W (batch for fc)
	in, out    []float32
	lda, ldc   int
	cin, cout  int // per group
	b          []*kernels.PackedB
	bias       []float32
	act        kernels.Act
	byRows     bool
	rowBlock   int
	panelWidth int
}

func (o *gemmOp) items() int {
	if o.byRows {
		return (o.m + o.rowBlock - 1) / o.rowBlock
	}
	return (o.cout + o.panelWidth - 1) / o.panelWidth
}

func (o *gemmOp) multAdds() int64 {
	return int64(o.m) * int64(o.cin) * int64(o.cout) * int64(len(o.b))
}

func (o *gemmOp) run(lo, hi, tid int) {
	m0, m1, n0, n1 := 0, o.m, 0, o.cout
	if o.byRows {
		m0, m1 = lo*o.rowBlock, min(hi*o.rowBlock, o.m)
	} else {
		n0, n1 = lo*o.panelWidth, min(hi*o.panelWidth, o.cout)
	}
	if m1 <= m0 || n1 <= n0 {
		return
	}
	for g, b := range o.b {
		var bias []float32
		if o.bias != nil {
			bias = o.bias[g*o.cout : (g+1)*o.cout]
		}
		kernels.Gemm(o.ks, &o.ws[tid], m1-m0, o.in[m0*o.lda+g*o.cin:], o.lda, b, n0, n1, bias, o.act, o.out[m0*o.ldc+g*o.cout:], o.ldc)
	}
}

// dwOp is a depthwise convolution, split over output rows of all images.
type dwOp struct {
	ks                  *kernels.Set
	ws                  []kernels.Workspace // per thread
	shape               kernels.DWShape
	batch               int
	in, out             []float32
	inImg               int
	outImg              int
	inStride, outStride int
	w                   *kernels.PackedDW
	bias                []float32
	act                 kernels.Act
}

func (o *dwOp) items() int { return o.batch * o.shape.OutH }

func (o *dwOp) multAdds() int64 {
	s := &o.shape
	return int64(o.batch) * int64(s.OutH*s.OutW) * int64(s.KH*s.KW) * int64(s.C*s.Mult)
}

func (o *dwOp) run(lo, hi, tid int) {
	oh := o.shape.OutH
	for lo < hi {
		img, y0 := lo/oh, lo%oh
		y1 := min(oh, y0+hi-lo)
		kernels.Depthwise(o.ks, &o.ws[tid], &o.shape, o.in[img*o.inImg:(img+1)*o.inImg], o.inStride, o.w, o.bias, o.act,
			o.out[img*o.outImg:(img+1)*o.outImg], o.outStride, y0, y1)
		lo += y1 - y0
	}
}

// poolOp is max or average pooling (global when the window is the input).
type poolOp struct {
	ks       *kernels.Set
	ws       []kernels.Workspace // per thread
	shape    kernels.PoolShape
	max      bool
	global   bool
	countPad bool
	batch    int
	in, out  []float32
	inImg    int
	outImg   int
}

func (o *poolOp) items() int {
	if o.global {
		return o.batch
	}
	return o.batch * o.shape.OutH
}

func (o *poolOp) multAdds() int64 { return 0 }

func (o *poolOp) run(lo, hi, tid int) {
	s := &o.shape
	ws := &o.ws[tid]
	if o.global {
		for img := lo; img < hi; img++ {
			in, out := o.in[img*o.inImg:(img+1)*o.inImg], o.out[img*o.outImg:(img+1)*o.outImg]
			if o.max {
				kernels.GlobalMaxPool(o.ks, ws, in, s.InH, s.InW, s.C, s.C, out)
			} else {
				kernels.GlobalAvgPool(o.ks, ws, in, s.InH, s.InW, s.C, s.C, out)
			}
		}
		return
	}
	for lo < hi {
		img, y0 := lo/s.OutH, lo%s.OutH
		y1 := min(s.OutH, y0+hi-lo)
		in, out := o.in[img*o.inImg:(img+1)*o.inImg], o.out[img*o.outImg:(img+1)*o.outImg]
		if o.max {
			kernels.MaxPool(o.ks, ws, s, in, s.C, out, s.C, y0, y1)
		} else {
			kernels.AvgPool(o.ks, ws, s, o.countPad, in, s.C, out, s.C, y0, y1)
		}
		lo += y1 - y0
	}
}

// lrnOp normalises across channels, split over pixels of all images.
type lrnOp struct {
	p       kernels.LRNParams
	c       int
	in, out []float32
	pixels  int // batch * H * W
}

func (o *lrnOp) items() int      { return o.pixels }
func (o *lrnOp) multAdds() int64 { return 0 }
func (o *lrnOp) run(lo, hi, _ int) {
	kernels.LRN(o.p, o.c, o.in, o.c, o.out, o.c, lo, hi)
}

// softmaxOp normalises each pixel's channels.
type softmaxOp struct {
	c       int
	in, out []float32
	pixels  int
}

func (o *softmaxOp) items() int      { return o.pixels }
func (o *softmaxOp) multAdds() int64 { return 0 }
func (o *softmaxOp) run(lo, hi, _ int) {
	for p := lo; p < hi; p++ {
		kernels.Softmax(o.in[p*o.c:(p+1)*o.c], o.out[p*o.c:(p+1)*o.c])
	}
}

// concatOp copies its inputs side by side along channels.
type concatOp struct {
	ins    [][]float32
	cs     []int // channels of each input
	out    []float32
	c      int // output channels
	pixels int
}

func (o *concatOp) items() int      { return o.pixels }
func (o *concatOp) multAdds() int64 { return 0 }
func (o *concatOp) run(lo, hi, _ int) {
	for p := lo; p < hi; p++ {
		dst := o.out[p*o.c : (p+1)*o.c]
		off := 0
		for i, in := range o.ins {
			c := o.cs[i]
			copy(dst[off:off+c], in[p*c:(p+1)*c])
			off += c
		}
	}
}

// addOp sums its inputs elementwise, then applies the activation.
type addOp struct {
	ins    [][]float32
	out    []float32
	c      int
	pixels int
	act    spec.Activation
}

func (o *addOp) items() int      { return o.pixels }
func (o *addOp) multAdds() int64 { return 0 }
func (o *addOp) run(lo, hi, _ int) {
	dst := o.out[lo*o.c : hi*o.c]
	copy(dst, o.ins[0][lo*o.c:hi*o.c])
	for _, in := range o.ins[1:] {
		src := in[lo*o.c : hi*o.c]
		for i := range dst {
			dst[i] += src[i]
		}
	}
	switch o.act {
	case spec.ActReLU:
		for i, v := range dst {
			dst[i] = max(v, 0)
		}
	case spec.ActReLU6:
		for i, v := range dst {
			dst[i] = min(max(v, 0), 6)
		}
	}
}
