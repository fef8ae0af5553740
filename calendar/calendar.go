package calendar

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"
)

// HalfDay is a school day shortened to Minutes minutes of instruction.
type HalfDay struct {
	Date    Date `json:"date"`
	Minutes int  `json:"minutes"`
}

// Year is one school year as data.
type Year struct {
	// Name labels the year, such as "2024-2025". If empty, New fills it in
	// from the years of FirstDay and LastDay ("2024-2025", or "2025" when
	// both fall in the same year).
	Name string `json:"name,omitempty"`
	// FirstDay and LastDay are the first and last days of the school year,
	// inclusive. Both are required.
	FirstDay Date `json:"first_day"`
	LastDay  Date `json:"last_day"`
	// Closed lists weekdays inside the year without school (holidays,
	// breaks). Saturdays and Sundays are never school days; listing one here
	// is harmless.
	Closed []Date `json:"closed,omitempty"`
	// HalfDays lists shortened school days.
	HalfDays []HalfDay `json:"half_days,omitempty"`
	// MinutesPerDay is the length of a full school day in minutes, 1 to
	// 1440.
	MinutesPerDay int `json:"minutes_per_day"`
	// Terms divide the year for counts and caps per term (semesters,
	// trimesters, grading periods). Each lies inside the year; they do not
	// overlap. Optional.
	Terms []Term `json:"terms,omitempty"`
}

// Term is a named part of a school year, both days inclusive.
type Term struct {
	Name     string `json:"name"`
	FirstDay Date   `json:"first_day"`
	LastDay  Date   `json:"last_day"`
}

// maxYearDays is the longest school year New accepts, in days.
const maxYearDays = 366

// minutesInDay bounds MinutesPerDay.
const minutesInDay = 24 * 60

// Calendar is one or more consecutive school years, for example last year and
// this year, so that a window of the previous 180 school days can reach back
// across the summer. Days between school years are not school days.
//
// A Calendar answers every query in constant or logarithmic time from prefix
// sums built by New. Dates outside the calendar are simply not school days.
// A Calendar is immutable and safe for concurrent use. A nil *Calendar behaves
// like a calendar with no school days.
type Calendar struct {
	years []Year // validated copies, names filled in
	first Date   // years[0].FirstDay
	last  Date   // years[len-1].LastDay
	// cumDays[i] is the number of school days among the first i days of the
	// calendar (offsets 0..i-1 from first). len(cumDays) == span+1.
	cumDays []int32
	// cumMin[i] is the number of school minutes among the first i days.
	cumMin []int64
	// school lists the offsets from first of every school day, in order, so
	// school[k] is the (k+1)-th school day.
	school []int32
	// yearStart[y] and yearEnd[y] are the ordinals of the first school day
	// of year y and one past its last.
	yearStart, yearEnd []int
}

