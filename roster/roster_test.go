package roster

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/history"
)

const rosterCal = `{"first_day": "2024-08-26", "last_day": "2025-06-06", "closed": ["2024-09-02"], "minutes_per_day": 400}`

func newTestRoster(t testing.TB, pack string) (*rollcall.Engine, *Roster) {
	t.Helper()
	e, err := rollcall.Open(pack)
	require.NoError(t, err)
	cal, err := ReadCalendar([]byte(rosterCal), "cal.json")
	require.NoError(t, err)
	return e, New(e, cal)
}

func problems(r *Roster) []string {
	var out []string
	for _, p := range r.Problems {
		out = append(out, p.Error())
	}
	return out
}

func TestReadCalendar(t *testing.T) {
	cal, err := ReadCalendar([]byte("["+rosterCal+"]"), "cal.json")
	require.NoError(t, err)
	assert.Equal(t, 400, cal.Minutes(calendar.MustParseDate("2024-09-03")))
	_, err = ReadCalendar([]byte(`{"first_day": "2024-08-26", "last_dy": "2025-06-06"}`), "cal.json")
	assert.ErrorContains(t, err, "cal.json")
	assert.ErrorContains(t, err, "last_dy")
}

func TestRosterCSV(t *testing.T) {
	e, r := newTestRoster(t, "il-roe-sop")
	students := "\ufeffStudent_ID,grade,enrolled_from,enrolled_to,flags\n" +
		"S1,3,,,\n" +
		"S2,4,2024-09-03,2024-09-30,project-connect:2024-09-01:\n" +
		"S2,4,2024-10-15,,\n" + // a transfer back: a second span
		"S3,5,2024-13-01,,\n" +
		"S4,5,,,bad:flag\n"
	require.NoError(t, r.ReadStudents(strings.NewReader(students), "students.csv"))
	events := "student_id,date,code,minutes,documents\n" +
		"S2,2024-09-05,ILL,,parent-note; medical-note\n" +
		"S1,2024-09-04,TDY,30,late-arrival-log\n" +
		"S1,2024-09-04,TDY,x,\n" +
		"S9,2024-09-04,UNX,,\n" +
		"S1,2024-09-06\n" +
		"S1,2024-09-07,UNX,,\n"
	require.NoError(t, r.ReadEvents(strings.NewReader(events), "events.csv"))
	require.NoError(t, r.ReadInterventions(strings.NewReader("student_id,step,date\nS1,warning-letter,2024-09-10\nS1,warning-leter,2024-09-10\n"), "iv.csv"))
	assert.Equal(t, []string{
		`students.csv:5: student S3: enrolled_from: bad date "2024-13-01" (want YYYY-MM-DD)`,
		`students.csv:6: student S4: flag "bad:flag": want NAME or NAME:FROM:TO`,
		`events.csv:4: student S1: 2024-09-04 TDY: minutes "x" is not a whole number of minutes`,
		`events.csv:5: student S9: unknown student (not in students.csv)`,
		`events.csv:6: 2 fields, the header has 5`,
		`iv.csv:3: student S1: intervention 2024-09-10 warning-leter: unknown step "warning-leter" for pack il-roe-sop (did you mean "warning-letter"?)`,
	}, problems(r))
	assert.Equal(t, 3, r.Events)

	entries := r.Entries()
	require.Len(t, entries, 2)
	s1, s2 := entries[0], entries[1]
	assert.Equal(t, "S1", s1.History.Student.ID)
	assert.Empty(t, s1.History.Enrolment, "no dates: enrolled all year")
	assert.Equal(t, []history.Intervention{{Step: "warning-letter", Date: calendar.MustParseDate("2024-09-10")}}, s1.History.Interventions)
	assert.Equal(t, calendar.Enrolment{{From: calendar.MustParseDate("2024-09-03"), To: calendar.MustParseDate("2024-09-30")}, {From: calendar.MustParseDate("2024-10-15")}}, s2.History.Enrolment)
	assert.Equal(t, []history.Flag{{Name: "project-connect", From: calendar.MustParseDate("2024-09-01")}}, s2.History.Student.Flags)
	assert.Equal(t, []string{"parent-note", "medical-note"}, s2.History.Events[0].Documents)
	assert.Equal(t, 30, s1.History.Events[0].Minutes)

	// The engine's rejections come back with the row they were read from.
	_, err := e.Evaluate(s1.History, calendar.MustParseDate("2024-09-30"))
	assert.Equal(t, []RowError{{Source: Source{"events.csv", 7}, Student: "S1", Msg: "2024-09-07 UNX: 2024-09-07 is a Saturday, not a school day"}}, s1.RowErrors(err))
	assert.Nil(t, s2.RowErrors(nil))
}

