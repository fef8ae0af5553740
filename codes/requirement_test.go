package codes

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// satisfied gives check's answer on every requirement tree and evidence drawn: Check
// takes the quick answer first and lists what is missing only when it is no.
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
		ok, missing := req.check(ev)
		assert.Equal(t, ok, req.satisfied(ev), "%+v with %+v", req, ev)
		gotOK, got := req.Check(ev)
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
