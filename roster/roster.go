// Package roster reads many students' attendance histories from a district's exports:
// the CSV files a student-information system (SIS) exports (students, events,
// interventions), Ed-Fi StudentSchoolAttendanceEvent and StudentSectionAttendanceEvent
// records, or JSON Lines of whole histories. A row that cannot be used never stops the
// others: it is recorded with its file and line, and the histories read are ready for a
// [rollcall.Engine].
//
// rollcall's own CSV has fixed columns; a SIS's export is read as it is through a
// [Mapping] ([LoadMapping]: a shipped preset such as "powerschool", or a district's YAML
// file), which names the columns, the date formats, the code translation table, how
// period records roll up into a day and which calendar each school keeps. Classified
// events go back to an Ed-Fi ODS as StudentSchoolAttendanceEvent resources with
// [Entry.EdFiEvents].
package roster

import (
	"github.com/rollcall-go/rollcall/internal/safetext"

	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/codes"
	"github.com/rollcall-go/rollcall/history"
	"github.com/rollcall-go/rollcall/internal/suggest"
	"github.com/rollcall-go/rollcall/policy"
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

// Error formats the problem as "file:line: student S1: message", on one line: an id
// that is not a plain token is quoted (control characters and bidirectional overrides
// escaped), and so is any such character left in the message, so that no input can
// forge a line of output.
func (e RowError) Error() string {
	if e.Student == "" {
		return safetext.Escape(fmt.Sprintf("%s: %s", e.Source, e.Msg))
	}
	return safetext.Escape(fmt.Sprintf("%s: student %s: %s", e.Source, safetext.ShowID(e.Student), e.Msg))
}

// Entry is one student's history in a [Roster], with where each event was read.
type Entry struct {
	History *history.History
	Source  Source   // where the student was first read
	Sources []Source // Sources[i] is where History.Events[i] was read

	whole   bool       // read as a whole history (JSON Lines): its events are named by position
	refs    []EventRef // refs[i] is what the input said of History.Events[i] beyond the event; may be short
	mapping *Mapping   // the mapping the entry was read with, if any (for Ed-Fi output)
}

// EventRef is what an event's input said beyond the event itself, kept so that the
// event can be written back: the school it was recorded at, and for an Ed-Fi record its
// session and times of arrival and departure.
type EventRef struct {
	School        string                // the school's id, when the row gave one
	Session       *EdFiSessionReference // the Ed-Fi session, when the record gave one
	ArrivalTime   string                // Ed-Fi arrivalTime, as read
	DepartureTime string                // Ed-Fi departureTime, as read
}

// Ref returns what the input said of History.Events[i] beyond the event (the zero
// EventRef when it said nothing more).
func (r Entry) Ref(i int) EventRef {
	if i < 0 || i >= len(r.refs) {
		return EventRef{}
	}
	return r.refs[i]
}

// Mapping returns the mapping the entry was read with, or nil.
func (r Entry) Mapping() *Mapping { return r.mapping }

// setRef records the ref of History.Events[i], growing refs only when one is given.
func (r *Entry) setRef(i int, ref EventRef) {
	if ref == (EventRef{}) {
		return
	}
	for len(r.refs) <= i {
		r.refs = append(r.refs, EventRef{})
	}
	r.refs[i] = ref
}

// RowErrors returns the rows behind the events err rejects, one [RowError] a problem:
// err is what [rollcall.Engine.Evaluate] or [rollcall.Engine.Classify] returned for
// the entry's history. Other problems joined in err (errors.Join) are reported at the
// student's own row, one each. An event is named by its date and code; in a history
// read whole (JSON Lines, or an Entry made without Sources) also by its position,
// "event 3 (2024-09-04 UNX)". Codes and messages are made safe to print: free text
// is given by its length, control characters are escaped.
func (r Entry) RowErrors(err error) []RowError {
	if err == nil {
		return nil
	}
	id := ""
	if r.History != nil {
		id = r.History.Student.ID
	}
	var out []RowError
	var walk func(error)
	walk = func(err error) {
		var herr *rollcall.HistoryError
		switch e := err.(type) {
		case nil:
			return
		case *rollcall.HistoryError:
			herr = e
		case interface{ Unwrap() []error }:
			for _, err := range e.Unwrap() {
				walk(err)
			}
			return
		default:
			if !errors.As(err, &herr) {
				out = append(out, RowError{Source: r.Source, Student: id, Msg: r.otherMsg(err, id)})
				return
			}
		}
		for _, ev := range herr.Events {
			src := r.Source
			if ev.Index >= 0 && ev.Index < len(r.Sources) {
				src = r.Sources[ev.Index]
			}
			what := fmt.Sprintf("%s %s", ev.Event.Date, safetext.ShowID(ev.Event.Code))
			if r.whole || len(r.Sources) == 0 {
				what = fmt.Sprintf("event %d (%s)", ev.Index+1, what)
			}
			out = append(out, RowError{Source: src, Student: herr.Student, Msg: what + ": " + safetext.Clip(ev.Msg)})
		}
	}
	walk(err)
	return out
}

// otherMsg is the message of a problem the engine found with a history that is not
// one of its events', without the prefixes the row already gives.
func (r Entry) otherMsg(err error, id string) string {
	msg := err.Error()
	for {
		m := strings.TrimPrefix(msg, "rollcall: ")
		if id != "" {
			m = strings.TrimPrefix(m, "student "+id+": ")
		}
		if m == msg {
			return safetext.Clip(msg)
		}
		msg = m
	}
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

	engine   *rollcall.Engine
	cal      *calendar.Calendar
	byID     map[string]*Entry
	students string // the students file read, if any

	mapping    *Mapping                      // how the SIS's files are read; nil: rollcall's own CSV
	schoolCals map[string]*calendar.Calendar // calendars by school id ("*": any other school)
	codeTable  map[string]codeEntry          // the SIS's codes by id (--codes)
	codesName  string                        // the file codeTable was read from
	pending    map[dayKey][]periodRec        // period records, rolled up into days by finish
	dayOrder   []dayKey                      // pending's keys in the order first read
	periodsOf  map[string]map[string]bool    // the periods each school's rows name
	foldCodes  map[*codes.Catalog]map[string]string

	strs      strCache            // the strings of CSV fields, shared by the roster's files
	events    slab[history.Event] // the students' events, run by run
	sources   slab[Source]        // and where they were read
	histories history.Decoder     // JSON Lines: histories with the same calendar share it
	lists     []string            // where list cuts its lists from
	last      *Entry              // the entry student last found, by its id: byID[lastID]
	lastID    string
}

// New returns an empty roster for the histories an engine will evaluate under the
// calendar cal. The engine maps Ed-Fi events to codes and knows the ladder's steps (it
// may be nil when no Ed-Fi events are read: steps are then not checked); cal may be nil
// when only whole histories are read.
func New(e *rollcall.Engine, cal *calendar.Calendar) *Roster {
	return &Roster{engine: e, cal: cal, byID: map[string]*Entry{}}
}

// Entries returns the roster's students sorted by id, each with its history. Period
// records read so far are first rolled up into days, and students are given their
// school's calendar (see [Roster.SetSchoolCalendars]); a student whose school has no
// calendar is a problem and is left out.
func (r *Roster) Entries() []Entry {
	r.finish()
	out := make([]Entry, 0, len(r.byID))
	for _, e := range r.byID {
		out = append(out, *e)
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.History.Student.ID, b.History.Student.ID) })
	return out
}

