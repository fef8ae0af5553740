package rollcall

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/policy"
)

// A rule and a daily action that read the same year count see the same value: both
// run on the event as the classification left it.
const agreePack = `
pack: agree
codes:
  UNX: {status: absent, excuse: unexcused}
  UNV: {status: absent, excuse: unverified}
  UNX2: {status: absent, excuse: unexcused}
counts:
  not_excused:
    when: excuse in ["unexcused", "unverified"]
rules:
  third:
    when: year.not_excused >= 2 and code == "UNV"
    then: {recode: UNX2, note: the third absence not excused}
actions:
  call:
    title: Call home
    when: year.not_excused >= 2
ladder:
  review:
    outcomes: [progressing, failed]
    when: not_excused >= 1
`

func agreeEngine(t *testing.T) *Engine {
	t.Helper()
	p, err := policy.Load([]byte(agreePack), "agree.yaml")
	require.NoError(t, err)
	return New(p)
}

func TestRuleAndActionReadTheSameCount(t *testing.T) {
	e := agreeEngine(t)
	h := historyOf(t, Event{Date: d("2024-09-03"), Code: "UNX"}, Event{Date: d("2024-09-04"), Code: "UNV"}, Event{Date: d("2024-09-05"), Code: "UNV"})
	cls, err := e.Classify(h, d("2024-09-05"))
	require.NoError(t, err)
	assert.Equal(t, []string{"UNX", "UNV", "UNX2"}, []string{cls.Events[0].EffectiveCode, cls.Events[1].EffectiveCode, cls.Events[2].EffectiveCode},
		"only the third sees 2 absences not excused before it")
	for i, date := range []string{"2024-09-03", "2024-09-04", "2024-09-05"} {
		acts, err := e.Actions(h, d(date))
		require.NoError(t, err)
		ruled := cls.Events[i].EffectiveCode == "UNX2"
		assert.Equal(t, ruled, len(acts) == 1, "%s: the action fires exactly where the rule did", date)
	}
}

