package escalation_test

// Facts computed by hand from the calendar of the 2024-25 school year below. Every
// expected number is worked out in the comments; none is copied from the program.
//
// School year 2024-08-26 .. 2025-06-06, closed weekdays 2024-09-02, 2024-10-14,
// 2024-11-05, 2024-11-27..29, 2024-12-23..27, 2024-12-30..2025-01-03, 2025-01-20,
// 2025-02-17, 2025-03-24..28. School days (1-based, counted by hand):
//
//	Aug: 26 27 28 29 30                           days 1-5
//	Sep: 3 4 5 6 | 9-13 | 16-20 | 23-27 | 30        days 6-25 (20 days; the 7th school day is 09-04)
//	Oct: 1-4 | 7-11 | 15-18 | 21-25                 days 26-43 (18 days to 10-25)
//	Oct: 28-31                                      days 44-47

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/codes"
	"github.com/rollcall-go/rollcall/escalation"
	"github.com/rollcall-go/rollcall/internal/testcal"
)

func escDate(s string) calendar.Date { return calendar.MustParseDate(s) }

// escYear is the 2024-25 school year of the brief with minutes school minutes a day.
func escYear(minutes int) calendar.Year { return testcal.Year2425(minutes) }

func escCal(t testing.TB, minutes int) *calendar.Calendar {
	t.Helper()
	c, err := calendar.New(escYear(minutes))
	require.NoError(t, err)
	return c
}

// escAbs is an absence record: a full day when minutes is 0.
func escAbs(date string, code string, x codes.Excuse, span codes.Span, minutes, dayMinutes int, tags ...string) escalation.Record {
	if minutes == 0 {
		minutes = dayMinutes
	}
	return escalation.Record{Date: escDate(date), Code: code, Status: codes.Absent, Excuse: x, Span: span,
		Minutes: minutes, DayMinutes: dayMinutes, Tags: tags}
}

// escFull is a full-day absence of a 420-minute (7 h) day.
func escFull(date, code string, x codes.Excuse, tags ...string) escalation.Record {
	return escAbs(date, code, x, codes.FullDay, 0, 420, tags...)
}

// escMixed is the history of TestComputeYearToDate: every excuse type, partial days,
// a medical early leave and an unverified suspension, with 7-hour (420-minute) days.
func escMixed() []escalation.Record {
	return []escalation.Record{
		escFull("2024-09-10", "UNX", codes.Unexcused),                                     // day 11
		escFull("2024-09-11", "ECE", codes.Unverified, "reported"),                        // day 12
		escFull("2024-09-12", "ILL", codes.Excused, "medical", "valid-cause"),             // day 13
		escFull("2024-09-13", "FEM", codes.Excused, "valid-cause"),                        // day 14
		escAbs("2024-10-02", "TUX", codes.Unexcused, codes.LateArrival, 105, 420),         // day 27: 105/420 = 0.25 day, 1.75 h
		escAbs("2024-10-03", "MEL", codes.Excused, codes.EarlyLeave, 210, 420, "medical"), // day 28: 0.5 day, 3.5 h
		escFull("2024-10-04", "OSH", codes.Unverified, "behavior", "suspension"),          // day 29: suspension, not "without legitimate excuse"
		// ignored: present, and after as_of
		{Date: escDate("2024-10-07"), Code: "TDY", Status: codes.Present, Excuse: codes.None, Span: codes.LateArrival, DayMinutes: 420},
		escFull("2024-10-28", "UNX", codes.Unexcused),
	}
}

