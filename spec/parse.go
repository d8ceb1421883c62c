package spec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// ParseFile reads and parses a spec file.
func ParseFile(path string) (*Network, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading spec: %w", err)
	}
	return Parse(path, data)
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Parse parses a spec from data; file names it in errors. It checks the
// structure and every field's type and range, but not shapes: Resolve does
// that for a given α and resolution.
func Parse(file string, data []byte) (*Network, error) {
	d := &decoder{file: file}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{File: file, Msg: "empty file: expected a network spec (name, input, layers)"}
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		return nil, &Error{File: file, Msg: "empty file (only comments): expected a network spec (name, input, layers)"}
	} else if err != nil {
		return nil, yamlError(file, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, d.errAt(&extra, "", "more than one YAML document in the file; a spec is a single document")
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, &Error{File: file, Msg: "empty file: expected a network spec (name, input, layers)"}
	}
	return d.network(doc.Content[0])
}

func yamlError(file string, err error) error {
	e := &Error{File: file, Msg: "invalid YAML", Err: err}
	msg := err.Error()
	if te := (*yaml.TypeError)(nil); errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		e.Pos.Line, _ = strconv.Atoi(m[1])
		e.Err = errors.New(m[2])
		// yaml.v3 reports a parser error (as opposed to a scanner error) at
		// its 0-based context line: the line where the unclosed list or
		// mapping began. Make it 1-based like every other position.
		if strings.HasPrefix(m[2], "did not find expected") {
			e.Pos.Line++
			e.Err = fmt.Errorf("%s (in the block that starts here)", m[2])
		}
	}
	return e
}

var networkKeys = []string{"name", "description", "source", "input", "classes", "alpha", "rounding", "padding", "defaults", "layers"}

func (d *decoder) network(root *yaml.Node) (*Network, error) {
	m, err := d.mappingOf(root, "", "a network spec", networkKeys)
	if err != nil {
		return nil, err
	}
	n := &Network{File: d.file, Alpha: 1, Rounding: RoundTFSlim, Padding: PadTF}
	if n.Name, err = d.str(m, "name"); err != nil {
		return nil, err
	}
	if n.Description, err = d.str(m, "description"); err != nil {
		return nil, err
	}
	if n.Source, err = d.str(m, "source"); err != nil {
		return nil, err
	}
	if !m.has("input") {
		return nil, d.errAt(m.node, "input", "missing: the input size, e.g. input: {height: 224, width: 224, channels: 3}")
	}
	if n.Input, err = d.input(m.vals["input"]); err != nil {
		return nil, err
	}
	if n.Classes, err = d.posInt(m, "classes", 0); err != nil {
		return nil, err
	}
	if n.Alpha, err = d.float(m, "alpha", 1, validAlpha, "a width multiplier in (0, 4]"); err != nil {
		return nil, err
	}
	r, err := d.enum(m, "rounding", []string{string(RoundTFSlim), string(RoundKeras), string(RoundMultiple8)})
	if err != nil {
		return nil, err
	}
	if r != "" {
		n.Rounding = Rounding(r)
	}
	p, err := d.enum(m, "padding", []string{string(PadTF), string(PadKeras), string(PadSymmetric)})
	if err != nil {
		return nil, err
	}
	if p != "" {
		n.Padding = PadConvention(p)
	}
	if m.has("defaults") {
		if n.Defaults, err = d.defaults(m.vals["defaults"]); err != nil {
			return nil, err
		}
	}
	if !m.has("layers") {
		return nil, d.errAt(m.node, "layers", "missing: the list of layers")
	}
	if n.Layers, err = d.layers(m.vals["layers"], "layers", 0); err != nil {
		return nil, err
	}
	if len(n.Layers) == 0 {
		return nil, d.errAt(m.vals["layers"], "layers", "the network has no layers")
	}
	return n, nil
}

func validAlpha(a float64) bool { return a > 0 && a <= MaxAlpha }

