package exec

import (
	"fmt"
	"math"

	"mnet.dev/mnet/exec/internal/kernels"
	"mnet.dev/mnet/spec"
	"mnet.dev/mnet/tensor"
)

// compileConcatInt8 compiles an int8 channel concatenation: copies of the
// inputs that share the output's quantization, and for a uint8 input that
// does not, TFLite's requantizing copy (reference/concatenation.h,
// ConcatenationWithScaling: round(q * s + b) + zOut in float32, clamped),
// here a 256-entry table per such input. TFLite's int8 concatenation
// requires every input to share the output's quantization.
func compileConcatInt8(c *compiler, n *spec.Node) (op, error) {
	tabs, err := qconcatTables(c.g, n)
	if err != nil {
		return nil, err
	}
	o := &qconcatOp{out: c.qout(n), c: n.Out.C, pixels: c.batch * n.Out.H * n.Out.W, tabs: tabs}
	for _, in := range n.Inputs {
		o.ins = append(o.ins, c.qin(in))
		o.cs = append(o.cs, c.g.InputShape(in).C)
	}
	return o, nil
}

// qconcatTables returns, per input, nil when the input's quantization is
// the output's, or its requantization table.
func qconcatTables(g *spec.Graph, n *spec.Node) ([]*[256]uint8, error) {
	out, err := qdomainOf(n.Type)
	if err != nil {
		return nil, fmt.Errorf("its output: %w", err)
	}
	tabs := make([]*[256]uint8, len(n.Inputs))
	for k, i := range n.Inputs {
		in, err := qdomainOf(typeOf(g, i))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", inputName(g, i), err)
		}
		if in == out {
			continue
		}
		if in.signed || out.signed {
			return nil, fmt.Errorf("%s: int8 concatenation needs every input quantized as the output (scale %g, zero point %d; it has %g, %d)",
				inputName(g, i), out.scale, out.zero-128, in.scale, in.zero-in.offset())
		}
		scale := in.scale * (1 / out.scale)
		bias := -float32(in.zero) * scale
		t := new([256]uint8)
		for q := range t {
			v := int32(math.Round(float64(float32(float32(q)*scale)+bias))) + out.zero // unfused, as written
			t[q] = uint8(min(max(v, 0), 255))
		}
		tabs[k] = t
	}
	return tabs, nil
}

// qconcatOp copies (or requantizes) its inputs side by side along channels.
type qconcatOp struct {
	ins    [][]uint8
	cs     []int
	tabs   []*[256]uint8
	out    []uint8
	c      int
	pixels int
}

func (o *qconcatOp) items() int      { return o.pixels }
func (o *qconcatOp) multAdds() int64 { return 0 }
func (o *qconcatOp) Run(lo, hi, _ int) {
	for p := lo; p < hi; p++ {
		dst := o.out[p*o.c : (p+1)*o.c]
		off := 0
		for i, in := range o.ins {
			c := o.cs[i]
			if t := o.tabs[i]; t != nil {
				kernels.QLookup(t, in[p*c:(p+1)*c], dst[off:off+c])
			} else {
				copy(dst[off:off+c], in[p*c:(p+1)*c])
			}
			off += c
		}
	}
}

// refConcatInt8 is TFLite's reference concatenation on one image: the
// inputs' bytes side by side, requantized where their quantization differs
// (written out, not through the tables).
func refConcatInt8(g *spec.Graph, n *spec.Node, ins []qrefInput, _ *qlayer) ([]byte, error) {
	out, err := qdomainOf(n.Type)
	if err != nil {
		return nil, err
	}
	pixels := int(n.Out.H * n.Out.W)
	dst := make([]byte, n.Out.Elems())
	off := 0
	for k, i := range n.Inputs {
		t := typeOf(g, i)
		in, err := qdomainOf(t)
		if err != nil {
			return nil, err
		}
		c := ins[k].shape.C
		for p := range pixels {
			for j := range c {
				q := ins[k].b[p*c+j]
				if in != out {
					if t.DType == tensor.Int8 || n.Type.DType == tensor.Int8 {
						return nil, fmt.Errorf("int8 concatenation of differently quantized inputs")
					}
					s := in.scale * (1 / out.scale)
					v := int32(math.Round(float64(float32(float32(q)*s)+float32(-float32(in.zero)*s)))) + out.zero
					q = uint8(min(max(v, 0), 255))
				}
				dst[p*n.Out.C+off+j] = q
			}
		}
		off += c
	}
	return dst, nil
}
