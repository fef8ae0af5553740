package policy

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/expr-lang/expr/file"
	"gopkg.in/yaml.v3"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/codes"
	"github.com/rollcall-go/rollcall/internal/suggest"
)

// compileVersion checks a layered body and builds a Version. Problems go to d.
func compileVersion(from calendar.Date, b rawBody, d *diag) *Version {
	v := &Version{From: from, where: map[string]Position{}}
	mark := func(kind, id string, at pos) {
		if at.n != nil {
			v.where[kind+" "+id] = Position{File: at.file, Line: at.n.Line, Column: at.n.Column}
		}
	}
	b.documents.each(func(id string, t *rawDoc) { mark("document", id, t.at) })
	b.codes.each(func(id string, c *rawCode) {
		mark("code", id, c.at)
		if c.documents != nil && c.documents.kind == "none" {
			mark("no-documents", id, c.at) // documents: none, said on purpose
		}
	})
	b.caps.each(func(id string, c *rawCap) { mark("cap", id, c.at) })
	b.rules.each(func(id string, r *rawRule) { mark("rule", id, r.at) })
	b.counts.each(func(id string, e *decl[rawCount]) { mark("count", id, e.at) })
	b.deadlines.each(func(id string, e *decl[rawDocDeadline]) { mark("deadline", id, e.at) })
	b.designations.each(func(id string, e *decl[rawDesignation]) { mark("designation", id, e.at) })
	b.actions.each(func(id string, e *decl[rawAction]) { mark("action", id, e.at) })
	b.signout.each(func(id string, e *decl[rawSignOut]) { mark("signout", id, e.at) })
	b.steps.each(func(id string, s *rawStep) {
		mark("step", id, s.at)
		for i, e := range s.effects {
			mark("effect", fmt.Sprintf("%s %d", id, i+1), e.at)
		}
	})
	if b.schoolMonth != nil {
		v.SchoolMonth = calendar.MonthRule{SchoolDays: b.schoolMonth.v}
	}
	docs := map[string]bool{}
	b.documents.each(func(id string, t *rawDoc) {
		docs[id] = true
		v.Documents = append(v.Documents, Term{ID: id, Name: t.name, Description: t.description})
	})
	flags := map[string]bool{}
	b.flags.each(func(id string, t *rawDoc) {
		flags[id] = true
		v.Flags = append(v.Flags, Term{ID: id, Name: t.name, Description: t.description})
	})
	rc := reqCompiler{b: b, docs: docs, flags: flags, d: d, done: map[string]*codes.Requirement{}}

	var list []codes.Code
	b.codes.each(func(id string, c *rawCode) {
		list = append(list, compileCode(id, c, &rc, d))
	})
	cat, err := codes.NewCatalog(list)
	if err != nil { // identifiers are unique by construction; keep the error visible anyway
		d.add(&Error{File: "pack", Msg: err.Error()})
		cat, _ = codes.NewCatalog(nil)
	}
	v.Codes = cat

	x := &exprCompiler{counts: b.counts.present(), steps: b.steps.present(), reads: &v.Reads, codes: cat}
	compileCounts(v, b, x, d)
	b.caps.each(func(id string, c *rawCap) {
		v.Caps = append(v.Caps, compileCap(id, c, cat, &rc, x, d))
	})
	b.rules.each(func(id string, r *rawRule) {
		if ru := compileRule(id, "", r, cat, &rc, x, d); ru != nil {
			v.Rules = append(v.Rules, ru)
		}
	})
	b.deadlines.each(func(id string, g *decl[rawDocDeadline]) {
		if dl := compileDocDeadline(id, g, cat, &rc, x, d); dl != nil {
			v.Deadlines = append(v.Deadlines, dl)
		}
	})
	compileLadder(v, b, cat, &rc, x, d)
	v.Slots = [3]int{x.nums, x.bools, x.texts}
	v.ReadsYear = x.readsYear
	for _, m := range b.edfi {
		if _, written := b.codes.m[m.code]; written && b.codes.get(m.code) == nil {
			continue // the code was removed by a later layer: its Ed-Fi mapping lapses
		}
		if !contains(codes.EdFiCategories, m.category) && m.category != "" {
			m.catAt.errorf(d, "edfi: unknown category %q (want one of %s)", m.category, strings.Join(codes.EdFiCategories, ", "))
		}
		if _, ok := cat.Lookup(m.code); !ok && m.code != "" {
			m.codeAt.errorf(d, "edfi: unknown code %q%s", m.code, didYouMean(m.code, b.codes.present()))
		}
		em := EdFiMapping{Category: m.category, Reason: m.reason, Code: m.code}
		if m.reason != "" {
			re, err := regexp.Compile(m.reason)
			if err != nil {
				m.reasonAt.errorf(d, "edfi: reason is not a valid regular expression: %v", err)
			}
			em.reason = re
		}
		v.EdFi = append(v.EdFi, em)
	}
	return v
}

