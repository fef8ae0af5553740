package rollcall

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/calendar"
)

// The il-roe-sop evaluation through the pack (YAML, expressions) against the same
// evaluation written by hand in Go: the illinois codes and their documentation, the
// effects of the probation and medical letters, the counts over the school year and
// over the windows since and within a step, the designations and the ladder with its
// prerequisites and latches, judged on the dates the engine judges them, and the steps
// done to review. Nothing on the hand-written side calls the engine. Tests check that
// both give the same key fields on a few worked histories and on thousands of
// generated ones, so that the benchmarks compare like with like.

// ladderBenchHistory is a 180-school-day year (the 2024-25 calendar ending Wed
// 2025-06-04: 182 - 2 = 180 days) with 20 absences and three interventions.
func ladderBenchHistory(t testing.TB) (*History, calendar.Date) {
	t.Helper()
	y := ladderYear(400)
	y.LastDay = ladderDate("2025-06-04")
	cal, err := calendar.New(y)
	require.NoError(t, err)
	require.Equal(t, 180, cal.SchoolDays(cal.First(), cal.Last()))
	var evs []Event
	for _, d := range []string{"2024-08-29", "2024-09-04", "2024-09-09", "2024-09-12", "2024-09-17",
		"2024-09-20", "2024-09-25", "2024-09-30", "2024-10-03", "2024-10-08"} {
		evs = append(evs, ladderEv(d, "ECE"))
	}
	evs = append(evs,
		ladderEv("2024-10-10", "ILL", "parent-note"),
		ladderEv("2024-11-06", "ECE"), // on probation: UNX
		ladderEv("2024-12-03", "UNX"),
		ladderEv("2025-01-14", "ILL", "medical-note"),
		ladderPartial("2025-02-05", "ECE", 200), // half a day, UNX on probation
		ladderEv("2025-02-06", "UNX"),
		ladderEv("2025-03-04", "MED", "phone-report"),
		ladderEv("2025-04-08", "UNX"),
		ladderEv("2025-05-06", "VAC"), // on probation: VACU
		ladderEv("2025-06-03", "UNX"),
	)
	h := &History{Student: Student{ID: "B1", BirthDate: ladderDate("2015-03-02"), Grade: "3"}, Calendar: cal, Events: evs,
		Interventions: []Intervention{ladderDone("warning-letter", "2024-09-18"), ladderDone("probation-letter", "2024-10-09"),
			ladderDone("roe-referral", "2024-10-09")}}
	return h, ladderDate("2025-06-04")
}

