package rollcall

import (
	"fmt"

	"github.com/expr-lang/expr/vm"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/escalation"
	"github.com/rollcall-go/rollcall/policy"
)

// Evaluation is a history evaluated as of a date: every event classified, the facts,
// the designations that hold, and the ladder steps that are due.
type Evaluation struct {
	Student      string           `json:"student"`
	AsOf         calendar.Date    `json:"as_of"`
	Events       []Classified     `json:"events"`
	Facts        escalation.Facts `json:"facts"`
	Designations []Designated     `json:"designations"`
	Next         *escalation.Due  `json:"next"`
	Due          []escalation.Due `json:"due"`
}

// Designated is a designation (truant, chronic absence, ...) that holds, and why.
type Designated struct {
	ID       string               `json:"id"`
	Title    string               `json:"title,omitempty"`
	Because  string               `json:"because"`
	Facts    []escalation.Reading `json:"facts_read"`
	Citation string               `json:"citation,omitempty"`
}

// Evaluate classifies h and evaluates the ladder as of asOf: the facts counted up to
// asOf, every step whose conditions hold and that was not done (in ladder order), and
// the next step. A zero asOf means the date of the last event. Like [Engine.Classify],
// it returns a *HistoryError naming the events it had to reject, together with the
// evaluation of the others.
func (e *Engine) Evaluate(h *History, asOf calendar.Date) (*Evaluation, error) {
	if err := e.checkInterventions(h); err != nil {
		return nil, err
	}
	if asOf.IsZero() {
		for _, ev := range h.Events {
			if ev.Date.After(asOf) {
				asOf = ev.Date
			}
		}
		if asOf.IsZero() {
			asOf = h.Calendar.First()
		}
	}
	// The world as of asOf: interventions done later have not happened yet.
	seen := *h
	seen.Interventions = nil
	for _, iv := range h.Interventions {
		if !iv.Date.After(asOf) {
			seen.Interventions = append(seen.Interventions, iv)
		}
	}
	cls, herr := e.classify(&seen)
	v := e.pack.At(asOf)
	in := escalation.Input{
		Calendar: h.Calendar, Enrolment: h.Enrolment, AsOf: asOf, SchoolMonth: v.SchoolMonth,
		Age: h.Student.AgeOn(asOf), Grade: h.Student.Grade,
	}
	for _, c := range cls.Events {
		if c.Rejected != "" {
			continue
		}
		d := c.decision
		in.Records = append(in.Records, escalation.Record{Date: c.Date, Code: d.EffectiveCode, Status: d.Status, Excuse: d.Excuse,
			Span: d.Span, Minutes: d.Minutes, DayMinutes: h.Calendar.Minutes(c.Date), Tags: d.Tags})
	}
	for _, iv := range seen.Interventions {
		in.Done = append(in.Done, escalation.Done{Step: iv.Step, Date: iv.Date})
	}
	res := v.Ladder.Evaluate(in)
	out := &Evaluation{Student: h.Student.ID, AsOf: asOf, Events: cls.Events, Facts: res.Facts, Due: res.Due, Next: res.Next,
		Designations: []Designated{}}
	if out.Due == nil {
		out.Due = []escalation.Due{}
	}
	m := new(vm.VM)
	for _, ds := range v.Designations {
		ok, err := ds.When.Eval(m, res.Facts)
		if err != nil || !ok {
			continue
		}
		d := Designated{ID: ds.ID, Title: ds.Title, Because: ds.When.Source, Facts: ds.When.Explain(m, res.Facts), Citation: ds.Citation}
		if ds.Because != nil {
			d.Because = ds.Because.Render(m, res.Facts)
		}
		out.Designations = append(out.Designations, d)
	}
	if len(res.Errors) > 0 {
		return out, fmt.Errorf("rollcall: %v", res.Errors[0])
	}
	if herr != nil {
		return out, herr
	}
	return out, nil
}

