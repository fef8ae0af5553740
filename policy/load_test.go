package policy_test

import (
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/expr-lang/expr/file"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/codes"
	"github.com/rollcall-go/rollcall/policy"
)

// lines joins expected error lines the way policy.Errors prints them.
func lines(ls ...string) string { return strings.Join(ls, "\n") }

// loadErrors asserts that err is a policy.Errors whose every problem names a file and
// says something, and returns it.
func loadErrors(t *testing.T, err error) policy.Errors {
	t.Helper()
	require.Error(t, err)
	var es policy.Errors
	require.True(t, errors.As(err, &es), "error is %T, want policy.Errors", err)
	require.NotEmpty(t, es)
	for _, e := range es {
		require.NotNil(t, e)
		assert.NotEmpty(t, e.File, "problem without a file: %q", e.Msg)
		assert.NotEmpty(t, e.Msg, "problem without a message at %s:%d:%d", e.File, e.Line, e.Column)
	}
	return es
}

// TestLoadFileErrors loads the broken packs under testdata/packs and checks the exact
// text of every problem reported, positions included.
func TestLoadFileErrors(t *testing.T) {
	const dir = "../testdata/packs/"
	tests := []struct {
		file string
		why  string
		want string
	}{{
		file: "unknown-key.yaml",
		why:  "a misspelt key is an error, with the key it probably meant; the missing key it should have been is reported too",
		want: lines(
			dir+`unknown-key.yaml:7:5: code ABS: missing key "status" (present or absent)`,
			dir+`unknown-key.yaml:8:5: code ABS: unknown key "staus" (did you mean "status"?)`,
		),
	}, {
		file: "bad-expr-syntax.yaml",
		why:  "a syntax error in a when points at the offending token: quote at column 11, expr column 18, so 11+1+18",
		want: dir + `bad-expr-syntax.yaml:6:30: rule odd: when: syntax error: unexpected "and"`,
	}, {
		file: "expr-type-error.yaml",
		why:  "a type error is caught at load time, not at run time: the > is expr column 16, so 11+1+16",
		want: dir + `expr-type-error.yaml:6:28: rule ten-days: when: invalid operation: > (mismatched types float64 and string)`,
	}, {
		file: "misspelt-fact.yaml",
		why:  "a misspelt fact is caught at load time against the typed Event environment; unverfied is expr column 5",
		want: dir + `misspelt-fact.yaml:6:17: rule ten-days: when: unknown count "unverfied" (did you mean "unverified"?)`,
	}, {
		file: "cap-unknown-code.yaml",
		why:  "a cap counting a code nobody defines is an error (the position is the list's, not the item's)",
		want: dir + `cap-unknown-code.yaml:6:18: cap sick-days: unknown code "ILX" (did you mean "ILL"?)`,
	}, {
		file: "duplicate-code.yaml",
		why:  "yaml.v3 accepts a duplicate key in a yaml.Node; the loader must reject it at the second occurrence",
		want: dir + `duplicate-code.yaml:7:3: codes: duplicate key "UNX"`,
	}, {
		file: "cycle-a.yaml",
		why:  "two files extending each other must end in an error, not a stack overflow",
		want: dir + `cycle-a.yaml: extends makes a cycle: ` + dir + `cycle-a.yaml -> ` + dir + `cycle-b.yaml -> ` + dir + `cycle-a.yaml`,
	}, {
		file: "cycle-b.yaml",
		why:  "the cycle is found whichever file is loaded first",
		want: dir + `cycle-b.yaml: extends makes a cycle: ` + dir + `cycle-b.yaml -> ` + dir + `cycle-a.yaml -> ` + dir + `cycle-b.yaml`,
	}, {
		file: "unknown-document.yaml",
		why:  "a document inside an any_of is checked against the documents of the whole chain, at the item's position",
		want: dir + `unknown-document.yaml:8:39: code ILL: documents: unknown document "medical-notes" (did you mean "medical-note"?)`,
	}, {
		file: "same-as-cycle.yaml",
		why:  "same_as between two codes that refer to each other is reported once, not looped over",
		want: dir + `same-as-cycle.yaml:7:26: code AAA: documents: same_as makes a cycle: AAA -> BBB -> AAA`,
	}, {
		file: "missing-embedded.yaml",
		why:  "extends naming an embedded pack that does not exist suggests the nearest name",
		want: dir + `missing-embedded.yaml:3:10: extends: no embedded pack "illinios" (did you mean "illinois"?)`,
	}, {
		file: "bad-yaml.yaml",
		why:  "a YAML syntax error has only the line yaml.v3 gives (the line where the enclosing mapping starts, not the bad line 6)",
		want: dir + `bad-yaml.yaml:3: bad YAML: did not find expected key`,
	}, {
		file: "empty.yaml",
		why:  "an empty file is an error that says what a pack needs",
		want: dir + "empty.yaml: the file is empty: a pack needs at least `pack: NAME`",
	}, {
		file: "many-problems.yaml",
		why:  "every problem in a pack is reported at once, in line order, each at file:line:col, from parsing and compiling alike",
		want: lines(
			dir+`many-problems.yaml:4:1: pack: unknown key "tittle" (did you mean "title"?)`,
			dir+`many-problems.yaml:7:13: code XYZ: unknown status "abent" (want one of present, absent)`,
			dir+`many-problems.yaml:9:16: code XYZ: documents: unknown document "medical-nte" (did you mean "medical-note"?)`,
			dir+`many-problems.yaml:12:18: cap sick: unknown code "SIK"`,
			dir+`many-problems.yaml:13:12: cap sick: limit must be a whole number, not "five"`,
			dir+`many-problems.yaml:18:17: rule late: when: unknown count "unverfied" (did you mean "unverified"?)`,
		),
	}}
	for _, tt := range tests {
		t.Run(strings.TrimSuffix(tt.file, ".yaml"), func(t *testing.T) {
			p, err := policy.LoadFile(dir + tt.file)
			assert.Nil(t, p)
			es := loadErrors(t, err)
			assert.Equal(t, tt.want, err.Error(), "why: %s", tt.why)
			assert.Len(t, es, strings.Count(tt.want, "\n")+1, "why: %s", tt.why)
		})
	}
}

