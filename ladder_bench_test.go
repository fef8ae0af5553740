package rollcall

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/calendar"
)

// The il-roe-sop ladder through expressions (the pack) against the same ladder written
// by hand in Go over the same facts (escalation.Compute) and the same classification.
// A test checks that both give the same due steps on several histories, so that the
// benchmarks compare like with like.

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

// handCounts are the counts the hand-written ladder reads, over one window.
type handCounts struct {
	SchoolDays                                                  int
	AbsentDays, PresentDays, Unexcused, Unverified, NotVerified float64
	AttendanceRate                                              float64
}

// handFacts are the facts of the hand-written ladder, computed in plain Go from the
// classification: what the pack's declared counts and windows compute.
type handFacts struct {
	h          *History
	cls        *Classification
	asOf       calendar.Date
	handCounts // school year to date
}

func newHandFacts(h *History, cls *Classification, asOf calendar.Date) handFacts {
	f := handFacts{h: h, cls: cls}
	return f.at(asOf)
}

// at returns the facts as of d (the classification stays the one as of the date asked).
func (f handFacts) at(d calendar.Date) handFacts {
	f.asOf = d
	f.handCounts = f.count(f.h.Calendar.YearToDate(d).From, d)
	return f
}

func (f handFacts) count(from, to calendar.Date) handCounts {
	c := handCounts{SchoolDays: f.h.Calendar.EnrolledDays(f.h.Enrolment, from, to), AttendanceRate: 1}
	for _, r := range f.cls.Events {
		if r.Rejected != "" || r.Status != "absent" || r.Date.Before(from) || r.Date.After(to) {
			continue
		}
		c.AbsentDays += r.Days
		switch r.Excuse {
		case "unexcused":
			c.Unexcused += r.Days
		case "unverified":
			c.Unverified += r.Days
		}
	}
	round := func(v float64) float64 { return math.Round(v*1e6) / 1e6 }
	c.AbsentDays, c.Unexcused, c.Unverified = round(c.AbsentDays), round(c.Unexcused), round(c.Unverified)
	c.NotVerified = round(c.Unexcused + c.Unverified)
	c.PresentDays = math.Max(0, float64(c.SchoolDays)-c.AbsentDays)
	if c.SchoolDays > 0 {
		c.AttendanceRate = round(c.PresentDays / float64(c.SchoolDays))
	}
	return c
}

func (f handFacts) last(step string) (Intervention, bool) {
	var out Intervention
	for _, iv := range f.h.Interventions {
		if iv.Step == step && !iv.Date.After(f.asOf) && iv.Date.After(out.Date) {
			out = iv
		}
	}
	return out, !out.Date.IsZero()
}

func (f handFacts) Done(step string) bool { _, ok := f.last(step); return ok }

func (f handFacts) Outcome(step string) string {
	iv, _ := f.last(step)
	return iv.OutcomeSeen(f.asOf)
}

func (f handFacts) Since(step string) handCounts {
	iv, ok := f.last(step)
	if !ok {
		return handCounts{AttendanceRate: 1}
	}
	return f.count(iv.Date.AddDays(1), f.asOf)
}

func (f handFacts) Within(step string, n int) handCounts {
	iv, ok := f.last(step)
	if !ok {
		return handCounts{AttendanceRate: 1}
	}
	end, found := f.h.Calendar.After(iv.Date, n)
	if !found || end.After(f.asOf) {
		end = f.asOf
	}
	return f.count(iv.Date.AddDays(1), end)
}

// latched reports whether cond holds as of the date asked or held on a school day of
// the school year before it (with the step's prerequisites done then).
func (f handFacts) latched(cond func(handFacts) bool, after ...string) bool {
	if cond(f) {
		return true
	}
	cal := f.h.Calendar
	for d := cal.YearToDate(f.asOf).From; d.Before(f.asOf); d = d.AddDays(1) {
		if !cal.IsSchoolDay(d) {
			continue
		}
		g := f.at(d)
		ready := true
		for _, a := range after {
			ready = ready && g.Done(a)
		}
		if ready && cond(g) {
			return true
		}
	}
	return false
}