func TestComputeYearToDate(t *testing.T) {
	cal := escCal(t, 420)
	f := escalation.Compute(escalation.Input{Calendar: cal, Records: escMixed(), AsOf: escDate("2024-10-25"), Age: 9, Grade: "3"})

	// 2024-10-25 is school day 43 (5 in Aug + 20 in Sept + 18 in Oct 1-25).
	assert.Equal(t, 43, f.SchoolDay)
	assert.Equal(t, 43, f.SchoolDays)
	// calendar days 08-26..10-25: 6 (Aug 26-31) + 30 + 25 = 61
	assert.Equal(t, 61, f.CalendarDays)
	assert.Equal(t, 9, f.Age)
	assert.Equal(t, "3", f.Grade)

	// days: 4 full days + 0.25 + 0.5 + 1 = 5.75
	assert.InDelta(t, 5.75, f.AbsentDays, 1e-9)
	assert.InDelta(t, 2.5, f.Excused, 1e-9)    // ILL 1 + FEM 1 + MEL 0.5
	assert.InDelta(t, 1.25, f.Unexcused, 1e-9) // UNX 1 + TUX 0.25
	assert.InDelta(t, 2.0, f.Unverified, 1e-9) // ECE 1 + OSH 1
	assert.InDelta(t, 1.5, f.Medical, 1e-9)    // excused and tagged medical: ILL 1 + MEL 0.5
	assert.InDelta(t, 1.0, f.Suspension, 1e-9) // OSH
	assert.InDelta(t, 2.25, f.NoExcuse, 1e-9)  // UNX 1 + ECE 1 + TUX 0.25 (OSH is a suspension)
	assert.InDelta(t, 37.25, f.PresentDays, 1e-9)

	// hours: five full 7 h days = 35, + 1.75 + 3.5 = 40.25
	assert.InDelta(t, 40.25, f.AbsentHours, 1e-9)
	assert.InDelta(t, 17.5, f.ExcusedHours, 1e-9)    // 7 + 7 + 3.5
	assert.InDelta(t, 8.75, f.UnexcusedHours, 1e-9)  // 7 + 1.75
	assert.InDelta(t, 14.0, f.UnverifiedHours, 1e-9) // 7 + 7
	assert.InDelta(t, 10.5, f.MedicalHours, 1e-9)    // 7 + 3.5
	assert.InDelta(t, 7.0, f.SuspensionHours, 1e-9)
	assert.InDelta(t, 29.75, f.NonmedicalHours, 1e-9) // 40.25 - 10.5
	assert.InDelta(t, 15.75, f.NoExcuseHours, 1e-9)   // 7 + 7 + 1.75

	// rates, rounded to 6 decimals
	assert.Equal(t, 0.866279, f.AttendanceRate) // 37.25 / 43 = 0.8662790...
	assert.Equal(t, 0.133721, f.AbsenceRate)    // 5.75 / 43 = 0.1337209...
	assert.Equal(t, 0.02907, f.UnexcusedRate)   // 1.25 / 43 = 0.0290697...
	assert.Equal(t, 0.217391, f.UnexcusedShare) // 1.25 / 5.75 = 0.2173913...

	// runs: 09-10..09-13 are days 11-14 (4 days); 10-02..04 are days 27-29 (0.25+0.5+1 = 1.75)
	assert.InDelta(t, 4.0, f.LongestAbsence, 1e-9)
	// without legitimate excuse: UNX 7 + ECE 7 = 14, broken by ILL (excused); in October the
	// late arrival ends its own run, MEL is excused and OSH is a suspension
	assert.InDelta(t, 14.0, f.LongestUnexcused, 1e-9)

	// the school month of 10-25 is October 1-25: 18 school days, absent 0.25 + 0.5 + 1
	assert.Equal(t, 18, f.Month.SchoolDays)
	assert.InDelta(t, 1.75, f.Month.AbsentDays, 1e-9)
	assert.Equal(t, 0.902778, f.Month.AttendanceRate) // 16.25 / 18 = 0.9027777...
	assert.InDelta(t, 1.75, f.Month.UnexcusedHours, 1e-9)
	assert.InDelta(t, 8.75, f.Month.NonmedicalHours, 1e-9) // TUX 1.75 + OSH 7 (MEL is medical)

	// max_month over Aug (5 days, none), Sept (20 days, 4 absences), Oct (18 days, 1.75)
	assert.Equal(t, 20, f.MaxMonth.SchoolDays)
	assert.InDelta(t, 4.0, f.MaxMonth.AbsentDays, 1e-9)
	assert.InDelta(t, 21.0, f.MaxMonth.NonmedicalHours, 1e-9) // Sept: 28 - 7 (ILL)
	assert.InDelta(t, 14.0, f.MaxMonth.NoExcuseHours, 1e-9)   // Sept: UNX 7 + ECE 7
	assert.Equal(t, 0.8, f.MaxMonth.AttendanceRate)           // the lowest: Sept 16/20

	assert.Equal(t, []string{}, f.Steps)
}

