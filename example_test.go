package rollcall_test

import (
	"errors"
	"fmt"
	"log"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
)

// Classify a short history under the Columbus City Schools pack (seed 004): a
// documented and an undocumented medical absence, a late arrival signed in on the
// log but without the documentation Excused Absence needs, a bereavement with an
// obituary, and an unexcused absence.
func Example() {
	eng, err := rollcall.Open("ccs")
	if err != nil {
		fmt.Println(err)
		return
	}
	h, err := rollcall.DecodeHistory([]byte(`{
  "student": {"id": "S1", "grade": "5"},
  "calendar": {"first_day": "2024-08-26", "last_day": "2025-06-06",
               "closed": ["2024-09-02"], "minutes_per_day": 400},
  "events": [
    {"date": "2024-09-03", "code": "MED", "documents": ["medical-note"], "comment": "flu"},
    {"date": "2024-09-04", "code": "MED", "comment": "flu, note promised"},
    {"date": "2024-09-05", "code": "TEX", "minutes": 45, "documents": ["late-arrival-log"], "comment": "court"},
    {"date": "2024-09-06", "code": "DOR", "documents": ["obituary"], "comment": "grandfather"},
    {"date": "2024-09-09", "code": "UNX"}
  ]
}`), "history.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := eng.Classify(h, calendar.Date{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range c.Events {
		fmt.Println(e.Date, e.Code, e.Excuse, e.MissingDocuments)
	}
	// Output:
	// 2024-09-03 MED excused []
	// 2024-09-04 MED unverified [medical-note principal-approval]
	// 2024-09-05 TEX unverified [court-document religious-note college-visit-note principal-approval]
	// 2024-09-06 DOR excused []
	// 2024-09-09 UNX unexcused []
}

// An event on a day without school is rejected: Classify still returns one entry per
// event, in input order, and a *HistoryError names each rejected event.
func ExampleEngine_Classify_rejected() {
	eng, err := rollcall.Open("ccs")
	if err != nil {
		fmt.Println(err)
		return
	}
	h, err := rollcall.DecodeHistory([]byte(`{
  "student": {"id": "S2"},
  "calendar": {"first_day": "2024-08-26", "last_day": "2025-06-06", "minutes_per_day": 400},
  "events": [
    {"date": "2024-09-06", "code": "PAA", "documents": ["parent-note"], "comment": "family trip"},
    {"date": "2024-09-07", "code": "PAA", "documents": ["parent-note"], "comment": "family trip"}
  ]
}`), "history.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := eng.Classify(h, calendar.Date{})
	fmt.Println(err)
	var herr *rollcall.HistoryError
	if errors.As(err, &herr) {
		fmt.Println("rejected events:", len(herr.Events))
	}
	for _, e := range c.Events {
		if e.Rejected != "" {
			fmt.Println(e.Date, e.Code, "rejected:", e.Rejected)
			continue
		}
		fmt.Println(e.Date, e.Code, e.Excuse)
	}
	// Output:
	// student S2: event 2 (2024-09-07 PAA): 2024-09-07 is a Saturday, not a school day
	// rejected events: 1
	// 2024-09-06 PAA excused
	// 2024-09-07 PAA rejected: 2024-09-07 is a Saturday, not a school day
}

// Evaluate a student's history under an embedded pack as of a date and print the next
// ladder step and why; the code of the README's "Use it from Go".
func ExampleEngine_Evaluate() {
	data := []byte(`{
  "student":  {"id": "S1", "birth_date": "2016-03-14", "grade": "3"},
  "calendar": {"first_day": "2024-08-26", "last_day": "2025-06-06", "minutes_per_day": 400,
               "closed": ["2024-09-02"]},
  "events": [
    {"date": "2024-09-03", "code": "ECE"}, {"date": "2024-09-10", "code": "ECE"},
    {"date": "2024-09-12", "code": "ECE"}, {"date": "2024-09-17", "code": "ECE"},
    {"date": "2024-09-23", "code": "ECE"}, {"date": "2024-09-27", "code": "ECE"}
  ]
}`) // or os.ReadFile("student.json")

	engine, err := rollcall.Open("il-roe-sop") // an embedded pack, by name
	if err != nil {
		log.Fatal(err)
	}
	h, err := rollcall.DecodeHistory(data, "student.json") // or build a rollcall.History in Go
	if err != nil {
		log.Fatal(err)
	}
	ev, err := engine.Evaluate(h, calendar.MustParseDate("2024-09-30"))
	if err != nil {
		log.Fatal(err) // a *rollcall.HistoryError names each event it could not classify
	}
	if ev.Next == nil {
		fmt.Println("nothing is due")
		return
	}
	fmt.Println(ev.Next.Step, "because", ev.Next.Because)
	// Output:
	// warning-letter because 6 absences not verified as excused (5-9)
}
