package letters_test

import (
	"bytes"
	"encoding/csv"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/history"
	"github.com/rollcall-go/rollcall/letters"
	"github.com/rollcall-go/rollcall/policy"
	"github.com/rollcall-go/rollcall/roster"
)

const dir = "../testdata/letters/"

var asOf = calendar.MustParseDate("2024-12-13")

// student is one student of a sample roster, evaluated.
type student struct {
	h  *history.History
	ev *rollcall.Evaluation
}

// sample reads the sample roster of testdata/letters (the district pack extends
// il-roe-sop with a letterhead) and evaluates every student as of asOf.
func sample(t *testing.T) (*rollcall.Engine, map[string]student) {
	t.Helper()
	p, err := policy.LoadFile(dir + "district.yaml")
	require.NoError(t, err)
	eng := rollcall.New(p)
	data, err := os.ReadFile(dir + "calendar.json")
	require.NoError(t, err)
	cal, err := roster.ReadCalendar(data, "calendar.json")
	require.NoError(t, err)
	ro := roster.New(eng, cal)
	for _, f := range []struct {
		name string
		read func(r *os.File) error
	}{
		{"students.csv", func(r *os.File) error { return ro.ReadStudents(r, "students.csv") }},
		{"events.csv", func(r *os.File) error { return ro.ReadEvents(r, "events.csv") }},
		{"interventions.csv", func(r *os.File) error { return ro.ReadInterventions(r, "interventions.csv") }},
	} {
		fh, err := os.Open(dir + f.name)
		require.NoError(t, err)
		require.NoError(t, f.read(fh))
		fh.Close()
	}
	require.Empty(t, ro.Problems)
	out := map[string]student{}
	for _, en := range ro.Entries() {
		ev, err := eng.Evaluate(en.History, asOf)
		require.NoError(t, err)
		out[en.History.Student.ID] = student{en.History, ev}
	}
	return eng, out
}

func make1(eng *rollcall.Engine, s student) letters.Letters {
	return letters.Make(letters.Input{Engine: eng, History: s.h, Eval: s.ev})
}

// filled checks that every merge field the letter's template reads is filled.
func filled(t *testing.T, l letters.Letter, uses []string) {
	t.Helper()
	root := reflect.ValueOf(l.Fields)
	for _, p := range uses {
		v := root
		for _, name := range strings.Split(strings.TrimPrefix(p, "."), ".") {
			if v.Kind() == reflect.Map {
				v = v.MapIndex(reflect.ValueOf(name))
			} else {
				v = v.FieldByName(name)
			}
		}
		require.True(t, v.IsValid(), "%s %s: %s", l.Student, l.Step, p)
		assert.False(t, v.IsZero(), "%s %s %s: %s is empty", l.Student, l.Step, l.Lang, p)
		if v.Kind() == reflect.String {
			assert.NotEmpty(t, strings.TrimSpace(v.String()), "%s %s: %s", l.Student, l.Step, p)
		}
	}
}

// A roster with one Spanish-speaking family produces that family's letter in Spanish,
// with every merge field filled, and nothing of the English letter in it.
func TestSpanishFamily(t *testing.T) {
	eng, st := sample(t)
	got := make1(eng, st["S01"])
	require.Empty(t, got.Problems)
	require.Empty(t, got.Fallbacks)
	require.Len(t, got.Letters, 1)
	l := got.Letters[0]
	assert.Equal(t, "es", l.Lang)
	assert.Equal(t, "warning-letter", l.Step)
	page, ok := eng.Pack().At(asOf).Letter("warning-letter").Page("es")
	require.True(t, ok)
	filled(t, l, page.Uses())
	assert.Empty(t, page.Missing(&l.Fields))

	var b strings.Builder
	require.NoError(t, l.Render(&b))
	text := b.String()
	for _, want := range []string{
		"13 de diciembre de 2024",
		"María Hernández",
		"812 N 5th St<br>Springfield, IL 62702<br>",
		"Sofía Hernández, grado 3, Lincoln Elementary",
		"6 ausencias que no se han verificado como justificadas",
		"28 de agosto, 6 de septiembre, 18 de septiembre, 27 de septiembre, 8 de octubre y 22 de octubre de 2024",
		"Director(a) de la escuela, Lincoln Elementary",
	} {
		assert.Contains(t, text, want)
	}
	for _, english := range []string{"absences", "December", "Dear", "Principal", "warning-letter"} {
		assert.NotContains(t, text, english, "an English word in the Spanish letter")
	}
	assert.NotContains(t, text, "{{")
	assert.NotRegexp(t, `<br>\s*<br>|\s[.,;:]|>\s*[,.;:]|\(\s*\)`, text, "no blank where a field would be")
}

