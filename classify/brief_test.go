package classify_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/classify"
	"github.com/rollcall-go/rollcall/history"
	"github.com/rollcall-go/rollcall/internal/district"
	"github.com/rollcall-go/rollcall/policy"
)

// Brief changes nothing but the notes: on generated districts of every shipped pack,
// at several dates, every field of every result is the same with it and without it.
func TestBriefDecidesTheSame(t *testing.T) {
	drawn := 0
	for _, name := range policy.Names() {
		p, err := policy.Embedded(name)
		require.NoError(t, err)
		g, err := district.New(p, 11, 2)
		if err != nil {
			t.Logf("%s: not generated: %v", name, err) // the generator draws full-day absences
			continue
		}
		drawn++
		for range 150 {
			h := g.History(g.Next())
			addConflict(h)
			for _, asOf := range []calendar.Date{{}, h.Calendar.First().AddDays(60), h.Calendar.Last()} {
				full := classify.Classify(p, h, asOf)
				brief := classify.Classify(p, h, asOf, classify.Brief())
				require.Len(t, brief, len(full))
				for i := range full {
					assert.Empty(t, brief[i].Notes, "%s: student %s event %d", name, h.Student.ID, i)
					assert.Nil(t, brief[i].Env, "%s: student %s event %d", name, h.Student.ID, i)
					want := full[i]
					want.Notes, want.Env = brief[i].Notes, nil
					assert.Equal(t, want, brief[i], "%s: student %s event %d as of %s", name, h.Student.ID, i, asOf)
				}
			}
		}
	}
	assert.GreaterOrEqual(t, drawn, 5, "packs generated")
}

// addConflict records a second code on the day of the history's first event, and the
// first event again, so that the conflicts and duplicates are decided both ways too.
func addConflict(h *history.History) {
	if len(h.Events) == 0 {
		return
	}
	first := h.Events[0]
	h.Events = append(h.Events, first, history.Event{Date: first.Date, Code: h.Events[len(h.Events)-1].Code})
}
