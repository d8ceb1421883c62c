package spec

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"

	"mnet.dev/mnet/tensor"
)

// Options override a spec's network-level parameters. Zero values keep the
// spec's own.
type Options struct {
	Alpha      float64       // width multiplier
	Resolution int           // input height in pixels (width scales with it)
	Classes    int           // classifier outputs
	Rounding   Rounding      // channel rounding rule under α
	Padding    PadConvention // how "same" padding is split
	Precision  Precision     // the element types (PrecisionAuto: the network's own)
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
	g.InputType = tensor.F32()
	r := &resolver{n: n, g: g, names: make(map[string]bool, 64)}
	g.Nodes = make([]Node, 0, 64)
	if tooBig(g.Input) {
		return nil, r.bigTensor(g.Input, n.Input.Pos, "input", "the input")
	}
	if _, _, err := r.seq(n.Layers, GraphInput, g.Input, &scope{counts: map[string]int{}}, 0); err != nil {
		return nil, err
	}
	r.settleTypes(o.Precision)
	return g, nil
}

type resolver struct {
	n     *Network
	g     *Graph
	names map[string]bool
	inBuf []int
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

// layer resolves one layer; suffix distinguishes the copies of a named
// layer inside a repeat ("_2").
func (r *resolver) layer(l *Layer, in int, s Shape, sc *scope, depth int, suffix string) (int, Shape, error) {
	if l.Params == nil {
		return 0, s, r.errAt(l, "type", "the layer has no type")
	}
	return l.Params.resolve(r, l, in, s, sc, depth, suffix)
}

// name is a layer's node name: its own, scoped to the block (and numbered
// inside a repeat), or the next automatic name from base ("conv_3").
func (r *resolver) name(l *Layer, sc *scope, suffix, base string) string {
	if l.Name == "" {
		return sc.autoName(base)
	}
	return sc.prefix + l.Name + suffix
}

// newNode starts the node of a single-input layer: its output shape is its
// input's until the op's shape rule says otherwise.
func (r *resolver) newNode(l *Layer, name string, in int, s Shape, sc *scope) Node {
	return Node{Name: name, Inputs: r.inputs(in), In: s, Out: s, Type: tensor.F32(), Weights: l.Weights, Quantized: l.Quantized,
		Block: sc.block, Pos: l.Pos, Field: l.Field}
}

// inputs returns a one-element Inputs slice, carved from a shared buffer
// (most nodes have one input: one allocation per 64 of them).
func (r *resolver) inputs(in int) []int {
	if len(r.inBuf) == cap(r.inBuf) {
		r.inBuf = make([]int, 0, 64)
	}
	r.inBuf = append(r.inBuf, in)
	n := len(r.inBuf)
	return r.inBuf[n-1 : n : n]
}

// finish checks a single-input node's weight count (weights, or -1 when it
// overflowed) and output size, and adds it to the graph.
func (r *resolver) finish(l *Layer, nd *Node, weights int64) (int, Shape, error) {
	if weights < 0 || weights > MaxTensorElems {
		return 0, nd.In, r.errAt(l, "", "the weights of %q are absurdly large: more than 2^31 values", nd.Name)
	}
	if tooBig(nd.Out) {
		return 0, nd.In, r.bigTensor(nd.Out, l.Pos, l.Field, "the output of "+strconv.Quote(nd.Name))
	}
	return r.add(*nd)
}

// weightCount multiplies a kernel's dimensions: -1 when it overflows.
func weightCount(dims ...int) int64 {
	v := make([]int64, len(dims))
	for i, d := range dims {
		v[i] = int64(d)
	}
	w, ok := mul(v...)
	if !ok {
		return -1
	}
	return w
}

// block resolves the branches of a concat or add: each reads the block's
// input, and their outputs must agree in spatial size (and in channels too
// when sameC). It returns the block's node name, the branches' outputs and
// their shapes.
func (r *resolver) block(l *Layer, branches []Branch, sameC bool, in int, s Shape, sc *scope, depth int, suffix, base string) (string, []int, []Shape, error) {
	name := r.name(l, sc, suffix, base)
	outs := make([]int, 0, len(branches))
	shapes := make([]Shape, 0, len(branches))
	for _, b := range branches {
		bs := &scope{prefix: name + "/" + b.Name + "/", block: name + "/" + b.Name, counts: map[string]int{}}
		o, os, err := r.seq(b.Layers, in, s, bs, depth+1)
		if err != nil {
			return "", nil, nil, err
		}
		outs = append(outs, o)
		shapes = append(shapes, os)
	}
	for i, bs := range shapes[1:] {
		if bs.H != shapes[0].H || bs.W != shapes[0].W {
			return "", nil, nil, r.errAt(l, "", "%s branches disagree in spatial size: %q gives %s but %q gives %s",
				l.Kind(), branches[0].Name, shapes[0], branches[i+1].Name, bs)
		}
		if sameC && bs.C != shapes[0].C {
			return "", nil, nil, r.errAt(l, "", "%s branches disagree in channels: %q gives %s but %q gives %s",
				l.Kind(), branches[0].Name, shapes[0], branches[i+1].Name, bs)
		}
	}
	return name, outs, shapes, nil
}

// join adds the node that joins a block's branches.
func (r *resolver) join(l *Layer, name string, op Op, outs []int, shapes []Shape, out Shape, sc *scope) (int, Shape, error) {
	if tooBig(out) {
		return 0, out, r.bigTensor(out, l.Pos, l.Field, "the "+string(l.Kind())+" output")
	}
	return r.add(Node{Name: name, Op: op, Inputs: outs, In: shapes[0], Out: out, Type: tensor.F32(), Quantized: l.Quantized,
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

// channels applies α and the rounding rule to a channel count; scale false
// (the layer's `scale: false`) leaves it alone.
func (r *resolver) channels(l *Layer, c Count, scale *bool, field string) (int, error) {
	if c.Classes {
		if r.g.Classes == 0 {
			return 0, r.errAt(l, field, "uses \"classes\" but the network sets no classes")
		}
		return r.g.Classes, nil
	}
	if scale != nil && !*scale {
		return c.N, nil
	}
	return r.g.Rounding.Apply(c.N, r.g.Alpha), nil
}

// channelsMin is channels with α raised to at least minAlpha (0: no
// floor): MobileNetV2's last convolution, which torchvision scales by
// max(1, α) and TF-slim's finegrain_classification_mode keeps at 1280 for
// α < 1.
func (r *resolver) channelsMin(l *Layer, c Count, scale *bool, field string, minAlpha float64) (int, error) {
	if minAlpha <= r.g.Alpha || c.Classes || (scale != nil && !*scale) {
		return r.channels(l, c, scale, field)
	}
	return r.g.Rounding.Apply(c.N, minAlpha), nil
}

// epilogue settles bias, batch norm and activation: the layer's, then the
// network's defaults (unless withDefaults is false: fully connected layers
// ignore them, so a classifier keeps its bias and stays linear), then the
// kind's fallback.
func (r *resolver) epilogue(f Fused, withDefaults bool, fallback Epilogue) Epilogue {
	d := r.n.Defaults
	if !withDefaults {
		d = Defaults{}
	}
	pick := func(p, def *bool, fb bool) bool {
		switch {
		case p != nil:
			return *p
		case def != nil:
			return *def
		}
		return fb
	}
	e := Epilogue{Bias: pick(f.Bias, d.Bias, fallback.Bias), BN: pick(f.BN, d.BN, fallback.BN), Act: fallback.Act}
	switch {
	case f.Activation != nil:
		e.Act = *f.Activation
	case d.Activation != nil:
		e.Act = *d.Activation
	}
	return e
}

// convEpilogue is a convolution's fallback: a bias, no batch norm, linear.
var convEpilogue = Epilogue{Bias: true, Act: ActNone}

// padding is a convolution's padding: the layer's, the network's default,
// else same.
func (r *resolver) padding(p *Padding) Padding {
	switch {
	case p != nil:
		return *p
	case r.n.Defaults.Padding != nil:
		return *r.n.Defaults.Padding
	}
	return Padding{Mode: PadSame}
}

// window fills a windowed node's output size and padding; kind names the
// layer in errors.
func (r *resolver) window(l *Layer, kind Kind, nd *Node, w *Window, pad Padding, ceil bool) error {
	s := nd.In
	h, t, b, err := window(s.H, w.KH, w.SH, axisPadding(pad, false), r.g.Padding, ceil)
	if err == nil {
		var wd, lt, rt int
		wd, lt, rt, err = window(s.W, w.KW, w.SW, axisPadding(pad, true), r.g.Padding, ceil)
		nd.Out.H, nd.Out.W = h, wd
		w.Pad = Pad{Top: t, Bottom: b, Left: lt, Right: rt}
	}
	if err != nil {
		return r.errAt(l, "kernel", "%dx%d %s with stride %dx%d and %s padding on a %s input: %v",
			w.KH, w.KW, kind, w.SH, w.SW, pad, s, err)
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
