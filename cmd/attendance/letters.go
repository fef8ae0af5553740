package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/letters"
	"github.com/rollcall-go/rollcall/roster"
)

func init() { commands["letters"] = cmdLetters }

// cmdLetters writes the letters of the ladder steps due and not done, for every
// student of a roster:
//
//	attendance letters --policy P ROSTER [--as-of YYYY-MM-DD] --out DIR [--record INTERVENTIONS.csv]
//
// One printable HTML file per school in DIR (letters-SCHOOL.html, one letter a page
// under the pack's letterhead) and merge.csv (the merge fields, a row a letter, for a
// word processor's mail merge). One letter per guardian address, in that guardian's
// language (English, with a note in the summary, when the step's letter is not written
// in it). A student whose record lacks what a letter prints (a guardian, an address)
// gets no letter: a line on standard error names the student, the step and the fields,
// never their values. --record appends a row per step a letter was written for to an
// interventions CSV (student_id,step,date,actor,note; created with that header when
// missing), so that the next run does not write them again.
func cmdLetters(e *env, args []string) (err error) {
	defer recoverAs(&err, "letters")
	fs := flags("letters")
	pol := fs.String("policy", "", "")
	out := fs.String("out", "", "")
	record := fs.String("record", "", "")
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
	if *out == "" {
		return usagef("--out DIR is required (the directory to write the letters to)")
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
	var rec *recorder
	if *record != "" {
		if rec, err = openRecorder(*record); err != nil {
			return err
		}
	}
	run := &reportRun{e: e, eng: eng, cmd: "letters", format: "letters", asOf: asOf.d, shard: shardSet{0, 1}}
	run.letters = newLettersRun(eng, *out, rec)
	defer run.letters.close()
	return run.run(&rf)
}

// lettersDone prints what a letters run did, once its files are written: the rows it
// could not use, the letters it could not write, and its summary.
func lettersDone(e *env, lr *lettersRun, students int, problems []roster.RowError) error {
	sum, recorded, err := lr.finish()
	if err != nil {
		return err
	}
	v, rec, asOf := lr.v, lr.rec, lr.asOf
	sortProblems(problems)
	for _, p := range problems {
		fmt.Fprintln(e.stderr, p.Error())
	}
	for _, p := range sum.problems {
		fmt.Fprintln(e.stderr, p.Error())
	}
	on := asOf.String()
	if on == "" {
		on = "(no date: no students)"
	}
	fmt.Fprintf(e.stderr, "letters as of %s under pack %s\n", on, lr.eng.Pack().Name)
	fmt.Fprintf(e.stderr, "  students       %d (%d with a letter)\n", students, sum.students)
	var langs []string
	for _, l := range slices.Sorted(mapKeys(sum.byLang)) {
		langs = append(langs, fmt.Sprintf("%s %d", l, sum.byLang[l]))
	}
	fmt.Fprintf(e.stderr, "  letters        %d (%s)\n", sum.letters, orNone(strings.Join(langs, ", ")))
	var steps []string
	for _, s := range v.Steps {
		if n := sum.bySteps[s.ID]; n > 0 {
			steps = append(steps, fmt.Sprintf("%s %d", s.ID, n))
		}
	}
	fmt.Fprintf(e.stderr, "  steps          %s\n", orNone(strings.Join(steps, ", ")))
	for _, f := range sum.files {
		fmt.Fprintf(e.stderr, "  wrote          %s\n", f)
	}
	if len(sum.fallbacks) > 0 {
		var wanted []string
		for _, l := range slices.Sorted(mapKeys(sum.fallbacks)) {
			wanted = append(wanted, fmt.Sprintf("%s %d", l, sum.fallbacks[l]))
		}
		fmt.Fprintf(e.stderr, "  in English     %s for families whose language the letter is not written in (%s)\n", plural(sum.fellBack, "letter"), strings.Join(wanted, ", "))
	}
	fmt.Fprintf(e.stderr, "  not written    %d\n", len(sum.problems))
	if rec != nil {
		fmt.Fprintf(e.stderr, "  recorded       %d steps in %s\n", recorded, rec.name)
	}
	fmt.Fprintf(e.stderr, "  rejected rows  %d\n", len(problems))
	if len(problems) > 0 || len(sum.problems) > 0 {
		return silentError{}
	}
	return nil
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func pathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// lettersSummary is what a letters run wrote.
type lettersSummary struct {
	students  int
	letters   int
	byLang    map[string]int
	bySteps   map[string]int // students with a letter for the step
	fallbacks map[string]int // by the language wanted
	fellBack  int
	problems  []letters.Problem
	files     []string
}

// schoolFile returns the letters file of a school: letters-SLUG.html, unique in the run.
func schoolFile(school string, used map[string]bool) string {
	slug := letters.Slug(school)
	if school == "" {
		slug = "no-school"
	}
	name := "letters-" + slug + ".html"
	for k := 2; used[name]; k++ {
		name = fmt.Sprintf("letters-%s-%d.html", slug, k)
	}
	used[name] = true
	return name
}

// recorder appends interventions to an interventions CSV, in the columns of its
// header.
type recorder struct {
	name    string
	cols    []string // the file's header
	exists  bool
	needsNL bool // the file does not end with a newline
}

// openRecorder reads the header of an interventions file (or plans a new one), before
// anything is written, so that a file that cannot take the rows is reported first.
func openRecorder(name string) (*recorder, error) {
	rec := &recorder{name: name, cols: []string{"student_id", "step", "date", "actor", "note"}}
	data, err := os.ReadFile(name)
	if errors.Is(err, os.ErrNotExist) {
		return rec, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read: %v", name, pathErr(err))
	}
	rec.exists = len(bytes.TrimSpace(data)) > 0
	if !rec.exists {
		return rec, nil
	}
	line, _, _ := bytes.Cut(data, []byte("\n"))
	hdr, err := csv.NewReader(bytes.NewReader(line)).Read()
	if err != nil {
		return nil, fmt.Errorf("%s:1: the header row cannot be read", name)
	}
	rec.cols = nil
	for _, h := range hdr {
		rec.cols = append(rec.cols, strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))))
	}
	for _, c := range []string{"student_id", "step", "date"} {
		if !slices.Contains(rec.cols, c) {
			return nil, fmt.Errorf("%s:1: no column %q: --record needs an interventions file (student_id,step,date,actor,note)", name, c)
		}
	}
	rec.needsNL = data[len(data)-1] != '\n'
	return rec, nil
}

// row returns an intervention as a row of the file, in its columns.
func (r *recorder) row(student, step string, d calendar.Date, actor, note string) []string {
	vals := map[string]string{"student_id": student, "step": step, "date": d.String(), "actor": actor, "note": note}
	row := make([]string, len(r.cols))
	for i, c := range r.cols {
		row[i] = textCell(vals[c])
	}
	return row
}

// write appends n rows, read as CSV from rows (row's), to the file.
func (r *recorder) write(rows io.Reader, n int) error {
	if n == 0 && r.exists {
		return nil
	}
	f, err := os.OpenFile(r.name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("%s: cannot write: %v", r.name, pathErr(err))
	}
	w := bufio.NewWriter(f)
	if r.needsNL {
		w.WriteString("\n")
	}
	if !r.exists {
		cw := csv.NewWriter(w)
		cw.Write(r.cols)
		cw.Flush()
	}
	_, err = io.Copy(w, rows)
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		f.Close()
		return fmt.Errorf("%s: cannot write: %v", r.name, err)
	}
	return f.Close()
}
