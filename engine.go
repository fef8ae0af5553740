package rollcall

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/codes"
	"github.com/rollcall-go/rollcall/internal/suggest"
	"github.com/rollcall-go/rollcall/policy"
)

// Engine makes attendance decisions under one policy pack.
//
// An Engine is immutable and safe for concurrent use by many goroutines. It keeps no
// state between calls: every call decides from the history it is given, so re-coding an
// absence or adding a document and calling again re-evaluates everything after it.
type Engine struct {
	pack *policy.Pack
}

// New returns an engine for a loaded pack.
func New(p *policy.Pack) *Engine { return &Engine{pack: p} }

// Open returns an engine for the embedded pack with the given name, e.g. "ccs".
func Open(name string) (*Engine, error) {
	p, err := policy.Embedded(name)
	if err != nil {
		return nil, err
	}
	return New(p), nil
}

// Pack returns the engine's pack.
func (e *Engine) Pack() *policy.Pack { return e.pack }

// Classification is the classification of every event of a history, in input order.
type Classification struct {
	Student string       `json:"student"`
	Events  []Classified `json:"events"`
}

// Classified is the decision on one event. A rejected event keeps its place with the
// reason in Rejected and nothing else decided.
type Classified struct {
	Date             calendar.Date `json:"date"`
	Code             string        `json:"code"`
	EffectiveCode    string        `json:"effective_code"`
	Status           string        `json:"status"` // present or absent
	Excuse           string        `json:"excuse"` // excused, unexcused, unverified or none
	Span             string        `json:"span"`
	Minutes          int           `json:"minutes"` // minutes missed
	Days             float64       `json:"days"`    // school days missed
	MissingDocuments []string      `json:"missing_documents"`
	MissingFlags     []string      `json:"missing_flags,omitempty"`
	CommentRequired  bool          `json:"comment_required"`
	EdFi             string        `json:"edfi_category,omitempty"`
	Notes            []policy.Note `json:"notes"`
	Rejected         string        `json:"rejected,omitempty"`

	decision policy.Decision
}

// Decision returns the underlying policy decision (zero for a rejected event).
func (c Classified) Decision() policy.Decision { return c.decision }

// EventError is a problem with one event of a history.
type EventError struct {
	Index int // 0-based position in the input
	Event Event
	Msg   string
}

func (e EventError) Error() string {
	return fmt.Sprintf("event %d (%s %s): %s", e.Index+1, e.Event.Date, e.Event.Code, e.Msg)
}

// HistoryError lists every event of a student's history that could not be classified.
// The classification that comes with it still holds every event, the rejected ones
// marked with their reason.
type HistoryError struct {
	Student string
	Events  []EventError
}

func (e *HistoryError) Error() string {
	var b strings.Builder
	for i, ev := range e.Events {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "student %s: %s", e.Student, ev.Error())
	}
	return b.String()
}

// Classify classifies every event of h. Events are decided in date order, since caps
// and the effects of ladder steps depend on what came before; the result keeps input
// order, one entry per event. When some events cannot be classified (unknown code, a
// day without school, outside enrolment, ...) Classify returns the classification with
// those events marked rejected, and a *HistoryError naming each.
func (e *Engine) Classify(h *History) (*Classification, error) {
	if err := e.checkInterventions(h); err != nil {
		return nil, err
	}
	out, herr := e.classify(h)
	if herr != nil {
		return out, herr
	}
	return out, nil
}

func (e *Engine) checkInterventions(h *History) error {
	if h == nil || h.Calendar == nil {
		return fmt.Errorf("rollcall: a history needs a calendar")
	}
	for i, iv := range h.Interventions {
		if iv.Date.IsZero() {
			return fmt.Errorf("student %s: intervention %d (%s): no date", h.Student.ID, i+1, iv.Step)
		}
		if !e.knowsStep(iv.Step, iv.Date) {
			return fmt.Errorf("student %s: intervention %d (%s %s): unknown step %q for pack %s%s", h.Student.ID, i+1, iv.Date, iv.Step, iv.Step, e.pack.Name, suggestStep(iv.Step, e.stepIDs(iv.Date)))
		}
	}
	return nil
}

func (e *Engine) classify(h *History) (*Classification, *HistoryError) {
	out := &Classification{Student: h.Student.ID, Events: make([]Classified, len(h.Events))}
	var herr *HistoryError
	reject := func(i int, msg string) {
		if herr == nil {
			herr = &HistoryError{Student: h.Student.ID}
		}
		herr.Events = append(herr.Events, EventError{Index: i, Event: h.Events[i], Msg: msg})
		ev := h.Events[i]
		out.Events[i] = Classified{Date: ev.Date, Code: ev.Code, Rejected: msg, Notes: []policy.Note{}, MissingDocuments: []string{}}
	}

	done := make([]policy.Done, len(h.Interventions))
	for i, iv := range h.Interventions {
		year, _ := h.Calendar.YearOf(iv.Date)
		done[i] = policy.Done{Step: iv.Step, Date: iv.Date, Year: year}
	}
	inputs := make([]policy.Input, 0, len(h.Events))
	index := make([]int, 0, len(h.Events))
	seen := make(map[calendar.Date][]int, len(h.Events))
	for i, ev := range h.Events {
		if msg := e.check(h, i, seen); msg != "" {
			reject(i, msg)
			continue
		}
		seen[ev.Date] = append(seen[ev.Date], i)
		year, _ := h.Calendar.YearOf(ev.Date)
		in := policy.Input{
			Date: ev.Date, Year: year, Ordinal: h.Calendar.Ordinal(ev.Date),
			Code: ev.Code, Minutes: ev.Minutes, DayMinutes: h.Calendar.Minutes(ev.Date),
			Documents: ev.Documents, Comment: ev.Comment, Reason: ev.Reason,
			Age: h.Student.AgeOn(ev.Date), Grade: h.Student.Grade,
		}
		for _, f := range h.Student.Flags {
			if f.Holds(ev.Date) && !slices.Contains(in.Flags, f.Name) {
				in.Flags = append(in.Flags, f.Name)
			}
		}
		inputs = append(inputs, in)
		index = append(index, i)
	}
	decisions := e.pack.Classify(inputs, done)
	for k, d := range decisions {
		i := index[k]
		if d.Rejected != "" {
			reject(i, d.Rejected)
			continue
		}
		out.Events[i] = classified(h.Events[i], d, e.pack.At(h.Events[i].Date))
	}
	if herr != nil {
		slices.SortFunc(herr.Events, func(a, b EventError) int { return a.Index - b.Index })
	}
	return out, herr
}

