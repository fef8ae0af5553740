package policytest

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/codes"
	"github.com/rollcall-go/rollcall/history"
	"github.com/rollcall-go/rollcall/policy"
)

// Item is one thing of a pack that tests can exercise: a code, a document, a count, a
// cap, a rule, a step's effect, a deadline, a designation, a step, each side of each
// clause of a step's trigger, a daily action or a sign-out rule.
type Item struct {
	Kind string // code, document, count, cap, rule, effect, deadline, designation, step, clause, action, signout
	ID   string // "MED"; for a clause, "STEP N true" or "STEP N false"
	policy.Position
	Hit bool
}

// Coverage is what the tests of one pack exercised of the pack's own file (not of the
// packs it extends).
type Coverage struct {
	Pack  string
	File  string
	Items []Item
}

// Percent is the share of items hit, 0 to 100 (100 for a pack with none).
func (c Coverage) Percent() float64 {
	if len(c.Items) == 0 {
		return 100
	}
	hit := 0
	for _, it := range c.Items {
		if it.Hit {
			hit++
		}
	}
	return 100 * float64(hit) / float64(len(c.Items))
}

// Missed returns the items no test exercised.
func (c Coverage) Missed() []Item {
	var out []Item
	for _, it := range c.Items {
		if !it.Hit {
			out = append(out, it)
		}
	}
	return out
}

// String lists the coverage by line: one line per item, hit or not.
func (c Coverage) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %.1f%% of %d items\n", c.Pack, c.File, c.Percent(), len(c.Items))
	for _, it := range c.Items {
		mark := "  ok "
		if !it.Hit {
			mark = "  -- "
		}
		fmt.Fprintf(&b, "%s%s:%d: %s %s\n", mark, it.File, it.Line, it.Kind, it.ID)
	}
	return b.String()
}

// CoverageOf returns the coverage of every pack file the results' packs are made of,
// by file: a test of a pack that extends another exercises the other's lines too, and
// each file is reported for its own lines.
func CoverageOf(results []Result) []Coverage {
	type key struct{ file, kind, id string }
	byFile := map[string]*Coverage{}
	index := map[key]int{}
	var files []string
	seenPack := map[*policy.Pack]bool{}
	for _, r := range results {
		if r.pack == nil {
			continue
		}
		if !seenPack[r.pack] {
			seenPack[r.pack] = true
			for _, it := range items(r.pack) {
				c := byFile[it.File]
				if c == nil {
					c = &Coverage{File: it.File, Pack: packOfFile(it.File)}
					byFile[it.File] = c
					files = append(files, it.File)
				}
				k := key{it.File, it.Kind, it.ID}
				if _, dup := index[k]; !dup {
					index[k] = len(c.Items)
					c.Items = append(c.Items, it)
				}
			}
		}
		for _, it := range items(r.pack) {
			if r.hits[hitKey(it)] {
				byFile[it.File].Items[index[key{it.File, it.Kind, it.ID}]].Hit = true
			}
		}
	}
	var out []Coverage
	for _, f := range files {
		c := byFile[f]
		sort.SliceStable(c.Items, func(i, j int) bool { return c.Items[i].Line < c.Items[j].Line })
		out = append(out, *c)
	}
	return out
}

// packOfFile names a pack by its file: packs/ccs.yaml is ccs.
func packOfFile(f string) string {
	base := f[strings.LastIndexAny(f, "/\\")+1:]
	return strings.TrimSuffix(strings.TrimSuffix(base, ".yaml"), ".yml")
}

func hitKey(it Item) string {
	if it.Kind == "clause" {
		return "clause " + it.ID
	}
	return it.Kind + " " + it.ID
}