func didYouMean(s string, options []string) string { return suggest.DidYouMean(s, options) }

func compileCode(id string, c *rawCode, rc *reqCompiler, d *diag) codes.Code {
	code := codes.Code{ID: id, Name: c.name, Definition: c.definition, Tags: c.tags, Citation: c.citation, EdFi: c.edfi}
	if c.status != "" {
		s, err := codes.ParseStatus(c.status)
		if err != nil {
			c.statusAt.errorf(d, "code %s: %v", id, err)
		}
		code.Status = s
	}
	code.Excuse = codes.None
	if c.excuse != "" {
		e, err := codes.ParseExcuse(c.excuse)
		if err != nil {
			c.excuseAt.errorf(d, "code %s: %v", id, err)
		}
		code.Excuse = e
	}
	switch {
	case code.Status == codes.Absent && code.Excuse == codes.None:
		if c.excuse == "" {
			c.at.errorf(d, "code %s: an absent code needs an excuse type (excused, unexcused or unverified)", id)
		} else {
			c.excuseAt.errorf(d, "code %s: an absent code cannot have excuse none", id)
		}
	case code.Status == codes.Present && code.Excuse != codes.None:
		c.excuseAt.errorf(d, "code %s: a present code has no excuse type (remove excuse: %s)", id, c.excuse)
	}
	if c.span != "" {
		s, err := codes.ParseSpan(c.span)
		if err != nil {
			c.spanAt.errorf(d, "code %s: %v", id, err)
		}
		code.Span = s
	}
	if c.edfi != "" && !contains(codes.EdFiCategories, c.edfi) {
		c.edfiAt.errorf(d, "code %s: unknown Ed-Fi category %q (want one of %s)", id, c.edfi, strings.Join(codes.EdFiCategories, ", "))
	}
	if c.documents != nil {
		if r := rc.code(id); r != nil {
			code.Documents = *r
		}
	}
	code.Comment = codes.Comment{Required: c.comment.required, Templates: c.comment.text}
	return code
}

// reqCompiler resolves requirements, following same_as references between codes.
type reqCompiler struct {
	b     rawBody
	docs  map[string]bool
	flags map[string]bool
	d     *diag
	done  map[string]*codes.Requirement // by code, resolved
	stack []string
}

// code returns the resolved documentation of code id.
func (rc *reqCompiler) code(id string) *codes.Requirement {
	if r, ok := rc.done[id]; ok {
		return r
	}
	c := rc.b.codes.get(id)
	if c == nil || c.documents == nil {
		empty := &codes.Requirement{}
		return empty
	}
	for i, s := range rc.stack {
		if s == id {
			c.documents.at.errorf(rc.d, "code %s: documents: same_as makes a cycle: %s", id, strings.Join(append(rc.stack[i:], id), " -> "))
			return nil
		}
	}
	rc.stack = append(rc.stack, id)
	r := rc.resolve(c.documents, "code "+id+": documents")
	rc.stack = rc.stack[:len(rc.stack)-1]
	rc.done[id] = r
	return r
}

