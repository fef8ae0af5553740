package policy

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/rollcall-go/rollcall/internal/suggest"
)

var identPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// The keys a pack file may use, by section. They are the schema; doc.go describes them.
var (
	packKeys    = headerKeyNames()
	versionKeys = append([]string{"effective"}, bodyKeys...)
)

// headerKey is a key of a pack file's header (what is not body: its name, title, the
// pack it extends, its versions) with its reader.
type headerKey struct {
	key  string
	read func(r *reader, p *rawPack, e entry)
}

// headerKeys are the header's keys, in the order the schema lists them.
var headerKeys = []headerKey{
	{"pack", func(r *reader, p *rawPack, e entry) {
		p.name = r.str(e.val, "pack")
		p.nameAt = pos{r.file, e.val}
		if p.name != "" && !identPattern.MatchString(p.name) {
			r.errorf(e.val, "pack name %q must be letters, digits, '-', '_' or '.'", p.name)
		}
	}},
	{"title", func(r *reader, p *rawPack, e entry) { p.title = r.str(e.val, "title") }},
	{"extends", func(r *reader, p *rawPack, e entry) {
		p.extends = r.str(e.val, "extends")
		p.extendsAt = pos{r.file, e.val}
	}},
	{"citation", func(r *reader, p *rawPack, e entry) { p.citation = r.str(e.val, "citation") }},
	{"source", func(r *reader, p *rawPack, e entry) { p.source = r.str(e.val, "source") }},
	{"effective", func(r *reader, p *rawPack, e entry) { p.effective = r.date(e.val, "effective") }},
	{"versions", func(r *reader, p *rawPack, e entry) { p.versions = r.versions(e.val) }},
}

func headerKeyNames() []string {
	out := make([]string, len(headerKeys))
	for i, h := range headerKeys {
		out[i] = h.key
	}
	return out
}

// parseFile reads one pack file into its raw form. Problems go to d.
func parseFile(file string, data []byte, d *diag) *rawPack {
	r := &reader{file: file, d: d}
	d.source(file, data)
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		r.errorf(nil, "%s", yamlErrorText(err))
		if line := yamlErrorLine(err); line > 0 {
			r.d.errs[len(r.d.errs)-1].Line = line
		}
		return nil
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		r.errorf(nil, "the file is empty: a pack needs at least `pack: NAME`")
		return nil
	}
	root := doc.Content[0]
	p := &rawPack{file: file}
	var bodyEntries []entry
	if root.Kind != yaml.MappingNode {
		r.errorf(root, "a pack must be a mapping of keys, not %s", kindName(root))
		return nil
	}
	for _, e := range r.mapping(root, "pack") {
		if i := slices.IndexFunc(headerKeys, func(h headerKey) bool { return h.key == e.key }); i >= 0 {
			headerKeys[i].read(r, p, e)
			continue
		}
		if contains(bodyKeys, e.key) {
			bodyEntries = append(bodyEntries, e)
			continue
		}
		r.unknown(e, "pack", append(append([]string{}, packKeys...), bodyKeys...))
	}
	if p.name == "" {
		r.errorf(root, "pack: missing key \"pack\" (the pack's name)")
	}
	p.body = r.body(bodyEntries)
	return p
}

// require reports each key missing from f.
func (r *reader) require(n *yaml.Node, f map[string]*yaml.Node, what string, keys ...string) {
	for _, k := range keys {
		if f[k] == nil {
			r.errorf(n, "%s: missing key %q", what, k)
		}
	}
}

