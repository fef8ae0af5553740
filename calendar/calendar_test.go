package calendar

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// All expectations below were counted by hand on a paper calendar; the
// per-month counts are in the comment on year2425 (fixture_test.go) and the
// cumulative counts at each month end are:
//
//	Aug 5, Sep 25, Oct 47, Nov 64, Dec 79, Jan 98, Feb 117, Mar 133, Apr 155,
//	May 177, Jun 182.

func TestSchoolDays(t *testing.T) {
	c := oneYear(t)
	tests := []struct {
		from, to string
		want     int
		why      string
	}{
		{"2024-08-26", "2024-08-30", 5, "first week Mon-Fri"},
		{"2024-08-26", "2024-08-26", 1, "single school day, inclusive"},
		{"2024-08-31", "2024-09-01", 0, "a weekend"},
		{"2024-08-30", "2024-09-04", 3, "Fri 30, (weekend), (Mon 2 closed), Tue 3, Wed 4"},
		{"2024-08-01", "2024-09-04", 7, "from before the calendar: clamps; 5 in Aug + Sep 3, 4"},
		{"2024-11-25", "2024-12-01", 2, "Thanksgiving week: Mon 25, Tue 26 (half day still counts); 27-29 closed"},
		{"2024-12-21", "2025-01-05", 0, "winter break: Dec 23-27, 30, 31, Jan 1-3 closed, rest weekends"},
		{"2024-10-01", "2024-10-31", 22, "October: 23 weekdays less Oct 14"},
		{"2024-08-26", "2025-06-06", 182, "whole year"},
		{"2024-01-01", "2026-01-01", 182, "clamped to the calendar on both ends"},
		{"2024-09-04", "2024-09-03", 0, "to before from"},
		{"2025-06-07", "2025-08-01", 0, "after the calendar"},
		{"2024-06-01", "2024-08-25", 0, "before the calendar"},
		{"0001-01-01", "9999-12-31", 182, "extreme dates clamp"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, c.SchoolDays(d(tt.from), d(tt.to)), "%s..%s: %s", tt.from, tt.to, tt.why)
	}
}

func TestSchoolDaysTwoYears(t *testing.T) {
	c := twoYears(t)
	tests := []struct {
		from, to string
		days     int
		minutes  int
		why      string
	}{
		// May 2024 starts on a Wednesday: 1-3, 6-10, 13-17, 20-24, 27-31 =
		// 23 weekdays, less Memorial Day = 22 at 390 min; then Aug 5 + Sep
		// 20 = 25 at 400 min. 22*390 + 25*400 = 8580 + 10000.
		{"2024-05-01", "2024-09-30", 47, 18580, "across the summer and two MinutesPerDay"},
		{"2024-06-01", "2024-08-25", 0, 0, "summer between the years"},
		{"2023-08-28", "2025-06-06", 380, 198*390 + 72440, "both years: 198 + 182"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.days, c.SchoolDays(d(tt.from), d(tt.to)), "days %s..%s: %s", tt.from, tt.to, tt.why)
		assert.Equal(t, tt.minutes, c.SchoolMinutes(d(tt.from), d(tt.to)), "minutes %s..%s: %s", tt.from, tt.to, tt.why)
	}
}

func TestIsSchoolDayAndMinutes(t *testing.T) {
	c := oneYear(t)
	tests := []struct {
		date    string
		school  bool
		minutes int
		why     string
	}{
		{"2024-08-26", true, 400, "first day"},
		{"2025-06-06", true, 400, "last day"},
		{"2024-08-31", false, 0, "Saturday"},
		{"2024-09-01", false, 0, "Sunday"},
		{"2024-09-02", false, 0, "closed (Labor Day)"},
		{"2024-11-26", true, 200, "half day"},
		{"2024-12-20", true, 240, "half day"},
		{"2024-08-25", false, 0, "day before the calendar"},
		{"2025-06-09", false, 0, "Monday after the calendar"},
		{"1999-01-04", false, 0, "far outside"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.school, c.IsSchoolDay(d(tt.date)), "IsSchoolDay %s: %s", tt.date, tt.why)
		assert.Equal(t, tt.minutes, c.Minutes(d(tt.date)), "Minutes %s: %s", tt.date, tt.why)
	}
	assert.False(t, c.IsSchoolDay(Date{}), "zero Date is not a school day")
	assert.Equal(t, 0, c.Minutes(Date{}), "zero Date has no minutes")
}

