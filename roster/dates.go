package roster

import (
	"fmt"
	"strings"
	"time"

	"github.com/rollcall-go/rollcall/calendar"
)

// dateFormat is one way a SIS writes dates, as a mapping names it ("M/D/YYYY") and as
// package time parses it ("1/2/2006").
type dateFormat struct {
	name, layout string
}

// dateTokens are the parts of a date format, longest first so that "MM" is read
// before "M"; anything else is written as it is.
var dateTokens = []struct{ token, layout string }{
	{"YYYY", "2006"}, {"YY", "06"}, {"MM", "01"}, {"DD", "02"}, {"hh", "15"}, {"mm", "04"}, {"ss", "05"},
	{"AM", "PM"}, {"PM", "PM"}, {"M", "1"}, {"D", "2"}, {"h", "3"},
}

// parseDateFormat reads a date format such as "YYYY-MM-DD", "M/D/YYYY" or
// "MM/DD/YYYY hh:mm": YYYY the year (YY in two digits, 69-99 the 1900s); MM and DD the month and day in two digits, M and
// D in one or two; hh (0-23) or h (1-12, with AM or PM), mm and ss a time of day,
// which is read and dropped. Other characters stand for themselves.
func parseDateFormat(f string) (dateFormat, error) {
	var b strings.Builder
	var year, month, day bool
	for s := f; s != ""; {
		matched := false
		for _, t := range dateTokens {
			if strings.HasPrefix(s, t.token) {
				b.WriteString(t.layout)
				s = s[len(t.token):]
				year = year || t.token == "YYYY" || t.token == "YY"
				month = month || t.token == "MM" || t.token == "M"
				day = day || t.token == "DD" || t.token == "D"
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		c := s[0]
		if c >= '0' && c <= '9' || c == '_' {
			return dateFormat{}, fmt.Errorf("date format %q: %q is not a part of a date (use YYYY, MM, M, DD, D, hh, h, mm, ss, AM, and separators)", f, string(c))
		}
		b.WriteByte(c)
		s = s[1:]
	}
	if !year || !month || !day {
		return dateFormat{}, fmt.Errorf("date format %q: want a year (YYYY), a month (MM or M) and a day (DD or D)", f)
	}
	df := dateFormat{name: f, layout: b.String()}
	// Letters that package time reads as a name (Mon, Jan, MST) would not stand for
	// themselves: a date written in the format must read back as itself.
	sample := time.Date(2024, time.September, 3, 0, 0, 0, 0, time.UTC)
	if t, err := time.Parse(df.layout, sample.Format(df.layout)); err != nil || !t.Equal(sample) {
		return dateFormat{}, fmt.Errorf("date format %q: a date written in it does not read back (use YYYY, MM, M, DD, D, hh, h, mm, ss, AM, and separators)", f)
	}
	return df, nil
}

// isoDate is the format of rollcall's own files.
var isoDate = dateFormat{name: "YYYY-MM-DD", layout: "2006-01-02"}

// parseDateIn reads s in the first of formats that reads it. A value with a time of
// day after the date ("09/03/2024 00:00", "2024-09-03T00:00:00") is read by a format
// of the date alone too: the time is dropped.
func parseDateIn(s string, formats []dateFormat) (calendar.Date, bool) {
	if len(formats) == 0 {
		d, err := calendar.ParseDate(s)
		return d, err == nil
	}
	for _, f := range formats {
		if t, err := time.Parse(f.layout, s); err == nil {
			return calendar.DateOf(t), true
		}
	}
	date, _, ok := cutTime(s)
	if !ok {
		return calendar.Date{}, false
	}
	for _, f := range formats {
		if t, err := time.Parse(f.layout, date); err == nil {
			return calendar.DateOf(t), true
		}
	}
	return calendar.Date{}, false
}

// cutTime splits "DATE TIME" or "DATETTIME" when what follows the date reads as a time
// of day: digits, then ":" and more of a time (seconds, a fraction, AM or PM, a zone).
func cutTime(s string) (date, tod string, ok bool) {
	i := strings.IndexAny(s, " T")
	if i <= 0 || i == len(s)-1 {
		return "", "", false
	}
	date, tod = s[:i], strings.TrimSpace(s[i+1:])
	if tod == "" || tod[0] < '0' || tod[0] > '9' || !strings.Contains(tod, ":") {
		return "", "", false
	}
	for _, r := range tod {
		if !strings.ContainsRune("0123456789:.+-Z APMapm", r) {
			return "", "", false
		}
	}
	return date, tod, true
}

// formatNames lists the formats for a message: "M/D/YYYY or YYYY-MM-DD".
func formatNames(formats []dateFormat) string {
	if len(formats) == 0 {
		return isoDate.name
	}
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.name
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// clockMinutes reads a time of day as Ed-Fi writes it (ISO 8601: "09:10", "09:10:00",
// "09:10:00.000", with a zone or not, or a whole date and time) and returns the minutes
// since midnight, seconds rounded.
func clockMinutes(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if _, tod, ok := cutTime(s); ok && strings.Count(s, "-") >= 2 {
		s = tod
	}
	for _, cut := range []string{"Z", "+", "-"} {
		if i := strings.Index(s, cut); i > 0 {
			s = s[:i]
		}
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	h, ok1 := digitsOf(parts[0])
	m, ok2 := digitsOf(parts[1])
	sec := 0.0
	ok3 := true
	if len(parts) == 3 {
		whole, frac, _ := strings.Cut(parts[2], ".")
		var n int
		n, ok3 = digitsOf(whole)
		sec = float64(n)
		if frac != "" {
			if _, ok := digitsOf(frac); !ok {
				ok3 = false
			}
		}
	}
	if !ok1 || !ok2 || !ok3 || len(parts[0]) > 2 || len(parts[1]) != 2 || h > 23 || m > 59 || sec > 60 {
		return 0, false
	}
	return float64(h*60+m) + sec/60, true
}

func digitsOf(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}
