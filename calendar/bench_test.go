package calendar

import (
	"fmt"
	"testing"
)

// simpleYear is a school year from the last Monday of August to the first
// Friday of June with no closures, for building calendars of any length.
func simpleYear(start int) Year {
	first := NewDate(start, 8, 31)
	for first.Weekday() != 1 { // back to Monday
		first = first.AddDays(-1)
	}
	last := NewDate(start+1, 6, 1)
	for last.Weekday() != 5 { // on to Friday
		last = last.AddDays(1)
	}
	return Year{FirstDay: first, LastDay: last, MinutesPerDay: 400}
}

// BenchmarkSchoolDays shows that a query costs the same on a 1-year and a
// 3-year calendar, and allocates nothing: it is two array reads.
func BenchmarkSchoolDays(b *testing.B) {
	for _, nyears := range []int{1, 3} {
		years := make([]Year, nyears)
		for i := range years {
			years[i] = simpleYear(2022 + i)
		}
		c, err := New(years...)
		if err != nil {
			b.Fatal(err)
		}
		span := c.Last().Sub(c.First()) + 1
		b.Run(fmt.Sprintf("years=%d", nyears), func(b *testing.B) {
			b.ReportAllocs()
			sink := 0
			i := 0
			for b.Loop() {
				from := c.First().AddDays(i % span)
				sink += c.SchoolDays(from, from.AddDays(span/2))
				i += 7
			}
			if sink < 0 {
				b.Fatal(sink)
			}
		})
	}
}

// BenchmarkPrevious measures the 180-day look-back used by truancy rules.
func BenchmarkPrevious(b *testing.B) {
	c, err := New(simpleYear(2022), simpleYear(2023), simpleYear(2024))
	if err != nil {
		b.Fatal(err)
	}
	last := c.Last()
	b.ReportAllocs()
	sink := 0
	i := 0
	for b.Loop() {
		sink += c.Previous(last.AddDays(-(i % 300)), 180).Days
		i++
	}
	if sink < 0 {
		b.Fatal(sink)
	}
}