func TestSchoolMinutes(t *testing.T) {
	c := oneYear(t)
	tests := []struct {
		from, to string
		want     int
		why      string
	}{
		{"2024-08-26", "2024-08-31", 2000, "5 full days * 400"},
		{"2024-11-01", "2024-11-30", 6600, "17 days, one of them the 200-minute half day: 16*400 + 200"},
		{"2024-12-01", "2024-12-31", 5840, "15 days, one of them 240 minutes: 14*400 + 240"},
		{"2024-08-26", "2025-06-06", 72440, "182*400 - 200 - 160"},
		{"2024-11-26", "2024-11-26", 200, "just the half day"},
		{"2024-11-27", "2024-11-29", 0, "closed days"},
		{"2024-09-04", "2024-09-03", 0, "to before from"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, c.SchoolMinutes(d(tt.from), d(tt.to)), "%s..%s: %s", tt.from, tt.to, tt.why)
	}
}

func TestOrdinalAndDay(t *testing.T) {
	c := oneYear(t)
	tests := []struct {
		date    string
		ordinal int
		why     string
	}{
		{"2024-08-26", 0, "first school day has none before it"},
		{"2024-08-29", 3, "4th school day"},
		{"2024-09-02", 5, "closed Monday: Aug 26-30 before it"},
		{"2024-09-04", 6, "7th school day"},
		{"2024-01-01", 0, "before the calendar"},
		{"2025-06-06", 181, "last school day"},
		{"2025-07-01", 182, "after the calendar: all of them"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.ordinal, c.Ordinal(d(tt.date)), "Ordinal %s: %s", tt.date, tt.why)
	}
	days := []struct {
		i    int
		want string
		why  string
	}{
		{0, "2024-08-26", "first"},
		{3, "2024-08-29", "4th school day (brief)"},
		{6, "2024-09-04", "7th school day: Sep 2 closed (brief)"},
		{181, "2025-06-06", "last"},
		{182, "", "one past the end"},
		{-1, "", "negative"},
	}
	for _, tt := range days {
		got, ok := c.Day(tt.i)
		assert.Equal(t, tt.want != "", ok, "Day(%d) ok: %s", tt.i, tt.why)
		assert.Equal(t, tt.want, got.String(), "Day(%d): %s", tt.i, tt.why)
	}

	c2 := twoYears(t)
	assert.Equal(t, 198, c2.Ordinal(d("2024-08-26")), "198 school days in 2023-2024 come first")
	got, _ := c2.Day(198)
	assert.Equal(t, d("2024-08-26"), got, "so the 199th is the first day of 2024-2025")
	got, _ = c2.Day(197)
	assert.Equal(t, d("2024-05-31"), got, "and the 198th the last day of 2023-2024")
}