// New builds a Calendar from one or more school years, given in
// chronological order without overlaps.
//
// New checks everything and reports every problem it finds at once, as an
// error joined with errors.Join whose message has one line per problem. Each
// line starts with "calendar: " and names the year and the date involved.
func New(years ...Year) (*Calendar, error) {
	if len(years) == 0 {
		return nil, errors.New("calendar: no school years")
	}
	var errs []error
	c := &Calendar{years: make([]Year, len(years))}
	valid := make([]bool, len(years)) // FirstDay/LastDay usable
	for i, y := range years {
		y.Closed = append([]Date(nil), y.Closed...)
		y.HalfDays = append([]HalfDay(nil), y.HalfDays...)
		y.Terms = append([]Term(nil), y.Terms...)
		if y.Name == "" && !y.FirstDay.IsZero() && !y.LastDay.IsZero() && !y.LastDay.Before(y.FirstDay) {
			y.Name = defaultName(y.FirstDay, y.LastDay)
		}
		c.years[i] = y
		var ok bool
		errs, ok = checkYear(errs, i, y)
		valid[i] = ok
	}
	// Order and overlap between consecutive usable years.
	prev := -1
	for i := range c.years {
		if !valid[i] {
			continue
		}
		if prev >= 0 {
			a, b := c.years[prev], c.years[i]
			switch {
			case b.FirstDay.Before(a.FirstDay):
				errs = append(errs, fmt.Errorf("calendar: year %s starting %s is out of order: it comes after year %s starting %s",
					label(i, b), b.FirstDay, label(prev, a), a.FirstDay))
			case !b.FirstDay.After(a.LastDay):
				errs = append(errs, fmt.Errorf("calendar: year %s starting %s overlaps year %s ending %s",
					label(i, b), b.FirstDay, label(prev, a), a.LastDay))
			}
		}
		prev = i
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	c.build()
	return c, nil
}

func defaultName(first, last Date) string {
	fy, _, _ := first.Date()
	ly, _, _ := last.Date()
	if fy == ly {
		return strconv.Itoa(fy)
	}
	return strconv.Itoa(fy) + "-" + strconv.Itoa(ly)
}

// label names year i in error messages: its quoted Name, or its 1-based
// position when it has no name.
func label(i int, y Year) string {
	if y.Name != "" {
		return strconv.Quote(y.Name)
	}
	return "#" + strconv.Itoa(i+1)
}

// checkYear appends the problems of year i to errs and reports whether its
// FirstDay and LastDay are usable for building.
func checkYear(errs []error, i int, y Year) ([]error, bool) {
	name := label(i, y)
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("calendar: year "+name+": "+format, args...))
	}
	rangeOK := true
	if y.FirstDay.IsZero() {
		add("FirstDay is missing")
		rangeOK = false
	}
	if y.LastDay.IsZero() {
		add("LastDay is missing")
		rangeOK = false
	}
	if rangeOK && y.LastDay.Before(y.FirstDay) {
		add("LastDay %s is before FirstDay %s", y.LastDay, y.FirstDay)
		rangeOK = false
	}
	if rangeOK && y.LastDay.Sub(y.FirstDay)+1 > maxYearDays {
		add("runs %d days from %s to %s; want at most %d", y.LastDay.Sub(y.FirstDay)+1, y.FirstDay, y.LastDay, maxYearDays)
		rangeOK = false
	}
	minutesOK := true
	if y.MinutesPerDay <= 0 || y.MinutesPerDay > minutesInDay {
		add("MinutesPerDay is %d; want 1 to %d", y.MinutesPerDay, minutesInDay)
		minutesOK = false
	}
	inYear := func(d Date) bool { return !d.Before(y.FirstDay) && !d.After(y.LastDay) }

	closed := make(map[Date]bool, len(y.Closed))
	for k, d := range y.Closed {
		switch {
		case d.IsZero():
			add("closed day #%d is the zero Date", k+1)
			continue
		case closed[d]:
			add("closed day %s is listed twice", d)
			continue
		}
		closed[d] = true
		if rangeOK && !inYear(d) {
			add("closed day %s is outside the year (%s to %s)", d, y.FirstDay, y.LastDay)
		}
	}
	half := make(map[Date]bool, len(y.HalfDays))
	for k, h := range y.HalfDays {
		d := h.Date
		if d.IsZero() {
			add("half day #%d is the zero Date", k+1)
			continue
		}
		if half[d] {
			add("half day %s is listed twice", d)
			continue
		}
		half[d] = true
		switch {
		case rangeOK && !inYear(d):
			add("half day %s is outside the year (%s to %s)", d, y.FirstDay, y.LastDay)
		case isWeekend(d):
			add("half day %s is a %s", d, d.Weekday())
		case closed[d]:
			add("half day %s is also a closed day", d)
		}
		switch {
		case h.Minutes <= 0:
			add("half day %s has %d minutes; want more than 0", d, h.Minutes)
		case minutesOK && h.Minutes > y.MinutesPerDay:
			add("half day %s has %d minutes; want at most MinutesPerDay (%d)", d, h.Minutes, y.MinutesPerDay)
		}
	}
	for k, t := range y.Terms {
		switch {
		case t.FirstDay.IsZero() || t.LastDay.IsZero():
			add("term #%d (%s) needs first_day and last_day", k+1, t.Name)
		case t.LastDay.Before(t.FirstDay):
			add("term %s: last day %s is before its first day %s", t.Name, t.LastDay, t.FirstDay)
		case rangeOK && (!inYear(t.FirstDay) || !inYear(t.LastDay)):
			add("term %s (%s to %s) is outside the year (%s to %s)", t.Name, t.FirstDay, t.LastDay, y.FirstDay, y.LastDay)
		case k > 0 && !y.Terms[k-1].LastDay.IsZero() && !t.FirstDay.After(y.Terms[k-1].LastDay):
			add("term %s starting %s overlaps or comes before term %s ending %s", t.Name, t.FirstDay, y.Terms[k-1].Name, y.Terms[k-1].LastDay)
		}
	}
	if rangeOK && countSchoolDays(y, closed) == 0 {
		add("has no school days from %s to %s", y.FirstDay, y.LastDay)
	}
	return errs, rangeOK
}