func (r *reader) unknown(e entry, what string, allowed []string) {
	msg := fmt.Sprintf("%s: unknown key %q", what, e.key)
	if s := suggest.Closest(e.key, allowed); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	r.errorf(e.keyNd, "%s", msg)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (r *reader) versions(n *yaml.Node) []rawVersion {
	if n.Kind != yaml.SequenceNode {
		r.errorf(n, "versions must be a list, not %s", kindName(n))
		return nil
	}
	var out []rawVersion
	for _, it := range n.Content {
		v := rawVersion{at: pos{r.file, it}}
		var body []entry
		given := false
		for _, e := range r.mapping(it, "version") {
			switch {
			case e.key == "effective":
				given = true
				v.effective = r.date(e.val, "version effective")
			case contains(bodyKeys, e.key):
				body = append(body, e)
			default:
				r.unknown(e, "version", versionKeys)
			}
		}
		if !given {
			r.errorf(it, "version: missing key \"effective\" (the date the version starts to apply)")
		}
		if v.effective.IsZero() {
			continue
		}
		v.body = r.body(body)
		out = append(out, v)
	}
	for i := 1; i < len(out); i++ {
		if !out[i].effective.After(out[i-1].effective) {
			r.errorf(out[i].at.n, "versions must be in order of their effective dates: %s is not after %s", out[i].effective, out[i-1].effective)
		}
	}
	return out
}

func (r *reader) body(entries []entry) rawBody {
	var b rawBody
	for _, e := range entries {
		for _, sec := range bodySections {
			if sec.key == e.key {
				sec.read(r, &b, e.val)
			}
		}
	}
	return b
}

// entries reads a mapping of identifier -> entry with read; `ID: ~` removes an
// inherited entry.
func entries[T any](r *reader, n *yaml.Node, what string, m *omap[T], read func(id string, n *yaml.Node) *T) {
	r.each(n, what, func(id string, n *yaml.Node) {
		if n == nil {
			m.set(id, nil)
			return
		}
		m.set(id, read(id, n))
	})
}

// bodySections are the sections of a pack's body (and of each of its versions), in the
// order doc.go describes them, each with its reader.
var bodySections = []struct {
	key  string
	read func(r *reader, b *rawBody, n *yaml.Node)
}{
	{"school_month", func(r *reader, b *rawBody, n *yaml.Node) {
		if v, ok := r.integer(n, "school_month", 0); ok {
			b.schoolMonth = &rawInt{v: v, at: pos{r.file, n}}
		}
	}},
	{"compulsory", func(r *reader, b *rawBody, n *yaml.Node) {
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			b.compulsory, b.compulsorySet = nil, true // removes an inherited rule
			return
		}
		c := &decl[rawCompulsory]{at: pos{r.file, n}}
		r.decode(n, "compulsory", &c.v)
		b.compulsory, b.compulsorySet = c, true
	}},
	{"documents", func(r *reader, b *rawBody, n *yaml.Node) { b.documents = r.docs(n, "document") }},
	{"flags", func(r *reader, b *rawBody, n *yaml.Node) { b.flags = r.docs(n, "flag") }},
	{"codes", func(r *reader, b *rawBody, n *yaml.Node) { entries(r, n, "codes", &b.codes, r.code) }},
	{"counts", func(r *reader, b *rawBody, n *yaml.Node) { b.counts = section[rawCount](r, n, "count") }},
	{"caps", func(r *reader, b *rawBody, n *yaml.Node) { entries(r, n, "caps", &b.caps, r.cap) }},
	{"rules", func(r *reader, b *rawBody, n *yaml.Node) {
		entries(r, n, "rules", &b.rules, func(id string, n *yaml.Node) *rawRule { return r.rule("rule "+id, n) })
	}},
	{"deadlines", func(r *reader, b *rawBody, n *yaml.Node) { b.deadlines = section[rawDocDeadline](r, n, "deadline") }},
	{"ladder", func(r *reader, b *rawBody, n *yaml.Node) { entries(r, n, "ladder", &b.steps, r.step) }},
	{"designations", func(r *reader, b *rawBody, n *yaml.Node) {
		b.designations = section[rawDesignation](r, n, "designation")
	}},
	{"routines", func(r *reader, b *rawBody, n *yaml.Node) { b.routines = section[rawRoutine](r, n, "routine") }},
	{"actions", func(r *reader, b *rawBody, n *yaml.Node) { b.actions = section[rawAction](r, n, "action") }},
	{"signout", func(r *reader, b *rawBody, n *yaml.Node) { b.signout = section[rawSignOut](r, n, "signout rule") }},
	{"edfi", func(r *reader, b *rawBody, n *yaml.Node) { b.edfi, b.edfiSet = r.edfi(n), true }},
	{"letterhead", func(r *reader, b *rawBody, n *yaml.Node) { b.letterhead = r.letterhead(n) }},
}

// bodyKeys are the keys of bodySections.
var bodyKeys = func() []string {
	var out []string
	for _, sec := range bodySections {
		out = append(out, sec.key)
	}
	return out
}()

// each walks a mapping of identifier -> entry; a null entry (`ID: ~`) removes an
// inherited one and is passed as nil.
func (r *reader) each(n *yaml.Node, what string, f func(id string, n *yaml.Node)) {
	for _, e := range r.mapping(n, what) {
		if !identPattern.MatchString(e.key) {
			r.errorf(e.keyNd, "%s: %q is not a valid identifier (letters, digits, '-', '_', '.')", what, e.key)
			continue
		}
		if e.val.Kind == yaml.ScalarNode && e.val.Tag == "!!null" {
			f(e.key, nil)
			continue
		}
		f(e.key, e.val)
	}
}

