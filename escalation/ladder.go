package escalation

import (
	"fmt"
	"slices"
	"sync"

	"github.com/expr-lang/expr/vm"

	"github.com/rollcall-go/rollcall/calendar"
)

// Step is one step of a ladder.
type Step struct {
	ID       string
	Title    string
	Actor    string // who acts: building-secretary, truancy-interventionist, ...
	Action   string // what they do
	Cadence  string // when the step is worked: daily, weekly-to-monthly, monthly, ...
	Citation string
	When     *Trigger  // the condition over the facts
	Because  *Template // a sentence for people; when nil the trigger's source is used
	After    []string  // steps that must be done first (on or before as_of)
	Repeats  bool      // whether the step is due again after it is done
	Every    int       // for a repeating step: school days to wait after it was last done (0: none)
	Deadline *Deadline
	Involve  []Involve
}

// Deadline says by when a due step must be done: N school days or N calendar days
// after the trigger first held, or after another step was done.
type Deadline struct {
	SchoolDays int
	Days       int
	From       string // "trigger" or a step identifier
}

// Involve names whom to involve in a step when a condition holds (seed 002's
// departments by absence reason).
type Involve struct {
	Reason string   // e.g. "health"
	Who    string   // e.g. "Health and Wellness"
	When   *Trigger // nil: always
}

// Ladder is an ordered list of steps. A Ladder is immutable and safe for concurrent use.
type Ladder struct {
	Steps []*Step
}

// Step returns the step with identifier id.
func (l *Ladder) Step(id string) (*Step, bool) {
	for _, s := range l.Steps {
		if s.ID == id {
			return s, true
		}
	}
	return nil, false
}

// Due is a step whose conditions hold and that has not been done.
type Due struct {
	Step     string        `json:"step"`
	Title    string        `json:"title,omitempty"`
	Actor    string        `json:"actor"`
	Action   string        `json:"action,omitempty"`
	Cadence  string        `json:"cadence,omitempty"`
	Because  string        `json:"because"`
	Trigger  string        `json:"trigger"`
	Facts    []Reading     `json:"facts_read"`
	After    []string      `json:"after,omitempty"` // prerequisites, all done
	Since    calendar.Date `json:"since,omitzero"`  // the first date the trigger held, judged at absence and intervention dates
	DueBy    calendar.Date `json:"due_by,omitzero"`
	Overdue  bool          `json:"overdue,omitempty"`
	Involve  []Involved    `json:"involve,omitempty"`
	Citation string        `json:"citation,omitempty"`
}

// Involved is a person or department to involve, and why.
type Involved struct {
	Reason string `json:"reason"`
	Who    string `json:"who"`
}

// Evaluation is a ladder evaluated as of a date.
type Evaluation struct {
	Facts Facts
	Due   []Due // in ladder order
	Next  *Due  // the first due step, or nil
	// Errors are steps whose trigger failed to run (never expected: triggers are
	// type-checked at load); the step is not due.
	Errors []error
}

var vms = sync.Pool{New: func() any { return new(vm.VM) }}

// Evaluate computes the facts of in and returns every due step. A step is due when
// its prerequisites are done, its trigger holds, and it was not done already (or it
// repeats, and its wait has passed). history, when not nil, returns the facts as of an
// earlier date; it is used to find when a due step's trigger first held, for its
// deadline.
func (l *Ladder) Evaluate(in Input) Evaluation {
	m := vms.Get().(*vm.VM)
	defer vms.Put(m)
	f := Compute(in)
	ev := Evaluation{Facts: f}
	var env any = f // boxed once for every trigger
	past := map[pastKey]any{}
	for _, s := range l.Steps {
		if !s.prerequisitesDone(f) {
			continue
		}
		if f.Done(s.ID) && !s.Repeats {
			continue
		}
		if f.Done(s.ID) && s.Every > 0 && f.SchoolDaysSince(s.ID) < s.Every {
			continue
		}
		ok, err := s.When.eval(m, env)
		if err != nil {
			ev.Errors = append(ev.Errors, fmt.Errorf("step %s: %w", s.ID, err))
			continue
		}
		if !ok {
			continue
		}
		ev.Due = append(ev.Due, s.due(m, in, f, past))
	}
	if len(ev.Due) > 0 {
		ev.Next = &ev.Due[0]
	}
	return ev
}

func (s *Step) prerequisitesDone(f Facts) bool {
	for _, p := range s.After {
		if !f.Done(p) {
			return false
		}
	}
	return true
}

// pastKey identifies facts computed as of an earlier date, with or without months.
type pastKey struct {
	date   calendar.Date
	months bool
}

func (s *Step) due(m *vm.VM, in Input, f Facts, past map[pastKey]any) Due {
	d := Due{
		Step: s.ID, Title: s.Title, Actor: s.Actor, Action: s.Action, Cadence: s.Cadence,
		Trigger: s.When.Source, Facts: s.When.Explain(m, f), After: s.After, Citation: s.Citation,
	}
	d.Because = s.When.Source
	if s.Because != nil {
		d.Because = s.Because.Render(m, f)
	}
	d.Since = s.firstHeld(m, in, past)
	if s.Deadline != nil {
		from := d.Since
		if s.Deadline.From != "" && s.Deadline.From != "trigger" {
			from = lastDone(in.Done, s.Deadline.From, in.AsOf)
		}
		if !from.IsZero() {
			if s.Deadline.SchoolDays > 0 {
				if by, ok := in.Calendar.After(from, s.Deadline.SchoolDays); ok {
					d.DueBy = by
				}
			} else {
				d.DueBy = from.AddDays(s.Deadline.Days)
			}
			d.Overdue = !d.DueBy.IsZero() && in.AsOf.After(d.DueBy)
		}
	}
	for _, iv := range s.Involve {
		if iv.When != nil {
			if ok, err := iv.When.Eval(m, f); err != nil || !ok {
				continue
			}
		}
		d.Involve = append(d.Involve, Involved{Reason: iv.Reason, Who: iv.Who})
	}
	return d
}

// firstHeld returns the earliest date, on or before as_of, from which the trigger has
// held through as_of, judged at each absence date (facts change only there) and at
// the dates steps were done. It starts no earlier than the day after the step was
// last done (for a repeating step) and no earlier than its prerequisites.
//
// past caches the facts as of earlier dates, shared by the steps of one evaluation.
func (s *Step) firstHeld(m *vm.VM, in Input, past map[pastKey]any) calendar.Date {
	var dates []calendar.Date
	seen := map[calendar.Date]bool{}
	add := func(d calendar.Date) {
		if !d.After(in.AsOf) && !seen[d] {
			seen[d] = true
			dates = append(dates, d)
		}
	}
	for _, r := range in.Records {
		add(r.Date)
	}
	for _, d := range in.Done {
		add(d.Date)
	}
	slices.SortFunc(dates, func(a, b calendar.Date) int { return a.Compare(b) })
	first := in.AsOf
	for i := len(dates) - 1; i >= 0; i-- {
		key := pastKey{dates[i], s.When.months}
		env, ok := past[key]
		if !ok {
			at := in
			at.AsOf = dates[i]
			env = compute(at, s.When.months)
			past[key] = env
		}
		if !s.prerequisitesDone(env.(Facts)) {
			break
		}
		ok, err := s.When.eval(m, env)
		if err != nil || !ok {
			break
		}
		first = dates[i]
	}
	return first
}

func lastDone(done []Done, step string, asOf calendar.Date) calendar.Date {
	var out calendar.Date
	for _, d := range done {
		if d.Step == step && !d.Date.After(asOf) && d.Date.After(out) {
			out = d.Date
		}
	}
	return out
}
