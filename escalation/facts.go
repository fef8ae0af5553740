package escalation

import (
	"math"
	"slices"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/codes"
)

// Record is one classified absence (or partial-day absence), the input to the facts.
type Record struct {
	Date       calendar.Date
	Code       string // the effective code
	Status     codes.Status
	Excuse     codes.Excuse
	Span       codes.Span
	Minutes    int      // minutes missed
	DayMinutes int      // minutes in the school day
	Tags       []string // the effective code's tags
}

// Done is a step done on a date.
type Done struct {
	Step string
	Date calendar.Date
}

// Input is what facts are computed from.
type Input struct {
	Calendar    *calendar.Calendar
	Enrolment   calendar.Enrolment // empty: enrolled every day of the calendar
	Records     []Record           // classified events, any order
	Done        []Done             // interventions
	AsOf        calendar.Date
	SchoolMonth calendar.MonthRule
	Age         int
	Grade       string
}

// Counts are attendance counts over a window of school days, bounded by enrolment.
// Rates and shares are rounded to 6 decimals, so that exactly 90% compares equal to 0.9.
// Days are school days: a partial day counts its missed minutes over the day's minutes.
// Hours are missed minutes over 60.
type Counts struct {
	From             calendar.Date `json:"from,omitzero" expr:"-"`
	To               calendar.Date `json:"to,omitzero" expr:"-"`
	SchoolDays       int           `json:"school_days" expr:"school_days"`     // enrolled school days in the window
	CalendarDays     int           `json:"calendar_days" expr:"calendar_days"` // days in the window, school or not
	PresentDays      float64       `json:"present_days" expr:"present_days"`
	AbsentDays       float64       `json:"absent_days" expr:"absent_days"`
	Excused          float64       `json:"excused" expr:"excused"`
	Unexcused        float64       `json:"unexcused" expr:"unexcused"`
	Unverified       float64       `json:"unverified" expr:"unverified"`
	Medical          float64       `json:"medical" expr:"medical"`       // excused absences whose code is tagged medical
	Suspension       float64       `json:"suspension" expr:"suspension"` // absences whose code is tagged suspension
	AbsentHours      float64       `json:"absent_hours" expr:"absent_hours"`
	ExcusedHours     float64       `json:"excused_hours" expr:"excused_hours"`
	UnexcusedHours   float64       `json:"unexcused_hours" expr:"unexcused_hours"`
	UnverifiedHours  float64       `json:"unverified_hours" expr:"unverified_hours"`
	MedicalHours     float64       `json:"medical_hours" expr:"medical_hours"`
	SuspensionHours  float64       `json:"suspension_hours" expr:"suspension_hours"`
	NonmedicalHours  float64       `json:"nonmedical_hours" expr:"nonmedical_hours"` // absent hours less medical hours
	NoExcuse         float64       `json:"no_excuse" expr:"no_excuse"`               // days without legitimate excuse: unexcused or unverified, not suspensions
	NoExcuseHours    float64       `json:"no_excuse_hours" expr:"no_excuse_hours"`   // the same in hours
	AbsenceRate      float64       `json:"absence_rate" expr:"absence_rate"`         // absent days over school days
	UnexcusedRate    float64       `json:"unexcused_rate" expr:"unexcused_rate"`     // unexcused days over school days
	AttendanceRate   float64       `json:"attendance_rate" expr:"attendance_rate"`   // present days over school days; 1 when there are none
	UnexcusedShare   float64       `json:"unexcused_share" expr:"unexcused_share"`   // unexcused days over absent days; 0 when there are none
	LongestAbsence   float64       `json:"longest_absence_days" expr:"longest_absence_days"`
	LongestUnexcused float64       `json:"longest_unexcused_hours" expr:"longest_unexcused_hours"` // consecutive hours absent without legitimate excuse (unexcused or unverified)
}

