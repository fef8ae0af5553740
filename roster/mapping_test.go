package roster

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/history"
)

// eventsOf lists a history's events as "date code" and the minutes of a partial day.
func eventsOf(h *history.History) []string {
	var out []string
	for _, ev := range h.Events {
		s := ev.Date.String() + " " + ev.Code
		if ev.Minutes > 0 {
			s += " " + strconv.Itoa(ev.Minutes)
		}
		out = append(out, s)
	}
	return out
}

func TestPresetsLoad(t *testing.T) {
	assert.Equal(t, []string{"edfi", "infinite-campus", "powerschool"}, Presets())
	for _, name := range Presets() {
		m, err := LoadMapping(name)
		require.NoError(t, err, name)
		assert.Equal(t, name, m.Name())
		assert.NotEmpty(t, m.Title())
	}
	ps, _ := LoadMapping("powerschool")
	assert.True(t, ps.NeedsCodes())
	assert.Equal(t, map[string][]string{"student_id": {"StudentID"}, "date": {"Att_Date"}, "school": {"SchoolID"}, "code": {"Attendance_CodeID"},
		"period": {"PeriodID"}, "comment": {"Att_Comment"}}, ps.Columns("events"))
	ic, _ := LoadMapping("infinite-campus")
	assert.Equal(t, []string{"code", "excuseCode", "status+excuse"}, ic.Columns("events")["code"])
	assert.Nil(t, ic.Columns("interventions"), "not described: rollcall's own columns")

	_, err := LoadMapping("powerschol")
	assert.EqualError(t, err, `powerschol: no such mapping: want a preset (edfi, infinite-campus, powerschool) or a YAML file (did you mean "powerschool"?)`)
}

// A PowerSchool-shaped export (extra columns, US dates and a time part, codes by id in
// lower and mixed case, two schools with their own calendars, daily and period
// records) read with the preset alone.
func TestPowerSchoolPreset(t *testing.T) {
	e, err := rollcall.Open("il-roe-sop")
	require.NoError(t, err)
	dir := filepath.Join("..", "testdata", "sis", "powerschool")
	read := func(name string) *os.File {
		f, err := os.Open(filepath.Join(dir, name))
		require.NoError(t, err)
		t.Cleanup(func() { f.Close() })
		return f
	}
	data, err := os.ReadFile(filepath.Join(dir, "calendars.json"))
	require.NoError(t, err)
	cals, err := ReadSchoolCalendars(data, "calendars.json")
	require.NoError(t, err)
	require.Len(t, cals, 2)

	m, err := LoadMapping("powerschool")
	require.NoError(t, err)
	r := New(e, nil)
	require.NoError(t, r.UseMapping(m))
	r.SetSchoolCalendars(cals)
	assert.ErrorContains(t, r.ReadEvents(read("Attendance.csv"), "Attendance.csv"), "read the codes table first (--codes FILE)")
	require.NoError(t, r.ReadCodes(read("Attendance_Code.csv"), "Attendance_Code.csv"))
	require.NoError(t, r.ReadStudents(read("Students.csv"), "Students.csv"))
	require.NoError(t, r.ReadEvents(read("Attendance.csv"), "Attendance.csv"))
	entries := r.Entries()
	assert.Empty(t, problems(r))
	require.Len(t, entries, 4)

	byID := map[string]Entry{}
	for _, en := range entries {
		byID[en.History.Student.ID] = en
	}
	ana := byID["1001"].History
	assert.Equal(t, "Ana Flores", ana.Student.Name)
	assert.Equal(t, "100", ana.Student.School)
	assert.Equal(t, calendar.MustParseDate("2024-08-26"), ana.Calendar.First(), "school 100's calendar")
	// ExitDate is the first day not enrolled: the span ends the day before.
	assert.Equal(t, calendar.Enrolment{{From: calendar.MustParseDate("2024-08-26"), To: calendar.MustParseDate("2025-06-06")}}, ana.Enrolment)
	assert.Equal(t, []string{"2024-09-03 ECE", "2024-09-10 ECE", "2024-09-12 ECE", "2024-09-17 ECE", "2024-09-23 ECE", "2024-09-27 ECE"}, eventsOf(ana),
		"lower-case codes in the pack's spelling; present and field-trip records skipped; a date with a time part")
	assert.Equal(t, "parent called", ana.Events[0].Comment)

	chloe := byID["2001"].History
	assert.Equal(t, 420, chloe.Calendar.Minutes(calendar.MustParseDate("2024-09-04")), "school 200's calendar")
	assert.Equal(t, []string{
		"2024-08-22 UNX",     // before school 100 opens: a school day at 200
		"2024-09-04 UNX",     // 7 of 7 periods: a whole day
		"2024-09-09 UNX",     //
		"2024-09-11 UNX 210", // 4 of 7: a half day of 420 minutes
		"2024-09-13 ECE 120", // 2 of 7: their share of the day
		"2024-09-16 ECE",     //
		"2024-09-18 TDY",     // tardy to a class: present, its own event
		"2024-09-19 UNX",
	}, eventsOf(chloe))
	assert.Equal(t, "skipped, seen off campus", chloe.Events[2].Comment)
	assert.Equal(t, Source{"Attendance.csv", 33}, byID["2001"].Sources[3], "a rolled-up day is placed at its first row")

	dev := byID["2002"].History
	assert.Equal(t, []string{"2024-09-05 MED", "2024-09-24 UNX 180"}, eventsOf(dev), "the daily record tells its day; present marks are no absence")
	assert.Equal(t, EventRef{School: "200"}, byID["2002"].Ref(1))

	for _, en := range entries {
		_, err := e.Evaluate(en.History, calendar.MustParseDate("2024-09-30"))
		assert.NoError(t, err, en.History.Student.ID)
	}
}

