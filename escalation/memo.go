package escalation

import (
	"encoding/binary"
	"math"
	"strings"

	"github.com/rollcall-go/rollcall/policy"
)

// verdicts remembers what the pack's conditions and templates gave on the values they
// read. A condition over the facts reads the slots of its reads (policy.Condition.Reads)
// and, by name, the student's age, grade, flags, steps and school day, nothing else,
// and runs without a clock: on the same values it gives the same answer. Students of a
// district evaluated as of one date share most of their values (no absence, a few, the
// same number of school days), so most conditions are run once for many students. A
// counter's verdicts are kept from one evaluation to the next; each condition's are
// bounded.
type verdicts struct {
	key   []byte
	conds map[*policy.Condition]*condVerdicts
	texts map[*policy.Template]*textVerdicts
}

// condVerdicts is what one condition gave, by the values it read.
type condVerdicts struct {
	spec keySpec
	held map[string]bool
}

// textVerdicts is what one template gave, by the values it read.
type textVerdicts struct {
	spec keySpec
	text map[string]string
}

// keySpec is what a condition or template can read: the slots of its reads and the
// student's facts its source names. One whose source names the environment whole
// ($env) is never remembered.
type keySpec struct {
	reads                               []policy.Read
	age, grade, flags, steps, schoolDay bool
	never                               bool
}

func specOf(src string, reads []policy.Read) keySpec {
	return keySpec{reads: reads, age: strings.Contains(src, "age"), grade: strings.Contains(src, "grade"),
		flags: strings.Contains(src, "flags"), steps: strings.Contains(src, "steps"),
		schoolDay: strings.Contains(src, "school_day"), never: strings.Contains(src, "$env")}
}

// The most values remembered of one condition or template, and the most conditions
// and templates: past them the memory starts again.
const (
	verdictsPerCondition = 256
	verdictConditions    = 512
)

// keyOf writes the values f holds of what s can read: a condition's verdict is the
// same for the same key.
func (v *verdicts) keyOf(s *keySpec, f *policy.Facts) []byte {
	b := v.key[:0]
	for _, rd := range s.reads {
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
	if s.age {
		b = binary.AppendVarint(b, int64(f.Age))
	}
	if s.schoolDay {
		b = binary.AppendVarint(b, int64(f.SchoolDay))
	}
	if s.grade {
		b = appendText(b, f.Grade)
	}
	if s.flags {
		b = appendTexts(b, f.Flags)
	}
	if s.steps {
		b = appendTexts(b, f.Steps)
	}
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
	t := v.conds[cond]
	if t == nil {
		if v.conds == nil || len(v.conds) >= verdictConditions {
			v.conds = map[*policy.Condition]*condVerdicts{}
		}
		t = &condVerdicts{spec: specOf(cond.Source, cond.Reads()), held: map[string]bool{}}
		v.conds[cond] = t
	}
	if t.spec.never {
		return cond.Eval(r, f)
	}
	key := v.keyOf(&t.spec, f)
	if held, ok := t.held[string(key)]; ok {
		return held, nil
	}
	held, err := cond.Eval(r, f)
	if err != nil {
		return false, err
	}
	if len(t.held) >= verdictsPerCondition {
		clear(t.held)
	}
	t.held[string(key)] = held
	return held, nil
}

// render fills tmpl from f, or gives the text it gave on the same values.
func (c *counter) render(r *policy.Runner, tmpl *policy.Template, f *policy.Facts) string {
	v := &c.seen
	t := v.texts[tmpl]
	if t == nil {
		if v.texts == nil || len(v.texts) >= verdictConditions {
			v.texts = map[*policy.Template]*textVerdicts{}
		}
		t = &textVerdicts{spec: specOf(tmpl.Source, tmpl.Reads()), text: map[string]string{}}
		v.texts[tmpl] = t
	}
	if t.spec.never {
		return tmpl.Render(r, f)
	}
	key := v.keyOf(&t.spec, f)
	if s, ok := t.text[string(key)]; ok {
		return s
	}
	s := tmpl.Render(r, f)
	if len(t.text) >= verdictsPerCondition {
		clear(t.text)
	}
	t.text[string(key)] = s
	return s
}
