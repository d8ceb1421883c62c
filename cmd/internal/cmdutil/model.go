package cmdutil

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/exec"
	"mnet.dev/mnet/spec"
	"mnet.dev/mnet/spec/tflite"
)

// Model is a network loaded by name or path: a YAML spec, an embedded
// example, or a TensorFlow Lite file with its trained weights.
type Model struct {
	Network *spec.Network
	// Weights are the trained parameters (nil for specs: random weights).
	Weights exec.WeightSource
	// TFLite is the conversion, for .tflite files.
	TFLite *tflite.Converted
	Labels []string
}

// IsTFLite reports whether a path names a TensorFlow Lite file.
func IsTFLite(path string) bool { return strings.EqualFold(filepath.Ext(path), ".tflite") }

// LoadModel loads a spec file, an example by name, or a .tflite model. A
// path that exists wins over an example of the same name.
func (f *Factory) LoadModel(arg string) (*Model, error) {
	if arg == "" {
		arg = DefaultModel
	}
	st, err := os.Stat(arg)
	switch {
	case err == nil && st.IsDir():
		return nil, fmt.Errorf("%s is a directory, not a spec or model file", arg)
	case err == nil && IsTFLite(arg):
		m, err := tflite.ReadFile(arg)
		if err != nil {
			return nil, err
		}
		c, err := tflite.Convert(m, arg)
		if err != nil {
			return nil, err
		}
		return &Model{Network: c.Network, Weights: exec.FromTFLite(c), TFLite: c, Labels: m.Labels}, nil
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
