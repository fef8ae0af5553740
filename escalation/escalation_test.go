package escalation_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/classify"
	"github.com/rollcall-go/rollcall/escalation"
	"github.com/rollcall-go/rollcall/history"
	"github.com/rollcall-go/rollcall/internal/testcal"
	"github.com/rollcall-go/rollcall/policy"
)

// Every expectation below is counted by hand on the shared 2024-25 calendar
// (testcal.Year2425, 400 minutes a day): Aug 26-30 is 5 school days, September 20
// (closed 09-02), October 1-4 is 4 more, so 2024-10-04 is school day 29.

const countsPack = `
pack: counts-test
codes:
  UNX: {status: absent, excuse: unexcused}
  EXC: {status: absent, excuse: excused, tags: [medical]}
  OSS: {status: absent, excuse: unexcused, tags: [suspension]}
  TDY: {status: present, span: late-arrival}
counts:
  unexcused: {when: excuse == "unexcused"}
  unexcused_occ: {unit: occasions, when: excuse == "unexcused"}
  unexcused_min: {unit: minutes, when: excuse == "unexcused"}
  no_excuse_hours: {unit: hours, when: 'excuse == "unexcused" and not ("suspension" in tags)'}
  late_30: {unit: occasions, when: code == "TDY" and minutes > 30}
designations:
  reads:
    when: >-
      month.unexcused >= 0 and max_month.unexcused >= 0 and previous(3).unexcused >= 0
      and previous(4).unexcused >= 0 and previous_days(3).unexcused >= 0 and previous_days(4).unexcused >= 0
      and longest_run.unexcused >= 0 and longest_run.no_excuse_hours >= 0 and max_window(3).unexcused >= 0
      and max_days(10).unexcused >= 0 and enrolled.unexcused >= 0 and term.unexcused >= 0
  boundary:
    # 0.1 * 30 is 3.0000000000000004 in floating point; the law's 10% of 30 days is 3.
    when: longest_run.unexcused >= 0.1 * 30
`

func load(t *testing.T, src string) *policy.Pack {
	t.Helper()
	p, err := policy.Load([]byte(src), "test.yaml")
	require.NoError(t, err)
	return p
}

func d(s string) calendar.Date { return calendar.MustParseDate(s) }

func ev(date, code string, minutes int) history.Event {
	return history.Event{Date: d(date), Code: code, Minutes: minutes}
}

func hist(t *testing.T, years []calendar.Year, events []history.Event, done ...history.Intervention) *history.History {
	t.Helper()
	if years == nil {
		years = []calendar.Year{testcal.Year2425(400)}
	}
	cal, err := calendar.New(years...)
	require.NoError(t, err)
	return &history.History{Student: history.Student{ID: "T1"}, Calendar: cal, Events: events, Interventions: done}
}

func evaluate(p *policy.Pack, h *history.History, asOf string) (escalation.Evaluation, []classify.Result) {
	at := d(asOf)
	res := classify.Classify(p, h, at)
	return escalation.Evaluate(escalation.Input{Version: p.At(at), History: h, Results: res, AsOf: at}), res
}

func get(t *testing.T, f escalation.Facts, name string) float64 {
	t.Helper()
	v, ok := f.Get(name)
	require.True(t, ok, "no fact %q", name)
	return v
}