// Every student with a lettered step due gets one letter per guardian address, in that
// guardian's language, or a problem naming the fields the record lacks.
func TestEveryDueStudentHasALetter(t *testing.T) {
	eng, st := sample(t)
	v := eng.Pack().At(asOf)
	type want struct {
		letters  int
		langs    []string
		problem  string
		fallback string
	}
	wants := map[string]want{
		"S01": {letters: 1, langs: []string{"es"}},
		"S02": {letters: 2, langs: []string{"en", "en"}},           // two guardians, two addresses
		"S03": {letters: 1, langs: []string{"es"}},                 // two guardians, one address, es-MX
		"S04": {letters: 1, langs: []string{"en"}, fallback: "vi"}, // no Vietnamese letter
		"S05": {problem: ".Guardian.AddressLines"},                 // no address
		"S06": {letters: 1, langs: []string{"en"}},                 // the hearing
		"S07": {},                                                  // nothing due
		"S08": {letters: 1, langs: []string{"en"}},                 // no language recorded: English, no note
		"S09": {letters: 1, langs: []string{"es"}},                 // the third letter
	}
	for id, s := range st {
		w, ok := wants[id]
		require.True(t, ok, id)
		got := make1(eng, s)
		var langs []string
		for _, l := range got.Letters {
			langs = append(langs, l.Lang)
			page, _ := v.Letter(l.Step).Page(l.Lang)
			filled(t, l, page.Uses())
		}
		assert.Equal(t, w.langs, langs, id)
		assert.Len(t, got.Letters, w.letters, id)
		if w.problem != "" {
			require.Len(t, got.Problems, 1, id)
			msg := got.Problems[0].Error()
			assert.Contains(t, msg, w.problem)
			assert.Contains(t, msg, "student "+id)
			for _, private := range []string{s.h.Student.Name, s.h.Student.Guardians[0].Name, s.h.Student.Guardians[0].Phone} {
				assert.NotContains(t, msg, private, "a problem never quotes a name or a phone")
			}
		} else {
			assert.Empty(t, got.Problems, id)
		}
		if w.fallback != "" {
			require.Len(t, got.Fallbacks, 1, id)
			assert.Equal(t, w.fallback, got.Fallbacks[0].Wanted)
		} else {
			assert.Empty(t, got.Fallbacks, id)
		}
		// a student with a step due that has a letter gets a letter or a problem for it
		for _, d := range s.ev.Due {
			if v.Letter(d.Step) == nil {
				continue
			}
			has := slices.ContainsFunc(got.Letters, func(l letters.Letter) bool { return l.Step == d.Step }) ||
				slices.ContainsFunc(got.Problems, func(p letters.Problem) bool { return p.Step == d.Step })
			assert.True(t, has, "%s %s", id, d.Step)
		}
	}

	// S03's guardians share an address: one letter addressed to both, joined in Spanish.
	got := make1(eng, st["S03"])
	assert.Equal(t, "Ana García y Luis García", got.Letters[0].Fields.Guardian.Name)
	// S06's hearing letter gives the 20-day period: the 20 school days after the letter's
	// date (December 16 to January 27, over the winter break and a closed January 20).
	got = make1(eng, st["S06"])
	require.Len(t, got.Letters, 1)
	f := got.Letters[0].Fields
	assert.Equal(t, "truancy-hearing", got.Letters[0].Step)
	assert.Equal(t, "December 16, 2024", f.PeriodStart)
	assert.Equal(t, "January 27, 2025", f.PeriodEnd)
	assert.Equal(t, "6 unexcused absences since our third notice", f.Reason)
	// the absences behind since("roe-third-letter").unexcused are those after it
	require.Len(t, f.Absences, 6)
	assert.Equal(t, "October 30, 2024", f.Absences[0].Date)
	assert.Equal(t, "UNX", f.Absences[0].Code)
}

