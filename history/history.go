// Package history holds one student's attendance record as rollcall reads it: the
// student, the school calendar, the enrolment, the recorded events and the ladder steps
// already done, and its JSON form (the command-line contract).
package history

import (
	"github.com/rollcall-go/rollcall/internal/safetext"

	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/rollcall-go/rollcall/calendar"
)

// History is one student's attendance record: who the student is, the school calendar,
// the enrolment, the recorded events and the ladder steps already done.
type History struct {
	Student       Student
	Calendar      *calendar.Calendar
	Enrolment     calendar.Enrolment // empty: enrolled every day of the calendar
	Events        []Event
	Interventions []Intervention
}

// Student is who a history is about. Name and Guardians are optional: only letters
// and pages made for staff print them (never messages, errors or logs).
type Student struct {
	ID        string        `json:"id"`
	BirthDate calendar.Date `json:"birth_date"`
	Grade     string        `json:"grade"`
	School    string        `json:"school,omitempty"`
	Flags     []Flag        `json:"flags"`
	Name      string        `json:"name,omitempty"`
	Guardians []Guardian    `json:"guardians,omitempty"`
}

// Guardian is a parent or guardian letters are sent to. Language is the language
// letters to the guardian are written in, as a BCP 47 tag ("en", "es", "es-MX"; empty:
// English). Address is the postal address, its lines separated by newlines. Guardians
// who share an address get one letter.
type Guardian struct {
	Name     string `json:"name"`
	Language string `json:"language,omitempty"`
	Address  string `json:"address,omitempty"`
	Phone    string `json:"phone,omitempty"`
	Email    string `json:"email,omitempty"`
}

// Flag is a student flag that holds from one date to another (both inclusive; a zero
// To is open-ended), such as project-connect.
type Flag struct {
	Name string        `json:"name"`
	From calendar.Date `json:"from"`
	To   calendar.Date `json:"to"`
}

// Holds reports whether the flag holds on d.
func (f Flag) Holds(d calendar.Date) bool {
	return !d.Before(f.From) && (f.To.IsZero() || !d.After(f.To))
}

// Event is one recorded attendance event. Minutes is the time missed on a partial
// day; zero means the whole day. Occurrence links the days of one event (one death,
// one trip) for caps counted per occurrence.
type Event struct {
	Date       calendar.Date `json:"date"`
	Code       string        `json:"code"`
	Minutes    int           `json:"minutes,omitempty"`
	Documents  []string      `json:"documents,omitempty"`
	Comment    string        `json:"comment,omitempty"`
	Reason     string        `json:"reason,omitempty"` // free text: "dentist appointment"
	Occurrence string        `json:"occurrence,omitempty"`
	// Documented is when the documentation was received, when the SIS records it
	// (packs may ask more of a late note).
	Documented calendar.Date `json:"documented,omitzero"`
}

// Intervention is a ladder step done on a date, with what came of it. An outcome is
// one the pack declares for the step (or "waived", which needs a Note); it is seen
// from OutcomeDate on (the intervention's Date when zero), while deadlines count
// from Date.
type Intervention struct {
	Step        string        `json:"step"`
	Date        calendar.Date `json:"date"`
	Outcome     string        `json:"outcome,omitempty"`
	OutcomeDate calendar.Date `json:"outcome_date,omitzero"`
	Actor       string        `json:"actor,omitempty"`
	Note        string        `json:"note,omitempty"`
}

// OutcomeSeen returns the intervention's outcome as seen on d: empty before its
// outcome date.
func (iv Intervention) OutcomeSeen(d calendar.Date) string {
	at := iv.OutcomeDate
	if at.IsZero() {
		at = iv.Date
	}
	if d.Before(at) {
		return ""
	}
	return iv.Outcome
}

// FlagsOn returns the names of the student's flags that hold on d.
func (s Student) FlagsOn(d calendar.Date) []string {
	var out []string
	for _, f := range s.Flags {
		if f.Holds(d) && !slices.Contains(out, f.Name) {
			out = append(out, f.Name)
		}
	}
	return out
}

// AgeOn returns the student's age in whole years on d, or 0 when the birth date is unknown.
func (s Student) AgeOn(d calendar.Date) int {
	a := s.Ages()
	return a.On(d)
}

// Ages returns the student's ages, for a caller that asks the age on many dates.
func (s Student) Ages() Ages {
	a := Ages{birth: s.BirthDate}
	a.by, a.bm, a.bd = s.BirthDate.Date()
	return a
}