func TestComputeWindowsAndSteps(t *testing.T) {
	cal := escCal(t, 420)
	f := escalation.Compute(escalation.Input{Calendar: cal, Records: escMixed(), AsOf: escDate("2024-10-25"),
		Done: []escalation.Done{
			{Step: "warning-letter", Date: escDate("2024-09-16")}, // day 15
			{Step: "roe-referral", Date: escDate("2024-10-01")},   // day 26
			{Step: "later", Date: escDate("2024-11-01")},          // after as_of: not done yet
		}})

	assert.Equal(t, []string{"warning-letter", "roe-referral"}, f.Steps)
	assert.True(t, f.Done("warning-letter"))
	assert.False(t, f.Done("later"))
	assert.False(t, f.Done("nope"))

	// previous(10): days 34-43 (10-11..10-25): no absence there
	p10 := f.Previous(10)
	assert.Equal(t, 10, p10.SchoolDays)
	assert.Equal(t, 0.0, p10.AbsentDays)
	assert.Equal(t, 1.0, p10.AttendanceRate)
	// previous(20): days 24-43 (09-27..10-25) hold 10-02, 03, 04: 1.75 days; 18.25 / 20
	p20 := f.Previous(20)
	assert.Equal(t, 20, p20.SchoolDays)
	assert.InDelta(t, 1.75, p20.AbsentDays, 1e-9)
	assert.Equal(t, 0.9125, p20.AttendanceRate)
	// previous(180): the calendar holds only this year: the 43 days so far
	assert.Equal(t, 43, f.Previous(180).SchoolDays)
	assert.InDelta(t, 5.75, f.Previous(180).AbsentDays, 1e-9)

	// since("warning-letter"): 09-17..10-25 = days 16-43 = 28 school days; absences 10-02..04
	s := f.Since("warning-letter")
	assert.Equal(t, 28, s.SchoolDays)
	assert.InDelta(t, 1.75, s.AbsentDays, 1e-9)
	assert.InDelta(t, 0.25, s.Unexcused, 1e-9)
	// since("roe-referral"): 10-02..10-25 = days 27-43 = 17
	assert.Equal(t, 17, f.Since("roe-referral").SchoolDays)
	// since a step not done: zero counts, attendance 1
	none := f.Since("nope")
	assert.Equal(t, 0, none.SchoolDays)
	assert.Equal(t, 1.0, none.AttendanceRate)
	assert.Equal(t, 0, f.Since("later").SchoolDays)

	// within("warning-letter", 5): days 16-20 (09-17..09-23), no absence
	w := f.Within("warning-letter", 5)
	assert.Equal(t, 5, w.SchoolDays)
	assert.Equal(t, 0.0, w.AbsentDays)
	// within("roe-referral", 3): days 27-29 (10-02..10-04): 1.75 absent of 3; (3-1.75)/3
	w = f.Within("roe-referral", 3)
	assert.Equal(t, 3, w.SchoolDays)
	assert.InDelta(t, 1.75, w.AbsentDays, 1e-9)
	assert.Equal(t, 0.416667, w.AttendanceRate)
	// within("roe-referral", 30) would end on day 56; it stops at as_of: the same as since
	assert.Equal(t, 17, f.Within("roe-referral", 30).SchoolDays)

	// days_since: 09-16 -> 10-25 = 14 + 25 = 39; 10-01 -> 10-25 = 24
	assert.Equal(t, 39, f.DaysSince("warning-letter"))
	assert.Equal(t, 24, f.DaysSince("roe-referral"))
	assert.Equal(t, -1, f.DaysSince("nope"))
	assert.Equal(t, -1, f.DaysSince("later"))
	// school_days_since: the school days after the step's date through as_of
	assert.Equal(t, 28, f.SchoolDaysSince("warning-letter"))
	assert.Equal(t, 17, f.SchoolDaysSince("roe-referral"))
	assert.Equal(t, -1, f.SchoolDaysSince("nope"))
}

func TestComputeStepDoneTwiceCountsFromTheLast(t *testing.T) {
	cal := escCal(t, 420)
	f := escalation.Compute(escalation.Input{Calendar: cal, AsOf: escDate("2024-10-25"),
		Done: []escalation.Done{{Step: "x", Date: escDate("2024-10-01")}, {Step: "x", Date: escDate("2024-09-16")}}})
	assert.Equal(t, []string{"x"}, f.Steps)
	assert.Equal(t, 24, f.DaysSince("x"))        // from 10-01, the later one
	assert.Equal(t, 17, f.Since("x").SchoolDays) // days 27-43
}

