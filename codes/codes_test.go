package codes_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/codes"
)

func TestRequirementCheck(t *testing.T) {
	var (
		release   = codes.Doc("release-log")
		medical   = codes.Doc("medical-note")
		principal = codes.Doc("principal-approval")
		connect   = codes.FlagOn("project-connect")
		early     = codes.All(release, codes.Any(medical, principal)) // ccs MEL
	)
	tests := []struct {
		name    string
		why     string
		req     codes.Requirement
		ev      codes.Evidence
		ok      bool
		missing codes.Missing
	}{
		{"zero", "the zero Requirement needs nothing", codes.Requirement{}, codes.Evidence{}, true, codes.Missing{}},
		{"doc-present", "one document, received", medical, codes.Evidence{Documents: []string{"parent-note", "medical-note"}}, true, codes.Missing{}},
		{"doc-missing", "one document, not received", medical, codes.Evidence{Documents: []string{"parent-note"}}, false, codes.Missing{Documents: []string{"medical-note"}}},
		{"doc-is-not-flag", "a flag of the same name does not stand in for a document", medical, codes.Evidence{Flags: []string{"medical-note"}}, false, codes.Missing{Documents: []string{"medical-note"}}},
		{"flag-on", "the student carries the flag on the date", connect, codes.Evidence{Flags: []string{"project-connect"}}, true, codes.Missing{}},
		{"flag-off", "a missing flag is listed under Flags, not Documents", connect, codes.Evidence{Documents: []string{"project-connect"}}, false, codes.Missing{Flags: []string{"project-connect"}}},
		{"any-one", "any one alternative is enough", codes.Any(medical, principal), codes.Evidence{Documents: []string{"principal-approval"}}, true, codes.Missing{}},
		{"any-none", "every alternative is listed, in order", codes.Any(medical, principal, connect), codes.Evidence{}, false,
			codes.Missing{Documents: []string{"medical-note", "principal-approval"}, Flags: []string{"project-connect"}}},
		{"all-every", "all_of with every item", codes.All(connect, codes.Doc("parent-note")), codes.Evidence{Documents: []string{"parent-note"}, Flags: []string{"project-connect"}}, true, codes.Missing{}},
		{"all-some", "all_of lists only the items still missing", codes.All(connect, codes.Doc("parent-note")), codes.Evidence{Documents: []string{"parent-note"}}, false, codes.Missing{Flags: []string{"project-connect"}}},
		{"nested-nothing", "nothing received: the log and both alternatives", early, codes.Evidence{}, false,
			codes.Missing{Documents: []string{"release-log", "medical-note", "principal-approval"}}},
		{"nested-log-only", "the log alone: the alternatives are missing", early, codes.Evidence{Documents: []string{"release-log"}}, false,
			codes.Missing{Documents: []string{"medical-note", "principal-approval"}}},
		{"nested-alternative-only", "an alternative alone: the log is missing", early, codes.Evidence{Documents: []string{"principal-approval"}}, false,
			codes.Missing{Documents: []string{"release-log"}}},
		{"nested-complete", "the log and one alternative", early, codes.Evidence{Documents: []string{"medical-note", "release-log"}}, true, codes.Missing{}},
		{"deep", "any of (all of ...) nests: a partly met branch still lists all its missing items, each once",
			codes.Any(codes.All(release, medical), codes.All(release, principal)), codes.Evidence{}, false,
			codes.Missing{Documents: []string{"release-log", "medical-note", "principal-approval"}}},
		{"empty-any", "an empty any_of is satisfied (the loader refuses to build one)", codes.Any(), codes.Evidence{}, true, codes.Missing{}},
		{"empty-all", "an empty all_of is satisfied", codes.All(), codes.Evidence{}, true, codes.Missing{}},
		{"invalid-kind", "an unknown kind is never satisfied", codes.Requirement{Kind: codes.Kind(99)}, codes.Evidence{}, false, codes.Missing{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, missing := tt.req.Check(tt.ev)
			assert.Equal(t, tt.ok, ok, tt.why)
			assert.Equal(t, tt.missing, missing, tt.why)
			if tt.req.Kind <= codes.AllOf {
				assert.Equal(t, ok, missing.IsZero(), "%s: nothing is missing exactly when it is met", tt.why)
			}
		})
	}
}

