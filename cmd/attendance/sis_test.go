package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/roster"
)

// The PowerSchool sample: the Attendance table with its extra columns, US dates (one
// with a time part), codes by id in lower and mixed case, two schools with their own
// calendars, daily records at one and period (meeting) records at the other.
var powerschool = func() []string {
	dir := filepath.Join("..", "..", "testdata", "sis", "powerschool")
	return []string{"--mapping", "powerschool", "--codes", filepath.Join(dir, "Attendance_Code.csv"),
		"--calendar", filepath.Join(dir, "calendars.json"), "--students", filepath.Join(dir, "Students.csv"),
		"--events", filepath.Join(dir, "Attendance.csv")}
}()

// reportColumnsOf reads report's CSV, keeping the columns of v0.1.0 by name, in order.
func reportColumnsOf(t *testing.T, text string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, recs)
	cols := []string{"student", "school", "next", "actor", "due_by", "due", "because"}
	var out [][]string
	for _, rec := range recs {
		row := make([]string, len(cols))
		for i, c := range cols {
			j := slices.Index(recs[0], c)
			require.GreaterOrEqual(t, j, 0, "column %s", c)
			row[i] = rec[j]
		}
		out = append(out, row)
	}
	return out
}

// A PowerSchool-shaped export runs through report with the preset and no glue.
func TestReportPowerSchool(t *testing.T) {
	stdout, stderr, code := runCLI(t, "", join([]string{"report", "--policy", "il-roe-sop", "--as-of", "2024-09-30"}, powerschool)...)
	require.Equal(t, 0, code, stderr)
	want, err := os.ReadFile(filepath.Join("..", "..", "testdata", "sis", "powerschool", "report.csv.want"))
	require.NoError(t, err)
	assert.Equal(t, reportColumnsOf(t, string(want)), reportColumnsOf(t, stdout))
	assert.Equal(t, "report as of 2024-09-30 under pack il-roe-sop\n"+
		"  students       4 (2 with a step due)\n"+
		"  events         18 (0 rejected)\n"+
		"  steps due      warning-letter 2\n"+
		"  rejected rows  0\n", stderr)

	// Without --as-of: the latest event of the export.
	stdout, stderr, code = runCLI(t, "", join([]string{"report", "--policy", "il-roe-sop", "--format", "jsonl"}, powerschool)...)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "report as of 2024-09-27 ")
	assert.Equal(t, 2, strings.Count(stdout, "\n"))
}

// The Infinite Campus sample: a district's file extends the preset with its codes,
// calendars by calendarID and periods per day.
func TestReportInfiniteCampus(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "sis", "infinite-campus")
	stdout, stderr, code := runCLI(t, "", "report", "--policy", "il-roe-sop", "--as-of", "2024-09-30", "--mapping", filepath.Join(dir, "district.yaml"),
		"--students", filepath.Join(dir, "students.csv"), "--events", filepath.Join(dir, "attendance.csv"))
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, [][]string{{"student", "school", "next", "actor", "due_by", "due", "because"},
		{"880001", "2501", "warning-letter", "building-secretary", "", "warning-letter", "6 absences not verified as excused (5-9)"}}, reportColumnsOf(t, stdout))
	assert.Contains(t, stderr, "events         10 (0 rejected)")
}

