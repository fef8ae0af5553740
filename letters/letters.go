package letters

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/escalation"
	"github.com/rollcall-go/rollcall/history"
	"github.com/rollcall-go/rollcall/policy"
)

// Input is one student to write letters for: the history (who the student and the
// guardians are) and its evaluation by the engine, as of the letters' date.
type Input struct {
	Engine  *rollcall.Engine
	History *history.History
	Eval    *rollcall.Evaluation
}

// Letter is one letter to one address: a step due for a student, in the language of
// the guardians it is addressed to.
type Letter struct {
	Student string // the student's id
	School  string
	Step    string
	Actor   string // who does the step (the interventions file records it)
	Lang    string // the language it is written in
	Fields  policy.LetterFields

	page *policy.LetterTemplate
	head *policy.Letterhead
}

// Problem is a letter that could not be written for a student. Its message names
// the merge fields the student's record lacks, never a name, an address or a phone.
type Problem struct {
	Student string
	Step    string
	Msg     string
}

// Error names the student and the step, and says what is missing.
func (p Problem) Error() string {
	return fmt.Sprintf("student %s: %s: %s", showID(p.Student), p.Step, p.Msg)
}

// Fallback is a letter written in English for a family whose language the step's
// letter is not written in.
type Fallback struct {
	Student string
	Step    string
	Wanted  string // the family's language, as recorded (a tag), or "(not a language tag)"
}

// Letters is what [Make] writes for one student.
type Letters struct {
	Letters   []Letter
	Problems  []Problem
	Fallbacks []Fallback
}

// Make writes the letters of every step due for in's student that has a letter in the
// pack, one per guardian address, each in that guardian's language (English when the
// letter is not written in it: a Fallback says so). Guardians who share an address get
// one letter addressed to all of them, in the first one's language. A letter whose
// fields lack one its template prints (no guardian, no address) is not written: a
// Problem names the fields.
func Make(in Input) Letters {
	var out Letters
	if in.Eval == nil || in.History == nil || in.Engine == nil {
		return out
	}
	ev, h := in.Eval, in.History
	v := in.Engine.Pack().At(ev.AsOf)
	var r policy.Runner
	for _, due := range ev.Due {
		l := v.Letter(due.Step)
		if l == nil {
			continue
		}
		step, _ := v.Step(due.Step)
		behind := absencesBehind(v, h, ev, step)
		facts := ev.Facts
		if due.Latched && !due.Since.IsZero() { // the reason is the day's it held
			if then, _ := in.Engine.Evaluate(h, due.Since); then != nil {
				facts = then.Facts
			}
		}
		held := make([]bool, len(due.Clauses))
		for i, c := range due.Clauses {
			held[i] = c.Held
		}
		groups := guardianGroups(h.Student.Guardians)
		if len(groups) == 0 {
			out.Problems = append(out.Problems, Problem{Student: h.Student.ID, Step: due.Step, Msg: "no letter: the student has no guardian on record"})
			continue
		}
		for _, g := range groups {
			lang, ok := l.Language(g[0].Language)
			if !ok {
				out.Fallbacks = append(out.Fallbacks, Fallback{Student: h.Student.ID, Step: due.Step, Wanted: shownLang(g[0].Language)})
			}
			page, _ := l.Page(lang)
			env := facts.Env()
			f := fields(v, h, ev, &due, l, lang, g, behind)
			f.Reason = joinList(l.ReasonParts(lang, &r, &env, held), lang)
			if missing := page.Missing(&f); len(missing) > 0 {
				out.Problems = append(out.Problems, Problem{Student: h.Student.ID, Step: due.Step,
					Msg: fmt.Sprintf("no %s letter to one address: the record lacks %s, which the letter prints", lang, strings.Join(missing, ", "))})
				continue
			}
			out.Letters = append(out.Letters, Letter{Student: h.Student.ID, School: h.Student.School, Step: due.Step, Actor: due.Actor,
				Lang: lang, Fields: f, page: page, head: l.Letterhead})
		}
	}
	return out
}