func TestRequirementString(t *testing.T) {
	a, b, c := codes.Doc("a"), codes.Doc("b"), codes.Doc("c")
	tests := []struct {
		req  codes.Requirement
		want string
	}{
		{codes.Requirement{}, "nothing"},
		{a, "a"},
		{codes.FlagOn("project-connect"), "flag project-connect"},
		{codes.Any(a, b), "any of a, b"},
		{codes.All(a, b), "a and b"},
		{codes.Any(a), "a"},
		{codes.All(codes.Any(a)), "a"},
		{codes.All(codes.Doc("release-log"), codes.Any(codes.Doc("medical-note"), codes.Doc("principal-approval"))), "release-log and any of (medical-note, principal-approval)"},
		{codes.Any(codes.All(a, b), c), "any of (a and b), c"},
		{codes.All(codes.FlagOn("project-connect"), codes.Doc("parent-note")), "flag project-connect and parent-note"},
		{codes.Requirement{Kind: codes.Kind(99)}, "invalid requirement"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.req.String())
	}
}

func TestRequirementStringDocumented(t *testing.T) {
	req := codes.All(codes.Doc("release-log"), codes.Any(codes.Doc("medical-note"), codes.Doc("principal-approval")))
	assert.Equal(t, "release-log and any of (medical-note, principal-approval)", req.String())
}

func TestRequirementNames(t *testing.T) {
	req := codes.All(codes.Doc("a"), codes.Any(codes.FlagOn("f"), codes.Doc("b"), codes.Doc("a")))
	assert.Equal(t, []string{"a", "flag:f", "b"}, req.Names())
	assert.Nil(t, codes.Requirement{}.Names())
	assert.True(t, codes.Requirement{}.IsZero())
	assert.False(t, codes.Doc("a").IsZero())
}

// The two templates ccs.yaml prescribes for TPD (Teacher Participation Discrepancy).
var tpd = codes.Comment{Required: true, Templates: []string{
	"[Teacher Name] has indicated the student has not met the participation standard.",
	"[Teacher Name]: Student did not participate",
}}

const tpdMust = `"[Teacher Name] has indicated the student has not met the participation standard." or "[Teacher Name]: Student did not participate"`

