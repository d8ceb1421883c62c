package tflite

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"mnet.dev/mnet/internal/testdata"
	"mnet.dev/mnet/model"
)

// TestRealModels parses every shared MobileNet v1 model and checks the facts
// the test-data README states, plus the shape arithmetic of every operator.
func TestRealModels(t *testing.T) {
	for _, rm := range realModels {
		t.Run(rm.file, func(t *testing.T) {
			m, err := ReadFile(testdata.File(t, "models/"+rm.file))
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, m)
			checkRealModel(t, m, rm)
		})
	}
}

func checkRealModel(t *testing.T, m *Model, rm realModel) {
	if m.Version != 3 {
		t.Errorf("version %d", m.Version)
	}
	counts := map[string]int{}
	for i := range m.Operators {
		counts[m.Operators[i].Name()]++
	}
	last := "SQUEEZE"
	if rm.quant {
		last = "RESHAPE"
	}
	want := map[string]int{"CONV_2D": 15, "DEPTHWISE_CONV_2D": 13, "AVERAGE_POOL_2D": 1, last: 1, "SOFTMAX": 1}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("operator counts %v, want %v", counts, want)
	}
	if u := m.Unsupported(nil); u != nil {
		t.Errorf("Unsupported(nil) = %q, want none", u)
	}

	typ := Float32
	if rm.quant {
		typ = Uint8
	}
	if len(m.Inputs) != 1 || len(m.Outputs) != 1 {
		t.Fatalf("inputs %v outputs %v", m.Inputs, m.Outputs)
	}
	in, out := &m.Tensors[m.Inputs[0]], &m.Tensors[m.Outputs[0]]
	if !slices.Equal(in.Shape, []int{1, rm.size, rm.size, 3}) || in.Type != typ {
		t.Errorf("input %v", in)
	}
	if !slices.Equal(out.Shape, []int{1, 1001}) || out.Type != typ {
		t.Errorf("output %v", out)
	}
	if rm.quant {
		checkQuant(t, "input", in.Quant, 1.0/128, 128)
		checkQuant(t, "output", out.Quant, 1.0/256, 0)
	}

	convs := 0
	for i := range m.Operators {
		op := &m.Operators[i]
		switch op.Code {
		case OpConv2D:
			convs++
			logits := convs == 15
			checkConv(t, m, op, rm, logits)
		case OpDepthwiseConv2D:
			checkDepthwise(t, m, op, rm)
		case OpAveragePool2D:
			o := op.Options.(*Pool2DOptions)
			x := &m.Tensors[op.Inputs[0]]
			y := &m.Tensors[op.Outputs[0]]
			k := rm.size / 32
			if o.FilterWidth != k || o.FilterHeight != k || o.Padding != PaddingValid ||
				!slices.Equal(x.Shape, []int{1, k, k, rm.channels}) || !slices.Equal(y.Shape, []int{1, 1, 1, rm.channels}) {
				t.Errorf("average pool %+v: %v -> %v", o, x, y)
			}
		case OpSqueeze:
			if o := op.Options.(*SqueezeOptions); !slices.Equal(o.SqueezeDims, []int{1, 2}) {
				t.Errorf("squeeze dims %v", o.SqueezeDims)
			}
		case OpReshape:
			x, y := &m.Tensors[op.Inputs[0]], &m.Tensors[op.Outputs[0]]
			if !slices.Equal(x.Shape, []int{1, 1, 1, 1001}) || !slices.Equal(y.Shape, []int{1, 1001}) {
				t.Errorf("reshape %v -> %v", x, y)
			}
		case OpSoftmax:
			if o := op.Options.(*SoftmaxOptions); o.Beta != 1 {
				t.Errorf("softmax beta %v", o.Beta)
			}
		}
	}

	// Every constant tensor converts to float32.
	for i := range m.Tensors {
		ten := &m.Tensors[i]
		if ten.Data == nil {
			continue
		}
		if ten.Type == Int32 && ten.Quant == nil {
			continue // the RESHAPE shape operand
		}
		v, err := ten.Float32()
		if err != nil {
			t.Errorf("Float32: %v", err)
		} else if len(v) != ten.NumElements() {
			t.Errorf("tensor %v: %d values", ten, len(v))
		}
	}

	if !rm.labels {
		if m.Labels != nil {
			t.Errorf("float model has %d labels", len(m.Labels))
		}
		return
	}
	if len(m.Labels) != 1001 || !strings.HasSuffix(m.LabelFile, ".txt") {
		t.Fatalf("%d labels from %q", len(m.Labels), m.LabelFile)
	}
	for i, want := range map[int]string{0: "background", 653: "military uniform", 934: "cheeseburger", 286: "Egyptian cat"} {
		if m.Labels[i] != want {
			t.Errorf("label %d = %q, want %q", i, m.Labels[i], want)
		}
	}
	// Two label variants exist: the tflite-support model carries short names
	// ("tabby", "tench"), the coral models the long ones of
	// labels/imagenet_labels_1001.txt ("tabby, tabby cat", "tench, Tinca
	// tinca"); the four indices above agree in both.
	file, err := model.ReadLabels(testdata.File(t, "labels/imagenet_labels_1001.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if rm.toco {
		if m.Labels[282] != "tabby" || m.Labels[1] != "tench" {
			t.Errorf("labels 282, 1 = %q, %q; want the short names", m.Labels[282], m.Labels[1])
		}
	} else if !slices.Equal(file, m.Labels) {
		t.Errorf("zip labels differ from labels/imagenet_labels_1001.txt")
	}
	if file[282] != "tabby, tabby cat" {
		t.Errorf("labels file line 282 = %q", file[282])
	}
}