// problem records a row not used. Its message must give input values through safetext.Show
// or safetext.ShowID; it is escaped to one line all the same.
func (r *Roster) problem(src Source, student, format string, args ...any) {
	r.Problems = append(r.Problems, RowError{Source: src, Student: student, Msg: safetext.Escape(fmt.Sprintf(format, args...))})
}

// student returns the entry for id, making it when no students file was read.
func (r *Roster) student(id string, src Source) (*Entry, bool) {
	if r.last != nil && id == r.lastID { // the rows of a student mostly come together
		return r.last, true
	}
	if e, ok := r.byID[id]; ok {
		r.last, r.lastID = e, id
		return e, true
	}
	if r.students != "" {
		r.problem(src, id, "unknown student (not in %s)", r.students)
		return nil, false
	}
	e := r.newEntry(id, src)
	r.byID[id] = e
	return e, true
}

// newEntry returns the entry of a student known by id alone, first read at src.
func (r *Roster) newEntry(id string, src Source) *Entry {
	a := &struct { // one allocation for both
		e Entry
		h history.History
	}{}
	a.h = history.History{Student: history.Student{ID: id, Flags: []history.Flag{}}, Calendar: r.cal}
	a.e = Entry{History: &a.h, Source: src, mapping: r.mapping}
	return &a.e
}

