package rollcall

import (
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/escalation"
	"github.com/rollcall-go/rollcall/internal/testcal"
)

// Shared helpers for the facade's tests. Every expected value in the tests is worked
// out by hand from the seeds (/work/shared/seeds) and the calendar below; none is
// copied from the program's output.

// d parses a "YYYY-MM-DD" date; it panics on a bad one (tests only).
func d(s string) calendar.Date { return calendar.MustParseDate(s) }

// dateRange returns every date from a to b inclusive.
func dateRange(a, b string) []calendar.Date {
	var out []calendar.Date
	for x := d(a); !x.After(d(b)); x = x.AddDays(1) {
		out = append(out, x)
	}
	return out
}

// year2425 is the shared 2024-2025 school year (testcal.Year2425) at 400 minutes a day.
func year2425(half ...calendar.HalfDay) calendar.Year { return testcal.Year2425(400, half...) }

// year2526 is a second school year for caps that cross into a new year: Mon
// 2025-08-25 to Fri 2026-06-05, 400 minutes, closed on Labor Day 2025-09-01.
func year2526() calendar.Year {
	return calendar.Year{
		FirstDay:      d("2025-08-25"),
		LastDay:       d("2026-06-05"),
		Closed:        []calendar.Date{d("2025-09-01")},
		MinutesPerDay: 400,
	}
}

// newCalendar builds a calendar from years, failing the test on error.
func newCalendar(t testing.TB, years ...calendar.Year) *calendar.Calendar {
	t.Helper()
	c, err := calendar.New(years...)
	require.NoError(t, err)
	return c
}

var (
	cal2425Once = sync.OnceValues(func() (*calendar.Calendar, error) { return calendar.New(year2425()) })
	engines     sync.Map // pack name -> *Engine
)

// cal2425 is the shared 2024-2025 calendar (immutable, so shared by every test).
func cal2425(t testing.TB) *calendar.Calendar {
	t.Helper()
	c, err := cal2425Once()
	require.NoError(t, err)
	return c
}

// engine opens the embedded pack name once per test binary (an Engine is immutable).
func engine(t testing.TB, name string) *Engine {
	t.Helper()
	if e, ok := engines.Load(name); ok {
		return e.(*Engine)
	}
	e, err := Open(name)
	require.NoError(t, err, "open pack %s", name)
	engines.Store(name, e)
	return e
}

// historyOf is a history of student S1 on the 2024-2025 calendar, enrolled all year.
func historyOf(t testing.TB, events ...Event) *History {
	t.Helper()
	return &History{Student: Student{ID: "S1", Grade: "5"}, Calendar: cal2425(t), Events: events}
}

// ev is an event on date with code, the given documents and a comment (CCS asks a
// comment of almost every code; tests about comments set their own).
func ev(date, code string, docs ...string) Event {
	return Event{Date: d(date), Code: code, Documents: docs, Comment: "details given by the parent"}
}

// classify classifies h with pack name and fails the test on any error.
func classifyH(t testing.TB, pack string, h *History) *Classification {
	t.Helper()
	out, err := engine(t, pack).Classify(h, calendar.Date{})
	require.NoError(t, err)
	require.NotNil(t, out)
	require.Len(t, out.Events, len(h.Events), "one classification per input event")
	return out
}

// excuses lists the excuse of every classified event, in output order.
func excuses(c *Classification) []string {
	out := make([]string, len(c.Events))
	for i, e := range c.Events {
		out[i] = e.Excuse
	}
	return out
}

// noteFrom returns the notes whose Source is source.
func noteFrom(notes []Note, source string) []Note {
	var out []Note
	for _, n := range notes {
		if n.Source == source {
			out = append(out, n)
		}
	}
	return out
}

// hasNoteFrom reports whether some note's Source starts with prefix.
func hasNoteFrom(notes []Note, prefix string) bool {
	return slices.ContainsFunc(notes, func(n Note) bool {
		return len(n.Source) >= len(prefix) && n.Source[:len(prefix)] == prefix
	})
}

// schoolDaysFrom returns n consecutive school days of c starting on first (a school day).
func schoolDaysFrom(t testing.TB, c *calendar.Calendar, first string, n int) []calendar.Date {
	t.Helper()
	start := d(first)
	require.True(t, c.IsSchoolDay(start), "%s is a school day", first)
	out := []calendar.Date{start}
	for len(out) < n {
		next, ok := c.After(out[len(out)-1], 1)
		require.True(t, ok)
		out = append(out, next)
	}
	return out
}

// fact returns a fact by name from an evaluation's facts, failing the test when the
// pack has no such fact.
func fact(t testing.TB, f escalation.Facts, name string) float64 {
	t.Helper()
	v, ok := f.Get(name)
	require.True(t, ok, "no fact %q", name)
	return v
}
