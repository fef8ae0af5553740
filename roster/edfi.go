package roster

import (
	"github.com/rollcall-go/rollcall/internal/safetext"

	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/codes"
	"github.com/rollcall-go/rollcall/history"
)

// EdFiStudentReference is an Ed-Fi reference to a student.
type EdFiStudentReference struct {
	StudentUniqueID string `json:"studentUniqueId"`
}

// EdFiSchoolReference is an Ed-Fi reference to a school.
type EdFiSchoolReference struct {
	SchoolID json.Number `json:"schoolId"`
}

// EdFiSessionReference is an Ed-Fi reference to a session (a term of a school year at
// a school): part of a StudentSchoolAttendanceEvent's identity.
type EdFiSessionReference struct {
	SchoolID    json.Number `json:"schoolId"`
	SchoolYear  int         `json:"schoolYear"`
	SessionName string      `json:"sessionName"`
}

// EdFiSectionReference is an Ed-Fi reference to a section (a class).
type EdFiSectionReference struct {
	LocalCourseCode   string      `json:"localCourseCode"`
	SchoolID          json.Number `json:"schoolId"`
	SchoolYear        int         `json:"schoolYear"`
	SectionIdentifier string      `json:"sectionIdentifier"`
	SessionName       string      `json:"sessionName"`
}

// EdFiClassPeriod names a class period a section meets in.
type EdFiClassPeriod struct {
	ClassPeriodReference struct {
		ClassPeriodName string      `json:"classPeriodName"`
		SchoolID        json.Number `json:"schoolId"`
	} `json:"classPeriodReference"`
}

// EdFiDate is an Ed-Fi eventDate: a date, read with or without a time of day
// ("2024-09-04", "2024-09-04T00:00:00", "2024-09-04T09:10:00-05:00": the date as
// written, the time dropped) and written as a date.
type EdFiDate struct {
	calendar.Date
}

// UnmarshalJSON reads a date, with or without a time part.
func (d *EdFiDate) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a date YYYY-MM-DD")
	}
	if date, _, ok := cutTime(s); ok && len(date) == 10 {
		s = date
	}
	v, err := calendar.ParseDate(s)
	if err != nil {
		return err
	}
	d.Date = v
	return nil
}

// EdFiEvent is an Ed-Fi StudentSchoolAttendanceEvent as the Ed-Fi API returns and
// takes it: the resource rollcall reads (with [Roster.ReadEdFi]) and writes (with
// [Entry.EdFiEvents]). Fields rollcall does not know are ignored when read.
type EdFiEvent struct {
	StudentReference         EdFiStudentReference  `json:"studentReference"`
	SchoolReference          EdFiSchoolReference   `json:"schoolReference"`
	SessionReference         *EdFiSessionReference `json:"sessionReference,omitempty"`
	Category                 string                `json:"attendanceEventCategoryDescriptor"`
	EventDate                EdFiDate              `json:"eventDate"`
	Reason                   string                `json:"attendanceEventReason,omitempty"`
	ArrivalTime              string                `json:"arrivalTime,omitempty"`
	DepartureTime            string                `json:"departureTime,omitempty"`
	EventDuration            *float64              `json:"eventDuration,omitempty"`
	SchoolAttendanceDuration *int                  `json:"schoolAttendanceDuration,omitempty"`
}

// EdFiSectionEvent is an Ed-Fi StudentSectionAttendanceEvent: attendance in one
// section (class) on a date. [Roster.ReadEdFi] rolls a student's sections of a day up
// into the day, as periods.
type EdFiSectionEvent struct {
	StudentReference          EdFiStudentReference `json:"studentReference"`
	SectionReference          EdFiSectionReference `json:"sectionReference"`
	ClassPeriods              []EdFiClassPeriod    `json:"classPeriods"`
	Category                  string               `json:"attendanceEventCategoryDescriptor"`
	EventDate                 EdFiDate             `json:"eventDate"`
	Reason                    string               `json:"attendanceEventReason"`
	ArrivalTime               string               `json:"arrivalTime"`
	DepartureTime             string               `json:"departureTime"`
	EventDuration             *float64             `json:"eventDuration"`
	SectionAttendanceDuration *int                 `json:"sectionAttendanceDuration"`
}

