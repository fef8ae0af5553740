package roster

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

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
// day's length. A duration of the whole day or more (or none) records a whole day.
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
	lineAt := func(off int64) int {
		n := 1 + bytes.Count(data[:min(int(off), len(data))], []byte{'\n'})
		// the value starts after any whitespace and comma
		for i := int(off); i < len(data); i++ {
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
			r.problem(src, "", "record %d: %v", n, strings.TrimPrefix(err.Error(), "json: "))
			continue
		}
		r.addEdFi(src, n, rec)
	}
	if _, err := dec.Token(); err != nil {
		return fail(err)
	}
	return nil
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
		r.problem(src, id, "record %d (%s): %v", n, rec.EventDate, err)
		return
	}
	ev := history.Event{Date: rec.EventDate, Code: code, Reason: rec.Reason}
	day := 0
	if r.cal != nil {
		day = r.cal.Minutes(rec.EventDate)
	}
	switch {
	case rec.SchoolAttendanceDuration != nil:
		if m := *rec.SchoolAttendanceDuration; m < 0 {
			r.problem(src, id, "record %d (%s): schoolAttendanceDuration %d is negative", n, rec.EventDate, m)
			return
		} else if day == 0 || m != day {
			ev.Minutes = m // more than the day's minutes: the engine rejects it
		}
	case rec.EventDuration != nil:
		f := *rec.EventDuration
		if f < 0 {
			r.problem(src, id, "record %d (%s): eventDuration %g is negative", n, rec.EventDate, f)
			return
		}
		if f > 0 && f < 1 && day > 0 {
			ev.Minutes = int(math.Round(f * float64(day)))
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