func TestAfterAndNthOfYear(t *testing.T) {
	c := oneYear(t)
	after := []struct {
		date string
		n    int
		want string
		why  string
	}{
		{"2024-08-26", 1, "2024-08-27", "next day"},
		{"2024-08-26", 3, "2024-08-29", "Tue, Wed, Thu"},
		{"2024-08-30", 1, "2024-09-03", "skips the weekend and closed Labor Day"},
		{"2024-08-31", 3, "2024-09-05", "from a Saturday: Sep 3, 4, 5"},
		{"2024-06-01", 4, "2024-08-29", "from before the calendar: the 4th school day"},
		{"2024-12-20", 1, "2025-01-06", "over winter break"},
		{"2025-06-05", 1, "2025-06-06", "last school day"},
		{"2025-06-06", 1, "", "calendar runs out"},
		{"2024-08-26", 0, "", "n must be >= 1"},
		{"2024-08-26", -2, "", "negative n"},
		{"2024-08-26", 1 << 62, "", "huge n"},
	}
	for _, tt := range after {
		got, ok := c.After(d(tt.date), tt.n)
		assert.Equal(t, tt.want != "", ok, "After(%s, %d) ok: %s", tt.date, tt.n, tt.why)
		assert.Equal(t, tt.want, got.String(), "After(%s, %d): %s", tt.date, tt.n, tt.why)
	}
	nth := []struct {
		year, n int
		want    string
		why     string
	}{
		{0, 1, "2024-08-26", "first day"},
		{0, 4, "2024-08-29", "Mon-Thu of the first week"},
		{0, 7, "2024-09-04", "Aug 26-30 are 1-5, Sep 2 closed, Sep 3 is 6th"},
		{0, 20, "2024-09-23", "Sep 3-6 (6-9), 9-13 (10-14), 16-20 (15-19), 23 (20)"},
		{0, 182, "2025-06-06", "last"},
		{0, 183, "", "past the end of the year"},
		{0, 0, "", "n is 1-based"},
		{1, 1, "", "no second year"},
		{-1, 1, "", "negative year"},
		{0, 1 << 62, "", "huge n"},
	}
	for _, tt := range nth {
		got, ok := c.NthOfYear(tt.year, tt.n)
		assert.Equal(t, tt.want != "", ok, "NthOfYear(%d, %d) ok: %s", tt.year, tt.n, tt.why)
		assert.Equal(t, tt.want, got.String(), "NthOfYear(%d, %d): %s", tt.year, tt.n, tt.why)
	}

	c2 := twoYears(t)
	got, ok := c2.NthOfYear(1, 1)
	assert.True(t, ok, "second year exists")
	assert.Equal(t, d("2024-08-26"), got, "first day of the second year")
	got, _ = c2.NthOfYear(0, 198)
	assert.Equal(t, d("2024-05-31"), got, "198th and last day of 2023-2024")
	_, ok = c2.NthOfYear(0, 199)
	assert.False(t, ok, "NthOfYear does not spill into the next year")
	got, _ = c2.After(d("2024-05-31"), 1)
	assert.Equal(t, d("2024-08-26"), got, "After crosses the summer")
}

func TestYearOf(t *testing.T) {
	c := twoYears(t)
	tests := []struct {
		date string
		idx  int
		ok   bool
		why  string
	}{
		{"2023-08-28", 0, true, "first day of year 0"},
		{"2024-05-31", 0, true, "last day of year 0"},
		{"2024-07-01", 0, false, "summer is in no year"},
		{"2024-08-26", 1, true, "first day of year 1"},
		{"2024-12-25", 1, true, "closed days are still inside the year"},
		{"2025-06-06", 1, true, "last day"},
		{"2025-06-07", 0, false, "after"},
		{"2023-01-01", 0, false, "before"},
	}
	for _, tt := range tests {
		i, ok := c.YearOf(d(tt.date))
		assert.Equal(t, tt.ok, ok, "YearOf(%s) ok: %s", tt.date, tt.why)
		assert.Equal(t, tt.idx, i, "YearOf(%s): %s", tt.date, tt.why)
	}
}

func TestPrevious(t *testing.T) {
	one, two := oneYear(t), twoYears(t)
	tests := []struct {
		c    *Calendar
		date string
		n    int
		want Window
		why  string
	}{
		{one, "2025-06-06", 180, Window{d("2024-08-28"), d("2025-06-06"), 180},
			"182 school days, so the last 180 skip Aug 26 and 27"},
		{one, "2024-12-20", 180, Window{d("2024-08-26"), d("2024-12-20"), 79},
			"one year runs out: Aug-Nov 64 + Dec 2-20 15 = 79"},
		{two, "2024-12-20", 180, Window{d("2024-01-10"), d("2024-12-20"), 180},
			"79 this year + 101 from 2023-2024: Mon Jan 15 - Fri May 31 2024 is 20 weeks = 100 weekdays, " +
				"less Jan 15 and May 27 = 98, then Fri 12, Thu 11, Wed 10 Jan"},
		{two, "2024-07-01", 3, Window{d("2024-05-29"), d("2024-07-01"), 3},
			"from the summer: May 29, 30, 31"},
		{one, "2024-09-01", 3, Window{d("2024-08-28"), d("2024-09-01"), 3},
			"on a Sunday: Aug 28, 29, 30; To stays the given day"},
		{one, "2024-09-04", 7, Window{d("2024-08-26"), d("2024-09-04"), 7}, "exactly the whole calendar so far"},
		{one, "2025-07-15", 5, Window{d("2025-06-02"), d("2025-07-15"), 5}, "after the calendar: Jun 2-6"},
		{one, "2024-08-01", 5, Window{}, "before the calendar: no days, zero Window"},
		{one, "2024-09-04", 0, Window{}, "n = 0"},
		{one, "2024-09-04", -3, Window{}, "negative n"},
		{one, "", 5, Window{}, "zero Date"},
	}
	for _, tt := range tests {
		var date Date
		if tt.date != "" {
			date = d(tt.date)
		}
		assert.Equal(t, tt.want, tt.c.Previous(date, tt.n), "Previous(%s, %d): %s", tt.date, tt.n, tt.why)
	}
}