func newMapped(t *testing.T, pack, yaml string) (*rollcall.Engine, *Roster) {
	t.Helper()
	e, r := newTestRoster(t, pack)
	m, err := ParseMapping([]byte(yaml), "district.yaml")
	require.NoError(t, err)
	require.NoError(t, r.UseMapping(m))
	return e, r
}

// Columns, date formats, a translation table matched without regard to case, columns
// ignored, rows skipped; every problem at its file and line, named by its column.
func TestMappedCSV(t *testing.T) {
	_, r := newMapped(t, "il-roe-sop", `
name: district
date_formats: [M/D/YYYY, YYYY-MM-DD]
events:
  columns:
    student_id: [Pupil, Pupil_Alt]
    date: Day
    code: Mark
    comment: Note
    reason: Why
  skip: {Kind: [ignore-me]}
codes:
  case_insensitive: true
  map: {A: UNX, E: ECE, T: TDY}
  present: [P, ""]
ignore: [Why]
interventions:
  columns: {student_id: Pupil, step: Step, date: Done, outcome: Result, outcome_date: Known, actor: By, note: Memo}
`)
	events := "Pupil,Pupil_Alt,Day,Mark,Note,Why,Kind,Extra\n" +
		"S1,,9/3/2024,a,,sick,,x\n" +
		",S1,09/04/2024 00:00,E,called,,,\n" +
		"S1,,9/5/2024,p,,,,\n" +
		"S1,,9/6/2024,ill,,,,\n" + // not in the table: the pack's code, any case
		"S1,,2024-09-09,,,,,\n" + // no mark: present
		"S1,,13/9/2024,A,,,,\n" +
		"S1,,9/10/2024,A,,,ignore-me,\n" +
		",,9/11/2024,A,,,,\n" +
		"S1,,9/12/2024,Q,,,,\n"
	require.NoError(t, r.ReadEvents(strings.NewReader(events), "export.csv"))
	ivs := "Pupil,Step,Done,Result,Known,By,Memo,Other\n" +
		`S1,warning-letter,9/13/2024,waived,9/14/2024,attendance clerk,"moved away, records requested",x` + "\n" +
		"S1,warning-letter,9/16/2024,,9/17/2024,,,\n"
	require.NoError(t, r.ReadInterventions(strings.NewReader(ivs), "steps.csv"))
	assert.Equal(t, []string{
		`export.csv:7: student S1: Day: bad date "13/9/2024" (want M/D/YYYY or YYYY-MM-DD)`,
		`export.csv:9: no Pupil`,
		`steps.csv:3: student S1: intervention 2024-09-16 warning-letter: outcome_date 2024-09-17 without an outcome`,
	}, problems(r))
	entries := r.Entries()
	require.Len(t, entries, 1)
	h := entries[0].History
	assert.Equal(t, []string{"2024-09-03 UNX", "2024-09-04 ECE", "2024-09-06 ILL", "2024-09-12 Q"}, eventsOf(h))
	assert.Empty(t, h.Events[0].Reason, "Why is ignored")
	assert.Equal(t, "called", h.Events[1].Comment)
	assert.Equal(t, []history.Intervention{{Step: "warning-letter", Date: calendar.MustParseDate("2024-09-13"), Outcome: "waived",
		OutcomeDate: calendar.MustParseDate("2024-09-14"), Actor: "attendance clerk", Note: "moved away, records requested"}}, h.Interventions,
		"outcome, outcome date, actor and note through a mapping")

	// The unknown code is the engine's to reject, at its row.
	e, _ := rollcall.Open("il-roe-sop")
	_, err := e.Classify(h, calendar.MustParseDate("2024-09-30"))
	require.Error(t, err)
	rows := entries[0].RowErrors(err)
	require.Len(t, rows, 1)
	assert.Equal(t, Source{"export.csv", 10}, rows[0].Source)

	// A header without a required column stops the file, naming the mapping's column.
	err = r.ReadEvents(strings.NewReader("Pupil,Mark\nS1,A\n"), "bad.csv")
	assert.EqualError(t, err, `bad.csv:1: no column Day for date (mapping district)`)
}