// fields fills the merge fields of one letter.
func fields(v *policy.Version, h *history.History, ev *rollcall.Evaluation, due *escalation.Due, l *policy.Letter, lang string, g []history.Guardian, behind []int) policy.LetterFields {
	st := h.Student
	f := policy.LetterFields{
		Student:  policy.LetterStudent{ID: st.ID, Name: strings.TrimSpace(st.Name), Grade: st.Grade, School: st.School},
		Date:     FormatDate(ev.AsOf, lang),
		Counts:   policy.LetterCounts{},
		Citation: due.Citation,
		Signer:   l.Signer[lang],
		Deadline: FormatDate(due.DueBy, lang),
	}
	var names []string
	for _, gd := range g {
		if n := strings.TrimSpace(gd.Name); n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	f.Guardian.Name = joinList(names, lang)
	f.Guardian.AddressLines = addressLines(g[0].Address)
	f.Guardian.Address = strings.Join(f.Guardian.AddressLines, ", ")
	for _, gd := range g {
		if f.Guardian.Phone == "" {
			f.Guardian.Phone = strings.TrimSpace(gd.Phone)
		}
		if f.Guardian.Email == "" {
			f.Guardian.Email = strings.TrimSpace(gd.Email)
		}
	}
	for i, n := range ev.Facts.Names {
		f.Counts[n] = formatValue(n, ev.Facts.Values[i])
	}
	var dates []calendar.Date
	for _, i := range behind {
		c := ev.Events[i]
		a := policy.LetterAbsence{Date: FormatDate(c.Date, lang), Code: c.EffectiveCode}
		if c.Days > 0 && c.Days < 1 {
			a.Minutes = strconv.Itoa(c.Minutes)
		}
		f.Absences = append(f.Absences, a)
		dates = append(dates, c.Date)
	}
	f.AbsenceDates = dateList(dates, lang)
	if l.Period > 0 {
		if d, ok := h.Calendar.After(ev.AsOf, 1); ok {
			f.PeriodStart = FormatDate(d, lang)
		}
		if d, ok := h.Calendar.After(ev.AsOf, l.Period); ok {
			f.PeriodEnd = FormatDate(d, lang)
		}
	}
	if l.Letterhead != nil {
		f.District = l.Letterhead.Name
	}
	return f
}

// guardianGroups groups guardians by address (compared without case and extra
// spaces), in the order first met; guardians without an address are each their own.
func guardianGroups(gs []history.Guardian) [][]history.Guardian {
	var out [][]history.Guardian
	keys := map[string]int{}
	for _, g := range gs {
		if strings.TrimSpace(g.Name) == "" && strings.TrimSpace(g.Address) == "" {
			continue
		}
		key := strings.ToLower(strings.Join(strings.Fields(g.Address), " "))
		if i, ok := keys[key]; ok && key != "" {
			out[i] = append(out[i], g)
			continue
		}
		keys[key] = len(out)
		out = append(out, []history.Guardian{g})
	}
	return out
}

// addressLines splits an address into its lines (newlines; ";" in a CSV cell).
func addressLines(a string) []string {
	var out []string
	for _, l := range strings.FieldsFunc(a, func(r rune) bool { return r == '\n' || r == ';' || r == '\r' }) {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			out = append(out, l)
		}
	}
	return out
}

var langTag = regexp.MustCompile(`^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,3}$`)

// shownLang returns a family's language for the run's summary: the tag as recorded
// when it is one, else a placeholder (the input's text is never echoed).
func shownLang(s string) string {
	if s = strings.TrimSpace(s); langTag.MatchString(s) {
		return strings.ToLower(s)
	}
	return "(not a language tag)"
}

// showID returns a student id for a message: as it is when it is a plain token, quoted
// otherwise.
func showID(s string) string {
	if s == "" || len(s) > 64 || strings.IndexFunc(s, func(r rune) bool {
		return r <= ' ' || r == '"' || r == '\\' || !unicode.IsPrint(r) || unicode.Is(unicode.Bidi_Control, r)
	}) >= 0 {
		if len(s) > 64 {
			return fmt.Sprintf("(%d characters, not shown)", len([]rune(s)))
		}
		return strconv.QuoteToASCII(s)
	}
	return s
}

// SortLetters orders letters by school, student, the step's place in the ladder, and
// language.
func SortLetters(ls []Letter, v *policy.Version) {
	order := map[string]int{}
	for i, s := range v.Steps {
		order[s.ID] = i
	}
	slices.SortStableFunc(ls, func(a, b Letter) int {
		return cmp.Or(cmp.Compare(a.School, b.School), cmp.Compare(a.Student, b.Student), cmp.Compare(order[a.Step], order[b.Step]))
	})
}

// Page writes letters as one printable HTML document: one letter a page, each under
// the letterhead. Write the letters with Add, then Close.
type Page struct {
	w   io.Writer
	err error
	n   int
}

