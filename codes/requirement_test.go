package codes

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

// satisfied gives check's answer on every requirement tree and evidence drawn: Check
// takes the quick answer first and lists what is missing only when it is no; Satisfied
// and Lacks are its two halves.
func TestSatisfiedAgreesWithCheck(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	names := []string{"a", "b", "c"}
	var draw func(depth int) Requirement
	draw = func(depth int) Requirement {
		k := r.IntN(5)
		if depth > 2 {
			k = r.IntN(3)
		}
		switch k {
		case 0:
			return Requirement{}
		case 1:
			return Requirement{Kind: Document, Name: names[r.IntN(3)]}
		case 2:
			return Requirement{Kind: Flag, Name: names[r.IntN(3)]}
		}
		req := Requirement{Kind: AnyOf}
		if k == 4 {
			req.Kind = AllOf
		}
		for range r.IntN(4) {
			req.Items = append(req.Items, draw(depth+1))
		}
		return req
	}
	for range 5000 {
		req := draw(0)
		var ev Evidence
		for _, n := range names {
			if r.IntN(2) == 0 {
				ev.Documents = append(ev.Documents, n)
			}
			if r.IntN(2) == 0 {
				ev.Flags = append(ev.Flags, n)
			}
		}
		ok, missing := req.checkRef(ev)
		assert.Equal(t, ok, req.satisfied(ev), "%+v with %+v", req, ev)
		assert.Equal(t, ok, req.Satisfied(ev), "%+v with %+v", req, ev)
		lacks := req.Lacks(ev)
		gotOK, got := req.Check(ev)
		assert.Equal(t, got, lacks, "Lacks lists what Check does: %+v with %+v", req, ev)
		assert.Equal(t, ok, gotOK)
		if !ok {
			assert.Equal(t, missing, got, "%+v with %+v", req, ev)
		} else {
			assert.True(t, got.IsZero())
		}
	}
}

func TestCatalogPosition(t *testing.T) {
	cat, err := NewCatalog([]Code{{ID: "A"}, {ID: "B"}})
	assert.NoError(t, err)
	b, _ := cat.Lookup("B")
	assert.Equal(t, 1, cat.Position(b))
	assert.Equal(t, -1, cat.Position(&Code{ID: "B"}), "a copy is not the catalog's")
	assert.Equal(t, -1, cat.Position(nil))
	other, _ := NewCatalog([]Code{{ID: "B"}})
	ob, _ := other.Lookup("B")
	assert.Equal(t, -1, cat.Position(ob))
}

// checkRef is how Check answered before it asked satisfied first: each item's answer
// and missing list, merged. The quick path must give the same.
func (r Requirement) checkRef(ev Evidence) (ok bool, missing Missing) {
	switch r.Kind {
	case Nothing:
		return true, Missing{}
	case Document:
		if slices.Contains(ev.Documents, r.Name) {
			return true, Missing{}
		}
		return false, Missing{Documents: []string{r.Name}}
	case Flag:
		if slices.Contains(ev.Flags, r.Name) {
			return true, Missing{}
		}
		return false, Missing{Flags: []string{r.Name}}
	case AnyOf:
		var all Missing
		for _, it := range r.Items {
			ok, m := it.checkRef(ev)
			if ok {
				return true, Missing{}
			}
			all.add(m)
		}
		return len(r.Items) == 0, all
	case AllOf:
		var all Missing
		for _, it := range r.Items {
			if ok, m := it.checkRef(ev); !ok {
				all.add(m)
			}
		}
		return all.IsZero(), all
	}
	return false, Missing{}
}

// add merges o into m, in order, each once (for checkRef).
func (m *Missing) add(o Missing) {
	for _, d := range o.Documents {
		if !slices.Contains(m.Documents, d) {
			m.Documents = append(m.Documents, d)
		}
	}
	for _, f := range o.Flags {
		if !slices.Contains(m.Flags, f) {
			m.Flags = append(m.Flags, f)
		}
	}
}
