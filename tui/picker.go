package tui

import (
	"strconv"
	"strings"
)

// picker chooses the network among the entries.
type picker struct {
	open   bool
	cursor int
}

// view lists the entries: the cursor in reverse video, the open one marked.
func (p picker) view(st styles, entries []Entry, current int, w, h int) []string {
	lines := []string{" " + st.Heading.Render("Pick a network") + st.Dim.Render("   ↑↓ j k select · enter opens · esc cancels"), ""}
	nameW := 12
	for _, e := range entries {
		nameW = max(nameW, min(len(e.Name), 40))
	}
	// Scroll so that the cursor stays visible.
	rows := max(h-len(lines), 1)
	first := 0
	if p.cursor >= rows {
		first = p.cursor - rows + 1
	}
	for i := first; i < len(entries) && i < first+rows; i++ {
		e := entries[i]
		mark := "  "
		if i == current {
			mark = "● "
		}
		if i == p.cursor {
			mark = "▸ "
		}
		desc := e.Network.Name
		if e.Network.Description != "" && w >= 100 {
			desc += ": " + e.Network.Description
		}
		line := mark + padRight(strconv.Itoa(i+1)+".", 4) + padRight(e.Name, nameW) + "  " + desc
		line = fit(strings.TrimRight(line, " "), w-1)
		if i == p.cursor {
			line = st.Selected.Render(line)
		}
		lines = append(lines, " "+line)
	}
	return lines
}
