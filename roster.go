package rollcall

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/rollcall-go/rollcall/history"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/codes"
)

// Source is where a row of input was read: a file and its 1-based line.
type Source struct {
	File string
	Line int
}

// String returns "file:line", or the file alone when the line is unknown.
func (s Source) String() string {
	if s.Line <= 0 {
		return s.File
	}
	return fmt.Sprintf("%s:%d", s.File, s.Line)
}

// RowError is a row of a roster's input that was not used: it could not be read, or it
// names an unknown student or step, or the engine rejected its event.
type RowError struct {
	Source
	Student string // the student the row is about, when known
	Msg     string
}

// Error formats the problem as "file:line: student S1: message".
func (e RowError) Error() string {
	if e.Student == "" {
		return fmt.Sprintf("%s: %s", e.Source, e.Msg)
	}
	return fmt.Sprintf("%s: student %s: %s", e.Source, e.Student, e.Msg)
}

// RosterEntry is one student's history in a [Roster], with where each event was read.
type RosterEntry struct {
	History *History
	Source  Source   // where the student was first read
	Sources []Source // Sources[i] is where History.Events[i] was read
}

// RowErrors returns the rows behind the events err rejects: err is what [Engine.Evaluate]
// or [Engine.Classify] returned for the entry's history. Any other non-nil error is
// reported at the student's own row.
func (r RosterEntry) RowErrors(err error) []RowError {
	if err == nil {
		return nil
	}
	var herr *HistoryError
	if !errors.As(err, &herr) {
		return []RowError{{Source: r.Source, Student: r.History.Student.ID, Msg: err.Error()}}
	}
	out := make([]RowError, 0, len(herr.Events))
	for _, ev := range herr.Events {
		src := r.Source
		if ev.Index >= 0 && ev.Index < len(r.Sources) {
			src = r.Sources[ev.Index]
		}
		out = append(out, RowError{Source: src, Student: herr.Student, Msg: fmt.Sprintf("%s %s: %s", ev.Event.Date, ev.Event.Code, ev.Msg)})
	}
	return out
}

// Roster reads many students' histories from a district's exports: a students file, an
// events file (CSV as a SIS exports it, or Ed-Fi attendance events), an interventions
// file; or JSON Lines of whole histories. Rows may come in any order. A row that cannot
// be used never stops the others: it is recorded in Problems with its file and line.
//
// Read the students first: once a students file is read, events and interventions of
// any other student are problems ("unknown student"); without one, every student id
// met makes a student known by its id alone, enrolled every day of the calendar.
//
// A Roster is not safe for concurrent use while it reads; the histories it returns are
// safe to evaluate concurrently.
type Roster struct {
	// Problems lists the rows that were not used, in the order they were read.
	Problems []RowError
	// Events counts the event rows read into histories.
	Events int

	engine   *Engine
	cal      *calendar.Calendar
	byID     map[string]*RosterEntry
	students string // the students file read, if any
}

// NewRoster returns an empty roster for the histories an engine will evaluate under
// the calendar cal. The engine maps Ed-Fi events to codes and knows the ladder's steps;
// cal may be nil when only whole histories are read.
func NewRoster(e *Engine, cal *calendar.Calendar) *Roster {
	return &Roster{engine: e, cal: cal, byID: map[string]*RosterEntry{}}
}

// Entries returns the roster's students sorted by id, each with its history.
func (r *Roster) Entries() []RosterEntry {
	out := make([]RosterEntry, 0, len(r.byID))
	for _, e := range r.byID {
		out = append(out, *e)
	}
	slices.SortFunc(out, func(a, b RosterEntry) int { return strings.Compare(a.History.Student.ID, b.History.Student.ID) })
	return out
}

func (r *Roster) problem(src Source, student, format string, args ...any) {
	r.Problems = append(r.Problems, RowError{Source: src, Student: student, Msg: fmt.Sprintf(format, args...)})
}

