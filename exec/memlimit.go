package exec

// DefaultMaxMemory is the default limit on a plan's memory: half of the
// machine's physical memory (4 GiB where it cannot be read).
func DefaultMaxMemory() int64 {
	if total := physicalMemory(); total > 0 {
		return total / 2
	}
	return 4 << 30
}
