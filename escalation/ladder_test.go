package escalation_test

import (
	"testing"

	"github.com/expr-lang/expr/vm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/codes"
	"github.com/rollcall-go/rollcall/escalation"
)

func escTrigger(t testing.TB, src string) *escalation.Trigger {
	t.Helper()
	tr, err := escalation.Compile(src)
	require.NoError(t, err, src)
	return tr
}

func escTemplate(t testing.TB, src string) *escalation.Template {
	t.Helper()
	tp, err := escalation.CompileTemplate(src)
	require.NoError(t, err, src)
	return tp
}

// escECE returns full-day unverified absences (400-minute days) on dates.
func escECE(dates ...string) []escalation.Record {
	var out []escalation.Record
	for _, d := range dates {
		out = append(out, escAbs(d, "ECE", codes.Unverified, codes.FullDay, 0, 400, "reported"))
	}
	return out
}

func escDueIDs(ev escalation.Evaluation) []string {
	ids := []string{}
	for _, d := range ev.Due {
		ids = append(ids, d.Step)
	}
	return ids
}

func TestTriggerExplainReturnsTheFactsRead(t *testing.T) {
	cal := escCal(t, 420)
	tr := escTrigger(t, `unverified >= 5 and since("warning-letter").unexcused >= 1 and month.unexcused_hours > 1`)
	f := escalation.Compute(escalation.Input{Calendar: cal, Records: escMixed(), AsOf: escDate("2024-10-25"),
		Done: []escalation.Done{{Step: "warning-letter", Date: escDate("2024-09-16")}}})
	m := new(vm.VM)
	ok, err := tr.Eval(m, f)
	require.NoError(t, err)
	// unverified 2 (ECE + OSH, TestComputeYearToDate): false
	assert.False(t, ok)
	got := map[string]any{}
	for _, r := range tr.Explain(m, f) {
		got[r.Fact] = r.Value
	}
	assert.Equal(t, map[string]any{
		"unverified":                        2.0,  // ECE 1 + OSH 1
		`since("warning-letter").unexcused`: 0.25, // the TUX quarter day of 10-02
		"month.unexcused_hours":             1.75, // 105 minutes
	}, got)
}

func TestTemplateRender(t *testing.T) {
	m := new(vm.VM)
	f := escalation.Facts{Counts: escalation.Counts{Unverified: 6, AttendanceRate: 0.85, UnexcusedHours: 46.666667}}
	assert.Equal(t, "6 unverified absences", escTemplate(t, "{{unverified}} unverified absences").Render(m, f))
	assert.Equal(t, "attendance 85%", escTemplate(t, "attendance {{attendance_rate * 100}}%").Render(m, f))
	assert.Equal(t, "46.67 hours", escTemplate(t, "{{unexcused_hours}} hours").Render(m, f))
	assert.Equal(t, "no holes", escTemplate(t, "no holes").Render(m, f))
	_, err := escalation.CompileTemplate("{{unverifed}} absences")
	assert.ErrorContains(t, err, "{{unverifed}}")
}

func TestCompileRejectsBadTriggers(t *testing.T) {
	for _, src := range []string{
		"unverifed >= 5",     // misspelt fact
		"unverified",         // not a bool
		`since(3).unexcused`, // wrong argument type
		`previous("x").unexcused > 0`,
	} {
		_, err := escalation.Compile(src)
		assert.Error(t, err, src)
	}
}

// escLadder is a small ladder in the shape of il-roe-sop's first steps, written in Go.
func escLadder(t testing.TB) *escalation.Ladder {
	return &escalation.Ladder{Steps: []*escalation.Step{
		{ID: "warning", Actor: "secretary", When: escTrigger(t, "unverified >= 5 and unverified < 10"),
			Because: escTemplate(t, "{{unverified}} unverified absences (5-9)")},
		{ID: "probation", Actor: "secretary", When: escTrigger(t, "unverified >= 10")},
		{ID: "follow-up", Actor: "interventionist", After: []string{"probation"}, When: escTrigger(t, `since("probation").absent_days >= 1`),
			Deadline: &escalation.Deadline{SchoolDays: 5, From: "trigger"},
			Involve: []escalation.Involve{{Reason: "health", Who: "nurse", When: escTrigger(t, "medical > 0")},
				{Reason: "always", Who: "teacher"}}},
		{ID: "weekly-check", Actor: "interventionist", Repeats: true, Every: 5, When: escTrigger(t, "unverified >= 1"),
			Deadline: &escalation.Deadline{Days: 7, From: "weekly-check"}},
	}}
}

