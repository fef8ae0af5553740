package escalation

import (
	"encoding/binary"
	"math"

	"github.com/rollcall-go/rollcall/policy"
)

// verdicts remembers what the pack's conditions and templates gave on the values they
// read. A condition over the facts reads the slots of its reads (policy.Condition.Reads)
// and the student's age, grade, flags, steps and school day, nothing else, and runs
// without a clock: on the same values it gives the same answer. Students of a district
// evaluated as of one date share most of their values (no absence, a few, the same
// number of school days), so most conditions are run once for many students. A
// counter's verdicts are kept from one evaluation to the next; each condition's are
// bounded.
type verdicts struct {
	key   []byte
	conds map[*policy.Condition]map[string]bool
	texts map[*policy.Template]map[string]string
}

// The most values remembered of one condition or template, and the most conditions
// and templates: past them the memory starts again.
const (
	verdictsPerCondition = 256
	verdictConditions    = 512
)

// keyOf writes the values reads and the student's facts have in f: a condition's
// verdict is the same for the same key.
func (v *verdicts) keyOf(reads []policy.Read, f *policy.Facts) []byte {
	b := v.key[:0]
	for _, rd := range reads {
		switch rd.Kind {
		case policy.ReadBool:
			if f.Bools[rd.Slot] {
				b = append(b, 1)
			} else {
				b = append(b, 0)
			}
		case policy.ReadText:
			b = appendText(b, f.Texts[rd.Slot])
		default:
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f.Values[rd.Slot]))
		}
	}
	b = binary.AppendVarint(b, int64(f.Age))
	b = binary.AppendVarint(b, int64(f.SchoolDay))
	b = appendText(b, f.Grade)
	b = appendTexts(b, f.Flags)
	b = appendTexts(b, f.Steps)
	v.key = b
	return b
}

func appendText(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// appendTexts writes a list, telling nil from empty.
func appendTexts(b []byte, list []string) []byte {
	if list == nil {
		return append(b, 0)
	}
	b = binary.AppendUvarint(b, uint64(len(list))+1)
	for _, s := range list {
		b = appendText(b, s)
	}
	return b
}

// holds runs cond on f, or gives the verdict it gave on the same values. A condition
// that fails to run is run again each time (and its error returned).
func (c *counter) holds(r *policy.Runner, cond *policy.Condition, f *policy.Facts) (bool, error) {
	v := &c.seen
	key := v.keyOf(cond.Reads(), f)
	m := v.conds[cond]
	if m != nil {
		if held, ok := m[string(key)]; ok {
			return held, nil
		}
	}
	held, err := cond.Eval(r, f)
	if err != nil {
		return false, err
	}
	switch {
	case m == nil:
		if v.conds == nil || len(v.conds) >= verdictConditions {
			v.conds = map[*policy.Condition]map[string]bool{}
		}
		m = map[string]bool{}
		v.conds[cond] = m
	case len(m) >= verdictsPerCondition:
		clear(m)
	}
	m[string(key)] = held
	return held, nil
}

// render fills t from f, or gives the text it gave on the same values.
func (c *counter) render(r *policy.Runner, t *policy.Template, f *policy.Facts) string {
	v := &c.seen
	key := v.keyOf(t.Reads(), f)
	m := v.texts[t]
	if m != nil {
		if s, ok := m[string(key)]; ok {
			return s
		}
	}
	s := t.Render(r, f)
	switch {
	case m == nil:
		if v.texts == nil || len(v.texts) >= verdictConditions {
			v.texts = map[*policy.Template]map[string]string{}
		}
		m = map[string]string{}
		v.texts[t] = m
	case len(m) >= verdictsPerCondition:
		clear(m)
	}
	m[string(key)] = s
	return s
}
