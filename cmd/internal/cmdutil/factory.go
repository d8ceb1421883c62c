package cmdutil

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"mnet.dev/mnet/cmd/internal/iostreams"
	"mnet.dev/mnet/examples"
	"mnet.dev/mnet/spec"
)

// DefaultModel is the network commands use when given none.
const DefaultModel = "mobilenet_v1"

// Factory provides commands with their streams and with network loading.
type Factory struct {
	IOStreams *iostreams.IOStreams
	// Getenv reads the environment (os.Getenv in production, a map in tests).
	Getenv func(string) string
}

// New returns a Factory for the process.
func New() *Factory {
	return &Factory{IOStreams: iostreams.System(), Getenv: os.Getenv}
}

// LoadNetwork loads a spec by file path or by example name. A path that
// exists wins over an example of the same name.
func (f *Factory) LoadNetwork(arg string) (*spec.Network, error) {
	if arg == "" {
		arg = DefaultModel
	}
	if st, err := os.Stat(arg); err == nil && !st.IsDir() {
		switch strings.ToLower(filepath.Ext(arg)) {
		case ".tflite":
			return nil, fmt.Errorf("%s: TensorFlow Lite models are not supported yet", arg)
		}
		return spec.ParseFile(arg)
	} else if err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s is a directory, not a spec file", arg)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("reading spec: %w", err)
	}
	if n, err := examples.Load(arg); err == nil {
		return n, nil
	} else if looksLikePath(arg) {
		return nil, fmt.Errorf("%s: no such file (nor an example name; examples: %s)", arg, strings.Join(examples.Names(), ", "))
	} else {
		return nil, err
	}
}

func looksLikePath(s string) bool {
	return strings.ContainsAny(s, `/\`) || filepath.Ext(s) != ""
}
