package letters

import (
	"cmp"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/history"
	"github.com/rollcall-go/rollcall/policy"
)

// Report is a district's attendance as of a date, for people to look at: per school
// and grade, the students due each ladder step and those overdue, the designations,
// an attendance-rate distribution, absences by month and by excuse, and the students
// near a cap and at it. Add every student's evaluation, then write it as HTML.
type Report struct {
	Pack    *policy.Pack
	Version *policy.Version // the version in force on AsOf
	AsOf    calendar.Date
	Near    float64 // the fraction of a cap's limit from which a student is near it
	// KeepStudents keeps one row per student, for the schools' pages.
	KeepStudents bool

	// District and each School's Summary are the sums of the grades' summaries: Add
	// and Merge count each student in a grade, and Sum (which the Write methods call)
	// adds the grades up.
	District Summary
	Schools  map[string]*School
	Problems int // rows not used, for the page's note
	cal      *calendar.Calendar
}

// Summary is the counts of a group of students (the district, a school, a grade). A
// map is nil until something is counted in it.
type Summary struct {
	Students int
	WithDue  int
	// Review counts the students with no step due and a step done to review (see
	// rollcall.Evaluation.Review): the CSV report has no row for them.
	Review       int
	Due          map[string]int // students due each step
	Overdue      map[string]int // students for whom the step is overdue
	Designations map[string]int
	Rates        [len(rateBins)]int // students by attendance rate
	Months       map[string]float64 // absent days by month, "2024-09"
	Excuses      map[string]float64 // absent days by excuse
	NearCap      map[string]int
	AtCap        map[string]int
}

// School is one school's summary, by grade, its students for review and (when kept)
// its students.
type School struct {
	Name string
	Summary
	Grades   map[string]*Summary
	Students []StudentRow
	// Dir is the directory of the school's page under the district's: Slug(Name) when
	// empty (set it when two schools' names have the same slug).
	Dir string
	// Review lists the students with no step due and a step done to review, always
	// kept (they are few): staff look at them, for no row of the CSV report names them.
	Review []ReviewRow
}

// ReviewRow is a student with no step due and steps done to review.
type ReviewRow struct {
	ID    string
	Steps []string // the steps to review
	Page  string   // the student's page, relative to the school's, or ""
}

// StudentRow is one student on a school's page.
type StudentRow struct {
	ID, Name, Grade string
	Rate            float64
	AbsentDays      float64
	Due             []DueMark
	Designations    []string
	Caps            []CapUse
	Review          []string // the steps done to review
	Page            string   // the student's page, relative to the school's
}

// DueMark is a step due for a student, and whether it is overdue.
type DueMark struct {
	Step    string
	Overdue bool
}

// The attendance-rate bins of the distribution, by lower bound.
var rateBins = [...]struct {
	Label string
	Min   float64
}{{"under 80%", -1}, {"80-85%", 0.80}, {"85-90%", 0.85}, {"90-95%", 0.90}, {"95-100%", 0.95}}

// NoSchool is the school of students whose record names none.
const NoSchool = "(no school)"

// NewReport returns an empty report of pack p as of asOf.
func NewReport(p *policy.Pack, asOf calendar.Date) *Report {
	return &Report{Pack: p, Version: p.At(asOf), AsOf: asOf, Near: DefaultNear, Schools: map[string]*School{}, District: newSummary()}
}

// newSummary returns an empty summary. Its maps are made when first counted in (a
// district counted a batch at a time makes a summary per grade and batch).
func newSummary() Summary { return Summary{} }

// addTo adds v to m[k], making m when nil.
func addTo[V int | float64](m *map[string]V, k string, v V) {
	if *m == nil {
		*m = map[string]V{}
	}
	(*m)[k] += v
}

// addAll adds every value of from to to.
func addAll[V int | float64](to *map[string]V, from map[string]V) {
	for k, v := range from {
		addTo(to, k, v)
	}
}

// Add counts one student's evaluation. page names the student's page for the school's
// list ("" for none).
func (r *Report) Add(h *history.History, ev *rollcall.Evaluation, page string) {
	if row, ok := r.add(h, ev, page, r.KeepStudents); ok && r.KeepStudents {
		sc := r.Schools[SchoolOf(h)]
		sc.Students = append(sc.Students, row)
	}
}

