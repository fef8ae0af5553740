package policy

import (
	"errors"
	"fmt"
	"strings"

	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"

	"github.com/rollcall-go/rollcall/codes"
	"github.com/rollcall-go/rollcall/escalation"
)

// Designation is a status a law defines over a student's facts (truant, chronic
// truant, chronic absence). Designations are reported with the facts; they are not
// ladder steps.
type Designation struct {
	ID       string
	Title    string
	When     *escalation.Trigger
	Because  *escalation.Template
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
	When                               string
	program                            *vm.Program
}

// Applies reports whether the action applies to ev.
func (a *Action) Applies(m *vm.VM, ev Event) (bool, error) {
	out, err := m.Run(a.program, ev)
	if err != nil {
		return false, err
	}
	return out == true, nil
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
	When     string
	Allow    bool
	Notify   []string // whom to notify when it applies (e.g. parent)
	Note     string
	Citation string
	program  *vm.Program
}

// Matches reports whether the rule applies to req.
func (r *SignOutRule) Matches(m *vm.VM, req SignOut) (bool, error) {
	out, err := m.Run(r.program, req)
	if err != nil {
		return false, err
	}
	return out == true, nil
}

func compileLadder(v *Version, b rawBody, cat *codes.Catalog, rc *reqCompiler, d *diag) {
	v.Ladder = &escalation.Ladder{}
	b.steps.each(func(id string, s *rawStep) {
		step := &escalation.Step{ID: id, Title: s.title, Actor: s.actor, Action: s.action, Cadence: s.cadence,
			Citation: s.citation, Repeats: s.repeats, Every: s.every}
		what := "step " + id
		if s.when != "" {
			t, err := escalation.Compile(s.when)
			if err != nil {
				placeError(err, s.whenAt, what+": when", d, escalation.Facts{})
			}
			step.When = t
		}
		step.Because = compileTemplate(s.because, s.at, what+": because", d)
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
			step.Deadline = &escalation.Deadline{SchoolDays: dl.schoolDays, Days: dl.days, From: dl.from}
		}
		s.involve.each(func(reason string, iv *rawInvolve) {
			inv := escalation.Involve{Reason: reason, Who: iv.who}
			if iv.when != "" {
				t, err := escalation.Compile(iv.when)
				if err != nil {
					placeError(err, iv.whenAt, what+": involve "+reason+": when", d, escalation.Facts{})
				}
				inv.When = t
			}
			if iv.who == "" {
				iv.at.errorf(d, "%s: involve %s: missing key \"who\"", what, reason)
			}
			step.Involve = append(step.Involve, inv)
		})
		for i, eff := range s.effects {
			if ru := compileRule(fmt.Sprintf("effect %d", i+1), id, eff, cat, rc, d); ru != nil {
				v.Rules = append(v.Rules, ru)
			}
		}
		if step.When != nil {
			v.Ladder.Steps = append(v.Ladder.Steps, step)
		}
	})
	checkStepCycles(b, d)

	b.designations.each(func(id string, g *rawGeneric) {
		r := reader{file: g.file, d: d}
		what := "designation " + id
		ds := &Designation{ID: id, Title: r.str(g.f["title"], what+": title"), Citation: r.str(g.f["citation"], what+": citation")}
		if n := g.f["when"]; n != nil {
			t, err := escalation.Compile(r.str(n, what+": when"))
			if err != nil {
				placeError(err, pos{g.file, n}, what+": when", d, escalation.Facts{})
				return
			}
			ds.When = t
		}
		ds.Because = compileTemplate(r.str(g.f["because"], what+": because"), pos{g.file, g.f["because"]}, what+": because", d)
		if ds.When != nil {
			v.Designations = append(v.Designations, ds)
		}
	})
	b.routines.each(func(id string, g *rawGeneric) {
		r := reader{file: g.file, d: d}
		v.Routines = append(v.Routines, Routine{ID: id, Title: r.str(g.f["title"], "title"), Actor: r.str(g.f["actor"], "actor"),
			Action: r.str(g.f["action"], "action"), Cadence: r.str(g.f["cadence"], "cadence"), Citation: r.str(g.f["citation"], "citation")})
	})
	b.actions.each(func(id string, g *rawGeneric) {
		r := reader{file: g.file, d: d}
		what := "action " + id
		a := &Action{ID: id, Title: r.str(g.f["title"], "title"), Actor: r.str(g.f["actor"], "actor"),
			Action: r.str(g.f["action"], "action"), Citation: r.str(g.f["citation"], "citation")}
		if n := g.f["when"]; n != nil {
			a.When = r.str(n, what+": when")
			if p, err := compileExpr(a.When, pos{g.file, n}, what+": when", Event{}, d); err == nil {
				a.program = p
				v.Actions = append(v.Actions, a)
			}
		}
	})
	b.signout.each(func(id string, g *rawGeneric) {
		r := reader{file: g.file, d: d}
		what := "signout rule " + id
		so := &SignOutRule{ID: id, Notify: r.strings(g.f["notify"], what+": notify"), Note: r.str(g.f["note"], what+": note"), Citation: r.str(g.f["citation"], what+": citation")}
		if n := g.f["allow"]; n != nil {
			so.Allow = r.boolean(n, what+": allow")
		}
		if n := g.f["when"]; n != nil {
			so.When = r.str(n, what+": when")
			if p, err := compileExpr(so.When, pos{g.file, n}, what+": when", SignOut{}, d); err == nil {
				so.program = p
				v.SignOut = append(v.SignOut, so)
			}
		}
	})
}

func compileTemplate(src string, at pos, what string, d *diag) *escalation.Template {
	if src == "" {
		return nil
	}
	t, err := escalation.CompileTemplate(src)
	if err != nil {
		var fe *file.Error
		msg := err.Error()
		if errors.As(err, &fe) {
			msg = strings.SplitN(msg, "\n", 2)[0]
		}
		at.errorf(d, "%s: %s", what, msg)
		return nil
	}
	return t
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