func isWeekend(d Date) bool {
	w := d.Weekday()
	return w == time.Saturday || w == time.Sunday
}

// countSchoolDays counts the school days of a year whose range is valid (at
// most maxYearDays long).
func countSchoolDays(y Year, closed map[Date]bool) int {
	n := 0
	for off := range y.LastDay.Sub(y.FirstDay) + 1 {
		if d := y.FirstDay.AddDays(off); !isWeekend(d) && !closed[d] {
			n++
		}
	}
	return n
}

// build fills in the prefix sums of a validated calendar.
func (c *Calendar) build() {
	c.first = c.years[0].FirstDay
	c.last = c.years[len(c.years)-1].LastDay
	span := c.last.Sub(c.first) + 1
	minutes := make([]int32, span) // minutes of each day, 0 if no school
	for _, y := range c.years {
		lo, hi := y.FirstDay.Sub(c.first), y.LastDay.Sub(c.first)
		for off := lo; off <= hi; off++ {
			if !isWeekend(c.first.AddDays(off)) {
				minutes[off] = int32(y.MinutesPerDay)
			}
		}
		for _, d := range y.Closed {
			minutes[d.Sub(c.first)] = 0
		}
		for _, h := range y.HalfDays {
			minutes[h.Date.Sub(c.first)] = int32(h.Minutes)
		}
	}
	c.cumDays = make([]int32, span+1)
	c.cumMin = make([]int64, span+1)
	for off, m := range minutes {
		c.cumDays[off+1] = c.cumDays[off]
		c.cumMin[off+1] = c.cumMin[off] + int64(m)
		if m > 0 {
			c.cumDays[off+1]++
			c.school = append(c.school, int32(off))
		}
	}
	c.yearStart = make([]int, len(c.years))
	c.yearEnd = make([]int, len(c.years))
	for i, y := range c.years {
		c.yearStart[i] = c.Ordinal(y.FirstDay)
		c.yearEnd[i] = c.onOrBefore(y.LastDay)
	}
}

// span is the number of days from First to Last inclusive.
func (c *Calendar) span() int { return len(c.cumDays) - 1 }

// pos maps d to an index into the prefix sums: the number of calendar days
// strictly before d, clamped to [0, span].
func (c *Calendar) pos(d Date) int {
	off := d.Sub(c.first)
	if off < 0 {
		return 0
	}
	if s := c.span(); off > s {
		return s
	}
	return off
}

// posAfter is pos of the day after d: the number of calendar days on or
// before d, clamped to [0, span].
func (c *Calendar) posAfter(d Date) int {
	off := d.Sub(c.first) + 1
	if off < 0 {
		return 0
	}
	if s := c.span(); off > s {
		return s
	}
	return off
}

// empty reports whether c has no days (nil).
func (c *Calendar) empty() bool { return c == nil || len(c.cumDays) == 0 }

// First returns the first day of the first school year.
func (c *Calendar) First() Date {
	if c.empty() {
		return Date{}
	}
	return c.first
}

// Last returns the last day of the last school year.
func (c *Calendar) Last() Date {
	if c.empty() {
		return Date{}
	}
	return c.last
}

// Years returns a copy of the calendar's school years, with default names
// filled in.
func (c *Calendar) Years() []Year {
	if c == nil {
		return nil
	}
	out := make([]Year, len(c.years))
	for i, y := range c.years {
		y.Closed = append([]Date(nil), y.Closed...)
		y.HalfDays = append([]HalfDay(nil), y.HalfDays...)
		y.Terms = append([]Term(nil), y.Terms...)
		out[i] = y
	}
	return out
}

// YearOf returns the index in Years of the school year whose
// [FirstDay, LastDay] holds d, and false if no year does (for example in the
// summer between two years).
func (c *Calendar) YearOf(d Date) (int, bool) {
	if c.empty() {
		return 0, false
	}
	i := sort.Search(len(c.years), func(i int) bool { return !c.years[i].LastDay.Before(d) })
	if i < len(c.years) && !d.Before(c.years[i].FirstDay) {
		return i, true
	}
	return 0, false
}

