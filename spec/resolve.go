package spec

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// Options override a spec's network-level parameters. Zero values keep the
// spec's own.
type Options struct {
	Alpha      float64       // width multiplier
	Resolution int           // input height in pixels (width scales with it)
	Classes    int           // classifier outputs
	Rounding   Rounding      // channel rounding rule under α
	Padding    PadConvention // how "same" padding is split
}

// MaxTensorElems is the largest tensor (activation or weight) Resolve
// accepts: 2^31 values.
const MaxTensorElems = 1 << 31

// Resolve applies α, resolution and class count to a parsed network and
// infers every shape. It rejects what cannot run: a kernel that does not
// fit, an output that shrinks to zero, groups that do not divide channels,
// branches that cannot be joined, any tensor over MaxTensorElems values.
func Resolve(n *Network, o Options) (*Graph, error) {
	g := &Graph{
		Name: n.Name, File: n.File,
		Alpha: n.Alpha, Resolution: n.Input.Height, Classes: n.Classes,
		Rounding: n.Rounding, Padding: n.Padding,
	}
	if err := o.Check(); err != nil {
		var re *RangeError
		if errors.As(err, &re) {
			return nil, &Error{File: n.File, Field: re.Option, Msg: re.Error()}
		}
		var se *Error
		if errors.As(err, &se) {
			e := *se
			e.File = n.File
			return nil, &e
		}
		return nil, err
	}
	if o.Alpha != 0 {
		g.Alpha = o.Alpha
	}
	if o.Resolution != 0 {
		g.Resolution = o.Resolution
	}
	if o.Classes != 0 {
		g.Classes = o.Classes
	}
	if o.Rounding != "" {
		g.Rounding = o.Rounding
	}
	if o.Padding != "" {
		g.Padding = o.Padding
	}
	g.Rho = float64(g.Resolution) / float64(n.Input.Height)
	width := n.Input.Width
	if g.Resolution != n.Input.Height {
		width = max(int(math.Round(float64(n.Input.Width)*g.Rho)), 1)
	}
	g.Input = Shape{H: g.Resolution, W: width, C: n.Input.Channels}
	r := &resolver{n: n, g: g, names: make(map[string]bool, 64)}
	g.Nodes = make([]Node, 0, 64)
	if tooBig(g.Input) {
		return nil, r.bigTensor(g.Input, n.Input.Pos, "input", "the input")
	}
	if _, _, err := r.seq(n.Layers, GraphInput, g.Input, &scope{counts: map[string]int{}}, 0); err != nil {
		return nil, err
	}
	return g, nil
}

type resolver struct {
	n     *Network
	g     *Graph
	names map[string]bool
}

// scope numbers auto-named layers ("conv_3") and prefixes names inside
// blocks ("inception_3a/b2/").
type scope struct {
	prefix string
	block  string
	counts map[string]int
}

func (s *scope) autoName(base string) string {
	s.counts[base]++
	return s.prefix + base + "_" + strconv.Itoa(s.counts[base])
}

func (r *resolver) errAt(l *Layer, field, format string, args ...any) error {
	f := l.Field
	if field != "" {
		f = sub(f, field)
	}
	return &Error{File: r.n.File, Pos: l.Pos, Field: f, Msg: fmt.Sprintf(format, args...)}
}

// tooBig reports a tensor over MaxTensorElems values.
func tooBig(s Shape) bool {
	e, ok := mul(int64(s.H), int64(s.W), int64(s.C))
	return !ok || e > MaxTensorElems
}

func (r *resolver) bigTensor(s Shape, p Pos, field, what string) error {
	return &Error{File: r.n.File, Pos: p, Field: field,
		Msg: fmt.Sprintf("%s (%dx%dx%d) is absurdly large: more than 2^31 values", what, s.H, s.W, s.C)}
}

// mul multiplies non-negative values, reporting overflow of int64.
func mul(vals ...int64) (int64, bool) {
	p := uint64(1)
	for _, v := range vals {
		if v < 0 {
			return 0, false
		}
		hi, lo := bits.Mul64(p, uint64(v))
		if hi != 0 || lo > math.MaxInt64 {
			return 0, false
		}
		p = lo
	}
	return int64(p), true
}

