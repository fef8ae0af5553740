package policy

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template/parse"

	"gopkg.in/yaml.v3"
)

// A ladder step may carry a letter to the family, written per language; see the
// schema in the package documentation. Its templates are Go html/template texts over
// [LetterFields], checked when the pack loads: a field that does not exist, a count
// the pack does not declare, a function letters may not call, a field the step cannot
// fill (a deadline for a step without one), or HTML the escaper cannot make safe is a
// load error at the template's line and column.

// Letter is a ladder step's letter to the family, in one or more languages.
type Letter struct {
	Step       string
	Languages  []string          // the languages it is written in, as written; "en" is always one
	Signer     map[string]string // the signer's role, by language
	Period     int               // school days of the period after the letter's date (0: none)
	Letterhead *Letterhead       // the pack's letterhead, or nil
	Pages      map[string]*LetterTemplate
	reasons    map[string]*letterReason
	join       string // the step's clauses' join, for per-clause reasons
}

// Letterhead is what heads every letter of a pack: the district's name and where to
// reach it.
type Letterhead struct {
	Name    string
	Address []string // lines
	Phone   string
	Email   string
	Web     string
}

// LetterTemplate is a letter's text in one language.
type LetterTemplate struct {
	Lang   string
	Source string
	File   string
	Line   int
	Column int

	tmpl  *template.Template
	needs []string // field paths the letter prints outside any if, with or range body
	uses  []string // every field path it reads
}

// letterReason is the reason for a letter in one language: one text, or one text per
// clause of the step's trigger.
type letterReason struct {
	one     *Template
	clauses []*Template
}

// LetterFields are the merge fields a letter template may use, filled for one letter:
// {{.Student.Name}}, {{.Guardian.Name}}, {{.Date}}, {{.Reason}}, {{.Counts.unexcused}},
// {{range .Absences}}{{.Date}}{{end}} ... Every value is text already written in the
// letter's language, and html/template escapes each where it is printed.
type LetterFields struct {
	Student  LetterStudent
	Guardian LetterGuardian
	// Date is the letter's date (the as-of date), written in the letter's language:
	// "October 18, 2024", "18 de octubre de 2024".
	Date string
	// Reason is why the step is due, in the letter's language, from the letter's reason
	// texts (never the step's English because).
	Reason string
	// Counts holds every count the pack declares and every calendar measure
	// (school_days, absent_days, attendance_rate, ...), school year to date:
	// {{.Counts.not_verified}}. A name the pack does not declare is a load error.
	Counts LetterCounts
	// Absences are the absences behind the counts the step's trigger reads, in date
	// order; AbsenceDates is their dates written out, joined in the letter's language.
	Absences     []LetterAbsence
	AbsenceDates string
	// Deadline is the date the step is due by (for a step with a deadline).
	Deadline string
	Citation string
	// Signer is the role that signs the letter, in the letter's language.
	Signer string
	// PeriodStart and PeriodEnd are the first and last school days of the letter's
	// period (for a letter with a period: the 20 school days after a hearing).
	PeriodStart string
	PeriodEnd   string
	// District is the letterhead's name.
	District string
}

// LetterStudent is the student a letter is about.
type LetterStudent struct {
	ID     string
	Name   string
	Grade  string
	School string
}

// LetterGuardian is whom a letter is addressed to: the guardians who share one
// address, their names joined in the letter's language.
type LetterGuardian struct {
	Name         string
	Address      string   // the address on one line, its lines joined by ", "
	AddressLines []string // the address, a line each
	Phone        string
	Email        string
}

// LetterAbsence is one absence behind a letter.
type LetterAbsence struct {
	Date    string // in the letter's language
	Code    string // the effective code
	Minutes string // minutes missed on a partial day; empty for a whole day
}

// LetterCounts holds counts and measures by name, as numbers written for people.
type LetterCounts map[string]string

// Limits on a letter's text.
const (
	// MaxLetterBytes is the longest a letter template may be.
	MaxLetterBytes = 64 << 10
)