// Facts is what a step's trigger sees: one student's counts as of a date. The
// year-to-date counts are at the top level (`unverified`, `attendance_rate`); windows
// are fields (`month`, `max_month`) or functions (`previous(180)`, `since("step")`,
// `within("step", 20)`).
type Facts struct {
	Counts // year to date: from the first day of the school year (or enrolment) to as_of

	AsOf      calendar.Date `json:"as_of" expr:"-"`
	SchoolDay int           `json:"school_day" expr:"school_day"` // as_of's school day of the year, 1-based (the school days so far)
	Age       int           `json:"age" expr:"age"`
	Grade     string        `json:"grade" expr:"grade"`
	Steps     []string      `json:"steps" expr:"steps"` // steps done on or before as_of

	Month Counts `json:"month" expr:"month"` // the school month holding as_of
	// MaxMonth holds each count's largest value over the school months so far (the
	// months may differ from count to count); its attendance_rate is the lowest.
	MaxMonth Counts `json:"max_month" expr:"max_month"`

	// Previous returns the counts over the previous n school days, as_of included
	// (reaching into an earlier school year when the calendar holds it).
	Previous func(n int) Counts `json:"-" expr:"previous"`
	// Since returns the counts from the day after step was last done through as_of;
	// zero counts when it was not done.
	Since func(step string) Counts `json:"-" expr:"since"`
	// Within returns the counts over the first n school days after step was last done
	// (up to as_of).
	Within func(step string, n int) Counts `json:"-" expr:"within"`
	// Done reports whether step was done on or before as_of.
	Done func(step string) bool `json:"-" expr:"done"`
	// DaysSince returns the calendar days from step's last date to as_of, or -1.
	DaysSince func(step string) int `json:"-" expr:"days_since"`
	// SchoolDaysSince returns the school days after step's last date through as_of, or -1.
	SchoolDaysSince func(step string) int `json:"-" expr:"school_days_since"`
}

// Compute returns the facts of in as of in.AsOf.
func Compute(in Input) Facts { return compute(in, true) }

// compute returns the facts; without months, Month and MaxMonth are left zero (for a
// trigger that reads neither).
func compute(in Input, months bool) Facts {
	x := &factCtx{in: in}
	x.records = make([]Record, 0, len(in.Records))
	for _, r := range in.Records {
		if r.Status == codes.Absent && !r.Date.After(in.AsOf) {
			x.records = append(x.records, r)
		}
	}
	slices.SortStableFunc(x.records, func(a, b Record) int { return a.Date.Compare(b.Date) })

	f := Facts{AsOf: in.AsOf, Age: in.Age, Grade: in.Grade}
	cal := in.Calendar
	ytd := cal.YearToDate(in.AsOf)
	if ytd.From.IsZero() { // as_of outside every school year: count the whole calendar to as_of
		ytd = calendar.Window{From: cal.First(), To: in.AsOf}
	}
	f.Counts = x.count(ytd.From, in.AsOf)
	f.SchoolDay = cal.SchoolDays(ytd.From, in.AsOf)
	if year, ok := cal.YearOf(in.AsOf); ok && months {
		m := cal.Month(in.AsOf, in.SchoolMonth)
		f.Month = x.count(m.From, in.AsOf)
		for i, w := range cal.Months(year, in.SchoolMonth) {
			if w.From.After(in.AsOf) {
				break
			}
			f.MaxMonth = maxCounts(f.MaxMonth, x.count(w.From, minDate(w.To, in.AsOf)), i == 0)
		}
	}
	for _, d := range in.Done {
		if !d.Date.After(in.AsOf) && !slices.Contains(f.Steps, d.Step) {
			f.Steps = append(f.Steps, d.Step)
		}
	}
	if f.Steps == nil {
		f.Steps = []string{}
	}
	f.Previous = func(n int) Counts {
		w := cal.EnrolledPrevious(in.Enrolment, in.AsOf, n)
		if w.Days == 0 {
			return Counts{AttendanceRate: 1}
		}
		return x.count(w.From, in.AsOf)
	}
	f.Since = func(step string) Counts {
		d, ok := x.last(step)
		if !ok {
			return Counts{AttendanceRate: 1}
		}
		return x.count(d.AddDays(1), in.AsOf)
	}
	f.Within = func(step string, n int) Counts {
		d, ok := x.last(step)
		if !ok {
			return Counts{AttendanceRate: 1}
		}
		end, found := cal.After(d, n)
		if !found || end.After(in.AsOf) {
			end = in.AsOf
		}
		return x.count(d.AddDays(1), end)
	}
	f.Done = func(step string) bool { _, ok := x.last(step); return ok }
	f.DaysSince = func(step string) int {
		d, ok := x.last(step)
		if !ok {
			return -1
		}
		return in.AsOf.Sub(d)
	}
	f.SchoolDaysSince = func(step string) int {
		d, ok := x.last(step)
		if !ok {
			return -1
		}
		return cal.EnrolledDays(in.Enrolment, d.AddDays(1), in.AsOf)
	}
	return f
}

