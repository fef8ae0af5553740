package rollcall

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/calendar"
)

const rosterCal = `{"first_day": "2024-08-26", "last_day": "2025-06-06", "closed": ["2024-09-02"], "minutes_per_day": 400}`

func newTestRoster(t *testing.T, pack string) (*Engine, *Roster) {
	t.Helper()
	e, err := Open(pack)
	require.NoError(t, err)
	cal, err := ReadCalendar([]byte(rosterCal), "cal.json")
	require.NoError(t, err)
	return e, NewRoster(e, cal)
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
	assert.Equal(t, []Intervention{{Step: "warning-letter", Date: calendar.MustParseDate("2024-09-10")}}, s1.History.Interventions)
	assert.Equal(t, calendar.Enrolment{{From: calendar.MustParseDate("2024-09-03"), To: calendar.MustParseDate("2024-09-30")}, {From: calendar.MustParseDate("2024-10-15")}}, s2.History.Enrolment)
	assert.Equal(t, []Flag{{Name: "project-connect", From: calendar.MustParseDate("2024-09-01")}}, s2.History.Student.Flags)
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
	assert.Equal(t, `edfi.json:10: student E1: record 6 (2024-09-11): no edfi mapping in pack ccs for category "Recess" with reason ""`, r.Problems[0].Error())
	assert.Contains(t, r.Problems[1].Error(), `edfi.json:11: record 7:`)

	assert.ErrorContains(t, r.ReadEdFi(strings.NewReader(`{"a": 1}`), "obj.json"), "want a JSON array")
}

func TestRosterHistories(t *testing.T) {
	_, r := newTestRoster(t, "il-roe-sop")
	h := `{"student": {"id": "H1"}, "calendar": ` + rosterCal + `, "events": [{"date": "2024-09-04", "code": "ECE"}], "interventions": [{"step": "warning-leter", "date": "2024-09-05"}]}`
	in := h + "\n\n{not json\n" + h + "\n"
	require.NoError(t, r.ReadHistories(strings.NewReader(in), "h.jsonl"))
	ps := problems(r)
	require.Len(t, ps, 3)
	assert.Equal(t, `h.jsonl:1: student H1: intervention 1 (2024-09-05 warning-leter): unknown step "warning-leter" for pack il-roe-sop (did you mean "warning-letter"?)`, ps[0])
	// The column comes from DecodeHistory (which counts it one past the bad byte).
	assert.Regexp(t, `^h\.jsonl:3: column \d+: invalid character 'n' looking for beginning of object key string$`, ps[1])
	assert.Equal(t, `h.jsonl:4: student H1: a second history (the first is at h.jsonl:1)`, ps[2])
	entries := r.Entries()
	require.Len(t, entries, 1)
	assert.Empty(t, entries[0].History.Interventions)
	assert.Equal(t, []Source{{"h.jsonl", 1}}, entries[0].Sources)
}
