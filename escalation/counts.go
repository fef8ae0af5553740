package escalation

import (
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/classify"
	"github.com/rollcall-go/rollcall/history"
	"github.com/rollcall-go/rollcall/policy"
)

// point is one school day's contribution to a count.
type point struct {
	date  calendar.Date
	ord   int
	v     float64
	join  bool // the day joins a run of consecutive school days on its earlier side
	carry bool // the run continues past the day
}

// series is a count's days in date order, with prefix sums.
type series struct {
	pts    []point
	prefix []float64 // prefix[i] = sum of pts[:i]
}

// counter computes the facts of one student: the declared counts over windows, the
// calendar's measures, and the step functions. It is built once per evaluation; its
// buffers are reused from one evaluation to the next (see getCounter).
type counter struct {
	closed  calendar.Date // a case closed then (see classify.CaseClosed)
	byStep  []stepDone    // the interventions done, by step, in order of first date
	scratch policy.Facts  // reused by holdsOn
	v       *policy.Version
	h       *history.History
	asOf    calendar.Date
	count   []series // by count, then the absent days last
	done    []history.Intervention

	// buffers and caches of one evaluation
	order    []int           // the accepted events to asOf, in date order
	dayMin   []int           // the school minutes of each accepted event's day, by order
	evDates  []calendar.Date // the days of the counts, in order, each once
	ivDates  []calendar.Date // the dates of the interventions done and their outcomes
	dates    []calendar.Date // the dates a trigger that does not vary can change on (see candidatesFor)
	hasDates bool            // dates is computed
	cand     []calendar.Date // the candidates last returned
	seen     verdicts        // kept from one evaluation to the next
	monthsOf monthsMemo      // likewise
	age      ageMemo
}

// stepDone is the interventions of one step done up to the as-of date, in date order.
type stepDone struct {
	step  string
	whole bool // they count for the whole history (policy.Step.History)
	ivs   []history.Intervention
}

// monthsMemo is the school months of a calendar's year last asked for.
type monthsMemo struct {
	cal    *calendar.Calendar
	year   int
	rule   calendar.MonthRule
	months []calendar.Window
}

// ageMemo is the last date of a month and day found for ageOn: it depends on the
// school year alone, so it is kept from one evaluation to the next.
type ageMemo struct {
	md   string
	from calendar.Date
	day  calendar.Date
	ok   bool
}

var counters = sync.Pool{New: func() any { return new(counter) }}

// getCounter returns a counter of the facts of h as of asOf, with buffers reused from
// earlier evaluations; putCounter gives it back once nothing it returned is in use.
func getCounter(v *policy.Version, h *history.History, res []classify.Result, asOf calendar.Date) *counter {
	c := counters.Get().(*counter)
	c.reset(v, h, res, asOf)
	return c
}

func putCounter(c *counter) {
	c.v, c.h = nil, nil
	clear(c.done)
	for i := range c.byStep {
		clear(c.byStep[i].ivs)
	}
	c.scratch.Grade, c.scratch.Flags = "", nil
	clear(c.scratch.Texts)
	counters.Put(c)
}

// dayCap is the most one school day adds to a count in its unit.
func dayCap(u policy.Unit, dayMinutes int) float64 {
	switch u {
	case policy.Minutes:
		return float64(dayMinutes)
	case policy.Hours:
		return float64(dayMinutes) / 60
	}
	return 1
}

// newCounter returns a counter of its own, for a caller that keeps what it returns.
func newCounter(v *policy.Version, h *history.History, res []classify.Result, asOf calendar.Date) *counter {
	c := new(counter)
	c.reset(v, h, res, asOf)
	return c
}

