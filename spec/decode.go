package spec

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Limits that keep a hostile spec from exhausting memory or time while it
// is read and expanded.
const (
	maxYAMLNodes  = 1 << 18 // YAML nodes visited, aliases included
	maxDepth      = 32      // nesting of repeat/concat/add blocks
	maxRepeat     = 10000   // times a single repeat block may run
	maxGraphNodes = 1 << 17 // layers after repeats are expanded
)

// decoder walks a yaml.Node tree, keeping positions for errors.
type decoder struct {
	file   string
	visits int
}

func (d *decoder) errAt(n *yaml.Node, field, format string, args ...any) error {
	e := &Error{File: d.file, Field: field, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Pos = Pos{n.Line, n.Column}
	}
	return e
}

// resolve follows aliases, counting visits against the budget.
func (d *decoder) resolve(n *yaml.Node, field string) (*yaml.Node, error) {
	for depth := 0; n != nil && n.Kind == yaml.AliasNode; depth++ {
		if depth > 64 {
			return nil, d.errAt(n, field, "alias chain too deep")
		}
		n = n.Alias
	}
	d.visits++
	if d.visits > maxYAMLNodes {
		return nil, d.errAt(n, field, "spec too large: more than %d YAML nodes after expanding aliases", maxYAMLNodes)
	}
	if n == nil {
		return nil, d.errAt(nil, field, "missing value")
	}
	return n, nil
}

// mapping is a YAML mapping whose keys have been checked.
type mapping struct {
	node  *yaml.Node
	field string
	vals  map[string]*yaml.Node
	keys  map[string]*yaml.Node
}

func (m *mapping) has(k string) bool { return m.vals[k] != nil }

func sub(field, key string) string {
	if field == "" {
		return key
	}
	return field + "." + key
}

// mappingOf checks that n is a mapping with unique keys drawn from allowed.
func (d *decoder) mappingOf(n *yaml.Node, field string, what string, allowed []string) (*mapping, error) {
	n, err := d.resolve(n, field)
	if err != nil {
		return nil, err
	}
	if n.Kind != yaml.MappingNode {
		return nil, d.errAt(n, field, "expected %s (a mapping of key: value), got %s", what, describe(n))
	}
	m := &mapping{node: n, field: field, vals: map[string]*yaml.Node{}, keys: map[string]*yaml.Node{}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		if kn.Kind != yaml.ScalarNode {
			return nil, d.errAt(kn, field, "expected a plain key, got %s", describe(kn))
		}
		k := kn.Value
		if prev, dup := m.keys[k]; dup {
			return nil, d.errAt(kn, sub(field, k), "duplicate key %q (first given at line %d)", k, prev.Line)
		}
		if !contains(allowed, k) {
			msg := fmt.Sprintf("unknown key %q in %s", k, what)
			if s := nearest(k, allowed); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			msg += "; valid keys: " + strings.Join(allowed, ", ")
			return nil, d.errAt(kn, sub(field, k), "%s", msg)
		}
		m.keys[k], m.vals[k] = kn, vn
	}
	return m, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing (null)"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "an unexpected YAML node"
}

// scalar returns the resolved scalar node at key k, or nil when absent.
func (d *decoder) scalar(m *mapping, k string) (*yaml.Node, error) {
	v := m.vals[k]
	if v == nil {
		return nil, nil
	}
	v, err := d.resolve(v, sub(m.field, k))
	if err != nil {
		return nil, err
	}
	if v.Kind != yaml.ScalarNode {
		return nil, d.errAt(v, sub(m.field, k), "expected a single value, got %s", describe(v))
	}
	return v, nil
}

// posInt decodes a strictly positive integer no larger than maxInt.
func (d *decoder) posIntNode(v *yaml.Node, field string, maxInt int) (int, error) {
	if v.Kind != yaml.ScalarNode || (v.Tag != "!!int" && v.Tag != "!!float") {
		return 0, d.errAt(v, field, "expected a positive integer, got %s", describe(v))
	}
	if v.Tag == "!!float" {
		f, err := strconv.ParseFloat(v.Value, 64)
		if err == nil && f == math.Trunc(f) && f > 0 && f <= float64(maxInt) {
			return int(f), nil
		}
		return 0, d.errAt(v, field, "expected a positive integer, got %s", v.Value)
	}
	var x int64
	if err := v.Decode(&x); err != nil {
		return 0, d.errAt(v, field, "expected a positive integer, got %s (out of range)", v.Value)
	}
	if x <= 0 {
		return 0, d.errAt(v, field, "expected a positive integer, got %d", x)
	}
	if x > int64(maxInt) {
		return 0, d.errAt(v, field, "%d is absurdly large (limit %d)", x, maxInt)
	}
	return int(x), nil
}

