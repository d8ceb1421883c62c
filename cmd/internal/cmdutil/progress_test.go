package cmdutil

import (
	"strings"
	"testing"
	"time"

	"mnet.dev/mnet/cmd/internal/iostreams"
)

func TestProgress(t *testing.T) {
	ios, _, _, errOut := iostreams.Test()
	ios.ErrTTY = true
	p := NewProgress(ios, "measuring")
	now := time.Unix(0, 0)
	p.now = func() time.Time { return now }
	p.Update(1, 4)
	now = now.Add(50 * time.Millisecond)
	p.Update(2, 4) // within 100 ms: skipped
	p.Update(4, 4) // the end is always drawn
	p.Done()
	got := errOut.String()
	if strings.Count(got, "\r") != 3 || !strings.Contains(got, "measuring [=======                       ] 1/4 runs") || strings.Contains(got, "2/4") ||
		!strings.Contains(got, "["+strings.Repeat("=", BarWidth)+"] 4/4 runs") || !strings.HasSuffix(got, "\r\x1b[K") {
		t.Errorf("bar %q", got)
	}
	// Not a terminal: nothing at all.
	ios, _, _, errOut = iostreams.Test()
	p = NewProgress(ios, "measuring")
	p.Update(1, 2)
	p.Update(2, 2)
	p.Done()
	if errOut.Len() != 0 {
		t.Errorf("not a terminal: %q", errOut)
	}
}
