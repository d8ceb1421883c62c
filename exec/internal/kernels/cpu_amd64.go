//go:build amd64 && !purego

package kernels

import "golang.org/x/sys/cpu"

// Read once at start-up from CPUID; never written afterwards.
var (
	hasAVX2   = cpu.X86.HasAVX2 && cpu.X86.HasFMA
	hasAVX512 = cpu.X86.HasAVX512F && cpu.X86.HasAVX512VL && cpu.X86.HasAVX2 && cpu.X86.HasFMA
)
