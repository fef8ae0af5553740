package policy

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/expr-lang/expr/vm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// eventConditions returns every Event condition of v (and their guards).
func eventConditions(v *Version) map[string]*Condition {
	out := map[string]*Condition{}
	add := func(what string, c *Condition) {
		if c == nil {
			return
		}
		out[what] = c
		if g := c.Guard(); g != nil {
			out[what+" guard"] = g
		}
	}
	for _, c := range v.Counts {
		add("count "+c.ID, c.When)
	}
	for _, c := range v.Caps {
		add("cap "+c.ID, c.When)
	}
	for _, r := range v.Rules {
		add("rule "+r.ID, r.When)
	}
	for _, d := range v.Deadlines {
		add("deadline "+d.ID, d.When)
	}
	for _, a := range v.Actions {
		add("action "+a.ID, a.When)
	}
	return out
}

// drawEvent draws an event with the version's codes and documents and values at the
// edges of what conditions compare.
func drawEvent(r *rand.Rand, v *Version) *Event {
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	sub := func(xs []string) []string {
		var out []string
		for _, x := range xs {
			if r.IntN(3) == 0 {
				out = append(out, x)
			}
		}
		return out
	}
	ids := []string{"UNX", "MED"}
	var tags []string
	for _, c := range v.Codes.All() {
		ids = append(ids, c.ID)
		tags = append(tags, c.Tags...)
	}
	var docs []string
	for _, t := range v.Documents {
		docs = append(docs, t.ID)
	}
	return &Event{
		Date: pick("2024-09-03", "2025-01-10"), Weekday: pick("Monday", "Friday"),
		Code: pick(ids...), Original: pick(ids...),
		Status: pick("absent", "present"), Excuse: pick("none", "excused", "unexcused", "unverified"),
		Span:    pick("full-day", "late-arrival", "early-leave", "class-period"),
		Minutes: []int{0, 1, 30, 60, 195, 200, 389, 390, 400}[r.IntN(9)], DayMinutes: pick2(r, 390, 400),
		Tags: append(sub(tags), sub([]string{"medical", "suspension", "vacation", "parent-authorized"})...), Documents: sub(docs), Missing: sub(docs),
		Flags:          sub([]string{"iep", "section-504", "stls", "project-connect"}),
		Comment:        pick("", "dentist appointment", "appointment", "appt with dr", "bus late"),
		Reason:         pick("", "appointment", "doctor", "unsafe walk", "missed the bus", "APPTS"),
		DaysToDocument: []int{-1, 0, 2, 7, 8, 30}[r.IntN(6)], Age: []int{5, 6, 8, 14, 15, 17, 18}[r.IntN(7)],
		Grade: pick("PK", "K", "1", "8", "12"), Steps: sub([]string{"warning-letter", "probation-letter"}),
	}
}

func pick2(r *rand.Rand, a, b int) int {
	if r.IntN(2) == 0 {
		return a
	}
	return b
}

// The Go function of a condition answers as its expr program does: on every Event
// condition of the shipped packs, and on shapes the packs do not write, over drawn
// events.
func TestFastAgreesWithExpr(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var m vm.VM
	check := func(what string, c *Condition, v *Version) {
		for range 400 {
			e := drawEvent(r, v)
			out, err := m.Run(c.program, e)
			require.NoError(t, err, what)
			assert.Equal(t, out == true, c.fast(e), "%s: %s on %+v", what, c.Source, *e)
		}
	}
	fast := 0
	for _, name := range Names() {
		p, err := Embedded(name)
		require.NoError(t, err)
		for _, v := range p.Versions() {
			for what, c := range eventConditions(v) {
				if c.fast != nil {
					fast++
					check(name+" "+what, c, v)
				}
			}
		}
	}
	assert.Greater(t, fast, 30, "most of the packs' event conditions are compiled")

	p, err := Embedded("ccs")
	require.NoError(t, err)
	v := p.Versions()[0]
	x := &exprCompiler{codes: v.Codes}
	for i, src := range []string{
		`minutes - 30 >= day_minutes / 2`, `-minutes < -30`, `minutes * 2 > day_minutes`, `minutes / 0 > 1`,
		`reason contains "appoint" or comment startsWith "dent" or comment endsWith "late"`,
		`(excuse == "excused") == ("medical" in tags)`, `(excuse == "excused") != true`,
		`not (status == "absent") and age <= 17 and age != 15`, `grade in ["K", "1"] and weekday != "Friday"`,
		`code + "/" + original_code == "MED/MED"`, `days_to_document < 0.5`, `!("iep" in flags)`,
		`"warning-letter" in steps and date == "2024-09-03"`, `"parent-note" in missing or "medical-note" in documents`,
		`(reason + " " + comment) matches "(?i)\\bappts?\\b"`, `occurrence == "" && span == "full-day"`,
		`any(documents, # in ["medical-note", "nurse-note"])`, `all(tags, # != "medical")`, `none(flags, # == "iep")`,
		`all(missing, # in ["parent-note"]) and not any(steps, # == "warning-letter")`,
	} {
		c := x.compileEvent(src, pos{}, fmt.Sprintf("case %d", i), false, &diag{})
		require.NotNil(t, c, src)
		require.NotNil(t, c.fast, "%s is compiled to Go", src)
		check(src, c, v)
	}
	for _, src := range []string{`year.unexcused >= 1`, `any(documents, # == code)`, `minutes % 2 == 0`, `len(tags) > 1`, `any(documents, # in tags)`} {
		x := &exprCompiler{codes: v.Codes, counts: []string{"unexcused"}}
		c := x.compileEvent(src, pos{}, "left to expr", false, &diag{})
		require.NotNil(t, c, src)
		assert.Nil(t, c.fast, "%s is left to expr", src)
	}
}

// FuzzFastAgreesWithExpr compiles any expression a pack could write over an Event and,
// when it has a Go function, checks it against the program on drawn events.
func FuzzFastAgreesWithExpr(f *testing.F) {
	for _, src := range []string{
		`code == "PAA" and minutes < day_minutes`, `minutes / 0 > 1`, `0.1 * 30 >= 3`,
		`(reason + " " + comment) matches "(?i)appt"`, `not any(documents, # in ["a", "b"])`,
		`excuse in ["unverified", "unexcused"] or age >= 18`, `-minutes * 2 != day_minutes - 1.5`,
	} {
		f.Add(src, uint64(1))
	}
	p, err := Embedded("ccs")
	require.NoError(f, err)
	v := p.Versions()[0]
	f.Fuzz(func(t *testing.T, src string, seed uint64) {
		x := &exprCompiler{codes: v.Codes, counts: v.CountIDs()}
		c := x.compileEvent(src, pos{}, "fuzz", false, &diag{})
		if c == nil || c.fast == nil {
			return
		}
		r := rand.New(rand.NewPCG(seed, 3))
		var m vm.VM
		for range 20 {
			e := drawEvent(r, v)
			out, err := m.Run(c.program, e)
			if err != nil {
				t.Fatalf("%s: expr fails (%v) where the Go function answers", src, err)
			}
			if (out == true) != c.fast(e) {
				t.Fatalf("%s: expr %v, Go %v on %+v", src, out, c.fast(e), *e)
			}
		}
	})
}
