package policy

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/rollcall-go/rollcall/codes"
)

// Step is one step of a ladder.
type Step struct {
	ID       string
	Title    string
	Actor    string // who acts: building-secretary, truancy-interventionist, ...
	Action   string // what they do
	Cadence  string // when the step is worked: daily, weekly to monthly, monthly, ...
	Citation string
	When     *Condition // the trigger, over [Facts]
	Because  *Template  // a sentence for people; when nil the trigger's source is used
	// Clauses are the parts of When joined by its top-level `or` (or `and`), each
	// with its own because text when the pack gives one per clause: an explanation
	// says which held, and a because made of clauses names only those.
	Clauses []*Clause
	Join    string   // "or", "and", or "" for a single clause
	After   []string // steps that must be done first (on or before the date)
	Repeats bool     // whether the step is due again after it is done
	Every   int      // for a repeating step: school days to wait after it was last done (0: none)
	// Latch keeps the step due from the first day its trigger held until it is done,
	// even when the trigger no longer holds.
	Latch bool
	// History makes the step's interventions count for the whole history; by default
	// a step and what it reads are per school year (a letter sent last year does not
	// stop this year's).
	History  bool
	Outcomes []string // the outcomes an intervention may record; "waived" is always allowed
	// ResetsOn lists outcomes that close the case: once one is recorded (seen from its
	// outcome date), the steps done before no longer count as done and the school
	// year's counts start the day after.
	ResetsOn []string
	// Compulsory makes the step apply only to students bound to attend on the date (by
	// the pack's compulsory rule); true unless the pack says compulsory: false.
	Compulsory bool
	Deadline   *Deadline
	Involve    []Involve
	Letter     *Letter // the letter to the family, when the pack writes one (see letters.go)
}

// Waived is the outcome every step accepts: the district exempted the student from
// the step, with a note saying why.
const Waived = "waived"

// AllowsOutcome reports whether an intervention of the step may record outcome.
func (s *Step) AllowsOutcome(outcome string) bool {
	return outcome == "" || outcome == Waived || slices.Contains(s.Outcomes, outcome)
}

// Deadline says by when a due step must be done: N school days or N calendar days
// after the trigger first held, or after another step was done; or, with When, by the
// first day from then on that a condition holds ("not later than the seventh unexcused
// absence in a month": month.unexcused >= 7).
type Deadline struct {
	SchoolDays int
	Days       int
	From       string     // "trigger" or a step identifier
	When       *Condition // over [Facts]; nil for a deadline in days
}

// Involve names whom to involve in a step when a condition holds (seed 002's
// departments by absence reason).
type Involve struct {
	Reason string     // e.g. "health"
	Who    string     // e.g. "Health and Wellness"
	When   *Condition // over [Facts]; nil: always
}

// Designation is a status a law defines over a student's facts (truant, chronic
// truant, chronic absence). Designations are reported with the facts; they are not
// ladder steps.
type Designation struct {
	ID         string
	Title      string
	When       *Condition // over [Facts]
	Because    *Template
	Clauses    []*Clause // see [Step.Clauses]
	Join       string
	Citation   string
	Compulsory bool // applies only to students bound to attend (true unless compulsory: false)
}

// Compulsory says which students the law binds to attend on a date: truancy
// designations and ladder steps apply only to them.
type Compulsory struct {
	Title    string
	When     *Condition // over [Facts]
	Citation string
}

// Routine is a recurring task of a procedure that is not a step for one student
// (running a report, reviewing and signing letters).
type Routine struct {
	ID, Title, Actor, Action, Cadence, Citation string
}

// Action is something to do on the day of an absence (a call home), when its
// condition over the [Event] holds.
type Action struct {
	ID, Title, Actor, Action, Citation string
	When                               *Condition
}

// SignOut is an early-dismissal request, what a sign-out rule's `when` sees.
type SignOut struct {
	Age             int    `expr:"age" json:"age"`                             // the student's age in whole years
	Grade           string `expr:"grade" json:"grade"`                         // the student's grade
	Requester       string `expr:"requester" json:"requester"`                 // parent, guardian, self or other
	OnEmergencyForm bool   `expr:"on_emergency_form" json:"on_emergency_form"` // the requester is listed on the emergency form
	ByPhone         bool   `expr:"by_phone" json:"by_phone"`                   // the request came by phone
}

// SignOutRule decides an early-dismissal request when its condition holds.
type SignOutRule struct {
	ID       string
	When     *Condition
	Allow    bool
	Notify   []string // whom to notify when it applies (e.g. parent)
	Note     string
	Citation string
}