func TestLadderHandWrittenMatchesPack(t *testing.T) {
	e := ladderEngine(t, "il-roe-sop")
	type tc struct {
		h    *History
		asOf []string
	}
	bench, benchAsOf := ladderBenchHistory(t)
	var noShow []Event
	for _, d := range []string{"2024-08-26", "2024-08-27", "2024-08-28", "2024-08-29", "2024-08-30",
		"2024-09-03", "2024-09-04", "2024-09-05", "2024-09-06", "2024-09-09"} {
		noShow = append(noShow, ladderEv(d, "UNX"))
	}
	unreachable := ladderDone("no-show-contact", "2024-09-05")
	unreachable.Outcome = "unreachable"
	cases := []tc{
		{bench, []string{benchAsOf.String(), "2024-10-08", "2024-12-03", "2025-02-06"}},
		{ladderHist(t, 400, ladderWalkEvents(), ladderWalkDone()...), []string{"2024-09-16", "2024-09-17", "2024-10-08", "2024-10-10",
			"2024-10-16", "2024-10-18", "2024-10-22", "2024-10-25", "2024-10-29", "2024-12-02"}},
		{ladderHist(t, 400, append(ladderWalkEvents(), ladderEv("2024-11-06", "UNX")), ladderWalkDone()...), []string{"2024-11-06"}},
		{ladderHist(t, 400, noShow), []string{"2024-09-04", "2024-09-09"}},
		{ladderHist(t, 400, noShow, ladderDone("no-show-contact", "2024-09-05")), []string{"2024-09-09"}},
		{ladderHist(t, 400, noShow, unreachable), []string{"2024-09-09"}},
	}
	n := 0
	for _, c := range cases {
		for _, a := range c.asOf {
			asOf := ladderDate(a)
			ev, err := e.Evaluate(c.h, asOf)
			require.NoError(t, err)
			hand := handEvaluate(c.h, asOf)
			assert.Equal(t, engineKey(ev), hand, "%s as of %s", c.h.Student.ID, a)
			if len(hand.Due) > 0 {
				n++
			}
		}
	}
	assert.GreaterOrEqual(t, n, 10, "most cases have due steps")
	// the benchmark's history as of its last day (day 180), by hand: 19.5 days absent
	// (10 ECE; after the probation letter ECE and VAC become UNX and VACU, the half-day
	// ECE half a day); attendance 160.5/180 = 89.2% < 90% with 6.5 unexcused; since the
	// referral of 10-09: 9.5 absent days, 6.5 unexcused = 68% >= 2/3 -> second letter.
	// Since the referral attendance is (148 - 9.5)/148 = 93.6% today, but on 10-10, the
	// day after the referral, the illness made it 0 of 1: the medical letter was owed
	// then, and the ROE letters latch (domain fidelity decision 1).
	ev, err := e.Evaluate(bench, benchAsOf)
	require.NoError(t, err)
	require.Equal(t, []string{"roe-second-letter", "medical-letter"}, ladderDue(ev))
	assert.Equal(t, ladderDate("2024-10-10"), ev.Due[1].Since)
}

// The hand-written il-roe-sop evaluation gives the key fields of the engine's on
// thousands of generated histories (some messy, some far up the ladder), as of several
// dates.
func TestHandEvaluationMatchesEngine(t *testing.T) {
	e := engine(t, "il-roe-sop")
	n, due := 0, map[string]int{}
	for _, h := range ladderDistrict(t, 3000, 13, true) {
		for _, a := range asOfDates {
			asOf := d(a)
			ev, _ := e.Evaluate(h, asOf)
			require.NotNil(t, ev)
			want := engineKey(ev)
			if !assert.Equal(t, want, handEvaluate(h, asOf), "%s as of %s", h.Student.ID, a) {
				t.FailNow()
			}
			for _, d := range want.Due {
				due[d.Step]++
			}
		}
		n++
	}
	assert.Equal(t, 3000, n)
	for _, step := range []string{"warning-letter", "probation-letter", "roe-referral", "roe-second-letter", "medical-letter",
		"roe-third-letter", "truancy-hearing", "court-referral", "close-case"} {
		assert.Greater(t, due[step], 0, "the histories reach %s", step)
	}
}

// ladderDistrict draws n students of a generated il-roe-sop district (see generated);
// with messy, a third of them also went up the ladder: the steps after the warning
// letter done on some of the days they fell due.
func ladderDistrict(t testing.TB, n int, seed uint64, messy bool) []*History {
	hs := generated(t, "il-roe-sop", n, seed, messy)
	if !messy {
		return hs
	}
	steps := []string{"warning-letter", "probation-letter", "roe-referral", "roe-second-letter", "medical-letter", "roe-third-letter", "truancy-hearing"}
	for i, h := range hs {
		if i%3 != 0 || len(h.Events) < 4 {
			continue
		}
		// one step on the day after each of a few absences, in ladder order
		k := 0
		for j, ev := range h.Events {
			if k < len(steps) && j%2 == 1 && (i+j)%5 != 0 {
				h.Interventions = append(h.Interventions, Intervention{Step: steps[k], Date: ev.Date.AddDays(1)})
				k++
			}
		}
		if i%6 == 0 { // or all of them late, after the year's absences
			h.Interventions = h.Interventions[:0]
			last := h.Events[len(h.Events)-1].Date
			for j, step := range steps[:1+i%len(steps)] {
				h.Interventions = append(h.Interventions, Intervention{Step: step, Date: last.AddDays(j - 20)})
			}
		}
		if i%9 == 0 && len(h.Events) > 2 {
			h.Events[0].Documents = []string{"medical-note"}
			h.Events[len(h.Events)-1].Documents = []string{"nurse-note"}
		}
	}
	return hs
}