func TestMappingErrors(t *testing.T) {
	for _, c := range []struct{ name, yaml, want string }{
		{"unknown key", "name: x\nevents:\n  colums: {}\n", "district.yaml:3: field colums not found in rawTable"},
		{"unknown field", "events:\n  columns: {studnet_id: X, date: D, code: C}\n", `events.columns: unknown field "studnet_id"`},
		{"required", "events:\n  columns: {date: D, code: C}\n", "events.columns: no column for student_id (required)"},
		{"date format", "date_formats: [DD.MM]\n", `date format "DD.MM": want a year (YYYY)`},
		{"rule", "periods: {rule: hours}\n", `periods.rule: "hours"`},
		{"thresholds", "periods: {half_day: 0.8, whole_day: 0.6}\n", "want 0 < half_day < whole_day <= 1"},
		{"trust", "edfi: {trust: [Excused]}\n", `edfi.trust: "Excused" is not an Ed-Fi category`},
		{"day start", "edfi: {day_start: {\"*\": \"8 o'clock\"}}\n", `edfi.day_start: school *: "8 o'clock" is not a time of day`},
		{"extends", "extends: powerschol\n", `extends "powerschol": no such preset`},
		{"empty map", "codes: {map: {A: \"\"}}\n", `codes.map: "A" maps to no code`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseMapping([]byte(c.yaml), "district.yaml")
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			var me *MappingError
			assert.ErrorAs(t, err, &me)
		})
	}

	// A code the pack lacks is caught when the mapping is used.
	e, r := newTestRoster(t, "il-roe-sop")
	m, err := ParseMapping([]byte("codes: {map: {A: UNXX}}\nedfi: {trust: {Excused Absence: NOPE}}\n"), "district.yaml")
	require.NoError(t, err)
	err = r.UseMapping(m)
	assert.EqualError(t, err, `district.yaml: codes.map: A: UNXX is not a code of pack il-roe-sop (did you mean "UNX"?); edfi.trust: Excused Absence: NOPE is not a code of pack il-roe-sop`)
	_ = e
}

// A district's file extends a preset and changes only what differs; its calendars are
// read relative to it.
func TestMappingExtendsFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
		return p
	}
	write("base.yaml", "extends: powerschool\ncodes: {map: {A: UNX}}\ncalendars: {\"100\": cal100.json}\n")
	p := write("district.yaml", "extends: base.yaml\nname: springfield\ncodes: {map: {T: TDY}}\ncalendars: {\"200\": cals/200.json}\nperiods: {per_day: {\"200\": 7}}\n")
	m, err := LoadMapping(p)
	require.NoError(t, err)
	assert.Equal(t, "springfield", m.Name())
	assert.True(t, m.NeedsCodes(), "from the preset")
	assert.Equal(t, map[string]string{"A": "UNX", "T": "TDY"}, map[string]string{"A": m.codeMap["a"], "T": m.codeMap["t"]}, "maps merge; the preset's codes are matched without case")
	assert.Equal(t, map[string]string{"100": filepath.Join(dir, "cal100.json"), "200": filepath.Join(dir, "cals", "200.json")}, m.Calendars())
	assert.Equal(t, 7, m.periods.perDay["200"])
	assert.Equal(t, 0.5, m.periods.halfDay)

	write("loop.yaml", "extends: loop.yaml\n")
	_, err = LoadMapping(filepath.Join(dir, "loop.yaml"))
	assert.ErrorContains(t, err, "a cycle")
	write("escape.yaml", "calendars: {\"1\": ../../etc/cal.json}\n")
	_, err = LoadMapping(filepath.Join(dir, "escape.yaml"))
	assert.ErrorContains(t, err, "outside the mapping's directory")
}

