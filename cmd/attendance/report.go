package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/escalation"
)

// reportRow is one student with a step due, as a JSON Lines record.
type reportRow struct {
	Student string           `json:"student"`
	School  string           `json:"school,omitempty"`
	AsOf    calendar.Date    `json:"as_of"`
	Next    *escalation.Due  `json:"next"`
	Due     []escalation.Due `json:"due"`
}

var reportColumns = []string{"student", "school", "next", "actor", "due_by", "due", "because"}

// textCell neutralises a text cell of the CSV report that a spreadsheet would run as a
// formula (one starting with =, +, -, @, a tab or a carriage return) by prefixing a
// single quote, as OWASP advises. Only text columns go through it: due_by is a date
// (or empty), and a numeric column would keep its minus sign.
func textCell(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// cmdReport prints the students of a roster with a ladder step due.
func cmdReport(e *env, args []string) (err error) {
	if handled, err := reportHTMLHook(e, args); handled { // --format html: html.go
		return err
	}
	defer recoverAs(&err, "report")
	fs := flags("report")
	pol := fs.String("policy", "", "")
	format := fs.String("format", "csv", "")
	var asOf dateFlag
	fs.Var(&asOf, "as-of", "")
	var rf rosterFlags
	rf.register(fs)
	pos, perr := parse(fs, args)
	if perr != nil {
		return perr
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q: name the roster's files with --calendar, --events, --edfi, --students, --interventions or --histories", pos[0])
	}
	if *format != "csv" && *format != "jsonl" {
		return usagef("--format %q: want csv or jsonl", *format)
	}
	if !rf.given() {
		return usagef("no roster: give --calendar CAL.json with --events EVENTS.csv or --edfi EVENTS.json, or --histories FILE.jsonl")
	}
	if err := rf.check(); err != nil {
		return err
	}
	eng, err := openEngine(*pol)
	if err != nil {
		return err
	}
	ro, err := rf.load(e, eng)
	if err != nil {
		return err
	}
	entries := ro.Entries()
	if asOf.d.IsZero() {
		asOf.d = latestEvent(eng, entries)
	}
	results := evaluateAll(e, "report", eng, entries, asOf, false)

	var problems = ro.Problems
	dueCount := map[string]int{}
	withDue, rejectedEvents := 0, 0
	cw := csv.NewWriter(e.stdout)
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	if *format == "csv" {
		cw.Write(reportColumns)
	}
	for _, r := range results {
		problems = append(problems, r.problems...)
		ev := r.ev
		if ev == nil {
			continue
		}
		for _, c := range ev.Events {
			if c.Rejected != "" {
				rejectedEvents++
			}
		}
		if ev.Next == nil {
			continue
		}
		withDue++
		steps := make([]string, len(ev.Due))
		for i, d := range ev.Due {
			steps[i] = d.Step
			dueCount[d.Step]++
		}
		school := r.entry.History.Student.School
		if *format == "jsonl" {
			if err := enc.Encode(reportRow{Student: ev.Student, School: school, AsOf: ev.AsOf, Next: ev.Next, Due: ev.Due}); err != nil {
				return err
			}
			continue
		}
		cw.Write([]string{textCell(ev.Student), textCell(school), textCell(ev.Next.Step), textCell(ev.Next.Actor),
			ev.Next.DueBy.String(), textCell(strings.Join(steps, ";")), textCell(ev.Next.Because)})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}

	sortProblems(problems)
	for _, p := range problems {
		fmt.Fprintln(e.stderr, p.Error())
	}
	// The summary: steps in ladder order, then any others by name.
	var order []string
	if v := eng.Pack().At(asOf.d); v.Steps != nil {
		for _, s := range v.Steps {
			order = append(order, s.ID)
		}
	}
	var kinds []string
	for step := range dueCount {
		kinds = append(kinds, step)
	}
	slices.SortFunc(kinds, func(a, b string) int {
		ia, ib := slices.Index(order, a), slices.Index(order, b)
		if ia < 0 {
			ia = len(order)
		}
		if ib < 0 {
			ib = len(order)
		}
		if ia != ib {
			return ia - ib
		}
		return strings.Compare(a, b)
	})
	due := "none"
	if len(kinds) > 0 {
		parts := make([]string, len(kinds))
		for i, k := range kinds {
			parts[i] = fmt.Sprintf("%s %d", k, dueCount[k])
		}
		due = strings.Join(parts, ", ")
	}
	on := asOf.d.String()
	if on == "" {
		on = "(no date: no students)"
	}
	fmt.Fprintf(e.stderr, "report as of %s under pack %s\n", on, eng.Pack().Name)
	fmt.Fprintf(e.stderr, "  students       %d (%d with a step due)\n", len(entries), withDue)
	fmt.Fprintf(e.stderr, "  events         %d (%d rejected)\n", ro.Events, rejectedEvents)
	fmt.Fprintf(e.stderr, "  steps due      %s\n", due)
	fmt.Fprintf(e.stderr, "  rejected rows  %d\n", len(problems))
	if len(problems) > 0 {
		return silentError{}
	}
	return nil
}