// NewPage starts a document of letters titled title.
func NewPage(w io.Writer, title string) *Page {
	p := &Page{w: w}
	p.err = pageTemplates.ExecuteTemplate(w, "letters-head", map[string]any{"Title": title, "CSS": template.CSS(letterCSS)})
	return p
}

// Add writes one letter.
func (p *Page) Add(l *Letter) error {
	if p.err != nil {
		return p.err
	}
	p.err = WriteLetterHTML(p.w, l)
	p.n++
	return p.err
}

// AddHTML writes letters WriteLetterHTML wrote, read from r: a district's letters are
// made a few hundred students at a time and kept on disk until their school's page
// is written.
func (p *Page) AddHTML(r io.Reader) error {
	if p.err != nil {
		return p.err
	}
	_, p.err = io.Copy(p.w, r)
	return p.err
}

// WriteLetterHTML writes one letter as Page.Add does, without the page around it.
func WriteLetterHTML(w io.Writer, l *Letter) error {
	if err := pageTemplates.ExecuteTemplate(w, "letter-open", map[string]any{"L": l, "Head": l.head}); err != nil {
		return err
	}
	if err := l.page.Execute(w, &l.Fields); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n</div>\n</article>\n")
	return err
}

// Close ends the document.
func (p *Page) Close() error {
	if p.err != nil {
		return p.err
	}
	_, p.err = io.WriteString(p.w, "</body>\n</html>\n")
	return p.err
}

// Render writes l's text alone (the template's output), for a test or a preview.
func (l *Letter) Render(w io.Writer) error { return l.page.Execute(w, &l.Fields) }

// MergeWriter writes the merge fields of letters as CSV, one row a letter, for a
// district that mail-merges in a word processor. Text cells that a spreadsheet would
// run as a formula are prefixed with a single quote.
type MergeWriter struct {
	cw     *csv.Writer
	counts []string
	header bool
}

// MergeColumns are the merge CSV's columns, before one column per count and measure.
var MergeColumns = []string{"school", "student_id", "student_name", "grade", "step", "language", "guardian_name",
	"address", "address_1", "address_2", "address_3", "phone", "email", "date", "reason", "absence_dates", "deadline",
	"period_start", "period_end", "signer", "citation", "district"}

// NewMergeWriter returns a writer of merge rows with one column for each of counts
// (the version's measures and counts: [policy.Builtins] then its counts).
func NewMergeWriter(w io.Writer, counts []string) *MergeWriter {
	return &MergeWriter{cw: csv.NewWriter(w), counts: counts}
}

// NewMergeRows returns a writer of merge rows as NewMergeWriter's, without the header
// (see MergeHeader): rows made in parts and put together under one header.
func NewMergeRows(w io.Writer, counts []string) *MergeWriter {
	return &MergeWriter{cw: csv.NewWriter(w), counts: counts, header: true}
}

// MergeHeader returns the merge CSV's header with the columns of counts.
func MergeHeader(counts []string) []string {
	return append(slices.Clone(MergeColumns), counts...)
}

// Write writes one letter's row (the header first).
func (m *MergeWriter) Write(l *Letter) error {
	if !m.header {
		m.header = true
		if err := m.cw.Write(MergeHeader(m.counts)); err != nil {
			return err
		}
	}
	f := &l.Fields
	lines := f.Guardian.AddressLines
	addr := func(i int) string {
		switch {
		case i < 2 && i < len(lines):
			return lines[i]
		case i == 2 && len(lines) > 2:
			return strings.Join(lines[2:], ", ")
		}
		return ""
	}
	row := []string{l.School, l.Student, f.Student.Name, f.Student.Grade, l.Step, l.Lang, f.Guardian.Name,
		f.Guardian.Address, addr(0), addr(1), addr(2), f.Guardian.Phone, f.Guardian.Email, f.Date, f.Reason, f.AbsenceDates, f.Deadline,
		f.PeriodStart, f.PeriodEnd, f.Signer, f.Citation, f.District}
	for _, c := range m.counts {
		row = append(row, f.Counts[c])
	}
	for i, s := range row {
		row[i] = csvCell(s)
	}
	return m.cw.Write(row)
}

// Flush writes any buffered rows and returns the first error.
func (m *MergeWriter) Flush() error {
	m.cw.Flush()
	return m.cw.Error()
}

// csvCell neutralises a text a spreadsheet would run as a formula.
func csvCell(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// CountNames returns the names of the measures and counts of v, in the order of the
// facts ([policy.Builtins], then the pack's counts).
func CountNames(v *policy.Version) []string {
	return append(slices.Clone(policy.Builtins), v.CountIDs()...)
}
