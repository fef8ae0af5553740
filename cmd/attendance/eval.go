package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/roster"
)

// recoverAs turns a panic of command name (a bug) into an error for *err, so that the
// program exits with status 1 and a message naming the command, never with the Go
// runtime's status 2, which is the program's status for bad usage. Use it deferred:
//
//	defer recoverAs(&err, name)
func recoverAs(err *error, name string) {
	if v := recover(); v != nil {
		*err = fmt.Errorf("attendance %s: internal error: %s (a bug in attendance: please report it with the command and its input)\n%s",
			name, panicText(v), bytes.TrimSpace(debug.Stack()))
	}
}

// panicText is a panic's value for a message: one line of at most 200 bytes, quoted
// when it holds characters that would not print as themselves.
func panicText(v any) string {
	s := fmt.Sprint(v)
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "") + "..."
	}
	if q := strconv.Quote(s); q[1:len(q)-1] != s {
		return q
	}
	return s
}

// cmdHistory runs eval and classify: on one history (HISTORY.json or - for standard
// input), printing one JSON document; or on a roster, printing JSON Lines.
func cmdHistory(e *env, name string, args []string) (err error) {
	if handled, err := evalHTMLHook(e, name, args); handled { // eval --format html: html.go
		return err
	}
	defer recoverAs(&err, name)
	fs := flags(name)
	pol := fs.String("policy", "", "")
	format := fs.String("format", "json", "")
	var asOf dateFlag
	if name == "eval" {
		fs.Var(&asOf, "as-of", "")
	}
	var rf rosterFlags
	rf.register(fs)
	pos, perr := parse(fs, args)
	if perr != nil {
		return perr
	}
	if rf.m.format = *format; *format != "json" && *format != "edfi" {
		return usagef("--format %q: want json or edfi", *format)
	}
	if rf.given() {
		if len(pos) > 0 {
			return usagef("give a history file or a roster (--calendar, --events, --edfi, --histories, ...), not both")
		}
		if err := rf.check(); err != nil {
			return err
		}
	} else if len(pos) != 1 {
		if len(pos) == 0 {
			return usagef("no history: give HISTORY.json, or - for standard input")
		}
		return usagef("one history at a time (got %d arguments); use --histories FILE.jsonl for many", len(pos))
	}
	eng, err := openEngine(*pol)
	if err != nil {
		return err
	}
	if rf.given() {
		return historyRoster(e, name, eng, &rf, asOf)
	}

	h, file, err := readHistory(e, pos[0], asOf.d)
	if err != nil {
		return errors.New(oneLine(err, "problems"))
	}
	// With bad events the engine still returns the evaluation, the rejected events
	// marked: it is printed, then one line per problem, and the status is 1.
	var out any
	if name == "eval" {
		ev, evErr := eng.Evaluate(h, asOf.d)
		if ev != nil {
			out = ev
		}
		err = evErr
	} else {
		cls, clsErr := eng.Classify(h, asOf.d)
		if cls != nil {
			out = cls
		}
		err = clsErr
	}
	if *format == "edfi" {
		return writeEdFiHistory(e, eng, h, file, out, err)
	}
	if out != nil {
		if werr := writeJSON(e.stdout, out); werr != nil {
			return werr
		}
	}
	if err != nil {
		entry := roster.Entry{History: h, Source: roster.Source{File: file}}
		return reportProblems(e, entry.RowErrors(err))
	}
	return nil
}

// historyRoster evaluates or classifies every student of a roster, printing one JSON
// document a line, sorted by student id.
func historyRoster(e *env, name string, eng *rollcall.Engine, rf *rosterFlags, asOf dateFlag) error {
	ro, err := rf.load(e, eng)
	if err != nil {
		return err
	}
	entries := ro.Entries()
	if name == "eval" && asOf.d.IsZero() {
		asOf.d = latestEvent(eng, entries)
	}
	results := evaluateAll(e, name, eng, entries, asOf, name == "classify")
	problems := ro.Problems
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	for _, r := range results {
		problems = append(problems, r.problems...)
		if rf.m.format == "edfi" {
			if err := edfiResult(enc, eng, r, &problems); err != nil {
				return err
			}
			continue
		}
		var err error
		if r.cls != nil {
			err = enc.Encode(r.cls)
		} else if r.ev != nil {
			err = enc.Encode(r.ev)
		}
		if err != nil {
			return err
		}
	}
	return reportProblems(e, problems)
}

// writeJSON writes v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
