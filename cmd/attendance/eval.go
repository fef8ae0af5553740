package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/rollcall-go/rollcall"
)

// cmdHistory runs eval and classify: on one history (HISTORY.json or - for standard
// input), printing one JSON document; or on a roster, printing JSON Lines.
func cmdHistory(e *env, name string, args []string) error {
	fs := flags(name)
	pol := fs.String("policy", "", "")
	var asOf dateFlag
	if name == "eval" {
		fs.Var(&asOf, "as-of", "")
	}
	var rf rosterFlags
	rf.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
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

	data, file, err := readInput(e, pos[0])
	if err != nil {
		return err
	}
	h, err := rollcall.DecodeHistory(data, file)
	if err != nil {
		return errors.New(oneLine(err, "problems"))
	}
	var out any
	if name == "eval" {
		out, err = eng.Evaluate(h, asOf.d)
	} else {
		out, err = eng.Classify(h, asOf.d)
	}
	if err != nil {
		return fmt.Errorf("%s: %s", file, oneLine(err, ""))
	}
	return writeJSON(e.stdout, out)
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
		asOf.d = latestEvent(entries)
	}
	results := evaluateAll(e, name, eng, entries, asOf, name == "classify")
	problems := ro.Problems
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	for _, r := range results {
		problems = append(problems, r.problems...)
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
