package roster

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A duration of zero or of less than a minute is a problem, never a whole day; a small
// one that rounds to a minute or more is a partial day.
func TestEdFiZeroDurations(t *testing.T) {
	_, r := newTestRoster(t, "ccs")
	rec := func(date, extra string) string {
		return `{"studentReference": {"studentUniqueId": "E1"}, "attendanceEventCategoryDescriptor": "Tardy", "eventDate": "` + date + `"` + extra + "}"
	}
	in := "[\n" + strings.Join([]string{
		rec("2024-09-04", `, "schoolAttendanceDuration": 0`),
		rec("2024-09-05", `, "eventDuration": 0`),
		rec("2024-09-06", `, "eventDuration": 0.0001`),
		rec("2024-09-09", `, "eventDuration": 1e-300`),
		rec("2024-09-10", `, "eventDuration": 0.0013`), // 0.52 minutes of 400: one minute
		rec("2024-09-11", `, "eventDuration": 0.5`),
		rec("2024-09-12", `, "schoolAttendanceDuration": 1`),
	}, ",\n") + "\n]"
	require.NoError(t, r.ReadEdFi(strings.NewReader(in), "e.json"))
	assert.Equal(t, []string{
		"e.json:2: student E1: record 1 (2024-09-04): schoolAttendanceDuration is 0 minutes: an event of no time (leave it out for a whole day)",
		"e.json:3: student E1: record 2 (2024-09-05): eventDuration is 0: an event of no time (1 is a whole day)",
		"e.json:4: student E1: record 3 (2024-09-06): eventDuration 0.0001 is less than a minute of the day's 400 minutes",
		"e.json:5: student E1: record 4 (2024-09-09): eventDuration 1e-300 is less than a minute of the day's 400 minutes",
	}, problems(r))
	var got []string
	for _, ev := range r.Entries()[0].History.Events {
		got = append(got, ev.Date.String()+" "+strconv.Itoa(ev.Minutes))
	}
	assert.Equal(t, []string{"2024-09-10 1", "2024-09-11 200", "2024-09-12 1"}, got, "partial days, none whole")
}

// Records are placed on the line where they start, however many share a line.
func TestEdFiLines(t *testing.T) {
	_, r := newTestRoster(t, "ccs")
	rec := func(cat string) string {
		return `{"studentReference": {"studentUniqueId": "E1"}, "attendanceEventCategoryDescriptor": "` + cat + `", "eventDate": "2024-09-04"}`
	}
	in := "[" + rec("A") + ", " + rec("B") + ",\r\n\r\n  " + rec("C") + "\n,\n" + rec("D") + "]"
	require.NoError(t, r.ReadEdFi(strings.NewReader(in), "e.json"))
	var lines []int
	for _, p := range r.Problems {
		lines = append(lines, p.Line)
	}
	assert.Equal(t, []int{1, 1, 3, 5}, lines)
}

// The reason of an Ed-Fi record is free text: never in a message, only its length.
func TestEdFiReasonNotEchoed(t *testing.T) {
	_, r := newTestRoster(t, "ccs")
	in := `[{"studentReference": {"studentUniqueId": "E1"}, "attendanceEventCategoryDescriptor": "Field Trip", "eventDate": "2024-09-04", "attendanceEventReason": "Grandma's funeral"},
 {"studentReference": {"studentUniqueId": "E1"}, "attendanceEventCategoryDescriptor": "Tardy", "eventDate": "2024-09-05", "schoolAttendanceDuration": "twenty, said the bus"}]`
	require.NoError(t, r.ReadEdFi(strings.NewReader(in), "e.json"))
	assert.Equal(t, []string{
		`e.json:1: student E1: record 1 (2024-09-04): no edfi mapping in pack ccs for category "Field Trip" with its reason (17 characters, not shown)`,
		`e.json:2: record 2: schoolAttendanceDuration: want int, not a JSON string`,
	}, problems(r))
}