func TestYearToDate(t *testing.T) {
	one, two := oneYear(t), twoYears(t)
	tests := []struct {
		c    *Calendar
		date string
		want Window
		why  string
	}{
		{one, "2024-09-04", Window{d("2024-08-26"), d("2024-09-04"), 7}, "7th school day"},
		{one, "2024-08-26", Window{d("2024-08-26"), d("2024-08-26"), 1}, "first day"},
		{one, "2024-08-31", Window{d("2024-08-26"), d("2024-08-31"), 5}, "a Saturday"},
		{two, "2024-12-31", Window{d("2024-08-26"), d("2024-12-31"), 79}, "does not reach into last year"},
		{two, "2024-07-01", Window{}, "summer: in no school year"},
		{one, "2025-07-01", Window{}, "after the calendar"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.c.YearToDate(d(tt.date)), "YearToDate(%s): %s", tt.date, tt.why)
	}
}

// calendarMonths are the calendar months of 2024-2025, from the per-month
// counts on year2425.
var calendarMonths = []Window{
	{d("2024-08-26"), d("2024-08-31"), 5},
	{d("2024-09-01"), d("2024-09-30"), 20},
	{d("2024-10-01"), d("2024-10-31"), 22},
	{d("2024-11-01"), d("2024-11-30"), 17},
	{d("2024-12-01"), d("2024-12-31"), 15},
	{d("2025-01-01"), d("2025-01-31"), 19},
	{d("2025-02-01"), d("2025-02-28"), 19},
	{d("2025-03-01"), d("2025-03-31"), 16},
	{d("2025-04-01"), d("2025-04-30"), 22},
	{d("2025-05-01"), d("2025-05-31"), 22},
	{d("2025-06-01"), d("2025-06-06"), 5},
}

// ohioMonths are the 20-school-day months of 2024-2025. Each ends on the
// 20k-th school day, found from the cumulative month-end counts:
//
//	20th:  25 by Sep 30, so the 15th of Sep: 3-6, 9-13, 16-20, 23  -> Sep 23
//	40th:  25 before Oct, 15th of Oct: 1-4, 7-11, 15-18, 21, 22      -> Oct 22
//	60th:  47 before Nov, 13th of Nov: 1, 4, 6-8, 11-15, 18-20       -> Nov 20
//	80th:  79 before Jan, 1st of Jan (1-3 closed)                    -> Jan 6
//	100th: 98 before Feb, 2nd of Feb: 3, 4                           -> Feb 4
//	120th: 117 before Mar, 3rd of Mar: 3, 4, 5                       -> Mar 5
//	140th: 133 before Apr, 7th of Apr: 1-4, 7-9                      -> Apr 9
//	160th: 155 before May, 5th of May: 1, 2, 5-7                     -> May 7
//	180th: 177 before Jun, 3rd of Jun: 2-4                           -> Jun 4
//
// and the 10th month is the 2 days left, Jun 5-6. Each month starts the day
// after the previous one ends.
var ohioMonths = []Window{
	{d("2024-08-26"), d("2024-09-23"), 20},
	{d("2024-09-24"), d("2024-10-22"), 20},
	{d("2024-10-23"), d("2024-11-20"), 20},
	{d("2024-11-21"), d("2025-01-06"), 20},
	{d("2025-01-07"), d("2025-02-04"), 20},
	{d("2025-02-05"), d("2025-03-05"), 20},
	{d("2025-03-06"), d("2025-04-09"), 20},
	{d("2025-04-10"), d("2025-05-07"), 20},
	{d("2025-05-08"), d("2025-06-04"), 20},
	{d("2025-06-05"), d("2025-06-06"), 2},
}

