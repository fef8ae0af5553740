package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/letters"
	"github.com/rollcall-go/rollcall/roster"
)

// HTML for people to look at: report --format html (the district's summary, with
// --out DIR a page per school and per student) and eval --format html (one student's
// year as a calendar). report.go and eval.go call these hooks first; every other
// format takes their own path.

// wantsHTML reports whether args ask for --format html (before any "--").
func wantsHTML(args []string) bool {
	for i, a := range args {
		switch {
		case a == "--":
			return false
		case a == "--format" || a == "-format":
			if i+1 < len(args) && args[i+1] == "html" {
				return true
			}
		case a == "--format=html" || a == "-format=html":
			return true
		}
	}
	return false
}

// reportHTMLHook runs report --format html; handled is false for any other format.
func reportHTMLHook(e *env, args []string) (handled bool, err error) {
	if !wantsHTML(args) {
		return false, nil
	}
	defer recoverAs(&err, "report")
	return true, reportHTML(e, args)
}

// evalHTMLHook runs eval --format html; handled is false for any other format and
// for classify.
func evalHTMLHook(e *env, name string, args []string) (handled bool, err error) {
	if name != "eval" || !wantsHTML(args) {
		return false, nil
	}
	defer recoverAs(&err, name)
	return true, evalHTML(e, args)
}

// reportHTML writes the district's report as one self-contained HTML page on standard
// output, or with --out DIR, DIR/index.html, a page per school (DIR/SCHOOL/index.html)
// listing its students, and a page per student (DIR/SCHOOL/STUDENT.html), school by
// school.
func reportHTML(e *env, args []string) error {
	fs := flags("report")
	pol := fs.String("policy", "", "")
	fs.String("format", "html", "")
	out := fs.String("out", "", "")
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
	problems := ro.Problems
	rep := letters.NewReport(eng.Pack(), asOf.d)
	rep.KeepStudents = *out != ""
	pages := map[string]map[string]bool{} // per school, the student pages' names
	studentPage := make([]string, len(results))
	withDue := 0
	for i, r := range results {
		problems = append(problems, r.problems...)
		if r.ev == nil || r.entry.History == nil {
			continue
		}
		if len(r.ev.Due) > 0 {
			withDue++
		}
		if *out != "" {
			school := schoolOf(r.entry.History)
			if pages[school] == nil {
				pages[school] = map[string]bool{}
			}
			name := letters.Slug(r.entry.History.Student.ID)
			for k := 2; pages[school][name]; k++ {
				name = fmt.Sprintf("%s-%d", letters.Slug(r.entry.History.Student.ID), k)
			}
			pages[school][name] = true
			studentPage[i] = name + ".html"
		}
		rep.Add(r.entry.History, r.ev, studentPage[i])
	}
	rep.Problems = len(problems)

	var wrote []string
	if *out == "" {
		w := bufio.NewWriter(e.stdout)
		if err := rep.WriteHTML(w, false); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
	} else {
		if wrote, err = writeReportPages(eng, rep, results, studentPage, *out); err != nil {
			return err
		}
	}
	sortProblems(problems)
	for _, p := range problems {
		fmt.Fprintln(e.stderr, p.Error())
	}
	on := asOf.d.String()
	if on == "" {
		on = "(no date: no students)"
	}
	var due []string
	for _, s := range eng.Pack().At(asOf.d).Steps {
		if n := rep.District.Due[s.ID]; n > 0 {
			due = append(due, fmt.Sprintf("%s %d", s.ID, n))
		}
	}
	fmt.Fprintf(e.stderr, "report as of %s under pack %s\n", on, eng.Pack().Name)
	fmt.Fprintf(e.stderr, "  students       %d (%d with a step due)\n", len(entries), withDue)
	fmt.Fprintf(e.stderr, "  steps due      %s\n", orNone(strings.Join(due, ", ")))
	for _, w := range wrote {
		fmt.Fprintf(e.stderr, "  wrote          %s\n", w)
	}
	fmt.Fprintf(e.stderr, "  rejected rows  %d\n", len(problems))
	if len(problems) > 0 {
		return silentError{}
	}
	return nil
}

