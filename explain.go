package rollcall

import (
	"fmt"
	"strings"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/classify"
	"github.com/rollcall-go/rollcall/escalation"
	"github.com/rollcall-go/rollcall/internal/suggest"
	"github.com/rollcall-go/rollcall/policy"
)

// Explanation is one ladder step's reasoning for one student as of a date, due or not:
// the rule, each clause with whether it held and the values it read, the absences
// behind each count, and the citation. [Explanation.Text] words it for a parent.
type Explanation struct {
	Student string
	AsOf    calendar.Date
	Pack    string
	escalation.Explanation
	Events []Classified
}

// Explain returns the reasoning of the ladder step named step for h as of asOf (a zero
// asOf means the date of the last event that can be classified).
func (e *Engine) Explain(h *History, asOf calendar.Date, step string) (*Explanation, error) {
	if err := e.check(h); err != nil {
		return nil, err
	}
	asOf = e.asOf(h, asOf)
	v := e.pack.At(asOf)
	if _, ok := v.Step(step); !ok {
		return nil, fmt.Errorf("rollcall: pack %s has no step %q%s", e.pack.Name, step, suggest.DidYouMean(step, stepIDs(v)))
	}
	events := classify.Classify(e.pack, h, asOf)
	ex, _ := escalation.Explain(escalation.Input{Version: v, History: h, Results: events, AsOf: asOf, CaseClosed: classify.CaseClosed(e.pack, h, asOf)}, step)
	return &Explanation{Student: h.Student.ID, AsOf: asOf, Pack: e.pack.Name, Explanation: ex, Events: events}, historyError(h, events)
}

// Text words the explanation for a secretary to read to a parent: whether the step is
// due and why, the rule clause by clause, the absences behind the counts with their
// dates, and the citation. It shows counts, codes and dates, never free text.
func (x *Explanation) Text() string {
	var b strings.Builder
	s := x.Step
	title := s.Title
	if title == "" {
		title = s.ID
	}
	fmt.Fprintf(&b, "%s (%s)\nStudent %s, as of %s, under %s.\n\n", title, s.ID, x.Student, x.AsOf, x.Pack)
	switch {
	case x.Due != nil:
		fmt.Fprintf(&b, "Due: %s.\n", x.Due.Because)
		if !x.Due.Since.IsZero() {
			fmt.Fprintf(&b, "Due since %s", x.Due.Since)
			if x.Due.Latched {
				b.WriteString(" (the rule held then; the step stays due until it is done)")
			}
			b.WriteString(".\n")
		}
		if !x.Due.DueBy.IsZero() {
			fmt.Fprintf(&b, "To be done by %s%s.\n", x.Due.DueBy, map[bool]string{true: " (overdue)", false: ""}[x.Due.Overdue])
		}
	case len(x.Done) > 0 && !s.Repeats:
		fmt.Fprintf(&b, "Not due: done on %s.\n", x.Done[len(x.Done)-1].Date)
	case len(x.Blocking) > 0:
		fmt.Fprintf(&b, "Not due: it comes after %s, not done yet.\n", strings.Join(x.Blocking, ", "))
	default:
		b.WriteString("Not due: the rule does not hold.\n")
	}
	fmt.Fprintf(&b, "\nThe rule: %s\n", s.When.Source)
	for _, c := range x.Clauses {
		mark := "does not hold"
		if c.Held {
			mark = "holds"
		}
		var vals []string
		for _, r := range c.Facts {
			vals = append(vals, fmt.Sprintf("%s = %s", r.Fact, policy.FormatNumber(r.Value)))
		}
		fmt.Fprintf(&b, "  %-13s %s   (%s)\n", mark, c.Clause, strings.Join(vals, ", "))
	}
	if len(x.Behind) > 0 {
		b.WriteString("\nThe absences behind the counts:\n")
		for _, bh := range x.Behind {
			fmt.Fprintf(&b, "  %s", bh.Fact)
			if !bh.From.IsZero() {
				fmt.Fprintf(&b, ", %s to %s", bh.From, bh.To)
			}
			b.WriteString(":")
			if len(bh.Events) == 0 {
				b.WriteString(" none")
			}
			b.WriteString("\n")
			for _, i := range bh.Events {
				ev := x.Events[i]
				part := ""
				if ev.Days > 0 && ev.Days < 1 {
					part = fmt.Sprintf(", %d minutes", ev.Minutes)
				}
				fmt.Fprintf(&b, "    %s  %s  %s%s\n", ev.Date, ev.EffectiveCode, ev.Excuse, part)
			}
		}
	}
	if s.Citation != "" {
		fmt.Fprintf(&b, "\nSource: %s\n", s.Citation)
	}
	return b.String()
}
