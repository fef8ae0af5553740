package roster

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/codes"
	"github.com/rollcall-go/rollcall/history"
)

// EdFiEvent is an Ed-Fi StudentSchoolAttendanceEvent as the Ed-Fi API returns it
// (the fields rollcall reads).
type EdFiEvent struct {
	StudentReference struct {
		StudentUniqueID string `json:"studentUniqueId"`
	} `json:"studentReference"`
	SchoolReference struct {
		SchoolID json.Number `json:"schoolId"`
	} `json:"schoolReference"`
	Category                 string        `json:"attendanceEventCategoryDescriptor"`
	EventDate                calendar.Date `json:"eventDate"`
	Reason                   string        `json:"attendanceEventReason"`
	EventDuration            *float64      `json:"eventDuration"`
	SchoolAttendanceDuration *int          `json:"schoolAttendanceDuration"`
}

// ReadEdFi reads Ed-Fi StudentSchoolAttendanceEvent records: a JSON array, as the
// Ed-Fi API returns them. Each record's category descriptor and attendanceEventReason
// map to a code of the pack through [rollcall.Engine.EdFiCode]; "In Attendance"
// records are days present and are skipped. Fields other than those of [EdFiEvent]
// are ignored. A record that cannot be used is a problem; input that is not a JSON
// array stops the reading with a [*history.DecodeError].
//
// Minutes missed: schoolAttendanceDuration, when given, is the event's length in
// minutes; otherwise eventDuration, when given, is the part of the day the event
// covers (Ed-Fi: 1 day = 1, half a day = 0.5) and is turned into minutes of that
// day's length. A duration of the whole day or more (or none) records a whole day; a
// duration of zero, or of less than a minute, is a problem, never a whole day.
// The reason text is kept as the event's reason. The school's id fills in the
// student's school when the students file did not give one.
func (r *Roster) ReadEdFi(rd io.Reader, name string) error {
	if r.engine == nil {
		return fmt.Errorf("%s: reading Ed-Fi events needs a roster made with an engine", name)
	}
	data, err := io.ReadAll(rd)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	// lineAt returns the line of the value at or after off. Offsets only grow, so the
	// lines are counted once over the whole input: linear in its size.
	counted, lines := 0, 1
	lineAt := func(off int64) int {
		end := min(int(off), len(data))
		lines += bytes.Count(data[counted:end], []byte{'\n'})
		counted = end
		n := lines
		// the value starts after any whitespace and comma
		for i := end; i < len(data); i++ {
			switch data[i] {
			case '\n':
				n++
			case ' ', '\t', '\r', ',':
			default:
				return n
			}
		}
		return n
	}
	// Errors in the JSON itself stop the reading: they are *history.DecodeError.
	const want = "want a JSON array of StudentSchoolAttendanceEvent records"
	fail := func(err error) error {
		switch {
		case (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)) && len(bytes.TrimSpace(data)) == 0:
			return &history.DecodeError{File: name, Msg: "empty input: " + want}
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
			return &history.DecodeError{File: name, Msg: "unexpected end of input: a record or the array is not closed"}
		}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			// The decoder counts a syntax error's offset from the start of the record:
			// the whole input's checking counts it from the start of the input.
			var all []json.RawMessage
			if uerr := json.Unmarshal(data, &all); errors.As(uerr, &se) {
				err = uerr
			}
		}
		return history.JSONError(name, data, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return fail(err)
	}
	if tok != json.Delim('[') {
		return &history.DecodeError{File: name, Msg: want}
	}
	for n := 1; dec.More(); n++ {
		src := Source{File: name, Line: lineAt(dec.InputOffset())}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fail(err)
		}
		var rec EdFiEvent
		if err := json.Unmarshal(raw, &rec); err != nil {
			r.problem(src, "", "record %d: %s", n, recordError(raw, err))
			continue
		}
		r.addEdFi(src, n, rec)
	}
	if _, err := dec.Token(); err != nil {
		return fail(err)
	}
	return nil
}