// handKeyEval is the key fields of an evaluation: what the hand-written evaluation
// produces. Explanations (because, clauses, facts read, notes) are the engine's alone.
type handKeyEval struct {
	Compulsory   bool
	Facts        [5]float64 // school_days, absent_days, attendance_rate, not_verified, unexcused
	Designations []string
	Due          []handDue
	Review       []handDue // the step and the day it was done
	Events       []Classified
}

type handDue struct {
	Step    string
	Since   calendar.Date
	Latched bool
}

func engineKey(ev *Evaluation) handKeyEval {
	k := handKeyEval{Compulsory: ev.Compulsory != nil && *ev.Compulsory, Events: make([]Classified, 0, len(ev.Events))}
	for i, name := range []string{"school_days", "absent_days", "attendance_rate", "not_verified", "unexcused"} {
		k.Facts[i], _ = ev.Facts.Get(name)
	}
	for _, ds := range ev.Designations {
		k.Designations = append(k.Designations, ds.ID)
	}
	for _, d := range ev.Due {
		k.Due = append(k.Due, handDue{d.Step, d.Since, d.Latched})
	}
	for _, r := range ev.Review {
		k.Review = append(k.Review, handDue{Step: r.Step, Since: r.Date})
	}
	for _, c := range ev.Events {
		k.Events = append(k.Events, handKey(c))
	}
	return k
}

// BenchmarkEvaluate evaluates every student of a generated il-roe-sop district as of
// the year's last day: through the pack (engine) and by hand; one op is the whole
// roster.
func BenchmarkEvaluate(b *testing.B) {
	hs := ladderDistrict(b, 2000, 5, false)
	asOf := d("2025-05-16")
	benchEngines(b, "il-roe-sop", hs, func(e *Engine, h *History) error {
		_, err := e.Evaluate(h, asOf)
		return err
	})
	b.Run("hand", func(b *testing.B) { perStudent(b, hs, func(h *History) { handEvaluate(h, asOf) }) })
}

// The hand-written evaluation: the illinois codes and the il-roe-sop ladder (seed 003)
// as plain Go.

var (
	ilReported = []string{"parent-note", "phone-report", "e-absence"}
	ilCodes    = map[string]*handCode{
		"ECE":  {excuse: "unverified", span: "full-day"},
		"VAC":  {excuse: "unverified", span: "full-day"},
		"UNX":  {excuse: "unexcused", span: "full-day"},
		"VACU": {excuse: "unexcused", span: "full-day"},
		"ILL":  {excuse: "excused", span: "full-day", any: append(slices.Clone(ilReported), "medical-note", "nurse-note")},
		"MED":  {excuse: "excused", span: "full-day", any: append(slices.Clone(ilReported), "medical-note")},
		"DTH":  {excuse: "excused", span: "full-day", any: append(slices.Clone(ilReported), "obituary")},
		"FEM":  {excuse: "excused", span: "full-day", any: ilReported},
		"MIL":  {excuse: "excused", span: "full-day", any: ilReported},
		"DEP":  {excuse: "excused", span: "full-day", any: ilReported},
		"REL":  {excuse: "excused", span: "full-day", any: []string{"religious-note", "parent-note"}},
		"TDY":  {present: true, span: "late-arrival", all: one("late-arrival-log")},
	}
	ilMedicalOnly = &handCode{any: []string{"medical-note", "nurse-note"}}
	ilMedical     = map[string]bool{"ILL": true, "MED": true}
	ilVacation    = map[string]bool{"VAC": true, "VACU": true}
)

