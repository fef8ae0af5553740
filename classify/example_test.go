package classify_test

import (
	"fmt"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/classify"
	"github.com/rollcall-go/rollcall/history"
	"github.com/rollcall-go/rollcall/policy"
)

// A pack with a cap of two parent notes a school year, and a history with three: the
// third is past the cap and needs the principal's approval. A brief classification
// decides the same, without notes or the events as expressions saw them (Env), and says
// which caps each event counts toward.
func ExampleClassify() {
	p, err := policy.Load([]byte(`
pack: example
documents:
  parent-note: {name: Parent note}
  principal-approval: {name: Principal's approval}
codes:
  PAA: {status: absent, excuse: excused, documents: parent-note}
  UNX: {status: absent, excuse: unexcused}
caps:
  parent-notes:
    codes: [PAA]
    limit: 2
    past: {require: principal-approval}
`), "example.yaml")
	if err != nil {
		panic(err)
	}
	d := calendar.MustParseDate
	cal, err := calendar.New(calendar.Year{FirstDay: d("2024-08-26"), LastDay: d("2025-06-06"), MinutesPerDay: 400})
	if err != nil {
		panic(err)
	}
	note := []string{"parent-note"}
	h := &history.History{Student: history.Student{ID: "S1"}, Calendar: cal, Events: []history.Event{
		{Date: d("2024-09-03"), Code: "PAA", Documents: note},
		{Date: d("2024-09-10"), Code: "PAA", Documents: note},
		{Date: d("2024-09-17"), Code: "PAA", Documents: note},
		{Date: d("2024-09-18"), Code: "UNX"},
	}}
	full := classify.Classify(p, h, d("2024-09-20"))
	fmt.Println(full[2].Notes[len(full[2].Notes)-1].Text)
	for _, r := range classify.Classify(p, h, d("2024-09-20"), classify.Brief()) {
		fmt.Println(r.Date, r.Code, r.Excuse, r.MissingDocuments, r.Caps, len(r.Notes), r.Env == nil)
	}
	// Output:
	// 2 days of PAA used this school year, the limit is 2: also requires principal-approval (unverified, not excused)
	// 2024-09-03 PAA excused [] [parent-notes] 0 true
	// 2024-09-10 PAA excused [] [parent-notes] 0 true
	// 2024-09-17 PAA unverified [principal-approval] [parent-notes] 0 true
	// 2024-09-18 UNX unexcused [] [] 0 true
}
