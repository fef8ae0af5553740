package roster

import (
	"github.com/rollcall-go/rollcall/internal/safetext"

	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/codes"
)

// Ed-Fi's limits on the fields rollcall writes (Data Standard 4 and 5, the ODS's columns).
const (
	edfiMaxStudentID   = 32
	edfiMaxSessionName = 60
	edfiMaxReason      = 255
	edfiMaxCodeValue   = 50
	edfiMaxNamespace   = 255
)

// EdFiEvents returns the classifications of the entry's events (events, in the order
// of History.Events, as [rollcall.Engine.Classify] or [rollcall.Engine.Evaluate]
// returned them) as Ed-Fi StudentSchoolAttendanceEvent resources, so that a district
// can post rollcall's decisions back to its ODS: one resource for each event that was
// not rejected, in the events' order, with
//
//   - studentReference: the student's id;
//   - schoolReference: the school the event was read at, else the student's school
//     (which must be an Ed-Fi schoolId, a number);
//   - sessionReference: the session the event was read with (an Ed-Fi record's), else
//     the school year and term of the event's date in the student's calendar: the
//     school year is the calendar year the school year ends in, the session's name the
//     mapping's edfi.session_name ({year}: the school year's name, "2024-2025"; {term}:
//     the term's; {school_year}: 2025), by default "{year} {term}" ("{year}" outside
//     any term);
//   - attendanceEventCategoryDescriptor: the classification's Ed-Fi category as a URI
//     of Ed-Fi's namespace (or the mapping's edfi.namespace), so that an absence
//     rollcall did not excuse is not written as excused;
//   - eventDate; attendanceEventReason: the event's reason, else the effective code's
//     name and id ("Medical (MED)"), at most 255 characters;
//   - eventDuration: the school days missed (two decimals), and
//     schoolAttendanceDuration: the minutes missed on part of a day (a tardy's minutes);
//   - arrivalTime and departureTime when the record read gave them.
//
// Two events with the same identity in Ed-Fi (student, school, session, date, category)
// are written once, the first. Events that cannot be written (no school, or one that
// is not a number) are problems at their rows.
func (en Entry) EdFiEvents(eng *rollcall.Engine, events []rollcall.Classified) ([]EdFiEvent, []RowError) {
	if en.History == nil {
		return nil, nil
	}
	h := en.History
	id := h.Student.ID
	var out []EdFiEvent
	var problems []RowError
	seen := map[string]bool{}
	noSchool := map[string]bool{}
	namespace := rollcall.EdFiCategoryNamespace
	sessionName := ""
	if m := en.mapping; m != nil {
		if m.edfi.namespace != "" {
			namespace = m.edfi.namespace
		}
		sessionName = m.edfi.sessionName
	}
	for i, c := range events {
		if c.Rejected != "" || i >= len(h.Events) {
			continue
		}
		ev := h.Events[i]
		src := en.Source
		if i < len(en.Sources) {
			src = en.Sources[i]
		}
		ref := en.Ref(i)
		school := ref.School
		if school == "" {
			school = h.Student.School
		}
		schoolID, err := strconv.ParseInt(strings.TrimSpace(school), 10, 64)
		if err != nil || schoolID <= 0 {
			if !noSchool[school] {
				noSchool[school] = true
				msg := "no school: an Ed-Fi resource needs a schoolReference (give the student's school)"
				if school != "" {
					msg = fmt.Sprintf("school %s is not an Ed-Fi schoolId (a number): its events are not written", safetext.ShowID(school))
				}
				problems = append(problems, RowError{Source: src, Student: id, Msg: msg})
			}
			continue
		}
		if utf8.RuneCountInString(id) > edfiMaxStudentID {
			problems = append(problems, RowError{Source: src, Student: id, Msg: fmt.Sprintf("the student's id is longer than Ed-Fi's %d characters: its events are not written", edfiMaxStudentID)})
			return nil, problems
		}
		res := EdFiEvent{
			StudentReference: EdFiStudentReference{StudentUniqueID: id},
			SchoolReference:  EdFiSchoolReference{SchoolID: jsonNumber(schoolID)},
			EventDate:        EdFiDate{c.Date},
			ArrivalTime:      ref.ArrivalTime,
			DepartureTime:    ref.DepartureTime,
		}
		if s := ref.Session; s != nil {
			sess := *s
			if sess.SchoolID == "" {
				sess.SchoolID = jsonNumber(schoolID)
			}
			res.SessionReference = &sess
		} else if sess, ok := session(h.Calendar, c.Date, sessionName); ok {
			sess.SchoolID = jsonNumber(schoolID)
			res.SessionReference = &sess
		} else {
			problems = append(problems, RowError{Source: src, Student: id, Msg: fmt.Sprintf("%s: no school year of the calendar holds the date: no Ed-Fi session", c.Date)})
			continue
		}
		category := c.EdFi
		if category == "" {
			category = categoryOf(c)
		}
		res.Category = namespace + "#" + category
		res.Reason = ev.Reason
		if res.Reason == "" && eng != nil {
			if code, ok := eng.Pack().At(c.Date).Codes.Lookup(c.EffectiveCode); ok && code.Name != "" {
				res.Reason = fmt.Sprintf("%s (%s)", code.Name, code.ID)
			} else {
				res.Reason = c.EffectiveCode
			}
		}
		res.Reason = clipRunes(res.Reason, edfiMaxReason)
		if c.Status == codes.Absent.String() && c.Days > 0 {
			d := math.Round(c.Days*100) / 100
			if d == 0 {
				d = 0.01
			}
			res.EventDuration = &d
		}
		dayMin := h.Calendar.Minutes(c.Date)
		if c.Minutes > 0 && (c.Status == codes.Present.String() || c.Minutes < dayMin) {
			m := c.Minutes
			res.SchoolAttendanceDuration = &m
		}
		key := fmt.Sprintf("%d\x00%d\x00%s\x00%s\x00%s", schoolID, res.SessionReference.SchoolYear, res.SessionReference.SessionName, c.Date, category)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, res)
	}
	return out, problems
}

