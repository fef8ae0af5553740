package policy

// Event is what a classification rule's `when` expression sees: one absence as
// classified so far, the student, and what came before it in the school year. Field
// names in expressions are the snake_case names given by the expr tags, e.g.
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
	Reason     string   `expr:"reason"` // free-text reason given by the family or the SIS
	Steps      []string `expr:"steps"`  // ladder steps done before the date
	Age        int      `expr:"age"`    // the student's age in whole years on the date (0 if unknown)
	Grade      string   `expr:"grade"`
	Year       Tally    `expr:"year"` // this school year, before this event
}

// Tally counts absences in school days; a partial day counts its missed minutes over
// the day's minutes.
type Tally struct {
	Absences   float64 `expr:"absences"`
	Excused    float64 `expr:"excused"`
	Unexcused  float64 `expr:"unexcused"`
	Unverified float64 `expr:"unverified"`
}
