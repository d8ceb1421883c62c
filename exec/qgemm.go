package exec

import (
	"mnet.dev/mnet/exec/internal/kernels"
)

// qgemmOp is an int8 pointwise convolution (stride 1, no padding) or fully
// connected layer: out[m, g*cout+j] = requantize(bias + sum (in - zIn) *
// (w - zw)) for each group g, on the int8 GEMM (kernels.QGemm). It splits
// rows or column panels as gemmOp does.
type qgemmOp struct {
	ks        *kernels.Set
	ws        []kernels.Workspace // per thread
	m         int                 // rows: batch * H * W (batch for fc)
	in, out   []uint8             // in reaches past its last row (the GEMM reads whole k quads)
	lda, ldc  int
	cin, cout int // per group
	g         qgemmGroups
	rc        [][]int32 // per thread: the rows' zero-point corrections
	byRows    bool
	rowBlock  int
	panelW    int
}

// qgemmGroups are an int8 GEMM layer's packed weights and output stages,
// one per group.
type qgemmGroups struct {
	b         []*kernels.PackedQB
	bias      [][]int32 // zero points folded in (PackedQB.FoldBias)
	out       []*kernels.QOut
	rowFactor int32 // the row corrections' factor (0: none)
}

func (o *qgemmOp) items() int {
	if o.byRows {
		return (o.m + o.rowBlock - 1) / o.rowBlock
	}
	return (o.cout + o.panelW - 1) / o.panelW
}

func (o *qgemmOp) multAdds() int64 {
	return int64(o.m) * int64(o.cin) * int64(o.cout) * int64(len(o.g.b))
}

func (o *qgemmOp) Run(lo, hi, tid int) {
	m0, m1, n0, n1 := 0, o.m, 0, o.cout
	if o.byRows {
		m0, m1 = lo*o.rowBlock, min(hi*o.rowBlock, o.m)
	} else {
		n0, n1 = lo*o.panelW, min(hi*o.panelW, o.cout)
	}
	if m1 <= m0 || n1 <= n0 {
		return
	}
	for g, b := range o.g.b {
		a := o.in[m0*o.lda+g*o.cin:]
		var rc []int32
		if o.g.rowFactor != 0 {
			rc = o.rc[tid][:m1-m0]
			kernels.QRowSums(o.ks, &o.ws[tid], m1-m0, a, o.lda, o.cin, o.g.rowFactor, rc)
		}
		kernels.QGemm(o.ks, &o.ws[tid], m1-m0, a, o.lda, b, n0, n1, o.g.bias[g], rc, o.g.out[g], o.out[m0*o.ldc+g*o.cout:], o.ldc)
	}
}

// qgemmSplit chooses rows or column panels as gemmSplit does, in the int8
// GEMM's row blocks and panel pairs.
func (c *compiler) qgemmSplit(o *qgemmOp) {
	o.rowBlock = c.ks.QRowBlock()
	o.panelW = 32
	o.byRows = o.cout < 2*c.threads*o.panelW || (o.m >= 4*c.threads*o.rowBlock && o.cout <= o.m)
	if o.g.rowFactor != 0 {
		o.rc = make([][]int32, c.threads)
		for t := range o.rc {
			o.rc[t] = make([]int32, o.m)
		}
		c.used += int64(c.threads*o.m) * 4
	}
}

// packQGroups packs a layer's [Cout][K] int8-domain kernel (zero point zw)
// into one K x Cout/groups matrix per group for the int8 GEMM, with each
// group's folded bias and output stage.
func (c *compiler) packQGroups(l *qlayer, groups, k int) (qgemmGroups, error) {
	w, zw := l.weights8()
	coutTotal := len(w) / k
	cout := coutTotal / groups
	lo, hi := l.clamp()
	var q qgemmGroups
	tmp := make([]int8, k*cout)
	for g := range groups {
		for j := range cout {
			row := w[(g*cout+j)*k : (g*cout+j+1)*k]
			for i, v := range row {
				tmp[i*cout+j] = v
			}
		}
		b := kernels.PackQB(c.ks, k, cout, tmp, zw, cout)
		var bias []int32
		if l.bias != nil {
			bias = l.bias[g*cout : (g+1)*cout]
		}
		mult, shift := l.mult, l.shift
		if len(mult) > 1 {
			mult, shift = mult[g*cout:(g+1)*cout], shift[g*cout:(g+1)*cout]
		}
		out, err := kernels.NewQOut(cout, mult, shift, l.out.zero, lo, hi)
		if err != nil {
			return qgemmGroups{}, err
		}
		q.b = append(q.b, b)
		q.bias = append(q.bias, b.FoldBias(bias, l.in.zero))
		q.out = append(q.out, out)
		q.rowFactor = b.RowFactor()
		c.used += int64(b.Bytes()) + int64(len(q.bias[g]))*4
	}
	return q, nil
}
