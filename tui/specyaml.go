package tui

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strconv"

	"gopkg.in/yaml.v3"

	"mnet.dev/mnet/spec"
)

// specYAML returns the spec source src with its alpha and input size set
// to those of the resolved graph g, and a first comment line saying so.
// Only those values change: the rest of the file, comments included, is
// kept byte for byte when the values are plain scalars (the usual case);
// otherwise the document is re-encoded. The result is parsed back and
// checked before it is returned.
func specYAML(src []byte, g *spec.Graph, note string) ([]byte, error) {
	if len(src) == 0 {
		return nil, errors.New("this network was not read from a spec YAML file")
	}
	out, err := editInPlace(src, g)
	if err != nil {
		if out, err = reencode(src, g); err != nil {
			return nil, err
		}
	}
	out = append([]byte("# "+note+"\n"), out...)
	n, err := spec.Parse("(written spec)", out)
	if err != nil {
		return nil, fmt.Errorf("the written spec does not parse: %w", err)
	}
	if n.Alpha != g.Alpha || n.Input.Height != g.Input.H || n.Input.Width != g.Input.W {
		return nil, fmt.Errorf("the written spec reads back as α %g, %dx%d, not α %g, %dx%d",
			n.Alpha, n.Input.Height, n.Input.Width, g.Alpha, g.Input.H, g.Input.W)
	}
	return out, nil
}

// root returns the document's top-level mapping.
func root(src []byte) (*yaml.Node, *yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, nil, fmt.Errorf("parsing the spec: %w", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, nil, errors.New("the spec is not a YAML mapping")
	}
	return &doc, doc.Content[0], nil
}

// lookup returns the key and value nodes of k in mapping m.
func lookup(m *yaml.Node, k string) (*yaml.Node, *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == k {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// edit replaces the scalar at a node's position with text.
type edit struct {
	line, col int // 1-based, as yaml.v3 reports them (col in characters)
	old, new  string
}

func editInPlace(src []byte, g *spec.Graph) ([]byte, error) {
	_, m, err := root(src)
	if err != nil {
		return nil, err
	}
	var edits []edit
	scalar := func(n *yaml.Node, v string) error {
		if n == nil || n.Kind != yaml.ScalarNode || n.Style != 0 {
			return errors.New("not a plain scalar")
		}
		if n.Value != v {
			edits = append(edits, edit{n.Line, n.Column, n.Value, v})
		}
		return nil
	}
	_, in := lookup(m, "input")
	if in == nil || in.Kind != yaml.MappingNode {
		return nil, errors.New("no input mapping")
	}
	if _, size := lookup(in, "size"); size != nil {
		if g.Input.H != g.Input.W {
			return nil, errors.New("a square size for a non-square input")
		}
		if err := scalar(size, strconv.Itoa(g.Input.H)); err != nil {
			return nil, err
		}
	} else {
		_, h := lookup(in, "height")
		_, w := lookup(in, "width")
		if err := scalar(h, strconv.Itoa(g.Input.H)); err != nil {
			return nil, err
		}
		if err := scalar(w, strconv.Itoa(g.Input.W)); err != nil {
			return nil, err
		}
	}
	alpha := alphaStr(g.Alpha)
	var insert *edit
	if _, av := lookup(m, "alpha"); av != nil {
		if err := scalar(av, alpha); err != nil {
			return nil, err
		}
	} else if g.Alpha != 1 {
		// Insert "alpha: x" on its own line before the layers key, at the
		// mapping's indentation.
		lk, _ := lookup(m, "layers")
		if lk == nil || m.Style&yaml.FlowStyle != 0 || lk.Column != 1 {
			return nil, errors.New("no place for alpha")
		}
		insert = &edit{line: lk.Line, col: 1, new: "alpha: " + alpha + "\n"}
	}
	lines := bytes.SplitAfter(src, []byte("\n"))
	sort.Slice(edits, func(i, j int) bool {
		if edits[i].line != edits[j].line {
			return edits[i].line > edits[j].line
		}
		return edits[i].col > edits[j].col
	})
	for _, e := range edits {
		if e.line < 1 || e.line > len(lines) {
			return nil, errors.New("position out of range")
		}
		l := lines[e.line-1]
		off := byteOffset(l, e.col-1)
		if off < 0 || !bytes.HasPrefix(l[off:], []byte(e.old)) {
			return nil, errors.New("scalar not where reported")
		}
		nl := append(append(append([]byte{}, l[:off]...), e.new...), l[off+len(e.old):]...)
		lines[e.line-1] = nl
	}
	if insert != nil {
		i := insert.line - 1
		lines = append(lines[:i], append([][]byte{[]byte(insert.new)}, lines[i:]...)...)
	}
	return bytes.Join(lines, nil), nil
}

// byteOffset converts a character column to a byte offset in line.
func byteOffset(line []byte, chars int) int {
	n := 0
	for i := range string(line) {
		if n == chars {
			return i
		}
		n++
	}
	if n == chars {
		return len(line)
	}
	return -1
}

// reencode sets the values in the parsed document and encodes it again
// (comments survive, formatting may not).
func reencode(src []byte, g *spec.Graph) ([]byte, error) {
	doc, m, err := root(src)
	if err != nil {
		return nil, err
	}
	set := func(parent *yaml.Node, k, v string, tag string) {
		if _, n := lookup(parent, k); n != nil {
			n.Kind, n.Tag, n.Value, n.Style, n.Content = yaml.ScalarNode, tag, v, 0, nil
			return
		}
		parent.Content = append(parent.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k},
			&yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v})
	}
	_, in := lookup(m, "input")
	if in == nil || in.Kind != yaml.MappingNode {
		return nil, errors.New("the spec has no input mapping")
	}
	if _, size := lookup(in, "size"); size != nil && g.Input.H == g.Input.W {
		set(in, "size", strconv.Itoa(g.Input.H), "!!int")
	} else {
		var kept []*yaml.Node
		for i := 0; i+1 < len(in.Content); i += 2 {
			if in.Content[i].Value != "size" {
				kept = append(kept, in.Content[i], in.Content[i+1])
			}
		}
		in.Content = kept
		set(in, "height", strconv.Itoa(g.Input.H), "!!int")
		set(in, "width", strconv.Itoa(g.Input.W), "!!int")
	}
	set(m, "alpha", alphaStr(g.Alpha), "!!float")
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("encoding the spec: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encoding the spec: %w", err)
	}
	return b.Bytes(), nil
}
