package spec

import (
	"fmt"
	"strconv"
	"strings"
)

// KindRepeat is the spec's repeated block.
const KindRepeat Kind = "repeat"

var repeatKind = layerKind{KindRepeat, []string{"times", "layers"}, func() LayerParams { return &RepeatLayer{} }}

// RepeatLayer is a `repeat` block: its layers, Times over. A named layer
// inside is numbered per iteration ("conv_dw_{i+6}", or the name plus
// "_2", "_3" for the later copies).
type RepeatLayer struct {
	Times int
	Body  []Layer
}

// Kind is KindRepeat.
func (*RepeatLayer) Kind() Kind { return KindRepeat }

func (rp *RepeatLayer) decode(d *decoder, m *mapping, l *Layer, depth int) error {
	if err := d.need(m, l, "times", "times: 5"); err != nil {
		return err
	}
	v, err := d.scalar(m, "times")
	if err != nil {
		return err
	}
	if rp.Times, err = d.posIntNode(v, sub(l.Field, "times"), maxRepeat); err != nil {
		return err
	}
	if err := d.need(m, l, "layers", "layers: [{type: separable, filters: 512}]"); err != nil {
		return err
	}
	if rp.Body, err = d.layers(m.vals["layers"], sub(l.Field, "layers"), depth+1); err != nil {
		return err
	}
	if len(rp.Body) == 0 {
		return d.errAt(m.vals["layers"], sub(l.Field, "layers"), "a repeat needs at least one layer")
	}
	return nil
}

func (rp *RepeatLayer) format(b *strings.Builder, _ []string, indent string) {
	fmt.Fprintf(b, "%s- type: repeat\n%s  times: %d\n%s  layers:\n", indent, indent, rp.Times, indent)
	formatLayers(b, rp.Body, indent+"    ")
}

func (rp *RepeatLayer) resolve(r *resolver, _ *Layer, in int, s Shape, sc *scope, depth int, suffix string) (int, Shape, error) {
	for t := 1; t <= rp.Times; t++ {
		for i := range rp.Body {
			var err error
			sfx := suffix
			body := &rp.Body[i]
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
