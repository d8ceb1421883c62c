package cmdutil

import (
	"fmt"
	"io"
	"strings"
	"time"

	"mnet.dev/mnet/cmd/internal/iostreams"
)

// Progress is the one-line progress bar of a long measurement,
// "LABEL [=========         ] 45/124 runs", drawn on stderr only when it
// is a terminal: redrawn at most every 100 ms, always at the end, and
// erased by Done. Update may be passed as an exec.MeasureOptions.Progress.
type Progress struct {
	w     io.Writer // nil: not a terminal, draw nothing
	label string
	now   func() time.Time
	last  time.Time
	drawn bool
}

// BarWidth is the bar's width in characters.
const BarWidth = 30

// NewProgress returns a bar labelled label on ios's error stream.
func NewProgress(ios *iostreams.IOStreams, label string) *Progress {
	p := &Progress{label: label, now: time.Now}
	if ios.ErrTTY {
		p.w = ios.ErrOut
	}
	return p
}

// Update draws done of total runs.
func (p *Progress) Update(done, total int) {
	if p.w == nil {
		return
	}
	t := p.now()
	if done < total && t.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = t
	if total <= 0 {
		total = 1
	}
	done = min(max(done, 0), total)
	fill := BarWidth * done / total
	fmt.Fprintf(p.w, "\r%s [%s%s] %d/%d runs", p.label, strings.Repeat("=", fill), strings.Repeat(" ", BarWidth-fill), done, total)
	p.drawn = true
}

// Done erases the bar's line.
func (p *Progress) Done() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}