var langPattern = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// Letter returns the letter of the step, or nil.
func (v *Version) Letter(step string) *Letter {
	if s, ok := v.Step(step); ok {
		return s.Letter
	}
	return nil
}

// Letterhead returns the version's letterhead, or nil when it has none (or no step
// has a letter).
func (v *Version) Letterhead() *Letterhead {
	for _, s := range v.Steps {
		if s.Letter != nil && s.Letter.Letterhead != nil {
			return s.Letter.Letterhead
		}
	}
	return nil
}

// Page returns the letter's template in lang, or false.
func (l *Letter) Page(lang string) (*LetterTemplate, bool) {
	t, ok := l.Pages[lang]
	return t, ok
}

// Language returns the language of the letter to write for a family whose language is
// lang: lang itself, else its primary subtag ("es" for "es-MX"), else English; ok is
// false when the letter falls back to English from a language it is not written in.
func (l *Letter) Language(lang string) (string, bool) {
	lang = strings.ToLower(strings.TrimSpace(strings.ReplaceAll(lang, "_", "-")))
	if lang == "" {
		return "en", true
	}
	if _, ok := l.Pages[lang]; ok {
		return lang, true
	}
	if primary, _, _ := strings.Cut(lang, "-"); primary != lang {
		if _, ok := l.Pages[primary]; ok {
			return primary, true
		}
	}
	return "en", lang == "en"
}

// Reason renders the letter's reason in lang from f, the facts the step was judged on;
// held says which of the step's clauses held (Due.Clauses, in order), for a reason
// written per clause: the texts of the clauses that held (all of them for a when
// joined by and), joined by "; ". It is empty when the letter has no reason in lang.
func (l *Letter) Reason(lang string, r *Runner, f *Facts, held []bool) string {
	return strings.Join(l.ReasonParts(lang, r, f, held), "; ")
}

// ReasonParts is [Letter.Reason] before its parts are joined, for a caller that joins
// them in the letter's language.
func (l *Letter) ReasonParts(lang string, r *Runner, f *Facts, held []bool) []string {
	rs := l.reasons[lang]
	if rs == nil {
		return nil
	}
	if rs.one != nil {
		return []string{rs.one.Render(r, f)}
	}
	var parts []string
	for i, t := range rs.clauses {
		if l.join == "and" || i < len(held) && held[i] {
			parts = append(parts, t.Render(r, f))
		}
	}
	if len(parts) == 0 {
		for _, t := range rs.clauses {
			parts = append(parts, t.Render(r, f))
		}
	}
	return parts
}

// Needs returns the merge fields the template prints outside any if, with or range
// body, as paths (".Guardian.Address"): a letter whose fields lack one of them is not
// written (the student's problem), never printed with a blank.
func (t *LetterTemplate) Needs() []string { return t.needs }

// Uses returns every merge field the template reads, as paths.
func (t *LetterTemplate) Uses() []string { return t.uses }

// Missing returns the fields t needs that f leaves empty.
func (t *LetterTemplate) Missing(f *LetterFields) []string {
	var out []string
	root := reflect.ValueOf(f).Elem()
	for _, p := range t.needs {
		v := root
		for _, name := range strings.Split(strings.TrimPrefix(p, "."), ".") {
			switch v.Kind() {
			case reflect.Struct:
				v = v.FieldByName(name)
			case reflect.Map:
				v = v.MapIndex(reflect.ValueOf(name))
			}
			if !v.IsValid() {
				break
			}
		}
		if !v.IsValid() || v.IsZero() || (v.Kind() == reflect.Slice || v.Kind() == reflect.String) && v.Len() == 0 ||
			v.Kind() == reflect.String && strings.TrimSpace(v.String()) == "" {
			out = append(out, p)
		}
	}
	return out
}

// Execute writes the letter for f, every value escaped by html/template.
func (t *LetterTemplate) Execute(w io.Writer, f *LetterFields) error {
	return t.tmpl.Execute(w, f)
}

