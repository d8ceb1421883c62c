package exec

import (
	"strings"
	"testing"

	"mnet.dev/mnet/exec/internal/kernels"
	"mnet.dev/mnet/exec/internal/kernels/asmsim"
)

// testSets is every kernel set of the build, native where the CPU runs it
// and simulated where it does not (asmsim.TestSets): the tests compile
// their plans for each, so a network test covers every ISA on every
// machine.
func testSets(t testing.TB) []*kernels.Set { return asmsim.TestSets(t, kernels.AllSets()) }

// simulated reports whether a set's kernels run in the instruction
// simulator (slowly: such tests shrink their networks).
func simulated(ks *kernels.Set) bool { return strings.HasSuffix(ks.String(), "-sim") }
