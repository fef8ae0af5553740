package classify_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/classify"
	"github.com/rollcall-go/rollcall/history"
	"github.com/rollcall-go/rollcall/internal/testcal"
	"github.com/rollcall-go/rollcall/policy"
)

// Expectations are counted by hand on the shared 2024-25 calendar (testcal.Year2425,
// 400 minutes a day): 2024-09-03 is a Tuesday after Labor Day; 09-06 is a Friday.

const pack = `
pack: classify-test
documents:
  medical-note: {name: Medical note}
  obituary: {name: Obituary}
  reasonable-cause: {name: Reasonable cause}
codes:
  UNX: {status: absent, excuse: unexcused}
  EXC: {status: absent, excuse: excused}
  MED: {status: absent, excuse: excused, documents: medical-note}
  DOR: {status: absent, excuse: excused, documents: obituary}
  LTA: {status: absent, excuse: unexcused, span: late-arrival}
  ELU: {status: absent, excuse: unexcused, span: early-leave}
counts:
  absent: {when: status == "absent"}
caps:
  death:
    codes: [DOR]
    limit: 3
    per: occurrence
    counts: all
    past: {require: reasonable-cause}
deadlines:
  documentation:
    when: excuse == "unverified"
    school_days: 2
    from: return
    then: {excuse: unexcused, note: The documentation was not received in time.}
`

func load(t *testing.T) *policy.Pack {
	t.Helper()
	p, err := policy.Load([]byte(pack), "classify-test.yaml")
	require.NoError(t, err)
	return p
}

func d(s string) calendar.Date { return calendar.MustParseDate(s) }

func hist(t *testing.T, events ...history.Event) *history.History {
	t.Helper()
	cal, err := calendar.New(testcal.Year2425(400))
	require.NoError(t, err)
	return &history.History{Student: history.Student{ID: "C1"}, Calendar: cal, Events: events}
}

// A duplicate is the event it repeats as the day settled it: both MED rows of a day with
// a UNX say unexcused (the conflict), the duplicate counting nothing. Its Env is its
// own, saying what its result does.
func TestDuplicateIsItsEventAsSettled(t *testing.T) {
	med := history.Event{Date: d("2024-09-03"), Code: "MED"}
	res := classify.Classify(load(t), hist(t, med, med, history.Event{Date: d("2024-09-03"), Code: "UNX"}), d("2024-09-03"))
	require.Len(t, res, 3)
	for i, r := range res {
		assert.Equal(t, "unexcused", r.Excuse, "event %d", i+1)
		require.NotNil(t, r.Env)
		assert.Equal(t, "unexcused", r.Env.Excuse, "event %d", i+1)
	}
	assert.NotSame(t, res[0].Env, res[1].Env)
	assert.Equal(t, 0.0, res[1].Days, "the duplicate counts nothing")
	assert.Equal(t, []float64{0}, res[1].Counts)
	assert.Equal(t, 1.0, res[0].Days+res[2].Days, "the day counts once")
	assert.Contains(t, res[1].Notes[len(res[1].Notes)-1].Text, "duplicate of event 1")
}

func TestConflictingWholeDayCodesCountOnceWhateverTheOrder(t *testing.T) {
	p := load(t)
	a := history.Event{Date: d("2024-09-03"), Code: "UNX"}
	b := history.Event{Date: d("2024-09-03"), Code: "EXC"}
	for _, order := range [][]history.Event{{a, b}, {b, a}} {
		res := classify.Classify(p, hist(t, order...), d("2024-09-03"))
		days := 0.0
		for _, r := range res {
			assert.Empty(t, r.Rejected)
			assert.Equal(t, "unexcused", r.Excuse, "%s: a conflict counts as not excused (the worse of the two)", r.Code)
			assert.Contains(t, r.Notes[len(r.Notes)-1].Text, "two whole-day codes for one day")
			days += r.Days
		}
		assert.Equal(t, 1.0, days, "one school day is at most one day")
	}
}

func TestPartialAbsencesAddUpToTheDay(t *testing.T) {
	res := classify.Classify(load(t), hist(t,
		history.Event{Date: d("2024-09-03"), Code: "LTA", Minutes: 300},
		history.Event{Date: d("2024-09-03"), Code: "ELU", Minutes: 200}), d("2024-09-03"))
	// ELU sorts first: 200 minutes; LTA is left the day's other 200.
	assert.Equal(t, 200, res[1].Minutes)
	assert.Equal(t, 200, res[0].Minutes)
	assert.Equal(t, 0.5, res[0].Days)
	assert.Equal(t, []float64{0.5}, res[0].Counts, "the count follows the trimmed minutes")
}

