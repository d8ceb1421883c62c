package tflite

import "strconv"

// Field ids of the schema tables this package reads, from
// tensorflow/lite/schema/schema.fbs (see the package documentation). A
// flatbuffer field id is its position in the table declaration; a union field
// takes two ids: NAME_type (a ubyte) and then NAME (the offset to the table).
//
// These are read-only tables.

// field names one field of a table: its id and the schema name used in errors.
type field struct {
	id   uint16
	name string
}

// table Model
var (
	modelVersion       = field{0, "version"}        // uint
	modelOperatorCodes = field{1, "operator_codes"} // [OperatorCode]
	modelSubgraphs     = field{2, "subgraphs"}      // [SubGraph]
	modelDescription   = field{3, "description"}    // string
	modelBuffers       = field{4, "buffers"}        // [Buffer]
	modelMetadata      = field{6, "metadata"}       // [Metadata]; 5 is metadata_buffer, 7 signature_defs
)

// table OperatorCode
var (
	opcodeDeprecatedBuiltin = field{0, "deprecated_builtin_code"} // byte
	opcodeCustomCode        = field{1, "custom_code"}             // string
	opcodeVersion           = field{2, "version"}                 // int = 1
	opcodeBuiltin           = field{3, "builtin_code"}            // BuiltinOperator (int32)
)

// table SubGraph
var (
	subgraphTensors   = field{0, "tensors"}   // [Tensor]
	subgraphInputs    = field{1, "inputs"}    // [int]
	subgraphOutputs   = field{2, "outputs"}   // [int]
	subgraphOperators = field{3, "operators"} // [Operator]
	subgraphName      = field{4, "name"}      // string
)

// table Tensor
var (
	tensorShape        = field{0, "shape"}        // [int]
	tensorType         = field{1, "type"}         // TensorType (byte)
	tensorBuffer       = field{2, "buffer"}       // uint
	tensorName         = field{3, "name"}         // string
	tensorQuantization = field{4, "quantization"} // QuantizationParameters
	tensorIsVariable   = field{5, "is_variable"}  // bool
	tensorSparsity     = field{6, "sparsity"}     // SparsityParameters
)

// table QuantizationParameters
var (
	quantMin         = field{0, "min"}                 // [float]
	quantMax         = field{1, "max"}                 // [float]
	quantScale       = field{2, "scale"}               // [float]
	quantZeroPoint   = field{3, "zero_point"}          // [long]
	quantDetailsType = field{4, "details_type"}        // QuantizationDetails union type
	quantDimension   = field{6, "quantized_dimension"} // int; 5 is the details table
)

// table Operator
var (
	operatorOpcodeIndex    = field{0, "opcode_index"}         // uint
	operatorInputs         = field{1, "inputs"}               // [int]
	operatorOutputs        = field{2, "outputs"}              // [int]
	operatorOptionsType    = field{3, "builtin_options_type"} // BuiltinOptions union type (ubyte)
	operatorBuiltinOptions = field{4, "builtin_options"}      // BuiltinOptions union value
)

// table Buffer
var (
	bufferData   = field{0, "data"}   // [ubyte]
	bufferOffset = field{1, "offset"} // ulong, for models > 2 GB: valid if > 1
	bufferSize   = field{2, "size"}   // ulong
)

// table Metadata
var (
	metadataName   = field{0, "name"}   // string
	metadataBuffer = field{1, "buffer"} // uint
)

// Option tables.
var (
	// Conv2DOptions
	convPadding    = field{0, "padding"}
	convStrideW    = field{1, "stride_w"}
	convStrideH    = field{2, "stride_h"}
	convActivation = field{3, "fused_activation_function"}
	convDilationW  = field{4, "dilation_w_factor"} // default 1
	convDilationH  = field{5, "dilation_h_factor"} // default 1

	// DepthwiseConv2DOptions
	dwPadding         = field{0, "padding"}
	dwStrideW         = field{1, "stride_w"}
	dwStrideH         = field{2, "stride_h"}
	dwDepthMultiplier = field{3, "depth_multiplier"}
	dwActivation      = field{4, "fused_activation_function"}
	dwDilationW       = field{5, "dilation_w_factor"} // default 1
	dwDilationH       = field{6, "dilation_h_factor"} // default 1

	// Pool2DOptions
	poolPadding      = field{0, "padding"}
	poolStrideW      = field{1, "stride_w"}
	poolStrideH      = field{2, "stride_h"}
	poolFilterWidth  = field{3, "filter_width"}
	poolFilterHeight = field{4, "filter_height"}
	poolActivation   = field{5, "fused_activation_function"}

	// FullyConnectedOptions
	fcActivation    = field{0, "fused_activation_function"}
	fcWeightsFormat = field{1, "weights_format"}
	fcKeepNumDims   = field{2, "keep_num_dims"}

	// SoftmaxOptions
	softmaxBeta = field{0, "beta"}

	// ConcatenationOptions
	concatAxis       = field{0, "axis"}
	concatActivation = field{1, "fused_activation_function"}

	// AddOptions
	addActivation = field{0, "fused_activation_function"}

	// ReshapeOptions
	reshapeNewShape = field{0, "new_shape"}

	// SqueezeOptions
	squeezeDims = field{0, "squeeze_dims"}
)

// optionsType is a value of the schema's BuiltinOptions union type: the
// position of the option table in the union declaration, NONE being 0.
type optionsType uint8

// The BuiltinOptions members this package decodes.
const (
	optNone                  optionsType = 0
	optConv2D                optionsType = 1
	optDepthwiseConv2D       optionsType = 2
	optPool2D                optionsType = 5
	optFullyConnected        optionsType = 8
	optSoftmax               optionsType = 9
	optConcatenation         optionsType = 10
	optAdd                   optionsType = 11
	optReshape               optionsType = 17
	optSqueeze               optionsType = 30
	optionsTypeCustomDetails uint8       = 1 // QuantizationDetails: CustomQuantization
)

// optionsTypeNames names the BuiltinOptions members above, for errors.
var optionsTypeNames = map[optionsType]string{
	optNone:            "NONE",
	optConv2D:          "Conv2DOptions",
	optDepthwiseConv2D: "DepthwiseConv2DOptions",
	optPool2D:          "Pool2DOptions",
	optFullyConnected:  "FullyConnectedOptions",
	optSoftmax:         "SoftmaxOptions",
	optConcatenation:   "ConcatenationOptions",
	optAdd:             "AddOptions",
	optReshape:         "ReshapeOptions",
	optSqueeze:         "SqueezeOptions",
}

func (t optionsType) String() string {
	if s, ok := optionsTypeNames[t]; ok {
		return s
	}
	return "BuiltinOptions(" + strconv.Itoa(int(t)) + ")"
}

// SchemaVersion is the only Model.version this package reads (schema.fbs:
// "Version 3: Move buffer data from Model.Subgraph.Tensors to Model.Buffers";
// 3a/3b/3c are backward compatible and keep the number 3).
const SchemaVersion = 3

// fileIdentifier is the schema's file_identifier, at bytes 4..8.
const fileIdentifier = "TFL3"
