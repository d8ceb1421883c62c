//go:build linux

package kernels

import (
	"runtime"
	"syscall"
	"unsafe"
)

// dkThreadCPU returns the calling thread's CPU time in seconds
// (CLOCK_THREAD_CPUTIME_ID), so benchmarks on a shared machine can report
// time actually spent running besides wall time. Callers lock the OS thread.
func dkThreadCPU() float64 {
	var ts syscall.Timespec
	const clockThreadCPUTimeID = 3
	syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0)
	return float64(ts.Sec) + float64(ts.Nsec)*1e-9
}

const dkHaveThreadCPU = true

var dkLockThread = runtime.LockOSThread
var dkUnlockThread = runtime.UnlockOSThread
