package escalation

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/classify"
	"github.com/rollcall-go/rollcall/history"
	"github.com/rollcall-go/rollcall/policy"
)

// Input is what a ladder is evaluated on: a history, its classification (one result
// per event, from package classify) and the date.
type Input struct {
	Version *policy.Version // the pack's version in force on AsOf
	History *history.History
	Results []classify.Result
	AsOf    calendar.Date
	// CaseClosed is when a case was closed (classify.CaseClosed), or zero.
	CaseClosed calendar.Date
}

// missingFor names the student data a condition reads that the history lacks (the
// birth date for age, the grade), or "".
func missingFor(c *policy.Condition, h *history.History) string {
	var out []string
	for _, r := range c.Reads() {
		if r.Func == "age_on" && h.Student.BirthDate.IsZero() && !slices.Contains(out, "birth date") {
			out = append(out, "birth date")
		}
	}
	for _, name := range c.Plain() {
		switch {
		case name == "age" && h.Student.BirthDate.IsZero() && !slices.Contains(out, "birth date"):
			out = append(out, "birth date")
		case name == "grade" && h.Student.Grade == "":
			out = append(out, "grade")
		}
	}
	return strings.Join(out, " and ")
}

// Facts are a student's facts as of a date, for people: the calendar's measures and
// every declared count over the school year to date, in declaration order, and the
// facts the version's expressions read.
type Facts struct {
	AsOf      calendar.Date
	SchoolDay int
	Names     []string  // the measures and counts, in order
	Values    []float64 // their values, school year to date
	env       policy.Facts
	reads     []policy.Read
}

// Get returns the value of a measure or count by name (school year to date), or of a
// fact an expression read ("month.unexcused", "previous(180).unexcused").
func (f Facts) Get(name string) (float64, bool) {
	if i := slices.Index(f.Names, name); i >= 0 {
		return f.Values[i], true
	}
	for _, r := range f.reads {
		if r.Name == name && r.Kind == policy.ReadNumber {
			return f.env.Values[r.Slot], true
		}
	}
	return 0, false
}

// Env returns the facts as the pack's expressions see them.
func (f Facts) Env() policy.Facts { return f.env }

