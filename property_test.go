package rollcall

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/codes"
	"github.com/rollcall-go/rollcall/policy"
)

// Properties over generated histories, on every shipped pack: every input event comes
// out exactly once; the order of the input does not change any decision; runs are
// deterministic whatever the parallelism; re-coding one absence changes nothing on the
// dates before it.

var shippedPacks = []string{"illinois", "cps", "il-roe-sop", "ohio", "ccs", "pennsylvania", "washington"}

// genHistory makes a history of n events under the codes of pack p, with duplicates,
// conflicts, partial days, documents present and missing, and the pack's steps done.
func genHistory(t testing.TB, r *rand.Rand, p *policy.Pack, n int) *History {
	cal := cal2425(t)
	v := p.At(cal.First())
	var ids []string
	for _, c := range v.Codes.All() {
		ids = append(ids, c.ID)
	}
	docs := make([]string, 0, len(v.Documents))
	for _, d := range v.Documents {
		docs = append(docs, d.ID)
	}
	h := &History{Student: Student{ID: "G1", BirthDate: d("2012-05-01"), Grade: "7"}, Calendar: cal}
	if len(ids) == 0 {
		return h
	}
	days := cal.SchoolDays(cal.First(), cal.Last())
	for range n {
		day, _ := cal.Day(r.IntN(days))
		ev := Event{Date: day, Code: ids[r.IntN(len(ids))], Comment: "generated"}
		if code, _ := v.Codes.Lookup(ev.Code); code.Span != codes.FullDay || r.IntN(5) == 0 {
			ev.Minutes = 1 + r.IntN(cal.Minutes(day)-1)
		}
		for range r.IntN(3) {
			if len(docs) > 0 {
				ev.Documents = append(ev.Documents, docs[r.IntN(len(docs))])
			}
		}
		if r.IntN(10) == 0 {
			ev.Occurrence = fmt.Sprintf("o%d", r.IntN(3))
		}
		h.Events = append(h.Events, ev)
		if r.IntN(8) == 0 { // a duplicate
			h.Events = append(h.Events, ev)
		}
	}
	for _, s := range v.Steps {
		if r.IntN(3) == 0 {
			day, _ := cal.Day(r.IntN(days))
			iv := Intervention{Step: s.ID, Date: day}
			if len(s.Outcomes) > 0 && r.IntN(2) == 0 {
				iv.Outcome = s.Outcomes[r.IntN(len(s.Outcomes))]
			}
			h.Interventions = append(h.Interventions, iv)
		}
	}
	return h
}

// decisions is what must not depend on the input's order: each event's decision,
// keyed by its date and code (a repeated event keeps one entry), and the facts and
// steps due.
func decisions(t testing.TB, ev *Evaluation) string {
	var ds []string
	for _, c := range ev.Events {
		m := slices.Clone(c.MissingDocuments)
		slices.Sort(m)
		ds = append(ds, fmt.Sprintf("%s %s %s %s %v %t", c.Date, c.Code, c.EffectiveCode, c.Excuse, m, c.Rejected != ""))
	}
	slices.Sort(ds)
	ds = slices.Compact(ds) // a repeated event is kept once
	var due []string
	for _, d := range ev.Due {
		due = append(due, d.Step+"@"+d.Since.String())
	}
	facts, err := json.Marshal(ev.Facts)
	require.NoError(t, err)
	out, err := json.Marshal(struct {
		D     []string
		Due   []string
		Facts json.RawMessage
	}{ds, due, facts})
	require.NoError(t, err)
	return string(out)
}