// student returns the entry for id, making it when no students file was read.
func (r *Roster) student(id string, src Source) (*RosterEntry, bool) {
	if e, ok := r.byID[id]; ok {
		return e, true
	}
	if r.students != "" {
		r.problem(src, id, "unknown student (not in %s)", r.students)
		return nil, false
	}
	e := &RosterEntry{History: &History{Student: Student{ID: id, Flags: []Flag{}}, Calendar: r.cal}, Source: src}
	r.byID[id] = e
	return e, true
}

// ReadCalendar reads a school calendar as JSON; see [history.DecodeCalendar].
func ReadCalendar(data []byte, name string) (*calendar.Calendar, error) {
	return history.DecodeCalendar(data, name)
}

// table reads a CSV file with a header row naming its columns (in any order,
// case-insensitive). It calls row for every record with the record's line, and
// reports records it cannot parse as problems.
type table struct {
	name   string
	cols   map[string]int
	rec    []string
	line   int
	roster *Roster
}

func (t *table) get(col string) string {
	i, ok := t.cols[col]
	if !ok || i >= len(t.rec) {
		return ""
	}
	return strings.TrimSpace(t.rec[i])
}

func (t *table) src() Source { return Source{File: t.name, Line: t.line} }

func (r *Roster) readCSV(rd io.Reader, name string, known []string, required []string, row func(t *table)) error {
	cr := csv.NewReader(rd)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: empty file: want a header row (%s)", name, strings.Join(known, ","))
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	t := &table{name: name, cols: map[string]int{}, roster: r}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !slices.Contains(known, h) {
			return fmt.Errorf("%s:1: unknown column %q (want %s)", name, h, strings.Join(known, ","))
		}
		if _, dup := t.cols[h]; dup {
			return fmt.Errorf("%s:1: column %q given twice", name, h)
		}
		t.cols[h] = i
	}
	for _, c := range required {
		if _, ok := t.cols[c]; !ok {
			return fmt.Errorf("%s:1: no column %q (want %s)", name, c, strings.Join(known, ","))
		}
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			r.problem(Source{File: name, Line: pe.Line}, "", "%v", pe.Err)
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != len(header) {
			r.problem(Source{File: name, Line: line}, "", "%d fields, the header has %d", len(rec), len(header))
			continue
		}
		t.rec, t.line = rec, line
		row(t)
	}
}

// date parses a required date column, reporting a problem when it is missing or bad.
func (t *table) date(col, student string) (calendar.Date, bool) {
	s := t.get(col)
	if s == "" {
		t.roster.problem(t.src(), student, "no %s", col)
		return calendar.Date{}, false
	}
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.roster.problem(t.src(), student, "%s: bad date %q (want YYYY-MM-DD)", col, s)
		return calendar.Date{}, false
	}
	return d, true
}