// AddStudent counts one student's evaluation as Add does and returns the student's row
// of the school's page, whether or not the report keeps it; ok is false (and nothing is
// counted) without a history or an evaluation.
func (r *Report) AddStudent(h *history.History, ev *rollcall.Evaluation, page string) (row StudentRow, ok bool) {
	return r.add(h, ev, page, true)
}

// add counts a student and, when wanted, makes the student's row.
func (r *Report) add(h *history.History, ev *rollcall.Evaluation, page string, wantRow bool) (row StudentRow, ok bool) {
	if h == nil || ev == nil {
		return row, false
	}
	if r.cal == nil && h.Calendar != nil {
		r.cal = h.Calendar
	}
	sc := r.school(SchoolOf(h))
	grade := history.NormalizeGrade(h.Student.Grade)
	if grade == "" {
		grade = "(none)"
	}
	gs := sc.grade(grade)
	caps := CapUsage(r.Version, h, ev, r.Near)
	rate, _ := ev.Facts.Get("attendance_rate")
	absent, _ := ev.Facts.Get("absent_days")
	gs.add(ev, rate, caps, absences(ev))
	var review []string
	for _, rv := range ev.Review {
		review = append(review, rv.Step)
	}
	if len(ev.Due) == 0 && len(ev.Review) > 0 {
		// the id cloned: a roster may cut it from a batch's rows, which it would keep alive
		sc.Review = append(sc.Review, ReviewRow{ID: strings.Clone(h.Student.ID), Steps: review, Page: page})
	}
	if !wantRow {
		return row, true
	}
	row = StudentRow{ID: h.Student.ID, Name: strings.TrimSpace(h.Student.Name), Grade: h.Student.Grade, Rate: rate, AbsentDays: absent, Caps: caps, Page: page}
	for _, d := range ev.Due {
		row.Due = append(row.Due, DueMark{Step: d.Step, Overdue: d.Overdue})
	}
	for _, d := range ev.Designations {
		row.Designations = append(row.Designations, d.ID)
	}
	row.Review = review
	return row, true
}

// SchoolOf returns the school a student is counted in: the record's, trimmed, or
// NoSchool.
func SchoolOf(h *history.History) string {
	if s := strings.TrimSpace(h.Student.School); s != "" {
		return s
	}
	return NoSchool
}

// school returns the school of that name, made empty when new.
func (r *Report) school(name string) *School {
	sc := r.Schools[name]
	if sc == nil {
		sc = &School{Name: name, Summary: newSummary(), Grades: map[string]*Summary{}}
		r.Schools[name] = sc
	}
	return sc
}

// grade returns the summary of a grade of the school, made empty when new.
func (sc *School) grade(g string) *Summary {
	gs := sc.Grades[g]
	if gs == nil {
		s := newSummary()
		gs = &s
		sc.Grades[g] = gs
	}
	return gs
}

// Merge adds the students of o, a report of the same pack and date, to r: the counts of
// each group, and the students kept and for review after r's own. A district is
// counted by parts (a batch of students each) that are then merged in order.
func (r *Report) Merge(o *Report) {
	if r.cal == nil {
		r.cal = o.cal
	}
	r.Problems += o.Problems
	for name, so := range o.Schools {
		sc := r.school(name)
		for g, gs := range so.Grades {
			sc.grade(g).merge(gs)
		}
		sc.Students = append(sc.Students, so.Students...)
		sc.Review = append(sc.Review, so.Review...)
	}
}

// Sum makes the district's and each school's summary the sum of their grades'. The
// grades are added in order, so that the sums of absent days are the same whatever
// order the students were counted in.
func (r *Report) Sum() {
	r.District = newSummary()
	for _, name := range r.SchoolNames() {
		sc := r.Schools[name]
		sc.Summary = newSummary()
		for _, g := range slices.Sorted(mapKeysOf(sc.Grades)) {
			sc.Summary.merge(sc.Grades[g])
		}
		r.District.merge(&sc.Summary)
	}
}

