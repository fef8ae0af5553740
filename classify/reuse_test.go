package classify_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/classify"
	"github.com/rollcall-go/rollcall/history"
	"github.com/rollcall-go/rollcall/internal/district"
	"github.com/rollcall-go/rollcall/policy"
)

// A classification does not depend on the ones before it (a classifier's buffers, caps
// and year totals are reused): histories of packs mixed, classified in order, in
// reverse and on several goroutines at once, in full and brief, come out the same.
func TestClassificationsAreIndependent(t *testing.T) {
	type job struct {
		p     *policy.Pack
		h     *history.History
		asOf  calendar.Date
		brief bool
	}
	var jobs []job
	for _, name := range []string{"ccs", "il-roe-sop", "washington", "pennsylvania"} {
		p, err := policy.Embedded(name)
		require.NoError(t, err)
		g, err := district.New(p, 5, 2)
		require.NoError(t, err, name)
		for k := range 60 {
			h := g.History(g.Next())
			if k%3 == 0 {
				addConflict(h)
			}
			asOf := h.Calendar.Last()
			if k%2 == 0 {
				asOf = h.Calendar.First().AddDays(70)
			}
			jobs = append(jobs, job{p, h, asOf, k%4 == 1})
		}
	}
	run := func(j job) []classify.Result {
		if j.brief {
			return classify.Classify(j.p, j.h, j.asOf, classify.Brief())
		}
		return classify.Classify(j.p, j.h, j.asOf)
	}
	want := make([][]classify.Result, len(jobs))
	for i, j := range jobs {
		want[i] = run(j)
	}
	for i := len(jobs) - 1; i >= 0; i-- {
		require.Equal(t, want[i], run(jobs[i]), "in reverse: %s %s", jobs[i].p.Name, jobs[i].h.Student.ID)
	}
	got := make([][]classify.Result, len(jobs))
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := g; i < len(jobs); i += 4 {
				got[i] = run(jobs[i])
			}
		})
	}
	wg.Wait()
	for i, j := range jobs {
		require.Equal(t, want[i], got[i], "concurrently: %s %s", j.p.Name, j.h.Student.ID)
	}
}
