package exec

import "mnet.dev/mnet/exec/internal/kernels"

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
	res        []float32 // a residual added before act (nil: none; ungrouped only)
	ldr        int
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

func (o *gemmOp) Run(lo, hi, tid int) {
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
		if o.res != nil {
			kernels.GemmResidual(o.ks, &o.ws[tid], m1-m0, o.in[m0*o.lda:], o.lda, kernels.Segs{N: 1, Len: o.cin}, b, n0, n1,
				bias, o.res[m0*o.ldr:], o.ldr, o.act, o.out[m0*o.ldc:], o.ldc)
			continue
		}
		kernels.Gemm(o.ks, &o.ws[tid], m1-m0, o.in[m0*o.lda+g*o.cin:], o.lda, b, n0, n1, bias, o.act, o.out[m0*o.ldc+g*o.cout:], o.ldc)
	}
}

// packGroups packs a [Cout][K] kernel (K = KH*KW*Cin/groups, or the fc's
// inputs) into one K x Cout/groups matrix per group.
func (c *compiler) packGroups(kernel []float32, groups, k, coutTotal int) []*kernels.PackedB {
	cout := coutTotal / groups
	bs := make([]*kernels.PackedB, groups)
	tmp := make([]float32, k*cout)
	for g := range groups {
		for j := range cout {
			row := kernel[(g*cout+j)*k : (g*cout+j+1)*k]
			for i, v := range row {
				tmp[i*cout+j] = v
			}
		}
		bs[g] = kernels.PackBFrom(&c.slab, k, cout, tmp, cout)
	}
	return bs
}

// gemmSplit chooses how a GEMM layer is cut into chunks for the threads:
// by rows or by column panels. A chunk of rows multiplies them by all of B
// (K x N), a chunk of columns multiplies all of A (m x K) by its panels, so
// every chunk re-reads one whole operand: rows cost about chunks*|B|,
// columns chunks*|A|, and rows win when N <= m. Rows also need enough row
// blocks for every thread several times over, columns enough panels.
// Measured with 2 threads on MobileNet v1 1.0-224 (Zen 3, interleaved
// runs, per-layer medians): the 7x7 layers (49 x 1024, which rows used to
// take, re-reading 2-4 MiB of weights per chunk) 28-31% faster by columns,
// the 14x14 ones (196 x 512) 7-9%; 0.25-128's 8x8 ones 6%. The whole
// network: 10.4 -> 9.6 ms.
func (c *compiler) gemmSplit(o *gemmOp) {
	o.rowBlock = c.ks.RowBlock()
	o.panelWidth = o.b[0].PanelWidth()
	o.byRows = o.cout < 2*c.threads*o.panelWidth || (o.m >= 4*c.threads*o.rowBlock && o.cout <= o.m)
}