// ReadEdFi reads Ed-Fi attendance records: a JSON array, as the Ed-Fi API returns
// them, or JSON Lines, one record a line (as [Entry.EdFiEvents] writes them and bulk
// loaders such as lightbeam read them). A record is a StudentSchoolAttendanceEvent
// ([EdFiEvent]), or a StudentSectionAttendanceEvent ([EdFiSectionEvent], one with a
// sectionReference). Each record's category descriptor and attendanceEventReason map to
// a code of the pack through [rollcall.Engine.EdFiCode]; "In Attendance" school records
// are days present and are skipped. Fields rollcall does not read are ignored. A record
// that cannot be used is a problem; input that is neither stops the reading with a
// [*history.DecodeError] (in an array; in JSON Lines a line that is not a record is a
// problem and the next lines are read).
//
// Descriptors are matched by their full URI: a descriptor of Ed-Fi's namespace
// (uri://ed-fi.org/AttendanceEventCategoryDescriptor, or a bare category such as
// "Excused Absence") by its category; one of another namespace only through the
// mapping ([Roster.UseMapping]: edfi.descriptors, edfi.namespaces), never by its part
// after "#" alone. A category the mapping trusts (edfi.trust) is taken as the SIS
// decided it: an excused absence carries the documents its code asks.
//
// Minutes missed: schoolAttendanceDuration, when given, is the event's length in
// minutes; otherwise eventDuration, when given, is the part of the day the event
// covers (Ed-Fi: 1 day = 1, half a day = 0.5) and is turned into minutes of that
// day's length; otherwise arrivalTime and departureTime: both give the time present,
// the rest of the day is missed; an arrival alone misses the day from its start, a
// departure alone the day after it, the start of the day being the mapping's
// edfi.day_start for the school. A duration of the whole day or more (or none) records
// a whole day; a duration of zero, or of less than a minute, is a problem, never a
// whole day, and so is a Tardy, Early departure or Partial record of an absence that
// gives no time at all. The reason text is kept as the event's reason, and the
// sessionReference and times with the event ([Entry.Ref]). The school's id fills in
// the student's school when the students file did not give one, and picks its
// calendar ([Roster.SetSchoolCalendars]).
//
// Section records of a student's day roll up into one event as the mapping's periods
// say (by default, the share of the day's sections: the sections the records of the
// day name, present ones included): a sectionAttendanceDuration is that section's
// minutes, a class period's name (else the section) is its period.
func (r *Roster) ReadEdFi(rd io.Reader, name string) error {
	if r.engine == nil {
		return fmt.Errorf("%s: reading Ed-Fi events needs a roster made with an engine", name)
	}
	data, err := io.ReadAll(rd)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if t := bytes.TrimLeft(data, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '{' {
		return r.readEdFiLines(data, name)
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
		return &history.DecodeError{File: name, Msg: want + " (or JSON Lines of them)"}
	}
	for n := 1; dec.More(); n++ {
		src := Source{File: name, Line: lineAt(dec.InputOffset())}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fail(err)
		}
		r.addEdFiRecord(src, n, raw)
	}
	if _, err := dec.Token(); err != nil {
		return fail(err)
	}
	return nil
}