func TestInterventionOutcomesAreChecked(t *testing.T) {
	e := agreeEngine(t)
	h := historyOf(t, Event{Date: d("2024-09-03"), Code: "UNX"})
	h.Interventions = []Intervention{{Step: "review", Date: d("2024-09-04"), Outcome: "fialed"}}
	_, err := e.Evaluate(h, d("2024-09-05"))
	require.Error(t, err)
	assert.Equal(t, `student S1: intervention 1 (2024-09-04 review): outcome "fialed" is not one step review records (want one of progressing, failed, waived) (did you mean "failed"?)`, err.Error())

	h.Interventions = []Intervention{{Step: "review", Date: d("2024-09-04"), Outcome: "waived"}}
	_, err = e.Evaluate(h, d("2024-09-05"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "a waived step needs a note saying why")

	h.Interventions = []Intervention{{Step: "review", Date: d("2024-09-04"), Outcome: "waived", Note: "family moved; case with the new district"}}
	ev, err := e.Evaluate(h, d("2024-09-05"))
	require.NoError(t, err)
	assert.Empty(t, ev.Due, "a waived step counts as done")
}

func TestZeroEngineErrs(t *testing.T) {
	var e Engine
	_, err := e.Evaluate(historyOf(t), calendar.Date{})
	assert.True(t, errors.Is(err, errNoPack))
	var nilEngine *Engine
	_, err = nilEngine.Classify(historyOf(t), calendar.Date{})
	assert.True(t, errors.Is(err, errNoPack))
}

func TestExplainNamesWhatHeld(t *testing.T) {
	e := engine(t, "ccs")
	// 6.5-hour days, Mon-Fri 10-07..11 UNX: 32.5 consecutive hours (30 or more), but
	// neither 42 in the month nor 72 in the year (ORC 2151.011(B)(18))
	var evs []Event
	for _, day := range []string{"2024-10-07", "2024-10-08", "2024-10-09", "2024-10-10", "2024-10-11"} {
		evs = append(evs, Event{Date: d(day), Code: "UNX"})
	}
	y := year2425()
	y.MinutesPerDay = 390
	h := &History{Student: Student{ID: "X1", BirthDate: d("2012-05-01"), Grade: "7"}, Calendar: newCalendar(t, y), Events: evs}
	x, err := e.Explain(h, d("2024-10-11"), "absence-intervention-team")
	require.NoError(t, err)
	text := x.Text()
	assert.Contains(t, text, "Due: habitually truant: 32.5 consecutive hours without legitimate excuse (30 or more).")
	assert.Contains(t, text, "holds         longest_run.no_excuse_hours >= 30   (longest_run.no_excuse_hours = 32.5)")
	assert.Contains(t, text, "does not hold max_month.no_excuse_hours >= 42   (max_month.no_excuse_hours = 32.5)")
	assert.Contains(t, text, "does not hold no_excuse_hours >= 72   (no_excuse_hours = 32.5)")
	assert.Contains(t, text, "    2024-10-11  UNX  unexcused\n")
	assert.Contains(t, text, "Source: ORC 3321.191(C)(1); ORC 2151.011(B)(18)")
	assert.NotContains(t, text, "(42 or more).\n", "the because does not name thresholds not reached")

	// a step not due says why
	x, err = e.Explain(h, d("2024-10-11"), "court-complaint")
	require.NoError(t, err)
	assert.Contains(t, x.Text(), "Not due: it comes after intervention-plan, not done yet.")
	_, err = e.Explain(h, d("2024-10-11"), "court-complain")
	assert.ErrorContains(t, err, `pack ccs has no step "court-complain" (did you mean "court-complaint"?)`)
}

// A letter sent on absences since excused is listed for review, with the clause that no
// longer holds on the day it was sent.
func TestDecisionsToReview(t *testing.T) {
	e := engine(t, "il-roe-sop")
	evs := []Event{{Date: d("2024-09-03"), Code: "ECE"}, {Date: d("2024-09-04"), Code: "ECE"}, {Date: d("2024-09-05"), Code: "ECE"},
		{Date: d("2024-09-06"), Code: "ECE"}, {Date: d("2024-09-09"), Code: "ECE"}}
	h := historyOf(t, evs...)
	h.Student.BirthDate = d("2015-03-02")
	h.Interventions = []Intervention{{Step: "warning-letter", Date: d("2024-09-10")}}
	ev, err := e.Evaluate(h, d("2024-09-20"))
	require.NoError(t, err)
	assert.Empty(t, ev.Review, "5 absences not verified when the letter went out")

	// the family brings notes: two of the five are illnesses with a parent's note
	h.Events[1] = Event{Date: d("2024-09-04"), Code: "ILL", Documents: []string{"parent-note"}}
	h.Events[2] = Event{Date: d("2024-09-05"), Code: "ILL", Documents: []string{"parent-note"}}
	ev, err = e.Evaluate(h, d("2024-09-20"))
	require.NoError(t, err)
	require.Len(t, ev.Review, 1)
	r := ev.Review[0]
	assert.Equal(t, "warning-letter", r.Step)
	assert.Equal(t, d("2024-09-10"), r.Date)
	require.Len(t, r.Clauses, 1)
	assert.Equal(t, "not_verified >= 5", r.Clauses[0].Clause)
	assert.Equal(t, 3.0, r.Clauses[0].Facts[0].Value)
}

// Identifiers from the input cannot forge a line of a message: control characters and
// direction overrides are quoted.
func TestMessagesQuoteHostileIdentifiers(t *testing.T) {
	h := historyOf(t, Event{Date: d("2024-09-07"), Code: "UNX\u202e\nstudent S2: ok"})
	h.Student.ID = "S1\r\nforged"
	_, err := engine(t, "il-roe-sop").Evaluate(h, d("2024-09-10"))
	require.Error(t, err)
	assert.Equal(t, 1, strings.Count(err.Error(), "\n")+1, "one line: %q", err.Error())
	assert.Contains(t, err.Error(), `student "S1\r\nforged": event 1 (2024-09-07 "UNX\u202e\nstudent S2: ok")`)
}
