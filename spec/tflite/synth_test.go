package tflite

import (
	"reflect"
	"slices"
	"testing"
)

func TestTinyModel(t *testing.T) {
	data := build(tinyModel())
	m := mustParse(t, data)
	checkInvariants(t, m)

	if m.Version != 3 || m.Description != "tiny test model" || m.Name != "main" {
		t.Errorf("model header %d %q %q", m.Version, m.Description, m.Name)
	}
	wantCodes := []OpCode{
		{Code: OpConv2D, Version: 1},
		{Code: OpResizeBilinear, Version: 1},
		{Code: OpCustom, CustomCode: "MyCustomOp", Version: 1},
		{Code: 150, Version: 2},
	}
	if !reflect.DeepEqual(m.OpCodes, wantCodes) {
		t.Errorf("opcodes %+v, want %+v", m.OpCodes, wantCodes)
	}
	if got := BuiltinOperator(150).String(); got != "GELU" {
		t.Errorf("150 is %q", got)
	}

	names := []string{"input", "weights", "bias", "conv", "resized", "size", "q", "qbias", "out", "i8"}
	for i, n := range names {
		if m.Tensors[i].Name != n || m.Tensors[i].Index != i {
			t.Errorf("tensor %d: %v, want name %q", i, &m.Tensors[i], n)
		}
	}
	w := &m.Tensors[1]
	if !slices.Equal(w.Shape, []int{2, 3, 3, 3}) || w.Type != Float32 || w.Buffer != 1 || len(w.Data) != 2*27*4 || w.Quant != nil {
		t.Errorf("weights %v buffer %d, %d bytes", w, w.Buffer, len(w.Data))
	}
	if in := &m.Tensors[0]; in.Data != nil || in.Buffer != 0 {
		t.Errorf("input has data")
	}
	if !slices.Equal(m.Inputs, []int{0}) || !slices.Equal(m.Outputs, []int{8}) {
		t.Errorf("inputs %v outputs %v", m.Inputs, m.Outputs)
	}

	conv := &m.Operators[0]
	wantConv := &Conv2DOptions{Padding: PaddingSame, StrideW: 2, StrideH: 2, Activation: ActRelu6, DilationW: 1, DilationH: 1}
	if conv.Code != OpConv2D || !reflect.DeepEqual(conv.Options, wantConv) ||
		!slices.Equal(conv.Inputs, []int{0, 1, 2}) || !slices.Equal(conv.Outputs, []int{3}) {
		t.Errorf("conv %+v options %+v", conv, conv.Options)
	}
	if r := &m.Operators[1]; r.Code != OpResizeBilinear || r.Options != nil || r.Name() != "RESIZE_BILINEAR" {
		t.Errorf("resize %+v", r)
	}
	if c := &m.Operators[2]; c.Name() != "CUSTOM(MyCustomOp)" || !slices.Equal(c.Inputs, []int{4, -1}) {
		t.Errorf("custom %+v", c)
	}
	if g := &m.Operators[3]; g.Code != 150 || g.Version != 2 || g.OpcodeIndex != 3 {
		t.Errorf("gelu %+v", g)
	}

	if len(m.Metadata) != 1 || m.Metadata[0].Name != "min_runtime_version" || string(m.Metadata[0].Data) != "1.14.0" || m.Metadata[0].Buffer != 7 {
		t.Errorf("metadata %+v", m.Metadata)
	}
	if m.Labels != nil || m.LabelFile != "" {
		t.Errorf("labels %q from %q", m.Labels, m.LabelFile)
	}
}

func TestUnsupported(t *testing.T) {
	m := mustParse(t, build(tinyModel()))
	want := []string{"RESIZE_BILINEAR", "CUSTOM(MyCustomOp)", "GELU"}
	if got := m.Unsupported(nil); !slices.Equal(got, want) {
		t.Errorf("Unsupported(nil) = %q, want %q", got, want)
	}
	only := func(ops ...BuiltinOperator) func(BuiltinOperator) bool {
		return func(op BuiltinOperator) bool { return slices.Contains(ops, op) }
	}
	if got := m.Unsupported(only(OpConv2D, 150, OpCustom)); !slices.Equal(got, []string{"RESIZE_BILINEAR"}) {
		t.Errorf("Unsupported = %q", got)
	}
	if got := m.Unsupported(only()); !slices.Equal(got, []string{"CONV_2D", "RESIZE_BILINEAR", "CUSTOM(MyCustomOp)", "GELU"}) {
		t.Errorf("Unsupported(none) = %q", got)
	}
}