type factCtx struct {
	in      Input
	records []Record // absences on or before as_of, in date order
}

// last returns the date step was last done on or before as_of.
func (x *factCtx) last(step string) (calendar.Date, bool) {
	var out calendar.Date
	for _, d := range x.in.Done {
		if d.Step == step && !d.Date.After(x.in.AsOf) && (out.IsZero() || d.Date.After(out)) {
			out = d.Date
		}
	}
	return out, !out.IsZero()
}

// count tallies [from, to], bounded by enrolment.
func (x *factCtx) count(from, to calendar.Date) Counts {
	cal, enr := x.in.Calendar, x.in.Enrolment
	c := Counts{From: from, To: to}
	if to.Before(from) {
		c.AttendanceRate = 1
		return c
	}
	c.SchoolDays = cal.EnrolledDays(enr, from, to)
	c.CalendarDays = to.Sub(from) + 1
	var run, runHours float64
	lastOrd := -2
	start, _ := slices.BinarySearchFunc(x.records, from, func(r Record, d calendar.Date) int { return r.Date.Compare(d) })
	for _, r := range x.records[start:] {
		if r.Date.After(to) {
			break
		}
		if len(enr) > 0 && !enr.Contains(r.Date) {
			continue
		}
		days := 1.0
		if r.DayMinutes > 0 {
			days = float64(r.Minutes) / float64(r.DayMinutes)
		}
		hours := float64(r.Minutes) / 60
		c.AbsentDays += days
		c.AbsentHours += hours
		medical := hasTag(r.Tags, "medical")
		switch r.Excuse {
		case codes.Excused:
			c.Excused += days
			c.ExcusedHours += hours
			if medical {
				c.Medical += days
				c.MedicalHours += hours
			}
		case codes.Unexcused:
			c.Unexcused += days
			c.UnexcusedHours += hours
		case codes.Unverified:
			c.Unverified += days
			c.UnverifiedHours += hours
		}
		suspension := hasTag(r.Tags, "suspension")
		if suspension {
			c.Suspension += days
			c.SuspensionHours += hours
		}
		noExcuse := (r.Excuse == codes.Unexcused || r.Excuse == codes.Unverified) && !suspension
		if noExcuse {
			c.NoExcuse += days
			c.NoExcuseHours += hours
		}
		// Runs of consecutive school days: any absence for the day-count run; absences
		// without legitimate excuse for the hours run. A partial day joins a run only on
		// the side it touches: a late arrival ends one, an early leave starts one.
		ord := cal.Ordinal(r.Date)
		if ord != lastOrd+1 && ord != lastOrd {
			run, runHours = 0, 0
		}
		if ord != lastOrd {
			run += days
			c.LongestAbsence = max(c.LongestAbsence, run)
		}
		lastOrd = ord
		if noExcuse {
			switch {
			case r.Span == codes.EarlyLeave || r.Span == codes.ClassPeriod:
				runHours = hours
			default:
				runHours += hours
			}
			c.LongestUnexcused = max(c.LongestUnexcused, runHours)
			if r.Span == codes.LateArrival && r.Minutes < r.DayMinutes || r.Span == codes.ClassPeriod {
				runHours = 0
			}
		} else {
			runHours = 0
		}
	}
	c.PresentDays = math.Max(0, float64(c.SchoolDays)-c.AbsentDays)
	c.NonmedicalHours = c.AbsentHours - c.MedicalHours
	c.AttendanceRate = 1
	if c.SchoolDays > 0 {
		c.AttendanceRate = c.PresentDays / float64(c.SchoolDays)
		c.AbsenceRate = c.AbsentDays / float64(c.SchoolDays)
		c.UnexcusedRate = c.Unexcused / float64(c.SchoolDays)
	}
	if c.AbsentDays > 0 {
		c.UnexcusedShare = c.Unexcused / c.AbsentDays
	}
	for _, p := range []*float64{&c.PresentDays, &c.AbsentDays, &c.Excused, &c.Unexcused, &c.Unverified, &c.Medical, &c.Suspension,
		&c.AbsentHours, &c.ExcusedHours, &c.UnexcusedHours, &c.UnverifiedHours, &c.MedicalHours, &c.SuspensionHours, &c.NonmedicalHours,
		&c.AttendanceRate, &c.UnexcusedShare, &c.LongestAbsence, &c.LongestUnexcused, &c.NoExcuse, &c.NoExcuseHours, &c.AbsenceRate, &c.UnexcusedRate} {
		*p = round(*p)
	}
	return c
}