// recordError says why a record cannot be read, without echoing its free text.
func recordError(raw json.RawMessage, err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			field = "the record"
		}
		return fmt.Sprintf("%s: want %s, not a JSON %s", showID(field), te.Type, te.Value)
	}
	var date struct {
		EventDate json.RawMessage `json:"eventDate"`
	}
	if json.Unmarshal(raw, &date) == nil && len(date.EventDate) > 0 {
		var d calendar.Date
		if json.Unmarshal(date.EventDate, &d) != nil {
			var s string
			if json.Unmarshal(date.EventDate, &s) == nil {
				return fmt.Sprintf("eventDate: bad date %s (want YYYY-MM-DD)", show(s))
			}
			return "eventDate: want a date YYYY-MM-DD"
		}
	}
	return clip(strings.TrimPrefix(err.Error(), "json: "))
}

func (r *Roster) addEdFi(src Source, n int, rec EdFiEvent) {
	id := rec.StudentReference.StudentUniqueID
	category := rec.Category
	if i := strings.LastIndexByte(category, '#'); i >= 0 {
		category = category[i+1:]
	}
	category = strings.TrimSpace(category)
	switch {
	case id == "":
		r.problem(src, "", "record %d: no studentReference.studentUniqueId", n)
		return
	case rec.EventDate.IsZero():
		r.problem(src, id, "record %d: no eventDate", n)
		return
	case category == "":
		r.problem(src, id, "record %d (%s): no attendanceEventCategoryDescriptor", n, rec.EventDate)
		return
	case strings.EqualFold(category, codes.EdFiInAttendance):
		return // a day present
	}
	code, err := r.engine.EdFiCode(category, rec.Reason, rec.EventDate)
	if err != nil {
		// The reason is free text: named by its length only.
		reason := "no reason"
		if rec.Reason != "" {
			reason = fmt.Sprintf("its reason (%d characters, not shown)", utf8.RuneCountInString(rec.Reason))
		}
		r.problem(src, id, "record %d (%s): no edfi mapping in pack %s for category %s with %s", n, rec.EventDate, r.engine.Pack().Name, showCategory(category), reason)
		return
	}
	ev := history.Event{Date: rec.EventDate, Code: code, Reason: rec.Reason}
	day := 0
	if r.cal != nil {
		day = r.cal.Minutes(rec.EventDate)
	}
	// A duration of nothing is never a whole day (Minutes 0): it is a problem.
	switch {
	case rec.SchoolAttendanceDuration != nil:
		switch m := *rec.SchoolAttendanceDuration; {
		case m < 0:
			r.problem(src, id, "record %d (%s): schoolAttendanceDuration %d is negative", n, rec.EventDate, m)
			return
		case m == 0:
			r.problem(src, id, "record %d (%s): schoolAttendanceDuration is 0 minutes: an event of no time (leave it out for a whole day)", n, rec.EventDate)
			return
		case day == 0 || m != day:
			ev.Minutes = m // more than the day's minutes: the engine rejects it
		}
	case rec.EventDuration != nil:
		f := *rec.EventDuration
		switch {
		case f < 0:
			r.problem(src, id, "record %d (%s): eventDuration %g is negative", n, rec.EventDate, f)
			return
		case f == 0:
			r.problem(src, id, "record %d (%s): eventDuration is 0: an event of no time (1 is a whole day)", n, rec.EventDate)
			return
		case f < 1 && day > 0:
			m := math.Round(f * float64(day))
			if m < 1 {
				r.problem(src, id, "record %d (%s): eventDuration %g is less than a minute of the day's %d minutes", n, rec.EventDate, f, day)
				return
			}
			ev.Minutes = int(m)
		}
	}
	e, ok := r.student(id, src)
	if !ok {
		return
	}
	if e.History.Student.School == "" && rec.SchoolReference.SchoolID != "" {
		e.History.Student.School = rec.SchoolReference.SchoolID.String()
	}
	e.History.Events = append(e.History.Events, ev)
	e.Sources = append(e.Sources, src)
	r.Events++
}

// showCategory returns an Ed-Fi category descriptor for a message: quoted when it reads
// as a descriptor ("Excused Absence": at most three words of letters, digits and
// "-_/.", single spaces between, at most maxShown runes), by its length otherwise.
func showCategory(c string) string {
	words := strings.Split(c, " ")
	ok := c != "" && utf8.RuneCountInString(c) <= maxShown && len(words) <= 3
	for _, w := range words {
		if w == "" || strings.IndexFunc(w, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("-_/.", r)
		}) >= 0 {
			ok = false
		}
	}
	if !ok {
		return show(c)
	}
	return strconv.Quote(c)
}
