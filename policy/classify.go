package policy

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/expr-lang/expr/vm"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/codes"
)

// Input is one recorded attendance event to classify. The caller has checked it against
// the calendar and the student's enrolment.
type Input struct {
	Date       calendar.Date
	Year       int // index of the school year holding Date, for caps per school year
	Ordinal    int // the school day's ordinal in the calendar, for caps per occurrence
	Code       string
	Minutes    int // minutes missed; 0 means the whole day
	DayMinutes int // minutes in the school day
	Documents  []string
	Flags      []string // student flags that hold on Date
	Comment    string
	Reason     string
	Age        int
	Grade      string
}

// Done is a ladder step done on a date (an intervention).
type Done struct {
	Step string
	Date calendar.Date
	Year int // index of the school year holding Date, for effects that apply to the school year
}

// Decision is the classification of one event.
type Decision struct {
	Code            string        // as recorded
	EffectiveCode   string        // after caps and rules
	Status          codes.Status  // of the effective code
	Excuse          codes.Excuse  // none for present codes
	Span            codes.Span    // of the effective code
	Minutes         int           // minutes missed (for a present code, the minutes recorded, e.g. late to class)
	Days            float64       // school days missed: Minutes over the day's minutes (0 when present)
	Missing         codes.Missing // what would excuse it, when unverified
	CommentRequired bool
	Tags            []string // the effective code's tags
	Notes           []Note   // why, in the order things were decided
	Rejected        string   // when not empty, the event could not be classified, and why
}

// Note says what decided part of a classification.
type Note struct {
	Source   string `json:"source"` // "code MED", "cap parent-authorized", "rule untyped-appointment", "step medical-letter"
	Text     string `json:"text"`
	Citation string `json:"citation,omitempty"`
}

var vms = sync.Pool{New: func() any { return new(vm.VM) }}

// Classify classifies events in date order (caps and rules depend on what came before;
// events on one date keep their input order) and returns one decision per input, in
// input order. done lists the ladder steps done so far; a step's effects apply to
// events after its date. An input with an unknown code is rejected, not dropped.
func (p *Pack) Classify(in []Input, done []Done) []Decision {
	order := make([]int, len(in))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return in[order[a]].Date.Before(in[order[b]].Date) })

	out := make([]Decision, len(in))
	c := classifier{p: p, done: done, caps: map[string]*capState{}, tally: map[int]*Tally{}}
	m := vms.Get().(*vm.VM)
	defer vms.Put(m)
	c.vm = m
	for _, i := range order {
		out[i] = c.classify(&in[i])
	}
	return out
}

type classifier struct {
	p     *Pack
	done  []Done
	caps  map[string]*capState
	tally map[int]*Tally
	vm    *vm.VM
}

type capState struct {
	perYear map[int][]calendar.Date // counted days by school year
	run     []calendar.Date         // counted days of the current occurrence
	lastOrd int                     // ordinal of the last school day of the group seen
}

// state is a classification in progress.
type state struct {
	in      *Input
	code    *codes.Code
	docs    codes.Requirement   // what excuses it
	extra   []codes.Requirement // also required (caps)
	forced  *codes.Excuse
	excuse  codes.Excuse
	missing codes.Missing
	notes   []Note
}

