//go:build !linux

package exec

func physicalMemory() int64 { return 0 }
