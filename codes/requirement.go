package codes

import (
	"slices"
	"strings"
)

// Kind is the kind of a [Requirement] node.
type Kind int

// The requirement kinds.
const (
	Nothing  Kind = iota // no documentation needed (the zero Requirement)
	Document             // one named document
	Flag                 // a student flag that must hold on the date (e.g. project-connect)
	AnyOf                // any one of the items
	AllOf                // every item
)

// Requirement is the documentation that excuses an absence: a document, a student flag
// that holds on the date, or a group of either. The zero Requirement needs nothing.
type Requirement struct {
	Kind  Kind
	Name  string        // document or flag identifier (Document, Flag)
	Items []Requirement // group members (AnyOf, AllOf)
}

// Doc is a requirement for one document.
func Doc(name string) Requirement { return Requirement{Kind: Document, Name: name} }

// FlagOn is a requirement that the student carries flag on the date.
func FlagOn(name string) Requirement { return Requirement{Kind: Flag, Name: name} }

// Any is satisfied by any one of items.
func Any(items ...Requirement) Requirement { return Requirement{Kind: AnyOf, Items: items} }

// All is satisfied when every one of items is.
func All(items ...Requirement) Requirement { return Requirement{Kind: AllOf, Items: items} }

// IsZero reports whether the requirement needs nothing.
func (r Requirement) IsZero() bool { return r.Kind == Nothing }

// Evidence is what an absence comes with: the documents received and the student flags
// that hold on its date.
type Evidence struct {
	Documents []string
	Flags     []string
}

// Missing is what a requirement still needs. For an "any of" group every alternative is
// listed: any one of them would do.
type Missing struct {
	Documents []string `json:"documents"`
	Flags     []string `json:"flags"`
}

// IsZero reports whether nothing is missing.
func (m Missing) IsZero() bool { return len(m.Documents) == 0 && len(m.Flags) == 0 }

// Check reports whether the evidence satisfies the requirement and, if not, what is missing.
func (r Requirement) Check(ev Evidence) (ok bool, missing Missing) {
	if r.satisfied(ev) {
		return true, Missing{}
	}
	return false, r.missing(ev)
}

// Satisfied is Check's answer alone, found without listing what is missing.
func (r Requirement) Satisfied(ev Evidence) bool { return r.satisfied(ev) }

// Lacks is what Check lists as missing: empty when the evidence satisfies r.
func (r Requirement) Lacks(ev Evidence) Missing {
	if r.satisfied(ev) {
		return Missing{}
	}
	return r.missing(ev)
}

// satisfied is Check's answer, found without listing what is missing.
func (r Requirement) satisfied(ev Evidence) bool {
	switch r.Kind {
	case Nothing:
		return true
	case Document:
		return slices.Contains(ev.Documents, r.Name)
	case Flag:
		return slices.Contains(ev.Flags, r.Name)
	case AnyOf:
		for _, it := range r.Items {
			if it.satisfied(ev) {
				return true
			}
		}
		return len(r.Items) == 0
	case AllOf:
		for _, it := range r.Items {
			if !it.satisfied(ev) {
				return false
			}
		}
		return true
	}
	return false
}

// missing lists what a requirement that is not satisfied lacks.
func (r Requirement) missing(ev Evidence) Missing {
	var m Missing
	docs, flags := r.leaves()
	if docs > 0 {
		m.Documents = make([]string, 0, docs)
	}
	if flags > 0 {
		m.Flags = make([]string, 0, flags)
	}
	r.collect(ev, &m)
	if len(m.Documents) == 0 {
		m.Documents = nil
	}
	if len(m.Flags) == 0 {
		m.Flags = nil
	}
	return m
}

// leaves counts the documents and the flags r names (with repeats): the most it can lack.
func (r Requirement) leaves() (docs, flags int) {
	switch r.Kind {
	case Document:
		return 1, 0
	case Flag:
		return 0, 1
	}
	for _, it := range r.Items {
		d, f := it.leaves()
		docs, flags = docs+d, flags+f
	}
	return docs, flags
}

// collect adds to m what r, not satisfied, lacks: in order, each once. None of an
// unsatisfied AnyOf's items is satisfied; an AllOf lacks what its unsatisfied items do.
func (r Requirement) collect(ev Evidence, m *Missing) {
	switch r.Kind {
	case Document:
		if !slices.Contains(m.Documents, r.Name) {
			m.Documents = append(m.Documents, r.Name)
		}
	case Flag:
		if !slices.Contains(m.Flags, r.Name) {
			m.Flags = append(m.Flags, r.Name)
		}
	case AnyOf:
		for _, it := range r.Items {
			it.collect(ev, m)
		}
	case AllOf:
		for _, it := range r.Items {
			if !it.satisfied(ev) {
				it.collect(ev, m)
			}
		}
	}
}

// Names returns every document and flag identifier the requirement mentions, in order,
// each once; flags are prefixed "flag:".
func (r Requirement) Names() []string {
	var out []string
	r.walk(func(n Requirement) {
		name := n.Name
		if n.Kind == Flag {
			name = "flag:" + name
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	})
	return out
}

func (r Requirement) walk(f func(Requirement)) {
	switch r.Kind {
	case Document, Flag:
		f(r)
	case AnyOf, AllOf:
		for _, it := range r.Items {
			it.walk(f)
		}
	}
}

// String describes the requirement for people:
// "release-log and any of (medical-note, principal-approval)".
func (r Requirement) String() string { return r.format(true) }

func (r Requirement) format(top bool) string {
	switch r.Kind {
	case Nothing:
		return "nothing"
	case Document:
		return r.Name
	case Flag:
		return "flag " + r.Name
	case AnyOf, AllOf:
		if len(r.Items) == 0 {
			return "nothing"
		}
		if len(r.Items) == 1 {
			return r.Items[0].format(top)
		}
		parts := make([]string, len(r.Items))
		for i, it := range r.Items {
			parts[i] = it.format(false)
		}
		if r.Kind == AnyOf {
			if top {
				return "any of " + strings.Join(parts, ", ")
			}
			return "any of (" + strings.Join(parts, ", ") + ")"
		}
		if top {
			return strings.Join(parts, " and ")
		}
		return "(" + strings.Join(parts, " and ") + ")"
	}
	return "invalid requirement"
}
