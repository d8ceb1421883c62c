package cmdutil

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/exec"
	"mnet.dev/mnet/model"
	"mnet.dev/mnet/spec"
	"mnet.dev/mnet/spec/tflite"
)

// Model is a network loaded by name or path: a YAML spec, an embedded
// example, or a trained model file (TensorFlow Lite) with its weights.
type Model struct {
	Network *spec.Network
	// Weights are the trained parameters (nil for specs: random weights).
	Weights exec.WeightSource
	// Imported is the model file as its importer read it: input
	// quantization, labels, notes (nil for specs and examples).
	Imported *model.Model
}

// importers are the trained-model file formats mnet reads.
var importers = []model.Importer{tflite.Importer{}}

// IsModelFile reports whether a path names a trained model file (by its
// extension or, for a file that exists, its first bytes) rather than a
// spec.
func IsModelFile(path string) bool {
	im, err := model.Find(importers, path)
	if err != nil {
		for _, i := range importers {
			if i.Match(path, nil) {
				return true
			}
		}
		return false
	}
	return im != nil
}

// LoadModel loads a spec file, an example by name, or a trained model
// file. A path that exists wins over an example of the same name.
func (f *Factory) LoadModel(arg string) (*Model, error) {
	if arg == "" {
		arg = DefaultModel
	}
	st, err := os.Stat(arg)
	switch {
	case err == nil && st.IsDir():
		return nil, fmt.Errorf("%s is a directory, not a spec or model file", arg)
	case err == nil && IsModelFile(arg):
		im, err := model.Find(importers, arg)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", arg, err)
		}
		m, err := im.Load(arg)
		if err != nil {
			return nil, err
		}
		return &Model{Network: m.Network, Weights: exec.Attached{}, Imported: m}, nil
	case err == nil:
		n, err := spec.ParseFile(arg)
		if err != nil {
			return nil, err
		}
		return &Model{Network: n}, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("reading %s: %w", arg, err)
	}
	n, err := examples.Load(arg)
	if err == nil {
		return &Model{Network: n}, nil
	}
	if looksLikePath(arg) {
		return nil, fmt.Errorf("%s: no such file (nor an example name; examples: %s)", arg, strings.Join(examples.Names(), ", "))
	}
	return nil, err
}
