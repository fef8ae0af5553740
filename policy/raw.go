package policy

import (
	"gopkg.in/yaml.v3"

	"github.com/rollcall-go/rollcall/calendar"
)

// pos is where something was written, kept so that problems found after layering
// (extends, versions) still point at the right file and line.
type pos struct {
	file string
	n    *yaml.Node
}

func (p pos) errorf(d *diag, format string, args ...any) {
	r := reader{file: p.file, d: d}
	r.errorf(p.n, format, args...)
}

// omap is an ordered map of layered entries; a nil value removes an inherited entry.
type omap[T any] struct {
	keys []string
	m    map[string]*T
}

func (o *omap[T]) set(k string, v *T) {
	if o.m == nil {
		o.m = map[string]*T{}
	}
	if _, ok := o.m[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.m[k] = v
}

// overlay returns o with top's entries replacing or adding to o's; nil entries remove.
func (o omap[T]) overlay(top omap[T]) omap[T] {
	var out omap[T]
	for _, k := range o.keys {
		out.set(k, o.m[k])
	}
	for _, k := range top.keys {
		out.set(k, top.m[k])
	}
	return out
}

// each calls f for the entries that are present (not removed), in order.
func (o omap[T]) each(f func(k string, v *T)) {
	for _, k := range o.keys {
		if v := o.m[k]; v != nil {
			f(k, v)
		}
	}
}

func (o omap[T]) get(k string) *T { return o.m[k] }

// rawPack is one pack file as written.
type rawPack struct {
	file      string
	name      string
	nameAt    pos
	title     string
	citation  string
	source    string
	extends   string
	extendsAt pos
	effective calendar.Date
	body      rawBody
	versions  []rawVersion
}

type rawVersion struct {
	effective calendar.Date
	at        pos
	body      rawBody
}

// rawBody holds the sections that layer: a child pack or a later version replaces
// entries by identifier and adds new ones.
type rawBody struct {
	schoolMonth   *rawInt
	compulsory    *decl[rawCompulsory]
	compulsorySet bool
	documents     omap[rawDoc]
	flags         omap[rawDoc]
	codes         omap[rawCode]
	counts        omap[decl[rawCount]]
	deadlines     omap[decl[rawDocDeadline]]
	caps          omap[rawCap]
	rules         omap[rawRule]
	steps         omap[rawStep]
	designations  omap[decl[rawDesignation]]
	routines      omap[decl[rawRoutine]]
	actions       omap[decl[rawAction]]
	signout       omap[decl[rawSignOut]]
	edfi          []rawEdFi
	edfiSet       bool
	letterhead    *rawLetterhead // see letters.go
}

func (b rawBody) overlay(top rawBody) rawBody {
	out := rawBody{
		schoolMonth:  b.schoolMonth,
		documents:    b.documents.overlay(top.documents),
		flags:        b.flags.overlay(top.flags),
		codes:        b.codes.overlay(top.codes),
		counts:       b.counts.overlay(top.counts),
		deadlines:    b.deadlines.overlay(top.deadlines),
		caps:         b.caps.overlay(top.caps),
		rules:        b.rules.overlay(top.rules),
		steps:        b.steps.overlay(top.steps),
		designations: b.designations.overlay(top.designations),
		routines:     b.routines.overlay(top.routines),
		actions:      b.actions.overlay(top.actions),
		signout:      b.signout.overlay(top.signout),
		edfi:         b.edfi,
		edfiSet:      b.edfiSet,
	}
	if top.schoolMonth != nil {
		out.schoolMonth = top.schoolMonth
	}
	out.letterhead = b.letterhead
	if top.letterhead != nil {
		out.letterhead = top.letterhead
	}
	out.compulsory, out.compulsorySet = b.compulsory, b.compulsorySet
	if top.compulsorySet {
		out.compulsory, out.compulsorySet = top.compulsory, true
	}
	if top.edfiSet {
		out.edfi, out.edfiSet = top.edfi, true
	}
	return out
}

type rawInt struct {
	v  int
	at pos
}

type rawDoc struct {
	name, description string
	at                pos
}

type rawCode struct {
	at         pos
	name       string
	definition string
	status     string
	statusAt   pos
	excuse     string
	excuseAt   pos
	span       string
	spanAt     pos
	documents  *rawReq
	comment    rawComment
	edfi       string
	edfiAt     pos
	tags       []string
	citation   string
}

type rawComment struct {
	required bool
	text     []string
}

// rawReq is a documentation requirement before same_as references are resolved.
type rawReq struct {
	at    pos
	kind  string // "doc", "flag", "any", "all", "same", "none"
	name  string
	items []*rawReq
}

type rawCap struct {
	at       pos
	codes    []string
	codesAt  pos
	tags     []string
	when     string
	whenAt   pos
	unit     string
	limit    int
	per      string
	perAt    pos
	counts   string
	past     rawEffect
	citation string
}

type rawRule struct {
	at        pos
	applies   string // for a step's effect: after (the step's date) or school-year
	appliesAt pos
	when      string
	whenAt    pos
	then      rawEffect
	citation  string
}

// rawEffect is what a rule, a cap or a step does to a classification.
type rawEffect struct {
	at        pos
	excuse    string
	excuseAt  pos
	recode    []recodePair // in the order written; "*" maps every code
	recodeAt  pos
	require   *rawReq // also required
	documents *rawReq // what excuses it instead
	note      string
}

// rawStep is a ladder step.
type rawStep struct {
	at         pos
	title      string
	actor      string
	action     string
	cadence    string
	when       string
	whenAt     pos
	because    string
	becauses   []string // one text per clause of when
	becauseAt  pos
	after      []string
	afterAt    pos
	repeats    bool
	every      int // for a repeating step: school days between repeats (0: whenever not done since the trigger began)
	latch      bool
	scope      string
	outcomes   []string
	resetsOn   []string
	resetsOnAt pos
	compulsory bool
	deadline   *rawDeadline
	citation   string
	involve    omap[rawInvolve]
	effects    []*rawRule
	audience   []string
	daily      bool
	letter     *rawLetter // see letters.go
}

type rawDeadline struct {
	at         pos
	schoolDays int
	days       int
	from       string // "trigger" or a step identifier
	fromAt     pos
	when       string // due by the first day this holds (a count reaching a number)
	whenAt     pos
}

type rawInvolve struct {
	at     pos
	when   string
	whenAt pos
	who    string
}

type rawEdFi struct {
	at       pos
	category string
	catAt    pos
	reason   string
	reasonAt pos
	code     string
	codeAt   pos
}

type recodePair struct {
	from, to string
	at       pos
}

// present returns the identifiers that are present (not removed), in order.
func (o omap[T]) present() []string {
	var out []string
	o.each(func(k string, _ *T) { out = append(out, k) })
	return out
}