func TestComputeTransferIn(t *testing.T) {
	cal := escCal(t, 420)
	in := escalation.Input{Calendar: cal, AsOf: escDate("2024-10-25"),
		Enrolment: calendar.Enrolment{{From: escDate("2024-10-01")}},
		Records: []escalation.Record{
			escFull("2024-09-20", "UNX", codes.Unexcused),  // before enrolment: not counted
			escFull("2024-10-08", "UNX", codes.Unexcused),  // day 31
			escFull("2024-10-21", "ECE", codes.Unverified), // day 39
		}}
	f := escalation.Compute(in)
	// enrolled school days: Oct 1-25 = 18 (not the 43 days of the year)
	assert.Equal(t, 18, f.SchoolDays)
	assert.InDelta(t, 2.0, f.AbsentDays, 1e-9)
	assert.InDelta(t, 1.0, f.Unexcused, 1e-9)
	assert.Equal(t, 0.888889, f.AttendanceRate) // 16/18 = 0.8888...
	assert.Equal(t, 0.111111, f.AbsenceRate)    // 2/18
	// school_day is documented as as_of's school day of the year, not of enrolment
	assert.Equal(t, 43, f.SchoolDay)
	// previous(180) holds only the enrolled days; previous(5) = days 39-43 (10-21..10-25)
	assert.Equal(t, 18, f.Previous(180).SchoolDays)
	p5 := f.Previous(5)
	assert.Equal(t, 5, p5.SchoolDays)
	assert.InDelta(t, 1.0, p5.AbsentDays, 1e-9)
	assert.Equal(t, 0.8, p5.AttendanceRate)
	// max_month: Sept has no enrolled day (rate 1), Oct 16/18
	assert.Equal(t, 0.888889, f.MaxMonth.AttendanceRate)

	// out and back: 08-26..09-13 (days 1-14) and from 10-01 (18 days): 32 school days;
	// now the 09-20 absence is outside enrolment still
	in.Enrolment = calendar.Enrolment{{From: escDate("2024-08-26"), To: escDate("2024-09-13")}, {From: escDate("2024-10-01")}}
	f = escalation.Compute(in)
	assert.Equal(t, 32, f.SchoolDays)
	assert.InDelta(t, 2.0, f.AbsentDays, 1e-9)
	assert.Equal(t, 0.9375, f.AttendanceRate) // 30/32
}