// DailyAction is an action to take for one absence on its day.
type DailyAction struct {
	Action   string        `json:"action"`
	Title    string        `json:"title,omitempty"`
	Actor    string        `json:"actor,omitempty"`
	Do       string        `json:"do,omitempty"`
	Date     calendar.Date `json:"date"`
	Event    int           `json:"event"` // index of the event in the history
	Citation string        `json:"citation,omitempty"`
}

// Actions returns the pack's daily actions for the absences of h on date (a call home,
// a robocall), in event order then action order.
func (e *Engine) Actions(h *History, date calendar.Date) ([]DailyAction, error) {
	if err := e.checkInterventions(h); err != nil {
		return nil, err
	}
	cls, herr := e.classify(h)
	v := e.pack.At(date)
	m := new(vm.VM)
	var steps []string
	for _, iv := range h.Interventions {
		if iv.Date.Before(date) {
			steps = append(steps, iv.Step)
		}
	}
	out := []DailyAction{}
	for i, c := range cls.Events {
		if c.Rejected != "" || c.Date != date {
			continue
		}
		ev := h.Events[i]
		in := policy.Input{Date: ev.Date, Code: ev.Code, Minutes: ev.Minutes, DayMinutes: h.Calendar.Minutes(ev.Date),
			Documents: ev.Documents, Comment: ev.Comment, Reason: ev.Reason, Age: h.Student.AgeOn(ev.Date), Grade: h.Student.Grade}
		for _, f := range h.Student.Flags {
			if f.Holds(ev.Date) {
				in.Flags = append(in.Flags, f.Name)
			}
		}
		env := policy.EventOf(in, c.decision, steps)
		for _, a := range v.Actions {
			ok, err := a.Applies(m, env)
			if err != nil {
				return out, fmt.Errorf("rollcall: action %s: %w", a.ID, err)
			}
			if ok {
				out = append(out, DailyAction{Action: a.ID, Title: a.Title, Actor: a.Actor, Do: a.Action, Date: date, Event: i, Citation: a.Citation})
			}
		}
	}
	if herr != nil {
		return out, herr
	}
	return out, nil
}

// SignOutRequest is a request to dismiss a student early.
type SignOutRequest struct {
	Student         Student
	Date            calendar.Date
	Requester       string // parent, guardian, self or other
	OnEmergencyForm bool   // the requester is listed on the student's emergency form
	ByPhone         bool   // the request came by phone
}

// SignOutDecision is the answer to a [SignOutRequest], with the rule that decided it.
type SignOutDecision struct {
	Allow    bool     `json:"allow"`
	Rule     string   `json:"rule"`
	Notify   []string `json:"notify"`
	Note     string   `json:"note"`
	Citation string   `json:"citation,omitempty"`
}

// SignOut decides an early-dismissal request by the pack's sign-out rules: the first
// rule whose condition holds decides. With no matching rule the request is refused.
func (e *Engine) SignOut(r SignOutRequest) (SignOutDecision, error) {
	v := e.pack.At(r.Date)
	req := policy.SignOut{Age: r.Student.AgeOn(r.Date), Grade: r.Student.Grade, Requester: r.Requester, OnEmergencyForm: r.OnEmergencyForm, ByPhone: r.ByPhone}
	m := new(vm.VM)
	for _, rule := range v.SignOut {
		ok, err := rule.Matches(m, req)
		if err != nil {
			return SignOutDecision{}, fmt.Errorf("rollcall: signout rule %s: %w", rule.ID, err)
		}
		if ok {
			notify := rule.Notify
			if notify == nil {
				notify = []string{}
			}
			return SignOutDecision{Allow: rule.Allow, Rule: rule.ID, Notify: notify, Note: rule.Note, Citation: rule.Citation}, nil
		}
	}
	return SignOutDecision{Allow: false, Notify: []string{}, Note: "no sign-out rule of pack " + e.pack.Name + " allows this request"}, nil
}