func schoolOf(h *rollcall.History) string {
	if s := strings.TrimSpace(h.Student.School); s != "" {
		return s
	}
	return letters.NoSchool
}

// writeReportPages writes the district's page, then each school's page and its
// students' pages, one school at a time.
func writeReportPages(eng *rollcall.Engine, rep *letters.Report, results []result, studentPage []string, dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("%s: cannot make the directory: %v", dir, pathErr(err))
	}
	index := filepath.Join(dir, "index.html")
	if err := writeFile(index, func(w io.Writer) error { return rep.WriteHTML(w, true) }); err != nil {
		return nil, err
	}
	bySchool := map[string][]int{}
	for i, r := range results {
		if r.ev != nil && r.entry.History != nil {
			bySchool[schoolOf(r.entry.History)] = append(bySchool[schoolOf(r.entry.History)], i)
		}
	}
	students := 0
	for _, school := range rep.SchoolNames() {
		sdir := filepath.Join(dir, letters.Slug(school))
		if err := os.MkdirAll(sdir, 0o755); err != nil {
			return nil, fmt.Errorf("%s: cannot make the directory: %v", sdir, pathErr(err))
		}
		if err := writeFile(filepath.Join(sdir, "index.html"), func(w io.Writer) error { return rep.WriteSchoolHTML(w, school, "../index.html") }); err != nil {
			return nil, err
		}
		// the school's students' pages, by GOMAXPROCS workers
		jobs := make(chan int)
		errs := make(chan error, 1)
		var wg sync.WaitGroup
		for range min(runtime.GOMAXPROCS(0), max(len(bySchool[school]), 1)) {
			wg.Go(func() {
				for i := range jobs {
					r := results[i]
					page := letters.StudentPage{Engine: eng, History: r.entry.History, Eval: r.ev, Back: "index.html"}
					if err := writeFile(filepath.Join(sdir, studentPage[i]), func(w io.Writer) error { return letters.WriteStudentPage(w, page) }); err != nil {
						select {
						case errs <- err:
						default:
						}
					}
				}
			})
		}
		for _, i := range bySchool[school] {
			jobs <- i
		}
		close(jobs)
		wg.Wait()
		select {
		case err := <-errs:
			return nil, err
		default:
		}
		students += len(bySchool[school])
	}
	return []string{index, fmt.Sprintf("%d school pages and %d student pages under %s", len(rep.Schools), students, dir)}, nil
}

// writeFile writes a file through a buffer.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("%s: cannot write: %v", path, pathErr(err))
	}
	w := bufio.NewWriter(f)
	if err := write(w); err != nil {
		f.Close()
		return fmt.Errorf("%s: %v", path, err)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("%s: cannot write: %v", path, err)
	}
	return f.Close()
}

// evalHTML writes one history's school year as an HTML page on standard output.
func evalHTML(e *env, args []string) error {
	fs := flags("eval")
	pol := fs.String("policy", "", "")
	fs.String("format", "html", "")
	var asOf dateFlag
	fs.Var(&asOf, "as-of", "")
	pos, perr := parse(fs, args)
	if perr != nil {
		return perr
	}
	if len(pos) != 1 {
		if len(pos) == 0 {
			return usagef("no history: give HISTORY.json, or - for standard input (--format html draws one student's year)")
		}
		return usagef("one history at a time (got %d arguments): --format html draws one student's year", len(pos))
	}
	eng, err := openEngine(*pol)
	if err != nil {
		return err
	}
	data, file, err := readInput(e, pos[0])
	if err != nil {
		return err
	}
	h, err := rollcall.DecodeHistory(data, file)
	if err != nil {
		return errors.New(oneLine(err, "problems"))
	}
	if err := checkAsOf(file, asOf.d, h.Calendar); err != nil {
		return err
	}
	ev, evErr := eng.Evaluate(h, asOf.d)
	if ev != nil {
		w := bufio.NewWriter(e.stdout)
		if err := letters.WriteStudentPage(w, letters.StudentPage{Engine: eng, History: h, Eval: ev}); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	if evErr != nil {
		entry := roster.Entry{History: h, Source: roster.Source{File: file}}
		return reportProblems(e, entry.RowErrors(evErr))
	}
	return nil
}