// reset makes c the counter of the facts of h as of asOf.
func (c *counter) reset(v *policy.Version, h *history.History, res []classify.Result, asOf calendar.Date) {
	c.v, c.h, c.asOf, c.closed = v, h, asOf, calendar.Date{}
	c.hasDates, c.cand = false, c.cand[:0]
	if n := v.Slots[policy.ReadNumber]; cap(c.scratch.Values) >= n {
		c.scratch.Values = c.scratch.Values[:n]
	} else {
		c.scratch.Values = make([]float64, n)
	}
	if n := v.Slots[policy.ReadBool]; cap(c.scratch.Bools) >= n {
		c.scratch.Bools = c.scratch.Bools[:n]
	} else {
		c.scratch.Bools = make([]bool, n)
	}
	if n := v.Slots[policy.ReadText]; cap(c.scratch.Texts) >= n {
		c.scratch.Texts = c.scratch.Texts[:n]
	} else {
		c.scratch.Texts = make([]string, n)
	}
	c.scratch.Steps = nil

	order := c.order[:0]
	sorted := true
	for i := range res {
		r := &res[i]
		if r.Rejected == "" && !r.Date.After(asOf) {
			if n := len(order); n > 0 && r.Date.Before(res[order[n-1]].Date) {
				sorted = false
			}
			order = append(order, i)
		}
	}
	if !sorted {
		slices.SortStableFunc(order, func(a, b int) int { return res[a].Date.Compare(res[b].Date) })
	}
	c.order = order
	cal := h.Calendar
	c.dayMin = c.dayMin[:0]
	for _, i := range order {
		c.dayMin = append(c.dayMin, cal.Minutes(res[i].Date))
	}
	nc := len(v.Counts)
	if cap(c.count) >= nc+1 {
		c.count = c.count[:nc+1]
	} else {
		c.count = append(c.count[:cap(c.count)], make([]series, nc+1-cap(c.count))...)
	}
	for k := range c.count {
		c.count[k].pts = c.count[k].pts[:0]
	}
	c.evDates = c.evDates[:0]
	for j, i := range order {
		r := &res[i]
		dayMin := c.dayMin[j]
		whole := r.Minutes >= dayMin || r.Whole
		join := whole || r.Span == "late-arrival"
		carry := whole || r.Span == "early-leave"
		ord, counted := -1, false
		for k := range c.count {
			var val float64
			unit := policy.Days
			if k < nc {
				unit = v.Counts[k].Unit
				if k < len(r.Counts) {
					val = r.Counts[k]
				}
			} else if r.Status == "absent" {
				val = r.Days
			}
			if val == 0 {
				continue
			}
			counted = true
			s := &c.count[k]
			if n := len(s.pts); n > 0 && s.pts[n-1].date == r.Date {
				p := &s.pts[n-1]
				p.v = math.Min(p.v+val, dayCap(unit, dayMin))
				p.join, p.carry = p.join || join, p.carry || carry
				continue
			}
			if ord < 0 {
				ord = cal.Ordinal(r.Date)
			}
			s.pts = append(s.pts, point{date: r.Date, ord: ord, v: math.Min(val, dayCap(unit, dayMin)), join: join, carry: carry})
		}
		if n := len(c.evDates); counted && (n == 0 || c.evDates[n-1] != r.Date) {
			c.evDates = append(c.evDates, r.Date)
		}
	}
	for k := range c.count {
		s := &c.count[k]
		if cap(s.prefix) >= len(s.pts)+1 {
			s.prefix = s.prefix[:len(s.pts)+1]
		} else {
			s.prefix = make([]float64, len(s.pts)+1, 2*len(s.pts)+1)
		}
		s.prefix[0] = 0
		for i, p := range s.pts {
			s.prefix[i+1] = s.prefix[i] + p.v
		}
	}

	done := c.done[:0]
	sorted = true
	for _, iv := range h.Interventions {
		if !iv.Date.After(asOf) {
			if n := len(done); n > 0 && iv.Date.Before(done[n-1].Date) {
				sorted = false
			}
			done = append(done, iv)
		}
	}
	if !sorted {
		slices.SortStableFunc(done, func(a, b history.Intervention) int { return a.Date.Compare(b.Date) })
	}
	c.done = done
	for i := range c.byStep {
		c.byStep[i].ivs = c.byStep[i].ivs[:0]
	}
	c.byStep = c.byStep[:0]
	for _, iv := range done {
		sd := c.stepDone(iv.Step)
		if sd == nil {
			n := len(c.byStep)
			if n < cap(c.byStep) {
				c.byStep = c.byStep[:n+1]
			} else {
				c.byStep = append(c.byStep, stepDone{})
			}
			sd = &c.byStep[n]
			sd.step, sd.whole = iv.Step, false
			if s, ok := v.Step(iv.Step); ok {
				sd.whole = s.History
			}
		}
		sd.ivs = append(sd.ivs, iv)
	}
}

// stepDone returns the interventions of step, or nil when none was done.
func (c *counter) stepDone(step string) *stepDone {
	for i := range c.byStep {
		if c.byStep[i].step == step {
			return &c.byStep[i]
		}
	}
	return nil
}