// rawLetter is a step's letter as written.
type rawLetter struct {
	at        pos
	templates []rawLangText
	reasons   []rawLangReason
	reasonAt  pos
	signers   []rawLangText // lang "" for a signer in every language
	period    int
	periodAt  pos
}

type rawLangText struct {
	lang string
	text string
	at   pos
}

type rawLangReason struct {
	lang  string
	text  string
	texts []string
	list  bool
	at    pos
}

type rawLetterhead struct {
	at      pos
	name    string
	address []string
	phone   string
	email   string
	web     string
}

// The letter's sections, described by their fields (see decl.go).
type (
	declLetter struct {
		Templates pos `pack:"templates,required" hint:"the letter's text by language: en, es, ..."`
		Reason    pos `pack:"reason"`
		Signer    pos `pack:"signer"`
		Period    pos `pack:"period"`
	}
	declPeriod struct {
		SchoolDays pos `pack:"school_days,required" hint:"the school days after the letter's date"`
	}
	declLetterhead struct {
		Name    string   `pack:"name,required" hint:"the district's name"`
		Address []string `pack:"address"`
		Phone   string   `pack:"phone"`
		Email   string   `pack:"email"`
		Web     string   `pack:"web"`
	}
)

// letter reads a step's letter:.
func (r *reader) letter(what string, n *yaml.Node) *rawLetter {
	var f declLetter
	r.decode(n, what, &f)
	l := &rawLetter{at: pos{r.file, n}}
	langs := func(v *yaml.Node, key string, each func(lang string, v *yaml.Node)) {
		for _, e := range r.mapping(v, what+": "+key) {
			if !langPattern.MatchString(e.key) {
				r.errorf(e.keyNd, "%s: %s: %q is not a language tag (want a BCP 47 tag such as en, es, es-MX)", what, key, e.key)
				continue
			}
			each(e.key, e.val)
		}
	}
	if v := f.Templates.n; v != nil {
		langs(v, "templates", func(lang string, v *yaml.Node) {
			l.templates = append(l.templates, rawLangText{lang: lang, text: r.str(v, what+": templates "+lang), at: pos{r.file, v}})
		})
	}
	if v := f.Reason.n; v != nil {
		l.reasonAt = f.Reason
		langs(v, "reason", func(lang string, v *yaml.Node) {
			rr := rawLangReason{lang: lang, at: pos{r.file, v}}
			if v.Kind == yaml.SequenceNode {
				rr.texts, rr.list = r.strings(v, what+": reason "+lang), true
			} else {
				rr.text = r.str(v, what+": reason "+lang)
			}
			l.reasons = append(l.reasons, rr)
		})
	}
	if v := f.Signer.n; v != nil {
		if v.Kind == yaml.ScalarNode {
			l.signers = append(l.signers, rawLangText{text: r.str(v, what+": signer"), at: pos{r.file, v}})
		} else {
			langs(v, "signer", func(lang string, v *yaml.Node) {
				l.signers = append(l.signers, rawLangText{lang: lang, text: r.str(v, what+": signer "+lang), at: pos{r.file, v}})
			})
		}
	}
	if v := f.Period.n; v != nil {
		var pf declPeriod
		r.decode(v, what+": period", &pf)
		l.periodAt = f.Period
		if pf.SchoolDays.given() {
			l.period, _ = r.integer(pf.SchoolDays.n, what+": period school_days", 1)
		}
	}
	return l
}

// letterhead reads the pack's letterhead:.
func (r *reader) letterhead(n *yaml.Node) *rawLetterhead {
	var f declLetterhead
	r.decode(n, "letterhead", &f)
	return &rawLetterhead{at: pos{r.file, n}, name: f.Name, address: f.Address, phone: f.Phone, email: f.Email, web: f.Web}
}