// maxDim bounds any single size in a spec (a tensor may have at most 2^31
// elements, so no one dimension can exceed it).
const maxDim = 1 << 31

func (d *decoder) posInt(m *mapping, k string, def int) (int, error) {
	v, err := d.scalar(m, k)
	if err != nil || v == nil {
		return def, err
	}
	return d.posIntNode(v, sub(m.field, k), maxDim)
}

func (d *decoder) nonNegIntNode(v *yaml.Node, field string) (int, error) {
	var x int64
	if v.Kind == yaml.ScalarNode && v.Tag == "!!int" && v.Decode(&x) == nil && x == 0 {
		return 0, nil
	}
	n, err := d.posIntNode(v, field, maxDim)
	if err != nil {
		return 0, d.errAt(v, field, "expected a non-negative integer, got %s", describe(v))
	}
	return n, nil
}

func (d *decoder) float(m *mapping, k string, def float64, ok func(float64) bool, want string) (float64, error) {
	v, err := d.scalar(m, k)
	if err != nil || v == nil {
		return def, err
	}
	if v.Tag != "!!int" && v.Tag != "!!float" {
		return 0, d.errAt(v, sub(m.field, k), "expected %s, got %s", want, describe(v))
	}
	f, perr := strconv.ParseFloat(strings.ReplaceAll(v.Value, "_", ""), 64)
	if perr != nil {
		if err := v.Decode(&f); err != nil {
			return 0, d.errAt(v, sub(m.field, k), "expected %s, got %s", want, v.Value)
		}
	}
	if math.IsNaN(f) || math.IsInf(f, 0) || !ok(f) {
		return 0, d.errAt(v, sub(m.field, k), "expected %s, got %s", want, v.Value)
	}
	return f, nil
}

func (d *decoder) boolPtr(m *mapping, k string) (*bool, error) {
	v, err := d.scalar(m, k)
	if err != nil || v == nil {
		return nil, err
	}
	if v.Tag != "!!bool" {
		return nil, d.errAt(v, sub(m.field, k), "expected true or false, got %s", describe(v))
	}
	var b bool
	if err := v.Decode(&b); err != nil {
		return nil, d.errAt(v, sub(m.field, k), "expected true or false, got %s", v.Value)
	}
	return &b, nil
}

func (d *decoder) str(m *mapping, k string) (string, error) {
	v, err := d.scalar(m, k)
	if err != nil || v == nil {
		return "", err
	}
	if v.Tag == "!!null" {
		return "", d.errAt(v, sub(m.field, k), "expected a string, got nothing")
	}
	return v.Value, nil
}

// enum decodes one of a fixed set of words.
func (d *decoder) enum(m *mapping, k string, valid []string) (string, error) {
	v, err := d.scalar(m, k)
	if err != nil || v == nil {
		return "", err
	}
	s := strings.ToLower(v.Value)
	if !contains(valid, s) {
		msg := fmt.Sprintf("unknown value %q (want one of %s)", v.Value, strings.Join(valid, ", "))
		if n := nearest(s, valid); n != "" {
			msg = fmt.Sprintf("unknown value %q (did you mean %q? want one of %s)", v.Value, n, strings.Join(valid, ", "))
		}
		return "", d.errAt(v, sub(m.field, k), "%s", msg)
	}
	return s, nil
}

// pair decodes an int or a [a, b] list of positive ints (kernel, stride).
func (d *decoder) pair(m *mapping, k string, def [2]int) ([2]int, error) {
	v := m.vals[k]
	if v == nil {
		return def, nil
	}
	field := sub(m.field, k)
	v, err := d.resolve(v, field)
	if err != nil {
		return def, err
	}
	switch v.Kind {
	case yaml.ScalarNode:
		x, err := d.posIntNode(v, field, maxDim)
		return [2]int{x, x}, err
	case yaml.SequenceNode:
		if len(v.Content) != 2 {
			return def, d.errAt(v, field, "expected a number or [height, width], got a list of %d", len(v.Content))
		}
		var out [2]int
		for i, e := range v.Content {
			e, err := d.resolve(e, field)
			if err != nil {
				return def, err
			}
			if out[i], err = d.posIntNode(e, fmt.Sprintf("%s[%d]", field, i), maxDim); err != nil {
				return def, err
			}
		}
		return out, nil
	}
	return def, d.errAt(v, field, "expected a number or [height, width], got %s", describe(v))
}

