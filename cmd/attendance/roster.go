package main

import (
	"cmp"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/classify"
	"github.com/rollcall-go/rollcall/roster"
)

// rosterFlags are the flags that name a roster's files.
type rosterFlags struct {
	calendar, events, edfi, students, interventions, histories string
	m                                                          mappingFlags // --mapping, --codes: mapping.go
}

func (r *rosterFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&r.calendar, "calendar", "", "")
	fs.StringVar(&r.events, "events", "", "")
	fs.StringVar(&r.edfi, "edfi", "", "")
	fs.StringVar(&r.students, "students", "", "")
	fs.StringVar(&r.interventions, "interventions", "", "")
	fs.StringVar(&r.histories, "histories", "", "")
	r.m.register(fs)
}

func (r *rosterFlags) given() bool {
	return r.calendar != "" || r.events != "" || r.edfi != "" || r.students != "" || r.interventions != "" || r.histories != ""
}

// check reports a roster given by an impossible combination of flags.
func (r *rosterFlags) check() error {
	if done, err := r.checkMapped(); done {
		return err
	}
	if r.histories != "" {
		if r.calendar != "" || r.events != "" || r.edfi != "" || r.students != "" || r.interventions != "" {
			return usagef("--histories holds whole histories: give it alone, without --calendar, --events, --edfi, --students or --interventions")
		}
		return nil
	}
	switch {
	case r.events != "" && r.edfi != "":
		return usagef("give --events or --edfi, not both")
	case r.events == "" && r.edfi == "":
		return usagef("no events: give --events EVENTS.csv or --edfi EVENTS.json (or --histories FILE.jsonl)")
	case r.calendar == "":
		return usagef("no calendar: give --calendar CAL.json")
	}
	return nil
}

// load reads the roster's files: the calendar, then the students, the events and the
// interventions, so that every event can be checked against the students.
func (r *rosterFlags) load(e *env, eng *rollcall.Engine) (*roster.Roster, error) {
	if r.m.given() {
		return r.loadMapped(e, eng)
	}
	if r.histories != "" {
		ro := roster.New(eng, nil)
		return ro, readFile(r.histories, ro.ReadHistories)
	}
	data, name, err := readInput(e, r.calendar)
	if err != nil {
		return nil, err
	}
	cal, err := roster.ReadCalendar(data, name)
	if err != nil {
		return nil, err
	}
	ro := roster.New(eng, cal)
	if err := r.readInto(ro); err != nil {
		return nil, err
	}
	return ro, nil
}

// readFile opens a file and hands it to read.
func readFile(name string, read func(io.Reader, string) error) error {
	f, err := os.Open(name)
	if err != nil {
		if pe, ok := err.(*os.PathError); ok {
			err = pe.Err
		}
		return fmt.Errorf("%s: cannot read: %v", name, err)
	}
	defer f.Close()
	return read(f, name)
}

// latestEvent returns the as-of date of a roster run without --as-of: the date of the
// latest event the engine accepts in any history (a school day inside the calendar and
// the enrolment, with a known code: what the engine itself takes as a history's as-of
// date), so that a bad row dated in June does not move every student's evaluation to
// June. Events of unknown students and rows that could not be read are not in entries.
// When no event is accepted, it is the first day of the calendar (the engine's own
// default), the latest such day when the histories have different calendars; the
// zero date when there are no histories.
func latestEvent(eng *rollcall.Engine, entries []roster.Entry) calendar.Date {
	var d, first calendar.Date
	for _, en := range entries {
		if en.History == nil || en.History.Calendar == nil {
			continue
		}
		if last := classify.LastDate(eng.Pack(), en.History); last.After(d) {
			d = last
		}
		if f := en.History.Calendar.First(); f.After(first) {
			first = f
		}
	}
	if d.IsZero() {
		return first
	}
	return d
}