func (d *decoder) input(v *yaml.Node) (InputSpec, error) {
	m, err := d.mappingOf(v, "input", "the input size", []string{"height", "width", "channels", "size"})
	if err != nil {
		return InputSpec{}, err
	}
	in := InputSpec{Pos: Pos{m.node.Line, m.node.Column}}
	if m.has("size") && (m.has("height") || m.has("width")) {
		return in, d.errAt(m.keys["size"], "input.size", "give either size or height and width, not both")
	}
	if m.has("size") {
		if in.Height, err = d.posInt(m, "size", 0); err != nil {
			return in, err
		}
		in.Width = in.Height
	} else {
		for _, k := range []string{"height", "width"} {
			if !m.has(k) {
				return in, d.errAt(m.node, "input."+k, "missing (or give size: N for a square input)")
			}
		}
		if in.Height, err = d.posInt(m, "height", 0); err != nil {
			return in, err
		}
		if in.Width, err = d.posInt(m, "width", 0); err != nil {
			return in, err
		}
	}
	if in.Channels, err = d.posInt(m, "channels", 3); err != nil {
		return in, err
	}
	return in, nil
}

func (d *decoder) defaults(v *yaml.Node) (Defaults, error) {
	var df Defaults
	m, err := d.mappingOf(v, "defaults", "layer defaults", []string{"bias", "bn", "activation", "padding"})
	if err != nil {
		return df, err
	}
	if df.Bias, err = d.boolPtr(m, "bias"); err != nil {
		return df, err
	}
	if df.BN, err = d.boolPtr(m, "bn"); err != nil {
		return df, err
	}
	if df.Activation, err = d.activation(m, "activation"); err != nil {
		return df, err
	}
	df.Padding, err = d.padding(m, "padding")
	return df, err
}