func (rc *reqCompiler) resolve(r *rawReq, what string) *codes.Requirement {
	if r == nil {
		return nil
	}
	switch r.kind {
	case "none":
		return &codes.Requirement{}
	case "doc":
		if !rc.docs[r.name] {
			r.at.errorf(rc.d, "%s: unknown document %q%s", what, r.name, didYouMean(r.name, rc.b.documents.present()))
		}
		req := codes.Doc(r.name)
		return &req
	case "flag":
		if !rc.flags[r.name] {
			r.at.errorf(rc.d, "%s: unknown flag %q%s", what, r.name, didYouMean(r.name, rc.b.flags.present()))
		}
		req := codes.FlagOn(r.name)
		return &req
	case "same":
		if rc.b.codes.get(r.name) == nil {
			r.at.errorf(rc.d, "%s: same_as: unknown code %q%s", what, r.name, didYouMean(r.name, rc.b.codes.present()))
			return nil
		}
		return rc.code(r.name)
	case "any", "all":
		var items []codes.Requirement
		for _, it := range r.items {
			if sub := rc.resolve(it, what); sub != nil {
				items = append(items, *sub)
			}
		}
		var req codes.Requirement
		if r.kind == "any" {
			req = codes.Any(items...)
		} else {
			req = codes.All(items...)
		}
		return &req
	}
	return nil
}

// compileCounts compiles the declared counts.
func compileCounts(v *Version, b rawBody, x *exprCompiler, d *diag) {
	b.counts.each(func(id string, e *decl[rawCount]) {
		what := "count " + id
		if isReserved(id) {
			e.at.errorf(d, "%s: %q is a reserved name (a window, a builtin or a function); choose another", what, id)
			return
		}
		if strings.ContainsAny(id, "-.") {
			e.at.errorf(d, "%s: a count's name is read in expressions, so it uses letters, digits and '_' only (not %q)", what, id)
			return
		}
		c := &Count{ID: id, Title: e.v.Title, Citation: e.v.Citation}
		if u := e.v.Unit; u != "" {
			if i := slices.Index(unitNames, u); i >= 0 {
				c.Unit = Unit(i)
			} else {
				e.at.errorf(d, "%s: unit must be days, occasions, minutes or hours, not %q", what, u)
			}
		}
		if e.v.When.given() {
			c.When = x.compileEvent(e.v.When.text(d, what+": when"), e.v.When, what+": when", true, d)
		}
		v.Counts = append(v.Counts, c)
	})
}

// compileDocDeadline compiles a documentation deadline.
func compileDocDeadline(id string, e *decl[rawDocDeadline], cat *codes.Catalog, rc *reqCompiler, x *exprCompiler, d *diag) *DocDeadline {
	what := "deadline " + id
	dl := &DocDeadline{ID: id, Citation: e.v.Citation, SchoolDays: e.v.SchoolDays}
	switch e.v.From {
	case "", "absence":
	case "return":
		dl.FromReturn = true
	default:
		e.at.errorf(d, "%s: from must be absence or return, not %q", what, e.v.From)
	}
	if t := e.v.Then; t.given() {
		r := reader{file: t.file, d: d}
		dl.Then = compileEffect(what+": then", r.effect(t.n, what+": then"), cat, rc, d)
	}
	if e.v.When.given() {
		dl.When = x.compileEvent(e.v.When.text(d, what+": when"), e.v.When, what+": when", false, d)
	}
	if dl.When == nil {
		return nil
	}
	return dl
}

