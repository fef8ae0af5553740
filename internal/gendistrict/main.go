// Command gendistrict writes a synthetic school district for measuring rollcall: a
// calendar, students, events and interventions as the CSV files `attendance report`
// reads, and the same district as JSON Lines histories. It is seeded and deterministic:
// the same flags write the same files byte for byte.
//
//	go run ./internal/gendistrict -students 330000 -pack il-roe-sop -out /tmp/district
//
// The district is realistic in shape: a 170-school-day year, about 6% of days missed
// overall, most students with 0-5 absences and a long tail (about 15% chronically
// absent, missing 10% or more), about 12 events a student, tardies and early leaves
// with minutes, documentation present or missing, codes drawn from the pack, and
// ladder steps done on some students.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/codes"
	"github.com/rollcall-go/rollcall/policy"
)

func main() {
	students := flag.Int("students", 10000, "how many students")
	packName := flag.String("pack", "il-roe-sop", "the embedded pack whose codes the events use")
	out := flag.String("out", "district", "the directory to write into")
	seed := flag.Uint64("seed", 1, "the random seed")
	schools := flag.Int("schools", 0, "how many schools (default: one per 600 students)")
	flag.Parse()
	if err := run(*students, *packName, *out, *seed, *schools); err != nil {
		fmt.Fprintln(os.Stderr, "gendistrict:", err)
		os.Exit(1)
	}
}

// year is a 170-school-day year: 2024-08-26 to 2025-05-16 with the usual breaks.
func year() calendar.Year {
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

type gen struct {
	r        *rand.Rand
	cal      *calendar.Calendar
	days     int
	absent   []string            // absent codes
	partial  []string            // partial-day codes (late arrival, early leave)
	present  []string            // present codes with minutes (tardies)
	docs     map[string][]string // documents that complete each code
	steps    []*policy.Step
	schoolOf []string
}

func run(n int, packName, out string, seed uint64, schools int) error {
	p, err := policy.Embedded(packName)
	if err != nil {
		return err
	}
	cal, err := calendar.New(year())
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	g := &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), cal: cal, docs: map[string][]string{}}
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
		return fmt.Errorf("pack %s has no full-day absent code", packName)
	}
	g.steps = v.Steps
	if schools <= 0 {
		schools = max(1, n/600)
	}
	for i := range schools {
		g.schoolOf = append(g.schoolOf, fmt.Sprintf("School %03d", i+1))
	}

	calJSON, err := json.MarshalIndent(year(), "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "calendar.json"), calJSON, 0o644); err != nil {
		return err
	}
	files := map[string]*bufio.Writer{}
	var closers []*os.File
	for name, header := range map[string]string{
		"students.csv":      "student_id,birth_date,grade,school,enrolled_from,enrolled_to,flags",
		"events.csv":        "student_id,date,code,minutes,documents,comment,reason",
		"interventions.csv": "student_id,step,date",
		"histories.jsonl":   "",
	} {
		f, err := os.Create(filepath.Join(out, name))
		if err != nil {
			return err
		}
		closers = append(closers, f)
		w := bufio.NewWriterSize(f, 1<<20)
		if header != "" {
			fmt.Fprintln(w, header)
		}
		files[name] = w
	}
	for i := range n {
		g.student(i, files)
	}
	for _, w := range files {
		if err := w.Flush(); err != nil {
			return err
		}
	}
	for _, f := range closers {
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

type event struct {
	Date      calendar.Date `json:"date"`
	Code      string        `json:"code"`
	Minutes   int           `json:"minutes,omitempty"`
	Documents []string      `json:"documents,omitempty"`
	Comment   string        `json:"comment,omitempty"`
}

type intervention struct {
	Step string        `json:"step"`
	Date calendar.Date `json:"date"`
}

// student writes one student: a rate of absence drawn from a skewed distribution (most
// near zero, a long tail), absences on random school days, some partial, some tardies.
func (g *gen) student(i int, files map[string]*bufio.Writer) {
	r := g.r
	id := fmt.Sprintf("S%07d", i+1)
	grade := 1 + r.IntN(8)
	birth := calendar.MustParseDate("2024-09-01").AddDays(-365*(grade+5) - r.IntN(365))
	school := g.schoolOf[r.IntN(len(g.schoolOf))]
	fmt.Fprintf(files["students.csv"], "%s,%s,%d,%s,,,\n", id, birth, grade, school)

	// Absence rate: 85% of students draw from an exponential with mean 2.5% (most 0-5
	// absences), 15% from 10-30% (chronically absent).
	rate := r.ExpFloat64() * 0.025
	if r.Float64() < 0.15 {
		rate = 0.10 + r.Float64()*0.20
	}
	absences := int(math.Round(rate * float64(g.days)))
	tardies := r.IntN(6)
	seen := map[int]bool{}
	evs := []event{}
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
		e := event{Date: d, Code: g.absent[r.IntN(len(g.absent))], Comment: "recorded"}
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
		evs = append(evs, event{Date: d, Code: g.present[r.IntN(len(g.present))], Minutes: 5 + r.IntN(60), Comment: "late"})
	}
	slices.SortFunc(evs, func(a, b event) int { return a.Date.Compare(b.Date) })
	ivs := []intervention{}
	if absences >= 5 && len(g.steps) > 0 && r.IntN(2) == 0 {
		k := min(len(evs)-1, 5+r.IntN(3))
		ivs = append(ivs, intervention{Step: g.steps[min(2, len(g.steps)-1)].ID, Date: evs[k].Date.AddDays(1)})
	}
	w := files["events.csv"]
	for _, e := range evs {
		mins := ""
		if e.Minutes > 0 {
			mins = fmt.Sprint(e.Minutes)
		}
		fmt.Fprintf(w, "%s,%s,%s,%s,%s,%s,\n", id, e.Date, e.Code, mins, strings.Join(e.Documents, ";"), e.Comment)
	}
	for _, iv := range ivs {
		fmt.Fprintf(files["interventions.csv"], "%s,%s,%s\n", id, iv.Step, iv.Date)
	}
	h := map[string]any{
		"student":       map[string]any{"id": id, "birth_date": birth, "grade": fmt.Sprint(grade), "school": school},
		"calendar":      map[string]any{"first_day": "2024-08-26", "last_day": "2025-05-16", "closed": year().Closed, "minutes_per_day": 390},
		"events":        evs,
		"interventions": ivs,
	}
	line, _ := json.Marshal(h)
	files["histories.jsonl"].Write(line)
	files["histories.jsonl"].WriteByte('\n')
}