func (r *reader) docs(n *yaml.Node, what string) omap[rawDoc] {
	var out omap[rawDoc]
	r.each(n, what+"s", func(id string, v *yaml.Node) {
		if v == nil {
			out.set(id, nil)
			return
		}
		d := &rawDoc{at: pos{r.file, v}}
		if v.Kind == yaml.ScalarNode {
			d.name = v.Value
		} else {
			var f declDoc
			r.decode(v, what+" "+id, &f)
			d.name, d.description = f.Name, f.Description
		}
		out.set(id, d)
	})
	return out
}

func (r *reader) code(id string, n *yaml.Node) *rawCode {
	what := "code " + id
	var f declCode
	r.decode(n, what, &f)
	c := &rawCode{at: pos{r.file, n}, name: f.Name, definition: f.Definition, tags: f.Tags, citation: f.Citation}
	c.status, c.statusAt = r.str(f.Status.n, what+": status"), f.Status
	c.excuse, c.excuseAt = r.str(f.Excuse.n, what+": excuse"), f.Excuse
	c.span, c.spanAt = r.str(f.Span.n, what+": span"), f.Span
	c.edfi, c.edfiAt = r.str(f.EdFi.n, what+": edfi"), f.EdFi
	if f.Documents.given() {
		c.documents = r.req(f.Documents.n, what+": documents")
	}
	if f.Comment.given() {
		c.comment = r.comment(f.Comment.n, what+": comment")
	}
	return c
}

func (r *reader) comment(n *yaml.Node, what string) rawComment {
	if n.Kind == yaml.ScalarNode {
		switch n.Value {
		case "required":
			return rawComment{required: true}
		case "optional", "none":
			return rawComment{}
		}
		r.errorf(n, "%s must be required, optional, or a mapping with required and text; not %q", what, n.Value)
		return rawComment{}
	}
	var f declComment
	r.decode(n, what, &f)
	c := rawComment{text: f.Text}
	if f.Required.given() {
		c.required = r.boolean(f.Required.n, what+": required")
	} else {
		c.required = len(c.text) > 0
	}
	return c
}

// req reads a documentation requirement:
//
//	medical-note                       one document
//	{document: medical-note}           the same, spelled out
//	{flag: project-connect}            a student flag on the date
//	{any_of: [a, b, ...]}              any one of the items
//	{all_of: [a, b, ...]}              every item
//	{same_as: EXC}                     what code EXC requires
//	none                               nothing (also `~`)
func (r *reader) req(n *yaml.Node, what string) *rawReq {
	if !r.spend(n) {
		return nil
	}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	at := pos{r.file, n}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" || n.Value == "none" {
			return &rawReq{at: at, kind: "none"}
		}
		return &rawReq{at: at, kind: "doc", name: n.Value}
	case yaml.SequenceNode:
		r.errorf(n, "%s: a list is ambiguous here; write any_of: [...] or all_of: [...]", what)
		return nil
	case yaml.MappingNode:
		var f declReq
		r.decode(n, what, &f)
		given := map[string]*yaml.Node{}
		for k, p := range map[string]pos{"any_of": f.AnyOf, "all_of": f.AllOf, "same_as": f.SameAs, "flag": f.Flag, "document": f.Document} {
			if p.given() {
				given[k] = p.n
			}
		}
		if len(given) != 1 {
			if len(given) > 1 {
				r.errorf(n, "%s: use exactly one of any_of, all_of, same_as, flag, document", what)
			}
			return nil
		}
		for k, v := range given {
			switch k {
			case "any_of", "all_of":
				if v.Kind != yaml.SequenceNode {
					r.errorf(v, "%s: %s must be a list, not %s", what, k, kindName(v))
					return nil
				}
				out := &rawReq{at: at, kind: strings.TrimSuffix(k, "_of")}
				for _, it := range v.Content {
					if sub := r.req(it, what); sub != nil {
						out.items = append(out.items, sub)
					}
				}
				if len(out.items) == 0 {
					r.errorf(v, "%s: %s needs at least one item", what, k)
				}
				return out
			case "same_as":
				return &rawReq{at: pos{r.file, v}, kind: "same", name: r.str(v, what+": same_as")}
			case "flag":
				return &rawReq{at: pos{r.file, v}, kind: "flag", name: r.str(v, what+": flag")}
			case "document":
				return &rawReq{at: pos{r.file, v}, kind: "doc", name: r.str(v, what+": document")}
			}
		}
	}
	r.errorf(n, "%s: expected a document, or a mapping with any_of, all_of, same_as or flag", what)
	return nil
}

