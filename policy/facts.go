package policy

import "fmt"

// Unit is what a count adds up.
type Unit int

// The units of a count.
const (
	Days      Unit = iota // school days: a partial day counts its missed minutes over the day's minutes
	Occasions             // school days with at least one matching event
	Minutes               // minutes missed
	Hours                 // minutes missed over 60
)

var unitNames = []string{"days", "occasions", "minutes", "hours"}

// String names the unit as packs write it.
func (u Unit) String() string { return unitNames[u] }

// Count is a count a pack declares: which classified events it takes and in what
// unit. Triggers, designations and rules read it by name, over a window.
type Count struct {
	ID       string
	Title    string
	Unit     Unit
	When     *Condition // over [Event]
	Citation string
}

// WindowKind says which span of dates a count is read over.
type WindowKind int

// The windows of [Facts] expressions.
const (
	WindowYear         WindowKind = iota // the school year to date (a bare count name)
	WindowMonth                          // month.X: the current school month
	WindowTerm                           // term.X: the current term
	WindowMaxMonth                       // max_month.X: the largest over the school months so far
	WindowPrevious                       // previous(N).X: the previous N enrolled school days
	WindowPreviousDays                   // previous_days(N).X: the previous N calendar days
	WindowSince                          // since("step").X: after the step was last done
	WindowWithin                         // within("step", N).X: the first N school days after the step
	WindowEnrolled                       // enrolled.X: the whole history
	WindowMaxWindow                      // max_window(N).X: the largest over any N consecutive school days this year
	WindowMaxDays                        // max_days(N).X: the largest over any N consecutive calendar days this year
	WindowLongestRun                     // longest_run.X: the longest run of consecutive school days with a matching event
)

// Window is a span of dates a count is read over.
type Window struct {
	Kind WindowKind
	N    int    // days, for previous, previous_days, within, max_window, max_days
	Step string // for since and within
}

// prefix is how the window is written before a count's name.
func (w Window) prefix() string {
	switch w.Kind {
	case WindowMonth:
		return "month."
	case WindowTerm:
		return "term."
	case WindowMaxMonth:
		return "max_month."
	case WindowPrevious:
		return fmt.Sprintf("previous(%d).", w.N)
	case WindowPreviousDays:
		return fmt.Sprintf("previous_days(%d).", w.N)
	case WindowSince:
		return fmt.Sprintf("since(%q).", w.Step)
	case WindowWithin:
		return fmt.Sprintf("within(%q, %d).", w.Step, w.N)
	case WindowEnrolled:
		return "enrolled."
	case WindowMaxWindow:
		return fmt.Sprintf("max_window(%d).", w.N)
	case WindowMaxDays:
		return fmt.Sprintf("max_days(%d).", w.N)
	case WindowLongestRun:
		return "longest_run."
	}
	return "year."
}

// ReadKind is the type of a fact read.
type ReadKind int

// The kinds of facts.
const (
	ReadNumber ReadKind = iota
	ReadBool
	ReadText
)

// Read is one fact the expressions of a version read: a count or a builtin measure
// over a window, or a step function (done, times_done, days_since, school_days_since,
// outcome). The facts of a student fill each read's slot.
type Read struct {
	Name    string // as written: "previous(180).unexcused", "done(\"warning-letter\")"
	Kind    ReadKind
	Slot    int    // index into Facts.Values, Facts.Bools or Facts.Texts, by Kind
	Window  Window // for a measure
	Count   int    // index into Version.Counts, or -1 for a builtin measure or a step function
	Measure string // the count's identifier or the builtin's name
	Func    string // for a step function
	Step    string // for a step function
}

// varies reports whether the read changes with the date alone.
func (r Read) varies() bool {
	if r.Func == "days_since" || r.Func == "school_days_since" {
		return true
	}
	if r.Func != "" {
		return false
	}
	switch r.Window.Kind {
	case WindowPrevious, WindowPreviousDays, WindowWithin, WindowMaxDays, WindowMaxWindow, WindowMonth, WindowTerm:
		return true
	}
	return r.Count < 0 && r.Measure != "absent_days"
}

// Facts is what ladder triggers, designations and because templates see: one
// student's facts as of a date. The counts and step functions an expression reads are
// rewritten at load into slots of Values, Bools and Texts (see [Version.Reads]);
// package escalation fills them.
type Facts struct {
	Values    []float64 `expr:"__num"`
	Bools     []bool    `expr:"__bool"`
	Texts     []string  `expr:"__str"`
	Age       int       `expr:"age"`        // whole years on the date (0 when the birth date is unknown)
	Grade     string    `expr:"grade"`      // the student's grade
	Flags     []string  `expr:"flags"`      // student flags that hold on the date
	Steps     []string  `expr:"steps"`      // steps done this school year on or before the date
	SchoolDay int       `expr:"school_day"` // the date's school day of its year, 1-based
}

// value returns the value of a read in f.
func (f *Facts) value(r Read) any {
	switch r.Kind {
	case ReadBool:
		if r.Slot < len(f.Bools) {
			return f.Bools[r.Slot]
		}
		return false
	case ReadText:
		if r.Slot < len(f.Texts) {
			return f.Texts[r.Slot]
		}
		return ""
	}
	if r.Slot < len(f.Values) {
		return f.Values[r.Slot]
	}
	return 0.0
}

// Value returns the value of a read in f.
func (f *Facts) Value(r Read) any { return f.value(r) }

// Event is what a count's, a classification rule's, a cap's, a deadline's and a daily
// action's `when` sees: one event as classified so far, the student, and the school
// year's counts before its date. Field names in expressions are the snake_case names
// of the expr tags, e.g.
//
//	when: '"medical-letter" in steps and status == "absent"'
//	when: 'excuse == "unverified" and year.unverified >= 10'
//	when: 'reason matches "(?i)\\bappointment\\b"'
type Event struct {
	Date       string   `expr:"date"`          // YYYY-MM-DD
	Weekday    string   `expr:"weekday"`       // Monday ... Friday
	Code       string   `expr:"code"`          // the effective code so far
	Original   string   `expr:"original_code"` // the code as recorded
	Status     string   `expr:"status"`        // present or absent
	Excuse     string   `expr:"excuse"`        // none, excused, unexcused or unverified, so far
	Span       string   `expr:"span"`          // full-day, late-arrival, early-leave or class-period
	Minutes    int      `expr:"minutes"`       // minutes missed
	DayMinutes int      `expr:"day_minutes"`   // minutes in the school day
	Tags       []string `expr:"tags"`          // the effective code's tags
	Documents  []string `expr:"documents"`     // documents received
	Missing    []string `expr:"missing"`       // documents that would excuse it, so far
	Flags      []string `expr:"flags"`         // student flags that hold on the date
	Comment    string   `expr:"comment"`
	Reason     string   `expr:"reason"`     // free-text reason given by the family or the SIS
	Occurrence string   `expr:"occurrence"` // the key linking the days of one event
	// DaysToDocument is how many calendar days after the student's return (the first
	// school day attended after the absence) the documentation was received, or -1 when
	// the history does not say.
	DaysToDocument int      `expr:"days_to_document"`
	Steps          []string `expr:"steps"` // ladder steps done before the date
	Age            int      `expr:"age"`   // the student's age in whole years on the date (0 if unknown)
	Grade          string   `expr:"grade"`
	// Year holds the school year's declared counts before this event's date, read in
	// expressions as year.COUNT.
	Year []float64 `expr:"__year"`
}
