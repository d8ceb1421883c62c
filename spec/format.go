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
		formatLayer(b, &layers[i], indent)
	}
}

func formatLayer(b *strings.Builder, l *Layer, indent string) {
	f := []string{"type: " + string(l.Kind)}
	if l.Name != "" {
		f = append(f, "name: "+strconv.Quote(l.Name))
	}
	add := func(k, v string) { f = append(f, k+": "+v) }
	boolp := func(k string, p *bool) {
		if p != nil {
			add(k, strconv.FormatBool(*p))
		}
	}
	switch l.Kind {
	case KindConv, KindPointwise, KindSeparable:
		add("filters", l.Filters.String())
	case KindFC:
		add("units", l.Units.String())
	}
	switch l.Kind {
	case KindConv, KindDepthwise, KindSeparable, KindMaxPool, KindAvgPool:
		if !l.Global {
			add("kernel", pair(l.Kernel))
			add("stride", pair(l.Stride))
		}
	case KindPointwise:
		if l.Stride != [2]int{1, 1} {
			add("stride", pair(l.Stride))
		}
	}
	if l.Padding != nil && l.Kind != KindPointwise {
		add("padding", formatPadding(*l.Padding))
	}
	if l.Groups > 1 {
		add("groups", strconv.Itoa(l.Groups))
	}
	if l.Multiplier > 1 {
		add("multiplier", strconv.Itoa(l.Multiplier))
	}
	switch l.Kind {
	case KindConv, KindDepthwise, KindPointwise, KindSeparable, KindFC:
		boolp("bias", l.Bias)
		boolp("bn", l.BN)
		boolp("scale", l.Scale)
	}
	if l.Activation != nil {
		add("activation", string(*l.Activation))
	}
	switch l.Kind {
	case KindMaxPool, KindAvgPool:
		if l.Global {
			add("global", "true")
		}
		if l.CeilMode {
			add("ceil_mode", "true")
		}
		if l.CountPad {
			add("count_pad", "true")
		}
	case KindDropout:
		add("rate", strconv.FormatFloat(l.Rate, 'g', -1, 64))
	case KindLRN:
		add("size", strconv.Itoa(l.Size))
		add("alpha", strconv.FormatFloat(l.LRNAlpha, 'g', -1, 64))
		add("beta", strconv.FormatFloat(l.LRNBeta, 'g', -1, 64))
		add("k", strconv.FormatFloat(l.LRNK, 'g', -1, 64))
	case KindRepeat:
		fmt.Fprintf(b, "%s- type: repeat\n%s  times: %d\n%s  layers:\n", indent, indent, l.Times, indent)
		formatLayers(b, l.Body, indent+"    ")
		return
	case KindConcat, KindAdd:
		fmt.Fprintf(b, "%s- %s\n", indent, f[0])
		for _, kv := range f[1:] {
			fmt.Fprintf(b, "%s  %s\n", indent, kv)
		}
		fmt.Fprintf(b, "%s  branches:\n", indent)
		for _, br := range l.Branches {
			fmt.Fprintf(b, "%s    - name: %s\n", indent, strconv.Quote(br.Name))
			if len(br.Layers) > 0 {
				fmt.Fprintf(b, "%s      layers:\n", indent)
				formatLayers(b, br.Layers, indent+"        ")
			}
		}
		return
	}
	fmt.Fprintf(b, "%s- {%s}\n", indent, strings.Join(f, ", "))
}