// TestLoadErrors covers the schema checks with small inline packs.
func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		why  string
		pack string
		want string
	}{{
		name: "present-with-excuse",
		why:  "a present code carries no excuse type",
		pack: "pack: x\ncodes:\n  P:\n    status: present\n    excuse: excused\n",
		want: `x.yaml:5:13: code P: a present code has no excuse type (remove excuse: excused)`,
	}, {
		name: "absent-without-excuse",
		why:  "an absent code must say how it is excused once documented",
		pack: "pack: x\ncodes:\n  A:\n    status: absent\n",
		want: `x.yaml:4:5: code A: an absent code needs an excuse type (excused, unexcused or unverified)`,
	}, {
		name: "absent-excuse-none",
		why:  "excuse none is for present codes only",
		pack: "pack: x\ncodes:\n  A:\n    status: absent\n    excuse: none\n",
		want: `x.yaml:5:13: code A: an absent code cannot have excuse none`,
	}, {
		name: "same-as-unknown",
		why:  "same_as must name a code of the chain",
		pack: "pack: x\ncodes:\n  A:\n    status: absent\n    excuse: excused\n    documents: {same_as: ZZZ}\n",
		want: `x.yaml:6:26: code A: documents: same_as: unknown code "ZZZ"`,
	}, {
		name: "documents-list",
		why:  "a bare list could mean any or all, so it is refused",
		pack: "pack: x\ncodes:\n  A:\n    status: absent\n    excuse: excused\n    documents: [a, b]\n",
		want: `x.yaml:6:16: code A: documents: a list is ambiguous here; write any_of: [...] or all_of: [...]`,
	}, {
		name: "unknown-flag",
		why:  "a flag requirement must name a flag of the chain",
		pack: "pack: x\ncodes:\n  A:\n    status: absent\n    excuse: excused\n    documents: {flag: homeless}\n",
		want: `x.yaml:6:23: code A: documents: unknown flag "homeless"`,
	}, {
		name: "versions-out-of-order",
		why:  "versions are listed in date order",
		pack: "pack: x\nversions:\n  - effective: 2025-01-01\n  - effective: 2024-01-01\n",
		want: `x.yaml:4:5: versions must be in order of their effective dates: 2024-01-01 is not after 2025-01-01`,
	}, {
		name: "version-without-effective",
		why:  "a version without a date cannot be placed",
		pack: "pack: x\nversions:\n  - codes: {}\n",
		want: `x.yaml:3:5: version: missing key "effective" (the date the version starts to apply)`,
	}, {
		name: "comment-word",
		why:  "comment takes required, optional or a mapping",
		pack: "pack: x\ncodes:\n  P:\n    status: present\n    comment: sometimes\n",
		want: `x.yaml:5:14: code P: comment must be required, optional, or a mapping with required and text; not "sometimes"`,
	}, {
		name: "edfi-category",
		why:  "a code's Ed-Fi category is one of the descriptor values",
		pack: "pack: x\ncodes:\n  P:\n    status: present\n    edfi: Present\n",
		want: `x.yaml:5:11: code P: unknown Ed-Fi category "Present" (want one of In Attendance, Excused Absence, Unexcused Absence, Tardy, Early departure, Partial)`,
	}, {
		name: "no-name",
		why:  "every pack has a name",
		pack: "title: no name\n",
		want: `x.yaml:1:1: pack: missing key "pack" (the pack's name)`,
	}, {
		name: "not-a-mapping",
		why:  "a pack is a mapping at the top",
		pack: "- a\n- b\n",
		want: `x.yaml:1:1: a pack must be a mapping of keys, not a list`,
	}, {
		name: "bad-pack-name",
		why:  "pack names are identifiers",
		pack: "pack: 'bad name!'\n",
		want: `x.yaml:1:7: pack name "bad name!" must be letters, digits, '-', '_' or '.'`,
	}, {
		name: "bad-code-identifier",
		why:  "code identifiers are what the SIS stores: no spaces",
		pack: "pack: x\ncodes:\n  'A B':\n    status: present\n",
		want: `x.yaml:3:3: codes: "A B" is not a valid identifier (letters, digits, '-', '_', '.')`,
	}, {
		name: "when-not-bool",
		why:  "a condition must be boolean",
		pack: "pack: x\nextends: illinois\nrules:\n  r:\n    when: 'code'\n    then:\n      note: hi\n",
		want: `x.yaml:5:11: rule r: when: expected bool, but got string`,
	}, {
		name: "rule-without-when",
		why:  "a rule needs a condition",
		pack: "pack: x\nextends: illinois\nrules:\n  r:\n    then:\n      note: hi\n",
		want: `x.yaml:5:5: rule r: missing key "when" (the condition, an expression)`,
	}, {
		name: "cap-incomplete",
		why:  "both missing keys of a cap are reported, at the cap",
		pack: "pack: x\nextends: illinois\ncaps:\n  c:\n    codes: [ILL]\n",
		want: lines(
			`x.yaml:5:5: cap c: missing key "limit" (the number of days allowed)`,
			`x.yaml:5:5: cap c: missing key "past" (what happens past the limit)`,
		),
	}, {
		name: "extends-missing-file",
		why:  "a relative extends is read next to the pack; a missing file is reported at the extends value",
		pack: "pack: x\nextends: nope.yaml\n",
		want: `x.yaml:2:10: extends: cannot read "nope.yaml": a pack loaded from bytes reads no files (load it with LoadFile or LoadFS, or extend an embedded pack by name)`,
	}, {
		name: "school-month",
		why:  "school_month is a whole number",
		pack: "pack: x\nschool_month: many\n",
		want: `x.yaml:2:15: school_month must be a whole number, not "many"`,
	}, {
		name: "comment-only",
		why:  "a file with only comments is empty",
		pack: "# only a comment\n",
		want: "x.yaml: the file is empty: a pack needs at least `pack: NAME`",
	}, {
		name: "edfi-mappings",
		why:  "each Ed-Fi mapping is checked: category, code and reason pattern",
		pack: "pack: x\nextends: illinois\nedfi:\n  - {category: Excused, code: ILL}\n  - {category: Tardy, code: TDX, reason: '('}\n",
		want: lines(
			`x.yaml:4:16: edfi: unknown category "Excused" (want one of In Attendance, Excused Absence, Unexcused Absence, Tardy, Early departure, Partial)`,
			`x.yaml:5:29: edfi: unknown code "TDX" (did you mean "TDY"?)`,
			"x.yaml:5:42: edfi: reason is not a valid regular expression: error parsing regexp: missing closing ): `(`",
		),
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := policy.Load([]byte(tt.pack), "x.yaml")
			assert.Nil(t, p)
			loadErrors(t, err)
			assert.Equal(t, tt.want, err.Error(), "why: %s", tt.why)
		})
	}
}