// compileLetter checks a step's letter and compiles its texts. Problems go to d.
func compileLetter(step *Step, l *rawLetter, head *rawLetterhead, counts []string, x *exprCompiler, d *diag) *Letter {
	what := "step " + step.ID + ": letter"
	out := &Letter{Step: step.ID, Signer: map[string]string{}, Period: l.period, Pages: map[string]*LetterTemplate{},
		reasons: map[string]*letterReason{}, join: step.Join}
	if head != nil {
		out.Letterhead = &Letterhead{Name: head.name, Address: head.address, Phone: head.phone, Email: head.email, Web: head.web}
	}
	for _, s := range l.signers {
		if s.lang == "" {
			for _, t := range l.templates {
				out.Signer[t.lang] = s.text
			}
			continue
		}
		out.Signer[s.lang] = s.text
	}
	for _, rr := range l.reasons {
		lr := &letterReason{}
		if rr.list {
			if len(step.Clauses) < 2 {
				rr.at.errorf(d, "%s: reason %s: a list gives one text per clause of the step's when, which has one clause; write one text", what, rr.lang)
				continue
			}
			if len(rr.texts) != len(step.Clauses) {
				rr.at.errorf(d, "%s: reason %s has %d texts but when has %d clauses (one text per clause joined by %s)", what, rr.lang, len(rr.texts), len(step.Clauses), cmpOr(step.Join, "or"))
				continue
			}
			for _, t := range rr.texts {
				lr.clauses = append(lr.clauses, x.compileTemplate(t, rr.at, what+": reason "+rr.lang, d))
			}
			if slices.Contains(lr.clauses, nil) {
				continue
			}
		} else {
			if lr.one = x.compileTemplate(rr.text, rr.at, what+": reason "+rr.lang, d); lr.one == nil {
				continue
			}
		}
		out.reasons[rr.lang] = lr
	}
	hasEn := false
	for _, t := range l.templates {
		hasEn = hasEn || t.lang == "en"
		page := compileLetterPage(t, what+" "+t.lang, counts, d)
		if page == nil {
			continue
		}
		for _, u := range page.first {
			field, at := u.field, u.at
			switch {
			case field == ".Reason" && out.reasons[t.lang] == nil && !reasonWritten(l, t.lang):
				placeLetter(t.at, at, d, "%s %s: .Reason needs the letter's reason in %s (reason: {%s: ...})", what, t.lang, t.lang, t.lang)
			case field == ".Signer" && out.Signer[t.lang] == "":
				placeLetter(t.at, at, d, "%s %s: .Signer needs the letter's signer in %s (signer: {%s: ...})", what, t.lang, t.lang, t.lang)
			case (field == ".PeriodStart" || field == ".PeriodEnd") && l.period == 0:
				placeLetter(t.at, at, d, "%s %s: %s needs the letter's period (period: {school_days: N})", what, t.lang, field)
			case field == ".Deadline" && step.Deadline == nil:
				placeLetter(t.at, at, d, "%s %s: .Deadline: step %s has no deadline", what, t.lang, step.ID)
			case field == ".District" && head == nil:
				placeLetter(t.at, at, d, "%s %s: .District needs the pack's letterhead (letterhead: {name: ...})", what, t.lang)
			}
		}
		out.Pages[t.lang] = page.LetterTemplate
		out.Languages = append(out.Languages, t.lang)
	}
	if len(l.templates) > 0 && !hasEn {
		l.at.errorf(d, "%s: templates: needs an en text (English is the language letters fall back to)", what)
	}
	return out
}

// reasonWritten reports whether the letter gives a reason in lang (which may have
// failed to compile: its own error is reported).
func reasonWritten(l *rawLetter, lang string) bool {
	return slices.ContainsFunc(l.reasons, func(r rawLangReason) bool { return r.lang == lang })
}

// compiledPage is a template with where each top-level field is first used.
type compiledPage struct {
	*LetterTemplate
	first []fieldUse
}

type fieldUse struct {
	field string // ".Reason"
	at    int    // byte offset in the template
}