// round keeps 6 decimals, so sums of fractions compare as people expect (0.9 == 0.9).
func round(v float64) float64 { return math.Round(v*1e6) / 1e6 }

func hasTag(tags []string, t string) bool { return slices.Contains(tags, t) }

func minDate(a, b calendar.Date) calendar.Date {
	if a.Before(b) {
		return a
	}
	return b
}

func maxCounts(a, b Counts, first bool) Counts {
	rate := min(a.AttendanceRate, b.AttendanceRate)
	if first {
		rate = b.AttendanceRate
	}
	a.SchoolDays = max(a.SchoolDays, b.SchoolDays)
	a.CalendarDays = max(a.CalendarDays, b.CalendarDays)
	for _, p := range [][2]*float64{{&a.PresentDays, &b.PresentDays}, {&a.AbsentDays, &b.AbsentDays}, {&a.Excused, &b.Excused},
		{&a.Unexcused, &b.Unexcused}, {&a.Unverified, &b.Unverified}, {&a.Medical, &b.Medical}, {&a.Suspension, &b.Suspension},
		{&a.AbsentHours, &b.AbsentHours}, {&a.ExcusedHours, &b.ExcusedHours}, {&a.UnexcusedHours, &b.UnexcusedHours},
		{&a.UnverifiedHours, &b.UnverifiedHours}, {&a.MedicalHours, &b.MedicalHours}, {&a.SuspensionHours, &b.SuspensionHours},
		{&a.NonmedicalHours, &b.NonmedicalHours}, {&a.AttendanceRate, &b.AttendanceRate}, {&a.UnexcusedShare, &b.UnexcusedShare},
		{&a.LongestAbsence, &b.LongestAbsence}, {&a.LongestUnexcused, &b.LongestUnexcused}, {&a.NoExcuse, &b.NoExcuse},
		{&a.NoExcuseHours, &b.NoExcuseHours}, {&a.AbsenceRate, &b.AbsenceRate}, {&a.UnexcusedRate, &b.UnexcusedRate}} {
		*p[0] = max(*p[0], *p[1])
	}
	a.From, a.To = calendar.Date{}, calendar.Date{}
	a.AttendanceRate = rate
	return a
}
