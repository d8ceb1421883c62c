// Package model is how mnet reads trained model files. An Importer
// recognises one file format (TensorFlow Lite in spec/tflite; ONNX next)
// and loads a file into a Model: the network as an mnet spec, with each
// weighted layer's trained parameters attached to it by reference
// (spec.Layer.Weights, which Resolve hands to the layer's node, so nothing
// depends on what the nodes end up named), how the input is fed, the class
// labels, and notes on whatever the import had to decide.
//
// An importer keeps the file's numbers as they are: quantized weights stay
// uint8 or int8 tensors with their scales and zero points (per tensor or
// per output channel) and int32 biases; weights in another layout (ONNX's
// NCHW) are repacked into the op's (spec.Op.Params). Where an operator maps
// onto mnet's layers only approximately, or onto several, the importer says
// so in Notes, one sentence each; `mnet import` writes them as comments.
package model

import (
	"errors"
	"fmt"
	"io"
	"os"

	"mnet.dev/mnet/spec"
	"mnet.dev/mnet/tensor"
)

// Importer reads one model file format.
type Importer interface {
	// Format names the file format, e.g. "TensorFlow Lite".
	Format() string
	// Match reports whether a file is in the format, from its name and
	// its first bytes (HeadSize of them, fewer in a shorter file).
	Match(name string, head []byte) bool
	// Load reads and converts the file at path. Errors name the file and,
	// where they can, the operator, tensor, field or offset at fault.
	Load(path string) (*Model, error)
}

// HeadSize is how many leading bytes of a file Match is given: enough for
// every format's magic (TFLite's "TFL3" at offset 4).
const HeadSize = 64

// Model is a trained model file as mnet sees it.
type Model struct {
	Format string // the importer's Format
	// Network is the model's architecture; its weighted layers carry their
	// trained parameters in Layer.Weights.
	Network *spec.Network
	Input   Input
	Labels  []string // class names, index i naming class i (nil: none in the file)
	Notes   []string // what the import inferred or approximated, a sentence each
}

// Input describes the network input as the file declares it.
type Input struct {
	// Type is the input tensor's element type. A quantized input (uint8
	// pixels) carries its quantization: pixel value q stands for the real
	// input Scale*(q - ZeroPoint), the mapping an image must go through to
	// be fed to the float network (TF-slim's MobileNets: (q - 128)/128).
	Type tensor.Type
}

// Quant returns the per-tensor quantization of a quantized input, or nil.
func (in Input) Quant() *tensor.Quant {
	q := in.Type.Quant
	if !in.Type.DType.Integer() || q == nil || len(q.Scale) != 1 {
		return nil
	}
	return q
}

// Find returns the first importer that matches the file at path, or nil
// when none does. Only the file's first HeadSize bytes are read.
func Find(importers []Importer, path string) (Importer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, HeadSize)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	for _, im := range importers {
		if im.Match(path, head[:n]) {
			return im, nil
		}
	}
	return nil, nil
}
