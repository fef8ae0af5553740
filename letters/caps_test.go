package letters_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/history"
	"github.com/rollcall-go/rollcall/internal/testcal"
	"github.com/rollcall-go/rollcall/letters"
	"github.com/rollcall-go/rollcall/policy"
)

// A cap with a condition judges each event as the rules saw it (its Env), which a
// brief evaluation does not keep: CapNeedsFull says so, and the full evaluation's use
// is the one counted by hand.
func TestCapWithConditionNeedsFullEvaluation(t *testing.T) {
	p, err := policy.Load([]byte(`
pack: cap-when-test
codes:
  EXC: {status: absent, excuse: excused}
  PAR: {status: absent, excuse: excused, span: late-arrival}
caps:
  whole-days:
    codes: [EXC, PAR]
    limit: 3
    when: minutes == day_minutes
    past: {excuse: unexcused}
`), "cap-when-test.yaml")
	require.NoError(t, err)
	cal, err := calendar.New(testcal.Year2425(400))
	require.NoError(t, err)
	day := calendar.MustParseDate
	// Three whole days and a late arrival of 60 minutes (not a whole day: the cap's
	// condition leaves it out), all excused and before the as-of date.
	h := &history.History{Student: history.Student{ID: "W1"}, Calendar: cal, Events: []history.Event{
		{Date: day("2024-09-03"), Code: "EXC"},
		{Date: day("2024-09-04"), Code: "PAR", Minutes: 60},
		{Date: day("2024-09-05"), Code: "EXC"},
		{Date: day("2024-09-06"), Code: "EXC"},
	}}
	at := day("2024-09-10")
	full, err := rollcall.New(p).Evaluate(h, at)
	require.NoError(t, err)
	brief, err := rollcall.New(p, rollcall.Brief()).Evaluate(h, at)
	require.NoError(t, err)
	v := p.At(at)

	assert.True(t, letters.CapNeedsFull(v, brief), "the cap's condition reads the events")
	for _, e := range brief.Events {
		assert.Nil(t, e.Env)
	}
	assert.Equal(t, []letters.CapUse{{Cap: "whole-days", Used: 3, Limit: 3, At: true}},
		letters.CapUsage(v, h, full, letters.DefaultNear), "3 whole days; the late arrival is not counted")
}