func TestCountsAndWindows(t *testing.T) {
	y := testcal.Year2425(400)
	y.Terms = []calendar.Term{{Name: "S1", FirstDay: d("2024-08-26"), LastDay: d("2024-09-30")}, {Name: "S2", FirstDay: d("2024-10-01"), LastDay: d("2025-01-17")}}
	h := hist(t, []calendar.Year{y}, []history.Event{
		ev("2024-09-03", "UNX", 0),
		ev("2024-09-04", "UNX", 0),
		ev("2024-09-04", "UNX", 0), // the same again: counted once
		ev("2024-09-05", "OSS", 0),
		ev("2024-09-06", "TDY", 45),
		ev("2024-09-09", "TDY", 20),
		ev("2024-09-10", "UNX", 200), // half a day
		ev("2024-10-01", "UNX", 0),
		ev("2024-10-02", "EXC", 0),
	})
	out, res := evaluate(load(t, countsPack), h, "2024-10-04")
	require.Empty(t, out.Errors)
	f := out.Facts
	// Sep 3, 4, 5 (OSS is unexcused), half of Sep 10, Oct 1.
	assert.Equal(t, 4.5, get(t, f, "unexcused"))
	assert.Equal(t, 5.0, get(t, f, "unexcused_occ"), "school days with any unexcused event")
	assert.Equal(t, 1800.0, get(t, f, "unexcused_min"), "4 x 400 + 200")
	assert.Equal(t, 23.333333, get(t, f, "no_excuse_hours"), "(400 + 400 + 200 + 400) / 60, the suspension left out")
	assert.Equal(t, 1.0, get(t, f, "late_30"), "one tardy over 30 minutes")
	assert.Equal(t, 29.0, get(t, f, "school_days"))
	assert.Equal(t, 5.5, get(t, f, "absent_days"), "the excused day counts as absent too")
	assert.Equal(t, 23.5, get(t, f, "present_days"))
	assert.Equal(t, 0.810345, get(t, f, "attendance_rate"), "23.5 / 29")
	assert.Equal(t, 1.0, get(t, f, "month.unexcused"), "October 1-4: Oct 1")
	assert.Equal(t, 3.5, get(t, f, "max_month.unexcused"), "September: 3 + 0.5")
	assert.Equal(t, 0.0, get(t, f, "previous(3).unexcused"), "Oct 2-4")
	assert.Equal(t, 1.0, get(t, f, "previous(4).unexcused"), "Oct 1-4")
	assert.Equal(t, 0.0, get(t, f, "previous_days(3).unexcused"), "Oct 2-4")
	assert.Equal(t, 1.0, get(t, f, "previous_days(4).unexcused"), "Oct 1-4")
	assert.Equal(t, 3.0, get(t, f, "longest_run.unexcused"), "Sep 3, 4, 5")
	assert.Equal(t, 13.333333, get(t, f, "longest_run.no_excuse_hours"), "Sep 3-4; the suspension on Sep 5 breaks the run")
	assert.Equal(t, 3.0, get(t, f, "max_window(3).unexcused"), "Sep 3-5")
	assert.Equal(t, 3.5, get(t, f, "max_days(10).unexcused"), "Sep 3-12")
	assert.Equal(t, 4.5, get(t, f, "enrolled.unexcused"))
	assert.Equal(t, 1.0, get(t, f, "term.unexcused"), "term S2 from Oct 1")

	assert.Equal(t, 0.0, res[2].Days, "the duplicate adds nothing")
	assert.Contains(t, res[2].Notes[len(res[2].Notes)-1].Text, "duplicate of event 2")
	var ids []string
	for _, ds := range out.Designations {
		ids = append(ids, ds.ID)
	}
	assert.Equal(t, []string{"reads", "boundary"}, ids, "3 >= 0.1 * 30 holds exactly")
}

const ladderPack = `
pack: ladder-test
codes:
  UNX: {status: absent, excuse: unexcused}
counts:
  unexcused: {when: excuse == "unexcused"}
ladder:
  notice:
    when: month.unexcused >= 2
    latch: true
    because: "{{month.unexcused}} unexcused days this month"
  notice-unlatched:
    when: month.unexcused >= 2
  review:
    after: [notice]
    outcomes: [progressing, failed]
    when: done("notice") and days_since("notice") >= 10 and school_days_since("notice") >= 7 and times_done("notice") == 1
  court:
    after: [review]
    when: outcome("review") == "failed"
`

func dueIDs(ev escalation.Evaluation) []string {
	out := []string{}
	for _, d := range ev.Due {
		out = append(out, d.Step)
	}
	return out
}

func TestLatch(t *testing.T) {
	p := load(t, ladderPack)
	h := hist(t, nil, []history.Event{ev("2024-09-03", "UNX", 0), ev("2024-09-04", "UNX", 0)})
	out, _ := evaluate(p, h, "2024-09-30")
	assert.Equal(t, []string{"notice", "notice-unlatched"}, dueIDs(out), "2 unexcused days in September")
	out, _ = evaluate(p, h, "2024-10-04")
	require.Equal(t, []string{"notice"}, dueIDs(out), "October has none: only the latched step stays due")
	assert.True(t, out.Due[0].Latched)
	assert.Equal(t, d("2024-09-04"), out.Due[0].Since, "the trigger first held on the second absence")
	assert.Equal(t, "2 unexcused days this month", out.Due[0].Because, "explained with the facts of the day it held")
}

func TestStepFunctionsAndOutcomes(t *testing.T) {
	p := load(t, ladderPack)
	events := []history.Event{ev("2024-09-03", "UNX", 0), ev("2024-09-04", "UNX", 0)}
	notice := history.Intervention{Step: "notice", Date: d("2024-09-05")}

	// Saturday 09-14 is 9 days after the notice: not yet.
	out, _ := evaluate(p, hist(t, nil, events, notice), "2024-09-14")
	assert.Equal(t, []string{"notice-unlatched"}, dueIDs(out))
	// Monday 09-16: 11 days, and school days 09-06, 09-09..13, 09-16 = 7.
	out, _ = evaluate(p, hist(t, nil, events, notice), "2024-09-16")
	assert.Equal(t, []string{"notice-unlatched", "review"}, dueIDs(out))

	review := history.Intervention{Step: "review", Date: d("2024-09-16"), Outcome: "failed", OutcomeDate: d("2024-09-20")}
	out, _ = evaluate(p, hist(t, nil, events, notice, review), "2024-09-19")
	assert.Equal(t, []string{"notice-unlatched"}, dueIDs(out), "the outcome is not seen before its date")
	out, _ = evaluate(p, hist(t, nil, events, notice, review), "2024-09-20")
	assert.Equal(t, []string{"notice-unlatched", "court"}, dueIDs(out))
}