// compileLetterPage parses and checks one language's template.
func compileLetterPage(t rawLangText, what string, counts []string, d *diag) *compiledPage {
	if len(t.text) > MaxLetterBytes {
		t.at.errorf(d, "%s: the text is %d bytes; at most %d", what, len(t.text), MaxLetterBytes)
		return nil
	}
	if strings.TrimSpace(t.text) == "" {
		t.at.errorf(d, "%s: the text is empty", what)
		return nil
	}
	tmpl, err := template.New(t.lang).Option("missingkey=error").Parse(t.text)
	if err != nil {
		line := 0
		msg := err.Error()
		if m := tmplErrLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[2])
			msg = m[3]
		}
		if line > 0 {
			off := lineOffset(t.text, line)
			placeLetter(t.at, off, d, "%s: %s", what, msg)
		} else {
			t.at.errorf(d, "%s: %s", what, msg)
		}
		return nil
	}
	if len(tmpl.Templates()) > 1 {
		t.at.errorf(d, "%s: a letter cannot define templates (define, block)", what)
		return nil
	}
	c := &tmplChecker{counts: counts, vars: map[string]tinfo{}}
	root := tinfo{t: reflect.TypeOf(LetterFields{}), root: true}
	c.vars["$"] = root
	c.list(tmpl.Tree.Root, root, false)
	if len(c.errs) > 0 {
		for _, e := range c.errs {
			placeLetter(t.at, e.at, d, "%s: %s", what, e.msg)
		}
		return nil
	}
	// Run it once on a sample, so that what html/template cannot escape (an action
	// inside an attribute name, a tag left open) is a load error, not a failure on the
	// night the letters are made.
	if err := tmpl.Execute(io.Discard, sampleFields(counts)); err != nil {
		var te *template.Error
		if errors.As(err, &te) {
			msg, _, _ := strings.Cut(te.Description, ": {")
			msg = "HTML the letter cannot be made safe in: " + msg
			if te.Node != nil {
				placeLetter(t.at, int(te.Node.Position()), d, "%s: %s", what, msg)
			} else if te.Line > 0 {
				placeLetter(t.at, lineOffset(t.text, te.Line), d, "%s: %s", what, msg)
			} else {
				t.at.errorf(d, "%s: %s", what, msg)
			}
			return nil
		}
	}
	lt := &LetterTemplate{Lang: t.lang, Source: t.text, File: t.at.file, tmpl: tmpl, needs: c.needs, uses: c.uses}
	if t.at.n != nil {
		lt.Line, lt.Column = t.at.n.Line, t.at.n.Column
	}
	return &compiledPage{LetterTemplate: lt, first: c.first}
}

var tmplErrLine = regexp.MustCompile(`^template: ([^:]*):(\d+):(?:\d+:)?\s*(.*)$`)

// lineOffset returns the byte offset of the start of 1-based line in s.
func lineOffset(s string, line int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := strings.IndexByte(s[off:], '\n')
		if i < 0 {
			return off
		}
		off += i + 1
	}
	return off
}

// placeLetter reports a problem at byte offset off of the template written at at.
func placeLetter(at pos, off int, d *diag, format string, args ...any) {
	e := &Error{File: at.file, Msg: fmt.Sprintf(format, args...)}
	if at.n != nil {
		e.Line, e.Column = letterPosition(d.sources[at.file], at.n, off)
	}
	d.add(e)
}

// letterPosition maps a byte offset in a template's text to the pack file: line by
// line in a literal block (|), through the scalar's source otherwise.
func letterPosition(src []byte, n *yaml.Node, off int) (int, int) {
	text := n.Value
	off = min(max(off, 0), len(text))
	k := strings.Count(text[:off], "\n")
	col := off - (strings.LastIndexByte(text[:off], '\n') + 1)
	if n.Style == yaml.LiteralStyle {
		lines := bytes.Split(src, []byte("\n"))
		indent := -1
		for i := n.Line; i < len(lines); i++ { // lines[n.Line] is the line after the indicator
			if l := lines[i]; len(bytes.TrimSpace(l)) > 0 {
				indent = len(l) - len(bytes.TrimLeft(l, " "))
				break
			}
		}
		if indent >= 0 {
			return n.Line + 1 + k, indent + col + 1
		}
	}
	if l, c := exprPosition(src, n, k+1, col); l > 0 {
		return l, c
	}
	return n.Line, n.Column
}

