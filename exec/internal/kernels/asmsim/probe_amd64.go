//go:build amd64 && !purego

package asmsim

// Hardware probes (probe_amd64.s), for the simulator's own tests.

//go:noescape
func probeVec(dst, a, b, c, m *float32)

//go:noescape
func probeFlags(x uint64, p *uint64) (r uint64)