func (r *reader) cap(id string, n *yaml.Node) *rawCap {
	what := "cap " + id
	var f declCap
	r.decode(n, what, &f)
	c := &rawCap{at: pos{r.file, n}, tags: f.Tags, citation: f.Citation}
	c.codes, c.codesAt = r.strings(f.Codes.n, what+": codes"), f.Codes
	if v := f.When.n; v != nil {
		c.when, c.whenAt = r.str(v, what+": when"), f.When
	}
	c.unit = "occasions" // each school day used counts one
	if v := f.Unit.n; v != nil {
		c.unit = r.str(v, what+": unit")
		if c.unit != "days" && c.unit != "occasions" && c.unit != "minutes" {
			r.errorf(v, "%s: unit must be days, occasions or minutes, not %q", what, c.unit)
		}
	}
	if !f.Codes.given() && f.Tags == nil && !f.When.given() {
		r.errorf(n, "%s: needs codes or tags (the codes the cap counts)", what)
	}
	if f.Limit.given() {
		c.limit, _ = r.integer(f.Limit.n, what+": limit", 0)
	}
	c.per, c.perAt = "school-year", f.Per
	if v := f.Per.n; v != nil {
		c.per = r.str(v, what+": per")
		if c.per != "school-year" && c.per != "term" && c.per != "occurrence" {
			r.errorf(v, "%s: per must be school-year, term or occurrence, not %q", what, c.per)
		}
	}
	c.counts = "documented"
	if v := f.Counts.n; v != nil {
		c.counts = r.str(v, what+": counts")
		if c.counts != "documented" && c.counts != "all" {
			r.errorf(v, "%s: counts must be documented or all, not %q", what, c.counts)
		}
	}
	if f.Past.given() {
		c.past = r.effect(f.Past.n, what+": past")
	}
	return c
}

func (r *reader) rule(what string, n *yaml.Node) *rawRule {
	var f declRule
	r.decode(n, what, &f)
	ru := &rawRule{at: pos{r.file, n}, citation: f.Citation}
	if f.When.given() {
		ru.when, ru.whenAt = r.str(f.When.n, what+": when"), f.When
	}
	if f.Then.given() {
		ru.then = r.effect(f.Then.n, what+": then")
	}
	if v := f.Applies.n; v != nil {
		ru.applies, ru.appliesAt = r.str(v, what+": applies"), f.Applies
		if ru.applies != "after" && ru.applies != "school-year" {
			r.errorf(v, "%s: applies must be after or school-year, not %q", what, ru.applies)
		}
	}
	return ru
}

func (r *reader) effect(n *yaml.Node, what string) rawEffect {
	var f declEffect
	given := r.decode(n, what, &f)
	e := rawEffect{at: pos{r.file, n}, note: f.Note}
	if v := f.Excuse.n; v != nil {
		e.excuse, e.excuseAt = r.str(v, what+": excuse"), f.Excuse
	}
	if v := f.Recode.n; v != nil {
		e.recodeAt = f.Recode
		if v.Kind == yaml.ScalarNode {
			e.recode = append(e.recode, recodePair{from: "*", to: v.Value, at: pos{r.file, v}})
		} else {
			for _, m := range r.mapping(v, what+": recode") {
				e.recode = append(e.recode, recodePair{from: m.key, to: r.str(m.val, what+": recode "+m.key), at: pos{r.file, m.keyNd}})
			}
		}
	}
	if v := f.Require.n; v != nil {
		e.require = r.req(v, what+": require")
	}
	if v := f.Documents.n; v != nil {
		e.documents = r.req(v, what+": documents")
	}
	if given == 0 {
		r.errorf(n, "%s: says nothing to do (use excuse, recode, require, documents or note)", what)
	}
	return e
}