// IsSchoolDay reports whether d is a school day of the calendar.
func (c *Calendar) IsSchoolDay(d Date) bool {
	if c.empty() {
		return false
	}
	off := d.Sub(c.first)
	return off >= 0 && off < c.span() && c.cumDays[off+1] != c.cumDays[off]
}

// Minutes returns the minutes of school on d: MinutesPerDay of its year, the
// half day's minutes, or 0 if d is not a school day.
func (c *Calendar) Minutes(d Date) int {
	if c.empty() {
		return 0
	}
	off := d.Sub(c.first)
	if off < 0 || off >= c.span() {
		return 0
	}
	return int(c.cumMin[off+1] - c.cumMin[off])
}

// SchoolDays returns the number of school days in [from, to], inclusive. It
// is 0 if to is before from; the range is clamped to the calendar.
func (c *Calendar) SchoolDays(from, to Date) int {
	if c.empty() || to.Before(from) {
		return 0
	}
	return int(c.cumDays[c.posAfter(to)] - c.cumDays[c.pos(from)])
}

// SchoolMinutes returns the sum of Minutes over [from, to], inclusive. It is
// 0 if to is before from; the range is clamped to the calendar.
func (c *Calendar) SchoolMinutes(from, to Date) int {
	if c.empty() || to.Before(from) {
		return 0
	}
	return int(c.cumMin[c.posAfter(to)] - c.cumMin[c.pos(from)])
}

// Ordinal returns the number of school days of the calendar strictly before
// d. For a school day d, Day(Ordinal(d)) == d.
func (c *Calendar) Ordinal(d Date) int {
	if c.empty() {
		return 0
	}
	return int(c.cumDays[c.pos(d)])
}

// onOrBefore returns the number of school days on or before d.
func (c *Calendar) onOrBefore(d Date) int { return int(c.cumDays[c.posAfter(d)]) }

// Day returns the i-th school day of the calendar, counting from 0, and false
// if there is no such day.
func (c *Calendar) Day(i int) (Date, bool) {
	if c == nil || i < 0 || i >= len(c.school) {
		return Date{}, false
	}
	return c.first.AddDays(int(c.school[i])), true
}

// NthOfYear returns the n-th school day (counting from 1) of the school year
// with index year in Years, and false if there is no such day.
func (c *Calendar) NthOfYear(year, n int) (Date, bool) {
	if c == nil || year < 0 || year >= len(c.years) || n < 1 {
		return Date{}, false
	}
	k := c.yearStart[year] + n - 1
	if k >= c.yearEnd[year] || k < c.yearStart[year] { // second test guards overflow
		return Date{}, false
	}
	return c.Day(k)
}

// After returns the n-th school day strictly after d (n >= 1), and false if
// n < 1 or the calendar ends first. d need not be a school day, nor inside
// the calendar.
func (c *Calendar) After(d Date, n int) (Date, bool) {
	if c.empty() || n < 1 || n > len(c.school) {
		return Date{}, false
	}
	return c.Day(c.onOrBefore(d) + n - 1)
}

// Window is a range of dates [From, To], inclusive, with the number of school
// days in it. The zero Window is empty and contains no date.
type Window struct {
	From, To Date
	Days     int
}

// Contains reports whether From <= d <= To. It is false for the zero Date
// and for every date of the zero Window.
func (w Window) Contains(d Date) bool {
	return !d.IsZero() && !d.Before(w.From) && !d.After(w.To)
}

// Previous returns the window of the last n school days on or before d,
// reaching back into earlier school years of the calendar. To is d and From
// is the earliest of those school days. If the calendar runs out, From is its
// first school day and Days is less than n. If there are no such days, or
// n < 1, Previous returns the zero Window.
func (c *Calendar) Previous(d Date, n int) Window {
	if c.empty() || n < 1 || d.IsZero() {
		return Window{}
	}
	k := c.onOrBefore(d)
	if k == 0 {
		return Window{}
	}
	days := min(n, k)
	from, _ := c.Day(k - days)
	return Window{From: from, To: d, Days: days}
}

