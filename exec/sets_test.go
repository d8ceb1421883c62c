package exec

import (
	"os"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"

	"mnet.dev/mnet/exec/internal/kernels"
	"mnet.dev/mnet/exec/internal/kernels/asmsim"
)

// testSets is every kernel set of the build, native where the CPU runs it
// and simulated where it does not (asmsim.TestSets): the tests compile
// their plans for each, so a network test covers every ISA on every
// machine.
func testSets(t testing.TB) []*kernels.Set { return asmsim.TestSets(t, kernels.AllSets()) }

// simulated reports whether a set's kernels run far below the hardware's
// speed (such tests shrink their networks): in the instruction simulator,
// or any set when the test binary itself runs under a user-mode emulator
// (make test-arm64: qemu-aarch64 on an x86 host).
func simulated(ks *kernels.Set) bool { return strings.HasSuffix(ks.String(), "-sim") || emulated() }

// emulated reports whether this non-x86 test binary runs on an x86 host
// under a user-mode emulator, which passes the host's /proc/cpuinfo
// through: an x86 vendor_id line there.
var emulated = sync.OnceValue(func() bool {
	if runtime.GOARCH == "amd64" || runtime.GOARCH == "386" {
		return false
	}
	b, err := os.ReadFile("/proc/cpuinfo")
	return err == nil && regexp.MustCompile(`(?m)^vendor_id\s*:\s*(GenuineIntel|AuthenticAMD)`).Match(b)
})
