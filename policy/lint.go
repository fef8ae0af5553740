package policy

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"

	"github.com/rollcall-go/rollcall/codes"
)

// Warning is something in a loaded pack that is probably a mistake but does not stop it
// from loading: a step no history can reach, a condition naming a code that does not
// exist, an Ed-Fi category that contradicts a code's excuse, a count nothing reads, an
// excused code that lists no documentation.
type Warning struct {
	Position
	Msg string
}

// Error writes the warning with its place in the pack file.
func (w Warning) Error() string {
	if w.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: warning: %s", w.File, w.Line, w.Column, w.Msg)
	}
	return fmt.Sprintf("%s: warning: %s", w.File, w.Msg)
}

// Lint returns the warnings of the pack's own entries (not those of the packs it
// extends), in file order, best effort.
func Lint(p *Pack) []Warning {
	var out []Warning
	seen := map[string]bool{}
	warn := func(v *Version, kind, id, format string, args ...any) {
		pos, ok := v.Where(kind, id)
		if !ok || pos.File != p.File {
			return
		}
		msg := fmt.Sprintf(format, args...)
		if seen[msg] {
			return
		}
		seen[msg] = true
		out = append(out, Warning{Position: pos, Msg: msg})
	}
	for _, v := range p.Versions() {
		read := map[string]bool{}
		for _, r := range v.Reads {
			if r.Count >= 0 {
				read[r.Measure] = true
			}
		}
		var conds []*Condition
		for _, ru := range v.Rules {
			conds = append(conds, ru.When)
		}
		for _, a := range v.Actions {
			conds = append(conds, a.When)
		}
		for _, cp := range v.Caps {
			conds = append(conds, cp.When)
		}
		for _, dl := range v.Deadlines {
			conds = append(conds, dl.When)
		}
		for _, c := range conds {
			if c == nil {
				continue
			}
			for _, id := range v.CountIDs() {
				if strings.Contains(c.Source, "year."+id) {
					read[id] = true
				}
			}
		}
		for _, cnt := range v.Counts {
			if !read[cnt.ID] && cnt.Title == "" { // a titled count is reported for people
				warn(v, "count", cnt.ID, "count %s is read by no trigger, designation, template or rule, and has no title to report it under", cnt.ID)
			}
			if false {
				warn(v, "count", cnt.ID, "count %s is read by no trigger, designation, template or rule (it is still reported with the facts)", cnt.ID)
			}
		}
		for _, c := range v.Codes.All() {
			if _, none := v.Where("no-documents", c.ID); c.Status == codes.Absent && c.Excuse == codes.Excused && c.Documents.IsZero() && !none {
				warn(v, "code", c.ID, "code %s excuses an absence but lists no documentation (add documents: or say none)", c.ID)
			}
			switch {
			case c.Excuse == codes.Excused && c.EdFi == codes.EdFiUnexcusedAbsence:
				warn(v, "code", c.ID, "code %s is excused but maps to the Ed-Fi category %q", c.ID, c.EdFi)
			case c.Excuse == codes.Unexcused && c.EdFi == codes.EdFiExcusedAbsence:
				warn(v, "code", c.ID, "code %s is unexcused but maps to the Ed-Fi category %q", c.ID, c.EdFi)
			}
		}
		checkCodes := func(kind, id string, c *Condition) {
			if c == nil {
				return
			}
			for _, name := range codeLiterals(c.Source) {
				if _, ok := v.Codes.Lookup(name); !ok {
					warn(v, kind, id, "%s %s compares a code with %q, which is not a code of the pack%s", kind, id, name, didYouMean(name, codeIDList(v)))
				}
			}
		}
		for _, ru := range v.Rules {
			if ru.Step == "" {
				checkCodes("rule", ru.ID, ru.When)
			}
		}
		for _, cp := range v.Caps {
			checkCodes("cap", cp.ID, cp.When)
		}
		for _, cnt := range v.Counts {
			checkCodes("count", cnt.ID, cnt.When)
		}
		for _, a := range v.Actions {
			checkCodes("action", a.ID, a.When)
		}
		for _, s := range v.Steps {
			if msg := contradiction(s.When.Source); msg != "" {
				warn(v, "step", s.ID, "step %s can never be due: %s", s.ID, msg)
			}
		}
		for _, ds := range v.Designations {
			if msg := contradiction(ds.When.Source); msg != "" {
				warn(v, "designation", ds.ID, "designation %s can never hold: %s", ds.ID, msg)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Warning) int { return a.Line - b.Line })
	return out
}

func codeIDList(v *Version) []string {
	var ids []string
	for _, c := range v.Codes.All() {
		ids = append(ids, c.ID)
	}
	return ids
}

// codeLiterals returns the strings an expression compares code or original_code with.
func codeLiterals(src string) []string {
	tree, err := parser.Parse(src)
	if err != nil {
		return nil
	}
	var f literalFinder
	ast.Walk(&tree.Node, &f)
	return f.names
}

type literalFinder struct{ names []string }

func (f *literalFinder) Visit(node *ast.Node) {
	b, ok := (*node).(*ast.BinaryNode)
	if !ok {
		return
	}
	isCode := func(n ast.Node) bool {
		id, ok := n.(*ast.IdentifierNode)
		return ok && (id.Value == "code" || id.Value == "original_code")
	}
	switch b.Operator {
	case "==", "!=":
		for _, pair := range [][2]ast.Node{{b.Left, b.Right}, {b.Right, b.Left}} {
			if s, ok := pair[1].(*ast.StringNode); ok && isCode(pair[0]) {
				f.names = append(f.names, s.Value)
			}
		}
	case "in":
		if a, ok := b.Right.(*ast.ArrayNode); ok && isCode(b.Left) {
			for _, n := range a.Nodes {
				if s, ok := n.(*ast.StringNode); ok {
					f.names = append(f.names, s.Value)
				}
			}
		}
	}
}

// contradiction finds, among the top-level `and` clauses of a condition, two bounds on
// one name that no value meets (x >= 10 and x < 5), and says which.
func contradiction(src string) string {
	op, parts := splitClauses(src)
	if op != "and" {
		return ""
	}
	type bound struct {
		lo, hi       float64
		loOK, hiOK   bool // a bound was given
		loInc, hiInc bool // inclusive
		text         []string
	}
	bounds := map[string]*bound{}
	for _, part := range parts {
		tree, err := parser.Parse(part)
		if err != nil {
			continue
		}
		b, ok := tree.Node.(*ast.BinaryNode)
		if !ok {
			continue
		}
		name, num, op := b.Left.String(), b.Right, b.Operator
		v, isNum := number(num)
		if !isNum {
			continue
		}
		bd := bounds[name]
		if bd == nil {
			bd = &bound{}
			bounds[name] = bd
		}
		bd.text = append(bd.text, part)
		switch op {
		case ">", ">=":
			if !bd.loOK || v > bd.lo || v == bd.lo && op == ">" {
				bd.lo, bd.loOK, bd.loInc = v, true, op == ">="
			}
		case "<", "<=":
			if !bd.hiOK || v < bd.hi || v == bd.hi && op == "<" {
				bd.hi, bd.hiOK, bd.hiInc = v, true, op == "<="
			}
		case "==":
			bd.lo, bd.hi, bd.loOK, bd.hiOK, bd.loInc, bd.hiInc = v, v, true, true, true, true
		}
		if bd.loOK && bd.hiOK && (bd.lo > bd.hi || bd.lo == bd.hi && !(bd.loInc && bd.hiInc)) {
			return strings.Join(bd.text, " and ") + " cannot both hold"
		}
	}
	return ""
}

func number(n ast.Node) (float64, bool) {
	switch x := n.(type) {
	case *ast.IntegerNode:
		return float64(x.Value), true
	case *ast.FloatNode:
		return x.Value, true
	case *ast.UnaryNode:
		if x.Operator == "-" {
			v, ok := number(x.Node)
			return -v, ok
		}
	}
	if s := n.String(); s != "" {
		if v, err := strconv.ParseFloat(s, 64); err == nil {
			return v, true
		}
	}
	return 0, false
}
