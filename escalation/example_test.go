package escalation_test

import (
	"fmt"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/codes"
	"github.com/rollcall-go/rollcall/escalation"
)

// A two-step ladder in Go (packs usually write it in YAML), evaluated for a student
// with six unverified absences: the warning letter is due.
func Example() {
	cal, err := calendar.New(calendar.Year{
		FirstDay: calendar.MustParseDate("2024-08-26"), LastDay: calendar.MustParseDate("2025-06-06"),
		Closed: []calendar.Date{calendar.MustParseDate("2024-09-02")}, MinutesPerDay: 400,
	})
	if err != nil {
		panic(err)
	}
	must := func(t *escalation.Trigger, err error) *escalation.Trigger {
		if err != nil {
			panic(err)
		}
		return t
	}
	because, err := escalation.CompileTemplate("{{unverified}} unverified absences (5-9)")
	if err != nil {
		panic(err)
	}
	ladder := &escalation.Ladder{Steps: []*escalation.Step{
		{ID: "warning-letter", Actor: "building-secretary", When: must(escalation.Compile("unverified >= 5 and unverified < 10")), Because: because},
		{ID: "probation-letter", Actor: "building-secretary", When: must(escalation.Compile("unverified >= 10"))},
	}}
	var records []escalation.Record
	for _, d := range []string{"2024-08-29", "2024-09-04", "2024-09-09", "2024-09-12", "2024-09-17", "2024-09-20"} {
		records = append(records, escalation.Record{Date: calendar.MustParseDate(d), Code: "ECE",
			Status: codes.Absent, Excuse: codes.Unverified, Minutes: 400, DayMinutes: 400})
	}
	ev := ladder.Evaluate(escalation.Input{Calendar: cal, Records: records, AsOf: calendar.MustParseDate("2024-09-30")})
	// 2024-09-30 is the 25th school day: 6 absences, 19 of 25 days present (76%).
	fmt.Println(ev.Facts.SchoolDays, ev.Facts.Unverified, ev.Facts.AttendanceRate)
	fmt.Println(ev.Next.Step, "-", ev.Next.Because, "- since", ev.Next.Since)
	// Output:
	// 25 6 0.76
	// warning-letter - 6 unverified absences (5-9) - since 2024-09-17
}