// quickFacts fills the counter's scratch facts as of at with the given reads only (for
// judging a trigger on past dates) and returns them; they are good until the next call.
func (c *counter) quickFacts(at calendar.Date, reads []policy.Read, plain []string) *policy.Facts {
	f := &c.scratch
	f.Age, f.Grade, f.Flags, f.SchoolDay, f.Steps = 0, "", nil, 0, nil
	for _, name := range plain {
		switch name {
		case "steps":
			f.Steps = c.stepsDone(at)
		case "age":
			f.Age = c.h.Student.AgeOn(at)
		case "grade":
			f.Grade = c.h.Student.GradeLevel()
		case "flags":
			f.Flags = c.h.Student.FlagsOn(at)
		case "school_day":
			f.SchoolDay = c.h.Calendar.SchoolDays(c.yearSpan(at).from, at)
		}
	}
	c.fill(f, at, reads)
	return f
}

// sum adds series s over [from, to].
func (s *series) sum(from, to calendar.Date) float64 {
	if to.Before(from) {
		return 0
	}
	return s.prefix[s.after(to)] - s.prefix[s.from(from)]
}

// from returns the index of the first day on or after d.
func (s *series) from(d calendar.Date) int {
	lo, hi := 0, len(s.pts)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s.pts[m].date.Before(d) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// after returns the index of the first day after d.
func (s *series) after(d calendar.Date) int {
	lo, hi := 0, len(s.pts)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if !s.pts[m].date.After(d) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// span is a window of dates; an empty span has no days.
type span struct {
	from, to calendar.Date
	empty    bool
}

// round keeps 6 decimals, so sums of fractions compare as people expect.
func round(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// measure returns a count (k >= 0) or a builtin over sp.
func (c *counter) measure(k int, builtin string, sp span) float64 {
	if sp.empty || sp.to.Before(sp.from) {
		if builtin == "attendance_rate" {
			return 1
		}
		return 0
	}
	if k >= 0 {
		return round(c.count[k].sum(sp.from, sp.to))
	}
	switch builtin {
	case "calendar_days":
		return float64(sp.to.Sub(sp.from) + 1)
	case "absent_days":
		return round(c.count[len(c.v.Counts)].sum(sp.from, sp.to))
	}
	school := float64(c.h.Calendar.EnrolledDays(c.h.Enrolment, sp.from, sp.to))
	if builtin == "school_days" {
		return school
	}
	absent := c.count[len(c.v.Counts)].sum(sp.from, sp.to)
	switch builtin {
	case "present_days":
		return round(math.Max(0, school-absent))
	case "attendance_rate":
		if school == 0 {
			return 1
		}
		return round(math.Max(0, school-absent) / school)
	case "absence_rate":
		if school == 0 {
			return 0
		}
		return round(absent / school)
	}
	return 0
}

// yearSpan is the school year of at, to at (the whole calendar to at when at is in no
// school year).
func (c *counter) yearSpan(at calendar.Date) span {
	ytd := c.h.Calendar.YearToDate(at)
	from := ytd.From
	if from.IsZero() {
		from = c.h.Calendar.First()
	}
	if !c.closed.IsZero() && !c.closed.After(at) && !c.closed.Before(from) {
		from = c.closed.AddDays(1) // the case was closed this year: count from the next day
	}
	return span{from: from, to: at}
}

// scoped returns the interventions of step that count as of at: those on or before at,
// in at's school year unless the step's scope is the whole history, after a case was
// closed. It returns a part of the counter's own list: callers must not change it.
func (c *counter) scoped(step string, at calendar.Date) []history.Intervention {
	sd := c.stepDone(step)
	if sd == nil || len(sd.ivs) == 0 {
		return nil
	}
	ivs := sd.ivs
	hi := firstOnOrAfter(ivs, at.AddDays(1))
	var from calendar.Date
	if !sd.whole {
		from = c.h.Calendar.YearToDate(at).From // the first day of at's school year, or zero
	}
	if !c.closed.IsZero() && !c.closed.After(at) && !c.closed.Before(from) {
		from = c.closed.AddDays(1)
	}
	lo := 0
	if !from.IsZero() {
		lo = firstOnOrAfter(ivs[:hi], from)
	}
	return ivs[lo:hi]
}

// firstOnOrAfter returns the index of the first of ivs (in date order) on or after d.
func firstOnOrAfter(ivs []history.Intervention, d calendar.Date) int {
	lo, hi := 0, len(ivs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if ivs[m].Date.Before(d) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

func (c *counter) last(step string, at calendar.Date) (history.Intervention, bool) {
	ivs := c.scoped(step, at)
	if len(ivs) == 0 {
		return history.Intervention{}, false
	}
	return ivs[len(ivs)-1], true
}

// window returns the span of a window as of at.
func (c *counter) window(w policy.Window, at calendar.Date) span {
	cal := c.h.Calendar
	switch w.Kind {
	case policy.WindowMonth:
		if _, ok := cal.YearOf(at); !ok {
			return span{empty: true}
		}
		m := cal.Month(at, c.v.SchoolMonth)
		return span{from: m.From, to: at}
	case policy.WindowTerm:
		t := cal.Term(at)
		if t.From.IsZero() {
			return span{empty: true}
		}
		return span{from: t.From, to: at}
	case policy.WindowPrevious:
		p := cal.EnrolledPrevious(c.h.Enrolment, at, w.N)
		if p.Days == 0 {
			return span{empty: true}
		}
		return span{from: p.From, to: at}
	case policy.WindowPreviousDays:
		return span{from: at.AddDays(1 - w.N), to: at}
	case policy.WindowSince:
		iv, ok := c.last(w.Step, at)
		if !ok {
			return span{empty: true}
		}
		return span{from: iv.Date.AddDays(1), to: at}
	case policy.WindowWithin:
		iv, ok := c.last(w.Step, at)
		if !ok {
			return span{empty: true}
		}
		end, found := cal.After(iv.Date, w.N)
		if !found || end.After(at) {
			end = at
		}
		return span{from: iv.Date.AddDays(1), to: end}
	case policy.WindowEnrolled:
		return span{from: cal.First(), to: at}
	}
	return c.yearSpan(at)
}

// value computes one read as of at.
func (c *counter) value(r policy.Read, at calendar.Date) (float64, bool, string) {
	if r.Func == "age_on" {
		return float64(c.ageOn(r.Step, at)), false, ""
	}
	if r.Func != "" {
		ivs := c.scoped(r.Step, at)
		switch r.Func {
		case "done":
			return 0, len(ivs) > 0, ""
		case "times_done":
			return float64(len(ivs)), false, ""
		case "days_since":
			if len(ivs) == 0 {
				return -1, false, ""
			}
			return float64(at.Sub(ivs[len(ivs)-1].Date)), false, ""
		case "school_days_since":
			if len(ivs) == 0 {
				return -1, false, ""
			}
			return float64(c.h.Calendar.EnrolledDays(c.h.Enrolment, ivs[len(ivs)-1].Date.AddDays(1), at)), false, ""
		case "outcome":
			if len(ivs) == 0 {
				return 0, false, ""
			}
			return 0, false, ivs[len(ivs)-1].OutcomeSeen(at)
		}
	}
	k := r.Count
	switch r.Window.Kind {
	case policy.WindowMaxMonth:
		return c.maxMonth(k, r.Measure, at), false, ""
	case policy.WindowMaxWindow, policy.WindowMaxDays:
		return c.maxSliding(k, r.Measure, r.Window, at), false, ""
	case policy.WindowLongestRun:
		return c.longestRun(k, at), false, ""
	}
	return c.measure(k, r.Measure, c.window(r.Window, at)), false, ""
}

// months returns the school months of a year of the history's calendar. They are
// kept from one evaluation to the next: the students of a district share a calendar.
func (c *counter) months(year int) []calendar.Window {
	m := &c.monthsOf
	if m.cal != c.h.Calendar || m.year != year || m.rule != c.v.SchoolMonth || m.months == nil {
		*m = monthsMemo{cal: c.h.Calendar, year: year, rule: c.v.SchoolMonth, months: c.h.Calendar.Months(year, c.v.SchoolMonth)}
		if m.months == nil {
			m.months = []calendar.Window{}
		}
	}
	return m.months
}

// better keeps the larger value, or the smaller for a rate of attendance.
func better(measure string, have, v float64, first bool) float64 {
	if first {
		return v
	}
	if measure == "attendance_rate" {
		return math.Min(have, v)
	}
	return math.Max(have, v)
}

func (c *counter) maxMonth(k int, measure string, at calendar.Date) float64 {
	cal := c.h.Calendar
	year, ok := cal.YearOf(at)
	if !ok {
		return c.measure(k, measure, span{empty: true})
	}
	out, first := 0.0, true
	for _, w := range c.months(year) {
		if w.From.After(at) {
			break
		}
		to := w.To
		if to.After(at) {
			to = at
		}
		out = better(measure, out, c.measure(k, measure, span{from: w.From, to: to}), first)
		first = false
	}
	if first {
		return c.measure(k, measure, span{empty: true})
	}
	return out
}

// maxSliding is the largest value over any window of N consecutive school days (or
// calendar days) of the school year to at; such a window may start on a day with a
// matching event.
func (c *counter) maxSliding(k int, measure string, w policy.Window, at calendar.Date) float64 {
	year := c.yearSpan(at)
	s := &c.count[len(c.v.Counts)]
	if k >= 0 {
		s = &c.count[k]
	}
	out, first := c.measure(k, measure, span{empty: true}), true
	for _, p := range s.pts {
		if p.date.Before(year.from) || p.date.After(at) {
			continue
		}
		end := p.date.AddDays(w.N - 1)
		if w.Kind == policy.WindowMaxWindow {
			if e, ok := c.h.Calendar.After(p.date, w.N-1); ok && w.N > 1 {
				end = e
			} else if w.N > 1 {
				end = at
			}
		}
		if end.After(at) {
			end = at
		}
		out = better(measure, out, c.measure(k, measure, span{from: p.date, to: end}), first)
		first = false
	}
	return out
}

// longestRun is the largest sum of the count over a run of consecutive school days
// each with a matching event, in the school year to at. A partial day joins a run only
// on the side it touches: a late arrival ends one, an early leave starts one.
func (c *counter) longestRun(k int, at calendar.Date) float64 {
	year := c.yearSpan(at)
	s := &c.count[len(c.v.Counts)]
	if k >= 0 {
		s = &c.count[k]
	}
	var best, run float64
	lastOrd, open := -2, false
	for _, p := range s.pts {
		if p.date.Before(year.from) || p.date.After(at) {
			continue
		}
		if !(open && p.join && p.ord == lastOrd+1) {
			run = 0
		}
		run += p.v
		best = math.Max(best, run)
		lastOrd, open = p.ord, p.carry
	}
	return round(best)
}

// fill computes reads into f as of at.
func (c *counter) fill(f *policy.Facts, at calendar.Date, reads []policy.Read) {
	for _, r := range reads {
		num, b, text := c.value(r, at)
		switch r.Kind {
		case policy.ReadBool:
			f.Bools[r.Slot] = b
		case policy.ReadText:
			f.Texts[r.Slot] = text
		default:
			f.Values[r.Slot] = num
		}
	}
}

// facts returns the facts as of at with the given reads filled.
func (c *counter) facts(at calendar.Date, reads []policy.Read) policy.Facts {
	f := policy.Facts{
		Values: make([]float64, c.v.Slots[policy.ReadNumber]),
		Bools:  make([]bool, c.v.Slots[policy.ReadBool]),
		Texts:  make([]string, c.v.Slots[policy.ReadText]),
		Age:    c.h.Student.AgeOn(at), Grade: c.h.Student.GradeLevel(), Flags: c.h.Student.FlagsOn(at),
	}
	if f.Flags == nil {
		f.Flags = []string{}
	}
	year := c.yearSpan(at)
	f.SchoolDay = c.h.Calendar.SchoolDays(year.from, at)
	f.Steps = c.stepsDone(at)
	c.fill(&f, at, reads)
	return f
}

// stepsDone returns the steps done by at (in the school year, or since the case
// closed), in ladder order.
func (c *counter) stepsDone(at calendar.Date) []string {
	out := make([]string, 0, len(c.byStep))
	for _, s := range c.v.Steps {
		if len(c.scoped(s.ID, at)) > 0 {
			out = append(out, s.ID)
		}
	}
	return out
}

// ageOn returns the student's age on a month and day ("09-01") of at's school year: the
// first such date on or after the year's first day.
func (c *counter) ageOn(md string, at calendar.Date) int {
	from := c.yearSpan(at).from
	a := &c.age
	if !a.ok || a.md != md || a.from != from {
		*a = ageMemo{md: md, from: from, day: ageDay(md, from), ok: true}
	}
	if a.day.IsZero() {
		return 0
	}
	return c.h.Student.AgeOn(a.day)
}

// ageDay returns the first date on a month and day ("09-01") on or after from, or zero
// when there is none.
func ageDay(md string, from calendar.Date) calendar.Date {
	y, _, _ := from.Date()
	d, err := calendar.ParseDate(fmt.Sprintf("%04d-%s", y, md))
	if err != nil {
		return calendar.Date{}
	}
	if d.Before(from) {
		if d, err = calendar.ParseDate(fmt.Sprintf("%04d-%s", y+1, md)); err != nil {
			return calendar.Date{}
		}
	}
	return d
}