func (c *classifier) classify(in *Input) Decision {
	v := c.p.At(in.Date)
	code, ok := v.Codes.Lookup(in.Code)
	if !ok {
		return Decision{Code: in.Code, Rejected: fmt.Sprintf("unknown code %q%s", in.Code, didYouMean(in.Code, codeIDs(v)))}
	}
	s := &state{in: in, code: code, docs: code.Documents}
	c.judge(s)
	s.note("code "+code.ID, c.describe(s), code.Citation)

	documented := s.excuse == codes.Excused
	for _, cp := range v.Caps {
		if !slices.Contains(cp.Codes, code.ID) {
			continue
		}
		used, counted := c.used(cp, in)
		if used >= cp.Limit && !counted {
			before := s.excuse
			c.apply(s, cp.Past, v)
			text := fmt.Sprintf("day %d of %s %s, past the limit of %d: %s", used+1, strings.Join(cp.Codes, "/"), perText(cp.Per), cp.Limit, effectText(cp.Past))
			if cp.Past.Note != "" {
				text = cp.Past.Note + " " + text
			}
			if before != s.excuse {
				text += fmt.Sprintf(" (%s, not %s)", s.excuse, before)
			}
			s.note("cap "+cp.ID, text, cp.Citation)
		}
		c.record(cp, in, cp.CountsAll || documented)
	}

	// Rules run until none applies any more, each at most once, so that a rule that
	// changes what excuses an absence and one that reacts to the result work in either
	// order.
	steps := c.stepsBefore(in.Date)
	applied := make([]bool, len(v.Rules))
	for changed := true; changed && len(v.Rules) > 0; {
		changed = false
		var env any = c.env(s, v, steps) // boxed once per pass; rebuilt after a rule applies
		for k, ru := range v.Rules {
			if applied[k] || (ru.Step != "" && !c.inEffect(ru, in, steps)) {
				continue
			}
			res, err := c.vm.Run(ru.program, env)
			if err != nil {
				applied[k] = true
				s.note(ru.source(), "not applied: the condition failed to run: "+err.Error(), ru.Citation)
				continue
			}
			if res != true {
				continue
			}
			applied[k], changed = true, true
			before, beforeCode := s.excuse, s.code.ID
			c.apply(s, ru.Then, v)
			env = c.env(s, v, steps)
			text := ru.Then.Note
			if text == "" {
				text = effectText(ru.Then)
			}
			if s.code.ID != beforeCode {
				text += fmt.Sprintf(" (re-coded %s to %s)", beforeCode, s.code.ID)
			}
			if before != s.excuse {
				text += fmt.Sprintf(" (%s, not %s)", s.excuse, before)
			}
			s.note(ru.source(), text, ru.Citation)
		}
	}

	d := Decision{
		Code:            in.Code,
		EffectiveCode:   s.code.ID,
		Status:          s.code.Status,
		Excuse:          s.excuse,
		Span:            s.code.Span,
		Missing:         s.missing,
		CommentRequired: code.Comment.Required,
		Tags:            s.code.Tags,
		Notes:           s.notes,
	}
	if problem := code.Comment.Check(in.Comment); problem != "" {
		d.Notes = append(d.Notes, Note{Source: "code " + code.ID + " comment", Text: problem, Citation: code.Citation})
	}
	d.Minutes = in.Minutes
	if s.code.Status == codes.Absent {
		if d.Minutes <= 0 || d.Minutes > in.DayMinutes {
			d.Minutes = in.DayMinutes
		}
		if in.DayMinutes > 0 {
			d.Days = float64(d.Minutes) / float64(in.DayMinutes)
		}
	}
	t := c.tally[in.Year]
	if t == nil {
		t = &Tally{}
		c.tally[in.Year] = t
	}
	t.Absences += d.Days
	switch d.Excuse {
	case codes.Excused:
		t.Excused += d.Days
	case codes.Unexcused:
		t.Unexcused += d.Days
	case codes.Unverified:
		t.Unverified += d.Days
	}
	return d
}

func (s *state) note(source, text, citation string) {
	s.notes = append(s.notes, Note{Source: source, Text: text, Citation: citation})
}

// judge sets the excuse from the current code, documentation and evidence.
func (c *classifier) judge(s *state) {
	s.missing = codes.Missing{}
	switch {
	case s.code.Status == codes.Present:
		s.excuse = codes.None
	case s.code.Excuse == codes.Excused:
		req := s.docs
		if len(s.extra) > 0 {
			req = codes.All(append([]codes.Requirement{s.docs}, s.extra...)...)
		}
		ok, missing := req.Check(codes.Evidence{Documents: s.in.Documents, Flags: s.in.Flags})
		if ok {
			s.excuse = codes.Excused
		} else {
			s.excuse, s.missing = codes.Unverified, missing
		}
	default:
		s.excuse = s.code.Excuse
	}
	if s.forced != nil {
		s.excuse = *s.forced
		if s.excuse != codes.Unverified {
			s.missing = codes.Missing{}
		}
	}
}

func (c *classifier) describe(s *state) string {
	switch s.excuse {
	case codes.None:
		return "counts as present"
	case codes.Excused:
		if s.docs.IsZero() {
			return "excused"
		}
		return "excused: documented by " + s.docs.String()
	case codes.Unverified:
		if s.code.Excuse == codes.Excused {
			return "unverified until documented by " + s.docs.String()
		}
		return "unverified: the cause is not yet known to excuse it"
	}
	return s.excuse.String()
}

// apply carries out an effect and judges again.
func (c *classifier) apply(s *state, e Effect, v *Version) {
	if e.Recode != nil {
		to, ok := e.Recode[s.code.ID]
		if !ok {
			to, ok = e.Recode["*"]
		}
		if code, found := v.Codes.Lookup(to); ok && found && code.ID != s.code.ID {
			s.code, s.docs = code, code.Documents
		}
	}
	if e.Documents != nil {
		s.docs = *e.Documents
	}
	if e.Require != nil {
		s.extra = append(s.extra, *e.Require)
	}
	if e.ExcuseSet {
		x := e.Excuse
		s.forced = &x
	}
	c.judge(s)
}

func (c *classifier) capState(cp *Cap) *capState {
	st := c.caps[cp.ID]
	if st == nil {
		st = &capState{perYear: map[int][]calendar.Date{}, lastOrd: -2}
		c.caps[cp.ID] = st
	}
	return st
}