// ilCount indexes what an event adds to the counts the ladder and designations read.
const (
	ilNotVerified = iota
	ilUnexcused
	ilNoValidCause
	ilCounts
)

// handIL evaluates one history as of a date.
type handIL struct {
	h      *History
	cal    *calendar.Calendar
	asOf   calendar.Date
	closed calendar.Date // a truancy hearing's case closed then
	done   []Intervention
	// the days with absences up to the as-of date, with prefix sums of each count and of
	// the days absent
	days   []calendar.Date
	prefix [][ilCounts + 1]float64
	ivDays []calendar.Date // intervention and outcome dates, for the dates triggers are judged on
}

// handEvaluate evaluates h under il-roe-sop as of asOf, by hand.
func handEvaluate(h *History, asOf calendar.Date) handKeyEval {
	c := &handIL{h: h, cal: h.Calendar, asOf: asOf}
	for _, iv := range h.Interventions {
		if o := iv.OutcomeSeen(asOf); iv.Step == "truancy-hearing" && o == "case-closed" && !iv.Date.After(asOf) {
			when := iv.OutcomeDate
			if when.IsZero() {
				when = iv.Date
			}
			if when.After(c.closed) {
				c.closed = when
			}
		}
		if !iv.Date.After(asOf) {
			c.done = append(c.done, iv)
			c.ivDays = append(c.ivDays, iv.Date)
			if !iv.OutcomeDate.IsZero() {
				c.ivDays = append(c.ivDays, iv.OutcomeDate)
			}
		}
	}
	slices.SortStableFunc(c.done, func(a, b Intervention) int { return a.Date.Compare(b.Date) })
	events, counts := c.classify()
	c.series(events, counts)

	k := handKeyEval{Events: events}
	grade := h.Student.GradeLevel()
	k.Compulsory = slices.Contains([]string{"K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"}, grade) ||
		(grade != "PK" && c.ageOnSep1(asOf) >= 6 && h.Student.AgeOn(asOf) < 17)
	year := c.yearSpan(asOf)
	k.Facts = [5]float64{c.schoolDays(year), c.absent(year), c.rate(year), c.count(ilNotVerified, year), c.count(ilUnexcused, year)}
	if k.Compulsory {
		prev := c.previous(asOf, 180)
		if nv := c.count(ilNoValidCause, prev); nv >= 2 && nv < 9 {
			k.Designations = append(k.Designations, "truant")
		} else if nv >= 9 {
			k.Designations = append(k.Designations, "chronic-truant")
		}
	}
	if sd := c.schoolDays(year); sd > 0 && handRound(c.absentRaw(year)/sd) >= 0.1 {
		k.Designations = append(k.Designations, "chronic-absence")
	}
	for _, s := range ilSteps {
		if !k.Compulsory || !c.prerequisites(s, asOf) {
			continue
		}
		if _, done := c.last(s.id, asOf); done {
			continue
		}
		var since calendar.Date
		start := year.from.AddDays(-1)
		switch {
		case s.when(c, asOf):
			since = asOf
			dates := c.candidates(s, start, asOf)
			for i := len(dates) - 1; i >= 0; i-- {
				if dates[i] == asOf {
					continue
				}
				if !c.holdsOn(s, dates[i]) {
					break
				}
				since = dates[i]
			}
			k.Due = append(k.Due, handDue{s.id, since, false})
		case s.latch:
			for _, d := range c.candidates(s, start, asOf) {
				if c.holdsOn(s, d) {
					k.Due = append(k.Due, handDue{s.id, d, true})
					break
				}
			}
		}
	}
	for _, s := range ilSteps {
		ivs := c.scoped(s.id, asOf)
		for i, iv := range ivs {
			if iv.OutcomeSeen(asOf) == "waived" {
				continue
			}
			start := c.yearSpan(iv.Date).from.AddDays(-1)
			if i > 0 {
				start = ivs[i-1].Date
			}
			held := false
			for _, d := range c.candidates(s, start, iv.Date) {
				if held = c.holdsOn(s, d); held {
					break
				}
			}
			if !held {
				k.Review = append(k.Review, handDue{Step: s.id, Since: iv.Date})
			}
		}
	}
	return k
}