func checkQuant(t *testing.T, what string, q *Quantization, scale float64, zp int64) {
	t.Helper()
	if q == nil || q.PerChannel() || math.Abs(float64(q.Scale[0])-scale) > 1e-9 || q.ZeroPoint[0] != zp {
		t.Errorf("%s quantization %+v, want scale %v zero point %d", what, q, scale, zp)
	}
}

// sameOut is TF "SAME" output size.
func sameOut(in, stride int) int { return (in + stride - 1) / stride }

func checkConv(t *testing.T, m *Model, op *Operator, rm realModel, logits bool) {
	t.Helper()
	o := op.Options.(*Conv2DOptions)
	x, w, b, y := &m.Tensors[op.Inputs[0]], &m.Tensors[op.Inputs[1]], &m.Tensors[op.Inputs[2]], &m.Tensors[op.Outputs[0]]
	cout := w.Shape[0]
	if len(w.Shape) != 4 || w.Shape[3] != x.Shape[3] || !slices.Equal(b.Shape, []int{cout}) || y.Shape[3] != cout {
		t.Errorf("conv %d: x %v w %v b %v y %v", op.Index, x, w, b, y)
	}
	if y.Shape[1] != sameOut(x.Shape[1], o.StrideH) || y.Shape[2] != sameOut(x.Shape[2], o.StrideW) || o.Padding != PaddingSame {
		t.Errorf("conv %d: %+v maps %v to %v", op.Index, o, x.Shape, y.Shape)
	}
	if o.DilationW != 1 || o.DilationH != 1 {
		t.Errorf("conv %d: dilation %d,%d", op.Index, o.DilationW, o.DilationH)
	}
	if logits && cout != 1001 {
		t.Errorf("15th conv has %d outputs, want 1001", cout)
	}
	checkActivation(t, op, o.Activation, y, rm, logits)
	checkBias(t, op, x, w, b, rm)
}

func checkDepthwise(t *testing.T, m *Model, op *Operator, rm realModel) {
	t.Helper()
	o := op.Options.(*DepthwiseConv2DOptions)
	x, w, b, y := &m.Tensors[op.Inputs[0]], &m.Tensors[op.Inputs[1]], &m.Tensors[op.Inputs[2]], &m.Tensors[op.Outputs[0]]
	c := x.Shape[3]
	if !slices.Equal(w.Shape, []int{1, 3, 3, c}) || !slices.Equal(b.Shape, []int{c}) || y.Shape[3] != c || o.DepthMultiplier != 1 {
		t.Errorf("depthwise %d: x %v w %v b %v y %v %+v", op.Index, x, w, b, y, o)
	}
	if y.Shape[1] != sameOut(x.Shape[1], o.StrideH) || y.Shape[2] != sameOut(x.Shape[2], o.StrideW) || o.Padding != PaddingSame {
		t.Errorf("depthwise %d: %+v maps %v to %v", op.Index, o, x.Shape, y.Shape)
	}
	checkActivation(t, op, o.Activation, y, rm, false)
	checkBias(t, op, x, w, b, rm)
}

