package calendar

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		y       int
		m       time.Month
		day     int
		wantErr bool
		why     string
	}{
		{"2024-08-26", 2024, time.August, 26, false, "plain date"},
		{"2024-02-29", 2024, time.February, 29, false, "2024 is a leap year (divisible by 4)"},
		{"2000-02-29", 2000, time.February, 29, false, "2000 is a leap year (divisible by 400)"},
		{"0001-01-01", 1, time.January, 1, false, "earliest supported date"},
		{"9999-12-31", 9999, time.December, 31, false, "latest supported date"},
		{"2024-2-1", 0, 0, 0, true, "month and day must have two digits"},
		{"2024-02-30", 0, 0, 0, true, "February never has 30 days; no normalising"},
		{"2023-02-29", 0, 0, 0, true, "2023 is not a leap year"},
		{"1900-02-29", 0, 0, 0, true, "1900 is not a leap year (divisible by 100, not 400)"},
		{"", 0, 0, 0, true, "empty input"},
		{"abc", 0, 0, 0, true, "not a date at all"},
		{"2024-13-01", 0, 0, 0, true, "no month 13"},
		{"2024-00-10", 0, 0, 0, true, "no month 0"},
		{"2024-01-00", 0, 0, 0, true, "no day 0"},
		{"0000-01-01", 0, 0, 0, true, "year 0 is outside the supported range"},
		{"2024/08/26", 0, 0, 0, true, "wrong separators"},
		{"2024-08-26 ", 0, 0, 0, true, "trailing space"},
		{"+024-08-26", 0, 0, 0, true, "sign instead of a digit"},
		{"2024-08-26T00:00:00Z", 0, 0, 0, true, "a timestamp is not a date"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if tt.wantErr {
				require.Error(t, err, tt.why)
				assert.Equal(t, `calendar: bad date "`+tt.in+`": want YYYY-MM-DD`, err.Error(), tt.why)
				assert.True(t, got.IsZero(), tt.why)
				return
			}
			require.NoError(t, err, tt.why)
			y, m, day := got.Date()
			assert.Equal(t, []any{tt.y, tt.m, tt.day}, []any{y, m, day}, tt.why)
			assert.Equal(t, tt.in, got.String(), tt.why)
		})
	}
}

func TestBadDateErrorQuotesInput(t *testing.T) {
	// %q quoting keeps odd input readable in the message.
	_, err := ParseDate("2024-13-01")
	assert.EqualError(t, err, `calendar: bad date "2024-13-01": want YYYY-MM-DD`, "exact message from the spec")
	_, err = ParseDate("a\"b")
	assert.EqualError(t, err, `calendar: bad date "a\"b": want YYYY-MM-DD`, "quotes inside the input are escaped")
}

func TestMustParseDatePanics(t *testing.T) {
	assert.Panics(t, func() { MustParseDate("2024-02-30") }, "documented to panic on bad input")
	assert.NotPanics(t, func() { MustParseDate("2024-02-29") }, "good input")
}

func TestNewDate(t *testing.T) {
	tests := []struct {
		y    int
		m    time.Month
		day  int
		want string
		why  string
	}{
		{2024, time.August, 26, "2024-08-26", "in range"},
		{2024, time.February, 30, "2024-03-01", "Feb 2024 has 29 days, so day 30 is Mar 1 (like time.Date)"},
		{2025, time.January, 0, "2024-12-31", "day 0 is the last day of the previous month"},
		{2024, 13, 1, "2025-01-01", "month 13 is January of the next year"},
		{2024, 0, 1, "2023-12-01", "month 0 is December of the previous year"},
		{2024, -11, 1, "2023-01-01", "month -11 is 12 months before month 1"},
		{2024, time.January, 366, "2024-12-31", "2024 has 366 days"},
		{1, time.January, 1, "0001-01-01", "lower bound"},
		{9999, time.December, 31, "9999-12-31", "upper bound"},
		{0, time.December, 31, "", "before 0001-01-01: zero Date"},
		{10000, time.January, 1, "", "after 9999-12-31: zero Date"},
		{1 << 62, time.January, 1, "", "absurd year does not overflow"},
		{2024, time.January, -1 << 62, "", "absurd day does not overflow"},
	}
	for _, tt := range tests {
		got := NewDate(tt.y, tt.m, tt.day)
		assert.Equal(t, tt.want, got.String(), tt.why)
		assert.Equal(t, tt.want == "", got.IsZero(), tt.why)
	}
}

