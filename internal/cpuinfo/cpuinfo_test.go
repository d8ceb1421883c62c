package cpuinfo

import (
	"os"
	"strings"
	"testing"
)

func TestModelOf(t *testing.T) {
	listing := "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13 64-Core Processor\nflags\t\t: fpu\n\nprocessor\t: 1\nmodel name\t: other\n"
	if got := modelOf(strings.NewReader(listing)); got != "AMD EPYC 7B13 64-Core Processor" {
		t.Errorf("model %q", got)
	}
	if got := modelOf(strings.NewReader("processor : 0\n")); got != "" {
		t.Errorf("no model name: %q", got)
	}
	// On Linux the machine's own listing names a model.
	if _, err := os.Stat("/proc/cpuinfo"); err == nil {
		b, _ := os.ReadFile("/proc/cpuinfo")
		if strings.Contains(string(b), "model name") && Model() == "" {
			t.Error("/proc/cpuinfo has a model name, Model returned none")
		}
	}
}