// seq resolves a list of layers fed by node `in` of shape s; it returns the
// node and shape of the last output.
func (r *resolver) seq(layers []Layer, in int, s Shape, sc *scope, depth int) (int, Shape, error) {
	var err error
	for i := range layers {
		if in, s, err = r.layer(&layers[i], in, s, sc, depth, ""); err != nil {
			return 0, s, err
		}
	}
	return in, s, nil
}

func (r *resolver) layer(l *Layer, in int, s Shape, sc *scope, depth int, suffix string) (int, Shape, error) {
	if l.Kind == KindRepeat {
		for t := 1; t <= l.Times; t++ {
			for i := range l.Body {
				var err error
				sfx := suffix
				body := &l.Body[i]
				if body.Name != "" {
					if named, ok := expandIndex(body.Name, t); ok {
						cp := *body
						cp.Name = named
						body = &cp
					} else {
						sfx = suffix + "_" + strconv.Itoa(t)
					}
				}
				if in, s, err = r.layer(body, in, s, sc, depth+1, sfx); err != nil {
					return 0, s, err
				}
			}
		}
		return in, s, nil
	}
	name := func(base string) (string, error) {
		if l.Name == "" {
			return sc.autoName(base), nil
		}
		nm := sc.prefix + l.Name + suffix
		return nm, nil
	}
	if l.Kind == KindSeparable {
		base := ""
		if l.Name != "" {
			base = sc.prefix + l.Name + suffix + "/"
		}
		dwName, pwName := base+"dw", base+"pw"
		if l.Name == "" {
			dwName, pwName = sc.autoName("dw"), sc.autoName("pw")
		}
		dw := *l
		dw.Kind, dw.sepPart = KindDepthwise, true
		idx, s2, err := r.node(&dw, dwName, in, s, sc)
		if err != nil {
			return 0, s, err
		}
		pw := *l
		pw.Kind, pw.sepPart = KindPointwise, true
		pw.Kernel, pw.Stride, pw.Padding, pw.Multiplier = [2]int{1, 1}, [2]int{1, 1}, &Padding{Mode: PadValid}, 1
		return r.node(&pw, pwName, idx, s2, sc)
	}
	if l.Kind == KindConcat || l.Kind == KindAdd {
		return r.block(l, in, s, sc, depth, suffix)
	}
	nm, err := name(autoBase[l.Kind])
	if err != nil {
		return 0, s, err
	}
	return r.node(l, nm, in, s, sc)
}

var autoBase = map[Kind]string{
	KindConv: "conv", KindDepthwise: "dw", KindPointwise: "pw", KindMaxPool: "maxpool", KindAvgPool: "avgpool",
	KindFC: "fc", KindDropout: "dropout", KindFlatten: "flatten", KindLRN: "lrn", KindSoftmax: "softmax",
	KindConcat: "concat", KindAdd: "add",
}

// block resolves a concat or add: each branch reads the block's input.
func (r *resolver) block(l *Layer, in int, s Shape, sc *scope, depth int, suffix string) (int, Shape, error) {
	var name string
	if l.Name == "" {
		name = sc.autoName(autoBase[l.Kind])
	} else {
		name = sc.prefix + l.Name + suffix
	}
	outs := make([]int, 0, len(l.Branches))
	shapes := make([]Shape, 0, len(l.Branches))
	for _, b := range l.Branches {
		bs := &scope{prefix: name + "/" + b.Name + "/", block: name + "/" + b.Name, counts: map[string]int{}}
		o, os, err := r.seq(b.Layers, in, s, bs, depth+1)
		if err != nil {
			return 0, s, err
		}
		outs = append(outs, o)
		shapes = append(shapes, os)
	}
	out := shapes[0]
	for i, bs := range shapes[1:] {
		b := l.Branches[i+1]
		if bs.H != out.H || bs.W != out.W {
			return 0, s, r.errAt(l, "", "%s branches disagree in spatial size: %q gives %s but %q gives %s",
				l.Kind, l.Branches[0].Name, shapes[0], b.Name, bs)
		}
		if l.Kind == KindAdd && bs.C != out.C {
			return 0, s, r.errAt(l, "", "add branches disagree in channels: %q gives %s but %q gives %s",
				l.Branches[0].Name, shapes[0], b.Name, bs)
		}
		if l.Kind == KindConcat {
			out.C += bs.C
		}
	}
	op := OpConcat
	act := ActNone
	if l.Kind == KindAdd {
		op = OpAdd
		if l.Activation != nil {
			act = *l.Activation
		}
	}
	if tooBig(out) {
		return 0, s, r.bigTensor(out, l.Pos, l.Field, "the "+string(l.Kind)+" output")
	}
	return r.add(Node{Name: name, Op: op, Kind: l.Kind, Inputs: outs, In: shapes[0], Out: out, Act: act,
		Block: sc.block, Pos: l.Pos, Field: l.Field})
}

