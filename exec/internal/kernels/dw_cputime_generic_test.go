//go:build !linux

package kernels

func dkThreadCPU() float64 { return 0 }

const dkHaveThreadCPU = false

func dkLockThread()   {}
func dkUnlockThread() {}