func TestOperatorNames(t *testing.T) {
	for code, name := range map[BuiltinOperator]string{
		0: "ADD", 3: "CONV_2D", 4: "DEPTHWISE_CONV_2D", 22: "RESHAPE", 25: "SOFTMAX", 43: "SQUEEZE",
		117: "HARD_SWISH", 126: "BATCH_MATMUL", 127: "PLACEHOLDER_FOR_GREATER_OP_CODES", 128: "CUMSUM",
		150: "GELU", 161: "RIGHT_SHIFT", 205: "REDUCE_WINDOW", 225: "TEMP_STREAMING_CONV_2D",
		206: "BuiltinOperator(206)", -1: "BuiltinOperator(-1)",
	} {
		if got := code.String(); got != name {
			t.Errorf("%d: %q, want %q", int(code), got, name)
		}
		if op, ok := LookupOperator(name); ok != (code >= 0 && code != 206) || (ok && op != code) {
			t.Errorf("LookupOperator(%q) = %d, %v", name, op, ok)
		}
	}
	for i, n := range builtinOperatorNames {
		if n == "" {
			t.Errorf("code %d has no name", i)
		}
	}
	if Int8.String() != "INT8" || TensorType(40).String() != "TensorType(40)" || Int4.Size() != 0 || Complex128.Size() != 16 {
		t.Error("TensorType names/sizes")
	}
}

// oneOp builds a model with a single operator of code op whose options are
// opts (union type typ), over three float tensors.
func oneOp(op BuiltinOperator, typ optionsType, opts T) []byte {
	ten := func(name string) T { return T{0: vi32{1, 2, 2, 4}, 1: i8(Float32), 3: str(name)} }
	o := T{0: u32(0), 1: vi32{0, 1}, 2: vi32{2}}
	if typ != optNone {
		o[3] = u8(typ)
	}
	if opts != nil {
		o[4] = opts
	}
	return build(T{
		0: u32(3),
		1: vtab{{0: i8(min(int32(op), 127)), 3: i32(op)}},
		2: vtab{{0: vtab{ten("a"), ten("b"), ten("c")}, 1: vi32{0, 1}, 2: vi32{2}, 3: vtab{o}}},
		4: vtab{{}},
	})
}

func TestOptions(t *testing.T) {
	tests := []struct {
		op   BuiltinOperator
		typ  optionsType
		opts T
		want Options
	}{
		{OpConv2D, optConv2D, T{0: u8(1), 1: i32(1), 2: i32(3), 3: u8(1), 4: i32(2), 5: i32(4)},
			&Conv2DOptions{Padding: PaddingValid, StrideW: 1, StrideH: 3, Activation: ActRelu, DilationW: 2, DilationH: 4}},
		{OpDepthwiseConv2D, optDepthwiseConv2D, T{1: i32(2), 2: i32(2), 3: i32(4), 4: u8(3)},
			&DepthwiseConv2DOptions{StrideW: 2, StrideH: 2, DepthMultiplier: 4, Activation: ActRelu6, DilationW: 1, DilationH: 1}},
		{OpAveragePool2D, optPool2D, T{0: u8(1), 1: i32(2), 2: i32(2), 3: i32(7), 4: i32(5)},
			&Pool2DOptions{Padding: PaddingValid, StrideW: 2, StrideH: 2, FilterWidth: 7, FilterHeight: 5}},
		{OpMaxPool2D, optPool2D, T{1: i32(1), 2: i32(1), 3: i32(3), 4: i32(3), 5: u8(2)},
			&Pool2DOptions{StrideW: 1, StrideH: 1, FilterWidth: 3, FilterHeight: 3, Activation: ActReluN1To1}},
		{OpFullyConnected, optFullyConnected, T{0: u8(1), 1: u8(1), 2: boolv(true)},
			&FullyConnectedOptions{Activation: ActRelu, WeightsFormat: WeightsShuffled4x16Int8, KeepNumDims: true}},
		{OpFullyConnected, optNone, nil, &FullyConnectedOptions{}},
		{OpAdd, optAdd, T{0: u8(3)}, &AddOptions{Activation: ActRelu6}},
		{OpConcatenation, optConcatenation, T{0: i32(-1), 1: u8(0)}, &ConcatenationOptions{Axis: -1}},
		{OpReshape, optReshape, T{0: vi32{1, -1}}, &ReshapeOptions{NewShape: []int{1, -1}}},
		{OpReshape, optNone, nil, &ReshapeOptions{}},
		{OpSqueeze, optSqueeze, T{0: vi32{1, 2}}, &SqueezeOptions{SqueezeDims: []int{1, 2}}},
		{OpSoftmax, optSoftmax, T{0: f32(0.5)}, &SoftmaxOptions{Beta: 0.5}},
	}
	for _, tc := range tests {
		m := mustParse(t, oneOp(tc.op, tc.typ, tc.opts))
		if got := m.Operators[0].Options; !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%v: options %+v, want %+v", tc.op, got, tc.want)
		}
	}
}

