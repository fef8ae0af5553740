// Package testcal holds the school calendar the tests of several packages share, so
// that hand-computed expectations everywhere refer to one calendar.
package testcal

import "github.com/rollcall-go/rollcall/calendar"

// Year2425 is the 2024-2025 school year of the public scenarios: Mon 2024-08-26 to Fri
// 2025-06-06, with minutes school minutes a day, closed on these weekdays:
//
//	2024-09-02 (Labor Day), 2024-10-14, 2024-11-05 (Election Day),
//	2024-11-27..29 (Thanksgiving), 2024-12-23..27 and 2024-12-30..2025-01-03 (winter
//	break), 2025-01-20 (MLK Day), 2025-02-17 (Presidents' Day), 2025-03-24..28
//	(spring break).
//
// School days per month, by hand (weekdays less closed weekdays): Aug 5, Sep 20,
// Oct 22, Nov 17, Dec 15, Jan 19, Feb 19, Mar 16, Apr 22, May 22, Jun 5 = 182.
// Half days, when given, shorten those dates.
func Year2425(minutes int, half ...calendar.HalfDay) calendar.Year {
	closed := []calendar.Date{day("2024-09-02"), day("2024-10-14"), day("2024-11-05")}
	for _, r := range [][2]string{{"2024-11-27", "2024-11-29"}, {"2024-12-23", "2024-12-27"},
		{"2024-12-30", "2025-01-03"}, {"2025-03-24", "2025-03-28"}} {
		for x := day(r[0]); !x.After(day(r[1])); x = x.AddDays(1) {
			closed = append(closed, x)
		}
	}
	closed = append(closed, day("2025-01-20"), day("2025-02-17"))
	return calendar.Year{FirstDay: day("2024-08-26"), LastDay: day("2025-06-06"), Closed: closed, HalfDays: half, MinutesPerDay: minutes}
}

func day(s string) calendar.Date { return calendar.MustParseDate(s) }
