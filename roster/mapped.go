package roster

import (
	"github.com/rollcall-go/rollcall/internal/safetext"

	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/codes"
	"github.com/rollcall-go/rollcall/history"
)

// UseMapping makes the roster read the SIS's files as m says: [Roster.ReadEvents],
// [Roster.ReadStudents] and [Roster.ReadInterventions] find their fields in the
// mapping's columns (other columns are ignored, never an error), read its date formats
// and translate codes by its table; [Roster.ReadEdFi] matches descriptors, trusts
// categories and places times as it says. Call it before reading anything.
//
// The codes the mapping translates to, and the codes it trusts Ed-Fi categories to,
// must be codes of the engine's pack (in its latest version).
func (r *Roster) UseMapping(m *Mapping) error {
	if m == nil {
		return errors.New("roster: no mapping")
	}
	if r.engine != nil {
		v := r.engine.Pack().Versions()
		catalog := v[len(v)-1].Codes
		var bad []string
		check := func(where, code string) {
			if _, ok := catalog.Lookup(code); !ok && code != "" {
				var ids []string
				for _, c := range catalog.All() {
					ids = append(ids, c.ID)
				}
				bad = append(bad, fmt.Sprintf("%s: %s is not a code of pack %s%s", where, safetext.ShowID(code), r.engine.Pack().Name, suggestion(code, ids)))
			}
		}
		for from, to := range m.codeMap {
			check("codes.map: "+safetext.ShowID(from), to)
		}
		for cat, to := range m.edfi.trust {
			check("edfi.trust: "+cat, to)
		}
		for uri, to := range m.edfi.descriptors {
			if _, ok := edfiCategoryName(to); !ok {
				check("edfi.descriptors: "+safetext.Show(uri), to)
			}
		}
		if len(bad) > 0 {
			slices.Sort(bad)
			return &MappingError{File: m.file, Msg: strings.Join(bad, "; ")}
		}
	}
	r.mapping = m
	for _, e := range r.byID {
		e.mapping = m
	}
	return nil
}

// Mapping returns the mapping the roster reads with, or nil.
func (r *Roster) Mapping() *Mapping { return r.mapping }

// SetSchoolCalendars gives each school its own calendar, by school id as the files
// name it (the students' school, or else the school of a student's first event); "*"
// is the calendar of any other school. A student of a school with no calendar (and no
// "*") falls back on the calendar given to [New]; without one, the student is a
// problem when [Roster.Entries] is called. Call it before reading students.
func (r *Roster) SetSchoolCalendars(cals map[string]*calendar.Calendar) {
	r.schoolCals = cals
}

// calFor returns the calendar of a school, or nil.
func (r *Roster) calFor(school string) *calendar.Calendar {
	if c, ok := r.schoolCals[school]; ok && school != "" {
		return c
	}
	if c, ok := r.schoolCals["*"]; ok {
		return c
	}
	return r.cal
}

// ReadSchoolCalendars reads calendars by school as JSON: an object whose keys are
// school ids ("*" for any other school) and whose values are calendars in the form of
// [ReadCalendar] (one school year, or a list of them). A file holding one calendar (an
// object with "first_day", or a list) is every school's: it comes back under "*".
// Errors are [*history.DecodeError].
func ReadSchoolCalendars(data []byte, name string) (map[string]*calendar.Calendar, error) {
	t := bytes.TrimSpace(data)
	if len(t) > 0 && t[0] == '[' {
		c, err := ReadCalendar(data, name)
		if err != nil {
			return nil, err
		}
		return map[string]*calendar.Calendar{"*": c}, nil
	}
	var keyed map[string]json.RawMessage
	if err := json.Unmarshal(data, &keyed); err != nil {
		return nil, history.JSONError(name, data, err)
	}
	if _, one := keyed["first_day"]; one {
		c, err := ReadCalendar(data, name)
		if err != nil {
			return nil, err
		}
		return map[string]*calendar.Calendar{"*": c}, nil
	}
	if len(keyed) == 0 {
		return nil, &history.DecodeError{File: name, Msg: `no calendars: want {"SCHOOL": {"first_day": ...}, ...} or one calendar`}
	}
	out := map[string]*calendar.Calendar{}
	schools := make([]string, 0, len(keyed))
	for k := range keyed {
		schools = append(schools, k)
	}
	slices.Sort(schools)
	for _, school := range schools {
		c, err := ReadCalendar(keyed[school], name)
		if err != nil {
			var de *history.DecodeError
			if errors.As(err, &de) {
				de.Line, de.Column = 0, 0 // a position inside the school's value, not the file's
				de.Msg = "school " + safetext.ShowID(school) + ": " + de.Msg
				return nil, de
			}
			return nil, err
		}
		out[school] = c
	}
	return out, nil
}

// codeEntry is one row of a codes table: the code an id stands for, and whether the
// SIS counts it present.
type codeEntry struct {
	code    string
	present bool
	src     Source
}