// readEdFiLines reads Ed-Fi records as JSON Lines: one record a line.
func (r *Roster) readEdFiLines(data []byte, name string) error {
	lr := newLineReader(bytes.NewReader(data))
	for n := 1; ; {
		l, err := lr.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		src := Source{File: name, Line: l.n}
		if l.tooLong > 0 {
			r.problem(src, "", "%s", tooLongMsg(l.tooLong))
			n++
			continue
		}
		text := bytes.TrimSpace(bytes.TrimPrefix(l.text, []byte("\ufeff")))
		if len(text) == 0 {
			continue
		}
		if !json.Valid(text) || text[0] != '{' {
			var v any
			err := json.Unmarshal(text, &v)
			msg := "not a JSON object"
			if err != nil {
				var se *json.SyntaxError
				if errors.As(err, &se) {
					msg = fmt.Sprintf("column %d: %s", se.Offset, safetext.Clip(strings.TrimPrefix(err.Error(), "json: ")))
				} else {
					msg = safetext.Clip(strings.TrimPrefix(err.Error(), "json: "))
				}
			}
			r.problem(src, "", "record %d: %s", n, msg)
			n++
			continue
		}
		r.addEdFiRecord(src, n, text)
		n++
	}
}

// addEdFiRecord reads one record, school or section.
func (r *Roster) addEdFiRecord(src Source, n int, raw json.RawMessage) {
	var probe struct {
		Section json.RawMessage `json:"sectionReference"`
	}
	if json.Unmarshal(raw, &probe) == nil && len(probe.Section) > 0 && string(probe.Section) != "null" {
		var rec EdFiSectionEvent
		if err := json.Unmarshal(raw, &rec); err != nil {
			r.problem(src, "", "record %d: %s", n, recordError(raw, err))
			return
		}
		r.addEdFiSection(src, n, rec)
		return
	}
	var rec EdFiEvent
	if err := json.Unmarshal(raw, &rec); err != nil {
		r.problem(src, "", "record %d: %s", n, recordError(raw, err))
		return
	}
	r.addEdFi(src, n, rec)
}

// recordError says why a record cannot be read, without echoing its free text.
func recordError(raw json.RawMessage, err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			field = "the record"
		}
		return fmt.Sprintf("%s: want %s, not a JSON %s", safetext.ShowID(field), te.Type, te.Value)
	}
	var date struct {
		EventDate json.RawMessage `json:"eventDate"`
	}
	if json.Unmarshal(raw, &date) == nil && len(date.EventDate) > 0 {
		var d EdFiDate
		if json.Unmarshal(date.EventDate, &d) != nil {
			var s string
			if json.Unmarshal(date.EventDate, &s) == nil {
				return fmt.Sprintf("eventDate: bad date %s (want YYYY-MM-DD)", safetext.Show(s))
			}
			return "eventDate: want a date YYYY-MM-DD"
		}
	}
	return safetext.Clip(strings.TrimPrefix(err.Error(), "json: "))
}

func (r *Roster) addEdFi(src Source, n int, rec EdFiEvent) {
	id := rec.StudentReference.StudentUniqueID
	date := rec.EventDate.Date
	category, code, ok := r.edfiHead(src, n, id, date, rec.Category)
	switch {
	case !ok:
		return
	case code == "" && strings.EqualFold(category, codes.EdFiInAttendance):
		return // a day present
	}
	code, ok = r.edfiCode(src, id, n, date, category, code, rec.Reason)
	if !ok {
		return
	}
	ev := history.Event{Date: date, Code: code, Reason: rec.Reason}
	ev.Code, ev.Documents = r.trusted(category, code, date)
	school := rec.SchoolReference.SchoolID.String()
	day := 0
	if cal := r.calFor(school); cal != nil {
		day = cal.Minutes(date)
	}
	// A duration of nothing is never a whole day (Minutes 0): it is a problem.
	switch {
	case rec.SchoolAttendanceDuration != nil:
		switch m := *rec.SchoolAttendanceDuration; {
		case m < 0:
			r.problem(src, id, "record %d (%s): schoolAttendanceDuration %d is negative", n, date, m)
			return
		case m == 0:
			r.problem(src, id, "record %d (%s): schoolAttendanceDuration is 0 minutes: an event of no time (leave it out for a whole day)", n, date)
			return
		case day == 0 || m != day:
			ev.Minutes = m // more than the day's minutes: the engine rejects it
		}
	case rec.EventDuration != nil:
		f := *rec.EventDuration
		switch {
		case f < 0:
			r.problem(src, id, "record %d (%s): eventDuration %g is negative", n, date, f)
			return
		case f == 0:
			r.problem(src, id, "record %d (%s): eventDuration is 0: an event of no time (1 is a whole day)", n, date)
			return
		case f < 1 && day > 0:
			m := math.Round(f * float64(day))
			if m < 1 {
				r.problem(src, id, "record %d (%s): eventDuration %g is less than a minute of the day's %d minutes", n, date, f, day)
				return
			}
			ev.Minutes = int(m)
		}
	case rec.ArrivalTime != "" || rec.DepartureTime != "":
		m, msg := r.timesMissed(school, day, rec.ArrivalTime, rec.DepartureTime)
		if msg != "" {
			r.problem(src, id, "record %d (%s): %s", n, date, msg)
			return
		}
		if day == 0 || m < day {
			ev.Minutes = m
		}
	case partialCategory(category) && r.absentCode(ev.Code, date):
		r.problem(src, id, "record %d (%s): a %s record gives no time (arrivalTime, departureTime, schoolAttendanceDuration or eventDuration): it is not read as a whole day",
			n, date, category)
		return
	}
	ref := EventRef{School: school, ArrivalTime: rec.ArrivalTime, DepartureTime: rec.DepartureTime}
	if s := rec.SessionReference; s != nil && (s.SessionName != "" || s.SchoolYear != 0) {
		ref.Session = s
	}
	r.addEventRef(src, id, ev, ref)
}

