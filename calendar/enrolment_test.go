package calendar

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// transferIn is a student who enrolled on Tue 2024-10-01 and stayed.
var transferIn = Enrolment{{From: d("2024-10-01")}}

// leftAndCameBack left after Fri 2025-01-31 and returned Mon 2025-03-03, so
// missed exactly February 2025 (19 school days) and the weekend of Mar 1-2.
var leftAndCameBack = Enrolment{
	{From: d("2024-08-26"), To: d("2025-01-31")},
	{From: d("2025-03-03")},
}

func TestEnrolmentContains(t *testing.T) {
	tests := []struct {
		e    Enrolment
		date string
		want bool
		why  string
	}{
		{nil, "2024-09-04", true, "nil enrolment means always enrolled"},
		{Enrolment{}, "1999-01-01", true, "empty enrolment too"},
		{transferIn, "2024-09-30", false, "day before the transfer"},
		{transferIn, "2024-10-01", true, "From is inclusive"},
		{transferIn, "2030-01-01", true, "open-ended To"},
		{leftAndCameBack, "2025-01-31", true, "To is inclusive"},
		{leftAndCameBack, "2025-02-14", false, "away"},
		{leftAndCameBack, "2025-03-03", true, "back"},
		{Enrolment{{From: d("2024-10-01"), To: d("2024-09-01")}}, "2024-09-15", false, "a backwards span holds nothing"},
		{Enrolment{{To: d("2024-09-01")}}, "2024-01-01", true, "zero From means from the beginning"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.e.Contains(d(tt.date)), "%v.Contains(%s): %s", tt.e, tt.date, tt.why)
	}
	assert.False(t, Enrolment(nil).Contains(Date{}), "the zero Date is never contained")
}

func TestNormalize(t *testing.T) {
	sep := Span{d("2024-09-01"), d("2024-09-30")}
	oct := Span{d("2024-10-01"), d("2024-10-31")}
	tests := []struct {
		in   Enrolment
		want Enrolment
		err  string
		why  string
	}{
		{nil, nil, "", "nil stays nil (always enrolled)"},
		{Enrolment{oct, sep}, Enrolment{{d("2024-09-01"), d("2024-10-31")}}, "", "sorted, and Sep 30 / Oct 1 are adjacent so they merge"},
		{Enrolment{{d("2024-09-01"), d("2024-10-15")}, oct}, Enrolment{{d("2024-09-01"), d("2024-10-31")}}, "", "overlap merges"},
		{Enrolment{{d("2024-09-01"), d("2024-12-31")}, oct}, Enrolment{{d("2024-09-01"), d("2024-12-31")}}, "", "a contained span disappears"},
		{Enrolment{oct, {From: d("2024-09-01")}}, Enrolment{{From: d("2024-09-01")}}, "", "an open span swallows later ones"},
		{Enrolment{{From: d("2024-09-01")}, {From: d("2024-08-01"), To: d("2024-08-31")}}, Enrolment{{From: d("2024-08-01")}}, "", "adjacent to an open span"},
		{Enrolment{sep, {d("2024-10-02"), d("2024-10-31")}}, Enrolment{sep, {d("2024-10-02"), d("2024-10-31")}}, "", "a one-day gap (Oct 1) keeps them apart"},
		{Enrolment{sep, {d("2024-10-01"), d("2024-09-01")}, {d("2024-12-01"), d("2024-11-01")}}, nil,
			"calendar: enrolment span #2: To 2024-09-01 is before From 2024-10-01\n" +
				"calendar: enrolment span #3: To 2024-11-01 is before From 2024-12-01", "every backwards span is reported"},
	}
	for _, tt := range tests {
		got, err := tt.in.Normalize()
		if tt.err != "" {
			assert.EqualError(t, err, tt.err, tt.why)
			continue
		}
		require.NoError(t, err, tt.why)
		assert.Equal(t, tt.want, got, tt.why)
	}
	in := Enrolment{oct, sep}
	_, _ = in.Normalize()
	assert.Equal(t, Enrolment{oct, sep}, in, "Normalize does not modify its receiver")
}

