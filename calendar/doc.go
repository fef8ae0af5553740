// Package calendar provides civil dates and school calendars: which days are
// school days, how many school days or minutes lie between two dates, the
// last n school days before a date, school months, and enrolment spans.
//
// A Date is a day with no time zone. A Year describes one school year as data
// (first and last day, closed weekdays, half days, minutes per day) and New
// joins one or more consecutive years into a Calendar, validating them all at
// once. Every Calendar query takes constant or logarithmic time.
//
//	y := calendar.Year{
//		FirstDay:      calendar.MustParseDate("2024-08-26"),
//		LastDay:       calendar.MustParseDate("2025-06-06"),
//		Closed:        []calendar.Date{calendar.MustParseDate("2024-09-02")},
//		MinutesPerDay: 400,
//	}
//	cal, err := calendar.New(y)
//	if err != nil {
//		return err
//	}
//	n := cal.SchoolDays(calendar.MustParseDate("2024-08-26"), calendar.MustParseDate("2024-09-06"))
//	// n == 9: Mon 26 Aug to Fri 6 Sep is 10 weekdays, less Labor Day.
package calendar