func compileCap(id string, c *rawCap, cat *codes.Catalog, rc *reqCompiler, x *exprCompiler, d *diag) *Cap {
	itemAt := func(i int) pos { // the list item, when the list is a YAML sequence
		if n := c.codesAt.n; n != nil && n.Kind == yaml.SequenceNode && i < len(n.Content) {
			return pos{c.codesAt.file, n.Content[i]}
		}
		return c.codesAt
	}
	cp := &Cap{ID: id, Limit: c.limit, Citation: c.citation, CountsAll: c.counts == "all"}
	switch c.per {
	case "occurrence":
		cp.Per = PerOccurrence
	case "term":
		cp.Per = PerTerm
	}
	switch c.unit {
	case "occasions":
		cp.Unit = Occasions
	case "minutes":
		cp.Unit = Minutes
	}
	if c.when != "" {
		cp.When = x.compileEvent(c.when, c.whenAt, "cap "+id+": when", false, d)
	}
	for i, code := range c.codes {
		if _, ok := cat.Lookup(code); !ok {
			itemAt(i).errorf(d, "cap %s: unknown code %q%s", id, code, didYouMean(code, rc.b.codes.present()))
			continue
		}
		cp.Codes = append(cp.Codes, code)
	}
	if len(c.codes) == 0 && len(c.tags) == 0 {
		for _, code := range cat.All() {
			cp.Codes = append(cp.Codes, code.ID)
		}
	}
	for _, tag := range c.tags {
		n := 0
		for _, code := range cat.All() {
			if code.HasTag(tag) && !contains(cp.Codes, code.ID) {
				cp.Codes = append(cp.Codes, code.ID)
				n++
			}
		}
		if n == 0 {
			c.at.errorf(d, "cap %s: no code has tag %q", id, tag)
		}
	}
	cp.Past = compileEffect("cap "+id+": past", c.past, cat, rc, d)
	cp.catalog, cp.covers = cat, make([]bool, cat.Len())
	for _, id := range cp.Codes {
		if code, ok := cat.Lookup(id); ok && code.ID == id {
			cp.covers[cat.Position(code)] = true
		}
	}
	return cp
}

func compileEffect(what string, e rawEffect, cat *codes.Catalog, rc *reqCompiler, d *diag) Effect {
	var out Effect
	if e.excuse != "" {
		x, err := codes.ParseExcuse(e.excuse)
		if err != nil {
			e.excuseAt.errorf(d, "%s: %v", what, err)
		}
		out.Excuse, out.ExcuseSet = x, err == nil
	}
	if e.recode != nil {
		out.recode = map[string]string{}
		for _, pr := range e.recode {
			if _, ok := cat.Lookup(pr.from); !ok && pr.from != "*" {
				pr.at.errorf(d, "%s: recode: unknown code %q%s", what, pr.from, didYouMean(pr.from, rc.b.codes.present()))
			}
			if _, ok := cat.Lookup(pr.to); !ok {
				pr.at.errorf(d, "%s: recode: unknown code %q%s", what, pr.to, didYouMean(pr.to, rc.b.codes.present()))
			}
			out.recode[pr.from] = pr.to
		}
	}
	if e.require != nil {
		out.Require = rc.resolve(e.require, what+": require")
	}
	if e.documents != nil {
		out.Documents = rc.resolve(e.documents, what+": documents")
	}
	out.Note = e.note
	return out
}

func compileRule(id, step string, r *rawRule, cat *codes.Catalog, rc *reqCompiler, x *exprCompiler, d *diag) *Rule {
	what := "rule " + id
	if step != "" {
		what = "step " + step + ": " + id
	}
	ru := &Rule{ID: id, Step: step, Citation: r.citation, SchoolYear: r.applies == "school-year"}
	if step == "" && r.applies != "" {
		r.appliesAt.errorf(d, "%s: applies is for a step's effects only", what)
	}
	ru.Then = compileEffect(what+": then", r.then, cat, rc, d)
	if r.when == "" {
		return nil
	}
	if ru.When = x.compileEvent(r.when, r.whenAt, what+": when", false, d); ru.When == nil {
		return nil
	}
	return ru
}