func TestCommentCheck(t *testing.T) {
	tests := []struct {
		name    string
		why     string
		comment codes.Comment
		text    string
		want    string
	}{
		{"tpd-first", "the first template with a name", tpd, "Ms. Rivera has indicated the student has not met the participation standard.", ""},
		{"tpd-first-no-period", "the final period is optional", tpd, "Ms. Rivera has indicated the student has not met the participation standard", ""},
		{"tpd-second", "the second template", tpd, "Mr. Okafor: Student did not participate", ""},
		{"tpd-second-period", "a final period may be added", tpd, "Mr. Okafor: Student did not participate.", ""},
		{"tpd-case-space", "case and surrounding space do not matter", tpd, "  mr. okafor: STUDENT DID NOT PARTICIPATE \n", ""},
		{"tpd-curly-apostrophe", "a curly apostrophe in the name is fine (the placeholder matches any text)", tpd, "Ms. O\u2019Brien: Student did not participate", ""},
		{"tpd-wrong", "any other text is refused, naming both templates", tpd, "Student was absent", "the comment must read " + tpdMust},
		{"tpd-no-name", "the placeholder needs some text", tpd, ": Student did not participate", "the comment must read " + tpdMust},
		{"tpd-extra", "nothing may follow the template", tpd, "Mr. Okafor: Student did not participate today", "the comment must read " + tpdMust},
		{"tpd-empty", "an empty comment, required, names the templates", tpd, "", "a comment is required and must read " + tpdMust},
		{"tpd-blank", "blank space is empty", tpd, " \t\n", "a comment is required and must read " + tpdMust},
		{"required-empty", "required without templates", codes.Comment{Required: true}, "", "a comment is required"},
		{"required-any", "required without templates: any text", codes.Comment{Required: true}, "fever", ""},
		{"optional-empty", "not required: empty is fine", codes.Comment{}, "", ""},
		{"optional-any", "not required, no templates: anything", codes.Comment{}, "fever", ""},
		{"optional-template-empty", "templates, not required: empty is fine", codes.Comment{Templates: tpd.Templates}, "", ""},
		{"optional-template-wrong", "templates, not required: a comment given must still match", codes.Comment{Templates: tpd.Templates}, "fever", "the comment must read " + tpdMust},
		{"curly-quotes-in-text", "curly double quotes in the comment match straight ones in the template",
			codes.Comment{Templates: []string{`Reason: "[Reason]"`}}, "Reason: \u201cflu\u201d", ""},
		{"curly-quotes-in-template", "curly quotes in the template match straight ones in the comment",
			codes.Comment{Templates: []string{"Parent\u2019s note on file"}}, "Parent's note on file", ""},
		{"curly-apostrophe-in-text", "a curly apostrophe in the comment matches a straight one in the template",
			codes.Comment{Templates: []string{"Parent's note on file"}}, "Parent\u2018s note on file", ""},
		{"regexp-metacharacters", "template text is literal, not a pattern",
			codes.Comment{Templates: []string{"Seen (x2) [Who]"}}, "Seen x2 nurse", `the comment must read "Seen (x2) [Who]"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.comment.Check(tt.text), tt.why)
		})
	}
}

func TestParseEnums(t *testing.T) {
	s, err := codes.ParseStatus("absent")
	require.NoError(t, err)
	assert.Equal(t, codes.Absent, s)
	_, err = codes.ParseStatus("Absent")
	assert.EqualError(t, err, `unknown status "Absent" (want one of present, absent)`, "names are case-sensitive")
	_, err = codes.ParseStatus("")
	assert.EqualError(t, err, `unknown status "" (want one of present, absent)`, "the zero Status has no name to parse")

	e, err := codes.ParseExcuse("unverified")
	require.NoError(t, err)
	assert.Equal(t, codes.Unverified, e)
	e, err = codes.ParseExcuse("none")
	require.NoError(t, err)
	assert.Equal(t, codes.None, e)
	_, err = codes.ParseExcuse("excuse")
	assert.EqualError(t, err, `unknown excuse "excuse" (want one of none, excused, unexcused, unverified)`)

	sp, err := codes.ParseSpan("class-period")
	require.NoError(t, err)
	assert.Equal(t, codes.ClassPeriod, sp)
	_, err = codes.ParseSpan("partial")
	assert.EqualError(t, err, `unknown span "partial" (want one of full-day, late-arrival, early-leave, class-period)`)
	_, err = codes.ParseSpan("late arrival")
	assert.EqualError(t, err, `unknown span "late arrival" (want one of full-day, late-arrival, early-leave, class-period)`)
}

func TestEnumStrings(t *testing.T) {
	assert.Equal(t, "", codes.Status(0).String(), "the zero Status")
	assert.Equal(t, "present", codes.Present.String())
	assert.Equal(t, "invalid(7)", codes.Status(7).String())
	assert.Equal(t, "none", codes.None.String())
	assert.Equal(t, "invalid(-1)", codes.Excuse(-1).String())
	assert.Equal(t, "full-day", codes.FullDay.String())
	assert.False(t, codes.FullDay.Partial())
	assert.True(t, codes.EarlyLeave.Partial())

	for _, s := range []codes.Status{codes.Present, codes.Absent} {
		b, err := s.MarshalText()
		require.NoError(t, err)
		back, err := codes.ParseStatus(string(b))
		require.NoError(t, err)
		assert.Equal(t, s, back, "round trip")
	}
	for _, e := range []codes.Excuse{codes.None, codes.Excused, codes.Unexcused, codes.Unverified} {
		b, _ := e.MarshalText()
		back, err := codes.ParseExcuse(string(b))
		require.NoError(t, err)
		assert.Equal(t, e, back, "round trip")
	}
	for _, s := range []codes.Span{codes.FullDay, codes.LateArrival, codes.EarlyLeave, codes.ClassPeriod} {
		b, _ := s.MarshalText()
		back, err := codes.ParseSpan(string(b))
		require.NoError(t, err)
		assert.Equal(t, s, back, "round trip")
	}
}

func TestCatalog(t *testing.T) {
	cat, err := codes.NewCatalog([]codes.Code{{ID: "UNX", Status: codes.Absent}, {ID: "TDY", Status: codes.Present, Tags: []string{"tardy"}}})
	require.NoError(t, err)
	assert.Equal(t, 2, cat.Len())
	c, ok := cat.Lookup("TDY")
	require.True(t, ok)
	assert.True(t, c.HasTag("tardy"))
	assert.False(t, c.HasTag("Tardy"))
	_, ok = cat.Lookup("tdy")
	assert.False(t, ok, "identifiers are case-sensitive")
	assert.Equal(t, "UNX", cat.All()[0].ID, "catalog order is input order")

	_, err = codes.NewCatalog([]codes.Code{{ID: "UNX"}, {ID: "UNX"}})
	assert.EqualError(t, err, `codes: duplicate code "UNX"`)
	_, err = codes.NewCatalog([]codes.Code{{ID: "UNX"}, {}})
	assert.EqualError(t, err, `codes: code 2 has no identifier`)
	empty, err := codes.NewCatalog(nil)
	require.NoError(t, err)
	assert.Zero(t, empty.Len())
}

// TestCommentPlaceholderLeftIn: the TPD comment copied as written, with "[Teacher Name]"
// still in it, names no teacher (seed 004: "The comment shall read: "[Teacher Name]:
// Student did not participate"").
func TestCommentPlaceholderLeftIn(t *testing.T) {
	c := codes.Comment{Required: true, Templates: []string{"[Teacher Name]: Student did not participate"}}
	assert.Equal(t, "the comment still holds the placeholder [Teacher Name]: write the name in its place",
		c.Check("[Teacher Name]: Student did not participate"))
	assert.Equal(t, "", c.Check("Ms. Lee: Student did not participate"))
}