// --format edfi writes every classified event as an Ed-Fi StudentSchoolAttendanceEvent,
// one a line, and --edfi reads them back as the same days.
func TestFormatEdFi(t *testing.T) {
	for _, cmd := range []string{"eval", "classify", "report"} {
		t.Run(cmd, func(t *testing.T) {
			args := join([]string{cmd, "--policy", "il-roe-sop", "--format", "edfi"}, powerschool)
			if cmd != "classify" {
				args = append(args, "--as-of", "2024-09-30")
			}
			stdout, stderr, code := runCLI(t, "", args...)
			require.Equal(t, 0, code, stderr)
			lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
			require.Len(t, lines, 18, "every event, whether a step is due or not")
			for _, l := range lines {
				var ev roster.EdFiEvent
				require.NoError(t, json.Unmarshal([]byte(l), &ev))
				require.NoError(t, ev.Validate(), l)
			}
			assert.Contains(t, stdout, `{"studentReference":{"studentUniqueId":"2001"},"schoolReference":{"schoolId":200},"sessionReference":{"schoolId":200,"schoolYear":2025,"sessionName":"2024-2025 Semester 1"},"attendanceEventCategoryDescriptor":"uri://ed-fi.org/AttendanceEventCategoryDescriptor#Unexcused Absence","eventDate":"2024-09-11","attendanceEventReason":"Unexcused (UNX)","eventDuration":0.5,"schoolAttendanceDuration":210}`)
		})
	}

	// Round trip: what classify wrote reads back as the same days and minutes.
	out, stderr, code := runCLI(t, "", join([]string{"classify", "--policy", "il-roe-sop", "--format", "edfi"}, powerschool)...)
	require.Equal(t, 0, code, stderr)
	file := filepath.Join(t.TempDir(), "studentSchoolAttendanceEvents.jsonl")
	require.NoError(t, os.WriteFile(file, []byte(out), 0o644))
	back, stderr, code := runCLI(t, "", "classify", "--policy", "il-roe-sop", "--mapping", "edfi",
		"--calendar", filepath.Join("..", "..", "testdata", "sis", "powerschool", "calendars.json"), "--edfi", file)
	require.Equal(t, 0, code, stderr)
	days := func(jsonl string) []string {
		var out []string
		for _, l := range strings.Split(strings.TrimSpace(jsonl), "\n") {
			var c struct {
				Student string
				Events  []struct {
					Date    string
					Minutes int
					Status  string
				}
			}
			require.NoError(t, json.Unmarshal([]byte(l), &c))
			for _, e := range c.Events {
				out = append(out, c.Student+" "+e.Date+" "+e.Status+" "+strings.Repeat("|", e.Minutes/30))
			}
		}
		return out
	}
	first, _, _ := runCLI(t, "", join([]string{"classify", "--policy", "il-roe-sop"}, powerschool)...)
	assert.Equal(t, days(first), days(back))

	// One history: its events, or a problem when its school is no Ed-Fi schoolId.
	stdout, stderr, code := runCLI(t, "", "classify", "--policy", "il-roe-sop", "--format", "edfi", "testdata/history.json")
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "testdata/history.json: student P7: school Lincoln is not an Ed-Fi schoolId (a number): its events are not written\n", stderr)
}

func TestMappingUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"report", "--policy", "ccs", "--calendar", "testdata/calendar.json", "--events", "testdata/events.csv", "--codes", "x.csv"}, 2,
			"--codes is the codes table of a mapping: give --mapping too"},
		{[]string{"report", "--policy", "ccs", "--mapping", "powerschool", "--students", "x.csv"}, 2, "no events: give --events EVENTS.csv or --edfi EVENTS.json with --mapping"},
		{[]string{"report", "--policy", "ccs", "--mapping", "powerschool", "--histories", "testdata/histories.jsonl"}, 2, "not --histories"},
		{[]string{"report", "--policy", "ccs", "--mapping", "powerschol", "--events", "x.csv"}, 1, `powerschol: no such mapping: want a preset (edfi, infinite-campus, powerschool) or a YAML file (did you mean "powerschool"?)`},
		{[]string{"report", "--policy", "ccs", "--mapping", "powerschool", "--events", "x.csv"}, 2, "no calendar: give --calendar CAL.json"},
		{[]string{"eval", "--policy", "ccs", "--format", "csv", "testdata/history.json"}, 2, `--format "csv": want json or edfi`},
		{join([]string{"report", "--policy", "il-roe-sop"}, powerschool[:2], powerschool[4:]), 1, "read the codes table first (--codes FILE), or export the events joined with it (a column Att_Code)"},
	} {
		_, stderr, code := runCLI(t, "", c.args...)
		assert.Equal(t, c.code, code, "%v: %s", c.args, stderr)
		assert.Contains(t, stderr, c.want, "%v", c.args)
	}
}
