// Quickstart classifies a short history on the embedded Columbus City Schools pack and
// evaluates it as of a date: run it with
//
//	go run ./examples/quickstart
package main

import (
	"fmt"
	"log"
	"strings"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
)

// A student's history in the command-line contract's JSON form: a calendar, the
// recorded events, the interventions already done.
const history = `{
  "student":  {"id": "S1", "birth_date": "2014-07-02", "grade": "3"},
  "calendar": {"first_day": "2024-08-26", "last_day": "2025-06-06", "minutes_per_day": 400,
               "closed": ["2024-09-02", "2024-10-14"]},
  "enrolled": "2024-08-26",
  "events": [
    {"date": "2024-09-04", "code": "MED", "comment": "flu"},
    {"date": "2024-09-05", "code": "MED", "documents": ["medical-note"], "comment": "flu"},
    {"date": "2024-09-10", "code": "MED", "documents": ["principal-approval"], "reason": "appointment", "comment": "appt"},
    {"date": "2024-10-01", "code": "UNX"},
    {"date": "2024-10-02", "code": "UNX"},
    {"date": "2024-10-03", "code": "UNX"},
    {"date": "2024-10-04", "code": "UNX"},
    {"date": "2024-10-07", "code": "UNX"},
    {"date": "2024-10-08", "code": "TUX", "minutes": 120, "documents": ["late-arrival-log"], "comment": "overslept"}
  ],
  "interventions": []
}`

func main() {
	engine, err := rollcall.Open("ccs")
	if err != nil {
		log.Fatal(err)
	}
	h, err := rollcall.DecodeHistory([]byte(history), "quickstart")
	if err != nil {
		log.Fatal(err)
	}
	ev, err := engine.Evaluate(h, calendar.MustParseDate("2024-10-09"))
	if err != nil {
		log.Fatal(err)
	}

	fmt.Printf("Student %s as of %s (pack %s)\n\n", ev.Student, ev.AsOf, engine.Pack().Name)
	for _, e := range ev.Events {
		fmt.Printf("%s  %-4s %-10s", e.Date, e.EffectiveCode, e.Excuse)
		if len(e.MissingDocuments) > 0 {
			fmt.Printf(" needs any of: %s", strings.Join(e.MissingDocuments, ", "))
		}
		fmt.Println()
		for _, n := range e.Notes[1:] { // the first note restates the code's rule
			fmt.Printf("%14s- %s: %s\n", "", n.Source, n.Text)
		}
	}
	f := func(name string) float64 { v, _ := ev.Facts.Get(name); return v }
	fmt.Printf("\n%.0f school days, %.2f absent (%.2f excused, %.2f unexcused, %.2f unverified), attendance %.1f%%\n",
		f("school_days"), f("absent_days"), f("excused"), f("unexcused"), f("unverified"), f("attendance_rate")*100)
	fmt.Printf("%.2f hours without legitimate excuse; longest run %.2f consecutive hours\n\n", f("no_excuse_hours"), f("longest_run.no_excuse_hours"))
	if ev.Next == nil {
		fmt.Println("Nothing is due.")
		return
	}
	for _, d := range ev.Due {
		fmt.Printf("DUE %s (%s): %s\n    because %s\n    cite %s\n", d.Step, d.Actor, d.Action, d.Because, d.Citation)
		if !d.DueBy.IsZero() {
			fmt.Printf("    due by %s\n", d.DueBy)
		}
	}
}
