package spec

import (
	"fmt"
	"strings"
)

// Pos is a position in a spec file (1-based line and column; 0 when unknown).
type Pos struct {
	Line, Col int
}

// Error is a spec problem at a place in a file: what was expected at which
// field. It is returned (possibly wrapped) by Parse and Resolve.
type Error struct {
	File  string // file name as given to Parse ("" for in-memory specs)
	Pos   Pos
	Field string // path of the offending field, e.g. "layers[3].filters"
	Msg   string
	Err   error // underlying cause, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
	} else {
		b.WriteString("<spec>")
	}
	if e.Pos.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Pos.Line)
		if e.Pos.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Pos.Col)
		}
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }
