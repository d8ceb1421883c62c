package tflite

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"mnet.dev/mnet/analyze"
	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/internal/testdata"
	"mnet.dev/mnet/model"
	"mnet.dev/mnet/spec"
	"mnet.dev/mnet/tensor"
)

// TestConvertMatchesSpec: each real model converts to a network whose
// analysis equals the YAML MobileNet v1 at the same α and resolution with
// 1001 classes, layer by layer, to the unit.
func TestConvertMatchesSpec(t *testing.T) {
	yamlNet, err := examples.Load("mobilenet_v1")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file  string
		alpha float64
		res   int
		quant bool
	}{
		{"mobilenet_v1_0.25_224_float.tflite", 0.25, 224, false},
		{"mobilenet_v1_0.25_224_quant.tflite", 0.25, 224, true},
		{"mobilenet_v1_0.75_192_quant.tflite", 0.75, 192, true},
		{"mobilenet_v1_0.5_160_quant.tflite", 0.5, 160, true},
		{"mobilenet_v1_0.25_128_quant.tflite", 0.25, 128, true},
	} {
		t.Run(c.file, func(t *testing.T) {
			m, err := ReadFile(testdata.File(t, "models/"+c.file))
			if err != nil {
				t.Fatal(err)
			}
			cv, err := Convert(m, c.file)
			if err != nil {
				t.Fatal(err)
			}
			if cv.Format != "TensorFlow Lite" || len(cv.Labels) != 0 && len(cv.Labels) != 1001 {
				t.Errorf("format %q, %d labels", cv.Format, len(cv.Labels))
			}
			if q := cv.Input.Quant(); (q != nil) != c.quant || q != nil && (q.Scale[0] != 1.0/128 || q.ZeroPoint[0] != 128) {
				t.Errorf("input %v, quantized model %v", cv.Input.Type, c.quant)
			}
			got, err := analyze.Spec(cv.Network, spec.Options{})
			if err != nil {
				t.Fatal(err)
			}
			want, err := analyze.Spec(yamlNet, spec.Options{Alpha: c.alpha, Resolution: c.res, Classes: 1001})
			if err != nil {
				t.Fatal(err)
			}
			// Weights must agree to the unit; biases differ by design (every
			// TFLite convolution carries a folded bias, the spec has batch
			// norm without bias): the imported with-bias count is the weights
			// plus one bias per output channel of every weighted layer.
			var channels int64
			for _, l := range got.Layers {
				if l.Weights > 0 {
					channels += int64(l.Out.C)
				}
			}
			if got.Totals.ParamsWithBias != got.Totals.Params+channels {
				t.Errorf("imported with-bias params %d, want weights %d + %d biases", got.Totals.ParamsWithBias, got.Totals.Params, channels)
			}
			if got.Totals.MultAdds != want.Totals.MultAdds || got.Totals.Params != want.Totals.Params {
				t.Errorf("totals: imported %d mult-adds, %d params; YAML %d, %d", got.Totals.MultAdds, got.Totals.Params, want.Totals.MultAdds, want.Totals.Params)
			}
			var gl, wl []analyze.Layer
			for _, l := range got.Layers {
				if l.MultAdds > 0 {
					gl = append(gl, l)
				}
			}
			for _, l := range want.Layers {
				if l.MultAdds > 0 {
					wl = append(wl, l)
				}
			}
			if len(gl) != len(wl) {
				t.Fatalf("%d costed layers imported, %d in the spec", len(gl), len(wl))
			}
			for i := range gl {
				if gl[i].Type != wl[i].Type || gl[i].MultAdds != wl[i].MultAdds || gl[i].Weights != wl[i].Weights || gl[i].Out != wl[i].Out {
					t.Errorf("layer %d: imported %s %s %v %d/%d; spec %s %s %v %d/%d", i, gl[i].Name, gl[i].Type, gl[i].Out,
						gl[i].MultAdds, gl[i].Weights, wl[i].Name, wl[i].Type, wl[i].Out, wl[i].MultAdds, wl[i].Weights)
				}
			}
			for i, w := range want.ByType {
				if got.ByType[i] != w {
					t.Errorf("by type %d: %+v vs %+v", i, got.ByType[i], w)
				}
			}
			// Every weighted node has its parameters, attached by
			// reference, of the right size and of the file's type: uint8
			// kernels and int32 biases in the quantized models.
			wantK, wantB := tensor.Float32, tensor.Float32
			if c.quant {
				wantK, wantB = tensor.Uint8, tensor.Int32
			}
			for _, n := range got.Graph.Nodes {
				p := n.Op.Params(&n)
				if p.Rank == 0 {
					if n.Weights != nil {
						t.Errorf("%s: weights on a layer without parameters", n.Name)
					}
					continue
				}
				w := n.Weights
				if w == nil || w.Check(&n) != nil || w.Bias == nil || w.Kernel.Type.DType != wantK || w.Bias.Type.DType != wantB {
					t.Fatalf("%s: weights %+v", n.Name, w)
				}
				if !slices.Equal(w.Kernel.Shape, p.Kernel()) {
					t.Errorf("%s: kernel shape %v, layout %s %v", n.Name, w.Kernel.Shape, p.Layout, p.Kernel())
				}
				var act spec.Activation
				switch op := n.Op.(type) {
				case *spec.Conv:
					act = op.Act
				case *spec.Depthwise:
					act = op.Act
				case *spec.FC:
					act = spec.ActReLU6 // the classifier is linear
				}
				if act != spec.ActReLU6 {
					t.Errorf("%s: activation %s, want relu6", n.Name, act)
				}
			}
			if got.Graph.Nodes[0].Name != "Conv2d_0" || !strings.HasPrefix(got.Graph.Nodes[1].Name, "Conv2d_1_depthwise") {
				t.Errorf("names %q %q", got.Graph.Nodes[0].Name, got.Graph.Nodes[1].Name)
			}
		})
	}
}

