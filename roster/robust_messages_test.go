package roster

import (
	"github.com/rollcall-go/rollcall/internal/safetext"

	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/history"
)

func TestShow(t *testing.T) {
	for _, c := range []struct{ in, show, id string }{
		{"x", `"x"`, "x"},
		{"-5", `"-5"`, "-5"},
		{"2024-13-01", `"2024-13-01"`, "2024-13-01"},
		{"Jane Doe", "(8 characters, not shown)", "(8 characters, not shown)"},
		{"called in, said the bus was late", "(32 characters, not shown)", "(32 characters, not shown)"},
		{strings.Repeat("x", 33), "(33 characters, not shown)", strings.Repeat("x", 33)},
		{strings.Repeat("x", 65), "(65 characters, not shown)", "(65 characters, not shown)"},
		{"S1\u202e", `"S1\u202e"`, `"S1\u202e"`},
		{"S1\nforged", `"S1\nforged"`, `"S1\nforged"`},
		{"S1\x1b[2J", `"S1\x1b[2J"`, `"S1\x1b[2J"`},
		{"a\"b", `"a\"b"`, `"a\"b"`},
		{"\xff", `"\xff"`, `"\xff"`},
		{"", `""`, `""`},
		{"José", `"José"`, "José"},
		{"S1\u00a0", "(3 characters, not shown)", "(3 characters, not shown)"},
	} {
		assert.Equal(t, c.show, safetext.Show(c.in), "Show(%q)", c.in)
		assert.Equal(t, c.id, safetext.ShowID(c.in), "ShowID(%q)", c.in)
	}
}

func TestEscapeAndClip(t *testing.T) {
	assert.Equal(t, "plain text", safetext.Escape("plain text"))
	assert.Equal(t, `a\nb\u202ec\x00d\xff\u2028`, safetext.Escape("a\nb\u202ec\x00d\xff\u2028"))
	assert.Equal(t, `unknown code "QQQ" (did you mean "UNX"?)`, safetext.Clip(`unknown code "QQQ" (did you mean "UNX"?)`))
	assert.Equal(t, `unknown code (33 characters, not shown)`, safetext.Clip(`unknown code "called in sick, will bring a note"`))
	assert.Equal(t, `unknown code "UN\u202eX"`, safetext.Clip(`unknown code "UN\u202eX"`))
	assert.Equal(t, `invalid character '"' after "a" \n`, safetext.Clip("invalid character '\"' after \"a\" \n"), "an unmatched quote is kept")
}

// Whatever a row holds, its problem prints as one line without control or format
// characters.
func FuzzRowErrorOneLine(f *testing.F) {
	for _, s := range []string{"S1", "S1\u202e", "a\nb", "\x1b[2J", "\xff\xfe", "x\u2028y", strings.Repeat("long ", 40)} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, student, value string) {
		e := RowError{Source: Source{"e.csv", 2}, Student: student, Msg: "code " + safetext.Show(value) + ": " + safetext.Clip(`unknown code "`+value+`"`)}
		line := e.Error()
		assert.NotContains(t, line, "\n")
		assert.Equal(t, -1, strings.IndexFunc(line, safetext.Unsafe), "%q", line)
	})
}

// A non-numeric minutes cell is reported without its text when it is free text; a
// short value is quoted.
func TestMinutesNotEchoed(t *testing.T) {
	_, r := newTestRoster(t, "il-roe-sop")
	in := eventsHeader +
		"S1,2024-09-04,TDY,\"called in, said the bus was late again, will bring a note\",,,\n" +
		"S1,2024-09-05,TDY,x,,,\n"
	require.NoError(t, r.ReadEvents(strings.NewReader(in), "e.csv"))
	assert.Equal(t, []string{
		"e.csv:2: student S1: 2024-09-04 TDY: minutes is not a whole number of minutes (57 characters, not shown)",
		`e.csv:3: student S1: 2024-09-05 TDY: minutes "x" is not a whole number of minutes`,
	}, problems(r))
}

// RowErrors gives one problem per line of a joined error, without repeating the
// student, and names events by position in a history read whole.
func TestRowErrorsJoined(t *testing.T) {
	cal, err := ReadCalendar([]byte(rosterCal), "cal.json")
	require.NoError(t, err)
	h := &history.History{Student: history.Student{ID: "P1"}, Calendar: cal, Events: []history.Event{
		{Date: calendar.MustParseDate("2024-09-04"), Code: "QQQ"},
	}}
	herr := &rollcall.HistoryError{Student: "P1", Events: []rollcall.EventError{{Index: 0, Event: h.Events[0], Msg: `unknown code "QQQ"`}}}
	joined := errors.Join(herr, errors.New("rollcall: student P1: count x: broken\nsecond line"))

	en := Entry{History: h, Source: Source{File: "p1.json"}}
	var got []string
	for _, p := range en.RowErrors(joined) {
		got = append(got, p.Error())
	}
	assert.Equal(t, []string{
		`p1.json: student P1: event 1 (2024-09-04 QQQ): unknown code "QQQ"`,
		`p1.json: student P1: count x: broken\nsecond line`,
	}, got)

	en = Entry{History: h, Source: Source{File: "e.csv", Line: 1}, Sources: []Source{{"e.csv", 7}}}
	assert.Equal(t, `e.csv:7: student P1: 2024-09-04 QQQ: unknown code "QQQ"`, en.RowErrors(herr)[0].Error())
	assert.Nil(t, en.RowErrors(nil))
}