func mapKeysOf[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func (s *Summary) merge(o *Summary) {
	s.Students += o.Students
	s.WithDue += o.WithDue
	s.Review += o.Review
	for i, n := range o.Rates {
		s.Rates[i] += n
	}
	addAll(&s.Due, o.Due)
	addAll(&s.Overdue, o.Overdue)
	addAll(&s.Designations, o.Designations)
	addAll(&s.NearCap, o.NearCap)
	addAll(&s.AtCap, o.AtCap)
	addAll(&s.Months, o.Months)
	addAll(&s.Excuses, o.Excuses)
}

// absentDays is a student's absent days by month and by excuse, to the report's date.
type absentDays struct{ months, excuses []keyDays }

type keyDays struct {
	key  string
	days float64
}

func (a absentDays) add(to []keyDays, key string, days float64) []keyDays {
	for i := range to {
		if to[i].key == key {
			to[i].days += days
			return to
		}
	}
	return append(to, keyDays{key, days})
}

// absences sums a student's absent days by month and excuse, once for the three groups
// the student is counted in.
func absences(ev *rollcall.Evaluation) absentDays {
	var a absentDays
	lastY, lastM, lastKey := 0, time.Month(0), ""
	for _, c := range ev.Events {
		if c.Rejected != "" || c.Status != "absent" || c.Days <= 0 || c.Date.After(ev.AsOf) {
			continue
		}
		y, m, _ := c.Date.Date()
		if y != lastY || m != lastM {
			lastY, lastM, lastKey = y, m, monthKey(y, m)
		}
		a.months = a.add(a.months, lastKey, c.Days)
		a.excuses = a.add(a.excuses, c.Excuse, c.Days)
	}
	return a
}

func (s *Summary) add(ev *rollcall.Evaluation, rate float64, caps []CapUse, abs absentDays) {
	s.Students++
	if len(ev.Due) > 0 {
		s.WithDue++
	} else if len(ev.Review) > 0 {
		s.Review++
	}
	for _, d := range ev.Due {
		addTo(&s.Due, d.Step, 1)
		if d.Overdue {
			addTo(&s.Overdue, d.Step, 1)
		}
	}
	for _, d := range ev.Designations {
		addTo(&s.Designations, d.ID, 1)
	}
	bin := 0
	for i, b := range rateBins {
		if rate >= b.Min {
			bin = i
		}
	}
	s.Rates[bin]++
	for _, a := range abs.months {
		addTo(&s.Months, a.key, a.days)
	}
	for _, a := range abs.excuses {
		addTo(&s.Excuses, a.key, a.days)
	}
	for _, c := range caps {
		if c.At {
			addTo(&s.AtCap, c.Cap, 1)
		} else if c.Near {
			addTo(&s.NearCap, c.Cap, 1)
		}
	}
}

// monthKey returns "YYYY-MM" (fmt.Sprintf costs more, once an absence).
func monthKey(y int, m time.Month) string {
	if y < 0 || y > 9999 {
		return fmt.Sprintf("%04d-%02d", y, int(m))
	}
	b := [7]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-', byte('0' + int(m)/10), byte('0' + int(m)%10)}
	return string(b[:])
}

// SchoolNames returns the schools in order of name, the students without one last.
func (r *Report) SchoolNames() []string {
	var out []string
	for n := range r.Schools {
		out = append(out, n)
	}
	slices.SortFunc(out, func(a, b string) int {
		return cmp.Or(cmp.Compare(boolInt(a == NoSchool), boolInt(b == NoSchool)), cmp.Compare(a, b))
	})
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// The charts of a summary.

// RateChart is the attendance-rate distribution: students by rate.
func (r *Report) RateChart(s *Summary) Chart {
	c := Chart{Title: "Attendance rate", Unit: "students"}
	for i, b := range rateBins {
		c.Bars = append(c.Bars, Bar{Label: b.Label, Value: float64(s.Rates[i])})
	}
	return c
}

// MonthChart is the absent days by month of the school year, to the report's date.
func (r *Report) MonthChart(s *Summary) Chart {
	c := Chart{Title: "Absences by month", Unit: "school days absent"}
	for _, m := range r.months(s) {
		y, mo := 0, 0
		fmt.Sscanf(m, "%d-%d", &y, &mo)
		c.Bars = append(c.Bars, Bar{Label: time.Month(mo).String()[:3], Value: s.Months[m]})
	}
	return c
}

// months returns the months of the school year up to the report's date (or those with
// absences, without a calendar).
func (r *Report) months(s *Summary) []string {
	var out []string
	if r.cal != nil {
		if w := r.cal.YearToDate(r.AsOf); !w.From.IsZero() {
			y, m, _ := w.From.Date()
			ly, lm, _ := r.AsOf.Date()
			for y < ly || (y == ly && m <= lm) {
				out = append(out, fmt.Sprintf("%04d-%02d", y, int(m)))
				if m++; m > time.December {
					m, y = time.January, y+1
				}
			}
			return out
		}
	}
	for m := range s.Months {
		out = append(out, m)
	}
	slices.Sort(out)
	return out
}

// ExcuseChart is the absent days by excuse.
func (r *Report) ExcuseChart(s *Summary) Chart {
	c := Chart{Title: "Absences by excuse", Unit: "school days absent"}
	for _, e := range []string{"excused", "unverified", "unexcused"} {
		c.Bars = append(c.Bars, Bar{Label: e, Value: s.Excuses[e]})
	}
	return c
}

// view is what the report's templates see.
type view struct {
	R       *Report
	Title   string
	Steps   []*policy.Step
	Desigs  []*policy.Designation
	Caps    []*policy.Cap
	Schools []schoolView
	School  *schoolView
	Links   bool
	CSS     template.CSS
	Index   string // the district page, from a school's page
}

type schoolView struct {
	*School
	Page   string
	Grades []gradeView
	Charts []template.HTML
}

type gradeView struct {
	Grade string
	*Summary
}

// view returns what the templates see; with schools, every school's section (the
// district's page), which a school's page does not show.
func (r *Report) view(schools bool) *view {
	v := &view{R: r, Steps: r.Version.Steps, Desigs: r.Version.Designations, Caps: r.Version.Caps, CSS: template.CSS(reportCSS)}
	v.Title = "Attendance report"
	if r.Pack.Title != "" {
		v.Title += ": " + r.Pack.Title
	}
	if schools {
		for _, n := range r.SchoolNames() {
			v.Schools = append(v.Schools, r.schoolView(r.Schools[n]))
		}
	}
	return v
}

// sortReview puts a school's students for review in order of id (a report counted by
// parts has them in the order its parts were merged).
func (sc *School) sortReview() {
	slices.SortStableFunc(sc.Review, func(a, b ReviewRow) int { return cmp.Compare(a.ID, b.ID) })
}

func (r *Report) schoolView(sc *School) schoolView {
	sc.sortReview()
	dir := sc.Dir
	if dir == "" {
		dir = Slug(sc.Name)
	}
	sv := schoolView{School: sc, Page: dir + "/index.html"}
	var grades []string
	for g := range sc.Grades {
		grades = append(grades, g)
	}
	slices.SortFunc(grades, compareGrades)
	for _, g := range grades {
		sv.Grades = append(sv.Grades, gradeView{Grade: g, Summary: sc.Grades[g]})
	}
	sv.Charts = []template.HTML{r.RateChart(&sc.Summary).SVG(), r.MonthChart(&sc.Summary).SVG(), r.ExcuseChart(&sc.Summary).SVG()}
	return sv
}

// compareGrades orders PK, K, 1, 2, ..., 12, then other grades by name.
func compareGrades(a, b string) int {
	rank := func(g string) (int, string) {
		switch g {
		case "PK":
			return -2, ""
		case "K":
			return -1, ""
		}
		n := 0
		if _, err := fmt.Sscanf(g, "%d", &n); err == nil && fmt.Sprint(n) == g {
			return n, ""
		}
		return 100, g
	}
	ra, sa := rank(a)
	rb, sb := rank(b)
	return cmp.Or(cmp.Compare(ra, rb), cmp.Compare(sa, sb))
}

// WriteHTML writes the district's page: the district's summary and charts, a table of
// the schools, and each school by grade with its students for review (by id). With
// links, each school's row links to its page (see [Report.WriteSchoolHTML]), at
// DIR/index.html (School.Dir, by default the school's Slug).
func (r *Report) WriteHTML(w io.Writer, links bool) error {
	r.Sum()
	v := r.view(true)
	v.Links = links
	return reportTemplates.ExecuteTemplate(w, "district", v)
}

// WriteSchoolHTML writes one school's page: its summary by grade, its charts, its
// students for review, and its students (kept with KeepStudents), each linking to the
// student's page. index is the district page, relative to the school's.
func (r *Report) WriteSchoolHTML(w io.Writer, school, index string) error {
	v, err := r.schoolPageView(school, index)
	if err != nil {
		return err
	}
	slices.SortFunc(v.School.Students, func(a, b StudentRow) int { return cmp.Compare(a.ID, b.ID) })
	return reportTemplates.ExecuteTemplate(w, "school", v)
}

// WriteSchoolPage writes one school's page as WriteSchoolHTML does, but its students'
// rows are read from rows: the HTML AppendStudentRow made, in the order to show. A
// district's school pages are written this way from rows kept on disk while the
// students were counted, never the whole district's in memory.
func (r *Report) WriteSchoolPage(w io.Writer, school, index string, rows io.Reader) error {
	v, err := r.schoolPageView(school, index)
	if err != nil {
		return err
	}
	if err := reportTemplates.ExecuteTemplate(w, "school-head", v); err != nil {
		return err
	}
	if _, err := io.Copy(w, rows); err != nil {
		return err
	}
	return reportTemplates.ExecuteTemplate(w, "school-tail", v)
}

func (r *Report) schoolPageView(school, index string) (*view, error) {
	r.Sum()
	sc := r.Schools[school]
	if sc == nil {
		return nil, fmt.Errorf("letters: no school %q in the report", school)
	}
	v := r.view(false)
	sv := r.schoolView(sc)
	v.School = &sv
	v.Index = index
	return v, nil
}

// stepsRow returns a summary's cells of students, students with a step due, for
// review, and due each step (with those overdue). The cells of summaries, like the
// lists below, are written by hand: a district page has a row per school and grade.
func stepsRow(rv rowView) template.HTML {
	w := &htmlBuf{}
	s := rv.S
	w.raw(`<td data-kind="students">`)
	w.int(s.Students)
	w.raw(`</td><td data-kind="with-due">`)
	w.int(s.WithDue)
	w.raw(`</td><td data-kind="review"`)
	if s.Review == 0 {
		w.raw(` class="zero"`)
	}
	w.raw(`>`)
	w.int(s.Review)
	w.raw(`</td>`)
	for _, st := range rv.Steps {
		n, o := s.Due[st.ID], s.Overdue[st.ID]
		w.raw(`<td data-step="`)
		w.esc(st.ID)
		w.raw(`" data-due="`)
		w.int(n)
		w.raw(`" data-overdue="`)
		w.int(o)
		w.raw(`"`)
		if n == 0 {
			w.raw(` class="zero"`)
		}
		w.raw(`>`)
		w.int(n)
		if o != 0 {
			w.raw(` <span class="over" title="overdue">(`)
			w.int(o)
			w.raw(` overdue)</span>`)
		}
		w.raw(`</td>`)
	}
	return template.HTML(w.b)
}

// desigRow returns a summary's cells of students with each designation, and near and
// at each cap.
func desigRow(rv rowView) template.HTML {
	w := &htmlBuf{}
	s := rv.S
	for _, d := range rv.Desigs {
		n := s.Designations[d.ID]
		w.raw(`<td data-designation="`)
		w.esc(d.ID)
		w.raw(`"`)
		if n == 0 {
			w.raw(` class="zero"`)
		}
		w.raw(`>`)
		w.int(n)
		w.raw(`</td>`)
	}
	for _, c := range rv.Caps {
		near, at := s.NearCap[c.ID], s.AtCap[c.ID]
		w.raw(`<td data-cap="`)
		w.esc(c.ID)
		w.raw(`" data-near="`)
		w.int(near)
		w.raw(`" data-at="`)
		w.int(at)
		w.raw(`">`)
		w.int(near)
		w.raw(` / `)
		w.int(at)
		w.raw(`</td>`)
	}
	return template.HTML(w.b)
}

// reviewItems returns the items of a school's list of students for review, linked to
// their pages on the school's page. Written by hand: a district has tens of thousands.
func reviewItems(rows []ReviewRow, v *view) template.HTML {
	w := &htmlBuf{}
	for _, r := range rows {
		w.raw(`<li data-student="`)
		w.esc(r.ID)
		w.raw(`">`)
		if v.School != nil && r.Page != "" {
			w.raw(`<a href="`)
			w.url(r.Page)
			w.raw(`">`)
			w.esc(r.ID)
			w.raw(`</a>`)
		} else {
			w.esc(r.ID)
		}
		w.raw(": ")
		for i, s := range r.Steps {
			if i > 0 {
				w.raw(", ")
			}
			w.raw(`<span data-step="`)
			w.esc(s)
			w.raw(`">`)
			w.esc(s)
			w.raw(`</span>`)
		}
		w.raw("</li>\n")
	}
	return template.HTML(w.b)
}

// AppendStudentRow appends a student's row of a school's page (a <tr> of the students'
// table) to b. It is written by hand, every text escaped, for a district has hundreds
// of thousands of them.
func AppendStudentRow(b []byte, row StudentRow) []byte {
	esc := func(s string) { b = append(b, template.HTMLEscapeString(s)...) }
	b = append(b, `<tr data-student="`...)
	esc(row.ID)
	b = append(b, `"><td class="name">`...)
	if row.Page != "" {
		b = append(b, `<a href="`...)
		esc(row.Page)
		b = append(b, `">`...)
		esc(row.ID)
		b = append(b, `</a>`...)
	} else {
		esc(row.ID)
	}
	b = append(b, `</td><td class="name">`...)
	esc(row.Name)
	b = append(b, `</td><td>`...)
	esc(row.Grade)
	b = append(b, `</td><td>`...)
	b = append(b, policy.FormatNumber(round2(row.Rate*100))...)
	b = append(b, `%</td><td>`...)
	b = append(b, policy.FormatNumber(round2(row.AbsentDays))...)
	b = append(b, `</td><td class="name">`...)
	for i, d := range row.Due {
		if i > 0 {
			b = append(b, ", "...)
		}
		if d.Overdue {
			b = append(b, `<span class="over" title="overdue">`...)
		} else {
			b = append(b, `<span>`...)
		}
		esc(d.Step)
		b = append(b, `</span>`...)
	}
	b = append(b, `</td><td class="name">`...)
	for i, d := range row.Designations {
		if i > 0 {
			b = append(b, ", "...)
		}
		esc(d)
	}
	b = append(b, `</td><td class="name">`...)
	for i, c := range row.Caps {
		if i > 0 {
			b = append(b, ", "...)
		}
		esc(c.Cap)
		b = append(b, ' ')
		b = append(b, policy.FormatNumber(round2(c.Used))...)
		b = append(b, '/')
		b = strconv.AppendInt(b, int64(c.Limit), 10)
	}
	b = append(b, `</td><td class="name">`...)
	for i, s := range row.Review {
		if i > 0 {
			b = append(b, ", "...)
		}
		esc(s)
	}
	return append(b, "</td></tr>\n"...)
}

// Slug returns a file name for a school or a student: letters, digits and '-' of the
// name in lower case, or a hash of it when that leaves nothing or could collide.
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if len(s) > 48 {
		s = s[:48]
	}
	if s == "" || s != strings.ToLower(name) && needsHash(name) {
		s = strings.TrimSuffix(s, "-")
		if s != "" {
			s += "-"
		}
		s += fnv(name)
	}
	return s
}

// PageName returns the name of a student's page (without ".html"), the same for the
// same id in every run and different for different ids, even on a file system that
// ignores case: an id of digits, capitals and '-' in lower case (S0001 is s0001); one
// with small letters as well, in lower case with the places of its capitals after '_'
// (s0001 is s0001_0, Ab is ab_1); any other, its Slug with a hash of the id after "_h".
// A school's student pages are written as its students are counted, in parallel, so
// that no run can hold every name to tell two apart.
func PageName(id string) string {
	plain, small := len(id) > 0 && len(id) <= 48 && id[0] != '-' && !reservedName(id), false
	var caps uint64
	for i := 0; plain && i < len(id); i++ {
		switch c := id[i]; {
		case c >= 'A' && c <= 'Z':
			caps |= 1 << i
		case c >= 'a' && c <= 'z':
			small = true
		case c >= '0' && c <= '9' || c == '-':
		default:
			plain = false
		}
	}
	switch {
	case plain && !small:
		return strings.ToLower(id)
	case plain:
		return strings.ToLower(id) + "_" + strconv.FormatUint(caps, 16)
	}
	s := Slug(id)
	if len(s) > 32 {
		s = s[:32]
	}
	h := uint64(14695981039346656037)
	for i := 0; i < len(id); i++ {
		h ^= uint64(id[i])
		h *= 1099511628211
	}
	return strings.TrimSuffix(s, "-") + "_h" + fmt.Sprintf("%016x", h)
}

// reservedName reports whether a name is one Windows keeps for devices (CON, NUL,
// COM1...), whatever follows it.
func reservedName(id string) bool {
	l := strings.ToLower(id)
	switch l {
	case "con", "prn", "aux", "nul":
		return true
	}
	return len(l) == 4 && (strings.HasPrefix(l, "com") || strings.HasPrefix(l, "lpt")) && l[3] >= '0' && l[3] <= '9'
}

// needsHash reports whether two different names could give the same slug: any
// character but letters, digits, spaces and '-' or upper case.
func needsHash(name string) bool {
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == ' ' || r >= 'A' && r <= 'Z') {
			return true
		}
	}
	return false
}

