package execcmd

import (
	"fmt"
	"strings"
	"time"

	"mnet.dev/mnet/cmd/internal/iostreams"
)

// progress draws "measuring NAME [=====   ] 45/124" on stderr when it is a
// terminal, at most ten times a second, and clears it when done.
type progress struct {
	io    *iostreams.IOStreams
	name  string
	last  time.Time
	drawn bool
}

func newProgress(io *iostreams.IOStreams, name string) *progress {
	return &progress{io: io, name: name}
}

func (p *progress) update(done, total int) {
	if !p.io.ErrTTY || time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	const width = 30
	fill := 0
	if total > 0 {
		fill = min(width, width*done/total)
	}
	fmt.Fprintf(p.io.ErrOut, "\rmeasuring %s [%s%s] %d/%d runs ", p.name, strings.Repeat("=", fill), strings.Repeat(" ", width-fill), done, total)
	p.drawn = true
}

func (p *progress) done() {
	if p.drawn {
		fmt.Fprint(p.io.ErrOut, "\r\033[K")
	}
}
