package codes

import "fmt"

// Catalog is an ordered set of codes, looked up by identifier. A Catalog is immutable
// once built and safe for concurrent use.
type Catalog struct {
	list  []*Code
	index map[string]*Code
}

// NewCatalog builds a catalog from codes in the order given. It fails on an empty or
// duplicate identifier.
func NewCatalog(list []Code) (*Catalog, error) {
	c := &Catalog{index: make(map[string]*Code, len(list))}
	for i := range list {
		code := list[i]
		if code.ID == "" {
			return nil, fmt.Errorf("codes: code %d has no identifier", i+1)
		}
		if _, dup := c.index[code.ID]; dup {
			return nil, fmt.Errorf("codes: duplicate code %q", code.ID)
		}
		code.pos, code.catalog = len(c.list), c
		c.list = append(c.list, &code)
		c.index[code.ID] = &code
	}
	return c, nil
}

// Lookup returns the code with identifier id.
func (c *Catalog) Lookup(id string) (*Code, bool) {
	code, ok := c.index[id]
	return code, ok
}

// Len returns the number of codes.
func (c *Catalog) Len() int { return len(c.list) }

// Position returns where code is in c (0 for the first), or -1 when it is not one of
// c's codes.
func (c *Catalog) Position(code *Code) int {
	if code == nil || code.catalog != c {
		return -1
	}
	return code.pos
}

// All returns the codes in catalog order. The codes must not be modified.
func (c *Catalog) All() []*Code { return c.list }