func TestRosterNoStudentsFile(t *testing.T) {
	_, r := newTestRoster(t, "illinois")
	require.NoError(t, r.ReadEvents(strings.NewReader("date,code,student_id\n2024-09-04,UNX,B\n2024-09-05,UNX,A\n"), "e.csv"))
	entries := r.Entries()
	require.Len(t, entries, 2)
	assert.Equal(t, "A", entries[0].History.Student.ID, "sorted by id")
	assert.Equal(t, Source{"e.csv", 3}, entries[0].Source)
	assert.Empty(t, r.Problems)

	err := r.ReadEvents(strings.NewReader("student,date,code\n"), "bad.csv")
	assert.EqualError(t, err, `bad.csv:1: unknown column "student" (want student_id,date,code,minutes,documents,comment,reason)`)
	err = r.ReadEvents(strings.NewReader(""), "empty.csv")
	assert.ErrorContains(t, err, "empty.csv: empty file")
}

func TestRosterEdFi(t *testing.T) {
	_, r := newTestRoster(t, "ccs")
	records := `[
 {"studentReference": {"studentUniqueId": "E1"}, "schoolReference": {"schoolId": 7},
  "attendanceEventCategoryDescriptor": "uri://ed-fi.org/AttendanceEventCategoryDescriptor#Excused Absence",
  "eventDate": "2024-09-04", "attendanceEventReason": "sick"},
 {"studentReference": {"studentUniqueId": "E1"}, "attendanceEventCategoryDescriptor": "In Attendance", "eventDate": "2024-09-05"},
 {"studentReference": {"studentUniqueId": "E1"}, "attendanceEventCategoryDescriptor": "Tardy", "eventDate": "2024-09-06",
  "attendanceEventReason": "bus", "schoolAttendanceDuration": 25, "eventDuration": 0.5},
 {"studentReference": {"studentUniqueId": "E1"}, "attendanceEventCategoryDescriptor": "Early departure", "eventDate": "2024-09-09", "eventDuration": 0.25},
 {"studentReference": {"studentUniqueId": "E1"}, "attendanceEventCategoryDescriptor": "Unexcused Absence", "eventDate": "2024-09-10", "eventDuration": 1},
 {"studentReference": {"studentUniqueId": "E1"}, "attendanceEventCategoryDescriptor": "Recess", "eventDate": "2024-09-11"},
 {"studentReference": {"studentUniqueId": "E1"}, "attendanceEventCategoryDescriptor": "Tardy", "eventDate": "2024-9-12"}
]`
	require.NoError(t, r.ReadEdFi(strings.NewReader(records), "edfi.json"))
	entries := r.Entries()
	require.Len(t, entries, 1)
	h := entries[0].History
	assert.Equal(t, "7", h.Student.School)
	var got []string
	for _, ev := range h.Events {
		got = append(got, ev.Date.String()+" "+ev.Code+" "+strconv.Itoa(ev.Minutes))
	}
	assert.Equal(t, []string{"2024-09-04 MED 0", "2024-09-06 LBS 25", "2024-09-09 ELU 100", "2024-09-10 UNX 0"}, got)
	assert.Equal(t, []Source{{"edfi.json", 2}, {"edfi.json", 6}, {"edfi.json", 8}, {"edfi.json", 9}}, entries[0].Sources)
	require.Len(t, r.Problems, 2)
	assert.Equal(t, `edfi.json:10: student E1: record 6 (2024-09-11): no edfi mapping in pack ccs for category "Recess" with no reason`, r.Problems[0].Error())
	assert.Contains(t, r.Problems[1].Error(), `edfi.json:11: record 7:`)

	assert.ErrorContains(t, r.ReadEdFi(strings.NewReader(`"a"`), "str.json"), "want a JSON array")
	// An object is a record of JSON Lines.
	require.NoError(t, r.ReadEdFi(strings.NewReader(`{"a": 1}`), "obj.jsonl"))
	assert.Equal(t, "obj.jsonl:1: record 1: no studentReference.studentUniqueId", r.Problems[len(r.Problems)-1].Error())
}

func TestRosterHistories(t *testing.T) {
	_, r := newTestRoster(t, "il-roe-sop")
	h := `{"student": {"id": "H1"}, "calendar": ` + rosterCal + `, "events": [{"date": "2024-09-04", "code": "ECE"}], "interventions": [{"step": "warning-leter", "date": "2024-09-05"}]}`
	in := h + "\n\n{not json\n" + h + "\n"
	require.NoError(t, r.ReadHistories(strings.NewReader(in), "h.jsonl"))
	ps := problems(r)
	require.Len(t, ps, 3)
	assert.Equal(t, `h.jsonl:1: student H1: intervention 1 (2024-09-05 warning-leter): unknown step "warning-leter" for pack il-roe-sop (did you mean "warning-letter"?)`, ps[0])
	// The column comes from history.Decode (which counts it one past the bad byte).
	assert.Regexp(t, `^h\.jsonl:3: column \d+: invalid character 'n' looking for beginning of object key string$`, ps[1])
	assert.Equal(t, `h.jsonl:4: student H1: a second history (the first is at h.jsonl:1)`, ps[2])
	entries := r.Entries()
	require.Len(t, entries, 1)
	assert.Empty(t, entries[0].History.Interventions)
	assert.Equal(t, []Source{{"h.jsonl", 1}}, entries[0].Sources)
}