func (d *decoder) layers(v *yaml.Node, field string, depth int) ([]Layer, error) {
	v, err := d.resolve(v, field)
	if err != nil {
		return nil, err
	}
	if depth > maxDepth {
		return nil, d.errAt(v, field, "blocks nested more than %d deep", maxDepth)
	}
	if v.Kind != yaml.SequenceNode {
		return nil, d.errAt(v, field, "expected a list of layers, got %s", describe(v))
	}
	out := make([]Layer, 0, len(v.Content))
	for i, e := range v.Content {
		l, err := d.layer(e, fmt.Sprintf("%s[%d]", field, i), depth)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// kindHints maps names people commonly write to the kind they mean.
var kindHints = map[string]Kind{
	"conv2d": KindConv, "convolution": KindConv, "dw": KindDepthwise, "dwconv": KindDepthwise,
	"depthwise_conv": KindDepthwise, "pw": KindPointwise, "pwconv": KindPointwise, "conv1x1": KindPointwise,
	"sep": KindSeparable, "dsconv": KindSeparable, "dense": KindFC, "linear": KindFC, "fully_connected": KindFC,
	"maxpooling": KindMaxPool, "max_pool": KindMaxPool, "pool": KindMaxPool, "avg_pool": KindAvgPool,
	"averagepool": KindAvgPool, "gap": KindAvgPool, "globalavgpool": KindAvgPool, "concatenate": KindConcat,
	"inception": KindConcat, "fire": KindConcat, "residual": KindAdd, "sum": KindAdd,
	"inverted_residual": KindBottleneck, "mbconv": KindBottleneck, "expanded_conv": KindBottleneck,
	"squeeze_excite": KindSE, "squeeze-excite": KindSE, "squeeze_excitation": KindSE,
}

func kindNames() []string {
	ks := Kinds()
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return out
}

func (d *decoder) layer(v *yaml.Node, field string, depth int) (Layer, error) {
	var l Layer
	v, err := d.resolve(v, field)
	if err != nil {
		return l, err
	}
	if v.Kind != yaml.MappingNode {
		return l, d.errAt(v, field, "expected a layer (a mapping with a type key, e.g. {type: conv, filters: 32}), got %s", describe(v))
	}
	// Find the type first so unknown keys can be judged against it.
	var typeNode *yaml.Node
	for i := 0; i+1 < len(v.Content); i += 2 {
		if v.Content[i].Value == "type" {
			typeNode = v.Content[i+1]
		}
	}
	if typeNode == nil {
		return l, d.errAt(v, field, "layer has no type (one of %s)", strings.Join(kindNames(), ", "))
	}
	tn, err := d.resolve(typeNode, field+".type")
	if err != nil {
		return l, err
	}
	kind := Kind(strings.ToLower(tn.Value))
	lk, ok := lookupKind(kind)
	if !ok || tn.Kind != yaml.ScalarNode {
		msg := fmt.Sprintf("unknown layer type %q", tn.Value)
		if h, ok := kindHints[strings.ToLower(tn.Value)]; ok {
			msg += fmt.Sprintf(" (did you mean %q?)", h)
		} else if s := nearest(strings.ToLower(tn.Value), kindNames()); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		msg += "; valid types: " + strings.Join(kindNames(), ", ")
		return l, d.errAt(tn, field+".type", "%s", msg)
	}
	m, err := d.mappingOf(v, field, fmt.Sprintf("a %s layer", kind), append([]string{"type", "name"}, lk.keys...))
	if err != nil {
		return l, err
	}
	l = Layer{Pos: Pos{v.Line, v.Column}, Field: field, Params: lk.new()}
	if l.Name, err = d.str(m, "name"); err != nil {
		return l, err
	}
	if strings.ContainsAny(strings.ReplaceAll(l.Name, "{i+", "{i"), "/ \t\n+") {
		return l, d.errAt(m.vals["name"], field+".name", "a layer name may not contain '/' or spaces, got %q", l.Name)
	}
	return l, l.Params.decode(d, m, &l, depth)
}

// need reports a missing required key of layer l.
func (d *decoder) need(m *mapping, l *Layer, k, example string) error {
	if !m.has(k) {
		return d.errAt(m.node, sub(l.Field, k), "missing: a %s layer needs %s (e.g. %s)", l.Kind(), k, example)
	}
	return nil
}

func (d *decoder) branches(v *yaml.Node, field string, depth int) ([]Branch, error) {
	v, err := d.resolve(v, field)
	if err != nil {
		return nil, err
	}
	if v.Kind != yaml.SequenceNode {
		return nil, d.errAt(v, field, "expected a list of branches, got %s", describe(v))
	}
	if len(v.Content) < 2 {
		return nil, d.errAt(v, field, "expected at least two branches, got %d", len(v.Content))
	}
	out := make([]Branch, 0, len(v.Content))
	names := map[string]bool{}
	for i, e := range v.Content {
		bf := fmt.Sprintf("%s[%d]", field, i)
		m, err := d.mappingOf(e, bf, "a branch", []string{"name", "layers"})
		if err != nil {
			return nil, err
		}
		b := Branch{Pos: Pos{m.node.Line, m.node.Column}, Field: bf}
		if b.Name, err = d.str(m, "name"); err != nil {
			return nil, err
		}
		if b.Name == "" {
			b.Name = fmt.Sprintf("b%d", i+1)
		}
		if strings.ContainsAny(b.Name, "/ \t\n") {
			return nil, d.errAt(m.vals["name"], bf+".name", "a branch name may not contain '/' or spaces, got %q", b.Name)
		}
		if names[b.Name] {
			return nil, d.errAt(m.node, bf+".name", "duplicate branch name %q", b.Name)
		}
		names[b.Name] = true
		if m.has("layers") {
			if b.Layers, err = d.layers(m.vals["layers"], bf+".layers", depth); err != nil {
				return nil, err
			}
		}
		out = append(out, b)
	}
	return out, nil
}