func TestComputeRuns(t *testing.T) {
	cal := escCal(t, 420)
	run := func(recs ...escalation.Record) escalation.Counts {
		return escalation.Compute(escalation.Input{Calendar: cal, Records: recs, AsOf: escDate("2024-10-25")}).Counts
	}
	unx := func(date string) escalation.Record { return escFull(date, "UNX", codes.Unexcused) }
	late := func(date string, min int) escalation.Record {
		return escAbs(date, "TUX", codes.Unexcused, codes.LateArrival, min, 420)
	}
	early := func(date string, min int) escalation.Record {
		return escAbs(date, "ELU", codes.Unexcused, codes.EarlyLeave, min, 420)
	}

	// Thu 09-12, Fri 09-13, (weekend), Mon 09-16, Tue 09-17: days 13-16, consecutive school days
	c := run(unx("2024-09-12"), unx("2024-09-13"), unx("2024-09-16"), unx("2024-09-17"))
	assert.Equal(t, 4.0, c.LongestAbsence)
	assert.Equal(t, 28.0, c.LongestUnexcused) // 4 x 7 h

	// Fri 08-30, Mon 09-02 closed, Tue 09-03: days 5 and 6, consecutive
	c = run(unx("2024-08-30"), unx("2024-09-03"))
	assert.Equal(t, 2.0, c.LongestAbsence)
	assert.Equal(t, 14.0, c.LongestUnexcused)

	// Mon 09-09, Tue 09-10, present Wed 09-11, Thu 09-12: broken by the present day
	c = run(unx("2024-09-09"), unx("2024-09-10"), unx("2024-09-12"))
	assert.Equal(t, 2.0, c.LongestAbsence)
	assert.Equal(t, 14.0, c.LongestUnexcused)

	// an excused day breaks the hours run, not the day run
	c = run(unx("2024-09-09"), unx("2024-09-10"), escFull("2024-09-11", "ILL", codes.Excused, "medical"), unx("2024-09-12"))
	assert.Equal(t, 4.0, c.LongestAbsence)
	assert.Equal(t, 14.0, c.LongestUnexcused)

	// facts.go: "a late arrival ends [a run], an early leave starts one".
	// Mon-Thu 09-09..12 absent (4 x 7 = 28 h), Fri 09-13 two hours late: 28 + 2 = 30
	c = run(unx("2024-09-09"), unx("2024-09-10"), unx("2024-09-11"), unx("2024-09-12"), late("2024-09-13", 120))
	assert.Equal(t, 30.0, c.LongestUnexcused)
	// a late arrival first ends its own run: Mon 2 h late, Tue-Fri absent: 28
	c = run(late("2024-09-09", 120), unx("2024-09-10"), unx("2024-09-11"), unx("2024-09-12"), unx("2024-09-13"))
	assert.Equal(t, 28.0, c.LongestUnexcused)
	// an early leave starts a run: Mon left 2 h early, Tue-Fri absent: 2 + 28 = 30
	c = run(early("2024-09-09", 120), unx("2024-09-10"), unx("2024-09-11"), unx("2024-09-12"), unx("2024-09-13"))
	assert.Equal(t, 30.0, c.LongestUnexcused)
	// an early leave after absent days does not continue them: Mon-Thu 28, Fri early 2
	c = run(unx("2024-09-09"), unx("2024-09-10"), unx("2024-09-11"), unx("2024-09-12"), early("2024-09-13", 120))
	assert.Equal(t, 28.0, c.LongestUnexcused)
	// a late arrival for the whole day's minutes continues: 7 + 7 + 7
	c = run(unx("2024-09-09"), late("2024-09-10", 420), unx("2024-09-11"))
	assert.Equal(t, 21.0, c.LongestUnexcused)

	// a suspension is not "without legitimate excuse" and breaks the hours run
	c = run(unx("2024-09-09"), unx("2024-09-10"), escFull("2024-09-11", "OSH", codes.Unverified, "suspension"), unx("2024-09-12"), unx("2024-09-13"))
	assert.Equal(t, 5.0, c.LongestAbsence)
	assert.Equal(t, 14.0, c.LongestUnexcused)
	assert.Equal(t, 28.0, c.NoExcuseHours)
	assert.Equal(t, 35.0, c.NonmedicalHours) // suspensions are nonmedical hours
}

func TestComputePartialDaysRoundToExactRates(t *testing.T) {
	// 390-minute days; nine absences of 130 minutes = 9 x 1/3 = 3 days; as of day 30
	// (2024-10-07): (30 - 3) / 30 = 0.9 exactly, whatever the float error of 1/3 sums.
	cal := escCal(t, 390)
	var recs []escalation.Record
	for _, d := range []string{"2024-09-03", "2024-09-05", "2024-09-09", "2024-09-11", "2024-09-13", "2024-09-17", "2024-09-19", "2024-09-23", "2024-09-25"} {
		recs = append(recs, escAbs(d, "UNX", codes.Unexcused, codes.FullDay, 130, 390))
	}
	f := escalation.Compute(escalation.Input{Calendar: cal, Records: recs, AsOf: escDate("2024-10-07")})
	assert.Equal(t, 30, f.SchoolDays)
	assert.Equal(t, 3.0, f.AbsentDays)
	assert.Equal(t, 0.9, f.AttendanceRate)
	assert.Equal(t, 19.5, f.AbsentHours) // 9 x 130 / 60
	assert.Equal(t, 0.1, f.AbsenceRate)
}

func TestComputeAsOfOutsideTheSchoolYear(t *testing.T) {
	cal := escCal(t, 420)
	// a summer date after the last day: the whole calendar to as_of: 182 school days
	f := escalation.Compute(escalation.Input{Calendar: cal, AsOf: escDate("2025-07-01"),
		Records: []escalation.Record{escFull("2025-06-06", "UNX", codes.Unexcused)}})
	assert.Equal(t, 182, f.SchoolDays)
	assert.Equal(t, 1.0, f.Unexcused)
}