func TestDocumentationDeadlineFromReturn(t *testing.T) {
	p := load(t)
	h := hist(t, history.Event{Date: d("2024-09-03"), Code: "MED"}, history.Event{Date: d("2024-09-04"), Code: "MED"})
	// Back on Thu 09-05; two school days after it is Mon 09-09.
	res := classify.Classify(p, h, d("2024-09-09"))
	assert.Equal(t, "unverified", res[0].Excuse, "on the deadline the note may still come")
	res = classify.Classify(p, h, d("2024-09-10"))
	assert.Equal(t, "unexcused", res[0].Excuse)
	assert.Equal(t, []string{"medical-note"}, res[0].MissingDocuments, "what would have excused it is still listed")
	last := res[0].Notes[len(res[0].Notes)-1]
	assert.Equal(t, "deadline documentation", last.Source)
	assert.Contains(t, last.Text, "due by 2024-09-09")
	// Still absent on the as-of date: not returned, no deadline yet.
	h2 := hist(t, history.Event{Date: d("2024-09-03"), Code: "MED"}, history.Event{Date: d("2024-09-04"), Code: "MED"}, history.Event{Date: d("2024-09-05"), Code: "UNX"})
	assert.Equal(t, "unverified", classify.Classify(p, h2, d("2024-09-05"))[0].Excuse)
}

func TestCapPerOccurrenceKey(t *testing.T) {
	ev := func(date, key string) history.Event {
		return history.Event{Date: d(date), Code: "DOR", Documents: []string{"obituary"}, Occurrence: key}
	}
	res := classify.Classify(load(t), hist(t,
		ev("2024-09-03", "grandmother"), ev("2024-09-10", "grandmother"), ev("2024-09-17", "grandmother"),
		ev("2024-09-24", "grandmother"), ev("2024-10-01", "uncle")), d("2024-09-26"))
	for i := range 3 {
		assert.Equal(t, "excused", res[i].Excuse, "day %d of the grandmother's death, not consecutive", i+1)
	}
	assert.Equal(t, "unverified", res[3].Excuse, "a 4th day of one death needs reasonable cause (its deadline, 09-27, has not passed)")
	assert.Equal(t, []string{"reasonable-cause"}, res[3].MissingDocuments)
	assert.Equal(t, "excused", res[4].Excuse, "another death is another occurrence")
}

func TestCapWithoutKeyCountsConsecutiveDays(t *testing.T) {
	ev := func(date string) history.Event {
		return history.Event{Date: d(date), Code: "DOR", Documents: []string{"obituary"}}
	}
	// Fri 09-06 and Mon 09-09 are consecutive school days; 09-12 starts another run.
	res := classify.Classify(load(t), hist(t, ev("2024-09-04"), ev("2024-09-05"), ev("2024-09-06"), ev("2024-09-09"), ev("2024-09-12")), d("2024-09-12"))
	got := []string{}
	for _, r := range res {
		got = append(got, r.Excuse)
	}
	assert.Equal(t, []string{"excused", "excused", "excused", "unverified", "excused"}, got)
}

// A day with an excused and an unexcused whole-day code counts once, as unexcused: in
// the counts the ladder reads and in the caps, not only in the events' excuse.
func TestConflictCountsAsNotExcusedInCountsAndCaps(t *testing.T) {
	p, err := policy.Load([]byte(`
pack: conflict-test
documents:
  medical-note: {name: Medical note}
  principal-approval: {name: Principal's approval}
codes:
  UNX: {status: absent, excuse: unexcused}
  MED: {status: absent, excuse: excused, documents: medical-note}
counts:
  excused: {when: excuse == "excused"}
  unexcused: {when: excuse == "unexcused"}
caps:
  medical:
    codes: [MED]
    limit: 1
    past: {require: principal-approval}
`), "conflict-test.yaml")
	require.NoError(t, err)
	med := func(date string) history.Event {
		return history.Event{Date: d(date), Code: "MED", Documents: []string{"medical-note"}}
	}
	// Tue 09-03: a documented MED and a UNX; Wed 09-04 and Thu 09-05: documented MEDs.
	res := classify.Classify(p, hist(t, med("2024-09-03"), history.Event{Date: d("2024-09-03"), Code: "UNX"}, med("2024-09-04"), med("2024-09-05")), d("2024-09-05"))
	require.Len(t, res, 4)
	var sum [2]float64
	for _, r := range res[:2] {
		assert.Equal(t, "unexcused", r.Excuse, r.Code)
		sum[0] += r.Counts[0]
		sum[1] += r.Counts[1]
	}
	assert.Equal(t, [2]float64{0, 1}, sum, "09-03 adds no excused day and one unexcused day")
	assert.Equal(t, "excused", res[2].Excuse, "09-03 did not use the one MED day of the cap")
	assert.Equal(t, []float64{1, 0}, res[2].Counts)
	assert.Equal(t, "unverified", res[3].Excuse, "the second MED day is past the cap")
	assert.Equal(t, []string{"principal-approval"}, res[3].MissingDocuments)
	// Which caps each event counts toward: not the conflicting day, the one MED day
	// it used, and the day past it.
	assert.Empty(t, res[0].Caps)
	assert.Empty(t, res[1].Caps)
	assert.Equal(t, []string{"medical"}, res[2].Caps)
	assert.Equal(t, []string{"medical"}, res[3].Caps)
}