// padding decodes same, valid, N, [vertical, horizontal] or
// [top, bottom, left, right].
func (d *decoder) padding(m *mapping, k string) (*Padding, error) {
	v := m.vals[k]
	if v == nil {
		return nil, nil
	}
	field := sub(m.field, k)
	v, err := d.resolve(v, field)
	if err != nil {
		return nil, err
	}
	const want = "same, valid, a number, [vertical, horizontal] or [top, bottom, left, right]"
	switch v.Kind {
	case yaml.ScalarNode:
		switch strings.ToLower(v.Value) {
		case "same":
			return &Padding{Mode: PadSame}, nil
		case "valid":
			return &Padding{Mode: PadValid}, nil
		}
		if v.Tag != "!!int" {
			return nil, d.errAt(v, field, "expected %s, got %s", want, describe(v))
		}
		p, err := d.nonNegIntNode(v, field)
		if err != nil {
			return nil, err
		}
		return &Padding{Mode: PadExplicit, Top: p, Bottom: p, Left: p, Right: p}, nil
	case yaml.SequenceNode:
		if len(v.Content) != 2 && len(v.Content) != 4 {
			return nil, d.errAt(v, field, "expected %s, got a list of %d", want, len(v.Content))
		}
		vals := make([]int, len(v.Content))
		for i, e := range v.Content {
			e, err := d.resolve(e, field)
			if err != nil {
				return nil, err
			}
			if vals[i], err = d.nonNegIntNode(e, fmt.Sprintf("%s[%d]", field, i)); err != nil {
				return nil, err
			}
		}
		if len(vals) == 2 {
			return &Padding{Mode: PadExplicit, Top: vals[0], Bottom: vals[0], Left: vals[1], Right: vals[1]}, nil
		}
		return &Padding{Mode: PadExplicit, Top: vals[0], Bottom: vals[1], Left: vals[2], Right: vals[3]}, nil
	}
	return nil, d.errAt(v, field, "expected %s, got %s", want, describe(v))
}

// count decodes a positive integer or the word "classes".
func (d *decoder) count(m *mapping, k string) (Count, bool, error) {
	v, err := d.scalar(m, k)
	if err != nil || v == nil {
		return Count{}, false, err
	}
	if v.Tag == "!!str" && strings.ToLower(v.Value) == "classes" {
		return Count{Classes: true}, true, nil
	}
	if v.Tag == "!!str" {
		return Count{}, false, d.errAt(v, sub(m.field, k), "expected a positive integer or \"classes\", got %q", v.Value)
	}
	n, err := d.posIntNode(v, sub(m.field, k), maxDim)
	return Count{N: n}, true, err
}

func (d *decoder) activation(m *mapping, k string) (*Activation, error) {
	acts := Activations()
	names := make([]string, len(acts))
	for i, a := range acts {
		names[i] = string(a)
	}
	if v, err := d.scalar(m, k); err != nil || v == nil {
		return nil, err
	} else if h, ok := activationHint(strings.ToLower(v.Value)); ok {
		return nil, d.errAt(v, sub(m.field, k), "unknown value %q (did you mean %q? want one of %s)", v.Value, h, strings.Join(names, ", "))
	}
	s, err := d.enum(m, k, names)
	if err != nil || s == "" {
		return nil, err
	}
	a := Activation(s)
	return &a, nil
}

// kernelStride decodes a layer's kernel and stride (see pair); the stride
// defaults to 1, or to the kernel when strideIsKernel (pooling).
func (d *decoder) kernelStride(m *mapping, defKernel [2]int, strideIsKernel bool) (kernel, stride [2]int, err error) {
	if kernel, err = d.pair(m, "kernel", defKernel); err != nil {
		return kernel, stride, err
	}
	defStride := [2]int{1, 1}
	if strideIsKernel {
		defStride = kernel
	}
	stride, err = d.pair(m, "stride", defStride)
	return kernel, stride, err
}

// minAlpha decodes a layer's min_alpha: a floor under the network's width
// multiplier, in (0, MaxAlpha] (0 when absent).
func (d *decoder) minAlpha(m *mapping) (float64, error) {
	return d.float(m, "min_alpha", 0, validAlpha, "a width multiplier floor in (0, 4]")
}
