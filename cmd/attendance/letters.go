package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/letters"
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
	ro, err := rf.load(e, eng)
	if err != nil {
		return err
	}
	entries := ro.Entries()
	if asOf.d.IsZero() {
		asOf.d = latestEvent(eng, entries)
	}
	results := evaluateAll(e, "letters", eng, entries, asOf, false)
	problems := ro.Problems
	for _, r := range results {
		problems = append(problems, r.problems...)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("%s: cannot make the directory: %v", *out, pathErr(err))
	}
	v := eng.Pack().At(asOf.d)
	sum, err := writeLetters(eng, results, asOf.d, *out, rec)
	if err != nil {
		return err
	}
	var recorded int
	if rec != nil {
		if recorded, err = rec.write(); err != nil {
			return err
		}
	}

	sortProblems(problems)
	for _, p := range problems {
		fmt.Fprintln(e.stderr, p.Error())
	}
	for _, p := range sum.problems {
		fmt.Fprintln(e.stderr, p.Error())
	}
	on := asOf.d.String()
	if on == "" {
		on = "(no date: no students)"
	}
	fmt.Fprintf(e.stderr, "letters as of %s under pack %s\n", on, eng.Pack().Name)
	fmt.Fprintf(e.stderr, "  students       %d (%d with a letter)\n", len(entries), sum.students)
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
		fmt.Fprintf(e.stderr, "  recorded       %d steps in %s\n", recorded, *record)
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

// writeLetters writes one HTML file per school and the merge CSV, school by school: the
// letters of one school are made, written and let go before the next school's.
func writeLetters(eng *rollcall.Engine, results []result, asOf calendar.Date, dir string, rec *recorder) (lettersSummary, error) {
	sum := lettersSummary{byLang: map[string]int{}, bySteps: map[string]int{}, fallbacks: map[string]int{}}
	v := eng.Pack().At(asOf)
	bySchool := map[string][]int{}
	for i, r := range results {
		if r.ev == nil || r.entry.History == nil || len(r.ev.Due) == 0 {
			continue
		}
		school := strings.TrimSpace(r.entry.History.Student.School)
		bySchool[school] = append(bySchool[school], i)
	}
	schools := slices.Sorted(mapKeys(bySchool))
	mergeName := filepath.Join(dir, "merge.csv")
	mf, err := os.Create(mergeName)
	if err != nil {
		return sum, fmt.Errorf("%s: cannot write: %v", mergeName, pathErr(err))
	}
	defer mf.Close()
	mbuf := bufio.NewWriter(mf)
	merge := letters.NewMergeWriter(mbuf, letters.CountNames(v))
	used := map[string]bool{}
	for _, school := range schools {
		var ls []letters.Letter
		for _, i := range bySchool[school] {
			r := results[i]
			made := letters.Make(letters.Input{Engine: eng, History: r.entry.History, Eval: r.ev})
			ls = append(ls, made.Letters...)
			sum.problems = append(sum.problems, made.Problems...)
			for _, f := range made.Fallbacks {
				sum.fallbacks[f.Wanted]++
				sum.fellBack++
			}
			if len(made.Letters) > 0 {
				sum.students++
			}
			var steps []string
			for _, l := range made.Letters {
				if !slices.Contains(steps, l.Step) {
					steps = append(steps, l.Step)
				}
			}
			for _, s := range steps {
				sum.bySteps[s]++
				if rec != nil {
					var langs []string
					actor := ""
					for _, l := range made.Letters {
						if l.Step == s {
							actor = l.Actor
							if !slices.Contains(langs, l.Lang) {
								langs = append(langs, l.Lang)
							}
						}
					}
					rec.add(r.entry.History.Student.ID, s, asOf, actor, "letter ("+strings.Join(langs, ", ")+") by attendance letters")
				}
			}
		}
		if len(ls) == 0 {
			continue
		}
		letters.SortLetters(ls, v)
		name := schoolFile(school, used)
		path := filepath.Join(dir, name)
		if err := writeSchoolLetters(path, school, asOf, ls); err != nil {
			return sum, err
		}
		for i := range ls {
			if err := merge.Write(&ls[i]); err != nil {
				return sum, err
			}
			sum.letters++
			sum.byLang[ls[i].Lang]++
		}
		sum.files = append(sum.files, fmt.Sprintf("%s (%d letters)", path, len(ls)))
	}
	if sum.letters == 0 {
		// an empty merge file still has its header, so that a mail merge finds its fields
		mbuf.WriteString(strings.Join(append(slices.Clone(letters.MergeColumns), letters.CountNames(v)...), ",") + "\n")
	}
	if err := merge.Flush(); err != nil {
		return sum, err
	}
	if err := mbuf.Flush(); err != nil {
		return sum, fmt.Errorf("%s: cannot write: %v", mergeName, err)
	}
	sum.files = append(sum.files, mergeName)
	return sum, nil
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

func writeSchoolLetters(path, school string, asOf calendar.Date, ls []letters.Letter) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("%s: cannot write: %v", path, pathErr(err))
	}
	w := bufio.NewWriter(f)
	title := "Letters"
	if school != "" {
		title += ", " + school
	}
	page := letters.NewPage(w, title+", "+asOf.String())
	for i := range ls {
		if err := page.Add(&ls[i]); err != nil {
			f.Close()
			return fmt.Errorf("%s: %v", path, err)
		}
	}
	if err := page.Close(); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("%s: cannot write: %v", path, err)
	}
	return f.Close()
}

// recorder appends interventions to an interventions CSV, in the columns of its
// header.
type recorder struct {
	name    string
	cols    []string // the file's header
	exists  bool
	needsNL bool // the file does not end with a newline
	rows    [][]string
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

func (r *recorder) add(student, step string, d calendar.Date, actor, note string) {
	vals := map[string]string{"student_id": student, "step": step, "date": d.String(), "actor": actor, "note": note}
	row := make([]string, len(r.cols))
	for i, c := range r.cols {
		row[i] = textCell(vals[c])
	}
	r.rows = append(r.rows, row)
}

// write appends the rows and returns how many it wrote.
func (r *recorder) write() (int, error) {
	if len(r.rows) == 0 && r.exists {
		return 0, nil
	}
	f, err := os.OpenFile(r.name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return 0, fmt.Errorf("%s: cannot write: %v", r.name, pathErr(err))
	}
	var w io.Writer = f
	if r.needsNL {
		io.WriteString(w, "\n")
	}
	cw := csv.NewWriter(w)
	if !r.exists {
		cw.Write(r.cols)
	}
	cw.WriteAll(r.rows)
	if err := cw.Error(); err != nil {
		f.Close()
		return 0, fmt.Errorf("%s: cannot write: %v", r.name, err)
	}
	return len(r.rows), f.Close()
}
