package spec

import (
	"fmt"
	"strconv"
	"strings"
)

// Format writes a network back as spec YAML: network-level keys, then one
// flow-style line per layer (blocks nest). Parse(Format(n)) describes the
// same network; comments and the original layout are not kept.
func Format(n *Network) []byte {
	var b strings.Builder
	kv := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	kv("name", quote(n.Name))
	kv("description", quote(n.Description))
	kv("source", quote(n.Source))
	fmt.Fprintf(&b, "input: {height: %d, width: %d, channels: %d}\n", n.Input.Height, n.Input.Width, n.Input.Channels)
	if n.Classes > 0 {
		kv("classes", strconv.Itoa(n.Classes))
	}
	kv("alpha", strconv.FormatFloat(n.Alpha, 'g', -1, 64))
	kv("rounding", string(n.Rounding))
	kv("padding", string(n.Padding))
	var d []string
	if n.Defaults.Bias != nil {
		d = append(d, "bias: "+strconv.FormatBool(*n.Defaults.Bias))
	}
	if n.Defaults.BN != nil {
		d = append(d, "bn: "+strconv.FormatBool(*n.Defaults.BN))
	}
	if n.Defaults.Activation != nil {
		d = append(d, "activation: "+string(*n.Defaults.Activation))
	}
	if n.Defaults.Padding != nil {
		d = append(d, "padding: "+formatPadding(*n.Defaults.Padding))
	}
	if len(d) > 0 {
		fmt.Fprintf(&b, "defaults: {%s}\n", strings.Join(d, ", "))
	}
	b.WriteString("layers:\n")
	formatLayers(&b, n.Layers, "  ")
	return []byte(b.String())
}

func quote(s string) string {
	if s == "" {
		return ""
	}
	return strconv.Quote(s)
}

func formatPadding(p Padding) string {
	if p.Mode != PadExplicit {
		return string(p.Mode)
	}
	if p.Top == p.Bottom && p.Left == p.Right {
		if p.Top == p.Left {
			return strconv.Itoa(p.Top)
		}
		return fmt.Sprintf("[%d, %d]", p.Top, p.Left)
	}
	return fmt.Sprintf("[%d, %d, %d, %d]", p.Top, p.Bottom, p.Left, p.Right)
}

func pair(v [2]int) string {
	if v[0] == v[1] {
		return strconv.Itoa(v[0])
	}
	return fmt.Sprintf("[%d, %d]", v[0], v[1])
}

func formatLayers(b *strings.Builder, layers []Layer, indent string) {
	for i := range layers {
		l := &layers[i]
		head := []string{"type: " + string(l.Kind())}
		if l.Name != "" {
			head = append(head, "name: "+strconv.Quote(l.Name))
		}
		l.Params.format(b, head, indent)
	}
}

// fields are a layer's "key: value" pairs, in the order they are written.
type fields []string

func (f *fields) add(k, v string) { *f = append(*f, k+": "+v) }

func (f *fields) boolp(k string, p *bool) {
	if p != nil {
		f.add(k, strconv.FormatBool(*p))
	}
}

func (f *fields) padding(p *Padding) {
	if p != nil {
		f.add("padding", formatPadding(*p))
	}
}

func (f *fields) groups(g int) {
	if g > 1 {
		f.add("groups", strconv.Itoa(g))
	}
}

func (f *fields) multiplier(m int) {
	if m > 1 {
		f.add("multiplier", strconv.Itoa(m))
	}
}

// fused writes bias, bn, scale (when scale is set) and the activation.
func (f *fields) fused(x Fused, scale *bool) {
	f.boolp("bias", x.Bias)
	f.boolp("bn", x.BN)
	f.boolp("scale", scale)
	if x.Activation != nil {
		f.add("activation", string(*x.Activation))
	}
}

func (f *fields) minAlpha(a float64) {
	if a != 0 {
		f.add("min_alpha", strconv.FormatFloat(a, 'g', -1, 64))
	}
}

// writeFlat writes a layer on one flow-style line.
func writeFlat(b *strings.Builder, indent string, f []string) {
	fmt.Fprintf(b, "%s- {%s}\n", indent, strings.Join(f, ", "))
}

// writeBlock writes a concat or add block: its keys, then its branches.
func writeBlock(b *strings.Builder, indent string, f []string, branches []Branch) {
	fmt.Fprintf(b, "%s- %s\n", indent, f[0])
	for _, kv := range f[1:] {
		fmt.Fprintf(b, "%s  %s\n", indent, kv)
	}
	fmt.Fprintf(b, "%s  branches:\n", indent)
	for _, br := range branches {
		fmt.Fprintf(b, "%s    - name: %s\n", indent, strconv.Quote(br.Name))
		if len(br.Layers) > 0 {
			fmt.Fprintf(b, "%s      layers:\n", indent)
			formatLayers(b, br.Layers, indent+"        ")
		}
	}
}
