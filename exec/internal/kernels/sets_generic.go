//go:build !(amd64 || arm64) || purego

package kernels

// archSets is empty where the build has no assembly kernels (-tags purego,
// or an architecture without a port): only the generic set runs.
var archSets []*Set
