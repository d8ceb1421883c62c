package cmdutil

import (
	"os"
	"path/filepath"
	"strings"

	"mnet.dev/mnet/cmd/internal/iostreams"
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

// LoadNetwork loads a network by path or example name (see LoadModel),
// without its weights.
func (f *Factory) LoadNetwork(arg string) (*spec.Network, error) {
	m, err := f.LoadModel(arg)
	if err != nil {
		return nil, err
	}
	return m.Network, nil
}

func looksLikePath(s string) bool {
	return strings.ContainsAny(s, `/\`) || filepath.Ext(s) != ""
}