func TestLadderEvaluate(t *testing.T) {
	cal := escCal(t, 400)
	l := escLadder(t)
	// ECE on days 4, 7, 10, 13, 16: 08-29, 09-04, 09-09, 09-12, 09-17
	five := escECE("2024-08-29", "2024-09-04", "2024-09-09", "2024-09-12", "2024-09-17")

	// as of day 15 (09-16): 4 unverified; weekly-check (never done, repeats) is due
	ev := l.Evaluate(escalation.Input{Calendar: cal, Records: five, AsOf: escDate("2024-09-16")})
	assert.Equal(t, []string{"weekly-check"}, escDueIDs(ev))

	// as of day 16 (09-17): 5 unverified
	ev = l.Evaluate(escalation.Input{Calendar: cal, Records: five, AsOf: escDate("2024-09-17")})
	require.Equal(t, []string{"warning", "weekly-check"}, escDueIDs(ev))
	require.NotNil(t, ev.Next)
	assert.Equal(t, "warning", ev.Next.Step)
	assert.Equal(t, "5 unverified absences (5-9)", ev.Next.Because)
	assert.Equal(t, "unverified >= 5 and unverified < 10", ev.Next.Trigger)
	assert.Equal(t, []escalation.Reading{{Fact: "unverified", Value: 5.0}}, ev.Next.Facts)
	// the warning trigger first held on 09-17 (the 5th absence)
	assert.Equal(t, escDate("2024-09-17"), ev.Next.Since)
	// weekly-check has held since the first absence, 08-29; its deadline counts from
	// its own last date, which does not exist yet: no due_by
	assert.Equal(t, escDate("2024-08-29"), ev.Due[1].Since)
	assert.True(t, ev.Due[1].DueBy.IsZero())
	assert.Equal(t, "unverified >= 1", ev.Due[1].Because) // no template: the trigger's source

	// warning done on 09-18 (day 17) and weekly-check on 09-18: as of day 21 (09-24),
	// 3 school days after the check (19, 20, 21 < 5): nothing due
	done := []escalation.Done{{Step: "warning", Date: escDate("2024-09-18")}, {Step: "weekly-check", Date: escDate("2024-09-18")}}
	ev = l.Evaluate(escalation.Input{Calendar: cal, Records: five, Done: done, AsOf: escDate("2024-09-24")})
	assert.Equal(t, []string{}, escDueIDs(ev))
	assert.Nil(t, ev.Next)
	// as of day 22 (09-25): 5 school days after 09-18 (days 18-22): the check is due
	// again, by 7 calendar days after it was last done (09-25): not overdue
	ev = l.Evaluate(escalation.Input{Calendar: cal, Records: five, Done: done, AsOf: escDate("2024-09-25")})
	require.Equal(t, []string{"weekly-check"}, escDueIDs(ev))
	assert.Equal(t, escDate("2024-09-25"), ev.Due[0].DueBy)
	assert.False(t, ev.Due[0].Overdue)
	ev = l.Evaluate(escalation.Input{Calendar: cal, Records: five, Done: done, AsOf: escDate("2024-09-26")})
	require.Equal(t, []string{"weekly-check"}, escDueIDs(ev))
	assert.True(t, ev.Due[0].Overdue)
}

func TestLadderPrerequisitesAndDeadline(t *testing.T) {
	cal := escCal(t, 400)
	l := escLadder(t)
	// ten ECE (days 4, 7, ..., 31), then probation done on 10-09 (day 32), an excused
	// medical absence on 10-10 (day 33)
	recs := escECE("2024-08-29", "2024-09-04", "2024-09-09", "2024-09-12", "2024-09-17",
		"2024-09-20", "2024-09-25", "2024-09-30", "2024-10-03", "2024-10-08")
	ev := l.Evaluate(escalation.Input{Calendar: cal, Records: recs, AsOf: escDate("2024-10-08")})
	assert.Equal(t, []string{"probation", "weekly-check"}, escDueIDs(ev))

	recs = append(recs, escAbs("2024-10-10", "ILL", codes.Excused, codes.FullDay, 0, 400, "medical"))
	done := []escalation.Done{{Step: "probation", Date: escDate("2024-10-09")}, {Step: "weekly-check", Date: escDate("2024-10-09")}}
	// follow-up needs probation done: as of 10-08 it is not, whatever its trigger
	ev = l.Evaluate(escalation.Input{Calendar: cal, Records: recs, Done: done, AsOf: escDate("2024-10-10")})
	require.Equal(t, []string{"follow-up"}, escDueIDs(ev))
	d := ev.Due[0]
	assert.Equal(t, []string{"probation"}, d.After)
	assert.Equal(t, escDate("2024-10-10"), d.Since)
	// 5 school days after 10-10 (day 33): days 34-38 -> 10-11, 15, 16, 17, 18 (10-14 closed)
	assert.Equal(t, escDate("2024-10-18"), d.DueBy)
	assert.False(t, d.Overdue)
	assert.Equal(t, []escalation.Involved{{Reason: "health", Who: "nurse"}, {Reason: "always", Who: "teacher"}}, d.Involve)

	ev = l.Evaluate(escalation.Input{Calendar: cal, Records: recs, Done: done, AsOf: escDate("2024-10-21")})
	require.Equal(t, "follow-up", ev.Due[0].Step)
	assert.True(t, ev.Due[0].Overdue) // 10-21 is after 10-18
	assert.Equal(t, escDate("2024-10-10"), ev.Due[0].Since)
}

func TestLadderStep(t *testing.T) {
	l := escLadder(t)
	s, ok := l.Step("probation")
	require.True(t, ok)
	assert.Equal(t, "probation", s.ID)
	_, ok = l.Step("nope")
	assert.False(t, ok)
}

func TestLadderEvaluateConcurrent(t *testing.T) {
	cal := escCal(t, 400)
	l := escLadder(t)
	recs := escECE("2024-08-29", "2024-09-04", "2024-09-09", "2024-09-12", "2024-09-17")
	done := make(chan []string)
	for range 8 {
		go func() {
			var last []string
			for range 50 {
				last = escDueIDs(l.Evaluate(escalation.Input{Calendar: cal, Records: recs, AsOf: escDate("2024-09-17")}))
			}
			done <- last
		}()
	}
	for range 8 {
		assert.Equal(t, []string{"warning", "weekly-check"}, <-done)
	}
}