// classify classifies the events as of the as-of date: the key fields, and what each
// adds to the counts.
func (c *handIL) classify() ([]Classified, [][]float64) {
	h := c.h
	out := make([]Classified, len(h.Events))
	counts := make([][]float64, len(h.Events))
	order := handOrder(h, out, func(code string) bool { return ilCodes[code] != nil })
	yearNV := map[int]float64{} // not verified in each school year, on the dates decided so far
	for k := 0; k < len(order); {
		j := k + 1
		date := h.Events[order[k]].Date
		for j < len(order) && h.Events[order[j]].Date == date {
			j++
		}
		year, _ := c.cal.YearOf(date)
		before := yearNV[year]
		handDay(h, order[k:j], out, counts, ilAdd, func(i int, ev *Event) Classified {
			r, add := c.decide(ev, year, before)
			counts[i] = add
			return r
		})
		for _, i := range order[k:j] {
			yearNV[year] += counts[i][ilNotVerified]
		}
		k = j
	}
	return out, counts
}

// inEffect reports whether a step's effect applies to an event of day in its school
// year: the step was done before day, or for the whole school year (to the as-of date).
func (c *handIL) inEffect(step string, day calendar.Date, year int, wholeYear bool) bool {
	for _, iv := range c.h.Interventions {
		if iv.Step != step || iv.Date.After(c.asOf) || !iv.Date.After(c.closed) {
			continue
		}
		if y, ok := c.cal.YearOf(iv.Date); !ok || y != year {
			continue
		}
		if wholeYear || iv.Date.Before(day) {
			return true
		}
	}
	return false
}

// decide classifies one event; nvBefore is its school year's absences not verified on
// the days before.
func (c *handIL) decide(ev *Event, year int, nvBefore float64) (Classified, []float64) {
	s := &handState{code: ilCodes[ev.Code], id: ev.Code, ev: ev, docs: ev.Documents}
	if !ev.Documented.IsZero() && ev.Documented.After(c.asOf) {
		s.docs = nil
	}
	var instead bool
	judge := func() {
		s.miss, s.flag = nil, nil
		switch {
		case s.code.present:
			s.excuse = "none"
			if ok, m, _ := s.code.check(s.docs, nil, nil); !ok {
				s.miss = m
			}
		case s.code.excuse == "excused" || instead:
			req := s.code
			if instead {
				req = ilMedicalOnly
			}
			ok, m, _ := req.check(s.docs, nil, nil)
			switch {
			case ok && s.code.excuse == "unexcused":
				s.excuse = "unexcused"
			case ok:
				s.excuse = "excused"
			case s.code.excuse == "unexcused":
				s.excuse, s.miss = "unexcused", m
			default:
				s.excuse, s.miss = "unverified", m
			}
		default:
			s.excuse = s.code.excuse
		}
		if s.forced != "" && !s.code.present {
			s.excuse = s.forced
		}
	}
	judge()
	probation := c.inEffect("probation-letter", ev.Date, year, true)
	medical := c.inEffect("medical-letter", ev.Date, year, false)
	var applied [3]bool
	for changed := true; changed && (probation || medical); {
		changed = false
		for k := range applied {
			if applied[k] {
				continue
			}
			var holds bool
			switch k {
			case 0: // on probation, unverified absences past the 10th are unexcused
				holds = probation && s.excuse == "unverified" && nvBefore >= 10
			case 1: // after the medical letter only a doctor's or the nurse's note excuses
				holds = medical && !s.code.present
			case 2:
				holds = medical && !s.code.present && s.excuse == "unverified"
			}
			if !holds {
				continue
			}
			applied[k], changed = true, true
			switch k {
			case 0:
				if to := map[string]string{"ECE": "UNX", "VAC": "VACU"}[s.id]; to != "" {
					s.id, s.code = to, ilCodes[to]
				}
				s.forced = "unexcused"
			case 1:
				instead = true
			case 2:
				s.forced = "unexcused"
			}
			judge()
		}
	}
	dayMin := c.cal.Minutes(ev.Date)
	r := Classified{Date: ev.Date, Code: ev.Code, EffectiveCode: s.id, Excuse: s.excuse, Span: s.code.span,
		MissingDocuments: s.miss, Minutes: ev.Minutes, Status: "absent"}
	if r.MissingDocuments == nil {
		r.MissingDocuments = []string{}
	}
	if s.code.present {
		r.Status = "present"
		return r, make([]float64, ilCounts)
	}
	if r.Minutes <= 0 || r.Minutes > dayMin {
		r.Minutes = dayMin
	}
	r.Days = float64(r.Minutes) / float64(dayMin)
	r.Whole = ev.Minutes == 0
	return r, ilAdd(r)
}