// addEdFiSection keeps a section record for the roll-up of its day.
func (r *Roster) addEdFiSection(src Source, n int, rec EdFiSectionEvent) {
	id := rec.StudentReference.StudentUniqueID
	date := rec.EventDate.Date
	category, code, ok := r.edfiHead(src, n, id, date, rec.Category)
	if !ok {
		return
	}
	sec := rec.SectionReference
	school := sec.SchoolID.String()
	period := sec.SectionIdentifier
	if sec.LocalCourseCode != "" {
		period = sec.LocalCourseCode + "/" + period
	}
	if len(rec.ClassPeriods) > 0 && rec.ClassPeriods[0].ClassPeriodReference.ClassPeriodName != "" {
		period = rec.ClassPeriods[0].ClassPeriodReference.ClassPeriodName
	}
	if period == "" {
		r.problem(src, id, "record %d (%s): no sectionReference.sectionIdentifier", n, date)
		return
	}
	p := periodRec{school: school, period: period}
	if sec.SessionName != "" {
		p.ref.Session = &EdFiSessionReference{SchoolID: sec.SchoolID, SchoolYear: sec.SchoolYear, SessionName: sec.SessionName}
	}
	if code == "" && strings.EqualFold(category, codes.EdFiInAttendance) {
		p.present = true
		p.ev = history.Event{Date: date}
		r.addPeriod(src, id, p)
		return
	}
	code, ok = r.edfiCode(src, id, n, date, category, code, rec.Reason)
	if !ok {
		return
	}
	p.ev = history.Event{Date: date, Code: code, Reason: rec.Reason}
	p.ev.Code, p.ev.Documents = r.trusted(category, code, date)
	day := 0
	if cal := r.calFor(school); cal != nil {
		day = cal.Minutes(date)
	}
	switch {
	case rec.SectionAttendanceDuration != nil && *rec.SectionAttendanceDuration > 0:
		p.minutes = *rec.SectionAttendanceDuration
	case rec.SectionAttendanceDuration != nil:
		r.problem(src, id, "record %d (%s): sectionAttendanceDuration %d: an event of no time", n, date, *rec.SectionAttendanceDuration)
		return
	case rec.EventDuration != nil && *rec.EventDuration > 0 && *rec.EventDuration < 1 && day > 0:
		p.minutes = max(1, int(math.Round(*rec.EventDuration*float64(day))))
	}
	p.present = p.present || !r.absentCode(p.ev.Code, date)
	r.addPeriod(src, id, p)
}