// sampleFields are merge fields with every value filled, to run a template once at
// load.
func sampleFields(counts []string) *LetterFields {
	f := &LetterFields{
		Student:  LetterStudent{ID: "S", Name: "N", Grade: "1", School: "S"},
		Guardian: LetterGuardian{Name: "N", Address: "A", AddressLines: []string{"A", "B"}, Phone: "P", Email: "e@example.org"},
		Date:     "D", Reason: "R", Counts: LetterCounts{}, Absences: []LetterAbsence{{Date: "D", Code: "C", Minutes: "1"}},
		AbsenceDates: "D", Deadline: "D", Citation: "C", Signer: "S", PeriodStart: "D", PeriodEnd: "D", District: "D",
	}
	for _, c := range counts {
		f.Counts[c] = "1"
	}
	return f
}

// Letters may call these functions of text/template; the others (printf, call, ...)
// are not needed to fill a letter and their work is harder to bound.
var letterFuncs = map[string]reflect.Type{
	"and": nil, "or": nil, "not": reflect.TypeFor[bool](), "eq": reflect.TypeFor[bool](), "ne": reflect.TypeFor[bool](),
	"lt": reflect.TypeFor[bool](), "le": reflect.TypeFor[bool](), "gt": reflect.TypeFor[bool](), "ge": reflect.TypeFor[bool](),
	"len": reflect.TypeFor[int](), "index": nil,
}

// tinfo is the type of a value in a template: its Go type (nil: unknown, a function's
// result) and, for a value reached from the fields' root by fields alone, its path.
type tinfo struct {
	t    reflect.Type
	path string
	root bool // reached from the root without a range
}

type tmplErr struct {
	at  int
	msg string
}

// tmplChecker walks a template's parse tree with the type of dot, checking every field
// against [LetterFields].
type tmplChecker struct {
	counts []string
	vars   map[string]tinfo
	errs   []tmplErr
	needs  []string
	uses   []string
	first  []fieldUse
}

func (c *tmplChecker) errorf(n parse.Node, format string, args ...any) {
	c.errs = append(c.errs, tmplErr{at: int(n.Position()), msg: fmt.Sprintf(format, args...)})
}

func (c *tmplChecker) list(l *parse.ListNode, dot tinfo, cond bool) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		c.node(n, dot, cond)
	}
}

func (c *tmplChecker) scoped(f func()) {
	saved := make(map[string]tinfo, len(c.vars))
	for k, v := range c.vars {
		saved[k] = v
	}
	f()
	c.vars = saved
}

func (c *tmplChecker) node(n parse.Node, dot tinfo, cond bool) {
	switch n := n.(type) {
	case *parse.TextNode, *parse.CommentNode, *parse.BreakNode, *parse.ContinueNode:
	case *parse.ActionNode:
		c.pipe(n.Pipe, dot, !cond)
	case *parse.IfNode:
		c.scoped(func() {
			c.pipe(n.Pipe, dot, false)
			c.list(n.List, dot, true)
		})
		c.scoped(func() { c.list(n.ElseList, dot, true) })
	case *parse.WithNode:
		c.scoped(func() {
			t := c.pipe(n.Pipe, dot, false)
			c.list(n.List, t, true)
		})
		c.scoped(func() { c.list(n.ElseList, dot, true) })
	case *parse.RangeNode:
		c.scoped(func() {
			t := c.pipe(n.Pipe, dot, !cond)
			if t.t == nil {
				return
			}
			if t.t.Kind() != reflect.Slice {
				c.errorf(n, "range over %s: only a list of the letter's fields can be ranged over (.Absences, .Guardian.AddressLines)", describe(t))
				return
			}
			elem := tinfo{t: t.t.Elem()}
			if d := n.Pipe.Decl; len(d) > 0 {
				// {{range $i, $a := .Absences}} or {{range $a := .Absences}}
				if len(d) == 2 {
					c.vars[d[0].Ident[0]] = tinfo{t: reflect.TypeFor[int]()}
					c.vars[d[1].Ident[0]] = elem
				} else {
					c.vars[d[0].Ident[0]] = elem
				}
			}
			c.list(n.List, elem, true)
		})
		c.scoped(func() { c.list(n.ElseList, dot, true) })
	case *parse.TemplateNode:
		c.errorf(n, "a letter cannot include templates ({{template %q}})", n.Name)
	default:
		c.errorf(n, "%s is not supported in a letter", n)
	}
}