// TestWeightsDequantizeAsBefore: the typed weights a conversion attaches
// dequantize (tensor.Tensor.Dequantize, what exec does) to exactly the
// values Tensor.Float32 reads from the file, bit for bit, in the shared
// models (uint8 per tensor, int32 biases; see TestTypedPerChannel for int8
// per channel).
func TestWeightsDequantizeAsBefore(t *testing.T) {
	for _, file := range []string{"mobilenet_v1_0.25_224_float.tflite", "mobilenet_v1_0.25_224_quant.tflite",
		"mobilenet_v1_0.25_128_quant.tflite", "mobilenet_v2_1.0_224_quant.tflite"} {
		t.Run(file, func(t *testing.T) {
			m, err := ReadFile(testdata.File(t, "models/"+file))
			if err != nil {
				t.Fatal(err)
			}
			cv, err := Convert(m, file)
			if err != nil {
				t.Fatal(err)
			}
			g, err := spec.Resolve(cv.Network, spec.Options{})
			if err != nil {
				t.Fatal(err)
			}
			checked := 0
			for _, n := range g.Nodes {
				if n.Weights == nil {
					continue
				}
				var op int
				if _, err := fmt.Sscanf(n.Field, "operators[%d]", &op); err != nil {
					t.Fatalf("%s: field %q", n.Name, n.Field)
				}
				for i, x := range []*tensor.Tensor{n.Weights.Kernel, n.Weights.Bias} {
					want, err := m.Tensors[m.Operators[op].Inputs[1+i]].Float32()
					if err != nil {
						t.Fatal(err)
					}
					got, err := x.Dequantize()
					if err != nil {
						t.Fatal(err)
					}
					if !slices.Equal(got, want) {
						t.Fatalf("%s input %d: dequantized values differ from the file's", n.Name, 1+i)
					}
					checked++
				}
			}
			if checked < 2*14 {
				t.Errorf("only %d weight tensors checked", checked)
			}
		})
	}
}

// TestImporterMatch: by extension, or by the TFL3 identifier whatever the
// name; a YAML spec is not a TFLite file.
func TestImporterMatch(t *testing.T) {
	tiny := build(tinyModel())
	im := Importer{}
	if !im.Match("a.TFLITE", nil) || !im.Match("renamed.bin", tiny[:64]) || im.Match("net.yaml", []byte("name: x\ninput: {size: 8}\n")) {
		t.Error("Match")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "model.bin")
	if err := os.WriteFile(p, tiny, 0o644); err != nil {
		t.Fatal(err)
	}
	found, err := model.Find([]model.Importer{im}, p)
	if err != nil || found == nil {
		t.Fatalf("Find: %v %v", found, err)
	}
	if _, err := found.Load(p); err != nil && !strings.Contains(err.Error(), "tflite: ") {
		t.Errorf("Load: %v", err)
	}
}

// TestTypedPerChannel: an int8 depthwise kernel quantized per channel along
// TFLite's dimension 3 of [1, KH, KW, C], reshaped to mnet's [KH, KW, C]
// with the axis moved to 2, dequantizes to what Float32 gives.
func TestTypedPerChannel(t *testing.T) {
	data := make([]byte, 2*2*3)
	for i := range data {
		data[i] = byte(int8(i*37 - 100))
	}
	ten := &Tensor{Name: "dw", Shape: []int{1, 2, 2, 3}, Type: Int8, Data: data,
		Quant: &Quantization{Scale: []float32{0.5, 0.01, 3}, ZeroPoint: []int64{0, -3, 7}, Dimension: 3}}
	want, err := ten.Float32()
	if err != nil {
		t.Fatal(err)
	}
	x, err := ten.Typed([]int{2, 2, 3}, 2)
	if err != nil {
		t.Fatal(err)
	}
	got, err := x.Dequantize()
	if err != nil || !slices.Equal(got, want) || x.Type.DType != tensor.Int8 || x.Type.Quant.Axis != 2 {
		t.Errorf("dequantized %v (%v), want %v", got, err, want)
	}
	if _, err := ten.Typed([]int{2, 2, 3}, 1); err == nil {
		t.Error("per-channel scales along an axis of the wrong size accepted")
	}
	if _, err := ten.Typed([]int{13}, 0); err == nil {
		t.Error("a reshape to another element count accepted")
	}
}