var ohio = MonthRule{SchoolDays: 20}

func TestMonths(t *testing.T) {
	c := oneYear(t)
	assert.Equal(t, calendarMonths, c.Months(0, MonthRule{}), "calendar months clipped to the year")
	assert.Equal(t, calendarMonths, c.Months(0, MonthRule{SchoolDays: -1}), "negative SchoolDays is calendar months")
	assert.Equal(t, ohioMonths, c.Months(0, ohio), "Ohio 20-school-day months")
	assert.Nil(t, c.Months(1, ohio), "no such year")
	assert.Nil(t, c.Months(-1, MonthRule{}), "negative year")

	c2 := twoYears(t)
	assert.Equal(t, ohioMonths, c2.Months(1, ohio), "second year of a two-year calendar counts from its own first day")
	assert.Len(t, c2.Months(0, MonthRule{}), 10, "2023-2024: Aug 2023 through May 2024")
	// 198 school days = 9 blocks of 20 + one of 18.
	m := c2.Months(0, ohio)
	require.Len(t, m, 10, "ceil(198/20)")
	assert.Equal(t, Window{m[9].From, d("2024-05-31"), 18}, m[9], "last block is short")
}

func TestMonth(t *testing.T) {
	c := oneYear(t)
	tests := []struct {
		date string
		rule MonthRule
		want Window
		why  string
	}{
		{"2024-09-23", ohio, ohioMonths[0], "20th school day ends Ohio month 1"},
		{"2024-09-24", ohio, ohioMonths[1], "21st starts month 2"},
		{"2024-09-28", ohio, ohioMonths[1], "a Saturday belongs to the month of the next school day"},
		{"2024-08-26", ohio, ohioMonths[0], "first day"},
		{"2024-12-25", ohio, ohioMonths[3], "winter break sits inside month 4"},
		{"2025-06-06", ohio, ohioMonths[9], "last, short month"},
		{"2024-10-14", MonthRule{}, calendarMonths[2], "closed day in October"},
		{"2024-08-28", MonthRule{}, calendarMonths[0], "August is clipped to FirstDay"},
		{"2025-06-06", MonthRule{}, calendarMonths[10], "June is clipped to LastDay"},
		{"2025-07-01", ohio, Window{}, "outside the calendar"},
		{"2024-08-25", MonthRule{}, Window{}, "day before the year"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, c.Month(d(tt.date), tt.rule), "Month(%s, %+v): %s", tt.date, tt.rule, tt.why)
	}
}

func TestMonthsStartOnNonSchoolDay(t *testing.T) {
	// A year starting on Saturday 2024-08-24: the first block still starts on
	// FirstDay; with 3-day months the blocks are Mon 26 - Wed 28 (from Sat
	// 24), Thu 29 - Tue Sep 3 (Sep 2 closed), Sep 4 - Sep 6.
	c, err := New(Year{FirstDay: d("2024-08-24"), LastDay: d("2024-09-06"),
		Closed: []Date{d("2024-09-02")}, MinutesPerDay: 400})
	require.NoError(t, err, "valid")
	assert.Equal(t, []Window{
		{d("2024-08-24"), d("2024-08-28"), 3},
		{d("2024-08-29"), d("2024-09-03"), 3},
		{d("2024-09-04"), d("2024-09-06"), 3},
	}, c.Months(0, MonthRule{SchoolDays: 3}), "blocks tile the year")
	assert.Equal(t, Window{d("2024-08-24"), d("2024-08-28"), 3}, c.Month(d("2024-08-25"), MonthRule{SchoolDays: 3}), "Sunday before school")
}

func TestWindowContains(t *testing.T) {
	w := Window{d("2024-08-26"), d("2024-09-04"), 7}
	tests := []struct {
		w    Window
		date Date
		want bool
		why  string
	}{
		{w, d("2024-08-26"), true, "From is inclusive"},
		{w, d("2024-09-04"), true, "To is inclusive"},
		{w, d("2024-09-01"), true, "non-school days inside count as contained"},
		{w, d("2024-08-25"), false, "before"},
		{w, d("2024-09-05"), false, "after"},
		{w, Date{}, false, "zero Date"},
		{Window{}, d("2024-09-01"), false, "zero Window contains nothing"},
		{Window{}, Date{}, false, "not even the zero Date"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.w.Contains(tt.date), tt.why)
	}
}

