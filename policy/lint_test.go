package policy_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/policy"
)

func TestLint(t *testing.T) {
	p, err := policy.Load([]byte(`pack: lint
codes:
  UNX: {status: absent, excuse: unexcused, edfi: Excused Absence}
  EXC: {status: absent, excuse: excused}
counts:
  unexcused: {when: excuse == "unexcused"}
  unused: {when: code == "UXN"}
  reported: {title: Reported for people, when: code == "EXC"}
rules:
  r:
    when: code in ["EXC", "EXD"]
    then: {note: x}
ladder:
  never:
    when: unexcused >= 10 and unexcused < 5
  fine:
    when: unexcused >= 5 and unexcused < 10
`), "lint.yaml")
	require.NoError(t, err)
	var got []string
	for _, w := range policy.Lint(p) {
		got = append(got, w.Error())
	}
	assert.Equal(t, []string{
		`lint.yaml:3:8: warning: code UNX is unexcused but maps to the Ed-Fi category "Excused Absence"`,
		`lint.yaml:4:8: warning: code EXC excuses an absence but lists no documentation (add documents: or say none)`,
		`lint.yaml:7:11: warning: count unused is read by no trigger, designation, template or rule, and has no title to report it under`,
		`lint.yaml:7:11: warning: count unused compares a code with "UXN", which is not a code of the pack (did you mean "UNX"?)`,
		`lint.yaml:11:5: warning: rule r compares a code with "EXD", which is not a code of the pack (did you mean "EXC"?)`,
		`lint.yaml:15:5: warning: step never can never be due: unexcused >= 10 and unexcused < 5 cannot both hold`,
	}, got)
	// the shipped packs have nothing to warn about
	for _, name := range policy.Names() {
		p, err := policy.Embedded(name)
		require.NoError(t, err)
		assert.Empty(t, policy.Lint(p), name)
	}
}