func TestDateFormats(t *testing.T) {
	var formats []dateFormat
	for _, f := range []string{"M/D/YYYY", "YYYY-MM-DD", "MM/DD/YYYY hh:mm", "D.M.YYYY", "M/D/YYYY h:mm:ss AM"} {
		df, err := parseDateFormat(f)
		require.NoError(t, err, f)
		formats = append(formats, df)
	}
	for in, want := range map[string]string{
		"9/3/2024": "2024-09-03", "09/03/2024": "2024-09-03", "2024-09-03": "2024-09-03", "09/03/2024 00:00": "2024-09-03",
		"9/3/2024 12:00:00 AM": "2024-09-03", "2024-09-03T08:00:00": "2024-09-03", "3.9.2024": "2024-09-03", "2/29/2024": "2024-02-29",
	} {
		d, ok := parseDateIn(in, formats)
		if assert.True(t, ok, in) {
			assert.Equal(t, want, d.String(), in)
		}
	}
	for _, in := range []string{"2/30/2024", "13/1/2024", "9/3/24", "9/3/2024 noon", "Sept 3"} {
		_, ok := parseDateIn(in, formats)
		assert.False(t, ok, in)
	}
	for _, bad := range []string{"DD/MM", "YYYY-MM-DD_x", "YYYY-MM-DD 2"} {
		_, err := parseDateFormat(bad)
		assert.Error(t, err, bad)
	}
}

// Calendars by school: an object keyed by school id, or one calendar for every school.
func TestReadSchoolCalendars(t *testing.T) {
	cals, err := ReadSchoolCalendars([]byte(`{"100": `+rosterCal+`, "*": [`+rosterCal+`]}`), "cals.json")
	require.NoError(t, err)
	assert.Len(t, cals, 2)
	cals, err = ReadSchoolCalendars([]byte(rosterCal), "cal.json")
	require.NoError(t, err)
	assert.Contains(t, cals, "*")
	_, err = ReadSchoolCalendars([]byte(`{"100": {"first_day": "2024-08-26"}}`), "cals.json")
	assert.ErrorContains(t, err, "cals.json: school 100: ")

	// A student whose school has no calendar is left out, with a problem at its row.
	e, r := newTestRoster(t, "il-roe-sop")
	m, _ := LoadMapping("edfi")
	require.NoError(t, r.UseMapping(m))
	one, _ := ReadCalendar([]byte(rosterCal), "cal.json")
	r.SetSchoolCalendars(map[string]*calendar.Calendar{"100": one})
	r.cal = nil
	require.NoError(t, r.ReadStudents(strings.NewReader("student_id,school\nS1,100\nS2,300\n"), "s.csv"))
	assert.Len(t, r.Entries(), 1)
	assert.Equal(t, []string{`s.csv:3: student S2: school 300 has no calendar: the student is left out`}, problems(r))
	_ = e
}

// Data Export Manager's defaults: tab-delimited, columns named with their table, the
// code joined from Attendance_Code in the same file (no codes table).
func TestPowerSchoolJoinedTabs(t *testing.T) {
	e, r := newTestRoster(t, "il-roe-sop")
	m, err := LoadMapping("powerschool")
	require.NoError(t, err)
	require.NoError(t, r.UseMapping(m))
	rows := []string{
		"[Attendance]StudentID\t[Attendance]SchoolID\t[Attendance]Att_Date\t[Attendance]Att_Mode_Code\t[Attendance]PeriodID\t[Attendance_Code]Att_Code\t[Attendance_Code]Presence_Status_CD\t[Attendance_Code]Description\t[Attendance]Att_Comment",
		"1001\t100\t9/3/2024\tATT_ModeDaily\t0\tunx\tAbsent\tUnexcused\tno call, no note",
		"1001\t100\t9/4/2024\tATT_ModeDaily\t0\t\tPresent\tPresent\t",
		"1001\t100\t9/5/2024\tATT_ModeDaily\t0\tT\tPresent\tTardy, an office code the pack lacks\t",
		"1001\t100\t9/6/2024\tATT_ModeDaily\t0\ttdy\tPresent\tTardy\t",
		"1001\t100\t9/31/2024\tATT_ModeDaily\t0\tunx\tAbsent\tUnexcused\t",
	}
	require.NoError(t, r.ReadEvents(strings.NewReader(strings.Join(rows, "\r\n")+"\r\n"), "export.txt"))
	assert.Equal(t, []string{`export.txt:6: student 1001: Att_Date: bad date "9/31/2024" (want M/D/YYYY or YYYY-MM-DD)`}, problems(r))
	entries := r.Entries()
	require.Len(t, entries, 1)
	assert.Equal(t, []string{"2024-09-03 UNX", "2024-09-06 TDY"}, eventsOf(entries[0].History))
	assert.Equal(t, "no call, no note", entries[0].History.Events[0].Comment)
	_ = e

	df, err := parseDateFormat("M/D/YY")
	require.NoError(t, err)
	d, ok := parseDateIn("9/3/24", []dateFormat{df})
	require.True(t, ok)
	assert.Equal(t, "2024-09-03", d.String())
}
