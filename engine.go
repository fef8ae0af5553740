package rollcall

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/classify"
	"github.com/rollcall-go/rollcall/escalation"
	"github.com/rollcall-go/rollcall/internal/suggest"
	"github.com/rollcall-go/rollcall/policy"
)

// Engine makes attendance decisions under one policy pack.
//
// An Engine is immutable and safe for concurrent use by many goroutines. It keeps no
// state between calls: every call decides from the history it is given, so re-coding an
// absence or adding a document and calling again re-evaluates everything after it. The
// zero Engine has no pack: its methods return an error.
type Engine struct {
	pack  *policy.Pack
	brief bool
}

// Option changes what an [Engine] returns; see [Brief].
type Option func(*Engine)

// Brief makes the engine's evaluations leave out what only explains them: the notes of
// each event (see [classify.Brief]) and the facts read and the clauses of every due
// step, designation and review (see [escalation.Brief]). Everything they decide is the
// same, the reasons (because) included. It is for callers that keep the steps due and
// their reasons but not their workings, such as a report over a whole district. It
// applies to [Engine.Evaluate] and [Engine.Classify], whose events then have no Env
// either; [Engine.Actions], which reads it, and [Engine.Explain] always work in full.
func Brief() Option { return func(e *Engine) { e.brief = true } }

// New returns an engine for a loaded pack, with options.
func New(p *policy.Pack, opts ...Option) *Engine {
	e := &Engine{pack: p}
	for _, opt := range opts {
		opt(e)
	}
	return e
}

// Open returns an engine for the embedded pack with the given name, e.g. "ccs", with
// options.
func Open(name string, opts ...Option) (*Engine, error) {
	p, err := policy.Embedded(name)
	if err != nil {
		return nil, err
	}
	return New(p, opts...), nil
}

// With returns an engine for the same pack with opts applied on top of e's own.
func (e *Engine) With(opts ...Option) *Engine {
	out := &Engine{}
	if e != nil {
		*out = *e
	}
	for _, opt := range opts {
		opt(out)
	}
	return out
}

// classifyOptions are the options of package classify the engine's own imply.
func (e *Engine) classifyOptions() []classify.Option {
	if e.brief {
		return []classify.Option{classify.Brief()}
	}
	return nil
}

// Pack returns the engine's pack.
func (e *Engine) Pack() *policy.Pack { return e.pack }

// errNoPack is returned by the methods of an Engine made without a pack.
var errNoPack = errors.New("rollcall: the engine has no policy pack (use New or Open)")

// Classified is the classification of one event; see [classify.Result].
type Classified = classify.Result

// Note says what decided part of a classification; see [classify.Note].
type Note = classify.Note

// Classification is the classification of every event of a history, in input order.
type Classification struct {
	Student string        `json:"student"`
	AsOf    calendar.Date `json:"as_of"`
	Events  []Classified  `json:"events"`
}

// EventError is a problem with one event of a history.
type EventError struct {
	Index int // 0-based position in the input
	Event Event
	Msg   string
}

// Error says which event and what is wrong with it.
func (e EventError) Error() string {
	return fmt.Sprintf("event %d (%s %s): %s", e.Index+1, e.Event.Date, safeID(e.Event.Code), e.Msg)
}

// safeID writes an identifier from the input as it is when it is plain, and quoted (its
// control characters and direction overrides escaped) when not, so that no input can
// forge a line of a message.
func safeID(s string) string {
	for _, r := range s {
		if r <= ' ' || r == '"' || r == '\\' || r == 0x7f || !unicode.IsPrint(r) || unicode.Is(unicode.Bidi_Control, r) {
			return strconv.QuoteToASCII(s)
		}
	}
	if s == "" {
		return `""`
	}
	return s
}

// HistoryError lists every event of a student's history that could not be classified.
// The classification that comes with it still holds every event, the rejected ones
// marked with their reason.
type HistoryError struct {
	Student string
	Events  []EventError
}

// Error lists every rejected event, one line each.
func (e *HistoryError) Error() string {
	var b strings.Builder
	for i, ev := range e.Events {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "student %s: %s", safeID(e.Student), ev.Error())
	}
	return b.String()
}

// Unwrap returns each event's problem, so errors.As finds an [EventError].
func (e *HistoryError) Unwrap() []error {
	out := make([]error, len(e.Events))
	for i, ev := range e.Events {
		out[i] = ev
	}
	return out
}