func TestLoadNotFound(t *testing.T) {
	_, err := policy.LoadFile("../testdata/packs/no-such-pack.yaml")
	es := loadErrors(t, err)
	assert.Equal(t, "../testdata/packs/no-such-pack.yaml: cannot read the pack: no such file or directory", err.Error())
	assert.ErrorIs(t, es[0], fs.ErrNotExist, "the *Error unwraps to the read error")
	assert.ErrorIs(t, err, fs.ErrNotExist, "policy.Errors unwraps to every *Error")

	_, err = policy.LoadFS(fstest.MapFS{}, "district.yaml")
	loadErrors(t, err)
	assert.Equal(t, "district.yaml: cannot read the pack: file does not exist", err.Error())

	_, err = policy.Embedded("illinos")
	loadErrors(t, err)
	assert.Equal(t, `policy: no embedded pack named "illinos" (did you mean "illinois"?); the embedded packs are `+strings.Join(policy.Names(), ", "), err.Error())
}

func TestErrorUnwrapsExpr(t *testing.T) {
	_, err := policy.LoadFile("../testdata/packs/misspelt-fact.yaml")
	var pe *policy.Error
	require.True(t, errors.As(err, &pe), "errors.As finds the *policy.Error inside policy.Errors")
	assert.Equal(t, "../testdata/packs/misspelt-fact.yaml", pe.File)
	assert.Equal(t, 6, pe.Line)
	assert.Equal(t, 17, pe.Column)
	var fe *file.Error
	require.True(t, errors.As(err, &fe), "the expr compile error is kept as the cause")
	assert.Equal(t, 1, fe.Line)
	assert.Equal(t, 5, fe.Column)
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		why  string
		err  policy.Error
		want string
	}{
		{"line and column", policy.Error{File: "a.yaml", Line: 3, Column: 7, Msg: "m"}, "a.yaml:3:7: m"},
		{"line only (YAML syntax errors)", policy.Error{File: "a.yaml", Line: 3, Msg: "m"}, "a.yaml:3: m"},
		{"no position (unreadable file, extends cycle)", policy.Error{File: "a.yaml", Msg: "m"}, "a.yaml: m"},
		{"a column without a line is not printed", policy.Error{File: "a.yaml", Column: 4, Msg: "m"}, "a.yaml: m"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.err.Error(), tt.why)
	}
	es := policy.Errors{{File: "a.yaml", Line: 1, Column: 1, Msg: "one"}, {File: "a.yaml", Line: 2, Msg: "two"}}
	assert.Equal(t, "a.yaml:1:1: one\na.yaml:2: two", es.Error())
	assert.Len(t, es.Unwrap(), 2)
}

