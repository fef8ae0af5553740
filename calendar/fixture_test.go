package calendar

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// d is short for MustParseDate in tests.
func d(s string) Date { return MustParseDate(s) }

// dates returns every date from a to b inclusive.
func dates(a, b string) []Date {
	var out []Date
	for x := d(a); !x.After(d(b)); x = x.AddDays(1) {
		out = append(out, x)
	}
	return out
}

// year2425 is the real 2024-2025 calendar used by most tests, with two half
// days added: 2024-11-26 (200 min) and 2024-12-20 (240 min).
//
// School days per calendar month, counted by hand from a paper calendar
// (weekdays in the month, less the closed weekdays):
//
//	Aug 2024: Mon 26 - Fri 30                         =  5
//	Sep 2024: 21 weekdays - Sep 2                      = 20
//	Oct 2024: 23 weekdays - Oct 14                     = 22
//	Nov 2024: 21 weekdays - Nov 5, 27, 28, 29          = 17
//	Dec 2024: 22 weekdays - Dec 23-27, 30, 31          = 15
//	Jan 2025: 23 weekdays - Jan 1, 2, 3, 20            = 19
//	Feb 2025: 20 weekdays - Feb 17                     = 19
//	Mar 2025: 21 weekdays - Mar 24-28                  = 16
//	Apr 2025: 22 weekdays                              = 22
//	May 2025: 22 weekdays                              = 22
//	Jun 2025: Mon 2 - Fri 6                            =  5
//	                                             total = 182
//
// Minutes: 182 * 400 = 72800, less 200 (Nov 26) and 160 (Dec 20) = 72440.
func year2425() Year {
	closed := []Date{d("2024-09-02"), d("2024-10-14"), d("2024-11-05"),
		d("2024-11-27"), d("2024-11-28"), d("2024-11-29")}
	closed = append(closed, dates("2024-12-23", "2024-12-27")...)
	closed = append(closed, d("2024-12-30"), d("2024-12-31"), d("2025-01-01"),
		d("2025-01-02"), d("2025-01-03"), d("2025-01-20"), d("2025-02-17"))
	closed = append(closed, dates("2025-03-24", "2025-03-28")...)
	return Year{
		FirstDay:      d("2024-08-26"),
		LastDay:       d("2025-06-06"),
		Closed:        closed,
		HalfDays:      []HalfDay{{d("2024-11-26"), 200}, {d("2024-12-20"), 240}},
		MinutesPerDay: 400,
	}
}

// year2324 is a made-up previous year: Mon 2023-08-28 to Fri 2024-05-31,
// closed only on MLK Day 2024-01-15 and Memorial Day 2024-05-27, 390 minutes.
//
// By hand: Mon 2023-08-28 to Mon 2024-05-27 is 273 days = 39 weeks, so the
// year is 40 whole Mon-Fri weeks = 200 weekdays, less 2 closed = 198 school
// days.
func year2324() Year {
	return Year{
		FirstDay:      d("2023-08-28"),
		LastDay:       d("2024-05-31"),
		Closed:        []Date{d("2024-01-15"), d("2024-05-27")},
		MinutesPerDay: 390,
	}
}

func oneYear(t testing.TB) *Calendar {
	t.Helper()
	c, err := New(year2425())
	require.NoError(t, err)
	return c
}

func twoYears(t testing.TB) *Calendar {
	t.Helper()
	c, err := New(year2324(), year2425())
	require.NoError(t, err)
	return c
}
