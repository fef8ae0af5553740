package policy

import (
	"testing"

	"github.com/stretchr/testify/assert"
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
