package tflite

import (
	"path/filepath"
	"strings"

	"mnet.dev/mnet/model"
)

// Importer reads TensorFlow Lite files for mnet (model.Importer): a file
// named *.tflite, or one with TFLite's file identifier "TFL3" at offset 4
// whatever its name.
type Importer struct{}

// Format is "TensorFlow Lite".
func (Importer) Format() string { return "TensorFlow Lite" }

// Match reports a .tflite name or the TFL3 identifier.
func (Importer) Match(name string, head []byte) bool {
	return strings.EqualFold(filepath.Ext(name), ".tflite") || len(head) >= 8 && string(head[4:8]) == fileIdentifier
}

// Load reads the file at path and converts it (see ReadFile and Convert).
func (Importer) Load(path string) (*model.Model, error) {
	m, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Convert(m, path)
}