func (r *reader) step(id string, n *yaml.Node) *rawStep {
	what := "step " + id
	var f declStep
	r.decode(n, what, &f)
	s := &rawStep{at: pos{r.file, n}, title: f.Title, actor: f.Actor, action: f.Action, cadence: f.Cadence,
		citation: f.Citation, repeats: f.Repeats, latch: f.Latch}
	if b := f.Because.n; b != nil && b.Kind == yaml.SequenceNode {
		s.becauses, s.becauseAt = r.strings(b, what+": because"), f.Because
	} else {
		s.because = r.str(b, what+": because")
	}
	if f.When.given() {
		s.when, s.whenAt = r.str(f.When.n, what+": when"), f.When
	}
	s.after, s.afterAt = r.strings(f.After.n, what+": after"), f.After
	if f.Every.given() {
		s.every, _ = r.integer(f.Every.n, what+": every", 1)
		s.repeats = true
	}
	s.scope = "school-year"
	if v := f.Scope.n; v != nil {
		s.scope = r.str(v, what+": scope")
		if s.scope != "school-year" && s.scope != "history" {
			r.errorf(v, "%s: scope must be school-year or history, not %q", what, s.scope)
		}
	}
	s.outcomes = r.strings(f.Outcomes.n, what+": outcomes")
	s.resetsOn, s.resetsOnAt = r.strings(f.ResetsOn.n, what+": resets_on"), f.ResetsOn
	s.compulsory = true
	if v := f.Compulsory.n; v != nil {
		s.compulsory = r.boolean(v, what+": compulsory")
	}
	for _, o := range s.outcomes {
		if !identPattern.MatchString(o) {
			r.errorf(f.Outcomes.n, "%s: outcome %q is not a valid identifier", what, o)
		}
	}
	if v := f.Deadline.n; v != nil {
		var df declDeadline
		r.decode(v, what+": deadline", &df)
		dl := &rawDeadline{at: pos{r.file, v}, from: "trigger"}
		if df.SchoolDays.given() {
			dl.schoolDays, _ = r.integer(df.SchoolDays.n, what+": deadline school_days", 0)
		}
		if df.Days.given() {
			dl.days, _ = r.integer(df.Days.n, what+": deadline days", 0)
		}
		if w := df.When.n; w != nil {
			dl.when, dl.whenAt = r.str(w, what+": deadline when"), df.When
		}
		if n := btoi(df.SchoolDays.given()) + btoi(df.Days.given()) + btoi(df.When.given()); n != 1 {
			r.errorf(v, "%s: deadline needs exactly one of school_days, days or when", what)
		}
		if df.From.given() {
			dl.from, dl.fromAt = r.str(df.From.n, what+": deadline from"), df.From
		}
		s.deadline = dl
	}
	if v := f.Involve.n; v != nil {
		r.each(v, what+": involve", func(k string, iv *yaml.Node) {
			if iv == nil {
				return
			}
			inv := &rawInvolve{at: pos{r.file, iv}}
			var vf declInvolve
			r.decode(iv, what+": involve "+k, &vf)
			inv.who = vf.Who
			if vf.When.given() {
				inv.when, inv.whenAt = r.str(vf.When.n, "when"), vf.When
			}
			s.involve.set(k, inv)
		})
	}
	if v := f.Letter.n; v != nil {
		s.letter = r.letter(what+": letter", v)
	}
	if v := f.Effects.n; v != nil {
		if v.Kind != yaml.SequenceNode {
			r.errorf(v, "%s: effects must be a list of rules, not %s", what, kindName(v))
		} else {
			for i, it := range v.Content {
				s.effects = append(s.effects, r.rule(fmt.Sprintf("%s: effect %d", what, i+1), it))
			}
		}
	}
	return s
}

func (r *reader) edfi(n *yaml.Node) []rawEdFi {
	if n.Kind != yaml.SequenceNode {
		r.errorf(n, "edfi must be a list of mappings, not %s", kindName(n))
		return nil
	}
	var out []rawEdFi
	for _, it := range n.Content {
		var f declEdFi
		r.decode(it, "edfi", &f)
		m := rawEdFi{at: pos{r.file, it}}
		m.category, m.catAt = r.str(f.Category.n, "edfi: category"), f.Category
		m.reason, m.reasonAt = r.str(f.Reason.n, "edfi: reason"), f.Reason
		m.code, m.codeAt = r.str(f.Code.n, "edfi: code"), f.Code
		if m.category == "" || m.code == "" {
			r.errorf(it, "edfi: each mapping needs a category and a code")
		}
		out = append(out, m)
	}
	return out
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

func yamlErrorText(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	return "bad YAML: " + yamlLinePrefix.ReplaceAllString(s, "")
}

var yamlLinePrefix = regexp.MustCompile(`^line \d+: `)

func yamlErrorLine(err error) int {
	m := yamlLine.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	var n int
	fmt.Sscanf(m[1], "%d", &n)
	return n
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