// MarshalJSON writes the facts as one object: school_day, the measures and the counts,
// in order.
func (f Facts) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"school_day":%d`, f.SchoolDay)
	for i, n := range f.Names {
		v, _ := json.Marshal(f.Values[i])
		fmt.Fprintf(&b, `,%q:%s`, n, v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Due is a step whose conditions hold (or held, for a latched step) and that has not
// been done.
type Due struct {
	Step    string           `json:"step"`
	Title   string           `json:"title,omitempty"`
	Actor   string           `json:"actor"`
	Action  string           `json:"action,omitempty"`
	Cadence string           `json:"cadence,omitempty"`
	Because string           `json:"because"`
	Trigger string           `json:"trigger"`
	Facts   []policy.Reading `json:"facts_read"`
	// Clauses are the parts of the trigger joined by its top-level or/and, each with
	// whether it held and the facts it read.
	Clauses  []ClauseResult `json:"clauses,omitempty"`
	After    []string       `json:"after,omitempty"` // prerequisites, all done
	Since    calendar.Date  `json:"since,omitzero"`  // the first date the trigger held (judged at absence and intervention dates, and every day for triggers that change with time)
	Latched  bool           `json:"latched,omitempty"`
	DueBy    calendar.Date  `json:"due_by,omitzero"`
	Overdue  bool           `json:"overdue,omitempty"`
	Involve  []Involved     `json:"involve,omitempty"`
	Citation string         `json:"citation,omitempty"`
}

// RunError is an expression of the pack that failed to run for a student (never
// expected: expressions are type-checked at load, and bounded; a memory budget spent is
// one way). Its message names what failed, never the values it read; Err keeps expr's
// error for a program that wants it.
type RunError struct {
	What string // "step warning-letter", "designation truant", "the compulsory rule"
	Err  error
}

// Error names what failed to run, without the values it read.
func (e *RunError) Error() string {
	return e.What + ": its condition failed to run (left out of the evaluation)"
}

// Unwrap returns expr's error.
func (e *RunError) Unwrap() error { return e.Err }

// Review is a step done that would not have been due on the classification as it is
// now, with the clauses that did not hold on the day it was done.
type Review struct {
	Step    string         `json:"step"`
	Date    calendar.Date  `json:"date"`
	Clauses []ClauseResult `json:"clauses"` // as of the day it was done
	Note    string         `json:"note"`
}

// Involved is a person or department to involve, and why.
type Involved struct {
	Reason string `json:"reason"`
	Who    string `json:"who"`
}

// Designated is a designation (truant, chronic absence, ...) that holds, and why.
type Designated struct {
	ID       string           `json:"id"`
	Title    string           `json:"title,omitempty"`
	Because  string           `json:"because"`
	Facts    []policy.Reading `json:"facts_read"`
	Clauses  []ClauseResult   `json:"clauses,omitempty"`
	Citation string           `json:"citation,omitempty"`
}

// ClauseResult is one clause of a trigger as evaluated: whether it held and the values
// it read.
type ClauseResult struct {
	Clause string           `json:"clause"`
	Held   bool             `json:"held"`
	Facts  []policy.Reading `json:"facts_read"`
}

// clauses evaluates each clause on f and composes a because from the clauses that held
// (their own texts when the pack gives them, else their sources); ok is false when the
// pack gives no clause texts (the step's own because then applies).
func clauses(r *policy.Runner, c *counter, cls []*policy.Clause, join string, f *policy.Facts) (out []ClauseResult, because string, ok bool) {
	if len(cls) < 2 {
		return nil, "", false
	}
	var held []string
	withTexts := false
	for _, cl := range cls {
		h, err := c.holds(r, cl.When, f)
		h = h && err == nil
		out = append(out, ClauseResult{Clause: cl.Source, Held: h, Facts: cl.When.Explain(f)})
		if cl.Because != nil {
			withTexts = true
		}
		if h || join == "and" {
			if cl.Because != nil {
				held = append(held, c.render(r, cl.Because, f))
			} else {
				held = append(held, cl.Source)
			}
		}
	}
	return out, strings.Join(held, "; "), withTexts
}

// clauseTexts reports whether the pack gives texts of its own to some of the clauses
// of a trigger, so that its because is composed from them (see clauses).
func clauseTexts(cls []*policy.Clause) bool {
	if len(cls) < 2 {
		return false
	}
	for _, c := range cls {
		if c.Because != nil {
			return true
		}
	}
	return false
}

// composed is the because clauses composes, without the clauses' results: the clauses
// are run only when they are joined by or (joined by and, every clause's text is part
// of it). The clauses must have texts (clauseTexts).
func composed(r *policy.Runner, c *counter, cls []*policy.Clause, join string, f *policy.Facts) string {
	var b strings.Builder
	n := 0
	for _, cl := range cls {
		if join != "and" {
			if h, err := c.holds(r, cl.When, f); !h || err != nil {
				continue
			}
		}
		if n > 0 {
			b.WriteString("; ")
		}
		n++
		if cl.Because != nil {
			b.WriteString(c.render(r, cl.Because, f))
		} else {
			b.WriteString(cl.Source)
		}
	}
	return b.String()
}

// Evaluation is a ladder evaluated as of a date.
type Evaluation struct {
	// Compulsory reports whether the student is bound to attend on the date, when the
	// pack has a compulsory rule (nil otherwise). Truancy designations and steps apply
	// only to students bound to attend.
	Compulsory *bool
	// CaseClosed is when a case was closed, as given.
	CaseClosed   calendar.Date
	Facts        Facts
	Designations []Designated
	Due          []Due // in ladder order
	Next         *Due  // the first due step, or nil
	// Review lists steps done whose trigger, judged on today's classification, never
	// held up to the day they were done (a letter sent on an absence since excused):
	// staff should look at them again.
	Review []Review
	// Errors are expressions that failed to run (never expected: they are
	// type-checked at load); the step or designation is left out.
	Errors []error
}

var runners = sync.Pool{New: func() any { return new(policy.Runner) }}

// Option changes what an evaluation includes.
type Option func(*options)

type options struct {
	brief bool
}

// Brief leaves the explanations out of an evaluation: the facts read and the clauses
// of every due step and designation (Due.Facts, Due.Clauses, Designated.Facts and
// Designated.Clauses are nil) and the clauses of every review (Review.Clauses is nil).
// Everything else is the same as without it, the reasons (because) included. It is for
// callers that keep the steps due and their reasons but not their workings, such as a
// report over a whole district.
func Brief() Option { return func(o *options) { o.brief = true } }

// Evaluate computes the facts of in and returns the designations that hold and every
// due step. A step is due when its prerequisites are done, its trigger holds (or, for
// a latched step, held on some day since the school year began or the step was last
// done), and it was not done already this school year (or it repeats, and its wait
// has passed).
func Evaluate(in Input, opts ...Option) Evaluation {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	r := runners.Get().(*policy.Runner)
	defer runners.Put(r)
	v := in.Version
	c := getCounter(v, in.History, in.Results, in.AsOf)
	defer putCounter(c)
	c.closed = in.CaseClosed
	env := c.facts(in.AsOf, v.Reads)
	ev := Evaluation{Facts: summary(c, env, in.AsOf), CaseClosed: in.CaseClosed}
	bound := true
	if cr := v.Compulsory; cr != nil {
		ok, err := c.holds(r, cr.When, &env)
		switch {
		case err != nil:
			ev.Errors = append(ev.Errors, &RunError{What: "the compulsory rule", Err: err})
		case !ok:
			if missing := missingFor(cr.When, in.History); missing != "" {
				ev.Errors = append(ev.Errors, fmt.Errorf("the %s is needed to tell whether the student is bound to attend (%s)", missing, cr.Citation))
			}
		}
		bound = ok && err == nil
		ev.Compulsory = &bound
	}
	for _, ds := range v.Designations {
		if ds.Compulsory && !bound {
			continue
		}
		ok, err := c.holds(r, ds.When, &env)
		if err != nil {
			ev.Errors = append(ev.Errors, &RunError{What: "designation " + ds.ID, Err: err})
			continue
		}
		if !ok {
			continue
		}
		d := Designated{ID: ds.ID, Title: ds.Title, Because: ds.When.Source, Citation: ds.Citation}
		switch {
		case o.brief && clauseTexts(ds.Clauses):
			d.Because = composed(r, c, ds.Clauses, ds.Join, &env)
		case o.brief:
			if ds.Because != nil {
				d.Because = c.render(r, ds.Because, &env)
			}
		default:
			d.Facts = ds.When.Explain(&env)
			if ds.Because != nil {
				d.Because = c.render(r, ds.Because, &env)
			}
			var because string
			var texts bool
			if d.Clauses, because, texts = clauses(r, c, ds.Clauses, ds.Join, &env); texts {
				d.Because = because
			}
		}
		ev.Designations = append(ev.Designations, d)
	}
	for _, s := range v.Steps {
		if s.Compulsory && !bound {
			continue
		}
		if !prerequisitesDone(c, s, in.AsOf) {
			continue
		}
		last, done := c.last(s.ID, in.AsOf)
		if done && !s.Repeats {
			continue
		}
		if done && s.Every > 0 && c.h.Calendar.EnrolledDays(c.h.Enrolment, last.Date.AddDays(1), in.AsOf) < s.Every {
			continue
		}
		ok, err := c.holds(r, s.When, &env)
		if err != nil {
			ev.Errors = append(ev.Errors, &RunError{What: "step " + s.ID, Err: err})
			continue
		}
		var since calendar.Date
		switch {
		case ok:
			since = firstHeld(r, c, s, in.AsOf, done, last)
		case s.Latch:
			since = firstEver(r, c, s, in.AsOf, done, last)
			if since.IsZero() {
				continue
			}
		default:
			continue
		}
		ev.Due = append(ev.Due, due(r, c, s, &env, in.AsOf, since, !ok, o.brief))
	}
	if len(ev.Due) > 0 {
		ev.Next = &ev.Due[0]
	}
	ev.Review = review(r, c, v, in.AsOf, o.brief)
	return ev
}

// review finds the steps done whose trigger never held, on today's classification,
// from the start of their school year (or their previous time) to the day they were
// done.
func review(r *policy.Runner, c *counter, v *policy.Version, at calendar.Date, brief bool) []Review {
	var out []Review
	for _, s := range v.Steps {
		ivs := c.scoped(s.ID, at)
		for k, iv := range ivs {
			if iv.OutcomeSeen(at) == policy.Waived {
				continue
			}
			start := c.yearSpan(iv.Date).from.AddDays(-1)
			if k > 0 {
				start = ivs[k-1].Date
			}
			held := false
			dates := candidates(c, s, start, iv.Date)
			for i := len(dates) - 1; i >= 0 && !held; i-- { // from the day it was done: it held then, most often
				held = holdsOn(r, c, s, dates[i])
			}
			if held {
				continue
			}
			note := fmt.Sprintf("%s was done on %s, but on the absences as they are classified now its rule never held up to that day", s.ID, iv.Date)
			if brief {
				out = append(out, Review{Step: s.ID, Date: iv.Date, Note: note})
				continue
			}
			f := c.facts(iv.Date, v.Reads)
			cls, _, _ := clauses(r, c, s.Clauses, s.Join, &f)
			if len(cls) == 0 {
				cls = []ClauseResult{{Clause: s.When.Source, Held: false, Facts: s.When.Explain(&f)}}
			}
			var not []ClauseResult
			for _, cl := range cls {
				if !cl.Held {
					not = append(not, cl)
				}
			}
			out = append(out, Review{Step: s.ID, Date: iv.Date, Clauses: not, Note: note})
		}
	}
	return out
}

// summary is the facts for people: school year to date.
func summary(c *counter, env policy.Facts, at calendar.Date) Facts {
	f := Facts{AsOf: at, SchoolDay: env.SchoolDay, env: env, reads: c.v.Reads}
	n := len(policy.Builtins) + len(c.v.Counts)
	f.Names, f.Values = make([]string, 0, n), make([]float64, 0, n)
	year := c.yearSpan(at)
	for _, b := range policy.Builtins {
		f.Names = append(f.Names, b)
		f.Values = append(f.Values, c.measure(-1, b, year))
	}
	for k, cnt := range c.v.Counts {
		f.Names = append(f.Names, cnt.ID)
		f.Values = append(f.Values, c.measure(k, cnt.ID, year))
	}
	return f
}

func prerequisitesDone(c *counter, s *policy.Step, at calendar.Date) bool {
	for _, p := range s.After {
		if len(c.scoped(p, at)) == 0 {
			return false
		}
	}
	return true
}

// candidates are the dates, after start and up to at, on which a trigger can change:
// the dates of absences and interventions, and every day for a trigger whose facts
// change with time. The slice is the counter's: good until the next call.
func candidates(c *counter, s *policy.Step, start, at calendar.Date) []calendar.Date {
	return candidatesFor(c, s.When, start, at)
}

// candidatesFor is candidates for any condition over the facts.
func candidatesFor(c *counter, cond *policy.Condition, start, at calendar.Date) []calendar.Date {
	out := c.cand[:0]
	if cond.Varies() {
		cal := c.h.Calendar
		for d := start.AddDays(1); !d.After(at); d = d.AddDays(1) {
			if cal.IsSchoolDay(d) || d == at {
				out = append(out, d)
			}
		}
	} else {
		dates := c.changeDates()
		lo, found := slices.BinarySearchFunc(dates, start, calendar.Date.Compare)
		if found {
			lo++
		}
		for _, d := range dates[lo:] {
			if d.After(at) {
				break
			}
			out = append(out, d)
		}
		if n := len(out); start.Before(at) && (n == 0 || out[n-1] != at) {
			out = append(out, at)
		}
	}
	c.cand = out
	return out
}

// changeDates returns the dates of the counts' days and of the interventions done and
// their outcomes, sorted, each once: the dates a trigger that does not vary with time
// can change on.
func (c *counter) changeDates() []calendar.Date {
	if c.hasDates {
		return c.dates
	}
	iv := c.ivDates[:0]
	for _, d := range c.done {
		iv = append(iv, d.Date)
		if !d.OutcomeDate.IsZero() {
			iv = append(iv, d.OutcomeDate)
		}
	}
	slices.SortFunc(iv, calendar.Date.Compare)
	c.ivDates = iv
	out := c.dates[:0]
	ev := c.evDates
	for len(ev) > 0 || len(iv) > 0 {
		var d calendar.Date
		if len(iv) == 0 || len(ev) > 0 && ev[0].Before(iv[0]) {
			d, ev = ev[0], ev[1:]
		} else {
			d, iv = iv[0], iv[1:]
		}
		if n := len(out); n == 0 || out[n-1] != d {
			out = append(out, d)
		}
	}
	c.dates, c.hasDates = out, true
	return c.dates
}

// scanStart is the day before the first day a step's trigger is judged: the last
// time it was done, or the day before its school year began.
func scanStart(c *counter, at calendar.Date, done bool, last history.Intervention) calendar.Date {
	if done {
		return last.Date
	}
	return c.yearSpan(at).from.AddDays(-1)
}

// holdsOn reports whether the step's prerequisites are done and its trigger holds on d.
func holdsOn(r *policy.Runner, c *counter, s *policy.Step, d calendar.Date) bool {
	if !prerequisitesDone(c, s, d) {
		return false
	}
	return c.judge(r, s.When, d)
}

// judge reports whether cond holds on d, on the facts it reads alone.
func (c *counter) judge(r *policy.Runner, cond *policy.Condition, d calendar.Date) bool {
	ok, err := c.holds(r, cond, c.quickFacts(d, cond.Reads(), cond.Plain()))
	return err == nil && ok
}

// firstHeld returns the earliest date from which the trigger has held through at.
func firstHeld(r *policy.Runner, c *counter, s *policy.Step, at calendar.Date, done bool, last history.Intervention) calendar.Date {
	dates := candidates(c, s, scanStart(c, at, done, last), at)
	first := at
	for i := len(dates) - 1; i >= 0; i-- {
		if dates[i] == at {
			continue
		}
		if !holdsOn(r, c, s, dates[i]) {
			break
		}
		first = dates[i]
	}
	return first
}

// firstEver returns the first date the trigger held since the scan start, or zero.
func firstEver(r *policy.Runner, c *counter, s *policy.Step, at calendar.Date, done bool, last history.Intervention) calendar.Date {
	for _, d := range candidates(c, s, scanStart(c, at, done, last), at) {
		if holdsOn(r, c, s, d) {
			return d
		}
	}
	return calendar.Date{}
}

func due(r *policy.Runner, c *counter, s *policy.Step, env *policy.Facts, at, since calendar.Date, latched, brief bool) Due {
	d := Due{
		Step: s.ID, Title: s.Title, Actor: s.Actor, Action: s.Action, Cadence: s.Cadence,
		Trigger: s.When.Source, After: s.After, Citation: s.Citation, Since: since, Latched: latched,
	}
	texts := clauseTexts(s.Clauses)
	shown := env
	if latched && (!brief || s.Because != nil || texts) { // explain with the facts of the day it held
		f := c.facts(since, c.v.Reads)
		shown = &f
	}
	d.Because = s.When.Source
	switch {
	case brief && texts:
		d.Because = composed(r, c, s.Clauses, s.Join, shown)
	case brief:
		if s.Because != nil {
			d.Because = c.render(r, s.Because, shown)
		}
	default:
		d.Facts = s.When.Explain(shown)
		if s.Because != nil {
			d.Because = c.render(r, s.Because, shown)
		}
		var because string
		var ok bool
		if d.Clauses, because, ok = clauses(r, c, s.Clauses, s.Join, shown); ok {
			d.Because = because
		}
	}
	if dl := s.Deadline; dl != nil {
		from := since
		if dl.From != "" && dl.From != "trigger" {
			from = calendar.Date{}
			if iv, ok := c.last(dl.From, at); ok {
				from = iv.Date
			}
		}
		if !from.IsZero() {
			switch {
			case dl.When != nil:
				// due by the first day, from then on, that the condition holds
				for _, day := range candidatesFor(c, dl.When, from.AddDays(-1), at) {
					if c.judge(r, dl.When, day) {
						d.DueBy = day
						break
					}
				}
			case dl.SchoolDays > 0:
				if by, ok := c.h.Calendar.After(from, dl.SchoolDays); ok {
					d.DueBy = by
				}
			default:
				d.DueBy = from.AddDays(dl.Days)
			}
			d.Overdue = !d.DueBy.IsZero() && at.After(d.DueBy)
		}
	}
	for _, iv := range s.Involve {
		if iv.When != nil {
			if ok, err := c.holds(r, iv.When, env); err != nil || !ok {
				continue
			}
		}
		d.Involve = append(d.Involve, Involved{Reason: iv.Reason, Who: iv.Who})
	}
	return d
}

// Explanation is one step's reasoning as of a date, due or not: its trigger's clauses
// with whether each held and the values it read, and the events behind each count.
type Explanation struct {
	Step     *policy.Step
	Due      *Due // nil when the step is not due
	Clauses  []ClauseResult
	Facts    []policy.Reading
	Behind   []Behind
	Done     []history.Intervention // the step's interventions that count as of the date
	Blocking []string               // prerequisites not done
}

// Behind is a count a trigger read and the events that make it up.
type Behind struct {
	Fact   string        `json:"fact"`
	From   calendar.Date `json:"from,omitzero"`
	To     calendar.Date `json:"to,omitzero"`
	Events []int         `json:"events"` // indices into the history's events
}

// Explain returns the reasoning of step s as of in.AsOf.
func Explain(in Input, stepID string) (Explanation, bool) {
	s, ok := in.Version.Step(stepID)
	if !ok {
		return Explanation{}, false
	}
	r := runners.Get().(*policy.Runner)
	defer runners.Put(r)
	c := newCounter(in.Version, in.History, in.Results, in.AsOf)
	c.closed = in.CaseClosed
	env := c.facts(in.AsOf, in.Version.Reads)
	ex := Explanation{Step: s, Facts: s.When.Explain(&env), Done: c.scoped(s.ID, in.AsOf)}
	ex.Clauses, _, _ = clauses(r, c, s.Clauses, s.Join, &env)
	if len(ex.Clauses) == 0 {
		held, _ := s.When.Eval(r, env)
		ex.Clauses = []ClauseResult{{Clause: s.When.Source, Held: held, Facts: ex.Facts}}
	}
	for _, p := range s.After {
		if len(c.scoped(p, in.AsOf)) == 0 {
			ex.Blocking = append(ex.Blocking, p)
		}
	}
	ev := Evaluate(in)
	for i := range ev.Due {
		if ev.Due[i].Step == s.ID {
			ex.Due = &ev.Due[i]
		}
	}
	for _, rd := range s.When.Reads() {
		if rd.Func != "" || (rd.Count < 0 && rd.Measure != "absent_days") {
			continue
		}
		sp := c.window(rd.Window, in.AsOf)
		switch rd.Window.Kind {
		case policy.WindowMaxMonth, policy.WindowMaxWindow, policy.WindowMaxDays, policy.WindowLongestRun:
			sp = c.yearSpan(in.AsOf) // the events of the year the largest window is drawn from
		}
		b := Behind{Fact: rd.Name, Events: []int{}}
		if !sp.empty {
			b.From, b.To = sp.from, sp.to
			for i, res := range in.Results {
				if res.Rejected != "" || res.Date.Before(sp.from) || res.Date.After(sp.to) {
					continue
				}
				if rd.Count >= 0 && rd.Count < len(res.Counts) && res.Counts[rd.Count] > 0 ||
					rd.Count < 0 && res.Status == "absent" && res.Days > 0 {
					b.Events = append(b.Events, i)
				}
			}
		}
		ex.Behind = append(ex.Behind, b)
	}
	return ex, true
}
