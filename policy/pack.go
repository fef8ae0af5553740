package policy

import (
	"regexp"
	"slices"
	"strings"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/codes"
)

// Pack is a loaded, validated and compiled policy pack: its own settings layered on
// those of the packs it extends, in one or more versions by effective date.
//
// A Pack is immutable and safe for concurrent use.
type Pack struct {
	Name     string   // the pack's name, e.g. "ccs"
	Title    string   // a title for people
	Citation string   // the policy or statute the pack implements
	Source   string   // where its facts come from
	Chain    []string // the pack and the packs it extends, nearest first: ["ccs", "ohio"]
	File     string   // the pack's own file, as errors and positions name it
	// Effective is when the pack says it was adopted (informational; versions carry
	// the dates that change what applies).
	Effective calendar.Date
	versions  []*Version
}

// Versions returns the pack's versions in order of effective date; the first applies
// from the beginning of time.
func (p *Pack) Versions() []*Version { return p.versions }

// At returns the version in force on d: the last whose From is on or before d.
func (p *Pack) At(d calendar.Date) *Version {
	v := p.versions[0]
	for _, w := range p.versions[1:] {
		if w.From.After(d) {
			break
		}
		v = w
	}
	return v
}

// Version is the whole policy in force from one date on.
type Version struct {
	From         calendar.Date // zero for the first version
	Codes        *codes.Catalog
	Documents    []Term   // the documents codes may require
	Flags        []Term   // the student flags codes may require
	Counts       []*Count // what the law counts, in order
	Caps         []*Cap
	Rules        []*Rule        // classification rules, in the order they apply
	Deadlines    []*DocDeadline // documentation deadlines, applied as of a date
	SchoolMonth  calendar.MonthRule
	EdFi         []EdFiMapping
	Steps        []*Step        // the ladder, in order
	Compulsory   *Compulsory    // who is bound to attend; nil: every student
	Designations []*Designation // statuses a law defines (truant, chronic absence), reported with the facts
	Routines     []Routine      // recurring staff tasks of the procedure that are not steps for one student
	Actions      []*Action      // what to do on the day of each absence
	SignOut      []*SignOutRule // early-dismissal requests, first matching rule decides
	// Reads are the facts the version's expressions read, each with its slot in
	// [Facts]; Slots gives the number of slots of each kind.
	Reads []Read
	Slots [3]int
	// ReadsYear reports whether an event expression (a rule's, a cap's, a deadline's or
	// an action's) reads the school year's counts, year.COUNT.
	ReadsYear bool

	where map[string]Position
}

// Position is where something is written in a pack file.
type Position struct {
	File         string
	Line, Column int
}

// Where returns where an entry of the version is written: kind is document, code, cap,
// rule, count, deadline, designation, action, signout, step or effect ("STEP N", the
// Nth effect of a step).
func (v *Version) Where(kind, id string) (Position, bool) {
	p, ok := v.where[kind+" "+id]
	return p, ok
}

// Step returns the ladder step with identifier id.
func (v *Version) Step(id string) (*Step, bool) {
	for _, s := range v.Steps {
		if s.ID == id {
			return s, true
		}
	}
	return nil, false
}

// CountIDs returns the identifiers of the declared counts, in order.
func (v *Version) CountIDs() []string {
	out := make([]string, len(v.Counts))
	for i, c := range v.Counts {
		out[i] = c.ID
	}
	return out
}

// Term is a named document or flag.
type Term struct {
	ID          string
	Name        string
	Description string
}

// Per says what a cap counts over.
type Per int

// The cap periods.
const (
	PerSchoolYear Per = iota // per school year
	PerTerm                  // per term of the calendar
	PerOccurrence            // per occurrence: the days sharing an event's occurrence key, or else consecutive school days
)

