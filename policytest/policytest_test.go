package policytest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/policytest"
)

func TestEmbeddedPackTestsPass(t *testing.T) {
	results, err := policytest.RunEmbedded()
	require.NoError(t, err)
	require.NotEmpty(t, results)
	for _, r := range results {
		for _, f := range r.Failures {
			t.Error(f)
		}
	}
}

// A wrong expectation fails with the test file's line and column, what was expected and
// what came out.
func TestWrongExpectationPointsAtItsLine(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "district_test.yaml")
	require.NoError(t, os.WriteFile(file, []byte(`pack: il-roe-sop
calendar: {first_day: 2024-08-26, last_day: 2025-06-06, minutes_per_day: 400}
student: {birth_date: 2015-03-02, grade: "3"}
tests:
  six-unexcused:
    events: [UNX on school days 2-7]
    as_of: school day 10
    expect:
      due: [probation-letter]
      facts: {not_verified: 5}
  bad-event:
    events: [UNX at school day 2]
    expect: {due: []}
`), 0o644))
	results, err := policytest.RunFile(file)
	require.NoError(t, err)
	require.Len(t, results, 2)
	require.Len(t, results[0].Failures, 2)
	assert.Equal(t, file+":9:12: test six-unexcused: due: want [probation-letter], got [warning-letter]", results[0].Failures[0].Error())
	assert.Equal(t, file+":10:29: test six-unexcused: facts: not_verified: want 5, got 6", results[0].Failures[1].Error())
	require.Len(t, results[1].Failures, 1)
	assert.Contains(t, results[1].Failures[0].Error(), file+`:12:14: test bad-event: event "UNX at school day 2": want "CODE on WHEN`)
}

// A step no test reaches shows under coverage, with its file and line.
func TestCoverageShowsAnUnreachedStep(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "district.yaml"), []byte(`pack: district
extends: illinois
ladder:
  call-home:
    when: not_verified >= 3
  visit-home:
    when: not_verified >= 30
`), 0o644))
	test := filepath.Join(dir, "district_test.yaml")
	require.NoError(t, os.WriteFile(test, []byte(`pack: district.yaml
calendar: {first_day: 2024-08-26, last_day: 2025-06-06, minutes_per_day: 400}
student: {birth_date: 2015-03-02, grade: "3"}
tests:
  three:
    events: [UNX on school days 2-4]
    as_of: school day 5
    expect: {due: [call-home]}
  two:
    events: [UNX on school days 2-3]
    as_of: school day 5
    expect: {due: []}
`), 0o644))
	results, err := policytest.RunFile(test)
	require.NoError(t, err)
	var own policytest.Coverage
	for _, c := range policytest.CoverageOf(results) {
		if c.Pack == "district" {
			own = c
		}
	}
	require.Equal(t, filepath.Join(dir, "district.yaml"), own.File)
	var missed []string
	for _, it := range own.Missed() {
		missed = append(missed, fmt.Sprintf("%d %s %s", it.Line, it.Kind, it.ID))
	}
	assert.Equal(t, []string{"7 step visit-home", "7 clause visit-home 1 true"}, missed)
	assert.InDelta(t, 100*4.0/6, own.Percent(), 1e-9)
}
