// Package district generates a synthetic school district for measuring and testing
// rollcall: students with a year of attendance events and the ladder steps done on some
// of them. It is seeded and deterministic: the same options give the same district.
//
// The district is realistic in shape: a 170-school-day year, about 6% of days missed
// overall, most students with 0-5 absences and a long tail (about 15% chronically
// absent, missing 10% or more), about 12 events a student, tardies and early leaves
// with minutes, documentation present or missing, codes drawn from the pack, and
// ladder steps done on some students. internal/gendistrict writes it as the files
// `attendance report` reads.
package district

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/codes"
	"github.com/rollcall-go/rollcall/history"
	"github.com/rollcall-go/rollcall/policy"
)

// Year is the district's school year: 2024-08-26 to 2025-05-16 with the usual breaks,
// 170 school days of 390 minutes.
func Year() calendar.Year {
	var closed []calendar.Date
	add := func(from, to string) {
		for d := calendar.MustParseDate(from); !d.After(calendar.MustParseDate(to)); d = d.AddDays(1) {
			closed = append(closed, d)
		}
	}
	add("2024-09-02", "2024-09-02")
	add("2024-10-14", "2024-10-14")
	add("2024-11-27", "2024-11-29")
	add("2024-12-23", "2025-01-03")
	add("2025-01-20", "2025-01-20")
	add("2025-02-17", "2025-02-17")
	add("2025-03-24", "2025-03-28")
	return calendar.Year{FirstDay: calendar.MustParseDate("2024-08-26"), LastDay: calendar.MustParseDate("2025-05-16"), Closed: closed, MinutesPerDay: 390}
}

// Event is one generated attendance event, in the JSON form of a history's events.
type Event struct {
	Date      calendar.Date `json:"date"`
	Code      string        `json:"code"`
	Minutes   int           `json:"minutes,omitempty"`
	Documents []string      `json:"documents,omitempty"`
	Comment   string        `json:"comment,omitempty"`
}

// Intervention is one generated ladder step done.
type Intervention struct {
	Step string        `json:"step"`
	Date calendar.Date `json:"date"`
}

// Student is one generated student with a year of events, in date order.
type Student struct {
	ID            string
	Birth         calendar.Date
	Grade         int
	School        string
	Events        []Event
	Interventions []Intervention
}

// Generator draws students one after another.
type Generator struct {
	r        *rand.Rand
	cal      *calendar.Calendar
	days     int
	absent   []string            // absent codes
	partial  []string            // partial-day codes (late arrival, early leave)
	present  []string            // present codes with minutes (tardies)
	docs     map[string][]string // documents that complete each code
	steps    []*policy.Step
	schoolOf []string
	n        int // students drawn
}

// New returns a generator of a district of students whose events use the codes of
// pack p, seeded with seed, with the given number of schools (at least one).
func New(p *policy.Pack, seed uint64, schools int) (*Generator, error) {
	cal, err := calendar.New(Year())
	if err != nil {
		return nil, err
	}
	g := &Generator{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), cal: cal, docs: map[string][]string{}}
	g.days = cal.SchoolDays(cal.First(), cal.Last())
	v := p.At(cal.First())
	for _, c := range v.Codes.All() {
		g.docs[c.ID] = c.Documents.Names()
		switch {
		case c.Status == codes.Present && c.Span != codes.FullDay:
			g.present = append(g.present, c.ID)
		case c.Status == codes.Absent && c.Span == codes.FullDay:
			g.absent = append(g.absent, c.ID)
		case c.Status == codes.Absent:
			g.partial = append(g.partial, c.ID)
		}
	}
	if len(g.absent) == 0 {
		return nil, fmt.Errorf("pack %s has no full-day absent code", p.Name)
	}
	g.steps = v.Steps
	for i := range max(1, schools) {
		g.schoolOf = append(g.schoolOf, fmt.Sprintf("School %03d", i+1))
	}
	return g, nil
}

// Calendar is the district's calendar.
func (g *Generator) Calendar() *calendar.Calendar { return g.cal }

// Next draws the next student: a rate of absence drawn from a skewed distribution
// (most near zero, a long tail), absences on random school days, some partial, some
// tardies, and on half the students with five absences or more the third step of the
// ladder done the day after one of their 6th to 8th events.
func (g *Generator) Next() Student {
	r := g.r
	g.n++
	s := Student{ID: fmt.Sprintf("S%07d", g.n)}
	s.Grade = 1 + r.IntN(8)
	s.Birth = calendar.MustParseDate("2024-09-01").AddDays(-365*(s.Grade+5) - r.IntN(365))
	s.School = g.schoolOf[r.IntN(len(g.schoolOf))]

	// Absence rate: 85% of students draw from an exponential with mean 2.5% (most 0-5
	// absences), 15% from 10-30% (chronically absent).
	rate := r.ExpFloat64() * 0.025
	if r.Float64() < 0.15 {
		rate = 0.10 + r.Float64()*0.20
	}
	absences := int(math.Round(rate * float64(g.days)))
	tardies := r.IntN(6)
	seen := map[int]bool{}
	evs := []Event{}
	pick := func() (calendar.Date, bool) {
		for range 20 {
			k := r.IntN(g.days)
			if !seen[k] {
				seen[k] = true
				d, _ := g.cal.Day(k)
				return d, true
			}
		}
		return calendar.Date{}, false
	}
	for range absences {
		d, ok := pick()
		if !ok {
			break
		}
		e := Event{Date: d, Code: g.absent[r.IntN(len(g.absent))], Comment: "recorded"}
		if len(g.partial) > 0 && r.IntN(6) == 0 {
			e.Code, e.Minutes = g.partial[r.IntN(len(g.partial))], 30+r.IntN(300)
		}
		if docs := g.docs[e.Code]; len(docs) > 0 && r.IntN(3) > 0 { // documented two times in three
			e.Documents = []string{docs[r.IntN(len(docs))]}
		}
		evs = append(evs, e)
	}
	for range tardies {
		if len(g.present) == 0 {
			break
		}
		d, ok := pick()
		if !ok {
			break
		}
		evs = append(evs, Event{Date: d, Code: g.present[r.IntN(len(g.present))], Minutes: 5 + r.IntN(60), Comment: "late"})
	}
	slices.SortFunc(evs, func(a, b Event) int { return a.Date.Compare(b.Date) })
	ivs := []Intervention{}
	if absences >= 5 && len(g.steps) > 0 && r.IntN(2) == 0 {
		k := min(len(evs)-1, 5+r.IntN(3))
		ivs = append(ivs, Intervention{Step: g.steps[min(2, len(g.steps)-1)].ID, Date: evs[k].Date.AddDays(1)})
	}
	s.Events, s.Interventions = evs, ivs
	return s
}

// History is the student's history on the district's calendar.
func (g *Generator) History(s Student) *history.History {
	h := &history.History{
		Student:  history.Student{ID: s.ID, BirthDate: s.Birth, Grade: fmt.Sprint(s.Grade), School: s.School, Flags: []history.Flag{}},
		Calendar: g.cal,
	}
	for _, e := range s.Events {
		h.Events = append(h.Events, history.Event{Date: e.Date, Code: e.Code, Minutes: e.Minutes, Documents: e.Documents, Comment: e.Comment})
	}
	for _, iv := range s.Interventions {
		h.Interventions = append(h.Interventions, history.Intervention{Step: iv.Step, Date: iv.Date})
	}
	return h
}