// The letters of a school are one printable document: one article a letter, each under
// the letterhead, with its required fields; every value escaped.
func TestPage(t *testing.T) {
	eng, st := sample(t)
	var all []letters.Letter
	for _, id := range []string{"S01", "S02", "S03", "S09"} {
		all = append(all, make1(eng, st[id]).Letters...)
	}
	// a hostile name is escaped, never run
	s := st["S07"]
	h := *s.h
	h.Student.Name = `<script>alert("x")</script>`
	h.Student.Guardians = []history.Guardian{{Name: `Eve <img src=x onerror=alert(1)>`, Address: "1 Main St;Town", Language: "en"}}
	h.Events = append(h.Events, history.Event{Date: calendar.MustParseDate("2024-12-02"), Code: "UNX"}, history.Event{Date: calendar.MustParseDate("2024-12-03"), Code: "UNX"},
		history.Event{Date: calendar.MustParseDate("2024-12-04"), Code: "UNX"}, history.Event{Date: calendar.MustParseDate("2024-12-05"), Code: "UNX"},
		history.Event{Date: calendar.MustParseDate("2024-12-06"), Code: "UNX"})
	ev, err := eng.Evaluate(&h, asOf)
	require.NoError(t, err)
	hostile := letters.Make(letters.Input{Engine: eng, History: &h, Eval: ev})
	require.Len(t, hostile.Letters, 1)
	all = append(all, hostile.Letters...)
	letters.SortLetters(all, eng.Pack().At(asOf))

	var b bytes.Buffer
	page := letters.NewPage(&b, "Letters, Lincoln Elementary")
	for i := range all {
		require.NoError(t, page.Add(&all[i]))
	}
	require.NoError(t, page.Close())
	doc := b.String()
	assert.True(t, strings.HasPrefix(doc, "<!DOCTYPE html>"))
	assert.Contains(t, doc, "@page")
	assert.Contains(t, doc, "break-after: page")
	assert.NotContains(t, doc, "<script")
	assert.NotContains(t, doc, "<img")
	assert.Contains(t, doc, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;")
	assert.NotRegexp(t, `https?://`, doc, "no network")

	articles := regexp.MustCompile(`(?s)<article class="letter" lang="(\w+)" data-student="(\w+)" data-step="([\w-]+)".*?</article>`).FindAllStringSubmatch(doc, -1)
	require.Len(t, articles, len(all), "one article a letter")
	for i, a := range articles {
		l := all[i]
		assert.Equal(t, []string{l.Lang, l.Student, l.Step}, a[1:4])
		body := a[0]
		assert.Contains(t, body, `<div class="district">Springfield Elementary School District</div>`, "the letterhead")
		for _, field := range []string{l.Fields.Date, l.Fields.Reason, l.Fields.Signer, l.Fields.Student.Grade} {
			assert.Contains(t, body, field, "%s %s", l.Student, l.Step)
		}
		for _, line := range l.Fields.Guardian.AddressLines {
			assert.Contains(t, body, line)
		}
	}
}

// The merge CSV has a row a letter, every column named, formulas neutralised.
func TestMergeCSV(t *testing.T) {
	eng, st := sample(t)
	v := eng.Pack().At(asOf)
	var ls []letters.Letter
	for _, id := range []string{"S01", "S02", "S06"} {
		ls = append(ls, make1(eng, st[id]).Letters...)
	}
	ls[0].Fields.Guardian.Name = `=HYPERLINK("http://x","y")`
	var b bytes.Buffer
	m := letters.NewMergeWriter(&b, letters.CountNames(v))
	for i := range ls {
		require.NoError(t, m.Write(&ls[i]))
	}
	require.NoError(t, m.Flush())
	rows, err := csv.NewReader(&b).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 1+len(ls))
	hdr := rows[0]
	assert.Equal(t, letters.MergeColumns, hdr[:len(letters.MergeColumns)])
	assert.Contains(t, hdr, "not_verified")
	col := func(name string) int { return slices.Index(hdr, name) }
	assert.Equal(t, `'=HYPERLINK("http://x","y")`, rows[1][col("guardian_name")])
	assert.Equal(t, "es", rows[1][col("language")])
	assert.Equal(t, "Springfield, IL 62702", rows[1][col("address_2")])
	assert.Equal(t, "6", rows[1][col("not_verified")])
	last := rows[len(rows)-1]
	assert.Equal(t, "truancy-hearing", last[col("step")])
	assert.Equal(t, "December 16, 2024", last[col("period_start")])
	assert.Equal(t, "January 27, 2025", last[col("period_end")])
}

