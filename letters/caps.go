package letters

import (
	"math"
	"slices"
	"strconv"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/history"
	"github.com/rollcall-go/rollcall/policy"
)

// CapUse is how much of a cap a student has used as of a date.
type CapUse struct {
	Cap   string
	Used  float64 // in the cap's unit; per occurrence, the largest occurrence's
	Limit int
	Near  bool // at least the near fraction of the limit, below it
	At    bool // at the limit or past it
}

// DefaultNear is the fraction of a cap's limit from which a student is reported near
// it: 4 of 9 parent-authorized days, 2 of 3 days for a death of a relative.
const DefaultNear = 0.4

// CapUsage returns the student's use of each cap of v as of ev.AsOf, over the cap's
// period (the school year, the current term, or the largest occurrence): the days
// the cap's codes used it (documented ones, unless it counts all), and those past it.
func CapUsage(v *policy.Version, h *history.History, ev *rollcall.Evaluation, near float64) []CapUse {
	if h == nil || h.Calendar == nil || ev == nil {
		return nil
	}
	var out []CapUse
	for _, cp := range v.Caps {
		if cp.Limit <= 0 {
			continue
		}
		span := h.Calendar.YearToDate(ev.AsOf)
		if cp.Per == policy.PerTerm {
			span = h.Calendar.Term(ev.AsOf)
		}
		if span.From.IsZero() {
			continue
		}
		type use struct {
			date calendar.Date
			days float64
			mins int
			key  string
		}
		var uses []use
		for i, c := range ev.Events {
			// the classification says which caps an event counts toward: those it used
			// (by the cap's codes and condition, documented unless it counts all) and
			// those already spent when it came
			if c.Rejected != "" || c.Status != "absent" || !span.Contains(c.Date) || c.Date.After(ev.AsOf) ||
				!slices.Contains(cp.Codes, c.EffectiveCode) || !slices.Contains(c.Caps, cp.ID) {
				continue
			}
			key := ""
			if i < len(h.Events) {
				key = h.Events[i].Occurrence
			}
			uses = append(uses, use{date: c.Date, days: c.Days, mins: c.Minutes, key: key})
		}
		slices.SortFunc(uses, func(a, b use) int { return a.date.Compare(b.date) })
		groups := map[string]float64{}
		seenDay := map[string]map[calendar.Date]bool{}
		run, prev := 0, calendar.Date{}
		for _, u := range uses {
			g := ""
			if cp.Per == policy.PerOccurrence {
				g = u.key
				if g == "" { // consecutive school days make one occurrence
					if prev.IsZero() || h.Calendar.SchoolDays(prev.AddDays(1), u.date) > 1 {
						run++
					}
					g = "\x00run" + strconv.Itoa(run)
				}
			}
			prev = u.date
			switch cp.Unit {
			case policy.Days:
				groups[g] += u.days
			case policy.Minutes:
				groups[g] += float64(u.mins)
			default: // occasions: each school day once
				if seenDay[g] == nil {
					seenDay[g] = map[calendar.Date]bool{}
				}
				if !seenDay[g][u.date] {
					seenDay[g][u.date] = true
					groups[g]++
				}
			}
		}
		used := 0.0
		for _, n := range groups {
			used = max(used, n)
		}
		if used == 0 {
			continue
		}
		cu := CapUse{Cap: cp.ID, Used: used, Limit: cp.Limit}
		switch {
		case used >= float64(cp.Limit):
			cu.At = true
		case used >= math.Ceil(near*float64(cp.Limit)):
			cu.Near = true
		default:
			continue
		}
		out = append(out, cu)
	}
	return out
}