func TestPropertiesOnGeneratedHistories(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for _, name := range shippedPacks {
		e := engine(t, name)
		for k := range 40 {
			h := genHistory(t, r, e.Pack(), 5+r.IntN(40))
			asOf := d("2025-03-14")
			ev, err := e.Evaluate(h, asOf)
			if ev == nil {
				t.Fatalf("%s #%d: no evaluation: %v", name, k, err)
			}
			// accounting: events in = events out, each classified or rejected with a reason
			require.Len(t, ev.Events, len(h.Events), "%s #%d", name, k)
			for i, c := range ev.Events {
				assert.Equal(t, h.Events[i].Date, c.Date, "%s #%d event %d keeps its place", name, k, i)
				if c.Rejected == "" {
					assert.NotEmpty(t, c.Excuse, "%s #%d event %d is decided", name, k, i)
				}
			}
			// order independence
			want := decisions(t, ev)
			shuffled := *h
			shuffled.Events = slices.Clone(h.Events)
			r.Shuffle(len(shuffled.Events), func(i, j int) { shuffled.Events[i], shuffled.Events[j] = shuffled.Events[j], shuffled.Events[i] })
			ev2, _ := e.Evaluate(&shuffled, asOf)
			require.NotNil(t, ev2)
			assert.Equal(t, want, decisions(t, ev2), "%s #%d: the input's order changed a decision", name, k)
			// one school day is at most one day
			perDay := map[calendar.Date]float64{}
			for _, c := range ev.Events {
				perDay[c.Date] += c.Days
			}
			for day, days := range perDay {
				if !assert.LessOrEqual(t, days, 1.0+1e-9, "%s #%d: %s counts %v days", name, k, day, days) {
					for i, c := range ev.Events {
						if c.Date == day {
							t.Logf("event %d: %s %s %s minutes %d days %v (input minutes %d) notes %v", i, c.Code, c.Status, c.Excuse, c.Minutes, c.Days, h.Events[i].Minutes, c.Notes)
						}
					}
				}
			}
		}
	}
}

func TestRecodingChangesNothingBefore(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for _, name := range []string{"il-roe-sop", "ccs"} {
		e := engine(t, name)
		v := e.Pack().At(d("2024-08-26"))
		var whole []string
		for _, c := range v.Codes.All() {
			if c.Status == codes.Absent && c.Span == codes.FullDay {
				whole = append(whole, c.ID)
			}
		}
		for k := range 30 {
			h := genHistory(t, r, e.Pack(), 20)
			asOf := d("2025-03-14")
			before, _ := e.Evaluate(h, asOf)
			require.NotNil(t, before)
			i := r.IntN(len(h.Events))
			if h.Events[i].Minutes != 0 {
				continue
			}
			changed := *h
			changed.Events = slices.Clone(h.Events)
			changed.Events[i].Code = whole[r.IntN(len(whole))]
			after, _ := e.Evaluate(&changed, asOf)
			require.NotNil(t, after)
			for j, c := range after.Events {
				if c.Date.Before(h.Events[i].Date) {
					assert.Equal(t, before.Events[j].Excuse, c.Excuse, "%s #%d: re-coding event %d changed event %d before it", name, k, i, j)
					assert.Equal(t, before.Events[j].EffectiveCode, c.EffectiveCode)
				}
			}
		}
	}
}

// Many goroutines share one Engine while others load packs: the same answers, no race.
func TestDeterministicAcrossGoroutines(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	e := engine(t, "il-roe-sop")
	var hs []*History
	var want []string
	for range 16 {
		h := genHistory(t, r, e.Pack(), 30)
		ev, _ := e.Evaluate(h, d("2025-03-14"))
		out, err := json.Marshal(ev)
		require.NoError(t, err)
		hs, want = append(hs, h), append(want, string(out))
	}
	prev := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(prev)
	for _, procs := range []int{1, 2, 8} {
		runtime.GOMAXPROCS(procs)
		var wg sync.WaitGroup
		errs := make(chan string, 64)
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i, h := range hs {
					ev, _ := e.Evaluate(h, d("2025-03-14"))
					out, _ := json.Marshal(ev)
					if string(out) != want[i] {
						errs <- fmt.Sprintf("GOMAXPROCS %d goroutine %d history %d differs", procs, g, i)
					}
				}
			}()
		}
		for range 4 { // others load packs meanwhile
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, name := range shippedPacks {
					if _, err := policy.Embedded(name); err != nil {
						errs <- err.Error()
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for msg := range errs {
			t.Error(msg)
		}
	}
}
