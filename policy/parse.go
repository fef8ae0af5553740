package policy

import (
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/rollcall-go/rollcall/internal/suggest"
)

var identPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// The keys a pack file may use, by section. They are the schema; doc.go describes them.
var (
	packKeys    = []string{"pack", "title", "extends", "citation", "source", "effective", "versions"}
	bodyKeys    = []string{"school_month", "compulsory", "documents", "flags", "codes", "counts", "caps", "rules", "deadlines", "ladder", "designations", "routines", "actions", "signout", "edfi", "letterhead"}
	versionKeys = append([]string{"effective"}, bodyKeys...)
	docKeys     = []string{"name", "description"}
	codeKeys    = []string{"name", "definition", "status", "excuse", "span", "documents", "comment", "edfi", "tags", "citation"}
	commentKeys = []string{"required", "text"}
	reqKeys     = []string{"any_of", "all_of", "same_as", "flag", "document"}
	capKeys     = []string{"codes", "tags", "when", "unit", "limit", "per", "counts", "past", "citation"}
	ruleKeys    = []string{"when", "then", "applies", "citation"}
	effectKeys  = []string{"excuse", "recode", "require", "documents", "note"}
	stepKeys    = []string{"title", "actor", "action", "cadence", "when", "because", "after", "repeats", "every", "latch", "scope", "outcomes", "resets_on", "compulsory", "deadline", "citation", "involve", "effects", "letter"}
	deadKeys    = []string{"school_days", "days", "from", "when"}
	involveKeys = []string{"when", "who"}
	edfiKeys    = []string{"category", "reason", "code"}
)

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
		switch e.key {
		case "pack":
			p.name = r.str(e.val, "pack")
			p.nameAt = pos{file, e.val}
			if p.name != "" && !identPattern.MatchString(p.name) {
				r.errorf(e.val, "pack name %q must be letters, digits, '-', '_' or '.'", p.name)
			}
		case "title":
			p.title = r.str(e.val, "title")
		case "citation":
			p.citation = r.str(e.val, "citation")
		case "source":
			p.source = r.str(e.val, "source")
		case "extends":
			p.extends = r.str(e.val, "extends")
			p.extendsAt = pos{file, e.val}
		case "effective":
			p.effective = r.date(e.val, "effective")
		case "versions":
			p.versions = r.versions(e.val)
		default:
			if contains(bodyKeys, e.key) {
				bodyEntries = append(bodyEntries, e)
				continue
			}
			r.unknown(e, "pack", append(append([]string{}, packKeys...), bodyKeys...))
		}
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
		switch e.key {
		case "school_month":
			if v, ok := r.integer(e.val, "school_month", 0); ok {
				b.schoolMonth = &rawInt{v: v, at: pos{r.file, e.val}}
			}
		case "documents":
			b.documents = r.docs(e.val, "document")
		case "flags":
			b.flags = r.docs(e.val, "flag")
		case "codes":
			r.each(e.val, "codes", func(id string, n *yaml.Node) {
				if n == nil {
					b.codes.set(id, nil)
					return
				}
				b.codes.set(id, r.code(id, n))
			})
		case "caps":
			r.each(e.val, "caps", func(id string, n *yaml.Node) {
				if n == nil {
					b.caps.set(id, nil)
					return
				}
				b.caps.set(id, r.cap(id, n))
			})
		case "rules":
			r.each(e.val, "rules", func(id string, n *yaml.Node) {
				if n == nil {
					b.rules.set(id, nil)
					return
				}
				b.rules.set(id, r.rule("rule "+id, n))
			})
		case "ladder":
			r.each(e.val, "ladder", func(id string, n *yaml.Node) {
				if n == nil {
					b.steps.set(id, nil)
					return
				}
				b.steps.set(id, r.step(id, n))
			})
		case "edfi":
			b.edfi, b.edfiSet = r.edfi(e.val), true
		case "counts":
			b.counts = section[rawCount](r, e.val, "count")
		case "compulsory":
			if e.val.Kind == yaml.ScalarNode && e.val.Tag == "!!null" {
				b.compulsory, b.compulsorySet = nil, true // removes an inherited rule
				break
			}
			c := &decl[rawCompulsory]{at: pos{r.file, e.val}}
			r.decode(e.val, "compulsory", &c.v)
			b.compulsory, b.compulsorySet = c, true
		case "deadlines":
			b.deadlines = section[rawDocDeadline](r, e.val, "deadline")
		case "designations":
			b.designations = section[rawDesignation](r, e.val, "designation")
		case "routines":
			b.routines = section[rawRoutine](r, e.val, "routine")
		case "actions":
			b.actions = section[rawAction](r, e.val, "action")
		case "signout":
			b.signout = section[rawSignOut](r, e.val, "signout rule")
		case "letterhead":
			b.letterhead = r.letterhead(e.val)
		default:
			r.errorf(e.keyNd, "%s: not supported yet", e.key)
		}
	}
	return b
}

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
			f := r.fields(v, what+" "+id, docKeys...)
			d.name = r.str(f["name"], "name")
			d.description = r.str(f["description"], "description")
		}
		out.set(id, d)
	})
	return out
}