// Classify classifies every event of h as of asOf (a zero asOf means the date of the
// last event that can be classified): documentation deadlines are judged on asOf, and
// interventions after it have not happened. Events are decided in date order, since
// caps and the effects of ladder steps depend on what came before; the result keeps
// input order, one entry per event. When some events cannot be classified (unknown
// code, a day without school, outside enrolment, ...) Classify returns the
// classification with those events marked rejected, and a *HistoryError naming each.
func (e *Engine) Classify(h *History, asOf calendar.Date) (*Classification, error) {
	if err := e.check(h); err != nil {
		return nil, err
	}
	asOf = e.asOf(h, asOf)
	res := classify.Decide(e.pack, h, asOf, e.classifyOptions()...)
	return &Classification{Student: h.Student.ID, AsOf: asOf, Events: res}, historyError(h, res)
}

// asOf returns the date to judge a history on: the one given, or else the date of its
// last event that can be classified (the first day of its calendar when there is none).
func (e *Engine) asOf(h *History, asOf calendar.Date) calendar.Date {
	if !asOf.IsZero() {
		return asOf
	}
	asOf = classify.LastDate(e.pack, h)
	if asOf.IsZero() {
		asOf = h.Calendar.First()
	}
	return asOf
}

func historyError(h *History, res []classify.Result) error {
	var herr *HistoryError
	for i, r := range res {
		if r.Rejected == "" {
			continue
		}
		if herr == nil {
			herr = &HistoryError{Student: h.Student.ID}
		}
		herr.Events = append(herr.Events, EventError{Index: i, Event: h.Events[i], Msg: r.Rejected})
	}
	if herr == nil {
		return nil
	}
	return herr
}

// check verifies what must hold before anything is decided: a pack, a calendar, and
// interventions naming steps of the pack with outcomes they allow.
func (e *Engine) check(h *History) error {
	if e == nil || e.pack == nil {
		return errNoPack
	}
	if h == nil || h.Calendar == nil {
		return fmt.Errorf("rollcall: a history needs a calendar")
	}
	var errs []error
	for i, iv := range h.Interventions {
		where := func() string { // made only for a problem
			return fmt.Sprintf("student %s: intervention %d (%s %s)", safeID(h.Student.ID), i+1, iv.Date, safeID(iv.Step))
		}
		if iv.Date.IsZero() {
			errs = append(errs, fmt.Errorf("%s: no date", where()))
			continue
		}
		v := e.pack.At(iv.Date)
		s, ok := v.Step(iv.Step)
		if !ok {
			errs = append(errs, fmt.Errorf("%s: unknown step %q for pack %s%s", where(), iv.Step, e.pack.Name, suggest.DidYouMean(iv.Step, stepIDs(v))))
			continue
		}
		switch {
		case !s.AllowsOutcome(iv.Outcome):
			allowed := append(slices.Clone(s.Outcomes), policy.Waived)
			errs = append(errs, fmt.Errorf("%s: outcome %q is not one step %s records (want one of %s)%s", where(), iv.Outcome, s.ID, strings.Join(allowed, ", "), suggest.DidYouMean(iv.Outcome, allowed)))
		case iv.Outcome == policy.Waived && strings.TrimSpace(iv.Note) == "":
			errs = append(errs, fmt.Errorf("%s: a waived step needs a note saying why", where()))
		case iv.Outcome == "" && !iv.OutcomeDate.IsZero():
			errs = append(errs, fmt.Errorf("%s: outcome_date without an outcome", where()))
		case !iv.OutcomeDate.IsZero() && iv.OutcomeDate.Before(iv.Date):
			errs = append(errs, fmt.Errorf("%s: outcome_date %s is before the intervention's date", where(), iv.OutcomeDate))
		}
	}
	return errors.Join(errs...)
}

func stepIDs(v *policy.Version) []string {
	ids := make([]string, len(v.Steps))
	for i, s := range v.Steps {
		ids[i] = s.ID
	}
	return ids
}

// KnowsStep reports whether the pack in force on d has ladder step id, and if not,
// a did-you-mean suggestion (possibly empty).
func (e *Engine) KnowsStep(id string, d calendar.Date) (bool, string) {
	if e == nil || e.pack == nil {
		return false, ""
	}
	v := e.pack.At(d)
	if _, ok := v.Step(id); ok {
		return true, ""
	}
	return false, suggest.DidYouMean(id, stepIDs(v))
}