func classified(ev Event, d policy.Decision, v *policy.Version) Classified {
	c := Classified{
		Date: ev.Date, Code: d.Code, EffectiveCode: d.EffectiveCode,
		Status: d.Status.String(), Excuse: d.Excuse.String(), Span: d.Span.String(),
		Minutes: d.Minutes, Days: d.Days,
		MissingDocuments: d.Missing.Documents, MissingFlags: d.Missing.Flags,
		CommentRequired: d.CommentRequired, Notes: d.Notes, decision: d,
	}
	if c.MissingDocuments == nil {
		c.MissingDocuments = []string{}
	}
	if c.Notes == nil {
		c.Notes = []policy.Note{}
	}
	if code, ok := v.Codes.Lookup(d.EffectiveCode); ok {
		c.EdFi = edfiCategory(code, d.Excuse)
	}
	for _, doc := range ev.Documents {
		if !slices.ContainsFunc(v.Documents, func(t policy.Term) bool { return t.ID == doc }) {
			ids := make([]string, len(v.Documents))
			for i, t := range v.Documents {
				ids[i] = t.ID
			}
			c.Notes = append(c.Notes, policy.Note{Source: "input", Text: fmt.Sprintf("unknown document %q ignored%s", doc, suggestStep(doc, ids))})
		}
	}
	return c
}

// edfiCategory is the Ed-Fi category of a decided event: the code's own, except that a
// code that excuses once documented, but was not excused (documentation missing, a cap
// spent, a rule), reports as an unexcused absence.
func edfiCategory(code *codes.Code, x codes.Excuse) string {
	if code.EdFi == codes.EdFiExcusedAbsence && code.Excuse == codes.Excused && x != codes.Excused {
		return codes.EdFiUnexcusedAbsence
	}
	return code.EdFi
}

// check returns why event i cannot be classified, or "".
func (e *Engine) check(h *History, i int, seen map[calendar.Date][]int) string {
	ev := h.Events[i]
	cal := h.Calendar
	switch {
	case ev.Date.IsZero():
		return "no date"
	case ev.Code == "":
		return "no code"
	case ev.Date.Before(cal.First()) || ev.Date.After(cal.Last()):
		return fmt.Sprintf("%s is outside the school calendar (%s to %s)", ev.Date, cal.First(), cal.Last())
	case !cal.IsSchoolDay(ev.Date):
		if wd := ev.Date.Weekday(); wd == 0 || wd == 6 {
			return fmt.Sprintf("%s is a %s, not a school day", ev.Date, wd)
		}
		return fmt.Sprintf("%s is not a school day (closed)", ev.Date)
	case len(h.Enrolment) > 0 && !h.Enrolment.Contains(ev.Date):
		return fmt.Sprintf("the student is not enrolled on %s", ev.Date)
	case ev.Minutes < 0:
		return fmt.Sprintf("minutes %d is negative", ev.Minutes)
	case ev.Minutes > cal.Minutes(ev.Date):
		return fmt.Sprintf("minutes %d is more than the day's %d", ev.Minutes, cal.Minutes(ev.Date))
	}
	code, known := e.pack.At(ev.Date).Codes.Lookup(ev.Code)
	for _, j := range seen[ev.Date] {
		other := h.Events[j]
		if other.Code == ev.Code {
			return fmt.Sprintf("duplicate: event %d has the same date and code", j+1)
		}
		oc, ok := e.pack.At(other.Date).Codes.Lookup(other.Code)
		if known && ok && code.Status == codes.Absent && oc.Status == codes.Absent && (code.Span == codes.FullDay || oc.Span == codes.FullDay) && ev.Minutes == 0 && other.Minutes == 0 {
			return fmt.Sprintf("conflicts with event %d: two absences on %s and one is for the whole day", j+1, ev.Date)
		}
	}
	return ""
}

func suggestStep(s string, ids []string) string { return suggest.DidYouMean(s, ids) }

// knowsStep reports whether the pack's ladder in force on d has step id.
func (e *Engine) knowsStep(id string, d calendar.Date) bool {
	return slices.Contains(e.stepIDs(d), id)
}

func (e *Engine) stepIDs(d calendar.Date) []string {
	var ids []string
	for _, s := range e.pack.At(d).Ladder.Steps {
		ids = append(ids, s.ID)
	}
	return ids
}