func TestRosterInterventionOutcomes(t *testing.T) {
	_, r := newTestRoster(t, "il-roe-sop")
	ivs := "student_id,date,step,outcome,outcome_date,actor,note\n" +
		"S1,2024-09-10,warning-letter,,,,\n" +
		`S1,2024-09-20,probation-letter,waived,2024-09-23,principal,"moved away, records requested"` + "\n" +
		"S1,2024-09-24,warning-letter,,2024-09-25,,\n" +
		"S1,2024-09-24,warning-letter,sent,2024-09-20,,\n" +
		"S1,2024-09-24,warning-letter,sent,2024-9-25,,\n"
	require.NoError(t, r.ReadInterventions(strings.NewReader(ivs), "iv.csv"))
	assert.Equal(t, []string{
		`iv.csv:4: student S1: intervention 2024-09-24 warning-letter: outcome_date 2024-09-25 without an outcome`,
		`iv.csv:5: student S1: intervention 2024-09-24 warning-letter: outcome_date 2024-09-20 is before the step's date`,
		`iv.csv:6: student S1: outcome_date: bad date "2024-9-25" (want YYYY-MM-DD)`,
	}, problems(r))
	entries := r.Entries()
	require.Len(t, entries, 1)
	assert.Equal(t, []history.Intervention{
		{Step: "warning-letter", Date: calendar.MustParseDate("2024-09-10")},
		{Step: "probation-letter", Date: calendar.MustParseDate("2024-09-20"), Outcome: "waived", OutcomeDate: calendar.MustParseDate("2024-09-23"),
			Actor: "principal", Note: "moved away, records requested"},
	}, entries[0].History.Interventions)

	// The three required columns alone still do; an unknown column names the optional ones.
	_, r = newTestRoster(t, "il-roe-sop")
	require.NoError(t, r.ReadInterventions(strings.NewReader("student_id,step,date\nS1,warning-letter,2024-09-10\n"), "iv.csv"))
	assert.Empty(t, r.Problems)
	err := r.ReadInterventions(strings.NewReader("student_id,step,date,result\n"), "iv.csv")
	assert.EqualError(t, err, `iv.csv:1: unknown column "result" (want student_id,step,date,outcome,outcome_date,actor,note)`)
	err = r.ReadInterventions(strings.NewReader("student_id,step,outcome\n"), "iv.csv")
	assert.EqualError(t, err, `iv.csv:1: no column "date" (want student_id,step,date,outcome,outcome_date,actor,note)`)
}

func TestRosterHistoriesOutcomes(t *testing.T) {
	_, r := newTestRoster(t, "il-roe-sop")
	line := func(id, ivs string) string {
		return `{"student": {"id": "` + id + `"}, "calendar": ` + rosterCal + `, "interventions": [` + ivs + "]}\n"
	}
	in := line("H1", `{"step": "warning-letter", "date": "2024-09-10", "outcome": "sent", "outcome_date": "2024-09-11", "actor": "attendance clerk", "note": "by mail"}, `+
		`{"step": "warning-letter", "date": "2024-09-12", "outcome_date": "2024-09-13"}`) +
		line("H2", `{"step": "warning-letter", "date": "2024-09-10", "outcome_date": "2024-9-11"}`)
	require.NoError(t, r.ReadHistories(strings.NewReader(in), "h.jsonl"))
	assert.Equal(t, []string{
		`h.jsonl:1: student H1: intervention 2 (2024-09-12 warning-letter): outcome_date 2024-09-13 without an outcome`,
		`h.jsonl:2: student H2: intervention 1: bad date "2024-9-11": want YYYY-MM-DD`,
	}, problems(r))
	assert.Equal(t, "H2", r.Problems[1].Student, "the decoder's student is the row's")
	entries := r.Entries()
	require.Len(t, entries, 1)
	assert.Equal(t, []history.Intervention{{Step: "warning-letter", Date: calendar.MustParseDate("2024-09-10"), Outcome: "sent",
		OutcomeDate: calendar.MustParseDate("2024-09-11"), Actor: "attendance clerk", Note: "by mail"}}, entries[0].History.Interventions)
}

func TestRosterEdFiBadJSON(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"empty", " \n", `edfi.json: empty input: want a JSON array of StudentSchoolAttendanceEvent records`},
		{"not an array", `"a"`, `edfi.json: want a JSON array of StudentSchoolAttendanceEvent records (or JSON Lines of them)`},
		{"not closed", "[\n {\"eventDate\": \"2024-09-04\"}\n", `edfi.json: unexpected end of input: a record or the array is not closed`},
		{"record cut", "[\n {\"eventDate\": \"2024-09-04\"", `edfi.json: unexpected end of input: a record or the array is not closed`},
		{"syntax", "[\n {\"eventDate\": \"2024-09-04\"},\n {eventDate}\n]", `edfi.json:3:3: invalid character 'e' looking for beginning of object key string`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, r := newTestRoster(t, "ccs")
			err := r.ReadEdFi(strings.NewReader(c.in), "edfi.json")
			assert.EqualError(t, err, c.want)
			var de *history.DecodeError
			assert.ErrorAs(t, err, &de)
		})
	}
}