// ReadCalendar reads a school calendar as JSON for [New]; see [history.DecodeCalendar].
// Errors are [*history.DecodeError].
func ReadCalendar(data []byte, name string) (*calendar.Calendar, error) {
	return history.DecodeCalendar(data, name)
}

// table reads a CSV file with a header row naming its columns (in any order,
// case-insensitive). It calls row for every record with the record's line, and
// reports records it cannot parse as problems. A file read through a [Mapping] finds
// each field in the columns the mapping names, and ignores the others.
type table struct {
	name   string
	cols   map[string]int // rollcall's own columns: field -> index
	own    [numFields]int // rollcall's own columns: fields[f] -> index, or -1
	rec    []string       // the current record; valid until the next
	line   int
	roster *Roster

	mapped  map[string][][]int // a mapped file: field -> each place it may be read from
	labels  map[string]string  // a mapped file: field -> the column that names it in messages
	formats []dateFormat       // a mapped file: its date formats
	skip    map[int][]string   // a mapped file: rows with one of these values are skipped
	spec    *tableSpec         // a mapped file: how it is read

	index    map[string]int // a mapped file: column name (lower case) -> index
	bare     map[string]int // a mapped file: name without a table's -> index (-1: two tables')
	ignore   []string       // a mapped file: columns never read (lower case)
	joined   bool           // a mapped events file holds the code itself, not its id
	presence int            // a joined events file: the presence column, or -1
}

// field is a field a row is read for, by number: rollcall's own column fieldNames[f],
// or where a mapping reads it.
type field uint8

const (
	fStudentID field = iota
	fBirthDate
	fGrade
	fSchool
	fEnrolledFrom
	fEnrolledTo
	fFlags
	fName
	fGuardianName
	fGuardianLanguage
	fGuardianAddress
	fGuardianPhone
	fGuardianEmail
	fGuardian2Name
	fGuardian2Language
	fGuardian2Address
	fGuardian2Phone
	fGuardian2Email
	fDate
	fCode
	fMinutes
	fDocuments
	fComment
	fReason
	fPeriod
	fDocumented
	fStep
	fOutcome
	fOutcomeDate
	fActor
	fNote
	numFields
)

// fieldNames are the fields' names: their columns in rollcall's own files, and their
// keys in a mapping.
var fieldNames = [numFields]string{
	"student_id", "birth_date", "grade", "school", "enrolled_from", "enrolled_to", "flags", "name",
	"guardian_name", "guardian_language", "guardian_address", "guardian_phone", "guardian_email",
	"guardian2_name", "guardian2_language", "guardian2_address", "guardian2_phone", "guardian2_email",
	"date", "code", "minutes", "documents", "comment", "reason", "period", "documented",
	"step", "outcome", "outcome_date", "actor", "note",
}

// guardianFields are the fields of the first guardian and of the second.
var guardianFields = [2][5]field{
	{fGuardianName, fGuardianLanguage, fGuardianAddress, fGuardianPhone, fGuardianEmail},
	{fGuardian2Name, fGuardian2Language, fGuardian2Address, fGuardian2Phone, fGuardian2Email},
}

// val returns field f of the current row, trimmed: [table.get] by the field's name,
// from the column placed once per file in rollcall's own files.
func (t *table) val(f field) string {
	if t.mapped != nil {
		return t.get(fieldNames[f])
	}
	i := t.own[f]
	if i < 0 || i >= len(t.rec) {
		return ""
	}
	return strings.TrimSpace(t.rec[i])
}

func (t *table) get(col string) string {
	if t.mapped != nil {
		sep := "/"
		if col == "name" || strings.HasSuffix(col, "_name") {
			sep = " "
		}
		for _, place := range t.mapped[col] {
			var parts []string
			for _, i := range place {
				if i < len(t.rec) {
					if v := strings.TrimSpace(t.rec[i]); v != "" {
						parts = append(parts, v)
					}
				}
			}
			if len(parts) > 0 {
				return strings.Join(parts, sep)
			}
		}
		return ""
	}
	i, ok := t.cols[col]
	if !ok || i >= len(t.rec) {
		return ""
	}
	return strings.TrimSpace(t.rec[i])
}

// label is how a message names a field: its column in the file.
func (t *table) label(col string) string {
	if l, ok := t.labels[col]; ok {
		return l
	}
	return col
}

