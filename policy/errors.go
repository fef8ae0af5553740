package policy

import (
	"fmt"
	"sort"
	"strings"
)

// Error is one problem in a pack file, at a position.
type Error struct {
	File   string // the pack file, as given to the loader
	Line   int    // 1-based; 0 when the problem has no position
	Column int    // 1-based; 0 when unknown
	Msg    string
	Err    error // the underlying error (an expr compile error, a YAML error), if any
}

// Error formats the problem as "file:line:col: message", like a compiler.
func (e *Error) Error() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Errors is every problem found in a pack, in file and position order. A load that
// fails returns an Errors value.
type Errors []*Error

// Error joins the problems, one per line.
func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the problems, so errors.As finds an *Error.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// diag collects problems while a pack is read.
type diag struct {
	nodes      int  // YAML nodes read, aliases expanded
	overBudget bool // more than MaxNodes
	// budgetReported: the node budget's error is in; later problems are not reported
	budgetReported bool
	errs           Errors
	seen           map[string]bool
	files          []string          // in the order they were read, for sorting problems
	sources        map[string][]byte // file contents, to place expression errors exactly
}

func (d *diag) source(file string, data []byte) {
	if d.sources == nil {
		d.sources = map[string][]byte{}
	}
	if _, ok := d.sources[file]; !ok {
		d.files = append(d.files, file)
	}
	d.sources[file] = data
}

func (d *diag) fileIndex(file string) int {
	for i, f := range d.files {
		if f == file {
			return i
		}
	}
	return len(d.files)
}

func (d *diag) add(e *Error) {
	if d.seen == nil {
		d.seen = map[string]bool{}
	}
	key := e.Error()
	if d.seen[key] {
		return
	}
	d.seen[key] = true
	d.errs = append(d.errs, e)
}

func (d *diag) err() error {
	if len(d.errs) == 0 {
		return nil
	}
	sort.SliceStable(d.errs, func(i, j int) bool {
		a, b := d.errs[i], d.errs[j]
		if a.File != b.File {
			return d.fileIndex(a.File) < d.fileIndex(b.File) // files in the order they were read
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return d.errs
}