func TestCalendarAccessors(t *testing.T) {
	in := year2425()
	c, err := New(in)
	require.NoError(t, err, "valid")
	assert.Equal(t, d("2024-08-26"), c.First(), "First is FirstDay")
	assert.Equal(t, d("2025-06-06"), c.Last(), "Last is LastDay")

	ys := c.Years()
	require.Len(t, ys, 1, "one year")
	assert.Equal(t, "2024-2025", ys[0].Name, "default name from the years of FirstDay and LastDay")
	in.Name = "2024-2025"
	assert.Equal(t, in, ys[0], "otherwise the same data")

	// Mutating the caller's slices or the copy does not change the calendar.
	in.Closed[0] = d("2024-09-03")
	ys[0].Closed[1] = d("2024-09-03")
	ys[0].HalfDays[0].Minutes = 1
	assert.True(t, c.IsSchoolDay(d("2024-09-03")), "New copied Closed")
	assert.Equal(t, d("2024-09-02"), c.Years()[0].Closed[0], "Years returns a copy")
	assert.Equal(t, 200, c.Years()[0].HalfDays[0].Minutes, "half days too")

	// Histories share a calendar: a caller changing a returned year's terms changes
	// no other history's.
	termed := year2425()
	termed.Terms = []Term{{Name: "S1", FirstDay: d("2024-08-26"), LastDay: d("2025-01-10")}, {Name: "S2", FirstDay: d("2025-01-13"), LastDay: d("2025-06-06")}}
	tc, err := New(termed)
	require.NoError(t, err)
	tc.Years()[0].Terms[1].FirstDay = d("2025-03-03")
	assert.Equal(t, d("2025-01-13"), tc.Term(d("2025-02-03")).From, "Years returns a copy of the terms")

	named := year2324()
	named.Name = "SY24"
	c2, err := New(named)
	require.NoError(t, err, "valid")
	assert.Equal(t, "SY24", c2.Years()[0].Name, "a given name is kept")

	summer, err := New(Year{FirstDay: d("2025-06-16"), LastDay: d("2025-07-25"), MinutesPerDay: 240})
	require.NoError(t, err, "valid")
	assert.Equal(t, "2025", summer.Years()[0].Name, "a year within one calendar year is named by it")
}

func TestNilCalendar(t *testing.T) {
	var c *Calendar
	x := d("2024-09-04")
	assert.NotPanics(t, func() {
		assert.True(t, c.First().IsZero(), "First")
		assert.True(t, c.Last().IsZero(), "Last")
		assert.Nil(t, c.Years(), "Years")
		_, ok := c.YearOf(x)
		assert.False(t, ok, "YearOf")
		assert.False(t, c.IsSchoolDay(x), "IsSchoolDay")
		assert.Zero(t, c.Minutes(x), "Minutes")
		assert.Zero(t, c.SchoolDays(x, x), "SchoolDays")
		assert.Zero(t, c.SchoolMinutes(x, x), "SchoolMinutes")
		assert.Zero(t, c.Ordinal(x), "Ordinal")
		_, ok = c.Day(0)
		assert.False(t, ok, "Day")
		_, ok = c.NthOfYear(0, 1)
		assert.False(t, ok, "NthOfYear")
		_, ok = c.After(x, 1)
		assert.False(t, ok, "After")
		assert.Zero(t, c.Previous(x, 1), "Previous")
		assert.Zero(t, c.YearToDate(x), "YearToDate")
		assert.Zero(t, c.Month(x, ohio), "Month")
		assert.Nil(t, c.Months(0, ohio), "Months")
		assert.Zero(t, c.EnrolledDays(Enrolment{{From: x}}, x, x), "EnrolledDays")
		assert.Zero(t, c.EnrolledMinutes(Enrolment{{From: x}}, x, x), "EnrolledMinutes")
		assert.Zero(t, c.EnrolledPrevious(Enrolment{{From: x}}, x, 1), "EnrolledPrevious")
	}, "a nil *Calendar behaves as an empty one")
}