// placeError reports an expression's compile error at its position in the pack file.
func placeError(err error, at pos, what string, d *diag, env any) {
	line, col, msg := 0, 0, err.Error()
	var fe *file.Error
	if errors.As(err, &fe) {
		msg = friendly(fe.Message, env)
		line, col = exprPosition(d.sources[at.file], at.n, fe.Line, fe.Column)
	}
	e := &Error{File: at.file, Line: line, Column: col, Msg: fmt.Sprintf("%s: %s", what, msg), Err: err}
	if line == 0 && at.n != nil {
		e.Line, e.Column = at.n.Line, at.n.Column
	}
	d.add(e)
}

var (
	noField   = regexp.MustCompile(`^type [\w.*\[\]]+ has no field (\w+)$`)
	noName    = regexp.MustCompile(`^unknown name (\w+)$`)
	exprToken = regexp.MustCompile(`unexpected token \w+\("?(.*?)"?\)`)
)

// friendly rewords expr's messages in the pack's terms: no Go type names, and a
// suggestion for a misspelt fact.
func friendly(msg string, env any) string {
	if m := noField.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("unknown field %q%s", m[1], didYouMean(m[1], exprNames(env, true)))
	}
	if m := noName.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("unknown name %q%s", m[1], didYouMean(m[1], exprNames(env, false)))
	}
	if m := exprToken.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("syntax error: unexpected %q", m[1])
	}
	return msg
}

// exprNames returns the names an expression may use in env: its fields' expr tags,
// and with nested, those of the structs it holds too.
func exprNames(env any, nested bool) []string {
	var out []string
	var walk func(t reflect.Type, depth int)
	walk = func(t reflect.Type, depth int) {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || depth > 2 {
			return
		}
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Anonymous {
				walk(f.Type, depth)
				continue
			}
			name := f.Tag.Get("expr")
			if name == "" || name == "-" || !f.IsExported() {
				continue
			}
			out = append(out, name)
			if nested {
				ft := f.Type
				if ft.Kind() == reflect.Func && ft.NumOut() == 1 {
					ft = ft.Out(0)
				}
				if ft.Kind() == reflect.Struct && ft.PkgPath() != "" && ft.Name() != "Date" {
					walk(ft, depth+1)
				}
			}
		}
	}
	walk(reflect.TypeOf(env), 0)
	return out
}

// exprPosition maps a line and column inside an expression (1-based line, 0-based
// column, as expr reports them) to the pack file, by walking the YAML scalar's source
// text alongside the expression: this follows block indentation, folded lines and
// escapes.
func exprPosition(src []byte, n *yaml.Node, line, col int) (int, int) {
	if n == nil {
		return 0, 0
	}
	if line <= 0 {
		line = 1
	}
	expr := n.Value
	off := 0 // the byte offset of (line, col) in expr
	for l := 1; l < line; l++ {
		i := strings.IndexByte(expr[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
	}
	off = min(off+col, len(expr))
	start := offsetOf(src, n.Line, n.Column)
	if start < 0 {
		return n.Line, n.Column
	}
	i := start
	switch n.Style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		for i < len(src) && src[i] != '\n' { // the indicator line
			i++
		}
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		i++ // the opening quote
	}
	for j := 0; j < off && i < len(src); j++ {
		c := expr[j]
		for i < len(src) && src[i] != c {
			i++ // indentation, line breaks, escape characters
		}
		i++
	}
	for i < len(src) && (src[i] == ' ' || src[i] == '\n' || src[i] == '\r' || src[i] == '\t') {
		i++
	}
	return lineCol(src, i)
}

// offsetOf returns the byte offset of a 1-based line and column, or -1.
func offsetOf(src []byte, line, col int) int {
	l, i := 1, 0
	for l < line {
		k := bytes.IndexByte(src[i:], '\n')
		if k < 0 {
			return -1
		}
		i += k + 1
		l++
	}
	if i+col-1 > len(src) {
		return -1
	}
	return i + col - 1
}

func lineCol(src []byte, off int) (int, int) {
	line, col := 1, 1
	for _, b := range src[:min(off, len(src))] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}