func TestDateOf(t *testing.T) {
	est := time.FixedZone("EST", -5*3600)
	// 23:30 in New York on 26 Aug is already 27 Aug in UTC; DateOf uses the
	// time's own location.
	assert.Equal(t, d("2024-08-26"), DateOf(time.Date(2024, 8, 26, 23, 30, 0, 0, est)), "civil date in t's zone")
	assert.Equal(t, d("2024-08-27"), DateOf(time.Date(2024, 8, 26, 23, 30, 0, 0, est).UTC()), "same instant in UTC")
}

func TestDateArithmetic(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
		why  string
	}{
		{"2024-02-28", 1, "2024-02-29", "leap day exists in 2024"},
		{"2024-02-28", 2, "2024-03-01", "then March"},
		{"2023-02-28", 1, "2023-03-01", "no leap day in 2023"},
		{"2024-12-31", 1, "2025-01-01", "year boundary"},
		{"2025-01-01", -1, "2024-12-31", "negative n"},
		{"2024-08-26", 284, "2025-06-06", "first to last day of the school year, see TestSub"},
		{"9999-12-31", 1, "", "past the upper bound is the zero Date"},
		{"0001-01-01", -1, "", "past the lower bound is the zero Date"},
		{"2024-08-26", 1 << 62, "", "absurd n does not overflow"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, d(tt.from).AddDays(tt.n).String(), tt.why)
	}
	assert.True(t, Date{}.AddDays(5).IsZero(), "no date plus days is still no date")
}

func TestSub(t *testing.T) {
	// 2024-08-26 to 2025-06-06 by hand, month by month from the 26th:
	// Sep 26 +31, Oct 26 +30, Nov 26 +31, Dec 26 +30, Jan 26 +31, Feb 26 +31,
	// Mar 26 +28, Apr 26 +31, May 26 +30, then +11 to Jun 6 = 284.
	assert.Equal(t, 284, d("2025-06-06").Sub(d("2024-08-26")), "school year length minus 1")
	assert.Equal(t, -284, d("2024-08-26").Sub(d("2025-06-06")), "d - e is negative when d is earlier")
	assert.Equal(t, 2, d("2024-03-01").Sub(d("2024-02-28")), "across a leap day")
	assert.Equal(t, 0, d("2024-03-01").Sub(d("2024-03-01")), "same day")
}

func TestWeekday(t *testing.T) {
	tests := []struct {
		date string
		want time.Weekday
		why  string
	}{
		{"2024-08-26", time.Monday, "first day of the school year, a Monday"},
		{"2024-08-31", time.Saturday, "Saturday after it"},
		{"2024-09-01", time.Sunday, "Sunday after that"},
		{"2000-01-01", time.Saturday, "well-known: 1 Jan 2000 was a Saturday"},
		{"0001-01-01", time.Monday, "proleptic Gregorian 1 Jan 1 was a Monday (same as package time)"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, d(tt.date).Weekday(), tt.why)
	}
}

func TestCompare(t *testing.T) {
	a, b := d("2024-08-26"), d("2024-08-27")
	assert.True(t, a.Before(b), "earlier is before")
	assert.False(t, b.Before(a), "later is not before")
	assert.True(t, b.After(a), "later is after")
	assert.False(t, a.After(a), "a date is not after itself")
	assert.Equal(t, -1, a.Compare(b), "earlier compares -1")
	assert.Equal(t, 1, b.Compare(a), "later compares +1")
	assert.Equal(t, 0, a.Compare(d("2024-08-26")), "equal dates compare 0")
	assert.True(t, a == d("2024-08-26"), "dates are comparable with ==")
	assert.True(t, Date{}.Before(d("0001-01-01")), "zero Date orders first")
}

func TestZeroDate(t *testing.T) {
	var z Date
	assert.True(t, z.IsZero(), "zero value is no date")
	assert.Equal(t, "", z.String(), "prints empty")
	y, m, day := z.Date()
	assert.Equal(t, []any{0, time.Month(0), 0}, []any{y, m, day}, "documented 0, 0, 0")
	assert.True(t, z.Time().IsZero(), "zero time")
	b, err := z.MarshalText()
	require.NoError(t, err, "zero marshals")
	assert.Equal(t, "", string(b), "as empty text")
}