// items lists the coverable items of every file of the pack, as its versions layer
// them (an entry is its defining file's).
func items(p *policy.Pack) []Item {
	var out []Item
	seen := map[string]bool{}
	for _, v := range p.Versions() {
		required := map[string]bool{}
		need := func(r *codes.Requirement) {
			if r != nil {
				for _, n := range r.Names() {
					required[n] = true
				}
			}
		}
		for _, c := range v.Codes.All() {
			need(&c.Documents)
		}
		for _, cp := range v.Caps {
			need(cp.Past.Require)
			need(cp.Past.Documents)
		}
		for _, ru := range v.Rules {
			need(ru.Then.Require)
			need(ru.Then.Documents)
		}
		add := func(kind, id string, sides ...string) {
			pos, ok := v.Where(kind, id)
			if !ok {
				return
			}
			if len(sides) == 0 {
				sides = []string{""}
			}
			for _, side := range sides {
				it := Item{Kind: kind, ID: id, Position: pos}
				if side != "" {
					it.Kind, it.ID = "clause", id+" "+side
				}
				if k := pos.File + " " + hitKey(it); !seen[k] {
					seen[k] = true
					out = append(out, it)
				}
			}
		}
		for _, d := range v.Documents {
			if required[d.ID] { // a document no code or effect asks for has nothing to test
				add("document", d.ID)
			}
		}
		for _, code := range v.Codes.All() {
			add("code", code.ID)
		}
		for _, cnt := range v.Counts {
			add("count", cnt.ID)
		}
		for _, cp := range v.Caps {
			add("cap", cp.ID)
		}
		for _, ru := range v.Rules {
			if ru.Step == "" {
				add("rule", ru.ID)
			} else {
				add("effect", ru.Step+" "+strings.TrimPrefix(ru.ID, "effect "))
			}
		}
		for _, dl := range v.Deadlines {
			add("deadline", dl.ID)
		}
		for _, ds := range v.Designations {
			add("designation", ds.ID)
		}
		for _, s := range v.Steps {
			add("step", s.ID)
			for i := 1; i <= max(1, len(s.Clauses)); i++ {
				add("step", s.ID, fmt.Sprintf("%d true", i), fmt.Sprintf("%d false", i))
			}
		}
		for _, a := range v.Actions {
			add("action", a.ID)
		}
		for _, so := range v.SignOut {
			add("signout", so.ID)
		}
	}
	return out
}

// record notes what one test exercised.
func (t *tester) record(h *history.History, ev *rollcall.Evaluation, asOf calendar.Date) {
	if t.res.hits == nil {
		t.res.hits = map[string]bool{}
	}
	hit := func(kind, id string) { t.res.hits[kind+" "+id] = true }
	v := t.e.Pack().At(ev.AsOf)
	for i, c := range ev.Events {
		if c.Rejected != "" {
			continue
		}
		hit("code", c.Code)
		hit("code", c.EffectiveCode)
		for _, d := range h.Events[i].Documents {
			hit("document", d)
		}
		for _, d := range c.MissingDocuments {
			hit("document", d)
		}
		for _, n := range c.Notes {
			kind, id, _ := strings.Cut(n.Source, " ")
			switch kind {
			case "cap", "rule", "deadline":
				hit(kind, id)
			case "step":
				for _, ru := range v.Rules {
					if ru.Step == id && (ru.Then.Note == "" || strings.HasPrefix(n.Text, ru.Then.Note)) {
						hit("effect", id+" "+strings.TrimPrefix(ru.ID, "effect "))
					}
				}
			}
		}
	}
	for _, cnt := range v.Counts {
		if val, ok := ev.Facts.Get(cnt.ID); ok && val > 0 {
			hit("count", cnt.ID)
		}
	}
	for _, d := range ev.Designations {
		hit("designation", d.ID)
	}
	for _, d := range ev.Due {
		hit("step", d.Step)
	}
	for _, s := range v.Steps {
		x, err := t.e.Explain(h, ev.AsOf, s.ID)
		if x == nil || err != nil && !slices.ContainsFunc(ev.Events, func(c rollcall.Classified) bool { return c.Rejected != "" }) {
			continue
		}
		for i, c := range x.Clauses {
			hit("clause", fmt.Sprintf("%s %d %t", s.ID, i+1, c.Held))
		}
	}
	if acts, _ := t.e.Actions(h, asOf); acts != nil {
		for _, a := range acts {
			hit("action", a.Action)
		}
	}
}