// ilAdd is what a decided absence adds to the counts: a day at most, by its excuse and
// effective code.
func ilAdd(r Classified) []float64 {
	add := make([]float64, ilCounts)
	days := math.Min(1, r.Days)
	if r.Excuse == "unverified" || r.Excuse == "unexcused" {
		add[ilNotVerified] = days
	}
	if r.Excuse == "unexcused" {
		add[ilUnexcused] = days
	}
	if r.Excuse == "unexcused" || ilVacation[r.EffectiveCode] {
		add[ilNoValidCause] = days
	}
	return add
}

// series keeps, for every day with an absence up to the as-of date, the prefix sums of
// each count and of the days absent; a day adds at most one to each.
func (c *handIL) series(events []Classified, counts [][]float64) {
	type day struct {
		date calendar.Date
		v    [ilCounts + 1]float64
	}
	var days []day
	idx := make([]int, 0, len(events))
	for i, r := range events {
		if r.Rejected == "" && !r.Date.After(c.asOf) {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return events[a].Date.Compare(events[b].Date) })
	for _, i := range idx {
		r := events[i]
		var v [ilCounts + 1]float64
		copy(v[:], counts[i])
		if r.Status == "absent" {
			v[ilCounts] = r.Days
		}
		if v == ([ilCounts + 1]float64{}) {
			continue
		}
		if n := len(days); n > 0 && days[n-1].date == r.Date {
			for k := range v {
				days[n-1].v[k] = math.Min(1, days[n-1].v[k]+v[k])
			}
			continue
		}
		for k := range v {
			v[k] = math.Min(1, v[k])
		}
		days = append(days, day{r.Date, v})
	}
	c.days = make([]calendar.Date, len(days))
	c.prefix = make([][ilCounts + 1]float64, len(days)+1)
	for i, dy := range days {
		c.days[i] = dy.date
		for k := range dy.v {
			c.prefix[i+1][k] = c.prefix[i][k] + dy.v[k]
		}
	}
}

// span is a window of dates; an empty one has no days.
type handSpan struct {
	from, to calendar.Date
	empty    bool
}

func (c *handIL) sum(k int, sp handSpan) float64 {
	if sp.empty || sp.to.Before(sp.from) {
		return 0
	}
	lo, _ := slices.BinarySearchFunc(c.days, sp.from, func(d, x calendar.Date) int { return d.Compare(x) })
	hi, found := slices.BinarySearchFunc(c.days, sp.to, func(d, x calendar.Date) int { return d.Compare(x) })
	if found {
		hi++
	}
	return c.prefix[hi][k] - c.prefix[lo][k]
}

func handRound(v float64) float64 { return math.Round(v*1e6) / 1e6 }

func (c *handIL) count(k int, sp handSpan) float64 { return handRound(c.sum(k, sp)) }
func (c *handIL) absentRaw(sp handSpan) float64    { return c.sum(ilCounts, sp) }
func (c *handIL) absent(sp handSpan) float64       { return handRound(c.absentRaw(sp)) }

