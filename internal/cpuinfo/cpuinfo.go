// Package cpuinfo describes the processor measurements run on, for the
// captions and reports that state where a latency was measured.
package cpuinfo

import (
	"bufio"
	"io"
	"os"
	"strings"
)

// Model returns the CPU's model name ("AMD EPYC 7B13"), or "" where it is
// unknown (it is read from /proc/cpuinfo, so on Linux only).
func Model() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	defer f.Close()
	return modelOf(f)
}

// modelOf reads the first "model name" of a /proc/cpuinfo listing.
func modelOf(r io.Reader) string {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