func fnv(s string) string {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return fmt.Sprintf("%012x", h&0xffffffffffff)
}

const reportCSS = `
* { box-sizing: border-box; }
body { font: 14px/1.45 "Helvetica Neue", Arial, sans-serif; color: #1d232b; margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; color: #1f3a5f; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 2px solid #1f3a5f; padding-bottom: 3px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.meta { color: #555; margin: 0 0 16px; }
.staff { background: #fff4e5; border: 1px solid #f0c27b; padding: 6px 10px; font-size: 13px; margin: 0 0 14px; }
table { border-collapse: collapse; margin: 6px 0 14px; font-size: 13px; }
th, td { border: 1px solid #cfd6de; padding: 3px 8px; text-align: right; vertical-align: top; }
th { background: #eef2f6; } td.name, th.name { text-align: left; }
td.zero { color: #aab; } .over { color: #b42318; font-weight: bold; }
.charts { display: flex; flex-wrap: wrap; gap: 18px; } figure.chart { margin: 0; } figcaption { font-size: 11px; color: #666; }
svg.bars .bar { fill: #3e6fa8; } svg.bars .grid { stroke: #e3e8ee; } svg.bars .axis { stroke: #333; }
svg.bars text { font: 10px "Helvetica Neue", Arial, sans-serif; fill: #333; } svg.bars .ctitle { font-size: 12px; font-weight: bold; }
svg.bars .val { font-size: 9.5px; }
a { color: #1f5fa8; }
ul.flat { margin: 0; padding: 0; list-style: none; }
@media print { body { padding: 0; max-width: none; } h2 { break-after: avoid; } table, figure { break-inside: avoid; } a { color: inherit; text-decoration: none; } }
`