func TestEnrolledDaysAndMinutes(t *testing.T) {
	c := oneYear(t)
	first, last := "2024-08-26", "2025-06-06"
	tests := []struct {
		e        Enrolment
		from, to string
		days     int
		minutes  int
		why      string
	}{
		{nil, first, last, 182, 72440, "nil enrolment: every school day"},
		{transferIn, first, last, 157, 62440,
			"transfer in Oct 1: 182 less Aug 5 and Sep 20; minutes 72440 - 25*400"},
		{transferIn, "2024-10-01", "2024-10-31", 22, 8800, "all of October"},
		{transferIn, "2024-09-01", "2024-09-30", 0, 0, "before the transfer"},
		{leftAndCameBack, first, last, 163, 64840, "182 less the 19 in February; 72440 - 19*400"},
		{leftAndCameBack, "2025-01-01", "2025-03-31", 35, 14000, "Jan 19 + Mar 16 (Feb away), all full days"},
		{leftAndCameBack, "2025-02-01", "2025-03-02", 0, 0, "exactly the time away"},
		{Enrolment{{From: d("2025-03-03")}, {d("2024-09-01"), d("2024-12-31")}, {d("2024-08-26"), d("2025-01-31")}},
			first, last, 163, 64840, "unsorted and overlapping spans count each day once"},
		{Enrolment{{d("2024-10-01"), d("2024-09-01")}}, first, last, 0, 0,
			"only a backwards span: enrolled on no day (not 'always enrolled')"},
		{Enrolment{{To: d("2024-08-30")}}, first, last, 5, 2000, "zero From: from the start to Aug 30"},
		{leftAndCameBack, "2025-03-31", "2025-01-01", 0, 0, "to before from"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.days, c.EnrolledDays(tt.e, d(tt.from), d(tt.to)), "days %v %s..%s: %s", tt.e, tt.from, tt.to, tt.why)
		assert.Equal(t, tt.minutes, c.EnrolledMinutes(tt.e, d(tt.from), d(tt.to)), "minutes %v %s..%s: %s", tt.e, tt.from, tt.to, tt.why)
	}
}

func TestEnrolledPrevious(t *testing.T) {
	one, two := oneYear(t), twoYears(t)
	tests := []struct {
		c    *Calendar
		e    Enrolment
		date string
		n    int
		want Window
		why  string
	}{
		{one, leftAndCameBack, "2025-03-07", 10, Window{d("2025-01-27"), d("2025-03-07"), 10},
			"Mar 3-7 (5) then skip February back to Jan 27-31 (5)"},
		{one, leftAndCameBack, "2025-03-07", 6, Window{d("2025-01-31"), d("2025-03-07"), 6},
			"Mar 3-7 and Fri Jan 31"},
		{one, leftAndCameBack, "2025-03-07", 5, Window{d("2025-03-03"), d("2025-03-07"), 5},
			"exactly the span after returning"},
		{one, leftAndCameBack, "2025-02-15", 3, Window{d("2025-01-29"), d("2025-02-15"), 3},
			"while away: the last 3 enrolled days Jan 29, 30, 31"},
		{one, transferIn, "2024-10-04", 10, Window{d("2024-10-01"), d("2024-10-04"), 4},
			"runs out: only Tue Oct 1 - Fri Oct 4 enrolled"},
		{one, transferIn, "2024-09-20", 10, Window{}, "before enrolment: zero Window"},
		{one, transferIn, "2024-10-04", 0, Window{}, "n = 0"},
		{one, nil, "2024-12-20", 180, one.Previous(d("2024-12-20"), 180), "nil enrolment is Previous"},
		// In the two-year calendar, a student enrolled from 2024-05-01 has
		// May 2024 (22 days: 23 weekdays less May 27) then this year's 79
		// days up to Dec 20 = 101 < 180.
		{two, Enrolment{{From: d("2024-05-01")}}, "2024-12-20", 180, Window{d("2024-05-01"), d("2024-12-20"), 101},
			"across the summer, running out at enrolment"},
		{two, Enrolment{{From: d("2024-05-01")}}, "2024-12-20", 80, Window{d("2024-05-31"), d("2024-12-20"), 80},
			"79 this year + Fri May 31 2024"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.c.EnrolledPrevious(tt.e, d(tt.date), tt.n), "EnrolledPrevious(%v, %s, %d): %s", tt.e, tt.date, tt.n, tt.why)
	}
}