func TestNewValidation(t *testing.T) {
	good := year2425
	with := func(f func(*Year)) Year { y := good(); f(&y); return y }
	const yr = `calendar: year "2024-2025": `
	tests := []struct {
		years []Year
		want  []string // lines of the error, in order
		why   string
	}{
		{nil, []string{"calendar: no school years"}, "no years"},
		{[]Year{{MinutesPerDay: 400}}, []string{
			"calendar: year #1: FirstDay is missing",
			"calendar: year #1: LastDay is missing",
		}, "no dates and no name: the year is named by its position"},
		{[]Year{with(func(y *Year) { y.Name = "bad"; y.LastDay = d("2024-08-25"); y.Closed = nil; y.HalfDays = nil })}, []string{
			`calendar: year "bad": LastDay 2024-08-25 is before FirstDay 2024-08-26`,
		}, "LastDay before FirstDay"},
		{[]Year{{FirstDay: d("2024-08-26"), LastDay: d("2024-08-23"), MinutesPerDay: 400}}, []string{
			`calendar: year #1: LastDay 2024-08-23 is before FirstDay 2024-08-26`,
		}, "no default name from backwards dates"},
		// 2024-08-26 to 2025-08-26 is 365 days (no Feb 29 in between), so to
		// 2025-08-27 is 366 days apart: 367 days inclusive.
		{[]Year{with(func(y *Year) { y.LastDay = d("2025-08-27") })}, []string{
			yr + "runs 367 days from 2024-08-26 to 2025-08-27; want at most 366",
		}, "a school year longer than a year is a typo"},
		{[]Year{with(func(y *Year) { y.MinutesPerDay = 0; y.HalfDays = nil })}, []string{
			yr + "MinutesPerDay is 0; want 1 to 1440",
		}, "MinutesPerDay must be positive"},
		{[]Year{with(func(y *Year) { y.MinutesPerDay = 1441 })}, []string{
			yr + "MinutesPerDay is 1441; want 1 to 1440",
		}, "MinutesPerDay fits in a day"},
		{[]Year{with(func(y *Year) { y.Closed = append(y.Closed, d("2024-08-23"), d("2025-06-09")) })}, []string{
			yr + "closed day 2024-08-23 is outside the year (2024-08-26 to 2025-06-06)",
			yr + "closed day 2025-06-09 is outside the year (2024-08-26 to 2025-06-06)",
		}, "closed days outside the year, both ends"},
		{[]Year{with(func(y *Year) { y.Closed = append(y.Closed, d("2024-09-02"), Date{}) })}, []string{
			yr + "closed day 2024-09-02 is listed twice",
			yr + "closed day #25 is the zero Date",
		}, "duplicate and zero closed days (the 23 real ones come first)"},
		{[]Year{with(func(y *Year) {
			y.HalfDays = []HalfDay{
				{d("2025-06-09"), 200}, // outside
				{d("2024-08-31"), 200}, // Saturday
				{d("2024-09-01"), 200}, // Sunday
				{d("2024-09-02"), 200}, // closed
				{d("2024-10-01"), 0},   // no minutes
				{d("2024-10-02"), 401}, // more than a full day
				{d("2024-10-03"), 200},
				{d("2024-10-03"), 100}, // duplicate
				{Date{}, 200},          // zero
			}
		})}, []string{
			yr + "half day 2025-06-09 is outside the year (2024-08-26 to 2025-06-06)",
			yr + "half day 2024-08-31 is a Saturday",
			yr + "half day 2024-09-01 is a Sunday",
			yr + "half day 2024-09-02 is also a closed day",
			yr + "half day 2024-10-01 has 0 minutes; want more than 0",
			yr + "half day 2024-10-02 has 401 minutes; want at most MinutesPerDay (400)",
			yr + "half day 2024-10-03 is listed twice",
			yr + "half day #9 is the zero Date",
		}, "every half-day problem"},
		{[]Year{{FirstDay: d("2024-08-31"), LastDay: d("2024-09-02"), Closed: []Date{d("2024-09-02")}, MinutesPerDay: 400}}, []string{
			`calendar: year "2024": has no school days from 2024-08-31 to 2024-09-02`,
		}, "a weekend plus a closed Monday has no school"},
		{[]Year{good(), year2324()}, []string{
			`calendar: year "2023-2024" starting 2023-08-28 is out of order: it comes after year "2024-2025" starting 2024-08-26`,
		}, "years out of order"},
		{[]Year{good(), {FirstDay: d("2024-08-01"), LastDay: d("2024-08-30"), MinutesPerDay: 400}}, []string{
			`calendar: year "2024" starting 2024-08-01 is out of order: it comes after year "2024-2025" starting 2024-08-26`,
		}, "out of order and overlapping reports out of order"},
		{[]Year{func() Year { y := year2324(); y.LastDay = d("2024-08-26"); return y }(), good()}, []string{
			`calendar: year "2024-2025" starting 2024-08-26 overlaps year "2023-2024" ending 2024-08-26`,
		}, "sharing one day is an overlap"},
		{[]Year{year2324(), {Name: "x", MinutesPerDay: 0}, good()}, []string{
			`calendar: year "x": FirstDay is missing`,
			`calendar: year "x": LastDay is missing`,
			`calendar: year "x": MinutesPerDay is 0; want 1 to 1440`,
		}, "a broken year in the middle does not hide the others' order, which is fine"},
		{[]Year{{Name: "all", FirstDay: d("2024-08-26"), LastDay: d("2024-08-30"), MinutesPerDay: -5,
			Closed:   []Date{d("2024-08-27"), d("2024-08-27"), d("2024-09-02")},
			HalfDays: []HalfDay{{d("2024-08-27"), 100}, {d("2024-08-28"), -1}}}}, []string{
			`calendar: year "all": MinutesPerDay is -5; want 1 to 1440`,
			`calendar: year "all": closed day 2024-08-27 is listed twice`,
			`calendar: year "all": closed day 2024-09-02 is outside the year (2024-08-26 to 2024-08-30)`,
			`calendar: year "all": half day 2024-08-27 is also a closed day`,
			`calendar: year "all": half day 2024-08-28 has -1 minutes; want more than 0`,
		}, "all problems at once, one per line"},
	}
	for _, tt := range tests {
		c, err := New(tt.years...)
		require.Error(t, err, tt.why)
		assert.Nil(t, c, tt.why)
		assert.Equal(t, strings.Join(tt.want, "\n"), err.Error(), tt.why)
	}
}

