package classifycmd

import "mnet.dev/mnet/spec"

// specDefaults runs a model as the file describes it.
func specDefaults() spec.Options { return spec.Options{} }