func compileLadder(v *Version, b rawBody, cat *codes.Catalog, rc *reqCompiler, x *exprCompiler, d *diag) {
	b.steps.each(func(id string, s *rawStep) {
		step := &Step{ID: id, Title: s.title, Actor: s.actor, Action: s.action, Cadence: s.cadence,
			Citation: s.citation, Repeats: s.repeats, Every: s.every, Latch: s.latch, History: s.scope == "history", Outcomes: s.outcomes,
			ResetsOn: s.resetsOn, Compulsory: s.compulsory}
		for _, o := range s.resetsOn {
			if !slices.Contains(s.outcomes, o) {
				s.resetsOnAt.errorf(d, "step %s: resets_on: %q is not one of the step's outcomes%s", id, o, didYouMean(o, s.outcomes))
			}
		}
		what := "step " + id
		if s.when != "" {
			step.When = x.compileFacts(s.when, s.whenAt, what+": when", d)
		}
		step.Because = x.compileTemplate(s.because, s.at, what+": because", d)
		if step.When != nil {
			step.Join, step.Clauses = x.compileClauses(step.When, s.becauses, s.becauseAt, what, d)
		}
		for _, a := range s.after {
			if b.steps.get(a) == nil {
				s.afterAt.errorf(d, "%s: after: unknown step %q%s", what, a, didYouMean(a, b.steps.present()))
			} else if a == id {
				s.afterAt.errorf(d, "%s: after: a step cannot come after itself", what)
			}
			step.After = append(step.After, a)
		}
		if dl := s.deadline; dl != nil {
			if dl.from != "trigger" && b.steps.get(dl.from) == nil {
				dl.fromAt.errorf(d, "%s: deadline from: unknown step %q (want trigger or a step)%s", what, dl.from, didYouMean(dl.from, b.steps.present()))
			}
			step.Deadline = &Deadline{SchoolDays: dl.schoolDays, Days: dl.days, From: dl.from}
			if dl.when != "" {
				step.Deadline.When = x.compileFacts(dl.when, dl.whenAt, what+": deadline when", d)
			}
		}
		s.involve.each(func(reason string, iv *rawInvolve) {
			inv := Involve{Reason: reason, Who: iv.who}
			if iv.when != "" {
				inv.When = x.compileFacts(iv.when, iv.whenAt, what+": involve "+reason+": when", d)
			}
			if iv.who == "" {
				iv.at.errorf(d, "%s: involve %s: missing key \"who\"", what, reason)
			}
			step.Involve = append(step.Involve, inv)
		})
		for i, eff := range s.effects {
			if ru := compileRule(fmt.Sprintf("effect %d", i+1), id, eff, cat, rc, x, d); ru != nil {
				v.Rules = append(v.Rules, ru)
			}
		}
		if s.letter != nil {
			step.Letter = compileLetter(step, s.letter, b.letterhead, append(slices.Clone(Builtins), b.counts.present()...), x, d)
		}
		if step.When != nil {
			v.Steps = append(v.Steps, step)
		}
	})
	checkStepCycles(b, d)

	b.designations.each(func(id string, e *decl[rawDesignation]) {
		what := "designation " + id
		ds := &Designation{ID: id, Title: e.v.Title, Citation: e.v.Citation, Compulsory: true}
		if c := e.v.Compulsory; c.given() {
			r := reader{file: c.file, d: d}
			ds.Compulsory = r.boolean(c.n, what+": compulsory")
		}
		if e.v.When.given() {
			ds.When = x.compileFacts(e.v.When.text(d, what+": when"), e.v.When, what+": when", d)
		}
		var becauses []string
		if bc := e.v.Because; bc.given() && bc.n.Kind == yaml.SequenceNode {
			r := reader{file: bc.file, d: d}
			becauses = r.strings(bc.n, what+": because")
		} else {
			ds.Because = x.compileTemplate(bc.text(d, what+": because"), bc, what+": because", d)
		}
		if ds.When != nil {
			ds.Join, ds.Clauses = x.compileClauses(ds.When, becauses, e.v.Because, what, d)
			v.Designations = append(v.Designations, ds)
		}
	})
	if c := b.compulsory; c != nil && c.v.When.given() {
		cr := &Compulsory{Title: c.v.Title, Citation: c.v.Citation}
		if cr.When = x.compileFacts(c.v.When.text(d, "compulsory: when"), c.v.When, "compulsory: when", d); cr.When != nil {
			v.Compulsory = cr
		}
	}
	b.routines.each(func(id string, e *decl[rawRoutine]) {
		v.Routines = append(v.Routines, Routine{ID: id, Title: e.v.Title, Actor: e.v.Actor, Action: e.v.Action, Cadence: e.v.Cadence, Citation: e.v.Citation})
	})
	b.actions.each(func(id string, e *decl[rawAction]) {
		what := "action " + id
		a := &Action{ID: id, Title: e.v.Title, Actor: e.v.Actor, Action: e.v.Action, Citation: e.v.Citation}
		if e.v.When.given() {
			if a.When = x.compileEvent(e.v.When.text(d, what+": when"), e.v.When, what+": when", false, d); a.When != nil {
				v.Actions = append(v.Actions, a)
			}
		}
	})
	b.signout.each(func(id string, e *decl[rawSignOut]) {
		what := "signout rule " + id
		so := &SignOutRule{ID: id, Notify: e.v.Notify, Note: e.v.Note, Citation: e.v.Citation, Allow: e.v.Allow}
		if e.v.When.given() {
			if so.When = compileSignOut(e.v.When.text(d, what+": when"), e.v.When, what+": when", d); so.When != nil {
				v.SignOut = append(v.SignOut, so)
			}
		}
	})
}

// checkStepCycles reports prerequisites that make a cycle (a after b after a).
func checkStepCycles(b rawBody, d *diag) {
	state := map[string]int{} // 0 new, 1 on the path, 2 done
	var path []string
	var visit func(id string) bool
	visit = func(id string) bool {
		switch state[id] {
		case 1:
			return true
		case 2:
			return false
		}
		state[id] = 1
		path = append(path, id)
		if s := b.steps.get(id); s != nil {
			for _, a := range s.after {
				if a != id && b.steps.get(a) != nil && visit(a) {
					if len(path) > 0 && path[0] != "" {
						s.afterAt.errorf(d, "step %s: after: prerequisites make a cycle: %s -> %s", id, strings.Join(path, " -> "), a)
						path[0] = ""
					}
					return true
				}
			}
		}
		path = path[:len(path)-1]
		state[id] = 2
		return false
	}
	b.steps.each(func(id string, _ *rawStep) {
		path = path[:0]
		visit(id)
	})
}