func TestOptionErrors(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"wrong union member", oneOp(OpConv2D, optPool2D, T{1: i32(1)}),
			[]string{`operator 0 (CONV_2D): field builtin_options_type: options are Pool2DOptions, want Conv2DOptions`}},
		{"absent conv options", oneOp(OpConv2D, optNone, nil),
			[]string{`operator 0 (CONV_2D): builtin_options absent, defaults unusable: field stride_w: is 0, want >= 1`}},
		{"zero stride", oneOp(OpDepthwiseConv2D, optDepthwiseConv2D, T{1: i32(1), 2: i32(0)}),
			[]string{`builtin_options DepthwiseConv2DOptions: field stride_h: is 0, want >= 1`}},
		{"bad dilation", oneOp(OpConv2D, optConv2D, T{1: i32(1), 2: i32(1), 4: i32(-2)}),
			[]string{`field dilation_w_factor: is -2`}},
		{"bad padding", oneOp(OpMaxPool2D, optPool2D, T{0: u8(7), 1: i32(1), 2: i32(1), 3: i32(1), 4: i32(1)}),
			[]string{`field padding: unknown padding 7`}},
		{"bad activation", oneOp(OpAdd, optAdd, T{0: u8(9)}),
			[]string{`operator 0 (ADD): builtin_options AddOptions: field fused_activation_function: unknown activation function 9`}},
		{"bad weights format", oneOp(OpFullyConnected, optFullyConnected, T{1: u8(5)}),
			[]string{`field weights_format: unknown weights format 5`}},
		{"zero filter", oneOp(OpAveragePool2D, optPool2D, T{1: i32(1), 2: i32(1), 3: i32(0), 4: i32(1)}),
			[]string{`field filter_width: is 0`}},
		{"negative depth multiplier", oneOp(OpDepthwiseConv2D, optDepthwiseConv2D, T{1: i32(1), 2: i32(1), 3: i32(-1)}),
			[]string{`field depth_multiplier: is -1, want >= 0`}},
		{"huge new_shape", oneOp(OpReshape, optReshape, T{0: make(vi32, MaxRank+1)}),
			[]string{`field new_shape: vector at offset`, `has 17 elements, more than the limit of 16`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.data)
			wantErr(t, err, tc.want...)
		})
	}
	// Options of operators without a typed decoder are not read at all.
	m := mustParse(t, oneOp(OpMean, 27, T{0: u8(1)}))
	if m.Operators[0].Options != nil || m.Operators[0].Name() != "MEAN" {
		t.Errorf("MEAN options %+v", m.Operators[0].Options)
	}
}

// mutate returns tinyModel with f applied, serialized.
func mutate(f func(m T)) []byte {
	m := tinyModel()
	f(m)
	return build(m)
}

func sub(m T) T             { return m[2].(vtab)[0] }
func tensorAt(m T, i int) T { return sub(m)[0].(vtab)[i] }
func operator(m T, i int) T {
	return sub(m)[3].(vtab)[i]
}