func TestStepsCountPerSchoolYear(t *testing.T) {
	p := load(t, ladderPack)
	next := calendar.Year{FirstDay: d("2025-08-25"), LastDay: d("2026-06-05"), Closed: []calendar.Date{d("2025-09-01")}, MinutesPerDay: 400}
	h := hist(t, []calendar.Year{testcal.Year2425(400), next},
		[]history.Event{ev("2024-09-03", "UNX", 0), ev("2024-09-04", "UNX", 0), ev("2025-09-02", "UNX", 0), ev("2025-09-03", "UNX", 0)},
		history.Intervention{Step: "notice", Date: d("2024-09-05")})
	out, _ := evaluate(p, h, "2025-09-05")
	assert.Contains(t, dueIDs(out), "notice", "last year's notice does not stop this year's")
}

func TestLoadChecksStepNamesAndWindows(t *testing.T) {
	bad := `pack: bad
codes: {UNX: {status: absent, excuse: unexcused}}
counts: {unexcused: {when: excuse == "unexcused"}}
ladder:
  notice:
    when: unexcused >= 2
  a:
    when: since("notcie").unexcused > 0
  b:
    when: previous(n).unexcused > 0
  c:
    when: month.unexcsed > 0
  e:
    when: unexcused > 1 # a comment
`
	_, err := policy.Load([]byte(bad), "bad.yaml")
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, `bad.yaml:8:17: step a: when: since: unknown step "notcie" (did you mean "notice"?)`)
	assert.Contains(t, msg, `bad.yaml:10:20: step b: when: previous needs a whole number from 1 to 3660 written in the expression`)
	assert.Contains(t, msg, `bad.yaml:12:17: step c: when: unknown count "unexcsed" (did you mean "unexcused"?)`)
	assert.Contains(t, msg, `bad.yaml:14:11: step e: when: YAML read "# a comment" as a comment, cutting the expression short; quote the expression`)
}

// A deadline in absences: due by the first day a count reaches a number ("not later than
// the seventh unexcused absence in a month").
func TestDeadlineByCount(t *testing.T) {
	p := load(t, `
pack: deadline-by-count
codes: {UNX: {status: absent, excuse: unexcused}}
counts: {unexcused: {when: excuse == "unexcused"}}
ladder:
  agreement:
    when: month.unexcused >= 5
    latch: true
    deadline: {when: month.unexcused >= 7}
`)
	// UNX on school days 15-22: Sep 16-20 and 23-25; the 5th is Sep 20, the 7th Sep 24
	var evs []history.Event
	for _, day := range []string{"2024-09-16", "2024-09-17", "2024-09-18", "2024-09-19", "2024-09-20", "2024-09-23", "2024-09-24", "2024-09-25"} {
		evs = append(evs, ev(day, "UNX", 0))
	}
	out, _ := evaluate(p, hist(t, nil, evs[:5]), "2024-09-20")
	require.Len(t, out.Due, 1)
	assert.True(t, out.Due[0].DueBy.IsZero(), "the 7th has not happened")
	out, _ = evaluate(p, hist(t, nil, evs), "2024-09-25")
	require.Len(t, out.Due, 1)
	assert.Equal(t, d("2024-09-24"), out.Due[0].DueBy)
	assert.True(t, out.Due[0].Overdue)
}

// A trigger that reads the steps done is judged on past dates with the steps done by
// each date, not with none: its since is the first day it held.
func TestTriggerReadingStepsOnPastDates(t *testing.T) {
	p := load(t, `
pack: steps-test
codes:
  UNX: {status: absent, excuse: unexcused}
counts:
  unexcused: {when: excuse == "unexcused"}
ladder:
  first-letter:
    when: unexcused >= 2
  second-letter:
    after: [first-letter]
    when: '"first-letter" in steps and unexcused >= 3'
`)
	// Tue 09-03 and Wed 09-04 absent; the first letter on Thu 09-05; absent again Fri
	// 09-06 (the 3rd day: the second letter's trigger holds from then) and Mon 09-09.
	h := hist(t, nil, []history.Event{ev("2024-09-03", "UNX", 0), ev("2024-09-04", "UNX", 0), ev("2024-09-06", "UNX", 0), ev("2024-09-09", "UNX", 0)},
		history.Intervention{Step: "first-letter", Date: d("2024-09-05")})
	out, _ := evaluate(p, h, "2024-09-13")
	require.Equal(t, []string{"second-letter"}, dueIDs(out))
	assert.Equal(t, d("2024-09-06"), out.Due[0].Since, "it first held on the third absence, after the first letter")
}