// YearToDate returns the window from the first day of d's school year
// through d. If d is in no school year (see YearOf), it returns the zero
// Window.
func (c *Calendar) YearToDate(d Date) Window {
	y, ok := c.YearOf(d)
	if !ok {
		return Window{}
	}
	from := c.years[y].FirstDay
	return Window{From: from, To: d, Days: c.SchoolDays(from, d)}
}

// Term returns the term of d's school year that holds d, from its first day
// through d, or the zero Window when d is in no term.
func (c *Calendar) Term(d Date) Window {
	y, ok := c.YearOf(d)
	if !ok {
		return Window{}
	}
	for _, t := range c.years[y].Terms {
		if !d.Before(t.FirstDay) && !d.After(t.LastDay) {
			return Window{From: t.FirstDay, To: d, Days: c.SchoolDays(t.FirstDay, d)}
		}
	}
	return Window{}
}

// MonthRule says how a school year divides into school months.
//
// The zero value means calendar months (September, October, ...) clipped to
// the school year. SchoolDays > 0 means consecutive blocks of that many
// school days counted from the first day of the school year, as in Ohio's
// 20-school-day month (ORC 3313.62); the last block may be shorter. Such a
// block runs from the day after the previous block's last school day (the
// first block from FirstDay) to its own last school day (the last block to
// LastDay), so the blocks cover the school year without gaps. A negative
// SchoolDays is treated as zero.
type MonthRule struct {
	SchoolDays int
}

// Month returns the school month that holds d, within d's school year. If d
// is in no school year (see YearOf), it returns the zero Window.
func (c *Calendar) Month(d Date, r MonthRule) Window {
	y, ok := c.YearOf(d)
	if !ok {
		return Window{}
	}
	if r.SchoolDays <= 0 {
		yy, m, _ := d.Date()
		return c.calendarMonth(y, yy, m)
	}
	// d belongs to block j when j*k <= (school days of the year before d) <
	// (j+1)*k, capped at the last block.
	p := c.Ordinal(d) - c.yearStart[y]
	return c.block(y, min(p/r.SchoolDays, c.blocks(y, r.SchoolDays)-1), r.SchoolDays)
}

// Months returns all the school months of the school year with index year in
// Years, in order, or nil if there is no such year.
func (c *Calendar) Months(year int, r MonthRule) []Window {
	if c == nil || year < 0 || year >= len(c.years) {
		return nil
	}
	var out []Window
	if r.SchoolDays <= 0 {
		fy, fm, _ := c.years[year].FirstDay.Date()
		ly, lm, _ := c.years[year].LastDay.Date()
		for yy, m := fy, fm; yy < ly || (yy == ly && m <= lm); {
			out = append(out, c.calendarMonth(year, yy, m))
			if m++; m > time.December {
				m, yy = time.January, yy+1
			}
		}
		return out
	}
	nb := c.blocks(year, r.SchoolDays)
	out = make([]Window, nb)
	for j := range nb {
		out[j] = c.block(year, j, r.SchoolDays)
	}
	return out
}

// calendarMonth returns month m of year yy clipped to school year y.
func (c *Calendar) calendarMonth(y, yy int, m time.Month) Window {
	sy := c.years[y]
	from := NewDate(yy, m, 1)
	to := NewDate(yy, m+1, 0)
	if from.Before(sy.FirstDay) {
		from = sy.FirstDay
	}
	if to.After(sy.LastDay) || to.IsZero() {
		to = sy.LastDay
	}
	return Window{From: from, To: to, Days: c.SchoolDays(from, to)}
}

// blocks returns the number of k-school-day blocks in school year y.
func (c *Calendar) blocks(y, k int) int {
	n := c.yearEnd[y] - c.yearStart[y]
	return (n + k - 1) / k
}

// block returns block j (0-based) of k school days of school year y.
func (c *Calendar) block(y, j, k int) Window {
	sy := c.years[y]
	start, end := c.yearStart[y], c.yearEnd[y]
	w := Window{From: sy.FirstDay, To: sy.LastDay}
	lo := start + j*k
	hi := min(lo+k, end) // one past the block's last school day
	if j > 0 {
		prev, _ := c.Day(lo - 1)
		w.From = prev.AddDays(1)
	}
	if hi < end {
		w.To, _ = c.Day(hi - 1)
	}
	w.Days = hi - lo
	return w
}
