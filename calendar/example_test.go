package calendar_test

import (
	"fmt"

	"github.com/rollcall-go/rollcall/calendar"
)

func example2425() *calendar.Calendar {
	d := calendar.MustParseDate
	cal, err := calendar.New(calendar.Year{
		FirstDay: d("2024-08-26"),
		LastDay:  d("2025-06-06"),
		Closed: []calendar.Date{
			d("2024-09-02"), // Labor Day
			d("2024-11-28"), d("2024-11-29"),
		},
		HalfDays:      []calendar.HalfDay{{Date: d("2024-11-27"), Minutes: 200}},
		MinutesPerDay: 400,
	})
	if err != nil {
		panic(err)
	}
	return cal
}

func Example() {
	d := calendar.MustParseDate
	cal := example2425()

	// Mon 26 Aug to Fri 6 Sep: 10 weekdays, less Labor Day.
	fmt.Println(cal.SchoolDays(d("2024-08-26"), d("2024-09-06")))
	fmt.Println(cal.IsSchoolDay(d("2024-09-02")))
	fmt.Println(cal.Minutes(d("2024-11-27")))
	day, _ := cal.NthOfYear(0, 7)
	fmt.Println(day)
	// Output:
	// 9
	// false
	// 200
	// 2024-09-04
}

func ExampleParseDate() {
	day, err := calendar.ParseDate("2024-08-26")
	fmt.Println(day, day.Weekday(), err)
	_, err = calendar.ParseDate("2024-02-30")
	fmt.Println(err)
	// Output:
	// 2024-08-26 Monday <nil>
	// calendar: bad date "2024-02-30": want YYYY-MM-DD
}

func ExampleNew_errors() {
	d := calendar.MustParseDate
	_, err := calendar.New(calendar.Year{
		FirstDay:      d("2024-08-26"),
		LastDay:       d("2025-06-06"),
		Closed:        []calendar.Date{d("2025-06-09")},
		HalfDays:      []calendar.HalfDay{{Date: d("2024-08-31"), Minutes: 200}},
		MinutesPerDay: 400,
	})
	fmt.Println(err)
	// Output:
	// calendar: year "2024-2025": closed day 2025-06-09 is outside the year (2024-08-26 to 2025-06-06)
	// calendar: year "2024-2025": half day 2024-08-31 is a Saturday
}

func ExampleCalendar_Months() {
	cal := example2425()
	// Ohio counts a school month as 20 school days (ORC 3313.62).
	for _, m := range cal.Months(0, calendar.MonthRule{SchoolDays: 20})[:2] {
		fmt.Println(m.From, m.To, m.Days)
	}
	// Calendar months are clipped to the school year.
	fmt.Println(cal.Months(0, calendar.MonthRule{})[0])
	// Output:
	// 2024-08-26 2024-09-23 20
	// 2024-09-24 2024-10-21 20
	// {2024-08-26 2024-08-31 5}
}

func ExampleCalendar_Previous() {
	cal := example2425()
	// The last 3 school days on or before Sunday 1 September.
	w := cal.Previous(calendar.MustParseDate("2024-09-01"), 3)
	fmt.Println(w.From, w.To, w.Days)
	// Output:
	// 2024-08-28 2024-09-01 3
}

func ExampleCalendar_EnrolledDays() {
	d := calendar.MustParseDate
	cal := example2425()
	// Transferred in on Tuesday 1 October.
	e := calendar.Enrolment{{From: d("2024-10-01")}}
	fmt.Println(cal.EnrolledDays(e, d("2024-09-01"), d("2024-10-31")))
	// Output:
	// 23
}
