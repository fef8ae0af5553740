package policy

import (
	"reflect"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// A section of a pack is described once, by a struct whose fields carry `pack` tags:
// the key, and ",required" when the key must be given. The loader derives the keys it
// accepts (with a suggestion for a misspelt one), the keys it requires and how it reads
// each value from that one description.
//
//	type rawCount struct {
//		Title string `pack:"title"`
//		When  pos    `pack:"when,required"` // a value kept with its place: an expression
//	}
//
// Field types: string, []string (a single value is a list of one), bool, int (a whole
// number, 0 or more), and pos (the value's node and file, read by the section's own
// reader or when the version compiles: expressions, effects, requirements, values that
// are a string or a list). A `hint` tag says what a missing required value is.

// decl is an entry of a section decoded from its description, with where it was written.
type decl[T any] struct {
	at pos
	v  T
}

type declField struct {
	key      string
	required bool
	hint     string // said after "missing key": what the value is
	index    int
}

var declFields sync.Map // reflect.Type -> []declField

func fieldsOf(t reflect.Type) []declField {
	if fs, ok := declFields.Load(t); ok {
		return fs.([]declField)
	}
	var out []declField
	for i := range t.NumField() {
		tag, ok := t.Field(i).Tag.Lookup("pack")
		if !ok {
			continue
		}
		key, opt, _ := strings.Cut(tag, ",")
		out = append(out, declField{key: key, required: opt == "required", hint: t.Field(i).Tag.Get("hint"), index: i})
	}
	declFields.Store(t, out)
	return out
}

// decode reads the mapping n into dst, a pointer to a struct described by pack tags,
// reporting unknown keys (with a suggestion), missing required keys and values of the
// wrong kind. It returns how many of the described keys n gives.
func (r *reader) decode(n *yaml.Node, what string, dst any) (given int) {
	v := reflect.ValueOf(dst).Elem()
	fields := fieldsOf(v.Type())
	keys := make([]string, len(fields))
	for i, f := range fields {
		keys[i] = f.key
	}
	got := r.fields(n, what, keys...)
	given = len(got)
	for _, f := range fields {
		node := got[f.key]
		if node == nil {
			if f.required && f.hint != "" {
				r.errorf(n, "%s: missing key %q (%s)", what, f.key, f.hint)
			} else if f.required {
				r.errorf(n, "%s: missing key %q", what, f.key)
			}
			if _, ok := v.Field(f.index).Interface().(pos); ok {
				v.Field(f.index).Set(reflect.ValueOf(pos{file: r.file}))
			}
			continue
		}
		field := v.Field(f.index)
		name := what + ": " + f.key
		switch field.Interface().(type) {
		case string:
			field.SetString(r.str(node, name))
		case []string:
			field.Set(reflect.ValueOf(r.strings(node, name)))
		case bool:
			field.SetBool(r.boolean(node, name))
		case int:
			i, _ := r.integer(node, name, 0)
			field.SetInt(int64(i))
		case pos:
			field.Set(reflect.ValueOf(pos{r.file, node}))
		}
	}
	return given
}

// section reads a section of entries, each described by T; `ID: ~` removes an
// inherited entry.
func section[T any](r *reader, n *yaml.Node, what string) omap[decl[T]] {
	var out omap[decl[T]]
	r.each(n, what+"s", func(id string, node *yaml.Node) {
		if node == nil {
			out.set(id, nil)
			return
		}
		e := &decl[T]{at: pos{r.file, node}}
		r.decode(node, what+" "+id, &e.v)
		out.set(id, e)
	})
	return out
}

// text reads the string value of a pos field (empty when the key was not given).
func (p pos) text(d *diag, what string) string {
	if p.n == nil {
		return ""
	}
	r := reader{file: p.file, d: d}
	return r.str(p.n, what)
}

// given reports whether a pos field's key was written.
func (p pos) given() bool { return p.n != nil }

// The sections described by their fields.
type (
	declDoc struct {
		Name        string `pack:"name"`
		Description string `pack:"description"`
	}
	declCode struct {
		Name       string   `pack:"name"`
		Definition string   `pack:"definition"`
		Status     pos      `pack:"status,required" hint:"present or absent"`
		Excuse     pos      `pack:"excuse"`
		Span       pos      `pack:"span"`
		Documents  pos      `pack:"documents"`
		Comment    pos      `pack:"comment"`
		EdFi       pos      `pack:"edfi"`
		Tags       []string `pack:"tags"`
		Citation   string   `pack:"citation"`
	}
	declComment struct {
		Required pos      `pack:"required"`
		Text     []string `pack:"text"`
	}
	declReq struct {
		AnyOf    pos `pack:"any_of"`
		AllOf    pos `pack:"all_of"`
		SameAs   pos `pack:"same_as"`
		Flag     pos `pack:"flag"`
		Document pos `pack:"document"`
	}
	declCap struct {
		Codes    pos      `pack:"codes"`
		Tags     []string `pack:"tags"`
		When     pos      `pack:"when"`
		Unit     pos      `pack:"unit"`
		Limit    pos      `pack:"limit,required" hint:"the number of days allowed"`
		Per      pos      `pack:"per"`
		Counts   pos      `pack:"counts"`
		Past     pos      `pack:"past,required" hint:"what happens past the limit"`
		Citation string   `pack:"citation"`
	}
	declRule struct {
		When     pos    `pack:"when,required" hint:"the condition, an expression"`
		Then     pos    `pack:"then,required" hint:"what the rule does"`
		Applies  pos    `pack:"applies"`
		Citation string `pack:"citation"`
	}
	declEffect struct {
		Excuse    pos    `pack:"excuse"`
		Recode    pos    `pack:"recode"`
		Require   pos    `pack:"require"`
		Documents pos    `pack:"documents"`
		Note      string `pack:"note"`
	}
	declStep struct {
		Title      string `pack:"title"`
		Actor      string `pack:"actor"`
		Action     string `pack:"action"`
		Cadence    string `pack:"cadence"`
		When       pos    `pack:"when,required" hint:"the trigger, an expression"`
		Because    pos    `pack:"because"` // a text, or one text per clause
		After      pos    `pack:"after"`
		Repeats    bool   `pack:"repeats"`
		Every      pos    `pack:"every"`
		Latch      bool   `pack:"latch"`
		Scope      pos    `pack:"scope"`
		Outcomes   pos    `pack:"outcomes"`
		ResetsOn   pos    `pack:"resets_on"`
		Compulsory pos    `pack:"compulsory"`
		Deadline   pos    `pack:"deadline"`
		Citation   string `pack:"citation"`
		Involve    pos    `pack:"involve"`
		Effects    pos    `pack:"effects"`
		Letter     pos    `pack:"letter"`
	}
	declDeadline struct {
		SchoolDays pos `pack:"school_days"`
		Days       pos `pack:"days"`
		From       pos `pack:"from"`
		When       pos `pack:"when"`
	}
	declInvolve struct {
		When pos    `pack:"when"`
		Who  string `pack:"who"`
	}
	declEdFi struct {
		Category pos `pack:"category"`
		Reason   pos `pack:"reason"`
		Code     pos `pack:"code"`
	}
	rawCount struct {
		Title    string `pack:"title"`
		Unit     string `pack:"unit"`
		When     pos    `pack:"when,required"`
		Citation string `pack:"citation"`
	}
	rawDocDeadline struct {
		When       pos    `pack:"when,required"`
		SchoolDays int    `pack:"school_days,required"`
		From       string `pack:"from"`
		Then       pos    `pack:"then,required"`
		Citation   string `pack:"citation"`
	}
	rawDesignation struct {
		Title      string `pack:"title"`
		When       pos    `pack:"when,required"`
		Because    pos    `pack:"because"` // a text, or one text per clause
		Compulsory pos    `pack:"compulsory"`
		Citation   string `pack:"citation"`
	}
	rawCompulsory struct {
		Title    string `pack:"title"`
		When     pos    `pack:"when,required"`
		Citation string `pack:"citation"`
	}
	rawRoutine struct {
		Title    string `pack:"title"`
		Actor    string `pack:"actor"`
		Action   string `pack:"action"`
		Cadence  string `pack:"cadence"`
		Citation string `pack:"citation"`
	}
	rawAction struct {
		Title    string `pack:"title"`
		Actor    string `pack:"actor"`
		Action   string `pack:"action"`
		When     pos    `pack:"when,required"`
		Citation string `pack:"citation"`
	}
	rawSignOut struct {
		When     pos      `pack:"when,required"`
		Allow    bool     `pack:"allow,required"`
		Notify   []string `pack:"notify"`
		Note     string   `pack:"note"`
		Citation string   `pack:"citation"`
	}
)