// result is one student's evaluation or classification, with the rows it rejected.
type result struct {
	entry    roster.Entry
	ev       *rollcall.Evaluation
	cls      *rollcall.Classification
	problems []roster.RowError
}

// evaluateAll evaluates (or classifies) every entry with a pool of GOMAXPROCS workers
// (the Engine is safe for concurrent use). Results keep the entries' order. When
// stderr is a terminal and the run takes more than a second, a progress line shows.
// A student whose evaluation panics (a bug) is reported as a problem at its row, and
// the others are still evaluated.
func evaluateAll(e *env, cmd string, eng *rollcall.Engine, entries []roster.Entry, asOf dateFlag, classifyOnly bool) []result {
	results := make([]result, len(entries))
	var done atomic.Int64
	stopProgress := progress(e, cmd, &done, len(entries))
	defer stopProgress()

	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(entries), 1)) {
		wg.Go(func() {
			for i := range jobs {
				results[i] = evaluateOne(eng, entries[i], asOf, classifyOnly)
				done.Add(1)
			}
		})
	}
	for i := range entries {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return results
}

// evaluateOne evaluates (or classifies) one entry; a panic is the entry's problem.
func evaluateOne(eng *rollcall.Engine, en roster.Entry, asOf dateFlag, classifyOnly bool) (r result) {
	defer recoverStudent(en, &r)
	r.entry = en
	var err error
	if classifyOnly {
		r.cls, err = eng.Classify(en.History, asOf.d)
	} else {
		r.ev, err = eng.Evaluate(en.History, asOf.d)
	}
	r.problems = en.RowErrors(err)
	return r
}

// recoverStudent turns a panic while evaluating en (a bug) into the entry's one
// problem, at the student's row. Use it deferred.
func recoverStudent(en roster.Entry, r *result) {
	v := recover()
	if v == nil {
		return
	}
	id := ""
	if en.History != nil {
		id = en.History.Student.ID
	}
	*r = result{entry: en, problems: []roster.RowError{{Source: en.Source, Student: id,
		Msg: fmt.Sprintf("internal error, the student is not evaluated: %s (a bug in rollcall: please report it)", panicText(v))}}}
}

// progress shows "attendance report: N/M students" on a terminal once a run has taken
// more than a second; the function it returns stops it and clears the line.
func progress(e *env, cmd string, done *atomic.Int64, total int) func() {
	if !e.progress {
		return func() {}
	}
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		start := time.Now()
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		shown := false
		for {
			select {
			case <-stop:
				if shown {
					fmt.Fprint(e.stderr, "\r\033[K")
				}
				return
			case <-t.C:
				if time.Since(start) > time.Second {
					fmt.Fprintf(e.stderr, "\rattendance %s: %d/%d students", cmd, done.Load(), total)
					shown = true
				}
			}
		}
	}()
	return func() { close(stop); <-stopped }
}

// reportProblems prints the rows not used, one a line sorted by file and line, and
// returns a silent bad-input error when there are any.
func reportProblems(e *env, problems []roster.RowError) error {
	if len(problems) == 0 {
		return nil
	}
	sortProblems(problems)
	for _, p := range problems {
		fmt.Fprintln(e.stderr, p.Error())
	}
	return silentError{}
}

func sortProblems(ps []roster.RowError) {
	slices.SortStableFunc(ps, func(a, b roster.RowError) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
}

// readInto reads the roster's files given (students, events, Ed-Fi events,
// interventions), in that order, into ro.
func (r *rosterFlags) readInto(ro *roster.Roster) error {
	steps := []struct {
		file string
		read func(io.Reader, string) error
	}{
		{r.students, ro.ReadStudents},
		{r.events, ro.ReadEvents},
		{r.edfi, ro.ReadEdFi},
		{r.interventions, ro.ReadInterventions},
	}
	for _, s := range steps {
		if s.file == "" {
			continue
		}
		if err := readFile(s.file, s.read); err != nil {
			return err
		}
	}
	return nil
}
