// Package tflite reads TensorFlow Lite model files (flatbuffers with file
// identifier "TFL3", schema version 3) safely: a malformed, truncated or
// hostile file yields an error, never a panic, an out-of-range read or an
// unbounded allocation.
//
// TODO: full doc
package tflite