func TestNewAcceptsClosedWeekend(t *testing.T) {
	y := year2425()
	y.Closed = append(y.Closed, d("2024-08-31"), d("2024-09-01")) // Sat, Sun
	c, err := New(y)
	require.NoError(t, err, "a closed weekend day is harmless")
	assert.Equal(t, 182, c.SchoolDays(c.First(), c.Last()), "and changes nothing")
}

// TestAgainstBruteForce compares the prefix-sum answers with a plain walk
// over the days for random ranges of the two-year calendar. The walk is an
// independent oracle: it only uses the Year data and Weekday.
func TestAgainstBruteForce(t *testing.T) {
	c := twoYears(t)
	minutes := map[Date]int{}
	for _, y := range []Year{year2324(), year2425()} {
		closed := map[Date]bool{}
		for _, x := range y.Closed {
			closed[x] = true
		}
		for x := y.FirstDay; !x.After(y.LastDay); x = x.AddDays(1) {
			if w := x.Weekday(); w != time.Saturday && w != time.Sunday && !closed[x] {
				minutes[x] = y.MinutesPerDay
			}
		}
		for _, h := range y.HalfDays {
			minutes[h.Date] = h.Minutes
		}
	}
	lo, hi := d("2023-08-01"), d("2025-07-01")
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		from := lo.AddDays(rng.IntN(hi.Sub(lo)))
		to := from.AddDays(rng.IntN(400) - 20)
		days, mins := 0, 0
		for x := from; !x.After(to); x = x.AddDays(1) {
			if m, ok := minutes[x]; ok {
				days++
				mins += m
			}
		}
		require.Equal(t, days, c.SchoolDays(from, to), "SchoolDays(%s, %s)", from, to)
		require.Equal(t, mins, c.SchoolMinutes(from, to), "SchoolMinutes(%s, %s)", from, to)
		if n := rng.IntN(200) + 1; true {
			w := c.Previous(to, n)
			if w.Days > 0 {
				require.Equal(t, w.Days, c.SchoolDays(w.From, w.To), "Previous(%s, %d) window count", to, n)
				require.True(t, c.IsSchoolDay(w.From), "Previous From is a school day")
			}
		}
	}
}
