package roster

import (
	"github.com/rollcall-go/rollcall/internal/safetext"

	"math"
	"strings"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/codes"
	"github.com/rollcall-go/rollcall/history"
)

// dayKey is one student's school day.
type dayKey struct {
	id   string
	date calendar.Date
}

// periodRec is one period (class meeting, section) record, kept until its day is
// rolled up.
type periodRec struct {
	src     Source
	school  string
	period  string
	ev      history.Event // the record as an event: date, code, comment, reason, documents
	present bool          // the SIS counts the record present (an Ed-Fi "In Attendance")
	minutes int           // the record's own length in minutes, when it gives one
	ref     EventRef
}

// addPeriod keeps a period record for the roll-up of its day.
func (r *Roster) addPeriod(src Source, id string, rec periodRec) {
	if _, ok := r.student(id, src); !ok {
		return
	}
	rec.src = src
	if rec.ref.School == "" {
		rec.ref.School = rec.school
	}
	if r.pending == nil {
		r.pending = map[dayKey][]periodRec{}
		r.periodsOf = map[string]map[string]bool{}
	}
	k := dayKey{id, rec.ev.Date}
	if _, ok := r.pending[k]; !ok {
		r.dayOrder = append(r.dayOrder, k)
	}
	r.pending[k] = append(r.pending[k], rec)
	if r.periodsOf[rec.school] == nil {
		r.periodsOf[rec.school] = map[string]bool{}
	}
	r.periodsOf[rec.school][rec.period] = true
}

// rollUp turns each student's period records of a day into events: none for a day that
// has a daily record (which says what the day was); otherwise one event for the
// absences (the code of most of the absent periods, the first of them on a tie), sized
// by the mapping's rule, one event for each code the pack counts present (a tardy to
// class), and one for each code the pack does not know (which the engine rejects at its
// first row).
func (r *Roster) rollUp() {
	spec := periodSpec{wholeDay: 1, below: true}
	if r.mapping != nil {
		spec = r.mapping.periods
	}
	daily := map[dayKey]bool{}
	for id, e := range r.byID {
		for _, ev := range e.History.Events {
			daily[dayKey{id, ev.Date}] = true
		}
	}
	for _, k := range r.dayOrder {
		recs := r.pending[k]
		e, ok := r.byID[k.id]
		if !ok || daily[k] {
			continue // a student left out, or a day a daily record tells
		}
		r.rollDay(e, k, recs, spec)
	}
	r.pending, r.dayOrder = nil, nil
}

func (r *Roster) rollDay(e *Entry, k dayKey, recs []periodRec, spec periodSpec) {
	var absent, present, unknown []periodRec
	seen := map[string]bool{} // periods already counted absent
	all := map[string]bool{}  // every period of the day the records name
	for _, rec := range recs {
		all[rec.period] = true
		c := r.packCode(rec.ev.Code, k.date)
		switch {
		case rec.present && (c == nil || c.Status == codes.Present):
			if c != nil {
				present = append(present, rec)
			}
		case c == nil && r.engine != nil:
			unknown = append(unknown, rec)
		case c != nil && c.Status == codes.Present:
			present = append(present, rec)
		case !seen[rec.period]:
			seen[rec.period] = true
			absent = append(absent, rec)
		}
	}
	// One event per code the pack counts present, and per code it does not know.
	for _, group := range [][]periodRec{present, unknown} {
		done := map[string]bool{}
		for _, rec := range group {
			if done[rec.ev.Code] {
				continue
			}
			done[rec.ev.Code] = true
			ev := rec.ev
			ev.Minutes = 0
			r.appendRolled(e, rec, ev)
		}
	}
	if len(absent) == 0 {
		return
	}
	school := absent[0].school
	cal := e.History.Calendar
	dayMin := 0
	if cal != nil {
		dayMin = cal.Minutes(k.date)
	}
	// The code of the day: the code of most absent periods, the first one on a tie.
	count := map[string]int{}
	for _, rec := range absent {
		count[rec.ev.Code]++
	}
	best := absent[0]
	for _, rec := range absent {
		if count[rec.ev.Code] > count[best.ev.Code] {
			best = rec
		}
	}
	ev := best.ev
	ev.Minutes = 0
	if dayMin == 0 {
		r.appendRolled(e, absent[0], ev) // not a school day: the engine says so, at the first row
		return
	}
	var share float64
	if spec.minutes {
		missed := 0
		for _, rec := range absent {
			m := rec.minutes
			if m == 0 {
				m = bellMinutes(spec.bell, school, rec.period)
			}
			if m == 0 {
				r.problem(rec.src, k.id, "%s: period %s of school %s is not in the bell schedule (periods.bell): its minutes are not counted",
					k.date, safetext.ShowID(rec.period), safetext.ShowID(school))
				continue
			}
			missed += m
		}
		if missed == 0 {
			return
		}
		share = float64(missed) / float64(dayMin)
	} else {
		// The periods of the day: the mapping's count for the school; else, when the
		// day's records list the periods attended too, those; else every period the
		// school's rows name.
		n := spec.perDay[school]
		if n == 0 {
			n = spec.perDay["*"]
		}
		if n == 0 && len(all) > len(seen) {
			n = len(all)
		}
		if n == 0 {
			n = max(len(r.periodsOf[school]), len(all))
		}
		if len(all) > n {
			n = len(all) // more periods than the day was said to have: the day has them all
		}
		share = float64(len(absent)) / float64(n)
	}
	switch {
	case share >= spec.wholeDay-1e-9:
		ev.Minutes = 0
	case spec.halfDay > 0 && share >= spec.halfDay-1e-9:
		ev.Minutes = max(1, int(math.Round(float64(dayMin)/2)))
	case spec.below:
		ev.Minutes = max(1, int(math.Round(share*float64(dayMin))))
	default:
		return // below half a day, and the mapping counts no less
	}
	if ev.Minutes >= dayMin {
		ev.Minutes = 0
	}
	r.appendRolled(e, absent[0], ev)
}

// bellMinutes returns a period's minutes from the bell schedule of school (or of "*").
func bellMinutes(bell map[string]map[string]int, school, period string) int {
	for _, s := range []string{school, "*"} {
		if m, ok := bell[s][period]; ok {
			return m
		}
		for p, m := range bell[s] {
			if strings.EqualFold(p, period) {
				return m
			}
		}
	}
	return 0
}

// appendRolled adds a rolled-up day to the student's history, placed at the row of rec.
func (r *Roster) appendRolled(e *Entry, rec periodRec, ev history.Event) {
	if e.History.Student.School == "" && rec.school != "" {
		e.History.Student.School = rec.school
	}
	e.History.Events = append(e.History.Events, ev)
	e.Sources = append(e.Sources, rec.src)
	ref := rec.ref
	ref.ArrivalTime, ref.DepartureTime = "", ""
	e.setRef(len(e.History.Events)-1, ref)
	r.Events++
}
