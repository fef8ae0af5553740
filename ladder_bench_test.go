package rollcall

import (
	"testing"

	"github.com/expr-lang/expr/vm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/escalation"
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

// ladderInput builds the escalation input exactly as Engine.Evaluate does.
func ladderInput(t testing.TB, e *Engine, h *History, asOf calendar.Date) escalation.Input {
	cls, err := e.Classify(h)
	require.NoError(t, err)
	return ladderInputOf(e, h, cls, asOf)
}

func ladderInputOf(e *Engine, h *History, cls *Classification, asOf calendar.Date) escalation.Input {
	in := escalation.Input{Calendar: h.Calendar, Enrolment: h.Enrolment, AsOf: asOf, SchoolMonth: e.Pack().At(asOf).SchoolMonth,
		Age: h.Student.AgeOn(asOf), Grade: h.Student.Grade, Records: make([]escalation.Record, 0, len(cls.Events))}
	for _, c := range cls.Events {
		if c.Rejected != "" {
			continue
		}
		d := c.Decision()
		in.Records = append(in.Records, escalation.Record{Date: c.Date, Code: d.EffectiveCode, Status: d.Status, Excuse: d.Excuse,
			Span: d.Span, Minutes: d.Minutes, DayMinutes: h.Calendar.Minutes(c.Date), Tags: d.Tags})
	}
	for _, iv := range h.Interventions {
		in.Done = append(in.Done, escalation.Done{Step: iv.Step, Date: iv.Date})
	}
	return in
}

// ladderHandDue is the il-roe-sop ladder written by hand: the same steps, order,
// prerequisites and conditions as policy/packs/il-roe-sop.yaml.
func ladderHandDue(f escalation.Facts, due []string) []string {
	open := func(id string) bool { return !f.Done(id) }
	if open("no-show-contact") && f.SchoolDay > 6 && f.PresentDays == 0 {
		due = append(due, "no-show-contact")
	}
	if f.Done("no-show-contact") && open("tenth-day-drop") && f.SchoolDay >= 10 && f.PresentDays == 0 {
		due = append(due, "tenth-day-drop")
	}
	if open("warning-letter") && f.Unverified >= 5 && f.Unverified < 10 {
		due = append(due, "warning-letter")
	}
	if open("probation-letter") && f.Unverified >= 10 {
		due = append(due, "probation-letter")
	}
	if open("roe-referral") && f.Unverified+f.Unexcused >= 10 {
		due = append(due, "roe-referral")
	}
	if f.Done("roe-referral") {
		if open("roe-second-letter") && f.AttendanceRate < 0.9 && f.Unexcused >= 1 {
			if s := f.Since("roe-referral"); s.AbsentDays > 0 && s.UnexcusedShare >= 2.0/3 {
				due = append(due, "roe-second-letter")
			}
		}
		if open("medical-letter") && f.AttendanceRate < 0.9 {
			if s := f.Since("roe-referral"); s.AbsentDays > 0 && s.AttendanceRate < 0.9 {
				due = append(due, "medical-letter")
			}
		}
	}
	if f.Done("roe-second-letter") && open("roe-third-letter") && f.AttendanceRate < 0.9 && f.Since("roe-second-letter").Unexcused >= 2 {
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
			hand := ladderHandDue(escalation.Compute(ladderInput(t, e, c.h, asOf)), []string{})
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
	// Since the referral attendance is (148 - 9.5)/148 = 93.6%: no medical letter.
	ev, err := e.Evaluate(bench, benchAsOf)
	require.NoError(t, err)
	assert.Equal(t, []string{"roe-second-letter"}, ladderDue(ev))
}

// BenchmarkEvaluate: Engine.Evaluate of the 180-day history on il-roe-sop ("facade":
// classification, facts, ladder, explanations, designations) and the ladder alone on
// the same prepared input ("ladder": escalation.Ladder.Evaluate).
func BenchmarkEvaluate(b *testing.B) {
	e := ladderEngine(b, "il-roe-sop")
	h, asOf := ladderBenchHistory(b)
	b.Run("facade", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ev, err := e.Evaluate(h, asOf)
			if err != nil || len(ev.Due) != 1 {
				b.Fatal(err, ev.Due)
			}
		}
	})
	in := ladderInput(b, e, h, asOf)
	l := e.Pack().At(asOf).Ladder
	b.Run("ladder", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if ev := l.Evaluate(in); len(ev.Due) != 1 {
				b.Fatal(ev.Due)
			}
		}
	})
	// the step conditions alone (prerequisites, done, trigger) on facts computed once:
	// what the expressions cost against plain Go
	f := escalation.Compute(in)
	m := new(vm.VM)
	b.Run("triggers", func(b *testing.B) {
		b.ReportAllocs()
		var due []string
		for b.Loop() {
			due = due[:0]
		steps:
			for _, s := range l.Steps {
				for _, p := range s.After {
					if !f.Done(p) {
						continue steps
					}
				}
				if f.Done(s.ID) {
					continue
				}
				if ok, err := s.When.Eval(m, f); err != nil {
					b.Fatal(err)
				} else if ok {
					due = append(due, s.ID)
				}
			}
			if len(due) != 1 {
				b.Fatal(due)
			}
		}
	})
}

// BenchmarkEvaluateHandWritten: the same work with the ladder written in Go:
// classification (Engine.Classify), facts (escalation.Compute), then plain Go
// conditions ("facade"); and facts plus conditions on the prepared input ("ladder").
func BenchmarkEvaluateHandWritten(b *testing.B) {
	e := ladderEngine(b, "il-roe-sop")
	h, asOf := ladderBenchHistory(b)
	b.Run("facade", func(b *testing.B) {
		b.ReportAllocs()
		var due []string
		for b.Loop() {
			cls, err := e.Classify(h)
			if err != nil {
				b.Fatal(err)
			}
			due = ladderHandDue(escalation.Compute(ladderInputOf(e, h, cls, asOf)), due[:0])
			if len(due) != 1 {
				b.Fatal(due)
			}
		}
	})
	in := ladderInput(b, e, h, asOf)
	b.Run("ladder", func(b *testing.B) {
		b.ReportAllocs()
		var due []string
		for b.Loop() {
			due = ladderHandDue(escalation.Compute(in), due[:0])
			if len(due) != 1 {
				b.Fatal(due)
			}
		}
	})
	f := escalation.Compute(in)
	b.Run("triggers", func(b *testing.B) {
		b.ReportAllocs()
		var due []string
		for b.Loop() {
			due = ladderHandDue(f, due[:0])
			if len(due) != 1 {
				b.Fatal(due)
			}
		}
	})
}