// TestLoadErrorEdges: expression positions in every YAML scalar style, a bad version
// date, error order across files, stable order, embedded names, removed entries.
func TestLoadErrorEdges(t *testing.T) {
	t.Run("literal-block-position", func(t *testing.T) {
		pack := "pack: x\nextends: illinois\nrules:\n  lit:\n    when: |\n      code == \"UNX\" and\n      year.unverfied > 3\n    then:\n      note: literal\n"
		_, err := policy.Load([]byte(pack), "x.yaml")
		assert.Equal(t, `x.yaml:7:12: rule lit: when: unknown count "unverfied" (did you mean "unverified"?)`, err.Error())
	})
	t.Run("folded-block-position", func(t *testing.T) {
		pack := "pack: x\nextends: illinois\nrules:\n  fold:\n    when: >-\n      code == \"UNX\"\n      and year.unverfied > 3\n    then:\n      note: folded\n"
		_, err := policy.Load([]byte(pack), "x.yaml")
		assert.Equal(t, `x.yaml:7:16: rule fold: when: unknown count "unverfied" (did you mean "unverified"?)`, err.Error())
	})
	t.Run("plain-multiline-position", func(t *testing.T) {
		pack := "pack: x\nextends: illinois\nrules:\n  plain:\n    when: code == \"UNX\"\n      and year.unverfied > 3\n    then:\n      note: plain\n"
		_, err := policy.Load([]byte(pack), "x.yaml")
		assert.Equal(t, `x.yaml:6:16: rule plain: when: unknown count "unverfied" (did you mean "unverified"?)`, err.Error())
	})
	t.Run("double-quoted-escapes-position", func(t *testing.T) {
		pack := "pack: x\nextends: illinois\nrules:\n  dq:\n    when: \"reason matches \\\"x\\\" and year.unverfied > 3\"\n    then:\n      note: dq\n"
		_, err := policy.Load([]byte(pack), "x.yaml")
		assert.Equal(t, `x.yaml:5:42: rule dq: when: unknown count "unverfied" (did you mean "unverified"?)`, err.Error())
	})
	t.Run("version-bad-date-also-missing", func(t *testing.T) {
		_, err := policy.Load([]byte("pack: x\nversions:\n  - effective: 2024-13-01\n"), "x.yaml")
		assert.Equal(t, `x.yaml:3:16: version effective must be a date YYYY-MM-DD, not "2024-13-01"`, err.Error())
	})
	t.Run("order-across-files", func(t *testing.T) {
		fsys := fstest.MapFS{
			"child.yaml":  {Data: []byte("pack: child\nextends: parent.yaml\ncodes:\n  ABS:\n    status: absent\n    excuse: excused\n    documents: nothing-note\n    tittle: x\n")},
			"parent.yaml": {Data: []byte("pack: parent\ndocuments:\n  parent-note: Parent note\ntitel: oops\n")},
		}
		_, err := policy.LoadFS(fsys, "child.yaml")
		assert.Equal(t, lines(
			`child.yaml:7:16: code ABS: documents: unknown document "nothing-note"`,
			`child.yaml:8:5: code ABS: unknown key "tittle" (want one of name, definition, status, excuse, span, documents, comment, edfi, tags, citation)`,
			`parent.yaml:4:1: pack: unknown key "titel" (did you mean "title"?)`,
		), err.Error())
	})
	t.Run("recode-order", func(t *testing.T) {
		pack := "pack: x\nextends: illinois\nrules:\n  r:\n    when: 'true'\n    then:\n      recode: {AAA: UNX, CCC: UNX}\n"
		_, first := policy.Load([]byte(pack), "x.yaml")
		for range 50 {
			_, err := policy.Load([]byte(pack), "x.yaml")
			require.Equal(t, first.Error(), err.Error())
		}
	})
	t.Run("user-file-named-like-embedded", func(t *testing.T) {
		fsys := fstest.MapFS{"packs/illinois.yaml": {Data: []byte("pack: my-illinois\nextends: illinois\n")}}
		p, err := policy.LoadFS(fsys, "packs/illinois.yaml")
		require.NoError(t, err)
		assert.Equal(t, []string{"my-illinois", "illinois"}, p.Chain)
	})
	t.Run("removed-code-suggested", func(t *testing.T) {
		pack := "pack: x\nextends: illinois\ncodes:\n  ILL: ~\ncaps:\n  sick:\n    codes: [ILL]\n    limit: 5\n    past: {excuse: unverified}\n"
		_, err := policy.Load([]byte(pack), "x.yaml")
		assert.Equal(t, `x.yaml:7:13: cap sick: unknown code "ILL"`, err.Error(), "points at the list item")
	})
}