// Ages answers a student's age on many dates: the birth date is read once, and a date
// within the year of age last answered is answered without reading it. An Ages is not
// safe for concurrent use.
type Ages struct {
	birth       calendar.Date
	by, bd      int
	bm          time.Month
	from, until calendar.Date // the age on [from, until) is age
	age         int
}

// On returns the age in whole years on d (one more on each birthday; on March 1 in a
// common year for a birthday on February 29), or 0 when the birth date is unknown or
// after d.
func (a *Ages) On(d calendar.Date) int {
	if a.birth.IsZero() || d.Before(a.birth) {
		return 0
	}
	if !d.Before(a.from) && d.Before(a.until) {
		return a.age
	}
	y, _, _ := d.Date()
	// this year's birthday; NewDate makes February 29 of a common year March 1
	from, until, age := calendar.NewDate(y, a.bm, a.bd), calendar.NewDate(y+1, a.bm, a.bd), y-a.by
	if d.Before(from) {
		from, until, age = calendar.NewDate(y-1, a.bm, a.bd), from, age-1
	}
	if !from.IsZero() && !until.IsZero() {
		a.from, a.until, a.age = from, until, age
	}
	return age
}

// The JSON form of a history (the command-line contract in DESIGN.md).
type jsonHistory struct {
	Student       Student         `json:"student"`
	Calendar      *jsonYear       `json:"calendar"`
	Calendars     []jsonYear      `json:"calendars"` // several school years, earliest first
	Enrolled      json.RawMessage `json:"enrolled"`
	Events        []Event         `json:"events"`
	Interventions []Intervention  `json:"interventions"`
}

type jsonYear struct {
	Name          string             `json:"name"`
	FirstDay      calendar.Date      `json:"first_day"`
	LastDay       calendar.Date      `json:"last_day"`
	Closed        []calendar.Date    `json:"closed"`
	HalfDays      []calendar.HalfDay `json:"half_days"`
	MinutesPerDay int                `json:"minutes_per_day"`
	Terms         []calendar.Term    `json:"terms"`
}

func (y jsonYear) year() calendar.Year {
	return calendar.Year{Name: y.Name, FirstDay: y.FirstDay, LastDay: y.LastDay, Closed: y.Closed, HalfDays: y.HalfDays, MinutesPerDay: y.MinutesPerDay, Terms: y.Terms}
}

// DecodeError is a history or calendar that cannot be decoded. Line and Column (both
// 1-based) place it in the input when the JSON decoder gives a position (a syntax
// error, a value of the wrong JSON type); they are 0 when it does not, as for a value
// that is well-formed JSON but not valid (a bad date, an impossible calendar), which
// Msg places by the part of the history it is in ("event 3: ...").
type DecodeError struct {
	File         string // the name the input was given, such as a file name or "stdin"
	Line, Column int
	Student      string // the history's student id, when known
	Msg          string

	err error // the error behind Msg, if any
}

// Error formats the problem as "file:line:col: msg" when it has a position, and as
// "file: student S: msg" (or "file: msg") when it does not. A message of several
// problems (a calendar's) has one line each, each with that prefix. A student id that
// is not a plain token is quoted, and control characters and bidirectional overrides
// anywhere are escaped, so that no input can forge a line of output.
func (e *DecodeError) Error() string {
	var p strings.Builder
	p.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&p, ":%d:%d", e.Line, e.Column)
	}
	p.WriteString(": ")
	if e.Student != "" {
		p.WriteString("student " + safetext.ShowID(e.Student) + ": ")
	}
	prefix := safetext.Escape(p.String())
	var b strings.Builder
	for i, line := range strings.Split(e.Msg, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(prefix + safetext.Escape(line))
	}
	return b.String()
}

// Unwrap returns the error behind the message, or nil: the [*json.SyntaxError] or
// [*json.UnmarshalTypeError] of a position, the [calendar.New] error of a calendar that
// is not valid.
func (e *DecodeError) Unwrap() error { return e.err }

