package history

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testCal = `{"first_day": "2024-08-26", "last_day": "2025-06-06", "minutes_per_day": 400}`

// decodeError returns err as a *DecodeError, failing the test when it is not one.
func decodeError(t *testing.T, err error) *DecodeError {
	t.Helper()
	var de *DecodeError
	require.True(t, errors.As(err, &de), "want a *DecodeError, got %T: %v", err, err)
	return de
}

func TestDecodeErrorSyntax(t *testing.T) {
	doc := "{\n  \"student\": {\"id\": \"S1\"},\n  \"calendar\": " + testCal + ",\n  \"events\": [{\"date\": \"2024-09-03\" \"code\": \"UNX\"}]\n}"
	h, err := Decode([]byte(doc), "h.json")
	assert.Nil(t, h)
	de := decodeError(t, fmt.Errorf("wrapped: %w", err))
	assert.Equal(t, 4, de.Line)
	assert.Equal(t, 36, de.Column, "the column of the bad byte, 1-based")
	assert.Equal(t, "h.json", de.File)
	assert.Empty(t, de.Student)
	assert.EqualError(t, err, `h.json:4:36: invalid character '"' after object key:value pair`)
	var se *json.SyntaxError
	assert.ErrorAs(t, err, &se, "the decoder's error is behind it")
}

func TestDecodeErrorBadDate(t *testing.T) {
	// A bad date is well-formed JSON: the decoder gives no position, so the error has
	// none (Line and Column 0) and names the part of the history instead.
	doc := `{"student": {"id": "S1"}, "calendar": ` + testCal + `,
 "events": [{"date": "2024-09-03", "code": "UNX"}, {"date": "2025-02-30", "code": "UNX"}]}`
	_, err := Decode([]byte(doc), "h.json")
	de := decodeError(t, err)
	assert.Equal(t, 0, de.Line)
	assert.Equal(t, 0, de.Column)
	assert.Equal(t, "S1", de.Student)
	assert.Equal(t, `event 2: bad date "2025-02-30": want YYYY-MM-DD`, de.Msg)
	assert.EqualError(t, err, `h.json: student S1: event 2: bad date "2025-02-30": want YYYY-MM-DD`)

	// In a calendar file, a bad date string has no position either; a date of the wrong
	// JSON type has one, where the decoder stopped: just past the value.
	_, err = DecodeCalendar([]byte(`{"first_day": "2024-8-26", "last_day": "2025-06-06"}`), "cal.json")
	de = decodeError(t, err)
	assert.Equal(t, [2]int{0, 0}, [2]int{de.Line, de.Column})
	assert.EqualError(t, err, `cal.json: calendar: bad date "2024-8-26": want YYYY-MM-DD`)

	_, err = DecodeCalendar([]byte("\n\n{\"first_day\": \"2024-08-26\",\n \"last_day\": 20250606}"), "cal.json")
	de = decodeError(t, err)
	assert.Equal(t, 4, de.Line, "lines count from the start of the input, blank lines included")
	assert.Equal(t, 22, de.Column, "20250606 is at columns 14-21")
	assert.Contains(t, de.Msg, "last_day: want calendar.Date, not a JSON number")
}

func TestDecodeErrorNoPosition(t *testing.T) {
	for _, c := range []struct {
		name, doc, want string
	}{
		{"no calendar", `{"student": {"id": "S1"}}`, `h.json: student S1: no calendar`},
		{"impossible calendar", `{"student": {"id": "S1"}, "calendar": {"first_day": "2025-06-06", "last_day": "2024-08-26", "minutes_per_day": 400}}`,
			`h.json: student S1: calendar: `},
		{"two values", `{"student": {"id": "S1"}, "calendar": ` + testCal + `} {}`, `h.json: more than one JSON value`},
		{"empty", "  \n", `h.json: empty input: want a JSON history`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode([]byte(c.doc), "h.json")
			de := decodeError(t, err)
			assert.Equal(t, 0, de.Line)
			assert.Contains(t, err.Error(), c.want)
		})
	}
	_, err := DecodeCalendar(nil, "cal.json")
	assert.EqualError(t, err, "cal.json: empty input: want a JSON school calendar")
}

func TestDecodeOutcomes(t *testing.T) {
	doc := `{"student": {"id": "S1"}, "calendar": ` + testCal + `, "interventions": [
 {"step": "conference", "date": "2024-09-10", "outcome": "attended", "outcome_date": "2024-09-12", "actor": "counselor", "note": "with both parents"}]}`
	h, err := Decode([]byte(doc), "h.json")
	require.NoError(t, err)
	require.Len(t, h.Interventions, 1)
	iv := h.Interventions[0]
	assert.Equal(t, "attended", iv.Outcome)
	assert.Equal(t, "2024-09-12", iv.OutcomeDate.String())
	assert.Equal(t, "counselor", iv.Actor)
	assert.Equal(t, "with both parents", iv.Note)
}

// A closing bracket or brace after the history is not part of it: an error, as
// encoding/json's More does not see it.
func TestDecodeTrailingText(t *testing.T) {
	for _, tail := range []string{"}", "]", " } "} {
		data := []byte(`{"student": {"id": "S1"}, "calendar": ` + testCal + `, "events": []}` + tail)
		_, err := Decode(data, "h.json")
		require.Error(t, err, "%q after the history", tail)
		assert.Contains(t, err.Error(), "after the history")
		_, err = new(Decoder).Decode(data, "h.json")
		assert.Error(t, err, "the Decoder too: %q", tail)
	}
}
