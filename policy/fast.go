package policy

import (
	"regexp"
	"slices"
	"strings"

	"github.com/expr-lang/expr/ast"
)

// An Event condition of the plain shape most packs write (the event's fields compared
// with literals, joined by and, or and not; in over a list; matches with a literal
// pattern; arithmetic on numbers, + on texts) is also compiled to a Go function that
// reads the Event's fields directly: the same answer as the expr program, without its
// machine or reflection. Any other shape (a count of the year, a predicate, a call) is
// left to the program alone. TestFastAgreesWithExpr checks both on every Event
// condition of the shipped packs.

// fastBool is a compiled condition.
type fastBool func(e *Event) bool

// fastKind is the type of a compiled operand.
type fastKind uint8

const (
	fastNone fastKind = iota
	fastNum
	fastText
	fastList
	fastBoolean
)

// fastNode is a compiled operand: one of its functions is set, by kind.
type fastNode struct {
	kind fastKind
	num  func(*Event) float64
	text func(*Event) string
	list func(*Event) []string
	bool fastBool
	// lit holds the value of a literal text (for matches)
	lit   string
	isLit bool
	// isInt: a number of expr's type int (an int field or literal, or +, - and * of
	// them); numbers of any other type compare with tolerantCmp, as comparePatcher has
	// the program do.
	isInt bool
}

// compileFast returns the Go function of an Event condition, or nil when its shape is
// not one it knows.
func compileFast(n ast.Node) fastBool {
	f := fastCompile(n)
	if f.kind != fastBoolean {
		return nil
	}
	return f.bool
}

var fastNumbers = map[string]func(*Event) float64{
	"minutes":          func(e *Event) float64 { return float64(e.Minutes) },
	"day_minutes":      func(e *Event) float64 { return float64(e.DayMinutes) },
	"days_to_document": func(e *Event) float64 { return float64(e.DaysToDocument) },
	"age":              func(e *Event) float64 { return float64(e.Age) },
}

var fastTexts = map[string]func(*Event) string{
	"date":          func(e *Event) string { return e.Date },
	"weekday":       func(e *Event) string { return e.Weekday },
	"code":          func(e *Event) string { return e.Code },
	"original_code": func(e *Event) string { return e.Original },
	"status":        func(e *Event) string { return e.Status },
	"excuse":        func(e *Event) string { return e.Excuse },
	"span":          func(e *Event) string { return e.Span },
	"comment":       func(e *Event) string { return e.Comment },
	"reason":        func(e *Event) string { return e.Reason },
	"occurrence":    func(e *Event) string { return e.Occurrence },
	"grade":         func(e *Event) string { return e.Grade },
}

var fastLists = map[string]func(*Event) []string{
	"tags":      func(e *Event) []string { return e.Tags },
	"documents": func(e *Event) []string { return e.Documents },
	"missing":   func(e *Event) []string { return e.Missing },
	"flags":     func(e *Event) []string { return e.Flags },
	"steps":     func(e *Event) []string { return e.Steps },
}

func fastCompile(n ast.Node) fastNode {
	switch n := n.(type) {
	case *ast.IdentifierNode:
		if f, ok := fastNumbers[n.Value]; ok {
			return fastNode{kind: fastNum, num: f, isInt: true}
		}
		if f, ok := fastTexts[n.Value]; ok {
			return fastNode{kind: fastText, text: f}
		}
		if f, ok := fastLists[n.Value]; ok {
			return fastNode{kind: fastList, list: f}
		}
	case *ast.IntegerNode:
		v := float64(n.Value)
		return fastNode{kind: fastNum, num: func(*Event) float64 { return v }, isInt: true}
	case *ast.FloatNode:
		v := n.Value
		return fastNode{kind: fastNum, num: func(*Event) float64 { return v }}
	case *ast.StringNode:
		v := n.Value
		return fastNode{kind: fastText, text: func(*Event) string { return v }, lit: v, isLit: true}
	case *ast.BoolNode:
		v := n.Value
		return fastNode{kind: fastBoolean, bool: func(*Event) bool { return v }}
	case *ast.ArrayNode:
		var items []string
		for _, el := range n.Nodes {
			s, ok := el.(*ast.StringNode)
			if !ok {
				return fastNode{}
			}
			items = append(items, s.Value)
		}
		return fastNode{kind: fastList, list: func(*Event) []string { return items }}
	case *ast.UnaryNode:
		x := fastCompile(n.Node)
		switch {
		case (n.Operator == "not" || n.Operator == "!") && x.kind == fastBoolean:
			f := x.bool
			return fastNode{kind: fastBoolean, bool: func(e *Event) bool { return !f(e) }}
		case n.Operator == "-" && x.kind == fastNum:
			f := x.num
			return fastNode{kind: fastNum, num: func(e *Event) float64 { return -f(e) }, isInt: x.isInt}
		}
	case *ast.BinaryNode:
		return fastBinary(n)
	case *ast.BuiltinNode:
		return fastBuiltin(n)
	}
	return fastNode{}
}

