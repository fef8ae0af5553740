package codes_test

import (
	"fmt"

	"github.com/rollcall-go/rollcall/codes"
)

// An early leave is excused by the release log and either a medical note or the
// principal's approval (the ccs code MEL).
func ExampleRequirement_Check() {
	req := codes.All(codes.Doc("release-log"), codes.Any(codes.Doc("medical-note"), codes.Doc("principal-approval")))
	fmt.Println(req)

	ok, missing := req.Check(codes.Evidence{Documents: []string{"release-log"}})
	fmt.Println(ok, missing.Documents)

	ok, missing = req.Check(codes.Evidence{Documents: []string{"release-log", "medical-note"}})
	fmt.Println(ok, missing.IsZero())
	// Output:
	// release-log and any of (medical-note, principal-approval)
	// false [medical-note principal-approval]
	// true true
}

// A comment template: words in square brackets stand for any text.
func ExampleComment_Check() {
	c := codes.Comment{Required: true, Templates: []string{"[Teacher Name]: Student did not participate"}}
	fmt.Printf("%q\n", c.Check("Mr. Okafor: Student did not participate"))
	fmt.Printf("%q\n", c.Check("absent"))
	fmt.Printf("%q\n", c.Check(""))
	// Output:
	// ""
	// "the comment must read \"[Teacher Name]: Student did not participate\""
	// "a comment is required and must read \"[Teacher Name]: Student did not participate\""
}