func TestFormatDate(t *testing.T) {
	d := calendar.MustParseDate("2025-01-02")
	assert.Equal(t, "January 2, 2025", letters.FormatDate(d, "en"))
	assert.Equal(t, "2 de enero de 2025", letters.FormatDate(d, "es"))
	assert.Equal(t, "2025-01-02", letters.FormatDate(d, "vi"))
	assert.Equal(t, "", letters.FormatDate(calendar.Date{}, "en"))
}

func TestSlug(t *testing.T) {
	assert.Equal(t, "lincoln-elementary", letters.Slug("Lincoln Elementary"))
	assert.Equal(t, "s01", letters.Slug("S01"))
	assert.NotEqual(t, letters.Slug("a/b"), letters.Slug("a_b"))
	assert.Regexp(t, `^[a-z0-9-]+$`, letters.Slug("../../etc/passwd"))
	assert.Regexp(t, `^[0-9a-f]{12}$`, letters.Slug("名前"))
}

// countBars returns the number of bars of each chart of an HTML page, in order.
func countBars(doc string) []int {
	var out []int
	for _, svg := range regexp.MustCompile(`(?s)<svg[^>]*class="bars".*?</svg>`).FindAllString(doc, -1) {
		out = append(out, strings.Count(svg, `<rect class="bar"`))
	}
	return out
}

// The district report: its counts are the evaluations' (the JSON report's), each chart
// has a bar per bin, month or excuse, and the page is self-contained.
func TestReport(t *testing.T) {
	eng, st := sample(t)
	rep := letters.NewReport(eng.Pack(), asOf)
	due, overdue, withDue := map[string]int{}, map[string]int{}, 0
	for _, id := range slices.Sorted(mapKeys(st)) {
		s := st[id]
		rep.Add(s.h, s.ev, "")
		if len(s.ev.Due) > 0 {
			withDue++
		}
		for _, d := range s.ev.Due {
			due[d.Step]++
			if d.Overdue {
				overdue[d.Step]++
			}
		}
	}
	var b strings.Builder
	require.NoError(t, rep.WriteHTML(&b, true))
	doc := b.String()
	assert.NotContains(t, doc, "<script")
	assert.NotRegexp(t, `(src|href)="https?://`, doc, "no network")
	assert.NotContains(t, doc, "Sofía", "the district page names no student")

	district := regexp.MustCompile(`(?s)<table class="summary" id="district">.*?</table>`).FindString(doc)
	require.NotEmpty(t, district)
	assert.Contains(t, district, `<td data-kind="students">9</td>`)
	assert.Contains(t, district, `<td data-kind="with-due">`+strconv.Itoa(withDue)+`</td>`)
	for _, s := range eng.Pack().At(asOf).Steps {
		assert.Regexp(t, `data-step="`+s.ID+`" data-due="`+strconv.Itoa(due[s.ID])+`" data-overdue="`+strconv.Itoa(overdue[s.ID])+`"`, district, s.ID)
	}
	// per school: Lincoln has S01, S02, S03, S07, S09
	assert.Regexp(t, `(?s)<tr data-school="Lincoln Elementary"><td class="name"><a href="lincoln-elementary/index.html">Lincoln Elementary</a></td><td data-kind="students">5</td><td data-kind="with-due">4</td>`, doc)
	assert.Contains(t, doc, `<tr data-grade="K"><td class="name">K</td><td data-kind="students">1</td>`)

	// district charts, then three a school: rates (5 bins), months (August to
	// December: 5), excuses (3)
	assert.Equal(t, []int{5, 5, 3, 5, 5, 3, 5, 5, 3}, countBars(doc))
	rates := regexp.MustCompile(`(?s)<svg[^>]*class="bars".*?</svg>`).FindString(doc)
	sum := 0
	for _, m := range regexp.MustCompile(`data-value="(\d+)"`).FindAllStringSubmatch(rates, -1) {
		n, _ := strconv.Atoi(m[1])
		sum += n
	}
	assert.Equal(t, 9, sum, "every student in one bin of the rate distribution")

	// a school's page lists its students, each linking to the student's page
	rep = letters.NewReport(eng.Pack(), asOf)
	rep.KeepStudents = true
	for id, s := range st {
		rep.Add(s.h, s.ev, strings.ToLower(id)+".html")
	}
	b.Reset()
	require.NoError(t, rep.WriteSchoolHTML(&b, "Washington Elementary", "../index.html"))
	doc = b.String()
	rows := regexp.MustCompile(`<tr data-student="(\w+)"><td class="name"><a href="(\w+\.html)">`).FindAllStringSubmatch(doc, -1)
	require.Len(t, rows, 4)
	assert.Equal(t, []string{"S04", "s04.html"}, rows[0][1:])
	assert.Contains(t, doc, "Elijah Brown", "a school's page is for staff and names students")
}

