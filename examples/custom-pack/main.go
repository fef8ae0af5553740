// Custom-pack loads a district's own policy pack, district.yaml, which extends the
// embedded illinois pack with a code and a rule, and classifies a few absences under
// it: run it with
//
//	go run ./examples/custom-pack
//
// The pack is embedded in the program, so it runs from any directory; a district's own
// tool would call policy.LoadFile("district.yaml") instead.
package main

import (
	_ "embed"
	"fmt"
	"log"
	"strings"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/policy"
)

//go:embed district.yaml
var districtYAML []byte

const history = `{
  "student":  {"id": "S7", "birth_date": "2013-04-11", "grade": "5"},
  "calendar": {"first_day": "2024-08-26", "last_day": "2025-06-06", "minutes_per_day": 390,
               "closed": ["2024-09-02"]},
  "events": [
    {"date": "2024-09-04", "code": "FLD", "documents": ["activity-roster", "field-trip-form"]},
    {"date": "2024-09-09", "code": "VAC"},
    {"date": "2024-09-10", "code": "ILL", "documents": ["parent-note"]}
  ]
}`

func main() {
	pack, err := policy.Load(districtYAML, "district.yaml")
	if err != nil {
		log.Fatal(err) // every problem, with district.yaml:line:col
	}
	fmt.Printf("pack %s (%s), layered on %s\n", pack.Name, pack.Title, strings.Join(pack.Chain[1:], ", "))
	v := pack.Versions()[len(pack.Versions())-1]
	fld, _ := v.Codes.Lookup("FLD")
	fmt.Printf("added code %s: %s, %s, needs %s\n\n", fld.ID, fld.Name, fld.Status, fld.Documents)

	engine := rollcall.New(pack)
	h, err := rollcall.DecodeHistory([]byte(history), "history")
	if err != nil {
		log.Fatal(err)
	}
	cls, err := engine.Classify(h, calendar.Date{})
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range cls.Events {
		line := fmt.Sprintf("%s  %-4s -> %-4s %-7s %-10s", c.Date, c.Code, c.EffectiveCode, c.Status, c.Excuse)
		for _, n := range c.Notes {
			if strings.HasPrefix(n.Source, "rule") {
				line += fmt.Sprintf("  %s: %s", n.Source, n.Text)
			}
		}
		fmt.Println(strings.TrimSpace(line))
	}
}