func (r *resolver) add(nd Node) (int, Shape, error) {
	if r.names[nd.Name] {
		return 0, nd.Out, &Error{File: r.n.File, Pos: nd.Pos, Field: nd.Field + ".name", Msg: fmt.Sprintf("duplicate layer name %q", nd.Name)}
	}
	if len(r.g.Nodes) >= maxGraphNodes {
		return 0, nd.Out, &Error{File: r.n.File, Pos: nd.Pos, Field: nd.Field, Msg: fmt.Sprintf("the network expands to more than %d layers", maxGraphNodes)}
	}
	r.names[nd.Name] = true
	nd.Index = len(r.g.Nodes)
	r.g.Nodes = append(r.g.Nodes, nd)
	return nd.Index, nd.Out, nil
}

// channels applies α and the rounding rule to a channel count.
func (r *resolver) channels(l *Layer, c Count, field string) (int, error) {
	if c.Classes {
		if r.g.Classes == 0 {
			return 0, r.errAt(l, field, "uses \"classes\" but the network sets no classes")
		}
		return r.g.Classes, nil
	}
	if l.Scale != nil && !*l.Scale {
		return c.N, nil
	}
	return r.g.Rounding.Apply(c.N, r.g.Alpha), nil
}

// convDefaults settles bias, batch norm and activation (layer, then the
// network's defaults, then the kind's fallback) and returns the padding.
// Fallbacks: convolutions bias, no BN, linear; the halves of a separable
// layer no bias, BN and ReLU (the paper's block); fully connected layers
// ignore the network's defaults (a classifier keeps its bias, stays linear).
func (r *resolver) convDefaults(l *Layer, nd *Node) Padding {
	d := r.n.Defaults
	if l.Kind == KindFC {
		d = Defaults{}
	}
	fbBias, fbBN, fbAct := true, false, ActNone
	if l.sepPart {
		fbBias, fbBN, fbAct = false, true, ActReLU
	}
	pick := func(p, def *bool, fallback bool) bool {
		switch {
		case p != nil:
			return *p
		case def != nil:
			return *def
		}
		return fallback
	}
	nd.Bias = pick(l.Bias, d.Bias, fbBias)
	nd.BN = pick(l.BN, d.BN, fbBN)
	switch {
	case l.Activation != nil:
		nd.Act = *l.Activation
	case d.Activation != nil:
		nd.Act = *d.Activation
	default:
		nd.Act = fbAct
	}
	switch {
	case l.Padding != nil:
		return *l.Padding
	case d.Padding != nil:
		return *d.Padding
	}
	return Padding{Mode: PadSame}
}

