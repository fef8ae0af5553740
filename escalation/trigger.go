package escalation

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
)

// maxNodes bounds the size of one expression.
const maxNodes = 2000

// Trigger is a compiled boolean expression over [Facts], with the facts it reads, so
// that an explanation can show their values.
type Trigger struct {
	Source  string
	program *vm.Program
	reads   []reading
	months  bool // whether it reads month or max_month
}

type reading struct {
	name    string
	program *vm.Program
}

// Compile compiles a trigger. The error, if any, is expr's *file.Error with the line
// and column inside src.
func Compile(src string) (*Trigger, error) {
	prog, err := expr.Compile(src, expr.Env(Facts{}), expr.AsBool(), expr.WarnOnAny(), expr.MaxNodes(maxNodes))
	if err != nil {
		return nil, err
	}
	t := &Trigger{Source: src, program: prog}
	node := prog.Node()
	var c collector
	ast.Walk(&node, &c)
	for _, name := range c.names {
		if strings.HasPrefix(name, "month") || strings.HasPrefix(name, "max_month") {
			t.months = true
		}
		p, err := expr.Compile(name, expr.Env(Facts{}))
		if err != nil {
			continue // a sub-expression that does not stand alone (a function name): nothing to show
		}
		t.reads = append(t.reads, reading{name: name, program: p})
	}
	return t, nil
}

// collector finds the outermost fact references of an expression: `unverified`,
// `month.unexcused_hours`, `since("warning-letter").unexcused`.
type collector struct {
	names []string
	skip  map[ast.Node]bool
}

func (c *collector) Visit(n *ast.Node) {
	// ast.Walk visits children before parents, so a parent reference replaces the
	// references it contains.
	var name string
	switch t := (*n).(type) {
	case *ast.IdentifierNode:
		name = t.Value
	case *ast.MemberNode:
		name = t.String()
		c.dropInside(name)
	case *ast.CallNode:
		if id, ok := t.Callee.(*ast.IdentifierNode); ok && isFactFunc(id.Value) {
			name = t.String()
			c.dropInside(name)
		}
	default:
		return
	}
	if name == "" || isFactFunc(name) || name == "steps" {
		return
	}
	for _, have := range c.names {
		if have == name {
			return
		}
	}
	c.names = append(c.names, name)
}

func (c *collector) dropInside(outer string) {
	kept := c.names[:0]
	for _, n := range c.names {
		inside := len(outer) > len(n) && strings.HasPrefix(outer, n) && strings.ContainsRune(".([", rune(outer[len(n)]))
		if !inside {
			kept = append(kept, n)
		}
	}
	c.names = kept
}

func isFactFunc(s string) bool {
	switch s {
	case "previous", "since", "within", "done", "days_since", "school_days_since":
		return true
	}
	return false
}

// Eval runs the trigger on facts.
func (t *Trigger) Eval(m *vm.VM, f Facts) (bool, error) { return t.eval(m, f) }

// eval runs the trigger on an environment already boxed (Facts), so that evaluating a
// whole ladder copies the facts once.
func (t *Trigger) eval(m *vm.VM, env any) (bool, error) {
	out, err := m.Run(t.program, env)
	if err != nil {
		return false, err
	}
	b, _ := out.(bool)
	return b, nil
}

// Reading is the value of one fact a trigger read.
type Reading struct {
	Fact  string `json:"fact"`
	Value any    `json:"value"`
}

// Explain returns the value of every fact the trigger reads.
func (t *Trigger) Explain(m *vm.VM, f Facts) []Reading {
	out := make([]Reading, 0, len(t.reads))
	for _, r := range t.reads {
		v, err := m.Run(r.program, f)
		if err != nil {
			v = "error: " + err.Error()
		}
		out = append(out, Reading{Fact: r.name, Value: v})
	}
	return out
}

// Template is a text with {{expression}} placeholders over [Facts]:
// "{{unverified}} unverified absences (5-9)".
type Template struct {
	Source string
	parts  []string      // literal text, between the holes
	holes  []*vm.Program // len(parts)-1 of them
}

var hole = regexp.MustCompile(`\{\{(.*?)\}\}`)

// CompileTemplate compiles a template. The error names the placeholder that failed.
func CompileTemplate(src string) (*Template, error) {
	t := &Template{Source: src}
	last := 0
	for _, m := range hole.FindAllStringSubmatchIndex(src, -1) {
		t.parts = append(t.parts, src[last:m[0]])
		inner := src[m[2]:m[3]]
		p, err := expr.Compile(inner, expr.Env(Facts{}), expr.MaxNodes(maxNodes))
		if err != nil {
			return nil, fmt.Errorf("in {{%s}}: %w", inner, err)
		}
		t.holes = append(t.holes, p)
		last = m[1]
	}
	t.parts = append(t.parts, src[last:])
	return t, nil
}

// Render fills the template's placeholders from f.
func (t *Template) Render(m *vm.VM, f Facts) string {
	var b strings.Builder
	for i, part := range t.parts {
		b.WriteString(part)
		if i < len(t.holes) {
			v, err := m.Run(t.holes[i], f)
			if err != nil {
				b.WriteString("?")
				continue
			}
			b.WriteString(format(v))
		}
	}
	return b.String()
}

// format prints numbers as people write them: 6, 0.85, 46.67.
func format(v any) string {
	switch x := v.(type) {
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.FormatFloat(x, 'f', 0, 64)
		}
		return strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}
