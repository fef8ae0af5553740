package calendar

import (
	"errors"
	"fmt"
	"slices"
)

// Span is an inclusive range of dates [From, To] during which a student was
// enrolled. A zero To means open-ended (still enrolled); a zero From means
// from the beginning of time.
type Span struct {
	From Date `json:"from"`
	To   Date `json:"to,omitzero"`
}

// Contains reports whether d is in the span. It is false for the zero Date
// and for every date of a span whose To is before its From.
func (s Span) Contains(d Date) bool {
	return !d.IsZero() && !d.Before(s.From) && (s.To.IsZero() || !d.After(s.To))
}

// valid reports whether s has To on or after From (or an open To).
func (s Span) valid() bool { return s.To.IsZero() || !s.To.Before(s.From) }

// Enrolment is a student's enrolment as a list of spans; a transfer in or out
// mid-year makes a partial span or several spans.
//
// An empty (or nil) Enrolment means "enrolled every day of the calendar".
// Methods of Calendar that take an Enrolment accept spans in any order, even
// overlapping; they ignore spans whose To is before their From (use Normalize
// to catch those).
type Enrolment []Span

// Contains reports whether d falls in one of the spans, or whether d is not
// the zero Date when e is empty.
func (e Enrolment) Contains(d Date) bool {
	if len(e) == 0 {
		return !d.IsZero()
	}
	for _, s := range e {
		if s.Contains(d) {
			return true
		}
	}
	return false
}

// Normalize returns the spans sorted by From with overlapping and adjacent
// spans merged (2024-09-01..2024-09-30 and 2024-10-01..2024-10-31 become one
// span). It returns an error naming every span whose To is before its From.
// An empty Enrolment normalises to itself.
func (e Enrolment) Normalize() (Enrolment, error) {
	var errs []error
	for i, s := range e {
		if !s.valid() {
			errs = append(errs, fmt.Errorf("calendar: enrolment span #%d: To %s is before From %s", i+1, s.To, s.From))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(e) == 0 {
		return e, nil
	}
	return merge(e), nil
}

// merge sorts and merges the valid spans of e into a new slice.
func merge(e Enrolment) Enrolment {
	out := make(Enrolment, 0, len(e))
	for _, s := range e {
		if s.valid() {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b Span) int { return a.From.Compare(b.From) })
	n := 0
	for _, s := range out {
		if n > 0 {
			cur := &out[n-1]
			if cur.To.IsZero() || s.From.Sub(cur.To) <= 1 {
				if !cur.To.IsZero() && (s.To.IsZero() || s.To.After(cur.To)) {
					cur.To = s.To
				}
				continue
			}
		}
		out[n] = s
		n++
	}
	return out[:n]
}

// disjoint returns e's valid spans sorted and non-overlapping, without
// allocating when e already is. The result may be empty when e is not (no
// valid span): callers must check len(e), not the result, for "always
// enrolled".
func (e Enrolment) disjoint() Enrolment {
	for i, s := range e {
		if !s.valid() || (i > 0 && (e[i-1].To.IsZero() || !s.From.After(e[i-1].To))) {
			return merge(e)
		}
	}
	return e
}

// end returns the last day of s clamped to d (an open To counts as d).
func (s Span) end(d Date) Date {
	if s.To.IsZero() || s.To.After(d) {
		return d
	}
	return s.To
}

// EnrolledDays returns the number of school days in [from, to], inclusive,
// on which the student was enrolled. It takes O(len(e)) time when e is
// already normalised, O(len(e) log len(e)) otherwise.
func (c *Calendar) EnrolledDays(e Enrolment, from, to Date) int {
	if len(e) == 0 {
		return c.SchoolDays(from, to)
	}
	n := 0
	for _, s := range e.disjoint() {
		n += c.SchoolDays(maxDate(from, s.From), s.end(to))
	}
	return n
}

// EnrolledMinutes returns the school minutes in [from, to], inclusive, on
// days the student was enrolled.
func (c *Calendar) EnrolledMinutes(e Enrolment, from, to Date) int {
	if len(e) == 0 {
		return c.SchoolMinutes(from, to)
	}
	n := 0
	for _, s := range e.disjoint() {
		n += c.SchoolMinutes(maxDate(from, s.From), s.end(to))
	}
	return n
}

// EnrolledPrevious is like Previous but counts only school days on which the
// student was enrolled: it returns the window of the last n enrolled school
// days on or before d. To is d, From is the earliest of those days and Days
// counts enrolled school days only (the window may hold school days on which
// the student was not enrolled). If there are fewer than n, From is the
// earliest and Days is less than n; if there are none, or n < 1, it returns
// the zero Window.
func (c *Calendar) EnrolledPrevious(e Enrolment, d Date, n int) Window {
	if len(e) == 0 {
		return c.Previous(d, n)
	}
	if c.empty() || n < 1 || d.IsZero() {
		return Window{}
	}
	spans := e.disjoint()
	need := n
	var earliest Date
	for i := len(spans) - 1; i >= 0; i-- {
		s := spans[i]
		hi := s.end(d)
		if hi.Before(s.From) {
			continue
		}
		top := c.onOrBefore(hi)     // school days on or before hi
		bottom := c.Ordinal(s.From) // school days before s.From
		if cnt := top - bottom; cnt >= need {
			from, _ := c.Day(top - need)
			return Window{From: from, To: d, Days: n}
		} else if cnt > 0 {
			need -= cnt
			earliest, _ = c.Day(bottom)
		}
	}
	if need == n {
		return Window{}
	}
	return Window{From: earliest, To: d, Days: n - need}
}

func maxDate(a, b Date) Date {
	if a.After(b) {
		return a
	}
	return b
}