// Cap limits the days a group of codes may be used, counted in date order whatever the
// input order; a day with two events of the group counts once. By default a day counts
// only when its own documentation was complete (an allowance is used only by a day it
// excused); with CountsAll every day coded in the group counts (a period such as "three
// days" for a bereavement). Past the limit, Past applies.
type Cap struct {
	ID        string
	Codes     []string   // the effective codes it counts
	When      *Condition // an extra condition over the [Event], or nil
	Unit      Unit       // Days, Occasions or Minutes
	Limit     int
	Per       Per
	CountsAll bool // count every day coded in the group, documented or not
	Past      Effect
	Citation  string

	catalog *codes.Catalog // the version's codes, by whose positions covers is indexed
	covers  []bool
}

// Covers reports whether the cap counts an event whose effective code is code: whether
// code is one of its Codes, as loaded (a pack is not to be changed once loaded).
func (c *Cap) Covers(code *codes.Code) bool {
	if p := c.catalog.Position(code); p >= 0 && p < len(c.covers) {
		return c.covers[p]
	}
	return slices.Contains(c.Codes, code.ID)
}

// Rule is a classification rule: when its condition holds for an absence, its effect
// applies. Rules run in order, after the code's own documentation and the caps, each
// seeing what earlier ones did.
type Rule struct {
	ID   string
	Step string // for a step's effect: the step that must be done before the date
	// SchoolYear makes a step's effect apply to every event of the school year in which
	// the step was done, earlier ones too (`applies: school-year`), not only to events
	// after its date.
	SchoolYear bool
	When       *Condition // over [Event]
	Citation   string
	Then       Effect
}

// Source names the rule in notes: "rule ID", or "step ID" for a step's effect.
func (ru *Rule) Source() string {
	if ru.Step != "" {
		return "step " + ru.Step
	}
	return "rule " + ru.ID
}

// DocDeadline is a documentation deadline: an absence its condition holds for, still
// so SchoolDays school days after its date (or after the student's return), takes the
// effect as of any later date.
type DocDeadline struct {
	ID         string
	When       *Condition // over [Event]
	SchoolDays int
	FromReturn bool // count from the first school day the student attended after the absence
	Then       Effect
	Citation   string
}

// Effect is what a rule, a cap or a step does to a classification.
type Effect struct {
	Excuse    codes.Excuse       // force this excuse type (when ExcuseSet)
	ExcuseSet bool               // whether Excuse applies
	recode    map[string]string  // the effective code by current code; "*" matches any code
	Require   *codes.Requirement // documentation required in addition to the code's own
	Documents *codes.Requirement // documentation that excuses instead of the code's own
	Note      string             // an explanation for people
}

// Recodes reports whether the effect re-codes events.
func (e Effect) Recodes() bool { return len(e.recode) > 0 }

// RecodeTo returns the code an event with code becomes, if the effect re-codes it
// (a mapping for code, or else one for any code, "*").
func (e Effect) RecodeTo(code string) (string, bool) {
	if to, ok := e.recode[code]; ok {
		return to, true
	}
	to, ok := e.recode["*"]
	return to, ok
}

// RecodePairs returns the effect's re-codings as from, to pairs, sorted by from ("*"
// for any code).
func (e Effect) RecodePairs() [][2]string {
	out := make([][2]string, 0, len(e.recode))
	for from, to := range e.recode {
		out = append(out, [2]string{from, to})
	}
	slices.SortFunc(out, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	return out
}

// EdFiMapping maps an Ed-Fi attendance event (category descriptor and reason text) to
// a code of the pack.
type EdFiMapping struct {
	Category string // e.g. "Excused Absence"
	Reason   string // a regular expression over the event's reason; empty matches any
	Code     string
	reason   *regexp.Regexp
}

// Matches reports whether an Ed-Fi event with this category descriptor (its short
// name, compared case-insensitively) and reason text maps through m.
func (m EdFiMapping) Matches(category, reason string) bool {
	if !strings.EqualFold(m.Category, category) {
		return false
	}
	return m.reason == nil || m.reason.MatchString(reason)
}