func mustDate(s string) calendar.Date { return calendar.MustParseDate(s) }

func lookup(t *testing.T, v *policy.Version, id string) *codes.Code {
	t.Helper()
	c, ok := v.Codes.Lookup(id)
	require.True(t, ok, "code %s", id)
	return c
}

func TestExtendsLayering(t *testing.T) {
	base, err := policy.Embedded("illinois")
	require.NoError(t, err)
	p, err := policy.LoadFile("../testdata/packs/layered.yaml")
	require.NoError(t, err)

	assert.Equal(t, "layered", p.Name)
	assert.Equal(t, "A district on top of Illinois", p.Title)
	assert.Equal(t, []string{"layered", "illinois"}, p.Chain)
	require.Len(t, p.Versions(), 1)
	v := p.At(mustDate("2024-01-01"))

	fld := lookup(t, v, "FLD")
	assert.Equal(t, codes.Present, fld.Status, "added code")
	assert.Equal(t, codes.None, fld.Excuse)
	assert.Equal(t, codes.All(codes.Doc("activity-roster"), codes.Doc("field-trip-form")), fld.Documents,
		"a child's code may use the parent's documents and its own")

	vac := lookup(t, v, "VAC")
	assert.Equal(t, codes.Unexcused, vac.Excuse, "replaced code: the child's entry wins")
	assert.Empty(t, vac.Tags, "a replaced code is replaced whole, not merged field by field")
	assert.Equal(t, codes.Unverified, lookup(t, base.At(calendar.Date{}), "VAC").Excuse, "the parent is untouched")

	_, ok := v.Codes.Lookup("MIL")
	assert.False(t, ok, "MIL: ~ removes the inherited code")

	assert.Equal(t, codes.Any(codes.Doc("parent-note"), codes.Doc("phone-report"), codes.Doc("e-absence"), codes.Doc("medical-note"), codes.Doc("nurse-note")),
		lookup(t, v, "ILL").Documents, "untouched codes are inherited")

	var ids []string
	for _, c := range v.Codes.All() {
		ids = append(ids, c.ID)
	}
	assert.Equal(t, []string{"ECE", "VAC", "UNX", "VACU", "ILL", "MED", "DTH", "FEM", "DEP", "REL", "TDY", "FLD"}, ids,
		"inherited codes keep their order, replaced ones their place, added ones come last")
	assert.Len(t, v.Documents, len(base.At(calendar.Date{}).Documents)+1)
}