// ReadCodes reads the SIS's table of attendance codes by id (PowerSchool's
// Attendance_Code: ID, Att_Code, Presence_Status_CD, ...), which the events of a
// mapping with a codes_file name by id. Read it before the events. Columns other than
// the mapping's are ignored; an id given twice with two codes is a problem.
func (r *Roster) ReadCodes(rd io.Reader, name string) error {
	if r.mapping == nil || r.mapping.codesFile == nil {
		return fmt.Errorf("%s: a codes table needs a mapping that reads codes by id (codes_file)", name)
	}
	cf := r.mapping.codesFile
	spec := &tableSpec{fields: map[string][]colRef{"key": {{cf.key}}, "code": {{cf.code}}}}
	required := []string{"key"}
	if cf.presence != "" {
		spec.fields["presence"] = []colRef{{cf.presence}}
	}
	if r.codeTable == nil {
		r.codeTable = map[string]codeEntry{}
	}
	r.codesName = name
	return r.readSpec(rd, name, spec, required, func(t *table) {
		key := t.get("key")
		if key == "" {
			r.problem(t.src(), "", "no %s", t.label("key"))
			return
		}
		ce := codeEntry{code: t.get("code"), present: cf.present[strings.ToLower(t.get("presence"))], src: t.src()}
		if prev, dup := r.codeTable[key]; dup && (prev.code != ce.code || prev.present != ce.present) {
			r.problem(t.src(), "", "%s %s given twice with different codes (first at %s)", t.label("key"), safetext.ShowID(key), prev.src)
			return
		}
		r.codeTable[key] = ce
	}, nil)
}

// readMapped reads a CSV file of kind through the roster's mapping.
func (r *Roster) readMapped(rd io.Reader, name, kind string, row func(t *table)) error {
	spec := r.mapping.tables[kind]
	var prepare func(t *table, n int) error
	if cf := r.mapping.codesFile; kind == "events" && cf != nil {
		prepare = func(t *table, n int) error {
			// An export already joined with the codes table holds the code itself.
			if i, ok := t.column(cf.code); ok {
				t.mapped["code"], t.labels["code"] = [][]int{{i}}, cf.code
				t.joined, t.presence = true, -1
				if j, ok := t.column(cf.presence); ok && cf.presence != "" {
					t.presence = j
				}
				return nil
			}
			if r.codeTable == nil {
				return fmt.Errorf("%s:%d: mapping %s names codes by their id (%s): read the codes table first (--codes FILE), or export the events joined with it (a column %s)",
					name, n, r.mapping.name, t.label("code"), cf.code)
			}
			return nil
		}
	}
	return r.readSpec(rd, name, spec, tableFields[kind][:tableRequired[kind]], row, prepare)
}

// column returns the index of the header's column named name (without regard to case,
// and to a table's name before it: "Attendance.Att_Date", "[Attendance]Att_Date").
func (t *table) column(name string) (int, bool) {
	lc := strings.ToLower(strings.TrimSpace(name))
	if lc == "" || slices.Contains(t.ignore, lc) {
		return 0, false
	}
	if i, ok := t.index[lc]; ok {
		return i, true
	}
	i, ok := t.bare[lc]
	return i, ok && i >= 0
}

// bareName is a column's name without a table's name before it.
func bareName(h string) string {
	if i := strings.LastIndexAny(h, ".]"); i >= 0 {
		return h[i+1:]
	}
	return h
}