func TestSemanticErrors(t *testing.T) {
	tests := []struct {
		name string
		f    func(m T)
		want []string
	}{
		{"version 2", func(m T) { m[0] = u32(2) }, []string{"tflite: model: schema version 2 not supported (want 3)"}},
		{"no subgraphs", func(m T) { m[2] = vtab{} }, []string{"model: has 0 subgraphs; only models with exactly one subgraph are supported"}},
		{"two subgraphs", func(m T) { m[2] = append(m[2].(vtab), T{}) }, []string{"has 2 subgraphs"}},
		{"zero dim", func(m T) { tensorAt(m, 3)[0] = vi32{1, 0, 2, 2} },
			[]string{`tensor 3 "conv": field shape: dimension 1 is 0, want >= 1 (shape [1 0 2 2])`}},
		{"negative dim", func(m T) { tensorAt(m, 0)[0] = vi32{-1, 4, 4, 3} }, []string{`tensor 0 "input": field shape: dimension 0 is -1`}},
		{"too many elements", func(m T) { tensorAt(m, 4)[0] = vi32{65536, 32768, 2} },
			[]string{`tensor 4 "resized": field shape: shape [65536 32768 2] has more than 2147483648 elements`}},
		{"rank", func(m T) { tensorAt(m, 0)[0] = make(vi32, 17) }, []string{`tensor 0 "input": field shape:`, "more than the limit of 16"}},
		{"buffer size", func(m T) { tensorAt(m, 1)[0] = vi32{2, 3, 3, 2} },
			[]string{`tensor 1 "weights": field buffer: buffer 1 holds 216 bytes, want 144 (36 elements of FLOAT32, shape [2 3 3 2])`}},
		{"buffer type", func(m T) { tensorAt(m, 2)[1] = i8(Int8) },
			[]string{`tensor 2 "bias": field buffer: buffer 2 holds 8 bytes, want 2 (2 elements of INT8`}},
		{"buffer index", func(m T) { tensorAt(m, 2)[2] = u32(99) },
			[]string{`tensor 2 "bias": field buffer: buffer index 99 out of range (model has 8 buffers)`}},
		{"scale/zero point counts", func(m T) { tensorAt(m, 6)[4].(T)[3] = vi64{1} },
			[]string{`tensor 6 "q": field quantization: 2 scales but 1 zero points`}},
		{"per-channel dim", func(m T) { tensorAt(m, 6)[4].(T)[6] = i32(1) },
			[]string{`tensor 6 "q": field quantization: 2 per-channel scales but dimension 1 of shape [2 3] has another size`}},
		{"per-tensor dim range", func(m T) { tensorAt(m, 9)[4].(T)[6] = i32(1) },
			[]string{`tensor 9 "i8": field quantization: field quantized_dimension: quantized_dimension 1 out of range for shape [4]`}},
		{"per-channel scalar", func(m T) { tensorAt(m, 7)[0], tensorAt(m, 7)[2] = vi32{}, u32(0) },
			[]string{`tensor 7 "qbias": field quantization: 2 per-channel scales but dimension 0 of shape [] has another size`}},
		{"per-channel dim range", func(m T) { tensorAt(m, 6)[4].(T)[6] = i32(5) },
			[]string{`tensor 6 "q": field quantization: field quantized_dimension: quantized_dimension 5 out of range for shape [2 3]`}},
		{"opcode index", func(m T) { operator(m, 1)[0] = u32(4) },
			[]string{`operator 1: field opcode_index: opcode index 4 out of range (model has 4 operator codes)`}},
		{"input index", func(m T) { operator(m, 1)[1] = vi32{3, 10} },
			[]string{`operator 1 (RESIZE_BILINEAR): field inputs: element 1: tensor index 10 out of range (subgraph has 10 tensors)`}},
		{"output index", func(m T) { operator(m, 0)[2] = vi32{-2} },
			[]string{`operator 0 (CONV_2D): field outputs: element 0: tensor index -2 out of range`}},
		{"subgraph input -1", func(m T) { sub(m)[1] = vi32{-1} },
			[]string{`subgraph 0: field inputs: element 0: tensor index -1 out of range`}},
		{"negative builtin code", func(m T) { m[1].(vtab)[1] = T{0: i8(-5), 3: i32(-7)} },
			[]string{`operator code 1: field builtin_code: invalid builtin code -5`}},
		{"metadata buffer", func(m T) { m[6].(vtab)[0][1] = u32(8) },
			[]string{`metadata 0: field buffer: buffer index 8 out of range (model has 8 buffers)`}},
		{"external and inline data", func(m T) { m[4].(vtab)[3][1] = u64(8) },
			[]string{`buffer 3: field offset: both data (8 bytes) and an external offset 0x8 are set`}},
		{"external data range", func(m T) { m[4].(vtab)[0] = T{1: u64(8), 2: u64(1 << 40)} },
			[]string{`buffer 0: field offset: external data at offset 0x8 (1099511627776 bytes) runs past end of file`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(mutate(tc.f))
			wantErr(t, err, tc.want...)
		})
	}
}

// TestExternalBuffer: a Buffer with offset > 1 refers to bytes of the file
// outside the flatbuffer (schema 3c, for models over 2 GB).
func TestExternalBuffer(t *testing.T) {
	data := mutate(func(m T) {
		m[4].(vtab)[6] = T{1: u64(4), 2: u64(4)} // the identifier "TFL3"
	})
	m := mustParse(t, data)
	if got := string(m.Tensors[9].Data); got != "TFL3" {
		t.Errorf("external data %q", got)
	}
}

// TestSparseAndCustomQuant: sparse tensors skip the size check and custom
// quantization is recorded, and both are refused by Float32.
func TestSparseAndCustomQuant(t *testing.T) {
	m := mustParse(t, mutate(func(m T) {
		tensorAt(m, 1)[6] = T{0: vi32{0, 1, 2, 3}}
		tensorAt(m, 1)[0] = vi32{4, 3, 3, 3} // more elements than stored: fine when sparse
		tensorAt(m, 9)[4].(T)[4] = u8(1)     // CustomQuantization
		tensorAt(m, 9)[4].(T)[5] = T{0: vbytes{1, 2}}
	}))
	if !m.Tensors[1].Sparse {
		t.Error("tensor 1 not sparse")
	}
	if _, err := m.Tensors[1].Float32(); err == nil {
		t.Error("Float32 of a sparse tensor succeeded")
	}
	if q := m.Tensors[9].Quant; q == nil || !q.Custom {
		t.Fatalf("custom quantization %+v", q)
	}
	if _, err := m.Tensors[9].Float32(); err == nil {
		t.Error("Float32 of a custom-quantized tensor succeeded")
	}
}