// pipe checks a pipeline and returns the type of its value; need marks the field it
// prints (a pipeline of one field) as needed.
func (c *tmplChecker) pipe(p *parse.PipeNode, dot tinfo, need bool) tinfo {
	if p == nil {
		return tinfo{}
	}
	var prev *tinfo
	var out tinfo
	for i, cmd := range p.Cmds {
		out = c.command(cmd, dot, prev)
		if i == 0 && len(p.Cmds) == 1 && need && len(cmd.Args) == 1 && out.root && out.path != "" {
			if !slices.Contains(c.needs, out.path) {
				c.needs = append(c.needs, out.path)
			}
		}
		o := out
		prev = &o
	}
	if len(p.Decl) > 0 && !p.IsAssign {
		for _, v := range p.Decl {
			c.vars[v.Ident[0]] = out
		}
	}
	return out
}

func (c *tmplChecker) command(cmd *parse.CommandNode, dot tinfo, prev *tinfo) tinfo {
	if len(cmd.Args) == 0 {
		return tinfo{}
	}
	first := cmd.Args[0]
	if id, ok := first.(*parse.IdentifierNode); ok {
		res, allowed := letterFuncs[id.Ident]
		if !allowed {
			names := make([]string, 0, len(letterFuncs))
			for k := range letterFuncs {
				names = append(names, k)
			}
			slices.Sort(names)
			c.errorf(id, "function %q is not available in letters (want one of %s)", id.Ident, strings.Join(names, ", "))
			return tinfo{}
		}
		var args []tinfo
		for _, a := range cmd.Args[1:] {
			args = append(args, c.arg(a, dot))
		}
		if prev != nil {
			args = append(args, *prev)
		}
		if id.Ident == "index" {
			return c.index(cmd, args)
		}
		if id.Ident == "and" || id.Ident == "or" {
			if len(args) > 0 {
				return tinfo{t: args[0].t}
			}
			return tinfo{}
		}
		return tinfo{t: res}
	}
	if len(cmd.Args) > 1 {
		c.errorf(first, "%s is not a function: it takes no arguments", first)
	}
	if prev != nil {
		c.errorf(first, "%s is not a function: a value cannot be piped into it", first)
	}
	return c.arg(first, dot)
}

// index checks {{index .Counts "name"}} and {{index .Absences 0}}.
func (c *tmplChecker) index(cmd *parse.CommandNode, args []tinfo) tinfo {
	if len(args) < 2 {
		return tinfo{}
	}
	t := args[0].t
	if t == nil {
		return tinfo{}
	}
	switch t.Kind() {
	case reflect.Map:
		if len(cmd.Args) > 2 {
			if s, ok := cmd.Args[2].(*parse.StringNode); ok {
				c.countKey(cmd.Args[2], s.Text)
			}
		}
		return tinfo{t: t.Elem()}
	case reflect.Slice:
		return tinfo{t: t.Elem()}
	}
	return tinfo{}
}

func (c *tmplChecker) countKey(n parse.Node, key string) {
	if !slices.Contains(c.counts, key) {
		c.errorf(n, "unknown count %q in .Counts%s", key, didYouMean(key, c.counts))
	}
}