// readSpec reads a CSV file whose fields are where spec says: the header names the
// columns (in any order, case-insensitive); columns spec does not read are ignored.
// prepare, when not nil, sees the table once its columns are placed.
func (r *Roster) readSpec(rd io.Reader, name string, spec *tableSpec, required []string, row func(t *table), prepare func(t *table, n int) error) error {
	cr := newCSVReader(rd, &r.strs)
	if err := cr.detectComma(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	header, n, prob, err := cr.next()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: empty file: want a header row naming the columns", name)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if prob != nil {
		return fmt.Errorf("%s:%d: the header row cannot be read: %s", name, prob.line, prob.msg)
	}
	t := &table{name: name, roster: r, mapped: map[string][][]int{}, labels: map[string]string{}, spec: spec, skip: map[int][]string{},
		index: map[string]int{}, bare: map[string]int{}}
	twice := map[string]bool{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := t.index[h]; dup {
			twice[h] = true
			continue
		}
		t.index[h] = i
		b := bareName(h)
		if _, dup := t.bare[b]; dup {
			t.bare[b] = -1 // two tables' columns of that name: only their full names tell
		} else {
			t.bare[b] = i
		}
	}
	if r.mapping != nil {
		t.ignore = r.mapping.ignore
	}
	t.formats = spec.formats
	if t.formats == nil && r.mapping != nil {
		t.formats = r.mapping.formats
	}
	if t.formats == nil {
		t.formats = []dateFormat{isoDate}
	}
	fields := make([]string, 0, len(spec.fields))
	for f := range spec.fields {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	for _, f := range fields {
		for _, ref := range spec.fields[f] {
			var place []int
			for _, col := range ref {
				i, ok := t.column(col)
				if !ok {
					place = nil
					break
				}
				if twice[strings.ToLower(col)] {
					return fmt.Errorf("%s:%d: column %q given twice", name, n, col)
				}
				place = append(place, i)
			}
			if place == nil {
				continue
			}
			t.mapped[f] = append(t.mapped[f], place)
			if _, ok := t.labels[f]; !ok {
				t.labels[f] = strings.Join(ref, "+")
			}
		}
	}
	if prepare != nil {
		if err := prepare(t, n); err != nil {
			return err
		}
	}
	for _, f := range required {
		if len(t.mapped[f]) == 0 {
			want := make([]string, 0, len(spec.fields[f]))
			for _, ref := range spec.fields[f] {
				want = append(want, strings.Join(ref, "+"))
			}
			via := ""
			if r.mapping != nil && !spec.native {
				via = " (mapping " + r.mapping.name + ")"
			}
			return fmt.Errorf("%s:%d: no column %s for %s%s", name, n, strings.Join(want, " or "), f, via)
		}
	}
	for col, vals := range spec.skip {
		if i, ok := t.column(col); ok {
			t.skip[i] = vals
		}
	}
	return r.readRows(cr, t, len(header), row)
}

// translate turns the code of an event row into a code of the pack: through the codes
// table when the mapping reads codes by id, then the mapping's translation table, then
// (when codes are matched without regard to case) the pack's own spelling. It reports
// a day present (no code: the row is skipped), or a message for a row that cannot be
// used.
func (r *Roster) translate(t *table, raw string, d calendar.Date) (code string, present bool, msg string) {
	m := r.mapping
	switch cf := m.codesFile; {
	case cf != nil && t.joined:
		if t.presence >= 0 && t.presence < len(t.rec) {
			present = cf.present[strings.ToLower(strings.TrimSpace(t.rec[t.presence]))]
		}
	case cf != nil:
		if raw == "" || raw == "0" {
			return "", true, ""
		}
		ce, ok := r.codeTable[raw]
		if !ok {
			return "", false, fmt.Sprintf("%s %s is not in %s", t.label("code"), safetext.ShowID(raw), r.codesName)
		}
		raw, present = ce.code, ce.present
	}
	if m.present[m.codeKey(raw)] {
		return "", true, ""
	}
	code = strings.TrimSpace(raw)
	if to, ok := m.codeMap[m.codeKey(raw)]; ok {
		code = to
	} else if m.caseless {
		code = r.packSpelling(code, d)
	}
	if present && !r.packHas(code, d) {
		return "", true, "" // a mark of a day present the pack does not track
	}
	return code, present, ""
}

// packHas reports whether code is a code of the pack in force on d (true without an
// engine: nothing can be checked).
func (r *Roster) packHas(code string, d calendar.Date) bool {
	if r.engine == nil {
		return true
	}
	_, ok := r.engine.Pack().At(d).Codes.Lookup(code)
	return ok
}

// packCode returns the pack's code on d, or nil.
func (r *Roster) packCode(code string, d calendar.Date) *codes.Code {
	if r.engine == nil {
		return nil
	}
	c, _ := r.engine.Pack().At(d).Codes.Lookup(code)
	return c
}

// packSpelling returns the pack's code that code names without regard to case, or
// code itself.
func (r *Roster) packSpelling(code string, d calendar.Date) string {
	if r.engine == nil {
		return code
	}
	catalog := r.engine.Pack().At(d).Codes
	if _, ok := catalog.Lookup(code); ok {
		return code
	}
	if r.foldCodes == nil {
		r.foldCodes = map[*codes.Catalog]map[string]string{}
	}
	fold, ok := r.foldCodes[catalog]
	if !ok {
		fold = map[string]string{}
		for _, c := range catalog.All() {
			if _, dup := fold[strings.ToLower(c.ID)]; !dup {
				fold[strings.ToLower(c.ID)] = c.ID
			}
		}
		r.foldCodes[catalog] = fold
	}
	if id, ok := fold[strings.ToLower(code)]; ok {
		return id
	}
	return code
}

// finish rolls the period records read so far up into days and gives every student
// read from the SIS's files its school's calendar.
func (r *Roster) finish() {
	if r.schoolCals != nil {
		ids := make([]string, 0, len(r.byID))
		for id, e := range r.byID {
			if !e.whole {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		for _, id := range ids {
			e := r.byID[id]
			school := e.History.Student.School
			c := r.calFor(school)
			if c == nil {
				if school == "" {
					r.problem(e.Source, id, "no school, and no calendar for every school (\"*\"): the student is left out")
				} else {
					r.problem(e.Source, id, "school %s has no calendar: the student is left out", safetext.ShowID(school))
				}
				delete(r.byID, id)
				r.last = nil
				continue
			}
			e.History.Calendar = c
		}
	}
	if len(r.pending) > 0 {
		r.rollUp()
	}
}