func TestTime(t *testing.T) {
	assert.Equal(t, time.Date(2024, 8, 26, 0, 0, 0, 0, time.UTC), d("2024-08-26").Time(), "midnight UTC")
}

func TestDateJSON(t *testing.T) {
	type rec struct {
		Start Date `json:"start"`
		End   Date `json:"end"`
	}
	in := rec{Start: d("2024-08-26")}
	b, err := json.Marshal(in)
	require.NoError(t, err, "marshal")
	assert.JSONEq(t, `{"start":"2024-08-26","end":""}`, string(b), "dates are strings; zero is empty")

	var out rec
	require.NoError(t, json.Unmarshal(b, &out), "unmarshal")
	assert.Equal(t, in, out, "round trip")

	out = rec{End: d("2025-01-01")}
	require.NoError(t, json.Unmarshal([]byte(`{"start":"2024-08-26","end":""}`), &out), "empty string")
	assert.True(t, out.End.IsZero(), "empty string unmarshals to the zero Date")

	err = json.Unmarshal([]byte(`{"start":"2024-2-1"}`), &out)
	require.Error(t, err, "strict format in JSON too")
	assert.Contains(t, err.Error(), `calendar: bad date "2024-2-1": want YYYY-MM-DD`, "the parse error comes through")

	y := year2425()
	b, err = json.Marshal(y)
	require.NoError(t, err, "a Year marshals")
	var y2 Year
	require.NoError(t, json.Unmarshal(b, &y2), "and unmarshals")
	assert.Equal(t, y, y2, "Year round trip")
}

func TestUnmarshalTextLeavesDateOnError(t *testing.T) {
	x := d("2024-08-26")
	require.Error(t, x.UnmarshalText([]byte("nope")), "bad text")
	assert.Equal(t, d("2024-08-26"), x, "documented: unchanged on error")
}

// TestDateAgainstTime checks every day from 1899 to 2101 against package
// time, an independent implementation of the Gregorian calendar.
func TestDateAgainstTime(t *testing.T) {
	tm := time.Date(1899, 1, 1, 0, 0, 0, 0, time.UTC)
	x := d("1899-01-01")
	for tm.Year() < 2101 {
		require.Equal(t, tm.Format(time.DateOnly), x.String(), "String")
		require.Equal(t, tm.Weekday(), x.Weekday(), "Weekday of %s", x)
		require.Equal(t, tm, x.Time(), "Time of %s", x)
		require.Equal(t, x, DateOf(tm), "DateOf %s", x)
		tm = tm.AddDate(0, 0, 1)
		x = x.AddDays(1)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-08-26", "2024-2-1", "2024-02-30", "", "abc", "0000-01-01", "9999-12-31", "2024-02-29"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseDate(s)
		if err != nil {
			if !got.IsZero() {
				t.Fatalf("ParseDate(%q) = %v with error", s, got)
			}
			return
		}
		// The format is strict, so a good input is its own canonical form.
		if got.String() != s {
			t.Fatalf("ParseDate(%q).String() = %q", s, got.String())
		}
		y, m, day := got.Date()
		if NewDate(y, m, day) != got {
			t.Fatalf("NewDate(Date()) != ParseDate(%q)", s)
		}
		// Agree with package time.
		tm, terr := time.Parse(time.DateOnly, s)
		if terr != nil || tm.Format(time.DateOnly) != s || DateOf(tm) != got {
			t.Fatalf("package time disagrees on %q: %v %v", s, tm, terr)
		}
		var u Date
		b, _ := got.MarshalText()
		if err := u.UnmarshalText(b); err != nil || u != got {
			t.Fatalf("text round trip of %q: %v %v", s, u, err)
		}
	})
}

// String writes a date the same whether it comes from the texts kept (1970 to 2169) or
// is written anew, the first time and after.
func TestDateStringKept(t *testing.T) {
	for _, s := range []string{"1969-12-31", "1970-01-01", "2024-09-03", "2169-12-31", "2170-03-01", "0001-01-01", "9999-12-31"} {
		dt := MustParseDate(s)
		assert.Equal(t, s, dt.String(), "first")
		assert.Equal(t, s, dt.String(), "kept")
		assert.Equal(t, s, string(dt.appendTo(nil)), "written anew")
	}
}