// rowView is a summary's row: the view's steps, designations and caps, and the summary.
type rowView struct {
	Steps  []*policy.Step
	Desigs []*policy.Designation
	Caps   []*policy.Cap
	S      *Summary
}

// pairView is a school's section: the view and the school.
type pairView struct {
	V *view
	S *schoolView
}

var reportFuncs = template.FuncMap{
	"dict1": func(v *view, s any) rowView {
		rv := rowView{Steps: v.Steps, Desigs: v.Desigs, Caps: v.Caps}
		switch s := s.(type) {
		case Summary:
			rv.S = &s
		case *Summary:
			rv.S = s
		}
		return rv
	},
	"dict2": func(v *view, s any) pairView {
		pv := pairView{V: v}
		switch s := s.(type) {
		case schoolView:
			pv.S = &s
		case *schoolView:
			pv.S = s
		}
		return pv
	},
	"get":         func(m map[string]int, k string) int { return m[k] },
	"pct":         func(v float64) string { return policy.FormatNumber(round2(v*100)) + "%" },
	"num":         func(v float64) string { return policy.FormatNumber(round2(v)) },
	"studentRow":  func(row StudentRow) template.HTML { return template.HTML(AppendStudentRow(nil, row)) },
	"reviewItems": reviewItems,
	"stepsRow":    stepsRow,
	"desigRow":    desigRow,
	"charts": func(r *Report, s *Summary) []template.HTML {
		return []template.HTML{r.RateChart(s).SVG(), r.MonthChart(s).SVG(), r.ExcuseChart(s).SVG()}
	},
}