func (t *table) src() Source { return Source{File: t.name, Line: t.line} }

func (r *Roster) readCSV(rd io.Reader, name string, known []string, required []string, row func(t *table)) error {
	cr := newCSVReader(rd, &r.strs)
	header, n, prob, err := cr.next()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: empty file: want a header row (%s)", name, strings.Join(known, ","))
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if prob != nil {
		return fmt.Errorf("%s:%d: the header row cannot be read: %s", name, prob.line, prob.msg)
	}
	t := &table{name: name, cols: map[string]int{}, roster: r}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !slices.Contains(known, h) {
			return fmt.Errorf("%s:%d: unknown column %s (want %s)", name, n, safetext.Show(h), strings.Join(known, ","))
		}
		if _, dup := t.cols[h]; dup {
			return fmt.Errorf("%s:%d: column %q given twice", name, n, h)
		}
		t.cols[h] = i
	}
	for _, c := range required {
		if _, ok := t.cols[c]; !ok {
			return fmt.Errorf("%s:%d: no column %q (want %s)", name, n, c, strings.Join(known, ","))
		}
	}
	for f, c := range fieldNames {
		t.own[f] = -1
		if i, ok := t.cols[c]; ok {
			t.own[f] = i
		}
	}
	return r.readRows(cr, t, len(header), row)
}