// A student's year: every school day of the year drawn and colored, partial days
// shaded, the steps marked on the days they fell due and were done, the clauses beside.
func TestStudentPage(t *testing.T) {
	eng, st := sample(t)
	s := st["S06"]
	var b strings.Builder
	require.NoError(t, letters.WriteStudentPage(&b, letters.StudentPage{Engine: eng, History: s.h, Eval: s.ev}))
	doc := b.String()
	assert.NotContains(t, doc, "<script")
	cal := s.h.Calendar
	year := cal.Years()[0]
	days := regexp.MustCompile(`<rect class="day[^"]*" [^>]*data-status="(\w[\w-]*)"`).FindAllStringSubmatch(doc, -1)
	count := map[string]int{}
	for _, d := range days {
		count[d[1]]++
	}
	schoolDays := count["present"] + count["absent"] + count["partial"] + count["future"] + count["not-enrolled"]
	assert.Equal(t, cal.SchoolDays(year.FirstDay, year.LastDay), schoolDays, "every school day drawn once")
	assert.Equal(t, 21, count["absent"], "S06's 21 unexcused days")
	assert.Regexp(t, `data-date="2024-09-03" data-status="absent" data-excuse="unexcused"`, doc)
	assert.Regexp(t, `data-date="2024-09-02" data-status="closed"`, doc, "Labor Day")
	assert.Regexp(t, `data-date="2024-12-16" data-status="future"`, doc)

	// the steps: six done (marked on their dates), the hearing due
	marks := regexp.MustCompile(`<circle class="mark mark-(due|done)"[^>]*data-kind="(due|done)"`).FindAllStringSubmatch(doc, -1)
	assert.Len(t, marks, 7)
	assert.Contains(t, doc, `<div class="step due" data-step="truancy-hearing" data-kind="due">`)
	assert.Contains(t, doc, `<div class="step done" data-step="roe-third-letter" data-kind="done">`)
	assert.Regexp(t, `(?s)data-step="truancy-hearing" data-kind="due">.*?<li class="held"><code>since\(&#34;roe-third-letter&#34;\).unexcused &gt;= 1</code>`, doc)

	// a partial day is shaded in proportion
	s2 := st["S02"]
	b.Reset()
	require.NoError(t, letters.WriteStudentPage(&b, letters.StudentPage{Engine: eng, History: s2.h, Eval: s2.ev}))
	assert.NotRegexp(t, `data-status="partial"`, b.String(), "a tardy is present")
	h := *s2.h
	h.Events = append(slices.Clone(h.Events), history.Event{Date: calendar.MustParseDate("2024-11-04"), Code: "UNX", Minutes: 200})
	ev, err := eng.Evaluate(&h, asOf)
	require.NoError(t, err)
	b.Reset()
	require.NoError(t, letters.WriteStudentPage(&b, letters.StudentPage{Engine: eng, History: &h, Eval: ev}))
	assert.Regexp(t, `data-date="2024-11-04" data-status="partial" data-excuse="unexcused" data-days="0.5"`, b.String())
	assert.Regexp(t, `<rect class="part" [^>]*height="11"`, b.String())
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// A page's name is the same for the same id and differs for different ids, in lower
// case: ids that differ only in case, or in characters Slug drops, get names of their
// own.
func TestPageName(t *testing.T) {
	for id, want := range map[string]string{
		"S0000001": "s0000001",
		"100234":   "100234",
		"AB-12":    "ab-12",
		"s01":      "s01_0",    // small letters: the capitals' places after '_' (none)
		"S01":      "s01",      // capitals and digits alone: lower case
		"Ab":       "ab_1",     // A at place 0
		"aB":       "ab_2",     // B at place 1
		"xYz9Q":    "xyz9q_12", // Y at 1, Q at 4: 2+16
	} {
		assert.Equal(t, want, letters.PageName(id), id)
	}
	// others: the slug, then a hash of the id
	for _, id := range []string{"a b", "a-b ", "../etc/passwd", "名前", "", "CON", "-x", strings.Repeat("A", 49)} {
		assert.Regexp(t, `^[a-z0-9-]*_h[0-9a-f]{16}$`, letters.PageName(id), id)
	}
	assert.NotEqual(t, letters.PageName("a b"), letters.PageName("a  b"))
	seen := map[string]string{}
	for _, id := range []string{"S01", "s01", "S01 ", "s-01", "S-01", "Ab", "aB", "AB", "ab", "a b", "a-b", "A-B", "CON", "con"} {
		n := letters.PageName(id)
		assert.Empty(t, seen[n], "%q and %q", id, seen[n])
		seen[n] = id
	}
}

// A district counted by parts and merged is the district counted at once: the same
// page, students for review in order of id.
func TestReportMerge(t *testing.T) {
	eng, st := sample(t)
	ids := slices.Sorted(mapKeys(st))
	whole := letters.NewReport(eng.Pack(), asOf)
	for _, id := range ids {
		whole.Add(st[id].h, st[id].ev, "")
	}
	merged := letters.NewReport(eng.Pack(), asOf)
	for _, part := range [][]string{ids[5:], ids[:2], ids[2:5]} { // out of order: the page sorts
		r := letters.NewReport(eng.Pack(), asOf)
		for _, id := range part {
			r.Add(st[id].h, st[id].ev, "")
		}
		merged.Merge(r)
	}
	whole.Sum()
	merged.Sum()
	assert.Equal(t, whole.District, merged.District)
	var a, b strings.Builder
	require.NoError(t, whole.WriteHTML(&a, true))
	require.NoError(t, merged.WriteHTML(&b, true))
	assert.Equal(t, a.String(), b.String())
	assert.Equal(t, 9, merged.District.Students)
}

// A school's row escapes what it prints.
func TestAppendStudentRow(t *testing.T) {
	row := letters.StudentRow{ID: `S<1>`, Name: `"Bob" & Al's`, Grade: "3", Rate: 0.9125, AbsentDays: 1.5, Page: "s1.html",
		Due: []letters.DueMark{{Step: "warning-letter"}, {Step: "probation-letter", Overdue: true}}, Designations: []string{"chronic"},
		Caps: []letters.CapUse{{Cap: "parent-authorized", Used: 4, Limit: 9, Near: true}}, Review: []string{"warning-letter"}}
	assert.Equal(t, `<tr data-student="S&lt;1&gt;"><td class="name"><a href="s1.html">S&lt;1&gt;</a></td><td class="name">&#34;Bob&#34; &amp; Al&#39;s</td><td>3</td><td>91.25%</td><td>1.5</td>`+
		`<td class="name"><span>warning-letter</span>, <span class="over" title="overdue">probation-letter</span></td><td class="name">chronic</td><td class="name">parent-authorized 4/9</td><td class="name">warning-letter</td></tr>`+"\n",
		string(letters.AppendStudentRow(nil, row)))
}
