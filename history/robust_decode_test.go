package history

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/calendar"
)

// years returns a JSON list of n consecutive school years from fall 2000.
func years(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf(`{"first_day": "%04d-09-01", "last_day": "%04d-06-01", "minutes_per_day": 400}`, 2000+i, 2001+i)
	}
	return "[" + strings.Join(parts, ",\n") + "]"
}

// A calendar of thousands of years is rejected before it is built, with one clear
// line; MaxYears years are built.
func TestDecodeCalendarYearsBounded(t *testing.T) {
	_, err := DecodeCalendar([]byte(years(5000)), "cal.json")
	assert.EqualError(t, err, "cal.json: 5000 school years: want at most 50")
	var de *DecodeError
	assert.ErrorAs(t, err, &de)

	_, err = DecodeCalendar([]byte(`[{"first_day": "1900-09-01", "last_day": "1901-06-01", "minutes_per_day": 400},
		{"first_day": "9998-09-01", "last_day": "9999-06-01", "minutes_per_day": 400}]`), "cal.json")
	assert.EqualError(t, err, "cal.json: the school years run from 1900-09-01 to 9999-06-01: want at most 50 years")

	cal, err := DecodeCalendar([]byte(years(MaxYears)), "cal.json")
	require.NoError(t, err)
	assert.Equal(t, calendar.MustParseDate("2050-06-01"), cal.Last())

	// A history's calendars are bounded the same way.
	_, err = Decode([]byte(`{"student": {"id": "P1"}, "calendars": `+years(MaxYears+1)+`}`), "p1.json")
	assert.EqualError(t, err, "p1.json: student P1: calendars: 51 school years: want at most 50")
}

// A calendar's several problems are one line each, each naming the file.
func TestDecodeCalendarOneLinePerProblem(t *testing.T) {
	_, err := DecodeCalendar([]byte(`{"name": "2024\u202e", "first_day": "2024-08-26", "last_day": "2025-06-06", "minutes_per_day": 0, "closed": ["2024-07-01"]}`), "cal.json")
	require.Error(t, err)
	assert.Equal(t, []string{
		`cal.json: calendar: year "2024\u202e": MinutesPerDay is 0; want 1 to 1440`,
		`cal.json: calendar: year "2024\u202e": closed day 2024-07-01 is outside the year (2024-08-26 to 2025-06-06)`,
	}, strings.Split(err.Error(), "\n"))
}

// Decoding errors never echo free text nor let a student id forge a line.
func TestDecodeErrorSafe(t *testing.T) {
	cal := `{"first_day": "2024-08-26", "last_day": "2025-06-06", "minutes_per_day": 400}`
	for _, c := range []struct{ in, want string }{
		{`{"student": {"id": "P1\nP2.json: forged"}, "calendar": ` + cal + `, "events": [{"date": "Jane Doe", "code": "UNX"}]}`,
			`h.json: student (18 characters, not shown): event 1: bad date (8 characters, not shown): want YYYY-MM-DD`},
		{`{"student": {"id": "P1\u202e"}, "calendar": ` + cal + `, "events": [{"date": "2024-9-4", "code": "UNX"}]}`,
			`h.json: student "P1\u202e": event 1: bad date "2024-9-4": want YYYY-MM-DD`},
		{`{"student": {"id": "P1", "a note about this student, please call": 1}, "calendar": ` + cal + `}`,
			`h.json: student: unknown field (38 characters, not shown)`},
	} {
		_, err := Decode([]byte(c.in), "h.json")
		assert.EqualError(t, err, c.want)
	}
	// A message of several lines keeps them; a control character inside one is escaped.
	err := &DecodeError{File: "h.json", Student: "P1\x1b", Msg: "a\x00b\nc", err: errors.New("x")}
	assert.Equal(t, "h.json: student \"P1\\x1b\": a\\x00b\nh.json: student \"P1\\x1b\": c", err.Error())
}
