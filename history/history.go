// Package history holds one student's attendance record as rollcall reads it: the
// student, the school calendar, the enrolment, the recorded events and the ladder steps
// already done, and its JSON form (the command-line contract).
package history

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

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

// Student is who a history is about.
type Student struct {
	ID        string        `json:"id"`
	BirthDate calendar.Date `json:"birth_date"`
	Grade     string        `json:"grade"`
	School    string        `json:"school,omitempty"`
	Flags     []Flag        `json:"flags"`
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
	if s.BirthDate.IsZero() || d.Before(s.BirthDate) {
		return 0
	}
	by, bm, bd := s.BirthDate.Date()
	y, m, dd := d.Date()
	age := y - by
	if m < bm || (m == bm && dd < bd) {
		age--
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

// Decode reads one history in the JSON form of the command-line contract.
// Unknown fields are errors. name identifies the input in errors (a file name, or
// "stdin").
func Decode(data []byte, name string) (*History, error) {
	var jh jsonHistory
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&jh); err != nil {
		if where, perr := locate(data); perr != nil {
			return nil, fmt.Errorf("%s: %s: %s", name, where, strings.TrimPrefix(strings.TrimPrefix(perr.Error(), "json: "), "calendar: "))
		}
		return nil, JSONError(name, data, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: more than one JSON value (one history per input; use JSON Lines for a roster)", name)
	}
	who := name
	if jh.Student.ID != "" {
		who = fmt.Sprintf("%s: student %s", name, jh.Student.ID)
	}
	var years []calendar.Year
	switch {
	case jh.Calendar != nil && len(jh.Calendars) > 0:
		return nil, fmt.Errorf("%s: give calendar or calendars, not both", who)
	case jh.Calendar != nil:
		years = []calendar.Year{jh.Calendar.year()}
	case len(jh.Calendars) > 0:
		for _, y := range jh.Calendars {
			years = append(years, y.year())
		}
	default:
		return nil, fmt.Errorf("%s: no calendar", who)
	}
	cal, err := calendar.New(years...)
	if err != nil {
		return nil, fmt.Errorf("%s: calendar: %w", who, err)
	}
	enr, err := decodeEnrolment(jh.Enrolled)
	if err != nil {
		return nil, fmt.Errorf("%s: enrolled: %w", who, err)
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

// JSONError places a JSON decoding error at a line and column of the input.
func JSONError(name string, data []byte, err error) error {
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
		return fmt.Errorf("%s: empty input: want a JSON history", name)
	}
	msg = strings.TrimPrefix(msg, "json: ")
	if off < 0 {
		return fmt.Errorf("%s: %s", name, msg)
	}
	line, col := 1, 1
	for _, b := range data[:min(int(off), len(data))] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Errorf("%s:%d:%d: %s", name, line, col, msg)
}

// locate finds which part of a history fails to decode (a value error such as a bad
// date carries no position), by decoding the parts one by one.
func locate(data []byte) (string, error) {
	var parts struct {
		Student       json.RawMessage   `json:"student"`
		Calendar      json.RawMessage   `json:"calendar"`
		Calendars     []json.RawMessage `json:"calendars"`
		Events        []json.RawMessage `json:"events"`
		Interventions []json.RawMessage `json:"interventions"`
	}
	if json.Unmarshal(data, &parts) != nil {
		return "", nil
	}
	try := func(raw json.RawMessage, v any) error {
		if len(raw) == 0 {
			return nil
		}
		return strictUnmarshal(raw, v)
	}
	var st Student
	if err := try(parts.Student, &st); err != nil {
		return "student", err
	}
	who := func(what string) string {
		if st.ID != "" {
			return "student " + st.ID + ": " + what
		}
		return what
	}
	var y jsonYear
	if err := try(parts.Calendar, &y); err != nil {
		return who("calendar"), err
	}
	for i, raw := range parts.Calendars {
		if err := try(raw, &jsonYear{}); err != nil {
			return who(fmt.Sprintf("calendars[%d]", i)), err
		}
	}
	for i, raw := range parts.Events {
		if err := try(raw, &Event{}); err != nil {
			return who(fmt.Sprintf("event %d", i+1)), err
		}
	}
	for i, raw := range parts.Interventions {
		if err := try(raw, &Intervention{}); err != nil {
			return who(fmt.Sprintf("intervention %d", i+1)), err
		}
	}
	return "", nil
}

// DecodeCalendar reads a school calendar as JSON: one school year
// {"first_day", "last_day", "closed", "half_days", "minutes_per_day"} (the form of a
// history's "calendar"), or a list of consecutive years.
func DecodeCalendar(data []byte, name string) (*calendar.Calendar, error) {
	data = bytes.TrimSpace(data)
	var years []calendar.Year
	var err error
	if len(data) > 0 && data[0] == '[' {
		err = strictUnmarshal(data, &years)
	} else {
		var y calendar.Year
		err = strictUnmarshal(data, &y)
		years = []calendar.Year{y}
	}
	if err != nil {
		return nil, JSONError(name, data, err)
	}
	cal, err := calendar.New(years...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return cal, nil
}
