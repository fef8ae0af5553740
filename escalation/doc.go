// Package escalation is the truancy ladder: steps with triggers over a student's
// attendance facts, prerequisites, deadlines and the people to involve, and the
// evaluation of a history as of a date to the steps that are due and the next one,
// each with the reason and the citation.
//
// Facts are computed in Go, once per student and date, from the classified events and
// the calendar ([Compute]); a step's trigger is an expr expression over [Facts],
// compiled when its pack loads ([Compile]). For example, from the il-roe-sop pack:
//
//	warning-letter:
//	  when: unverified >= 5 and unverified < 10
//	  because: "{{unverified}} unverified absences (5-9)"
//
// Steps are usually written in YAML policy packs (package policy), not in Go.
package escalation