func TestVersions(t *testing.T) {
	p, err := policy.LoadFile("../testdata/packs/versioned.yaml")
	require.NoError(t, err)
	require.Len(t, p.Versions(), 3)
	assert.True(t, p.Versions()[0].From.IsZero(), "the first version applies from the beginning of time")
	assert.Equal(t, mustDate("2024-07-01"), p.Versions()[1].From)
	assert.Equal(t, mustDate("2025-07-01"), p.Versions()[2].From)

	old := codes.Any(codes.Doc("parent-note"), codes.Doc("phone-report"), codes.Doc("e-absence"), codes.Doc("medical-note"))
	tests := []struct {
		date string
		why  string
		from calendar.Date
		med  codes.Requirement
		mil  bool
	}{
		{"1999-01-01", "long before any version: the base", calendar.Date{}, old, true},
		{"2024-06-30", "the day before the change: the base", calendar.Date{}, old, true},
		{"2024-07-01", "on the effective date: the new version", mustDate("2024-07-01"), codes.Doc("medical-note"), true},
		{"2024-07-02", "after the effective date", mustDate("2024-07-01"), codes.Doc("medical-note"), true},
		{"2025-06-30", "the day before the second version", mustDate("2024-07-01"), codes.Doc("medical-note"), true},
		{"2025-07-01", "the second version removes MIL and keeps the first's MED", mustDate("2025-07-01"), codes.Doc("medical-note"), false},
		{"2099-01-01", "far after: the last version", mustDate("2025-07-01"), codes.Doc("medical-note"), false},
	}
	for _, tt := range tests {
		v := p.At(mustDate(tt.date))
		assert.Equal(t, tt.from, v.From, "%s: %s", tt.date, tt.why)
		assert.Equal(t, tt.med, lookup(t, v, "MED").Documents, "%s: %s", tt.date, tt.why)
		_, ok := v.Codes.Lookup("MIL")
		assert.Equal(t, tt.mil, ok, "%s: %s", tt.date, tt.why)
	}
}

func TestLoadFS(t *testing.T) {
	fsys := fstest.MapFS{
		"district/base.yaml": {Data: []byte(`pack: district
extends: illinois
documents:
  bus-pass: Bus pass
codes:
  BUS:
    status: absent
    excuse: excused
    documents: bus-pass
`)},
		"district/schools/lincoln.yaml": {Data: []byte(`pack: lincoln
extends: ../base.yaml
codes:
  LATE:
    status: present
    span: late-arrival
    documents: {any_of: [bus-pass, late-arrival-log]}
`)},
		"district/broken.yaml": {Data: []byte("pack: broken\nextends: missing.yaml\n")},
	}
	p, err := policy.LoadFS(fsys, "district/schools/lincoln.yaml")
	require.NoError(t, err)
	assert.Equal(t, []string{"lincoln", "district", "illinois"}, p.Chain, "a relative extends is read from the same fs.FS, then an embedded one by name")
	v := p.At(calendar.Date{})
	assert.Equal(t, codes.Any(codes.Doc("bus-pass"), codes.Doc("late-arrival-log")), lookup(t, v, "LATE").Documents)
	assert.Equal(t, codes.LateArrival, lookup(t, v, "LATE").Span)
	assert.Equal(t, codes.Excused, lookup(t, v, "BUS").Excuse)
	lookup(t, v, "ILL")

	_, err = policy.LoadFS(fsys, "district/broken.yaml")
	loadErrors(t, err)
	assert.Equal(t, `district/broken.yaml:2:10: extends: cannot read "district/missing.yaml": file does not exist`, err.Error(),
		"the relative path is resolved against the pack's directory inside the fs.FS")

	// The embedded packs are an fs.FS too.
	p, err = policy.LoadFS(policy.Packs, "ccs.yaml")
	require.NoError(t, err)
	assert.Equal(t, []string{"ccs", "ohio"}, p.Chain)
}