func jsonNumber(n int64) json.Number { return json.Number(strconv.FormatInt(n, 10)) }

// session returns the Ed-Fi session of a date in cal.
func session(cal *calendar.Calendar, d calendar.Date, template string) (EdFiSessionReference, bool) {
	y, ok := cal.YearOf(d)
	if !ok {
		return EdFiSessionReference{}, false
	}
	year := cal.Years()[y]
	end, _, _ := year.LastDay.Date()
	term := ""
	for _, t := range year.Terms {
		if !d.Before(t.FirstDay) && !d.After(t.LastDay) {
			term = t.Name
		}
	}
	if template == "" {
		template = "{year} {term}"
		if term == "" {
			template = "{year}"
		}
	}
	name := strings.NewReplacer("{year}", year.Name, "{term}", term, "{school_year}", strconv.Itoa(end)).Replace(template)
	name = clipRunes(strings.Join(strings.Fields(name), " "), edfiMaxSessionName)
	return EdFiSessionReference{SchoolYear: end, SessionName: name}, name != ""
}

// categoryOf is the Ed-Fi category of a classification whose code names none.
func categoryOf(c rollcall.Classified) string {
	switch {
	case c.Status != codes.Absent.String():
		if c.Span == codes.LateArrival.String() {
			return codes.EdFiTardy
		}
		return codes.EdFiInAttendance
	case c.Span == codes.LateArrival.String():
		return codes.EdFiTardy
	case c.Span == codes.EarlyLeave.String():
		return codes.EdFiEarlyDeparture
	case c.Excuse == codes.Excused.String():
		return codes.EdFiExcusedAbsence
	}
	return codes.EdFiUnexcusedAbsence
}

func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n])
}

// Validate checks the resource against what the Ed-Fi API requires of a
// StudentSchoolAttendanceEvent: its identity (studentReference.studentUniqueId,
// schoolReference.schoolId, sessionReference with schoolId, schoolYear and sessionName,
// attendanceEventCategoryDescriptor as a descriptor URI, eventDate) and the lengths and
// ranges of its other fields. It returns every problem, joined.
func (ev EdFiEvent) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if id := ev.StudentReference.StudentUniqueID; id == "" || utf8.RuneCountInString(id) > edfiMaxStudentID {
		bad("studentReference.studentUniqueId: want 1 to %d characters", edfiMaxStudentID)
	}
	if n, err := strconv.ParseInt(string(ev.SchoolReference.SchoolID), 10, 64); err != nil || n <= 0 {
		bad("schoolReference.schoolId: want a positive integer")
	}
	switch s := ev.SessionReference; {
	case s == nil:
		bad("sessionReference: required")
	default:
		if n, err := strconv.ParseInt(string(s.SchoolID), 10, 64); err != nil || n <= 0 {
			bad("sessionReference.schoolId: want a positive integer")
		}
		if s.SchoolYear < 1900 || s.SchoolYear > 2200 {
			bad("sessionReference.schoolYear: want a year")
		}
		if s.SessionName == "" || utf8.RuneCountInString(s.SessionName) > edfiMaxSessionName {
			bad("sessionReference.sessionName: want 1 to %d characters", edfiMaxSessionName)
		}
	}
	ns, value, ok := strings.Cut(ev.Category, "#")
	if !ok || !strings.HasPrefix(ns, "uri://") || len(ns) > edfiMaxNamespace || value == "" || utf8.RuneCountInString(value) > edfiMaxCodeValue {
		bad("attendanceEventCategoryDescriptor: want a descriptor URI uri://NAMESPACE#VALUE")
	}
	if ev.EventDate.IsZero() {
		bad("eventDate: required")
	}
	if utf8.RuneCountInString(ev.Reason) > edfiMaxReason {
		bad("attendanceEventReason: at most %d characters", edfiMaxReason)
	}
	if d := ev.EventDuration; d != nil && (*d < 0 || *d > 9.99 || math.Abs(*d*100-math.Round(*d*100)) > 1e-9) {
		bad("eventDuration: want 0 to 9.99 with two decimals")
	}
	if m := ev.SchoolAttendanceDuration; m != nil && *m < 0 {
		bad("schoolAttendanceDuration: want minutes, 0 or more")
	}
	for _, t := range []struct{ name, v string }{{"arrivalTime", ev.ArrivalTime}, {"departureTime", ev.DepartureTime}} {
		if _, ok := clockMinutes(t.v); t.v != "" && !ok {
			bad("%s: want a time of day HH:MM:SS", t.name)
		}
	}
	return errors.Join(errs...)
}