// edfiCode maps a record's category and reason to a code of the pack (code, when the
// mapping named one for the descriptor, is taken as it is), or reports the record.
func (r *Roster) edfiCode(src Source, id string, n int, date calendar.Date, category, code, reason string) (string, bool) {
	if code != "" {
		return code, true
	}
	code, err := r.engine.EdFiCode(category, reason, date)
	if err != nil {
		// The reason is free text: named by its length only.
		what := "no reason"
		if reason != "" {
			what = fmt.Sprintf("its reason (%d characters, not shown)", utf8.RuneCountInString(reason))
		}
		r.problem(src, id, "record %d (%s): no edfi mapping in pack %s for category %s with %s", n, date, r.engine.Pack().Name, showCategory(category), what)
		return "", false
	}
	return code, true
}

// edfiDescriptor reads a category descriptor: the Ed-Fi category it names (of Ed-Fi's
// namespace, a namespace the mapping reads as Ed-Fi's, or a bare category), or the
// code the mapping maps the full descriptor to, or why it cannot be read.
// edfiHead checks what every Ed-Fi record needs (a student, a date, a descriptor the
// roster knows) and returns its category and code; a record without them is reported.
func (r *Roster) edfiHead(src Source, n int, id string, date calendar.Date, desc string) (category, code string, ok bool) {
	category, code, msg := r.edfiDescriptor(desc)
	switch {
	case id == "":
		r.problem(src, "", "record %d: no studentReference.studentUniqueId", n)
	case date.IsZero():
		r.problem(src, id, "record %d: no eventDate", n)
	case msg != "":
		r.problem(src, id, "record %d (%s): %s", n, date, msg)
	case category == "" && code == "":
		r.problem(src, id, "record %d (%s): no attendanceEventCategoryDescriptor", n, date)
	default:
		return category, code, true
	}
	return "", "", false
}

func (r *Roster) edfiDescriptor(desc string) (category, code, msg string) {
	desc = strings.TrimSpace(desc)
	if m := r.mapping; m != nil {
		if to, ok := m.edfi.descriptors[strings.ToLower(desc)]; ok {
			if c, ok := edfiCategoryName(to); ok {
				return c, "", ""
			}
			return "", to, ""
		}
	}
	i := strings.LastIndexByte(desc, '#')
	if i < 0 {
		return desc, "", ""
	}
	ns, value := desc[:i], strings.TrimSpace(desc[i+1:])
	if value == "" {
		return "", "", ""
	}
	if !strings.EqualFold(ns, rollcall.EdFiCategoryNamespace) && (r.mapping == nil || !slices.Contains(r.mapping.edfi.namespaces, strings.ToLower(ns))) {
		return "", "", fmt.Sprintf("descriptor %s is not of Ed-Fi's namespace %s: map it in a mapping (edfi.descriptors, or edfi.namespaces)",
			safetext.ShowID(desc), rollcall.EdFiCategoryNamespace)
	}
	return value, "", ""
}

// trusted returns the code and documents of an event whose category the mapping trusts
// as the SIS decided it: an excused absence is one the pack excuses (the mapping's code
// for the category when the pack's own is not excused) and carries the documents its
// code asks for; an unexcused absence is one the pack does not excuse.
func (r *Roster) trusted(category, code string, d calendar.Date) (string, []string) {
	if r.mapping == nil {
		return code, nil
	}
	fallback, ok := r.mapping.edfi.trust[category]
	if !ok {
		return code, nil
	}
	var want codes.Excuse
	switch category {
	case codes.EdFiExcusedAbsence:
		want = codes.Excused
	case codes.EdFiUnexcusedAbsence:
		want = codes.Unexcused
	default:
		return code, nil
	}
	c := r.packCode(code, d)
	if (c == nil || c.Excuse != want) && fallback != "" {
		code, c = fallback, r.packCode(fallback, d)
	}
	if c == nil || c.Excuse != codes.Excused {
		return code, nil
	}
	docs, _ := satisfying(c.Documents)
	return code, docs
}

