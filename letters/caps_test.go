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

// A cap with a condition counts the events it holds for: the classification says which
// caps each event counts toward, so a brief evaluation (no notes, no Env) gives the
// same use as a full one, counted by hand.
func TestCapWithConditionFromBriefEvaluation(t *testing.T) {
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
	// condition leaves it out), then a fourth whole day past the limit: unexcused, and
	// counted as past it.
	h := &history.History{Student: history.Student{ID: "W1"}, Calendar: cal, Events: []history.Event{
		{Date: day("2024-09-03"), Code: "EXC"},
		{Date: day("2024-09-04"), Code: "PAR", Minutes: 60},
		{Date: day("2024-09-05"), Code: "EXC"},
		{Date: day("2024-09-06"), Code: "EXC"},
		{Date: day("2024-09-09"), Code: "EXC"},
	}}
	at := day("2024-09-10")
	v := p.At(at)
	want := []letters.CapUse{{Cap: "whole-days", Used: 4, Limit: 3, At: true}}
	for _, eng := range []*rollcall.Engine{rollcall.New(p), rollcall.New(p, rollcall.Brief())} {
		ev, err := eng.Evaluate(h, at)
		require.NoError(t, err)
		assert.Equal(t, "unexcused", ev.Events[4].Excuse, "the fourth whole day is past the cap")
		assert.Equal(t, []string{"whole-days"}, ev.Events[4].Caps)
		assert.Empty(t, ev.Events[1].Caps, "the late arrival")
		assert.Equal(t, want, letters.CapUsage(v, h, ev, letters.DefaultNear), "3 whole days and one past the limit")
	}
}
