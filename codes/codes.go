package codes

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// Status says whether a code counts the student present or absent.
type Status int

// The statuses. The zero Status is invalid: every code must say which it is.
const (
	Present Status = iota + 1
	Absent
)

var statusNames = []string{Present: "present", Absent: "absent"}

// String returns "present" or "absent" ("" for the zero Status).
func (s Status) String() string { return enumName(statusNames, int(s)) }

// ParseStatus reads "present" or "absent".
func ParseStatus(s string) (Status, error) {
	i, err := parseEnum("status", statusNames, s)
	return Status(i), err
}

// MarshalText encodes the status as its name.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Excuse is the excuse type of an absence. [None] is for present codes.
type Excuse int

// The excuse types, as the output of the library names them.
const (
	None       Excuse = iota // not an absence
	Excused                  // absent with a valid, documented cause
	Unexcused                // absent without a valid cause
	Unverified               // absent; the cause could excuse it but is not (yet) documented
)

var excuseNames = []string{None: "none", Excused: "excused", Unexcused: "unexcused", Unverified: "unverified"}

// String returns "none", "excused", "unexcused" or "unverified".
func (e Excuse) String() string { return enumName(excuseNames, int(e)) }

// ParseExcuse reads an excuse type by name.
func ParseExcuse(s string) (Excuse, error) {
	i, err := parseEnum("excuse", excuseNames, s)
	return Excuse(i), err
}

// MarshalText encodes the excuse as its name.
func (e Excuse) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// Span is the part of the school day a code covers.
type Span int

// The spans. The zero Span is a full day.
const (
	FullDay     Span = iota // the whole school day
	LateArrival             // arrived after the start of the day (tardy to school)
	EarlyLeave              // left before the end of the day
	ClassPeriod             // one class period (tardy to or absent from a class)
)

var spanNames = []string{FullDay: "full-day", LateArrival: "late-arrival", EarlyLeave: "early-leave", ClassPeriod: "class-period"}

// String returns "full-day", "late-arrival", "early-leave" or "class-period".
func (s Span) String() string { return enumName(spanNames, int(s)) }

// ParseSpan reads a span by name.
func ParseSpan(s string) (Span, error) {
	i, err := parseEnum("span", spanNames, s)
	return Span(i), err
}

// MarshalText encodes the span as its name.
func (s Span) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Partial reports whether the span covers less than a full day.
func (s Span) Partial() bool { return s != FullDay }

// The Ed-Fi AttendanceEventCategoryDescriptor values a code can map to.
const (
	EdFiInAttendance     = "In Attendance"
	EdFiExcusedAbsence   = "Excused Absence"
	EdFiUnexcusedAbsence = "Unexcused Absence"
	EdFiTardy            = "Tardy"
	EdFiEarlyDeparture   = "Early departure"
	EdFiPartial          = "Partial"
)

// EdFiCategories lists the Ed-Fi attendance event categories, in the order Ed-Fi gives them.
var EdFiCategories = []string{EdFiInAttendance, EdFiExcusedAbsence, EdFiUnexcusedAbsence, EdFiTardy, EdFiEarlyDeparture, EdFiPartial}

// Code is one attendance code of a policy pack.
type Code struct {
	ID         string      // the identifier the SIS stores, e.g. "MED"
	Name       string      // e.g. "Medical"
	Definition string      // the situation in which the code is used
	Status     Status      // present or absent
	Excuse     Excuse      // the excuse type once the documentation is complete
	Span       Span        // full day, late arrival, early leave or class period
	Documents  Requirement // what excuses it; the zero Requirement needs nothing
	Comment    Comment     // the comment it needs
	EdFi       string      // Ed-Fi attendance event category
	Tags       []string    // groups the code belongs to (medical, suspension, parent-authorized, ...)
	Citation   string      // where the code is defined

	catalog *Catalog // the catalog that holds it, and its place there
	pos     int
}

// HasTag reports whether the code carries tag.
func (c *Code) HasTag(tag string) bool {
	for _, t := range c.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

// Comment is what a code asks of the comment entered with it.
type Comment struct {
	Required bool
	// Templates, when set, are the texts the comment may read (any one of them). Words
	// in square brackets are placeholders that match any text:
	// "[Teacher Name]: Student did not participate".
	Templates []string
}

// Check returns a problem with comment text, or "" when it is acceptable.
func (c Comment) Check(text string) string {
	text = strings.TrimSpace(text)
	if text == "" {
		if !c.Required {
			return ""
		}
		if len(c.Templates) > 0 {
			return "a comment is required and must read " + quoteAll(c.Templates)
		}
		return "a comment is required"
	}
	if len(c.Templates) == 0 {
		return ""
	}
	for _, t := range c.Templates {
		for _, ph := range placeholder.FindAllString(t, -1) {
			if strings.Contains(text, ph) {
				return fmt.Sprintf("the comment still holds the placeholder %s: write the name in its place", ph)
			}
		}
	}
	for _, t := range c.Templates {
		if templatePattern(t).MatchString(normalizeQuotes(text)) {
			return ""
		}
	}
	return "the comment must read " + quoteAll(c.Templates)
}

func quoteAll(ts []string) string {
	q := make([]string, len(ts))
	for i, t := range ts {
		q[i] = strconv.Quote(t)
	}
	return strings.Join(q, " or ")
}

var placeholder = regexp.MustCompile(`\[[^\]]+\]`)

// patterns caches compiled templates: each distinct template is compiled once.
var patterns sync.Map // string -> *regexp.Regexp

func templatePattern(t string) *regexp.Regexp {
	if re, ok := patterns.Load(t); ok {
		return re.(*regexp.Regexp)
	}
	re := compileTemplate(t)
	patterns.Store(t, re)
	return re
}

func compileTemplate(t string) *regexp.Regexp {
	t = normalizeQuotes(strings.TrimSpace(t))
	var b strings.Builder
	b.WriteString(`(?i)^\s*`)
	last := 0
	for _, loc := range placeholder.FindAllStringIndex(t, -1) {
		b.WriteString(regexp.QuoteMeta(t[last:loc[0]]))
		b.WriteString(`.+?`)
		last = loc[1]
	}
	b.WriteString(regexp.QuoteMeta(strings.TrimRight(t[last:], ".")))
	b.WriteString(`\.?\s*$`)
	return regexp.MustCompile(b.String())
}

// quotes turns typographic quotes into plain ones.
var quotes = strings.NewReplacer("\u201c", `"`, "\u201d", `"`, "\u2019", "'", "\u2018", "'")

func normalizeQuotes(s string) string { return quotes.Replace(s) }

func enumName(names []string, i int) string {
	if i < 0 || i >= len(names) {
		return fmt.Sprintf("invalid(%d)", i)
	}
	return names[i]
}

func parseEnum(what string, names []string, s string) (int, error) {
	for i, n := range names {
		if n != "" && n == s {
			return i, nil
		}
	}
	var valid []string
	for _, n := range names {
		if n != "" {
			valid = append(valid, n)
		}
	}
	return 0, fmt.Errorf("unknown %s %q (want one of %s)", what, s, strings.Join(valid, ", "))
}
