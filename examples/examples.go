// Package examples embeds mnet's example network specs (MobileNet v1 and
// the baselines the paper compares it with), so commands can load them by
// name without a path: "mobilenet_v1", "vgg16", ...
package examples

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"mnet.dev/mnet/spec"
)

//go:embed *.yaml
var files embed.FS

// Names lists the embedded specs by name (file name without .yaml), sorted.
func Names() []string {
	ents, _ := fs.ReadDir(files, ".")
	var out []string
	for _, e := range ents {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// aliases are other names the examples are known by.
var aliases = map[string]string{
	"mobilenet":         "mobilenet_v1",
	"conv_mobilenet":    "mobilenet_v1_conv",
	"shallow_mobilenet": "mobilenet_v1_shallow",
	"inception_v1":      "googlenet",
	"squeezenet_v1.0":   "squeezenet",
}

// Canonical maps an alias ("conv_mobilenet") to the example's name
// ("mobilenet_v1_conv"); other names are returned unchanged.
func Canonical(name string) string {
	if a, ok := aliases[strings.ToLower(name)]; ok {
		return a
	}
	return name
}

// Source returns the YAML text of an embedded spec, by name or alias.
func Source(name string) ([]byte, error) {
	name = Canonical(name)
	if strings.ContainsAny(name, `/\.`) {
		return nil, fmt.Errorf("no example spec named %q (have %s)", name, strings.Join(Names(), ", "))
	}
	b, err := files.ReadFile(path.Clean(name) + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("no example spec named %q (have %s)", name, strings.Join(Names(), ", "))
	}
	return b, nil
}

// Load parses an embedded spec by name.
func Load(name string) (*spec.Network, error) {
	b, err := Source(name)
	if err != nil {
		return nil, err
	}
	return spec.Parse(Canonical(name)+".yaml", b)
}