// optDate parses an optional date column.
func (t *table) optDate(col, student string) (calendar.Date, bool) {
	if t.get(col) == "" {
		return calendar.Date{}, true
	}
	return t.date(col, student)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ReadStudents reads a students CSV with the header
//
//	student_id,birth_date,grade,school,enrolled_from,enrolled_to,flags
//
// (only student_id is required; columns in any order). Dates are YYYY-MM-DD; an empty
// enrolled_from means from the first day of the calendar, an empty enrolled_to means
// still enrolled. flags holds flags separated by ";", each NAME (every day) or
// NAME:FROM:TO (TO may be empty: open-ended). A student on several rows was enrolled
// over several spans (a transfer out and back): each row adds its span and flags.
func (r *Roster) ReadStudents(rd io.Reader, name string) error {
	r.students = name
	known := []string{"student_id", "birth_date", "grade", "school", "enrolled_from", "enrolled_to", "flags"}
	return r.readCSV(rd, name, known, known[:1], func(t *table) {
		id := t.get("student_id")
		if id == "" {
			r.problem(t.src(), "", "no student_id")
			return
		}
		birth, ok1 := t.optDate("birth_date", id)
		from, ok2 := t.optDate("enrolled_from", id)
		to, ok3 := t.optDate("enrolled_to", id)
		if !ok1 || !ok2 || !ok3 {
			return
		}
		if !to.IsZero() && to.Before(from) {
			r.problem(t.src(), id, "enrolled_to %s is before enrolled_from %s", to, from)
			return
		}
		var flags []Flag
		for _, f := range splitList(t.get("flags")) {
			parts := strings.Split(f, ":")
			fl := Flag{Name: strings.TrimSpace(parts[0])}
			if len(parts) != 1 && len(parts) != 3 || fl.Name == "" {
				r.problem(t.src(), id, "flag %q: want NAME or NAME:FROM:TO", f)
				return
			}
			if len(parts) == 3 {
				var err1, err2 error
				fl.From, err1 = calendar.ParseDate(strings.TrimSpace(parts[1]))
				if s := strings.TrimSpace(parts[2]); s != "" {
					fl.To, err2 = calendar.ParseDate(s)
				}
				if err1 != nil || err2 != nil {
					r.problem(t.src(), id, "flag %q: bad date (want NAME:YYYY-MM-DD:YYYY-MM-DD)", f)
					return
				}
			}
			flags = append(flags, fl)
		}
		e, seen := r.byID[id]
		if !seen {
			e = &RosterEntry{History: &History{Student: Student{ID: id, Flags: []Flag{}}, Calendar: r.cal}, Source: t.src()}
			r.byID[id] = e
			e.History.Student.BirthDate, e.History.Student.Grade, e.History.Student.School = birth, t.get("grade"), t.get("school")
		}
		e.History.Student.Flags = append(e.History.Student.Flags, flags...)
		if !from.IsZero() || !to.IsZero() || seen {
			if from.IsZero() && r.cal != nil {
				from = r.cal.First()
			}
			if !seen || len(e.History.Enrolment) > 0 {
				e.History.Enrolment = append(e.History.Enrolment, calendar.Span{From: from, To: to})
			}
		}
	})
}

// ReadEvents reads an events CSV as a SIS exports it, with the header
//
//	student_id,date,code,minutes,documents,comment,reason
//
// (student_id, date and code are required; columns in any order). minutes is the time
// missed on a partial day (empty: the whole day); documents are separated by ";".
func (r *Roster) ReadEvents(rd io.Reader, name string) error {
	known := []string{"student_id", "date", "code", "minutes", "documents", "comment", "reason"}
	return r.readCSV(rd, name, known, known[:3], func(t *table) {
		id := t.get("student_id")
		if id == "" {
			r.problem(t.src(), "", "no student_id")
			return
		}
		d, ok := t.date("date", id)
		if !ok {
			return
		}
		ev := Event{Date: d, Code: t.get("code"), Documents: splitList(t.get("documents")), Comment: t.get("comment"), Reason: t.get("reason")}
		if ev.Code == "" {
			r.problem(t.src(), id, "%s: no code", d)
			return
		}
		if s := t.get("minutes"); s != "" {
			m, err := strconv.Atoi(s)
			if err != nil || m < 0 {
				r.problem(t.src(), id, "%s %s: minutes %q is not a whole number of minutes", d, ev.Code, s)
				return
			}
			ev.Minutes = m
		}
		r.addEvent(t.src(), id, ev)
	})
}

func (r *Roster) addEvent(src Source, id string, ev Event) {
	e, ok := r.student(id, src)
	if !ok {
		return
	}
	e.History.Events = append(e.History.Events, ev)
	e.Sources = append(e.Sources, src)
	r.Events++
}

// checkStep returns why an intervention cannot be used, or "".
func (r *Roster) checkStep(iv Intervention) string {
	if iv.Step == "" {
		return "no step"
	}
	if iv.Date.IsZero() {
		return "no date"
	}
	if r.engine == nil {
		return ""
	}
	var ids []string
	for _, s := range r.engine.Pack().At(iv.Date).Ladder.Steps {
		ids = append(ids, s.ID)
	}
	if !slices.Contains(ids, iv.Step) {
		return fmt.Sprintf("unknown step %q for pack %s%s", iv.Step, r.engine.Pack().Name, suggestStep(iv.Step, ids))
	}
	return ""
}

// ReadInterventions reads the ladder steps already done, as CSV with the header
//
//	student_id,step,date
//
// A step the engine's ladder does not have on that date is a problem.
func (r *Roster) ReadInterventions(rd io.Reader, name string) error {
	known := []string{"student_id", "step", "date"}
	return r.readCSV(rd, name, known, known, func(t *table) {
		id := t.get("student_id")
		if id == "" {
			r.problem(t.src(), "", "no student_id")
			return
		}
		d, ok := t.date("date", id)
		if !ok {
			return
		}
		iv := Intervention{Step: t.get("step"), Date: d}
		if msg := r.checkStep(iv); msg != "" {
			r.problem(t.src(), id, "intervention %s %s: %s", d, iv.Step, msg)
			return
		}
		if e, ok := r.student(id, t.src()); ok {
			e.History.Interventions = append(e.History.Interventions, iv)
		}
	})
}

// ReadHistories reads JSON Lines: one history per line in the form of [DecodeHistory].
// A line that cannot be decoded, or a second history of the same student, is a problem;
// so is an intervention with a step the engine's ladder does not have (the history is
// kept without it).
func (r *Roster) ReadHistories(rd io.Reader, name string) error {
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 0, 64*1024), 64<<20)
	for line := 1; sc.Scan(); line++ {
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		src := Source{File: name, Line: line}
		h, err := DecodeHistory(text, src.String())
		if err != nil {
			msg := err.Error()
			if rest, ok := strings.CutPrefix(msg, src.String()+":1:"); ok {
				// a position inside the line: "h.jsonl:3:1:17: ..." reads "h.jsonl:3: column 17: ..."
				msg = "column " + rest
			} else {
				msg = strings.TrimPrefix(msg, src.String()+": ")
			}
			r.Problems = append(r.Problems, RowError{Source: src, Msg: msg})
			continue
		}
		id := h.Student.ID
		if id == "" {
			r.problem(src, "", "no student id")
			continue
		}
		if prev, dup := r.byID[id]; dup {
			r.problem(src, id, "a second history (the first is at %s)", prev.Source)
			continue
		}
		ivs := h.Interventions[:0:0]
		for i, iv := range h.Interventions {
			if msg := r.checkStep(iv); msg != "" {
				r.problem(src, id, "intervention %d (%s %s): %s", i+1, iv.Date, iv.Step, msg)
				continue
			}
			ivs = append(ivs, iv)
		}
		h.Interventions = ivs
		if h.Student.Flags == nil {
			h.Student.Flags = []Flag{}
		}
		e := &RosterEntry{History: h, Source: src, Sources: make([]Source, len(h.Events))}
		for i := range e.Sources {
			e.Sources[i] = src
		}
		r.byID[id] = e
		r.Events += len(h.Events)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

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
// map to a code of the pack through [Engine.EdFiCode]; "In Attendance" records are
// days present and are skipped. Fields other than those of [EdFiEvent] are ignored.
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
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('[') {
		if err != nil {
			return history.JSONError(name, data, err)
		}
		return fmt.Errorf("%s: want a JSON array of StudentSchoolAttendanceEvent records", name)
	}
	for n := 1; dec.More(); n++ {
		src := Source{File: name, Line: lineAt(dec.InputOffset())}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return history.JSONError(name, data, err)
		}
		var rec EdFiEvent
		if err := json.Unmarshal(raw, &rec); err != nil {
			r.problem(src, "", "record %d: %v", n, strings.TrimPrefix(err.Error(), "json: "))
			continue
		}
		r.addEdFi(src, n, rec)
	}
	if _, err := dec.Token(); err != nil {
		return history.JSONError(name, data, err)
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
	ev := Event{Date: rec.EventDate, Code: code, Reason: rec.Reason}
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