// arg returns the type of one argument.
func (c *tmplChecker) arg(n parse.Node, dot tinfo) tinfo {
	switch n := n.(type) {
	case *parse.DotNode:
		return dot
	case *parse.FieldNode:
		return c.fields(n, dot, n.Ident)
	case *parse.VariableNode:
		v, ok := c.vars[n.Ident[0]]
		if !ok {
			c.errorf(n, "undefined variable %s", n.Ident[0])
			return tinfo{}
		}
		return c.fields(n, v, n.Ident[1:])
	case *parse.ChainNode:
		var base tinfo
		if p, ok := n.Node.(*parse.PipeNode); ok {
			base = c.pipe(p, dot, false)
		} else {
			base = c.arg(n.Node, dot)
		}
		return c.fields(n, tinfo{t: base.t}, n.Field)
	case *parse.PipeNode:
		return c.pipe(n, dot, false)
	case *parse.StringNode:
		return tinfo{t: reflect.TypeFor[string]()}
	case *parse.NumberNode:
		return tinfo{t: reflect.TypeFor[int]()}
	case *parse.BoolNode:
		return tinfo{t: reflect.TypeFor[bool]()}
	case *parse.NilNode:
		return tinfo{}
	case *parse.IdentifierNode:
		if _, ok := letterFuncs[n.Ident]; !ok {
			c.errorf(n, "function %q is not available in letters", n.Ident)
		}
		return tinfo{}
	}
	c.errorf(n, "%s is not supported in a letter", n)
	return tinfo{}
}

// fields resolves .A.B from base.
func (c *tmplChecker) fields(n parse.Node, base tinfo, idents []string) tinfo {
	cur := base
	for _, name := range idents {
		if cur.t == nil {
			c.errorf(n, "cannot read .%s of a function's result", name)
			return tinfo{}
		}
		path := ""
		if cur.root {
			path = cur.path + "." + name
		}
		switch cur.t.Kind() {
		case reflect.Struct:
			f, ok := cur.t.FieldByName(name)
			if !ok || !f.IsExported() {
				c.errorf(n, "unknown field %q%s", shownPath(cur, name), fieldSuggestion(cur, name))
				return tinfo{}
			}
			cur = tinfo{t: f.Type, path: path, root: cur.root}
			if cur.root {
				c.use(cur.path, n)
			}
		case reflect.Map:
			c.countKey(n, name)
			cur = tinfo{t: cur.t.Elem(), path: path, root: cur.root}
			if cur.root {
				c.use(cur.path, n)
			}
		default:
			c.errorf(n, "%s has no field %s (it is %s)", describe(cur), name, kindWord(cur.t))
			return tinfo{}
		}
	}
	return cur
}

func (c *tmplChecker) use(path string, n parse.Node) {
	if !slices.Contains(c.uses, path) {
		c.uses = append(c.uses, path)
	}
	top := path
	if i := strings.IndexByte(path[1:], '.'); i >= 0 {
		top = path[:i+1]
	}
	if !slices.ContainsFunc(c.first, func(u fieldUse) bool { return u.field == top }) {
		c.first = append(c.first, fieldUse{field: top, at: int(n.Position())})
	}
}

func shownPath(cur tinfo, name string) string {
	if cur.root {
		return cur.path + "." + name
	}
	return "." + name
}

func fieldSuggestion(cur tinfo, name string) string {
	var names []string
	for i := range cur.t.NumField() {
		if f := cur.t.Field(i); f.IsExported() {
			names = append(names, f.Name)
		}
	}
	return didYouMean(name, names)
}

func describe(t tinfo) string {
	if t.path != "" {
		return t.path
	}
	if t.t == nil {
		return "a function's result"
	}
	return "this value"
}

func kindWord(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Slice:
		return "a list: use range"
	case reflect.Int, reflect.Bool:
		return "a " + t.Kind().String()
	}
	return t.String()
}