// readRows reads the records after the header into t, calling row for each.
func (r *Roster) readRows(cr *csvReader, t *table, fields int, row func(t *table)) error {
	cr.fields = fields
	for {
		rec, line, prob, err := cr.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
		if prob != nil {
			r.problem(Source{File: t.name, Line: prob.line}, "", "%s", prob.rowMsg())
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != fields {
			r.problem(Source{File: t.name, Line: line}, "", "%d fields, the header has %d", len(rec), fields)
			continue
		}
		t.rec, t.line = rec, line
		if t.skipped() {
			continue
		}
		row(t)
	}
}

// skipped reports whether the mapping skips the current row (a record of a kind it
// does not read, such as another attendance mode).
func (t *table) skipped() bool {
	for i, vals := range t.skip {
		if i < len(t.rec) && slices.ContainsFunc(vals, func(v string) bool { return strings.EqualFold(v, strings.TrimSpace(t.rec[i])) }) {
			return true
		}
	}
	return false
}

// date parses a required date field, reporting a problem when it is missing or bad.
func (t *table) date(f field, student string) (calendar.Date, bool) {
	s := t.val(f)
	if s == "" {
		t.roster.problem(t.src(), student, "no %s", t.label(fieldNames[f]))
		return calendar.Date{}, false
	}
	d, ok := parseDateIn(s, t.formats)
	if !ok {
		t.roster.problem(t.src(), student, "%s: bad date %s (want %s)", t.label(fieldNames[f]), safetext.Show(s), formatNames(t.formats))
		return calendar.Date{}, false
	}
	return d, true
}

// optDate parses an optional date field.
func (t *table) optDate(f field, student string) (calendar.Date, bool) {
	if t.val(f) == "" {
		return calendar.Date{}, true
	}
	return t.date(f, student)
}

// list is splitList, its slice cut from a block shared with the roster's other lists
// (with no capacity beyond its length, so that an append copies it).
func (r *Roster) list(s string) []string {
	n := 0
	for rest := s; rest != ""; {
		var p string
		p, rest, _ = strings.Cut(rest, ";")
		if strings.TrimSpace(p) != "" {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	if n > len(r.lists) {
		r.lists = make([]string, max(n, 256))
	}
	out := r.lists[:0:n]
	r.lists = r.lists[n:]
	for s != "" {
		var p string
		p, s, _ = strings.Cut(s, ";")
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// splitList returns the items of a list separated by ";", trimmed, without the empty
// ones; nil when there is none.
func splitList(s string) []string {
	var out []string
	for s != "" {
		p, rest, _ := strings.Cut(s, ";")
		if p = strings.TrimSpace(p); p != "" {
			if out == nil {
				out = make([]string, 0, strings.Count(rest, ";")+1)
			}
			out = append(out, p)
		}
		s = rest
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
//
// Optional columns say who the family is, for letters: name (the student's), and for
// up to two guardians guardian_name, guardian_language (a tag: en, es), guardian_address
// (its lines separated by ";" or newlines), guardian_phone, guardian_email, and the
// same with guardian2_. They are never quoted in a problem.
//
// With a mapping ([Roster.UseMapping]), the columns and date formats are the
// mapping's, and columns it does not name are ignored.
func (r *Roster) ReadStudents(rd io.Reader, name string) error {
	r.students = name
	if r.mapping != nil {
		return r.readMapped(rd, name, "students", r.studentRow)
	}
	return r.readCSV(rd, name, studentFields, studentFields[:studentRequired], r.studentRow)
}

func (r *Roster) studentRow(t *table) {
	id := t.val(fStudentID)
	if id == "" {
		r.problem(t.src(), "", "no %s", t.label("student_id"))
		return
	}
	birth, ok1 := t.optDate(fBirthDate, id)
	from, ok2 := t.optDate(fEnrolledFrom, id)
	to, ok3 := t.optDate(fEnrolledTo, id)
	if !ok1 || !ok2 || !ok3 {
		return
	}
	if t.spec != nil && t.spec.exitExclusive && !to.IsZero() {
		// The SIS's exit date is the first day the student is no longer enrolled.
		if !to.After(from) && !from.IsZero() {
			r.problem(t.src(), id, "%s %s is not after %s %s: enrolled for no day (a no-safetext.Show)", t.label("enrolled_to"), to, t.label("enrolled_from"), from)
			return
		}
		to = to.AddDays(-1)
	}
	if !to.IsZero() && to.Before(from) {
		r.problem(t.src(), id, "%s %s is before %s %s", t.label("enrolled_to"), to, t.label("enrolled_from"), from)
		return
	}
	var flags []history.Flag
	for _, f := range splitList(t.val(fFlags)) {
		parts := strings.Split(f, ":")
		fl := history.Flag{Name: strings.TrimSpace(parts[0])}
		if len(parts) != 1 && len(parts) != 3 || fl.Name == "" {
			r.problem(t.src(), id, "flag %s: want NAME or NAME:FROM:TO", safetext.Show(f))
			return
		}
		if len(parts) == 3 {
			var err1, err2 error
			fl.From, err1 = calendar.ParseDate(strings.TrimSpace(parts[1]))
			if s := strings.TrimSpace(parts[2]); s != "" {
				fl.To, err2 = calendar.ParseDate(s)
			}
			if err1 != nil || err2 != nil {
				r.problem(t.src(), id, "flag %s: bad date (want NAME:YYYY-MM-DD:YYYY-MM-DD)", safetext.Show(f))
				return
			}
		}
		flags = append(flags, fl)
	}
	school := t.val(fSchool)
	e, seen := r.byID[id]
	if !seen {
		e = r.newEntry(id, t.src())
		r.byID[id] = e
		e.History.Student.BirthDate, e.History.Student.Grade, e.History.Student.School = birth, t.val(fGrade), school
	}
	e.History.Student.Flags = append(e.History.Student.Flags, flags...)
	if n := t.val(fName); n != "" && e.History.Student.Name == "" {
		e.History.Student.Name = n
	}
	for _, g := range guardianFields {
		gd := history.Guardian{Name: t.val(g[0]), Language: t.val(g[1]), Address: t.val(g[2]),
			Phone: t.val(g[3]), Email: t.val(g[4])}
		if gd != (history.Guardian{}) && !slices.Contains(e.History.Student.Guardians, gd) {
			e.History.Student.Guardians = append(e.History.Student.Guardians, gd)
		}
	}
	if !from.IsZero() || !to.IsZero() || seen {
		if cal := r.calFor(e.History.Student.School); from.IsZero() && cal != nil {
			from = cal.First()
		}
		if !seen || len(e.History.Enrolment) > 0 {
			e.History.Enrolment = append(e.History.Enrolment, calendar.Span{From: from, To: to})
		}
	}
}

// ReadEvents reads an events CSV as a SIS exports it, with the header
//
//	student_id,date,code,minutes,documents,comment,reason
//
// (student_id, date and code are required; columns in any order). minutes is the time
// missed on a partial day (empty: the whole day); documents are separated by ";".
//
// With a mapping ([Roster.UseMapping]), the columns and date formats are the
// mapping's, and columns it does not name are ignored; codes are translated by the
// mapping's table (and by the codes table of [Roster.ReadCodes], when the mapping
// reads codes by id), and a row whose code records a day present is skipped. A row
// with a period (a class meeting) is kept until [Roster.Entries], which rolls the
// periods of a student's day into one event as the mapping says; a day with a daily
// record keeps that record alone.
func (r *Roster) ReadEvents(rd io.Reader, name string) error {
	if r.mapping != nil {
		return r.readMapped(rd, name, "events", r.eventRow)
	}
	known := eventFields[:7]
	return r.readCSV(rd, name, known, known[:eventRequired], r.eventRow)
}

func (r *Roster) eventRow(t *table) {
	id := t.val(fStudentID)
	if id == "" {
		r.problem(t.src(), "", "no %s", t.label("student_id"))
		return
	}
	d, ok := t.date(fDate, id)
	if !ok {
		return
	}
	code, present := t.val(fCode), false
	if r.mapping != nil {
		var msg string
		code, present, msg = r.translate(t, code, d)
		if msg != "" {
			r.problem(t.src(), id, "%s: %s", d, msg)
			return
		}
		if code == "" && present {
			return // a day present
		}
	}
	ev := history.Event{Date: d, Code: code, Documents: r.list(t.val(fDocuments)), Comment: t.val(fComment), Reason: t.val(fReason)}
	if ev.Code == "" {
		r.problem(t.src(), id, "%s: no code", d)
		return
	}
	if s := t.val(fMinutes); s != "" {
		m, err := strconv.Atoi(s)
		if err != nil || m < 0 {
			if safetext.FreeText(s) {
				r.problem(t.src(), id, "%s %s: %s is not a whole number of minutes %s", d, safetext.ShowID(ev.Code), t.label("minutes"), safetext.NotShown(s))
			} else {
				r.problem(t.src(), id, "%s %s: %s %s is not a whole number of minutes", d, safetext.ShowID(ev.Code), t.label("minutes"), safetext.Show(s))
			}
			return
		}
		ev.Minutes = m
	}
	if t.mapped != nil {
		if ev.Documented, ok = t.optDate(fDocumented, id); !ok {
			return
		}
	}
	school := t.val(fSchool)
	if period := t.val(fPeriod); t.mapped != nil && period != "" && !t.spec.noPeriod[period] {
		r.addPeriod(t.src(), id, periodRec{school: school, period: period, ev: ev, present: present})
		return
	}
	r.addEventRef(t.src(), id, ev, EventRef{School: school})
}

func (r *Roster) addEvent(src Source, id string, ev history.Event) {
	r.addEventRef(src, id, ev, EventRef{})
}

// addEventRef adds an event read at src to the student's history, with what the input
// said of it beyond the event. The school the event was recorded at fills in the
// student's school when no students file gave one.
func (r *Roster) addEventRef(src Source, id string, ev history.Event, ref EventRef) {
	e, ok := r.student(id, src)
	if !ok {
		return
	}
	if e.History.Student.School == "" && ref.School != "" {
		e.History.Student.School = ref.School
	}
	e.History.Events = r.events.add(e, e.History.Events, ev)
	e.Sources = r.sources.add(e, e.Sources, src)
	e.setRef(len(e.History.Events)-1, ref)
	r.Events++
}

// checkIntervention returns why an intervention cannot be used, or "". Whether its
// outcome is one the pack declares for the step is the engine's to say.
func (r *Roster) checkIntervention(iv history.Intervention) string {
	if iv.Step == "" {
		return "no step"
	}
	if iv.Date.IsZero() {
		return "no date"
	}
	if !iv.OutcomeDate.IsZero() {
		if iv.Outcome == "" {
			return fmt.Sprintf("outcome_date %s without an outcome", iv.OutcomeDate)
		}
		if iv.OutcomeDate.Before(iv.Date) {
			return fmt.Sprintf("outcome_date %s is before the step's date", iv.OutcomeDate)
		}
	}
	if r.engine == nil {
		return ""
	}
	steps := r.engine.Pack().At(iv.Date).Steps
	if !slices.ContainsFunc(steps, func(s *policy.Step) bool { return s.ID == iv.Step }) {
		ids := make([]string, 0, len(steps))
		for _, s := range steps {
			ids = append(ids, s.ID)
		}
		return fmt.Sprintf("unknown step %s for pack %s%s", safetext.Show(iv.Step), r.engine.Pack().Name, suggestion(iv.Step, ids))
	}
	return ""
}

// suggestion is a did-you-mean hint for a value not among options; none for free text,
// so that its cost is bounded by maxShown whatever the input.
func suggestion(s string, options []string) string {
	if safetext.FreeText(s) {
		return ""
	}
	return suggest.DidYouMean(s, options)
}

// ReadInterventions reads the ladder steps already done, as CSV with the header
//
//	student_id,step,date,outcome,outcome_date,actor,note
//
// (student_id, step and date are required; columns in any order). The optional columns
// are the fields of [history.Intervention]: outcome is what came of the step (one the
// pack declares for it), outcome_date the day it was known (empty: the step's date),
// actor who did the step, note free text.
//
// A step the engine's ladder does not have on that date is a problem, and so is an
// outcome_date without an outcome or before the step's date. An outcome the pack does
// not declare is the engine's to reject: [Entry.RowErrors] reports it at the student's
// first row. With a mapping, the columns (the same fields) and date formats are the
// mapping's.
func (r *Roster) ReadInterventions(rd io.Reader, name string) error {
	if r.mapping != nil {
		return r.readMapped(rd, name, "interventions", r.interventionRow)
	}
	return r.readCSV(rd, name, interventionFields, interventionFields[:interventionReq], r.interventionRow)
}

func (r *Roster) interventionRow(t *table) {
	id := t.val(fStudentID)
	if id == "" {
		r.problem(t.src(), "", "no %s", t.label("student_id"))
		return
	}
	d, ok1 := t.date(fDate, id)
	od, ok2 := t.optDate(fOutcomeDate, id)
	if !ok1 || !ok2 {
		return
	}
	iv := history.Intervention{Step: t.val(fStep), Date: d, Outcome: t.val(fOutcome), OutcomeDate: od, Actor: t.val(fActor), Note: t.val(fNote)}
	if msg := r.checkIntervention(iv); msg != "" {
		r.problem(t.src(), id, "intervention %s %s: %s", d, safetext.ShowID(iv.Step), msg)
		return
	}
	if e, ok := r.student(id, t.src()); ok {
		e.History.Interventions = append(e.History.Interventions, iv)
	}
}

// ReadHistories reads JSON Lines: one history per line in the form of [history.Decode],
// interventions with their outcome, outcome_date, actor and note. A line that cannot be
// decoded (placed by its column when the decoder gives one), or a second history of the
// same student, is a problem; so is an intervention with a step the engine's ladder does
// not have, or with an outcome_date without an outcome or before its date (the history
// is kept without it). A line of any length is read: one longer than [MaxLine] is a
// problem and skipped, and the lines after it are read.
func (r *Roster) ReadHistories(rd io.Reader, name string) error {
	lr := newLineReader(rd)
	for {
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
			continue
		}
		r.readHistory(bytes.TrimSpace(l.text), src)
	}
}

// readHistory reads the history on one line of JSON Lines.
func (r *Roster) readHistory(text []byte, src Source) {
	if len(text) == 0 {
		return
	}
	h, err := r.histories.Decode(text, src.String())
	if err != nil {
		var de *history.DecodeError
		if !errors.As(err, &de) {
			r.problem(src, "", "%s", safetext.Clip(strings.TrimPrefix(err.Error(), src.String()+": ")))
			return
		}
		msg := de.Msg
		if de.Line > 0 {
			// a position inside the line (always its line 1): "h.jsonl:3: column 17: ..."
			msg = fmt.Sprintf("column %d: %s", de.Column, de.Msg)
		}
		r.Problems = append(r.Problems, RowError{Source: src, Student: de.Student, Msg: safetext.Clip(msg)})
		return
	}
	id := h.Student.ID
	if id == "" {
		r.problem(src, "", "no student id")
		return
	}
	if prev, dup := r.byID[id]; dup {
		r.problem(src, id, "a second history (the first is at %s)", prev.Source)
		return
	}
	ivs := h.Interventions[:0:0]
	for i, iv := range h.Interventions {
		if msg := r.checkIntervention(iv); msg != "" {
			r.problem(src, id, "intervention %d (%s %s): %s", i+1, iv.Date, safetext.ShowID(iv.Step), msg)
			continue
		}
		ivs = append(ivs, iv)
	}
	h.Interventions = ivs
	if h.Student.Flags == nil {
		h.Student.Flags = []history.Flag{}
	}
	e := &Entry{History: h, Source: src, Sources: make([]Source, len(h.Events)), whole: true}
	for i := range e.Sources {
		e.Sources[i] = src
	}
	r.byID[id] = e
	r.Events += len(h.Events)
}
