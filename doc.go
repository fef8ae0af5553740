// Package rollcall turns a school district's attendance policy, written as a YAML
// policy pack, into decisions: how each absence is coded and excused, which documents it
// still needs, whether an excused-day cap is spent, and which step of the truancy ladder
// comes next for a student, each with the rule, the facts and the citation behind it.
//
// Start with an [Engine] for a pack (an embedded one by name, or any pack loaded with
// package policy), then classify or evaluate a student's [History]:
//
//	engine, err := rollcall.Open("ccs")           // Columbus City Schools, extends ohio
//	...
//	h, err := rollcall.DecodeHistory(data, "student.json")
//	...
//	c, err := engine.Classify(h)                  // every event: excuse, missing documents, notes
//	ev, err := engine.Evaluate(h, asOf)           // facts, due steps, the next one and why
//
// The packages underneath do one step each:
//
//   - [github.com/rollcall-go/rollcall/calendar]: school calendars, counting school days and windows.
//   - [github.com/rollcall-go/rollcall/codes]: attendance codes and documentation requirements.
//   - [github.com/rollcall-go/rollcall/policy]: the YAML schema, loading, layering
//     (extends, versions), expression compilation, caps and classification rules.
//   - [github.com/rollcall-go/rollcall/escalation]: facts from a history and the ladder of steps.
//
// The library never reads the clock or the environment: the date to evaluate as of is
// an argument. An Engine is immutable and safe for concurrent use; nothing is cached
// between calls, so changing a history and calling again recomputes everything.
package rollcall