func (c *handIL) schoolDays(sp handSpan) float64 {
	if sp.empty || sp.to.Before(sp.from) {
		return 0
	}
	return float64(c.cal.EnrolledDays(c.h.Enrolment, sp.from, sp.to))
}

// rate is the attendance rate over sp.
func (c *handIL) rate(sp handSpan) float64 {
	school := c.schoolDays(sp)
	if school == 0 {
		return 1
	}
	return handRound(math.Max(0, school-c.absentRaw(sp)) / school)
}

func (c *handIL) present(sp handSpan) float64 {
	return handRound(math.Max(0, c.schoolDays(sp)-c.absentRaw(sp)))
}

// yearSpan is the school year of at (after a case closed in it), to at.
func (c *handIL) yearSpan(at calendar.Date) handSpan {
	from := c.cal.YearToDate(at).From
	if from.IsZero() {
		from = c.cal.First()
	}
	if !c.closed.IsZero() && !c.closed.After(at) && !c.closed.Before(from) {
		from = c.closed.AddDays(1)
	}
	return handSpan{from: from, to: at}
}

func (c *handIL) previous(at calendar.Date, n int) handSpan {
	p := c.cal.EnrolledPrevious(c.h.Enrolment, at, n)
	if p.Days == 0 {
		return handSpan{empty: true}
	}
	return handSpan{from: p.From, to: at}
}

// ageOnSep1 is the student's age on the September 1 of at's school year.
func (c *handIL) ageOnSep1(at calendar.Date) int {
	from := c.yearSpan(at).from
	y, _, _ := from.Date()
	sep1 := calendar.MustParseDate(fmt.Sprintf("%04d-09-01", y))
	if sep1.Before(from) {
		sep1 = calendar.MustParseDate(fmt.Sprintf("%04d-09-01", y+1))
	}
	return c.h.Student.AgeOn(sep1)
}

// scoped returns the interventions of step done by at in at's school year, after a case
// closed.
func (c *handIL) scoped(step string, at calendar.Date) []Intervention {
	var from calendar.Date
	if y, ok := c.cal.YearOf(at); ok {
		from = c.cal.Years()[y].FirstDay
	}
	if !c.closed.IsZero() && !c.closed.After(at) && !c.closed.Before(from) {
		from = c.closed.AddDays(1)
	}
	var out []Intervention
	for _, iv := range c.done {
		if iv.Step == step && !iv.Date.After(at) && !iv.Date.Before(from) {
			out = append(out, iv)
		}
	}
	return out
}

func (c *handIL) last(step string, at calendar.Date) (Intervention, bool) {
	ivs := c.scoped(step, at)
	if len(ivs) == 0 {
		return Intervention{}, false
	}
	return ivs[len(ivs)-1], true
}

func (c *handIL) since(step string, at calendar.Date) handSpan {
	iv, ok := c.last(step, at)
	if !ok {
		return handSpan{empty: true}
	}
	return handSpan{from: iv.Date.AddDays(1), to: at}
}

func (c *handIL) within(step string, n int, at calendar.Date) handSpan {
	iv, ok := c.last(step, at)
	if !ok {
		return handSpan{empty: true}
	}
	end, found := c.cal.After(iv.Date, n)
	if !found || end.After(at) {
		end = at
	}
	return handSpan{from: iv.Date.AddDays(1), to: end}
}

// ilStep is a step of the il-roe-sop ladder.
type ilStep struct {
	id     string
	after  []string
	latch  bool
	varies bool // its facts change with the date alone: judged every school day
	when   func(c *handIL, at calendar.Date) bool
}