// fastBuiltin compiles any, all and none over a list whose predicate compares the
// element with literals: any(documents, # in ["medical-note", "nurse-note"]).
func fastBuiltin(n *ast.BuiltinNode) fastNode {
	if len(n.Arguments) != 2 || (n.Name != "any" && n.Name != "all" && n.Name != "none") {
		return fastNode{}
	}
	list := fastCompile(n.Arguments[0])
	pred, ok := n.Arguments[1].(*ast.PredicateNode)
	if list.kind != fastList || !ok {
		return fastNode{}
	}
	b, ok := pred.Node.(*ast.BinaryNode)
	if !ok {
		return fastNode{}
	}
	if p, ok := b.Left.(*ast.PointerNode); !ok || p.Name != "" {
		return fastNode{}
	}
	var test func(string) bool
	switch lit := fastCompile(b.Right); {
	case b.Operator == "in" && lit.kind == fastList && isLiteralList(b.Right):
		items := lit.list(nil)
		test = func(x string) bool { return slices.Contains(items, x) }
	case (b.Operator == "==" || b.Operator == "!=") && lit.isLit:
		v, eq := lit.lit, b.Operator == "=="
		test = func(x string) bool { return (x == v) == eq }
	default:
		return fastNode{}
	}
	items := list.list
	var f fastBool
	switch n.Name {
	case "any":
		f = func(e *Event) bool { return slices.ContainsFunc(items(e), test) }
	case "none":
		f = func(e *Event) bool { return !slices.ContainsFunc(items(e), test) }
	default: // all
		f = func(e *Event) bool {
			return !slices.ContainsFunc(items(e), func(x string) bool { return !test(x) })
		}
	}
	return fastNode{kind: fastBoolean, bool: f}
}

func isLiteralList(n ast.Node) bool {
	_, ok := n.(*ast.ArrayNode)
	return ok
}

func fastBinary(n *ast.BinaryNode) fastNode {
	l, r := fastCompile(n.Left), fastCompile(n.Right)
	if l.kind == fastNone || r.kind == fastNone {
		return fastNode{}
	}
	boolean := func(f fastBool) fastNode { return fastNode{kind: fastBoolean, bool: f} }
	switch op := n.Operator; {
	case (op == "and" || op == "&&") && l.kind == fastBoolean && r.kind == fastBoolean:
		a, b := l.bool, r.bool
		return boolean(func(e *Event) bool { return a(e) && b(e) })
	case (op == "or" || op == "||") && l.kind == fastBoolean && r.kind == fastBoolean:
		a, b := l.bool, r.bool
		return boolean(func(e *Event) bool { return a(e) || b(e) })
	case op == "in" && l.kind == fastText && r.kind == fastList:
		a, b := l.text, r.list
		return boolean(func(e *Event) bool { return slices.Contains(b(e), a(e)) })
	case op == "matches" && l.kind == fastText && r.isLit:
		re, err := regexp.Compile(r.lit)
		if err != nil {
			return fastNode{}
		}
		a := l.text
		return boolean(func(e *Event) bool { return re.MatchString(a(e)) })
	case l.kind == fastNum && r.kind == fastNum:
		return fastArith(op, l, r)
	case l.kind == fastText && r.kind == fastText:
		a, b := l.text, r.text
		switch op {
		case "==":
			return boolean(func(e *Event) bool { return a(e) == b(e) })
		case "!=":
			return boolean(func(e *Event) bool { return a(e) != b(e) })
		case "+":
			return fastNode{kind: fastText, text: func(e *Event) string { return a(e) + b(e) }}
		case "contains":
			return boolean(func(e *Event) bool { return strings.Contains(a(e), b(e)) })
		case "startsWith":
			return boolean(func(e *Event) bool { return strings.HasPrefix(a(e), b(e)) })
		case "endsWith":
			return boolean(func(e *Event) bool { return strings.HasSuffix(a(e), b(e)) })
		}
	case l.kind == fastBoolean && r.kind == fastBoolean && (op == "==" || op == "!="):
		a, b, eq := l.bool, r.bool, op == "=="
		return boolean(func(e *Event) bool { return (a(e) == b(e)) == eq })
	}
	return fastNode{}
}

// fastArith compiles an operator on two numbers. Numbers are float64 here: the
// Event's are small integers, and expr divides numbers of either type as floats. Two
// ints compare exactly; any other pair as comparePatcher has the program compare them
// (tolerantCmp). Integer division and remainders are not compiled.
func fastArith(op string, l, r fastNode) fastNode {
	a, b := l.num, r.num
	boolean := func(f fastBool) fastNode { return fastNode{kind: fastBoolean, bool: f} }
	num := func(f func(*Event) float64, isInt bool) fastNode {
		return fastNode{kind: fastNum, num: f, isInt: isInt}
	}
	ints := l.isInt && r.isInt
	if test, ok := compareTests[op]; ok {
		if ints {
			return boolean(func(e *Event) bool {
				x, y := a(e), b(e)
				return test(cmpExact(x, y))
			})
		}
		return boolean(func(e *Event) bool { return test(tolerantCmp(a(e), b(e))) })
	}
	switch op {
	case "+":
		return num(func(e *Event) float64 { return a(e) + b(e) }, ints)
	case "-":
		return num(func(e *Event) float64 { return a(e) - b(e) }, ints)
	case "*":
		return num(func(e *Event) float64 { return a(e) * b(e) }, ints)
	case "/":
		return num(func(e *Event) float64 { return a(e) / b(e) }, false)
	}
	return fastNode{}
}

// compareTests are the comparisons by operator, from the sign of a comparison's
// result: the Go functions' and, under compareFuncs' names, the programs'.
var compareTests = map[string]func(int) bool{
	"<": func(c int) bool { return c < 0 }, "<=": func(c int) bool { return c <= 0 },
	">": func(c int) bool { return c > 0 }, ">=": func(c int) bool { return c >= 0 },
	"==": func(c int) bool { return c == 0 }, "!=": func(c int) bool { return c != 0 },
}

// cmpExact compares two integers held as float64.
func cmpExact(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
