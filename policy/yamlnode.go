package policy

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/rollcall-go/rollcall/internal/suggest"

	"github.com/rollcall-go/rollcall/calendar"
)

// reader walks the yaml.Node tree of one file and records problems with positions.
type reader struct {
	file string
	d    *diag
}

func (r *reader) errorf(n *yaml.Node, format string, args ...any) {
	if r.d.overBudget && r.d.budgetReported {
		return // past the node budget, what follows is noise
	}
	r.d.budgetReported = r.d.overBudget
	e := &Error{File: r.file, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	r.d.add(e)
}

// entry is one key of a mapping with its value node.
type entry struct {
	key   string
	keyNd *yaml.Node
	val   *yaml.Node
}

// mapping returns the entries of a mapping node in order, reporting duplicate keys.
// It returns nil (after reporting) when n is not a mapping.
func (r *reader) mapping(n *yaml.Node, what string) []entry {
	if n == nil || !r.spend(n) {
		return nil
	}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind != yaml.MappingNode {
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			return nil
		}
		r.errorf(n, "%s must be a mapping, not %s", what, kindName(n))
		return nil
	}
	var out []entry
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if v.Kind == yaml.AliasNode {
			v = v.Alias
		}
		if k.Kind != yaml.ScalarNode {
			r.errorf(k, "%s: keys must be plain names", what)
			continue
		}
		if seen[k.Value] {
			r.errorf(k, "%s: duplicate key %q", what, k.Value)
			continue
		}
		seen[k.Value] = true
		out = append(out, entry{key: k.Value, keyNd: k, val: v})
	}
	return out
}

// fields returns a mapping's values by key, reporting keys not in allowed with a
// suggestion.
func (r *reader) fields(n *yaml.Node, what string, allowed ...string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	for _, e := range r.mapping(n, what) {
		if !slices.Contains(allowed, e.key) {
			msg := fmt.Sprintf("%s: unknown key %q", what, e.key)
			if s := suggest.Closest(e.key, allowed); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			} else {
				msg += fmt.Sprintf(" (want one of %s)", strings.Join(allowed, ", "))
			}
			r.errorf(e.keyNd, "%s", msg)
			continue
		}
		out[e.key] = e.val
	}
	return out
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		// A short value is quoted to help; a long one is not repeated, so that a file
		// that is not a pack (extends: /etc/passwd) is never echoed into a message.
		if len(n.Value) <= 24 && !strings.ContainsAny(n.Value, "\n\r") {
			return fmt.Sprintf("%q", n.Value)
		}
		return fmt.Sprintf("a text of %d characters", len(n.Value))
	}
	return "empty"
}

// spend counts the nodes a pack makes the loader read, aliases expanded, and reports
// false (once, with an error) past MaxNodes: an alias bomb costs an error, not memory.
func (r *reader) spend(n *yaml.Node) bool {
	r.d.nodes += 1 + len(n.Content)
	if r.d.nodes <= MaxNodes {
		return true
	}
	if !r.d.overBudget {
		r.d.overBudget = true
		r.errorf(n, "the pack has more than %d YAML nodes once its aliases are expanded", MaxNodes)
	}
	return false
}

func (r *reader) scalar(n *yaml.Node, what string) (string, bool) {
	if n == nil || !r.spend(n) {
		return "", false
	}
	if n.Kind != yaml.ScalarNode {
		r.errorf(n, "%s must be a single value, not %s", what, kindName(n))
		return "", false
	}
	return n.Value, true
}

func (r *reader) str(n *yaml.Node, what string) string {
	s, _ := r.scalar(n, what)
	return s
}

func (r *reader) integer(n *yaml.Node, what string, min int) (int, bool) {
	s, ok := r.scalar(n, what)
	if !ok {
		return 0, false
	}
	v, err := strconv.Atoi(s)
	if err != nil || n.Tag == "!!str" {
		r.errorf(n, "%s must be a whole number, not %q", what, s)
		return 0, false
	}
	if v < min {
		r.errorf(n, "%s must be at least %d, not %d", what, min, v)
		return 0, false
	}
	return v, true
}

func (r *reader) number(n *yaml.Node, what string) (float64, bool) {
	s, ok := r.scalar(n, what)
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || n.Tag == "!!str" {
		r.errorf(n, "%s must be a number, not %q", what, s)
		return 0, false
	}
	return v, true
}

func (r *reader) boolean(n *yaml.Node, what string) bool {
	s, ok := r.scalar(n, what)
	if !ok {
		return false
	}
	switch s {
	case "true":
		return true
	case "false":
		return false
	}
	r.errorf(n, "%s must be true or false, not %q", what, s)
	return false
}

func (r *reader) date(n *yaml.Node, what string) calendar.Date {
	s, ok := r.scalar(n, what)
	if !ok {
		return calendar.Date{}
	}
	d, err := calendar.ParseDate(s)
	if err != nil {
		r.errorf(n, "%s must be a date YYYY-MM-DD, not %q", what, s)
	}
	return d
}

// strings reads a list of strings; a single scalar is a list of one.
func (r *reader) strings(n *yaml.Node, what string) []string {
	if n == nil || !r.spend(n) {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		if n.Tag == "!!null" {
			return nil
		}
		return []string{n.Value}
	}
	if n.Kind != yaml.SequenceNode {
		r.errorf(n, "%s must be a list, not %s", what, kindName(n))
		return nil
	}
	var out []string
	for _, it := range n.Content {
		if s, ok := r.scalar(it, what+" item"); ok {
			out = append(out, s)
		}
	}
	return out
}