var reportTemplates = template.Must(template.New("report").Funcs(reportFuncs).Parse(`
{{define "head"}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.}}</title>
{{end}}
{{define "steps-head"}}<th>students</th><th>with a step due</th><th title="no step due, a step done to review">for review</th>{{range .Steps}}<th title="{{.Title}}">{{.ID}}</th>{{end}}{{end}}
{{define "steps-row"}}{{stepsRow .}}{{end}}
{{define "desig-head"}}{{range .Desigs}}<th title="{{.Title}}">{{.ID}}</th>{{end}}{{range .Caps}}<th title="near the cap / at it">{{.ID}}: near / at</th>{{end}}{{end}}
{{define "desig-row"}}{{desigRow .}}{{end}}
{{define "district"}}{{template "head" .Title}}<style>{{.CSS}}</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="meta">As of {{.R.AsOf}} under pack {{.R.Pack.Name}}{{if .R.Problems}}; {{.R.Problems}} input rows not used (listed where the report was run){{end}}.</p>
<h2>District</h2>
<table class="summary" id="district">
<tr><th class="name"></th>{{template "steps-head" .}}</tr>
<tr><td class="name">all schools</td>{{template "steps-row" (dict1 . .R.District)}}</tr>
</table>
{{if or .Desigs .Caps}}<table class="designations">
<tr><th class="name"></th>{{template "desig-head" .}}</tr>
<tr><td class="name">all schools</td>{{template "desig-row" (dict1 . .R.District)}}</tr>
</table>{{end}}
<div class="charts">{{range charts .R .R.District}}{{.}}{{end}}</div>
<h2>Schools</h2>
<table class="schools">
<tr><th class="name">school</th>{{template "steps-head" .}}</tr>
{{range .Schools}}<tr data-school="{{.Name}}"><td class="name">{{if $.Links}}<a href="{{.Page}}">{{.Name}}</a>{{else}}{{.Name}}{{end}}</td>{{template "steps-row" (dict1 $ .Summary)}}</tr>
{{end}}</table>
{{if or .Desigs .Caps}}<table class="schools-designations">
<tr><th class="name">school</th>{{template "desig-head" .}}</tr>
{{range .Schools}}<tr data-school="{{.Name}}"><td class="name">{{.Name}}</td>{{template "desig-row" (dict1 $ .Summary)}}</tr>
{{end}}</table>{{end}}
{{range .Schools}}{{template "school-body" (dict2 $ .)}}{{end}}
</body>
</html>
{{end}}
{{define "school-body"}}<section class="school" data-school="{{.S.Name}}">
<h2>{{.S.Name}}</h2>
<table class="grades">
<tr><th class="name">grade</th>{{template "steps-head" .V}}</tr>
{{range .S.Grades}}<tr data-grade="{{.Grade}}"><td class="name">{{.Grade}}</td>{{template "steps-row" (dict1 $.V .Summary)}}</tr>
{{end}}</table>
{{if or .V.Desigs .V.Caps}}<table class="grades-designations">
<tr><th class="name">grade</th>{{template "desig-head" .V}}</tr>
{{range .S.Grades}}<tr data-grade="{{.Grade}}"><td class="name">{{.Grade}}</td>{{template "desig-row" (dict1 $.V .Summary)}}</tr>
{{end}}</table>{{end}}
<div class="charts">{{range .S.Charts}}{{.}}{{end}}</div>
{{with .S.Review}}<h3>For review</h3>
<p class="note">No step is due for these students, and a step done for them would no longer have been due on their absences as classified now (an absence excused since, say): review it.</p>
<ul class="review">
{{reviewItems . $.V}}</ul>{{end}}
</section>
{{end}}
{{define "school"}}{{template "school-head" .}}{{range .School.Students}}{{studentRow .}}{{end}}{{template "school-tail"}}{{end}}
{{define "school-head"}}{{template "head" .School.Name}}<style>{{.CSS}}</style>
</head>
<body>
<p class="meta">{{if .Index}}<a href="{{.Index}}">District report</a> · {{end}}As of {{.R.AsOf}} under pack {{.R.Pack.Name}}</p>
<p class="staff">For staff: this page names students. Keep it within the school's records.</p>
<h1>{{.School.Name}}</h1>
<table class="summary" id="school">
<tr><th class="name"></th>{{template "steps-head" .}}</tr>
<tr><td class="name">{{.School.Name}}</td>{{template "steps-row" (dict1 . .School.Summary)}}</tr>
</table>
{{template "school-body" (dict2 . .School)}}
<h2>Students</h2>
<table class="students">
<tr><th class="name">student</th><th class="name">name</th><th>grade</th><th>attendance</th><th>days absent</th><th class="name">steps due</th><th class="name">designations</th><th class="name">caps</th><th class="name">to review</th></tr>
{{end}}
{{define "school-tail"}}</table>
</body>
</html>
{{end}}
`))