// ladderHandDue is the il-roe-sop ladder written by hand: the same steps, order,
// prerequisites, latches and conditions as policy/packs/il-roe-sop.yaml.
func ladderHandDue(f handFacts, due []string) []string {
	open := func(id string) bool { return !f.Done(id) }
	if open("no-show-contact") && f.SchoolDays > 6 && f.PresentDays == 0 {
		due = append(due, "no-show-contact")
	}
	if o := f.Outcome("no-show-contact"); f.Done("no-show-contact") && open("tenth-day-drop") && (o == "unreachable" || o == "not-returning") &&
		f.SchoolDays >= 10 && f.PresentDays == 0 {
		due = append(due, "tenth-day-drop")
	}
	if open("warning-letter") && f.NotVerified >= 5 && f.NotVerified < 10 {
		due = append(due, "warning-letter")
	}
	if open("probation-letter") && f.NotVerified >= 10 {
		due = append(due, "probation-letter")
	}
	if open("roe-referral") && f.latched(func(g handFacts) bool { return g.NotVerified >= 10 }) {
		due = append(due, "roe-referral")
	}
	if f.Done("roe-referral") {
		second := func(g handFacts) bool {
			s := g.Since("roe-referral")
			return g.AttendanceRate < 0.9 && g.Unexcused >= 1 && s.AbsentDays > 0 && s.Unexcused >= 2.0/3*s.AbsentDays-1e-9
		}
		if open("roe-second-letter") && f.latched(second, "roe-referral") {
			due = append(due, "roe-second-letter")
		}
		medical := func(g handFacts) bool {
			s := g.Since("roe-referral")
			return g.AttendanceRate < 0.9 && s.AbsentDays > 0 && s.AttendanceRate < 0.9
		}
		if open("medical-letter") && f.latched(medical, "roe-referral") {
			due = append(due, "medical-letter")
		}
	}
	third := func(g handFacts) bool { return g.AttendanceRate < 0.9 && g.Since("roe-second-letter").Unexcused >= 2 }
	if f.Done("roe-second-letter") && open("roe-third-letter") && f.latched(third, "roe-second-letter") {
		due = append(due, "roe-third-letter")
	}
	if f.Done("roe-third-letter") && open("truancy-hearing") && f.Since("roe-third-letter").Unexcused >= 1 {
		due = append(due, "truancy-hearing")
	}
	if f.Done("truancy-hearing") && open("court-referral") {
		if w := f.Within("truancy-hearing", 20); w.Unexcused > 0 || (w.SchoolDays >= 20 && w.AttendanceRate < 0.9) {
			due = append(due, "court-referral")
		}
	}
	if f.Done("truancy-hearing") && open("close-case") {
		if w := f.Within("truancy-hearing", 20); w.SchoolDays >= 20 && w.Unexcused == 0 && w.AttendanceRate >= 0.9 {
			due = append(due, "close-case")
		}
	}
	return due
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
	cases := []tc{
		{bench, []string{benchAsOf.String(), "2024-10-08", "2024-12-03", "2025-02-06"}},
		{ladderHist(t, 400, ladderWalkEvents(), ladderWalkDone()...), []string{"2024-09-16", "2024-09-17", "2024-10-08", "2024-10-10",
			"2024-10-16", "2024-10-18", "2024-10-22", "2024-10-25", "2024-10-29", "2024-12-02"}},
		{ladderHist(t, 400, append(ladderWalkEvents(), ladderEv("2024-11-06", "UNX")), ladderWalkDone()...), []string{"2024-11-06"}},
		{ladderHist(t, 400, noShow), []string{"2024-09-04", "2024-09-09"}},
		{ladderHist(t, 400, noShow, ladderDone("no-show-contact", "2024-09-05")), []string{"2024-09-09"}},
	}
	n := 0
	for _, c := range cases {
		for _, a := range c.asOf {
			asOf := ladderDate(a)
			ev, err := e.Evaluate(c.h, asOf)
			require.NoError(t, err)
			cls, err := e.Classify(c.h, asOf)
			require.NoError(t, err)
			hand := ladderHandDue(newHandFacts(c.h, cls, asOf), []string{})
			assert.Equal(t, ladderDue(ev), hand, "%s as of %s", c.h.Student.ID, a)
			if len(hand) > 0 {
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

// BenchmarkEvaluate: Engine.Evaluate of the 180-day history on il-roe-sop ("facade":
// classification, facts, ladder, explanations, designations).
func BenchmarkEvaluate(b *testing.B) {
	e := ladderEngine(b, "il-roe-sop")
	h, asOf := ladderBenchHistory(b)
	b.Run("facade", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ev, err := e.Evaluate(h, asOf)
			if err != nil || len(ev.Due) != 2 {
				b.Fatal(err, ev.Due)
			}
		}
	})
}

// BenchmarkEvaluateHandWritten: the same work with the ladder written in Go:
// classification (Engine.Classify), facts summed in plain Go, then plain Go conditions.
func BenchmarkEvaluateHandWritten(b *testing.B) {
	e := ladderEngine(b, "il-roe-sop")
	h, asOf := ladderBenchHistory(b)
	b.Run("facade", func(b *testing.B) {
		b.ReportAllocs()
		var due []string
		for b.Loop() {
			cls, err := e.Classify(h, asOf)
			if err != nil {
				b.Fatal(err)
			}
			due = ladderHandDue(newHandFacts(h, cls, asOf), due[:0])
			if len(due) != 2 {
				b.Fatal(due)
			}
		}
	})
}