// used returns the days of the cap's group counted before in's date, and whether in's
// date is already counted.
func (c *classifier) used(cp *Cap, in *Input) (used int, counted bool) {
	st := c.capState(cp)
	if cp.Per == PerOccurrence {
		if in.Ordinal != st.lastOrd && in.Ordinal != st.lastOrd+1 {
			return 0, false // a new occurrence
		}
		counted = slices.Contains(st.run, in.Date)
		if counted {
			return slices.Index(st.run, in.Date), true
		}
		return len(st.run), false
	}
	days := st.perYear[in.Year]
	if i := slices.Index(days, in.Date); i >= 0 {
		return i, true
	}
	return len(days), false
}

// record notes in's date for the cap: it continues (or starts) an occurrence, and it
// counts toward the limit when count is true.
func (c *classifier) record(cp *Cap, in *Input, count bool) {
	st := c.capState(cp)
	if cp.Per == PerOccurrence {
		if in.Ordinal != st.lastOrd && in.Ordinal != st.lastOrd+1 {
			st.run = st.run[:0]
		}
		st.lastOrd = in.Ordinal
		if count && !slices.Contains(st.run, in.Date) {
			st.run = append(st.run, in.Date)
		}
		return
	}
	if count && !slices.Contains(st.perYear[in.Year], in.Date) {
		st.perYear[in.Year] = append(st.perYear[in.Year], in.Date)
	}
}

// inEffect reports whether a step's effect applies to in: the step was done before in's
// date, or, for an effect on the school year, at any time in in's school year.
func (c *classifier) inEffect(ru *Rule, in *Input, steps []string) bool {
	if slices.Contains(steps, ru.Step) {
		return true
	}
	if ru.SchoolYear {
		for _, d := range c.done {
			if d.Step == ru.Step && d.Year == in.Year {
				return true
			}
		}
	}
	return false
}

func (c *classifier) stepsBefore(d calendar.Date) []string {
	var out []string
	for _, s := range c.done {
		if s.Date.Before(d) && !slices.Contains(out, s.Step) {
			out = append(out, s.Step)
		}
	}
	return out
}

// source names the rule in notes.
func (ru *Rule) source() string {
	if ru.Step != "" {
		return "step " + ru.Step
	}
	return "rule " + ru.ID
}

// EventOf returns the [Event] a rule or an action sees for a decided input, with the
// ladder steps done before its date.
func EventOf(in Input, d Decision, steps []string) Event {
	e := Event{
		Date: in.Date.String(), Weekday: in.Date.Weekday().String(),
		Code: d.EffectiveCode, Original: in.Code,
		Status: d.Status.String(), Excuse: d.Excuse.String(), Span: d.Span.String(),
		Minutes: d.Minutes, DayMinutes: in.DayMinutes,
		Tags: d.Tags, Documents: in.Documents, Missing: d.Missing.Documents, Flags: in.Flags,
		Comment: in.Comment, Reason: in.Reason, Steps: steps, Age: in.Age, Grade: in.Grade,
	}
	if e.Minutes <= 0 {
		e.Minutes = in.DayMinutes
	}
	return e
}

func (c *classifier) env(s *state, v *Version, steps []string) Event {
	in := s.in
	e := Event{
		Date: in.Date.String(), Weekday: in.Date.Weekday().String(),
		Code: s.code.ID, Original: in.Code,
		Status: s.code.Status.String(), Excuse: s.excuse.String(), Span: s.code.Span.String(),
		Minutes: in.Minutes, DayMinutes: in.DayMinutes,
		Tags: s.code.Tags, Documents: in.Documents, Missing: s.missing.Documents, Flags: in.Flags,
		Comment: in.Comment, Reason: in.Reason, Steps: steps, Age: in.Age, Grade: in.Grade,
	}
	if e.Minutes <= 0 {
		e.Minutes = in.DayMinutes
	}
	if t := c.tally[in.Year]; t != nil {
		e.Year = *t
	}
	return e
}

func perText(p Per) string {
	if p == PerOccurrence {
		return "in this occurrence"
	}
	return "this school year"
}

// effectText describes an effect for people.
func effectText(e Effect) string {
	var parts []string
	if e.Recode != nil {
		var pairs []string
		for from, to := range e.Recode {
			if from == "*" {
				pairs = append(pairs, "re-code to "+to)
			} else {
				pairs = append(pairs, from+" becomes "+to)
			}
		}
		sort.Strings(pairs)
		parts = append(parts, strings.Join(pairs, ", "))
	}
	if e.Documents != nil {
		parts = append(parts, "only "+e.Documents.String()+" excuses it")
	}
	if e.Require != nil {
		parts = append(parts, "also requires "+e.Require.String())
	}
	if e.ExcuseSet {
		parts = append(parts, "counts as "+e.Excuse.String())
	}
	if e.Note != "" && len(parts) == 0 {
		return e.Note
	}
	return strings.Join(parts, "; ")
}

func codeIDs(v *Version) []string {
	ids := make([]string, 0, v.Codes.Len())
	for _, c := range v.Codes.All() {
		ids = append(ids, c.ID)
	}
	return ids
}