func TestLoadFromBytesExtendsEmbedded(t *testing.T) {
	p, err := policy.Load([]byte("pack: tiny\nextends: ohio\ncodes:\n  PRS:\n    status: present\n"), "tiny.yaml")
	require.NoError(t, err)
	assert.Equal(t, []string{"tiny", "ohio"}, p.Chain)
	assert.Equal(t, codes.Present, lookup(t, p.At(calendar.Date{}), "PRS").Status)
}

func TestEmbedded(t *testing.T) {
	names := policy.Names()
	assert.True(t, slices.IsSorted(names), "Names is sorted: %v", names)
	for _, want := range []string{"ccs", "illinois", "ohio"} {
		assert.Contains(t, names, want)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			p, err := policy.Embedded(name)
			require.NoError(t, err)
			assert.Equal(t, name, p.Name, "a pack's name is its file name")
			assert.Equal(t, name, p.Chain[0])
			assert.NotEmpty(t, p.Title)
			require.NotEmpty(t, p.Versions())
			for _, v := range p.Versions() {
				for _, c := range v.Codes.All() {
					assert.NotZero(t, c.Status, "code %s has a status", c.ID)
					if c.Status == codes.Absent {
						assert.NotEqual(t, codes.None, c.Excuse, "absent code %s has an excuse type", c.ID)
					}
				}
			}
		})
	}
}

func TestEmbeddedCCS(t *testing.T) {
	p, err := policy.Embedded("ccs")
	require.NoError(t, err)
	v := p.At(mustDate("2024-01-08"))
	assert.Equal(t, 41, v.Codes.Len(), "the 41 codes of seed 004")

	exc := codes.Any(codes.Doc("court-document"), codes.Doc("religious-note"), codes.Doc("college-visit-note"), codes.Doc("principal-approval"))
	assert.Equal(t, codes.All(codes.Doc("release-log"), exc), lookup(t, v, "ELV").Documents, "same_as EXC is resolved inside all_of")
	assert.Equal(t, lookup(t, v, "CVE").Documents, lookup(t, v, "CVP").Documents, "same_as CVE alone")
	assert.Equal(t, codes.All(codes.FlagOn("project-connect"), codes.Doc("parent-note")), lookup(t, v, "PCE").Documents)

	tpd := lookup(t, v, "TPD")
	assert.True(t, tpd.Comment.Required)
	assert.Equal(t, []string{
		"[Teacher Name] has indicated the student has not met the participation standard.",
		"[Teacher Name]: Student did not participate",
	}, tpd.Comment.Templates)
	assert.False(t, lookup(t, v, "UNX").Comment.Required, "comment: optional")
	assert.True(t, lookup(t, v, "MED").Comment.Required, "comment: required")

	require.Len(t, v.Caps, 2)
	assert.Equal(t, "parent-authorized", v.Caps[0].ID)
	// decision 8 (domain fidelity): the 9 days cover the Parent Medical codes too
	assert.Equal(t, []string{"PAA", "PAE", "PAL", "PMD", "PME", "PML"}, v.Caps[0].Codes)
	assert.Equal(t, 9, v.Caps[0].Limit)
	assert.Equal(t, policy.PerSchoolYear, v.Caps[0].Per)
	assert.Equal(t, policy.PerOccurrence, v.Caps[1].Per)
	require.Len(t, v.Rules, 4)
	assert.Equal(t, "parent-authorized-full-day", v.Rules[0].ID)
	assert.Equal(t, "parent-medical-full-day", v.Rules[1].ID)
	assert.Equal(t, "untyped-appointment", v.Rules[2].ID)
	assert.Equal(t, "late-note-needs-principal-approval", v.Rules[3].ID)
}
