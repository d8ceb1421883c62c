package plotcmd

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progressBar draws a one-line bar on a terminal, redrawn at most every
// 100 ms (and at the end).
type progressBar struct {
	w     io.Writer
	label string
	last  time.Time
	now   func() time.Time
	drawn bool
}

func newProgressBar(w io.Writer, label string) *progressBar {
	return &progressBar{w: w, label: label, now: time.Now}
}

const barWidth = 30

func (b *progressBar) update(done, total int) {
	t := b.now()
	if done < total && t.Sub(b.last) < 100*time.Millisecond {
		return
	}
	b.last = t
	if total <= 0 {
		total = 1
	}
	done = min(max(done, 0), total)
	fill := barWidth * done / total
	fmt.Fprintf(b.w, "\r%s [%s%s] %d/%d runs", b.label, strings.Repeat("=", fill), strings.Repeat(" ", barWidth-fill), done, total)
	b.drawn = true
}

// clear erases the bar's line.
func (b *progressBar) clear() {
	if b.drawn {
		fmt.Fprint(b.w, "\r\x1b[K")
	}
}
