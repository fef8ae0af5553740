package letters

import (
	"slices"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/history"
	"github.com/rollcall-go/rollcall/policy"
)

// absencesBehind returns the events (indices into ev.Events, in date order) behind the
// counts step's trigger reads, each over its window as of ev.AsOf: the absences a
// letter names. The largest-window reads (max_month, max_window, longest_run) take the
// school year's, as an explanation does.
func absencesBehind(v *policy.Version, h *history.History, ev *rollcall.Evaluation, step *policy.Step) []int {
	if step == nil || step.When == nil || h.Calendar == nil {
		return nil
	}
	seen := map[int]bool{}
	for _, rd := range step.When.Reads() {
		if rd.Func != "" || (rd.Count < 0 && rd.Measure != "absent_days") {
			continue
		}
		from, to, ok := window(v, h, ev.AsOf, rd.Window)
		if !ok {
			continue
		}
		for i, c := range ev.Events {
			if c.Rejected != "" || c.Date.Before(from) || c.Date.After(to) {
				continue
			}
			if rd.Count >= 0 && rd.Count < len(c.Counts) && c.Counts[rd.Count] > 0 ||
				rd.Count < 0 && c.Status == "absent" && c.Days > 0 {
				seen[i] = true
			}
		}
	}
	out := make([]int, 0, len(seen))
	for i := range seen {
		out = append(out, i)
	}
	slices.SortFunc(out, func(a, b int) int {
		if c := ev.Events[a].Date.Compare(ev.Events[b].Date); c != 0 {
			return c
		}
		return a - b
	})
	return out
}

// window returns the span of dates a window covers as of at.
func window(v *policy.Version, h *history.History, at calendar.Date, w policy.Window) (from, to calendar.Date, ok bool) {
	cal := h.Calendar
	year := cal.YearToDate(at)
	switch w.Kind {
	case policy.WindowMonth:
		m := cal.Month(at, v.SchoolMonth)
		return m.From, at, !m.From.IsZero()
	case policy.WindowTerm:
		t := cal.Term(at)
		return t.From, at, !t.From.IsZero()
	case policy.WindowPrevious:
		p := cal.EnrolledPrevious(h.Enrolment, at, w.N)
		return p.From, at, !p.From.IsZero()
	case policy.WindowPreviousDays:
		return at.AddDays(1 - w.N), at, true
	case policy.WindowEnrolled:
		return cal.First(), at, true
	case policy.WindowSince, policy.WindowWithin:
		var last calendar.Date
		for _, iv := range h.Interventions {
			if iv.Step == w.Step && !iv.Date.After(at) && iv.Date.After(last) && (year.From.IsZero() || !iv.Date.Before(year.From)) {
				last = iv.Date
			}
		}
		if last.IsZero() {
			return calendar.Date{}, calendar.Date{}, false
		}
		to = at
		if w.Kind == policy.WindowWithin {
			if end, ok := cal.After(last, w.N); ok && end.Before(at) {
				to = end
			}
		}
		return last.AddDays(1), to, true
	}
	return year.From, at, !year.From.IsZero()
}
