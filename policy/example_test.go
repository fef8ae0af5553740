package policy_test

import (
	"errors"
	"fmt"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/policy"
)

// Load a pack that ships with rollcall and look at one of its codes as of a date.
func ExampleEmbedded() {
	pack, err := policy.Embedded("ccs")
	if err != nil {
		fmt.Println(err)
		return
	}
	v := pack.At(calendar.MustParseDate("2024-01-08"))
	mel, _ := v.Codes.Lookup("MEL")
	fmt.Println(pack.Chain)
	fmt.Println(mel.ID, mel.Name)
	fmt.Println("status:", mel.Status)
	fmt.Println("excuse:", mel.Excuse)
	fmt.Println("span:", mel.Span)
	fmt.Println("documents:", mel.Documents)
	// Output:
	// [ccs ohio]
	// MEL Medical Early Leave
	// status: absent
	// excuse: excused
	// span: early-leave
	// documents: release-log and any of (medical-note, principal-approval)
}

// A district pack extends a state pack by name: it adds a code and removes one.
func ExampleLoad() {
	src := []byte(`
pack: springfield
extends: illinois
documents:
  field-trip-form: Field trip permission form
codes:
  FLD:
    name: Field trip
    status: present
    documents: {all_of: [activity-roster, field-trip-form]}
  MIL: ~
`)
	pack, err := policy.Load(src, "springfield.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	v := pack.At(calendar.MustParseDate("2024-09-03"))
	fld, _ := v.Codes.Lookup("FLD")
	_, hasMIL := v.Codes.Lookup("MIL")
	ill, _ := v.Codes.Lookup("ILL")
	fmt.Println(pack.Chain)
	fmt.Println(fld.ID, fld.Status, fld.Documents)
	fmt.Println("MIL:", hasMIL)
	fmt.Println(ill.ID, ill.Excuse, ill.Documents)
	// Output:
	// [springfield illinois]
	// FLD present activity-roster and field-trip-form
	// MIL: false
	// ILL excused any of parent-note, phone-report, e-absence, medical-note, nurse-note
}

// Loading is strict: every problem in a pack is reported at once, each at
// file:line:col, with a suggestion for a misspelt key or name.
func Example_strictLoading() {
	src := []byte(`pack: strict
extends: illinois
codes:
  SCH:
    staus: absent
    excuse: excused
    documents: medical-nte
rules:
  tenth:
    when: 'year.unverified >= "10"'
    then: {excuse: unexcused}
`)
	_, err := policy.Load(src, "strict.yaml")
	fmt.Println(err)

	var perr *policy.Error
	if errors.As(err, &perr) {
		fmt.Printf("first problem: line %d, column %d\n", perr.Line, perr.Column)
	}
	// Output:
	// strict.yaml:5:5: code SCH: unknown key "staus" (did you mean "status"?)
	// strict.yaml:5:5: code SCH: missing key "status" (present or absent)
	// strict.yaml:7:16: code SCH: documents: unknown document "medical-nte" (did you mean "medical-note"?)
	// strict.yaml:10:28: rule tenth: when: invalid operation: >= (mismatched types float64 and string)
	// first problem: line 5, column 5
}