// node resolves a single (non-block) layer.
func (r *resolver) node(l *Layer, name string, in int, s Shape, sc *scope) (int, Shape, error) {
	nd := Node{Name: name, Kind: l.Kind, Inputs: []int{in}, In: s, Out: s, Block: sc.block, Pos: l.Pos, Field: l.Field,
		KH: 1, KW: 1, SH: 1, SW: 1, Groups: 1, Mult: 1, Act: ActNone}
	var weights int64 = 0
	switch l.Kind {
	case KindConv, KindPointwise, KindDepthwise:
		pad := r.convDefaults(l, &nd)
		nd.KH, nd.KW, nd.SH, nd.SW = l.Kernel[0], l.Kernel[1], l.Stride[0], l.Stride[1]
		if l.Kind == KindPointwise {
			nd.KH, nd.KW, pad = 1, 1, Padding{Mode: PadValid}
		}
		if err := r.windowShape(l, &nd, pad, false); err != nil {
			return 0, s, err
		}
		if l.Kind == KindDepthwise {
			nd.Op, nd.Mult, nd.Groups = OpDepthwise, l.Multiplier, s.C
			nd.Out.C = s.C * l.Multiplier
			weights, _ = mul(int64(nd.KH), int64(nd.KW), int64(nd.Out.C))
			break
		}
		nd.Op, nd.Groups = OpConv, l.Groups
		c, err := r.channels(l, l.Filters, "filters")
		if err != nil {
			return 0, s, err
		}
		nd.Out.C = c
		if s.C%l.Groups != 0 {
			return 0, s, r.errAt(l, "groups", "%d groups do not divide the %d input channels", l.Groups, s.C)
		}
		if c%l.Groups != 0 {
			return 0, s, r.errAt(l, "groups", "%d groups do not divide the %d output channels (filters %s at alpha %g)", l.Groups, c, l.Filters, r.g.Alpha)
		}
		var ok bool
		if weights, ok = mul(int64(nd.KH), int64(nd.KW), int64(s.C/l.Groups), int64(c)); !ok {
			weights = MaxTensorElems + 1
		}
	case KindFC:
		r.convDefaults(l, &nd)
		nd.Op = OpFC
		c, err := r.channels(l, l.Units, "units")
		if err != nil {
			return 0, s, err
		}
		nd.Out = Shape{1, 1, c}
		var ok bool
		if weights, ok = mul(s.Elems(), int64(c)); !ok {
			weights = MaxTensorElems + 1
		}
	case KindMaxPool, KindAvgPool:
		nd.Op = OpMaxPool
		if l.Kind == KindAvgPool {
			nd.Op = OpAvgPool
		}
		nd.Global, nd.CeilMode, nd.CountPad = l.Global, l.CeilMode, l.CountPad
		if l.Global {
			nd.KH, nd.KW, nd.Out.H, nd.Out.W = s.H, s.W, 1, 1
			break
		}
		nd.KH, nd.KW, nd.SH, nd.SW = l.Kernel[0], l.Kernel[1], l.Stride[0], l.Stride[1]
		pad := Padding{Mode: PadValid}
		if l.Padding != nil {
			pad = *l.Padding
		}
		if err := r.windowShape(l, &nd, pad, l.CeilMode); err != nil {
			return 0, s, err
		}
	case KindLRN:
		nd.Op, nd.LRNSize, nd.LRNAlpha, nd.LRNBeta, nd.LRNK = OpLRN, l.Size, l.LRNAlpha, l.LRNBeta, l.LRNK
	case KindSoftmax:
		nd.Op = OpSoftmax
	case KindDropout:
		nd.Op, nd.Rate = OpDropout, l.Rate
	case KindFlatten:
		nd.Op = OpFlatten
		nd.Out = Shape{1, 1, int(min(s.Elems(), MaxTensorElems+1))}
	default:
		return 0, s, r.errAt(l, "type", "layer type %q cannot appear here", l.Kind)
	}
	if weights > MaxTensorElems {
		return 0, s, r.errAt(l, "", "the weights of %q are absurdly large: more than 2^31 values", name)
	}
	if tooBig(nd.Out) {
		return 0, s, r.bigTensor(nd.Out, l.Pos, l.Field, "the output of "+strconv.Quote(name))
	}
	return r.add(nd)
}

// windowShape fills the output size and padding of a windowed layer.
func (r *resolver) windowShape(l *Layer, nd *Node, pad Padding, ceil bool) error {
	s := nd.In
	h, t, b, err := window(s.H, nd.KH, nd.SH, axisPadding(pad, false), r.g.Padding, ceil)
	if err == nil {
		var w, lt, rt int
		w, lt, rt, err = window(s.W, nd.KW, nd.SW, axisPadding(pad, true), r.g.Padding, ceil)
		nd.Out.H, nd.Out.W = h, w
		nd.Pad = Pad{Top: t, Bottom: b, Left: lt, Right: rt}
	}
	if err != nil {
		return r.errAt(l, "kernel", "%dx%d %s with stride %dx%d and %s padding on a %s input: %v",
			nd.KH, nd.KW, l.Kind, nd.SH, nd.SW, pad, s, err)
	}
	return nil
}

// expandIndex replaces "{i}" or "{i+K}" in a name inside a repeat with the
// 1-based iteration number (plus K); ok is false when there is none.
func expandIndex(name string, iter int) (string, bool) {
	open := strings.Index(name, "{i")
	if open < 0 {
		return name, false
	}
	rest := name[open+2:]
	end := strings.IndexByte(rest, '}')
	if end < 0 {
		return name, false
	}
	k := 0
	if end > 0 {
		off, err := strconv.Atoi(rest[:end])
		if err != nil || rest[0] != '+' || off > 999999 {
			return name, false
		}
		k = off
	}
	return name[:open] + strconv.Itoa(iter+k) + rest[end+1:], true
}
