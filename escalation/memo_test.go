package escalation

import (
	"reflect"
	"testing"

	"github.com/rollcall-go/rollcall/policy"
)

// The verdicts a counter remembers are keyed by the values a condition can read: the
// slots of its reads and every other field of policy.Facts its source names. A field added to
// policy.Facts must be added to verdicts.keyOf (and here), or conditions reading it
// would be answered from values that do not hold it.
func TestVerdictKeyCoversFacts(t *testing.T) {
	keyed := map[string]bool{"Values": true, "Bools": true, "Texts": true, // by the reads' slots
		"Age": true, "SchoolDay": true, "Grade": true, "Flags": true, "Steps": true}
	ft := reflect.TypeFor[policy.Facts]()
	for i := range ft.NumField() {
		if f := ft.Field(i); !keyed[f.Name] {
			t.Errorf("policy.Facts.%s is not part of a verdict's key (verdicts.keyOf)", f.Name)
		}
	}
	if ft.NumField() != len(keyed) {
		t.Errorf("policy.Facts has %d fields, the key covers %d", ft.NumField(), len(keyed))
	}
}

// Facts that differ in any field a condition can read have different keys; the same
// facts, the same key.
func TestVerdictKeys(t *testing.T) {
	reads := []policy.Read{{Kind: policy.ReadNumber, Slot: 0}, {Kind: policy.ReadBool, Slot: 0}, {Kind: policy.ReadText, Slot: 0}}
	base := func() policy.Facts {
		return policy.Facts{Values: []float64{1}, Bools: []bool{true}, Texts: []string{"a"}, Age: 9, Grade: "3",
			Flags: []string{"iep"}, Steps: []string{"warning-letter"}, SchoolDay: 20}
	}
	var v verdicts
	spec := keySpec{reads: reads, age: true, grade: true, flags: true, steps: true, schoolDay: true}
	key := func(f policy.Facts) string { return string(v.keyOf(&spec, &f)) }
	want := key(base())
	if key(base()) != want {
		t.Fatal("the same facts give different keys")
	}
	for name, change := range map[string]func(*policy.Facts){
		"value": func(f *policy.Facts) { f.Values[0] = 2 },
		"bool":  func(f *policy.Facts) { f.Bools[0] = false }, "text": func(f *policy.Facts) { f.Texts[0] = "b" },
		"age": func(f *policy.Facts) { f.Age = 10 }, "grade": func(f *policy.Facts) { f.Grade = "4" },
		"flags": func(f *policy.Facts) { f.Flags = nil }, "flags empty": func(f *policy.Facts) { f.Flags = []string{} },
		"steps": func(f *policy.Facts) { f.Steps = append(f.Steps, "x") }, "school day": func(f *policy.Facts) { f.SchoolDay = 21 },
		"text and grade": func(f *policy.Facts) { f.Texts[0], f.Grade = "a3", "" },
	} {
		f := base()
		change(&f)
		if key(f) == want {
			t.Errorf("%s: the key is the same", name)
		}
	}
	zero, negZero := base(), base()
	nz := 0.0
	zero.Values[0], negZero.Values[0] = 0, -nz
	if key(zero) == key(negZero) { // equal as numbers, but 1/x tells them apart
		t.Error("0 and -0 have the same key")
	}
}

// A condition's key holds the student's facts its source names, and a condition that
// names the environment whole is never remembered.
func TestVerdictSpecs(t *testing.T) {
	for src, want := range map[string]keySpec{
		"unexcused >= 5":                        {},
		"age >= 6 and grade != \"PK\"":          {age: true, grade: true},
		"\"iep\" in flags and school_day > 10":  {flags: true, schoolDay: true},
		"\"warning-letter\" in steps":           {steps: true},
		"$env[\"__num\"][0] > 1":                {never: true},
		"{{age}} years old, day {{school_day}}": {age: true, schoolDay: true},
	} {
		if got := specOf(src, nil); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %+v, want %+v", src, got, want)
		}
	}
}