// Evaluation is a history evaluated as of a date: every event classified, the facts,
// the designations that hold, and the ladder steps that are due.
type Evaluation struct {
	Student string        `json:"student"`
	AsOf    calendar.Date `json:"as_of"`
	// Compulsory says whether the student is bound to attend on the date, when the
	// pack says who is; truancy designations and steps apply only then.
	Compulsory   *bool                   `json:"compulsory,omitempty"`
	Events       []Classified            `json:"events"`
	Facts        escalation.Facts        `json:"facts"`
	Designations []escalation.Designated `json:"designations"`
	Next         *escalation.Due         `json:"next"`
	Due          []escalation.Due        `json:"due"`
	// Review lists steps done that would not have been due on the absences as they are
	// classified now (a letter sent on an absence since excused), for staff to review.
	Review []escalation.Review `json:"review,omitempty"`
}

// Designated is a designation (truant, chronic absence, ...) that holds, and why.
type Designated = escalation.Designated

// Due is a ladder step that is due, and why; see [escalation.Due].
type Due = escalation.Due

// Evaluate classifies h and evaluates the ladder as of asOf: the facts counted up to
// asOf, every step whose conditions hold and that was not done (in ladder order), and
// the next step. A zero asOf means the date of the last event that can be classified.
// Like [Engine.Classify], it returns a *HistoryError naming the events it had to
// reject, together with the evaluation of the others; problems of several kinds are
// joined (errors.Join), so errors.As finds each.
func (e *Engine) Evaluate(h *History, asOf calendar.Date) (*Evaluation, error) {
	if err := e.check(h); err != nil {
		return nil, err
	}
	asOf = e.asOf(h, asOf)
	events := classify.Classify(e.pack, h, asOf, e.classifyOptions()...)
	err := historyError(h, events)
	v := e.pack.At(asOf)
	var opts []escalation.Option
	if e.brief {
		opts = append(opts, escalation.Brief())
	}
	res := escalation.Evaluate(escalation.Input{Version: v, History: h, Results: events, AsOf: asOf, CaseClosed: classify.CaseClosed(e.pack, h, asOf)}, opts...)
	out := &Evaluation{Student: h.Student.ID, AsOf: asOf, Compulsory: res.Compulsory, Events: events, Facts: res.Facts,
		Designations: res.Designations, Due: res.Due, Next: res.Next, Review: res.Review}
	if out.Due == nil {
		out.Due = []escalation.Due{}
	}
	if out.Designations == nil {
		out.Designations = []escalation.Designated{}
	}
	if err == nil && len(res.Errors) == 0 {
		return out, nil
	}
	errs := []error{err}
	for _, re := range res.Errors {
		errs = append(errs, fmt.Errorf("rollcall: pack %s: student %s: %w", e.pack.Name, safeID(h.Student.ID), re))
	}
	return out, errors.Join(errs...)
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

// Actions returns the pack's daily actions for the events of h on date (a call home,
// a robocall), in event order then action order. An action sees each event exactly as
// the classification rules last saw it (the same counts, steps and flags).
func (e *Engine) Actions(h *History, date calendar.Date) ([]DailyAction, error) {
	// The actions read each event as the rules saw it, which a brief classification
	// does not keep.
	cls, err := e.With(func(e *Engine) { e.brief = false }).Classify(h, date)
	if cls == nil {
		return nil, err
	}
	v := e.pack.At(date)
	var r policy.Runner
	out := []DailyAction{}
	for i, c := range cls.Events {
		if c.Rejected != "" || c.Date != date {
			continue
		}
		var env any = c.Env
		for _, a := range v.Actions {
			ok, aerr := a.When.Eval(&r, env)
			if aerr != nil {
				return out, fmt.Errorf("rollcall: action %s: %w", a.ID, aerr)
			}
			if ok {
				out = append(out, DailyAction{Action: a.ID, Title: a.Title, Actor: a.Actor, Do: a.Action, Date: date, Event: i, Citation: a.Citation})
			}
		}
	}
	return out, err
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
func (e *Engine) SignOut(req SignOutRequest) (SignOutDecision, error) {
	if e == nil || e.pack == nil {
		return SignOutDecision{}, errNoPack
	}
	v := e.pack.At(req.Date)
	env := policy.SignOut{Age: req.Student.AgeOn(req.Date), Grade: req.Student.GradeLevel(), Requester: req.Requester, OnEmergencyForm: req.OnEmergencyForm, ByPhone: req.ByPhone}
	var r policy.Runner
	for _, rule := range v.SignOut {
		ok, err := rule.When.Eval(&r, env)
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