func (r *reader) code(id string, n *yaml.Node) *rawCode {
	what := "code " + id
	f := r.fields(n, what, codeKeys...)
	c := &rawCode{at: pos{r.file, n}}
	c.name = r.str(f["name"], what+": name")
	c.definition = r.str(f["definition"], what+": definition")
	c.status, c.statusAt = r.str(f["status"], what+": status"), pos{r.file, f["status"]}
	c.excuse, c.excuseAt = r.str(f["excuse"], what+": excuse"), pos{r.file, f["excuse"]}
	c.span, c.spanAt = r.str(f["span"], what+": span"), pos{r.file, f["span"]}
	c.edfi, c.edfiAt = r.str(f["edfi"], what+": edfi"), pos{r.file, f["edfi"]}
	c.citation = r.str(f["citation"], what+": citation")
	c.tags = r.strings(f["tags"], what+": tags")
	if f["status"] == nil {
		r.errorf(n, "%s: missing key \"status\" (present or absent)", what)
	}
	if dn := f["documents"]; dn != nil {
		c.documents = r.req(dn, what+": documents")
	}
	if cn := f["comment"]; cn != nil {
		c.comment = r.comment(cn, what+": comment")
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
	f := r.fields(n, what, commentKeys...)
	c := rawComment{text: r.strings(f["text"], what+": text")}
	if f["required"] != nil {
		c.required = r.boolean(f["required"], what+": required")
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
		f := r.fields(n, what, reqKeys...)
		if len(f) != 1 {
			if len(f) > 1 {
				r.errorf(n, "%s: use exactly one of any_of, all_of, same_as, flag, document", what)
			}
			return nil
		}
		for k, v := range f {
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
	f := r.fields(n, what, capKeys...)
	c := &rawCap{at: pos{r.file, n}}
	c.codes, c.codesAt = r.strings(f["codes"], what+": codes"), pos{r.file, f["codes"]}
	c.tags = r.strings(f["tags"], what+": tags")
	if v := f["when"]; v != nil {
		c.when, c.whenAt = r.str(v, what+": when"), pos{r.file, v}
	}
	c.unit = "occasions" // each school day used counts one
	if v := f["unit"]; v != nil {
		c.unit = r.str(v, what+": unit")
		if c.unit != "days" && c.unit != "occasions" && c.unit != "minutes" {
			r.errorf(v, "%s: unit must be days, occasions or minutes, not %q", what, c.unit)
		}
	}
	if f["codes"] == nil && f["tags"] == nil && f["when"] == nil {
		r.errorf(n, "%s: needs codes or tags (the codes the cap counts)", what)
	}
	if f["limit"] == nil {
		r.errorf(n, "%s: missing key \"limit\" (the number of days allowed)", what)
	} else {
		c.limit, _ = r.integer(f["limit"], what+": limit", 0)
	}
	c.per, c.perAt = "school-year", pos{r.file, f["per"]}
	if f["per"] != nil {
		c.per = r.str(f["per"], what+": per")
		if c.per != "school-year" && c.per != "term" && c.per != "occurrence" {
			r.errorf(f["per"], "%s: per must be school-year, term or occurrence, not %q", what, c.per)
		}
	}
	c.counts = "documented"
	if f["counts"] != nil {
		c.counts = r.str(f["counts"], what+": counts")
		if c.counts != "documented" && c.counts != "all" {
			r.errorf(f["counts"], "%s: counts must be documented or all, not %q", what, c.counts)
		}
	}
	if f["past"] == nil {
		r.errorf(n, "%s: missing key \"past\" (what happens past the limit)", what)
	} else {
		c.past = r.effect(f["past"], what+": past")
	}
	c.citation = r.str(f["citation"], what+": citation")
	return c
}

func (r *reader) rule(what string, n *yaml.Node) *rawRule {
	f := r.fields(n, what, ruleKeys...)
	ru := &rawRule{at: pos{r.file, n}}
	if f["when"] == nil {
		r.errorf(n, "%s: missing key \"when\" (the condition, an expression)", what)
	} else {
		ru.when, ru.whenAt = r.str(f["when"], what+": when"), pos{r.file, f["when"]}
	}
	if f["then"] == nil {
		r.errorf(n, "%s: missing key \"then\" (what the rule does)", what)
	} else {
		ru.then = r.effect(f["then"], what+": then")
	}
	ru.citation = r.str(f["citation"], what+": citation")
	if v := f["applies"]; v != nil {
		ru.applies, ru.appliesAt = r.str(v, what+": applies"), pos{r.file, v}
		if ru.applies != "after" && ru.applies != "school-year" {
			r.errorf(v, "%s: applies must be after or school-year, not %q", what, ru.applies)
		}
	}
	return ru
}

func (r *reader) effect(n *yaml.Node, what string) rawEffect {
	f := r.fields(n, what, effectKeys...)
	e := rawEffect{at: pos{r.file, n}}
	if v := f["excuse"]; v != nil {
		e.excuse, e.excuseAt = r.str(v, what+": excuse"), pos{r.file, v}
	}
	if v := f["recode"]; v != nil {
		e.recodeAt = pos{r.file, v}
		if v.Kind == yaml.ScalarNode {
			e.recode = append(e.recode, recodePair{from: "*", to: v.Value, at: pos{r.file, v}})
		} else {
			for _, m := range r.mapping(v, what+": recode") {
				e.recode = append(e.recode, recodePair{from: m.key, to: r.str(m.val, what+": recode "+m.key), at: pos{r.file, m.keyNd}})
			}
		}
	}
	if v := f["require"]; v != nil {
		e.require = r.req(v, what+": require")
	}
	if v := f["documents"]; v != nil {
		e.documents = r.req(v, what+": documents")
	}
	e.note = r.str(f["note"], what+": note")
	if len(f) == 0 {
		r.errorf(n, "%s: says nothing to do (use excuse, recode, require, documents or note)", what)
	}
	return e
}

func (r *reader) step(id string, n *yaml.Node) *rawStep {
	what := "step " + id
	f := r.fields(n, what, stepKeys...)
	s := &rawStep{at: pos{r.file, n}}
	s.title = r.str(f["title"], what+": title")
	s.actor = r.str(f["actor"], what+": actor")
	s.action = r.str(f["action"], what+": action")
	s.cadence = r.str(f["cadence"], what+": cadence")
	if b := f["because"]; b != nil && b.Kind == yaml.SequenceNode {
		s.becauses, s.becauseAt = r.strings(b, what+": because"), pos{r.file, b}
	} else {
		s.because = r.str(b, what+": because")
	}
	s.citation = r.str(f["citation"], what+": citation")
	if f["when"] == nil {
		r.errorf(n, "%s: missing key \"when\" (the trigger, an expression)", what)
	} else {
		s.when, s.whenAt = r.str(f["when"], what+": when"), pos{r.file, f["when"]}
	}
	s.after, s.afterAt = r.strings(f["after"], what+": after"), pos{r.file, f["after"]}
	if f["repeats"] != nil {
		s.repeats = r.boolean(f["repeats"], what+": repeats")
	}
	if f["every"] != nil {
		s.every, _ = r.integer(f["every"], what+": every", 1)
		s.repeats = true
	}
	if f["latch"] != nil {
		s.latch = r.boolean(f["latch"], what+": latch")
	}
	s.scope = "school-year"
	if v := f["scope"]; v != nil {
		s.scope = r.str(v, what+": scope")
		if s.scope != "school-year" && s.scope != "history" {
			r.errorf(v, "%s: scope must be school-year or history, not %q", what, s.scope)
		}
	}
	s.outcomes = r.strings(f["outcomes"], what+": outcomes")
	s.resetsOn, s.resetsOnAt = r.strings(f["resets_on"], what+": resets_on"), pos{r.file, f["resets_on"]}
	s.compulsory = true
	if v := f["compulsory"]; v != nil {
		s.compulsory = r.boolean(v, what+": compulsory")
	}
	for _, o := range s.outcomes {
		if !identPattern.MatchString(o) {
			r.errorf(f["outcomes"], "%s: outcome %q is not a valid identifier", what, o)
		}
	}
	if v := f["deadline"]; v != nil {
		df := r.fields(v, what+": deadline", deadKeys...)
		dl := &rawDeadline{at: pos{r.file, v}, from: "trigger"}
		if df["school_days"] != nil {
			dl.schoolDays, _ = r.integer(df["school_days"], what+": deadline school_days", 0)
		}
		if df["days"] != nil {
			dl.days, _ = r.integer(df["days"], what+": deadline days", 0)
		}
		if w := df["when"]; w != nil {
			dl.when, dl.whenAt = r.str(w, what+": deadline when"), pos{r.file, w}
		}
		if n := btoi(df["school_days"] != nil) + btoi(df["days"] != nil) + btoi(df["when"] != nil); n != 1 {
			r.errorf(v, "%s: deadline needs exactly one of school_days, days or when", what)
		}
		if df["from"] != nil {
			dl.from, dl.fromAt = r.str(df["from"], what+": deadline from"), pos{r.file, df["from"]}
		}
		s.deadline = dl
	}
	if v := f["involve"]; v != nil {
		r.each(v, what+": involve", func(k string, iv *yaml.Node) {
			if iv == nil {
				return
			}
			inv := &rawInvolve{at: pos{r.file, iv}}
			vf := r.fields(iv, what+": involve "+k, involveKeys...)
			inv.who = r.str(vf["who"], "who")
			if vf["when"] != nil {
				inv.when, inv.whenAt = r.str(vf["when"], "when"), pos{r.file, vf["when"]}
			}
			s.involve.set(k, inv)
		})
	}
	if v := f["letter"]; v != nil {
		s.letter = r.letter(what+": letter", v)
	}
	if v := f["effects"]; v != nil {
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
		f := r.fields(it, "edfi", edfiKeys...)
		m := rawEdFi{at: pos{r.file, it}}
		m.category, m.catAt = r.str(f["category"], "edfi: category"), pos{r.file, f["category"]}
		m.reason, m.reasonAt = r.str(f["reason"], "edfi: reason"), pos{r.file, f["reason"]}
		m.code, m.codeAt = r.str(f["code"], "edfi: code"), pos{r.file, f["code"]}
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
