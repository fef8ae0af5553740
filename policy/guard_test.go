package policy

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/codes"
)

// Excludes answers false whenever the condition could hold: it is only a short cut.
func TestConditionExcludes(t *testing.T) {
	x := &exprCompiler{}
	cases := []struct {
		src            string
		code, original string
		excluded       bool
	}{
		{`code == "PAA" and minutes < day_minutes`, "PAA", "PAA", false},
		{`code == "PAA" and minutes < day_minutes`, "MED", "PAA", true},
		{`"PAA" == code`, "MED", "MED", true},
		{`code in ["PAA", "PAE"] && excuse == "excused"`, "PAE", "X", false},
		{`code in ["PAA", "PAE"] && excuse == "excused"`, "PAL", "PAA", true},
		{`original_code == "MED" and excuse == "unverified"`, "UNX", "MED", false},
		{`original_code == "MED" and excuse == "unverified"`, "MED", "UNX", true},
		// Not a conjunction of code tests: always run.
		{`code == "PAA" or code == "PAE"`, "MED", "MED", false},
		{`not (code == "PAA")`, "MED", "MED", false},
		{`code in tags`, "MED", "MED", false},
		{`excuse == "excused"`, "MED", "MED", false},
	}
	for _, tc := range cases {
		d := &diag{}
		c := x.compileEvent(tc.src, pos{}, "rule", false, d)
		if !assert.NotNil(t, c, tc.src) {
			continue
		}
		assert.Equal(t, tc.excluded, c.Excludes(tc.code, tc.original), "%s with code %s, recorded %s", tc.src, tc.code, tc.original)
	}
	assert.False(t, (*Condition)(nil).Excludes("PAA", "PAA"), "no condition excludes nothing")
}

// Guard is the static terms of a conjunction that is not static itself: a condition
// that fails whenever the whole fails, and reads only what the static memos key on.
func TestConditionGuard(t *testing.T) {
	x := &exprCompiler{}
	cases := []struct {
		src, guard string // "" for no guard
	}{
		{`excuse == "excused" and reason matches "appt"`, `(excuse == "excused")`},
		{`days_to_document > 7 and excuse == "excused"`, `(excuse == "excused")`},
		{`status == "absent" && minutes < 60 && "medical" in tags`, `(status == "absent") and ("medical" in tags)`},
		{`excuse == "excused" and (code == "PAA" or minutes > 5)`, `(excuse == "excused")`},
		// Static already, or no static term, or not a conjunction: no guard.
		{`status == "absent" and excuse == "unverified"`, ``},
		{`minutes < day_minutes and days_to_document > 2`, ``},
		{`excuse == "excused" or minutes > 5`, ``},
	}
	for _, tc := range cases {
		c := x.compileEvent(tc.src, pos{}, "rule", false, &diag{})
		if !assert.NotNil(t, c, tc.src) {
			continue
		}
		g := c.Guard()
		if tc.guard == "" {
			assert.Nil(t, g, tc.src)
			continue
		}
		if assert.NotNil(t, g, tc.src) {
			assert.Equal(t, tc.guard, g.Source, tc.src)
			assert.True(t, g.Static(), tc.src)
			assert.Nil(t, g.Guard(), "a guard has no guard of its own")
		}
	}
	assert.Nil(t, (*Condition)(nil).Guard())
}

// A static condition remembers its result per effective code and excuse of its own
// version's catalog; one that reads original_code, or a code of another catalog, is
// never remembered.
func TestConditionRecall(t *testing.T) {
	cat, err := codes.NewCatalog([]codes.Code{{ID: "MED"}, {ID: "UNX"}})
	require.NoError(t, err)
	other, err := codes.NewCatalog([]codes.Code{{ID: "MED"}, {ID: "UNX"}})
	require.NoError(t, err)
	x := &exprCompiler{codes: cat}
	med, _ := cat.Lookup("MED")
	unx, _ := cat.Lookup("UNX")
	otherMED, _ := other.Lookup("MED")

	c := x.compileEvent(`excuse == "excused"`, pos{}, "rule", false, &diag{})
	_, known := c.Recall(med, codes.Excused)
	assert.False(t, known, "nothing remembered yet")
	c.Remember(med, codes.Excused, true)
	c.Remember(med, codes.Unverified, false)
	held, known := c.Recall(med, codes.Excused)
	assert.True(t, known && held)
	held, known = c.Recall(med, codes.Unverified)
	assert.True(t, known && !held)
	_, known = c.Recall(unx, codes.Excused)
	assert.False(t, known, "another code")
	_, known = c.Recall(otherMED, codes.Excused)
	assert.False(t, known, "a code of another catalog")

	for _, src := range []string{`original_code == "MED"`, `minutes > 5`} {
		c := x.compileEvent(src, pos{}, "rule", false, &diag{})
		c.Remember(med, codes.Excused, true)
		_, known := c.Recall(med, codes.Excused)
		assert.False(t, known, src)
	}
}

// A cap covers exactly the codes it lists: Covers, by the catalog's positions, agrees
// with the list for every code of every shipped pack's caps, and for a code of another
// catalog.
func TestCapCoversItsCodes(t *testing.T) {
	caps := 0
	for _, name := range Names() {
		p, err := Embedded(name)
		require.NoError(t, err)
		for _, v := range p.Versions() {
			for _, cp := range v.Caps {
				caps++
				for _, code := range v.Codes.All() {
					assert.Equal(t, slices.Contains(cp.Codes, code.ID), cp.Covers(code), "%s cap %s code %s", name, cp.ID, code.ID)
				}
			}
		}
	}
	assert.GreaterOrEqual(t, caps, 2, "the ccs caps")
	other, err := Load([]byte("pack: other\ncodes:\n  PAA: {status: absent, excuse: excused}\n"), "other.yaml")
	require.NoError(t, err)
	paa, _ := other.Versions()[0].Codes.Lookup("PAA")
	ccs, err := Embedded("ccs")
	require.NoError(t, err)
	for _, cp := range ccs.Versions()[0].Caps {
		assert.Equal(t, slices.Contains(cp.Codes, "PAA"), cp.Covers(paa), "cap %s: a code of another pack, by its name", cp.ID)
	}
}

// A condition on a nil pointer is an error, not a panic: an event of a brief
// classification keeps no Env.
func TestEvalNilPointer(t *testing.T) {
	p, err := Embedded("ccs")
	require.NoError(t, err)
	v := p.Versions()[0]
	var r Runner
	fast := 0
	for _, ru := range v.Rules {
		if ru.When.fast != nil {
			fast++
		}
		_, err := ru.When.Eval(&r, (*Event)(nil))
		assert.ErrorIs(t, err, errNilEnv, "rule %s", ru.ID)
	}
	assert.Positive(t, fast, "conditions compiled to Go")
	for _, s := range v.Steps {
		_, err := s.When.Eval(&r, (*Facts)(nil))
		assert.ErrorIs(t, err, errNilEnv, "step %s", s.ID)
	}
}