var ilSteps = []ilStep{
	{id: "no-show-contact", varies: true, when: func(c *handIL, at calendar.Date) bool {
		y := c.yearSpan(at)
		return c.schoolDays(y) > 6 && c.present(y) == 0
	}},
	{id: "tenth-day-drop", after: []string{"no-show-contact"}, varies: true, when: func(c *handIL, at calendar.Date) bool {
		iv, _ := c.last("no-show-contact", at)
		o := iv.OutcomeSeen(at)
		y := c.yearSpan(at)
		return (o == "unreachable" || o == "not-returning") && c.schoolDays(y) >= 10 && c.present(y) == 0
	}},
	{id: "warning-letter", when: func(c *handIL, at calendar.Date) bool {
		nv := c.count(ilNotVerified, c.yearSpan(at))
		return nv >= 5 && nv < 10
	}},
	{id: "probation-letter", when: func(c *handIL, at calendar.Date) bool {
		return c.count(ilNotVerified, c.yearSpan(at)) >= 10
	}},
	{id: "roe-referral", latch: true, when: func(c *handIL, at calendar.Date) bool {
		return c.count(ilNotVerified, c.yearSpan(at)) >= 10
	}},
	{id: "roe-second-letter", after: []string{"roe-referral"}, latch: true, varies: true, when: func(c *handIL, at calendar.Date) bool {
		y, s := c.yearSpan(at), c.since("roe-referral", at)
		absent := c.absent(s)
		return c.rate(y) < 0.9 && c.count(ilUnexcused, y) >= 1 && absent > 0 && c.count(ilUnexcused, s) >= 2.0/3*absent
	}},
	{id: "medical-letter", after: []string{"roe-referral"}, latch: true, varies: true, when: func(c *handIL, at calendar.Date) bool {
		s := c.since("roe-referral", at)
		return c.rate(c.yearSpan(at)) < 0.9 && c.absent(s) > 0 && c.rate(s) < 0.9
	}},
	{id: "roe-third-letter", after: []string{"roe-second-letter"}, latch: true, varies: true, when: func(c *handIL, at calendar.Date) bool {
		return c.rate(c.yearSpan(at)) < 0.9 && c.count(ilUnexcused, c.since("roe-second-letter", at)) >= 2
	}},
	{id: "truancy-hearing", after: []string{"roe-third-letter"}, when: func(c *handIL, at calendar.Date) bool {
		return c.count(ilUnexcused, c.since("roe-third-letter", at)) >= 1
	}},
	{id: "court-referral", after: []string{"truancy-hearing"}, varies: true, when: func(c *handIL, at calendar.Date) bool {
		w := c.within("truancy-hearing", 20, at)
		return c.count(ilUnexcused, w) > 0 || (c.schoolDays(w) >= 20 && c.rate(w) < 0.9)
	}},
	{id: "close-case", after: []string{"truancy-hearing"}, varies: true, when: func(c *handIL, at calendar.Date) bool {
		w := c.within("truancy-hearing", 20, at)
		return c.schoolDays(w) >= 20 && c.count(ilUnexcused, w) == 0 && c.rate(w) >= 0.9
	}},
}

func (c *handIL) prerequisites(s ilStep, at calendar.Date) bool {
	for _, p := range s.after {
		if _, ok := c.last(p, at); !ok {
			return false
		}
	}
	return true
}

func (c *handIL) holdsOn(s ilStep, d calendar.Date) bool {
	return c.prerequisites(s, d) && s.when(c, d)
}

// candidates are the dates after start, up to at, on which a step's trigger is judged:
// every school day (and at) when its facts change with the date alone, else the days
// of absences and of interventions, and at.
func (c *handIL) candidates(s ilStep, start, at calendar.Date) []calendar.Date {
	var out []calendar.Date
	if s.varies {
		for d := start.AddDays(1); !d.After(at); d = d.AddDays(1) {
			if c.cal.IsSchoolDay(d) || d == at {
				out = append(out, d)
			}
		}
		return out
	}
	for _, d := range c.days {
		if d.After(start) && !d.After(at) {
			out = append(out, d)
		}
	}
	for _, d := range c.ivDays {
		if d.After(start) && !d.After(at) {
			out = append(out, d)
		}
	}
	out = append(out, at)
	slices.SortFunc(out, func(a, b calendar.Date) int { return a.Compare(b) })
	return slices.Compact(out)
}