// Decode reads one history in the JSON form of the command-line contract.
// Unknown fields are errors. name identifies the input in errors (a file name, or
// "stdin"). Errors are [*DecodeError].
func Decode(data []byte, name string) (*History, error) {
	var jh jsonHistory
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&jh); err != nil {
		if student, where, perr := locate(data); perr != nil {
			msg := strings.TrimPrefix(strings.TrimPrefix(perr.Error(), "json: "), "calendar: ")
			return nil, &DecodeError{File: name, Student: student, Msg: where + ": " + safetext.Redact(msg), err: perr}
		}
		return nil, jsonError(name, data, err, "a JSON history")
	}
	if dec.More() {
		return nil, &DecodeError{File: name, Msg: "more than one JSON value (one history per input; use JSON Lines for a roster)"}
	}
	if rest := bytes.TrimSpace(data[dec.InputOffset():]); len(rest) > 0 {
		return nil, &DecodeError{File: name, Msg: fmt.Sprintf("unexpected %q after the history", rest[:1])}
	}
	fail := func(err error, format string, args ...any) *DecodeError {
		return &DecodeError{File: name, Student: jh.Student.ID, Msg: safetext.Redact(fmt.Sprintf(format, args...)), err: err}
	}
	var years []calendar.Year
	switch {
	case jh.Calendar != nil && len(jh.Calendars) > 0:
		return nil, fail(nil, "give calendar or calendars, not both")
	case jh.Calendar != nil:
		years = []calendar.Year{jh.Calendar.year()}
	case len(jh.Calendars) > 0:
		for _, y := range jh.Calendars {
			years = append(years, y.year())
		}
	default:
		return nil, fail(nil, "no calendar")
	}
	if err := checkYears(years); len(years) > 1 && err != nil {
		return nil, fail(err, "calendars: %v", err)
	}
	cal, err := calendar.New(years...)
	if err != nil {
		return nil, fail(err, "calendar: %v", err)
	}
	enr, err := decodeEnrolment(jh.Enrolled)
	if err != nil {
		return nil, fail(err, "enrolled: %v", err)
	}
	return &History{Student: jh.Student, Calendar: cal, Enrolment: enr, Events: jh.Events, Interventions: jh.Interventions}, nil
}

// decodeEnrolment reads "enrolled": a date (enrolled from then on), a span
// {"from", "to"}, or a list of spans.
func decodeEnrolment(raw json.RawMessage) (calendar.Enrolment, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	type span struct {
		From calendar.Date `json:"from"`
		To   calendar.Date `json:"to"`
	}
	var spans []span
	switch raw[0] {
	case '"':
		var d calendar.Date
		if err := json.Unmarshal(raw, &d); err != nil {
			return nil, err
		}
		spans = []span{{From: d}}
	case '{':
		var s span
		if err := strictUnmarshal(raw, &s); err != nil {
			return nil, err
		}
		spans = []span{s}
	case '[':
		if err := strictUnmarshal(raw, &spans); err != nil {
			return nil, err
		}
	default:
		return nil, errors.New(`want a date "YYYY-MM-DD", {"from": ..., "to": ...}, or a list of those`)
	}
	var e calendar.Enrolment
	for _, s := range spans {
		if s.From.IsZero() {
			return nil, errors.New(`a span needs "from"`)
		}
		e = append(e, calendar.Span{From: s.From, To: s.To})
	}
	return e.Normalize()
}