// checkActivation: ReLU6 on every conv but the logits one. The TOCO-converted
// quantized model leaves the fused activation out (NONE) and relies on the
// output range instead: zero point 0, scale 6/255.
func checkActivation(t *testing.T, op *Operator, a Activation, y *Tensor, rm realModel, logits bool) {
	t.Helper()
	want := ActRelu6
	if logits || rm.toco {
		want = ActNone
	}
	if a != want {
		t.Errorf("operator %d %s: activation %v, want %v", op.Index, op.Name(), a, want)
	}
	if rm.toco && !logits {
		q := y.Quant
		if q == nil || q.ZeroPoint[0] != 0 || math.Abs(float64(q.Scale[0])*255-6) > 1e-3 {
			t.Errorf("operator %d: TOCO output quantization %+v is not the ReLU6 range", op.Index, q)
		}
	}
}

// checkBias: quantized models have uint8 per-tensor weights and int32 biases
// with scale = input scale * weight scale.
func checkBias(t *testing.T, op *Operator, x, w, b *Tensor, rm realModel) {
	t.Helper()
	if !rm.quant {
		if w.Type != Float32 || b.Type != Float32 || w.Quant != nil {
			t.Errorf("operator %d: float model weights %v bias %v", op.Index, w, b)
		}
		return
	}
	if w.Type != Uint8 || b.Type != Int32 || w.Quant == nil || w.Quant.PerChannel() || b.Quant == nil || b.Quant.PerChannel() {
		t.Fatalf("operator %d: weights %v %+v bias %v %+v", op.Index, w, w.Quant, b, b.Quant)
	}
	want := float64(x.Quant.Scale[0]) * float64(w.Quant.Scale[0])
	if got := float64(b.Quant.Scale[0]); math.Abs(got-want) > 1e-6*want || b.Quant.ZeroPoint[0] != 0 {
		t.Errorf("operator %d: bias scale %v zero point %d, want %v, 0", op.Index, got, b.Quant.ZeroPoint[0], want)
	}
}

// TestFloatModelSummary logs, with -v, every operator of the float model with
// its shapes and options (the facts reported to the lead) and checks the
// stride pattern of MobileNet v1.
func TestFloatModelSummary(t *testing.T) {
	m, err := ReadFile(testdata.File(t, "models/mobilenet_v1_0.25_224_float.tflite"))
	if err != nil {
		t.Fatal(err)
	}
	var strides []int
	for i := range m.Operators {
		op := &m.Operators[i]
		var shapes []string
		for _, k := range op.Inputs {
			shapes = append(shapes, fmt.Sprint(m.Tensors[k].Shape))
		}
		y := m.Tensors[op.Outputs[0]].Shape
		t.Logf("%2d %-17s %s -> %v %+v", i, op.Name(), strings.Join(shapes, " "), y, op.Options)
		switch o := op.Options.(type) {
		case *Conv2DOptions:
			strides = append(strides, o.StrideH)
		case *DepthwiseConv2DOptions:
			strides = append(strides, o.StrideH)
		}
	}
	// conv0 s2, then dw s1,2,1,2,1,2,1,1,1,1,1,2,1 interleaved with 1x1 s1 convs, logits s1.
	want := []int{2, 1, 1, 2, 1, 1, 1, 2, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1}
	if !slices.Equal(strides, want) {
		t.Errorf("strides %v, want %v", strides, want)
	}
	if len(m.Tensors) != 88 {
		t.Errorf("%d tensors, want 88", len(m.Tensors))
	}
}

// TestRoundTrip re-encodes every real model with the test builder (an
// independent writer with a different layout) and checks that it parses to
// the same model.
func TestRoundTrip(t *testing.T) {
	for _, rm := range realModels {
		m := mustParse(t, readReal(t, rm.file))
		m2 := mustParse(t, build(modelTree(m, true)))
		m.Labels, m.LabelFile = nil, "" // the zip is not re-encoded
		if !reflect.DeepEqual(m, m2) {
			t.Errorf("%s: round trip differs", rm.file)
		}
		stripped := build(modelTree(m, false))
		m3 := mustParse(t, stripped)
		checkInvariants(t, m3)
		if len(m3.Tensors) != len(m.Tensors) || len(m3.Operators) != len(m.Operators) {
			t.Errorf("%s: stripped model differs", rm.file)
		}
		t.Logf("%s: %d tensors; weights stripped: %d bytes", rm.file, len(m.Tensors), len(stripped))
	}
}

func BenchmarkParse(b *testing.B) {
	for _, file := range []string{"mobilenet_v1_0.25_224_float.tflite", "mobilenet_v1_0.75_192_quant.tflite"} {
		data := readReal(b, file)
		b.Run(file, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