// satisfying returns documents that satisfy a requirement, and whether documents alone
// can (a flag cannot be supplied).
func satisfying(req codes.Requirement) ([]string, bool) {
	switch req.Kind {
	case codes.Nothing:
		return nil, true
	case codes.Document:
		return []string{req.Name}, true
	case codes.AnyOf:
		for _, it := range req.Items {
			if docs, ok := satisfying(it); ok {
				return docs, true
			}
		}
	case codes.AllOf:
		var out []string
		ok := true
		for _, it := range req.Items {
			docs, itOK := satisfying(it)
			out = append(out, docs...)
			ok = ok && itOK
		}
		slices.Sort(out)
		return slices.Compact(out), ok
	}
	return nil, false
}

// partialCategory reports whether an Ed-Fi category is of part of a day.
func partialCategory(c string) bool {
	return c == codes.EdFiTardy || c == codes.EdFiEarlyDeparture || c == codes.EdFiPartial
}

// absentCode reports whether code is a code of absence in the pack (true when the pack
// does not know it: the engine rejects it).
func (r *Roster) absentCode(code string, d calendar.Date) bool {
	c := r.packCode(code, d)
	return c == nil || c.Status == codes.Absent
}

// timesMissed returns the minutes of a school day of day minutes at school that an
// arrival and a departure (either may be empty) leave out, or why they cannot be read.
func (r *Roster) timesMissed(school string, day int, arrival, departure string) (int, string) {
	var arr, dep float64
	var okA, okD bool
	if arrival != "" {
		if arr, okA = clockMinutes(arrival); !okA {
			return 0, fmt.Sprintf("arrivalTime %s is not a time of day (want HH:MM:SS)", safetext.Show(arrival))
		}
	}
	if departure != "" {
		if dep, okD = clockMinutes(departure); !okD {
			return 0, fmt.Sprintf("departureTime %s is not a time of day (want HH:MM:SS)", safetext.Show(departure))
		}
	}
	if day == 0 {
		return 0, "" // not a school day: the engine says so
	}
	start, haveStart := -1, false
	if r.mapping != nil {
		if s, ok := r.mapping.edfi.dayStart[school]; ok {
			start, haveStart = s, true
		} else if s, ok := r.mapping.edfi.dayStart["*"]; ok {
			start, haveStart = s, true
		}
	}
	var missed float64
	switch {
	case okA && okD:
		if dep <= arr {
			return 0, fmt.Sprintf("departureTime %s is not after arrivalTime %s", safetext.Show(departure), safetext.Show(arrival))
		}
		missed = float64(day) - (dep - arr)
	case !haveStart:
		return 0, "a time of arrival or departure alone needs the school day's start: give it in a mapping (edfi.day_start); the record is not read as a whole day"
	case okA:
		missed = arr - float64(start)
		if missed <= 0 {
			return 0, fmt.Sprintf("arrivalTime %s is not after the school day's start %s: no time missed", safetext.Show(arrival), clock(start))
		}
	default:
		missed = float64(start+day) - dep
		if missed <= 0 {
			return 0, fmt.Sprintf("departureTime %s is not before the school day's end %s: no time missed", safetext.Show(departure), clock(start+day))
		}
	}
	m := int(math.Round(missed))
	if m < 1 {
		return 0, "the times given leave less than a minute of the day out"
	}
	return min(m, day), ""
}

// clock writes minutes since midnight as HH:MM.
func clock(m int) string { return fmt.Sprintf("%02d:%02d", m/60%24, m%60) }

// showCategory returns an Ed-Fi category descriptor for a message: quoted when it reads
// as a descriptor ("Excused Absence": at most three words of letters, digits and
// "-_/.", single spaces between, at most maxShown runes), by its length otherwise.
func showCategory(c string) string {
	words := strings.Split(c, " ")
	ok := c != "" && utf8.RuneCountInString(c) <= safetext.MaxShown && len(words) <= 3
	for _, w := range words {
		if w == "" || strings.IndexFunc(w, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("-_/.", r)
		}) >= 0 {
			ok = false
		}
	}
	if !ok {
		return safetext.Show(c)
	}
	return strconv.Quote(c)
}