func strictUnmarshal(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// JSONError places a JSON decoding error (from package encoding/json) at a line and
// column of data, the input named name: a syntax error at its bad byte, a value of the
// wrong JSON type just past the value (where the decoder reports it). An error without a position keeps Line 0; io.EOF (no
// JSON value at all) reads "empty input". It never returns nil.
func JSONError(name string, data []byte, err error) *DecodeError {
	return jsonError(name, data, err, "")
}

// jsonError is [JSONError], with what the input should hold for an empty one: "empty
// input: want <want>".
func jsonError(name string, data []byte, err error, want string) *DecodeError {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	msg := err.Error()
	switch {
	case errors.As(err, &se):
		off = max(se.Offset-1, 0) // Offset counts the bytes read, the bad one included
	case errors.As(err, &te):
		off = te.Offset
		msg = fmt.Sprintf("%s: want %s, not a JSON %s", te.Field, te.Type, te.Value)
	case errors.Is(err, io.EOF):
		msg = "empty input"
		if want != "" {
			msg += ": want " + want
		}
		return &DecodeError{File: name, Msg: msg} // not wrapped: io.EOF would read as the end of a stream
	}
	de := &DecodeError{File: name, Msg: safetext.Redact(strings.TrimPrefix(msg, "json: ")), err: err}
	if off < 0 {
		return de
	}
	de.Line, de.Column = 1, 1
	for _, b := range data[:min(int(off), len(data))] {
		if b == '\n' {
			de.Line, de.Column = de.Line+1, 1
		} else {
			de.Column++
		}
	}
	return de
}

// locate finds which part of a history fails to decode (a value error such as a bad
// date carries no position), by decoding the parts one by one: it returns the
// student's id when known, the part ("event 3") and the part's error, or a nil error.
func locate(data []byte) (student, where string, err error) {
	var parts struct {
		Student       json.RawMessage   `json:"student"`
		Calendar      json.RawMessage   `json:"calendar"`
		Calendars     []json.RawMessage `json:"calendars"`
		Events        []json.RawMessage `json:"events"`
		Interventions []json.RawMessage `json:"interventions"`
	}
	if json.Unmarshal(data, &parts) != nil {
		return "", "", nil
	}
	try := func(raw json.RawMessage, v any) error {
		if len(raw) == 0 {
			return nil
		}
		return strictUnmarshal(raw, v)
	}
	var st Student
	if err := try(parts.Student, &st); err != nil {
		return "", "student", err
	}
	var y jsonYear
	if err := try(parts.Calendar, &y); err != nil {
		return st.ID, "calendar", err
	}
	for i, raw := range parts.Calendars {
		if err := try(raw, &jsonYear{}); err != nil {
			return st.ID, fmt.Sprintf("calendars[%d]", i), err
		}
	}
	for i, raw := range parts.Events {
		if err := try(raw, &Event{}); err != nil {
			return st.ID, fmt.Sprintf("event %d", i+1), err
		}
	}
	for i, raw := range parts.Interventions {
		if err := try(raw, &Intervention{}); err != nil {
			return st.ID, fmt.Sprintf("intervention %d", i+1), err
		}
	}
	return "", "", nil
}

// DecodeCalendar reads a school calendar as JSON: one school year
// {"first_day", "last_day", "closed", "half_days", "minutes_per_day"} (the form of a
// history's "calendar"), or a list of consecutive years, at most [MaxYears] of them
// within MaxYears years. Errors are [*DecodeError].
func DecodeCalendar(data []byte, name string) (*calendar.Calendar, error) {
	var years []calendar.Year
	var err error
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '[' {
		err = strictUnmarshal(data, &years)
	} else {
		var y calendar.Year
		err = strictUnmarshal(data, &y)
		years = []calendar.Year{y}
	}
	if err != nil {
		return nil, jsonError(name, data, err, "a JSON school calendar")
	}
	if err := checkYears(years); len(years) > 1 && err != nil {
		return nil, &DecodeError{File: name, Msg: err.Error(), err: err}
	}
	cal, err := calendar.New(years...)
	if err != nil {
		return nil, &DecodeError{File: name, Msg: safetext.Redact(err.Error()), err: err}
	}
	return cal, nil
}

// MaxYears is the most school years a calendar may hold, and the longest it may run
// from its first day to its last, in years (of 366 days). A calendar keeps a few
// numbers for every day it spans, so a longer one is rejected before it is built.
const MaxYears = 50

// checkYears rejects a calendar of more than MaxYears school years, or spanning more
// than MaxYears years, before [calendar.New] allocates its days. (calendar.New bounds
// one year by itself, with a more precise message.)
func checkYears(years []calendar.Year) error {
	if len(years) > MaxYears {
		return fmt.Errorf("%d school years: want at most %d", len(years), MaxYears)
	}
	var first, last calendar.Date
	for _, y := range years {
		for _, d := range []calendar.Date{y.FirstDay, y.LastDay} {
			if d.IsZero() {
				continue
			}
			if first.IsZero() || d.Before(first) {
				first = d
			}
			if d.After(last) {
				last = d
			}
		}
	}
	if !first.IsZero() && last.Sub(first) >= MaxYears*366 {
		return fmt.Errorf("the school years run from %s to %s: want at most %d years", first, last, MaxYears)
	}
	return nil
}

// GradeLevel returns the student's grade as rollcall compares it: upper case, without
// leading zeros ("03" is "3"), kindergarten as "K" ("KG", "KN", "0", "00") and pre-K
// as "PK" ("PRE-K", "P3", "P4", "-1", "-2"), so that packs need not know how each SIS
// writes grades.
func (s Student) GradeLevel() string { return NormalizeGrade(s.Grade) }

// NormalizeGrade returns a grade as rollcall compares it; see [Student.GradeLevel].
func NormalizeGrade(g string) string {
	g = strings.ToUpper(strings.TrimSpace(g))
	switch g {
	case "K", "KG", "KN", "KF", "KH", "KA", "KP", "KINDERGARTEN", "0", "00", "0K":
		return "K"
	case "PK", "PK3", "PK4", "P3", "P4", "PS", "PRE-K", "PREK", "PRE-KINDERGARTEN", "PREKINDERGARTEN", "PRESCHOOL", "-1", "-2", "-3":
		return "PK"
	}
	if t := strings.TrimLeft(g, "0"); t != g && t != "" && t[0] >= '1' && t[0] <= '9' {
		return t
	}
	return g
}
