// Package escalation computes a student's facts and walks the truancy ladder: the
// counts a pack declares, read over windows (the school year, a school month, the
// previous N school days, since a step was done, ...), the calendar's measures
// (school days, days present, the attendance rate), the designations a law defines,
// and the steps that are due as of a date, each with the reason, the facts it read
// and the citation.
//
// Counts are computed in Go, once per student, with prefix sums over the classified
// events (package classify); expressions read them through the slots their pack
// assigned at load (package policy). For example, from the il-roe-sop pack:
//
//	warning-letter:
//	  when: not_verified >= 5 and not_verified < 10
//	  because: "{{not_verified}} absences not verified as excused (5-9)"
//
// Steps are written in YAML policy packs, not in Go.
//
// An evaluation explains itself: the facts each due step and designation read and how
// each clause of its trigger came out. [Brief] leaves those out for callers that keep
// the steps and their reasons only. Evaluations reuse their buffers and remember what
// each condition gave on the values it read (a condition reads nothing else), so that
// a district's students, who share most of their values, cost little more than their
// own events.
package escalation
