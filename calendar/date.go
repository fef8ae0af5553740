package calendar

import (
	"cmp"
	"fmt"
	"sync/atomic"
	"time"
)

// Date is a civil date (year, month, day) with no time of day and no time
// zone.
//
// The zero Date means "no date": IsZero reports true, String returns "" and it
// orders before every real date. Dates are comparable with == and ordered with
// Before, After and Compare. Supported dates run from 0001-01-01 to
// 9999-12-31; operations that would leave that range return the zero Date.
type Date struct {
	// n is the number of days since 0001-01-01, plus 1, so that the zero
	// value is "no date" and 0001-01-01 is 1.
	n int32
}

const (
	// unixToN converts days since 1970-01-01 to Date.n.
	unixToN = 719163
	// minYear and maxYear bound the supported dates.
	minYear = 1
	maxYear = 9999
)

// maxN is Date.n of 9999-12-31.
var maxN = daysFromCivil(maxYear, 12, 31) + unixToN

// NewDate returns the date year-month-day. Like time.Date it normalises
// out-of-range months and days, so NewDate(2024, 2, 30) is 2024-03-01 and
// NewDate(2025, 1, 0) is 2024-12-31. If the normalised date falls outside
// 0001-01-01 to 9999-12-31, NewDate returns the zero Date.
func NewDate(year int, month time.Month, day int) Date {
	const lim = 1 << 40 // keeps the arithmetic below far from overflow
	if year < -lim || year > lim || day < -lim || day > lim {
		return Date{}
	}
	m := int(month) - 1 // 0-based, may be anything
	year += floorDiv(m, 12)
	m = m - floorDiv(m, 12)*12 + 1
	if year < minYear-1 || year > maxYear+1 {
		return Date{}
	}
	n := daysFromCivil(int64(year), int64(m), 1) + int64(day) - 1 + unixToN
	return fromN(n)
}

// DateOf returns the civil date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// ParseDate parses a date written strictly as "YYYY-MM-DD", such as
// "2024-08-26". The year must be 0001 to 9999 and the day must exist in
// its month; nothing is normalised.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, badDate(s)
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || y < minYear || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return Date{}, badDate(s)
	}
	return fromN(daysFromCivil(int64(y), int64(m), int64(d)) + unixToN), nil
}

// MustParseDate is like ParseDate but panics if s is not a valid
// "YYYY-MM-DD" date. It is meant for tests, examples and constants; use
// ParseDate for input.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func badDate(s string) error {
	return fmt.Errorf("calendar: bad date %q: want YYYY-MM-DD", s)
}

// digits parses an unsigned decimal of ASCII digits only.
func digits(s string) (int, bool) {
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// fromN returns the Date with the given n, or the zero Date if n is out of
// range.
func fromN(n int64) Date {
	if n < 1 || n > maxN {
		return Date{}
	}
	return Date{n: int32(n)}
}

// IsZero reports whether d is the zero Date ("no date").
func (d Date) IsZero() bool { return d.n == 0 }

// String returns d as "YYYY-MM-DD", or "" for the zero Date.
func (d Date) String() string {
	if d.n == 0 {
		return ""
	}
	i := int(d.n) - unixToN
	if i < 0 || i >= len(dateTexts) {
		return string(d.appendTo(make([]byte, 0, 10)))
	}
	if p := dateTexts[i].Load(); p != nil {
		return *p
	}
	text := string(d.appendTo(make([]byte, 0, 10)))
	dateTexts[i].Store(&text)
	return text
}

// dateTexts keeps the text of each date from 1970 to 2169 once it has been written:
// records hold the same school days again and again (a few hundred kilobytes when
// full; the pages are touched only as dates are written).
var dateTexts [200 * 366]atomic.Pointer[string]

func (d Date) appendTo(b []byte) []byte {
	y, m, dd := d.Date()
	return append(b,
		byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+int(m)/10), byte('0'+int(m)%10), '-',
		byte('0'+dd/10), byte('0'+dd%10))
}

// Date returns the year, month and day of d. For the zero Date it returns
// 0, 0, 0.
func (d Date) Date() (year int, month time.Month, day int) {
	if d.n == 0 {
		return 0, 0, 0
	}
	y, m, dd := civilFromDays(int64(d.n) - unixToN)
	return int(y), time.Month(m), int(dd)
}

// Weekday returns the day of the week of d. The result for the zero Date is
// meaningless.
func (d Date) Weekday() time.Weekday {
	// 0001-01-01 (n == 1) was a Monday.
	return time.Weekday(int(d.n) % 7)
}

// AddDays returns d plus n days (n may be negative). Adding to the zero Date
// gives the zero Date, and so does leaving 0001-01-01 to 9999-12-31.
func (d Date) AddDays(n int) Date {
	if d.n == 0 || n > int(maxN) || n < -int(maxN) {
		return Date{}
	}
	return fromN(int64(d.n) + int64(n))
}

// Sub returns the number of days from e to d, that is d - e. It is positive
// when d is after e. The result is meaningless if either date is zero.
func (d Date) Sub(e Date) int { return int(d.n) - int(e.n) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.n < e.n }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.n > e.n }

// Compare returns -1 if d is before e, 0 if they are equal and +1 if d is
// after e. The zero Date is before every other date.
func (d Date) Compare(e Date) int { return cmp.Compare(d.n, e.n) }

// MarshalText implements encoding.TextMarshaler: "YYYY-MM-DD", or an empty
// text for the zero Date. In JSON a Date is therefore a string.
func (d Date) MarshalText() ([]byte, error) {
	if d.n == 0 {
		return []byte{}, nil
	}
	return d.appendTo(make([]byte, 0, 10)), nil
}

// UnmarshalText implements encoding.TextUnmarshaler. It accepts the strict
// "YYYY-MM-DD" form of ParseDate, and an empty text as the zero Date. On
// error d is left unchanged.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Time returns midnight UTC at the start of d. For the zero Date it returns
// the zero time.Time.
func (d Date) Time() time.Time {
	if d.n == 0 {
		return time.Time{}
	}
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// daysFromCivil returns the number of days from 1970-01-01 to y-m-d in the
// proleptic Gregorian calendar (Howard Hinnant's algorithm). m is 1..12.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int64) (y, m, d int64) {
	z += 719468
	era := z
	if era < 0 {
		era -= 146096
	}
	era /= 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}
