package policy

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"

	"github.com/rollcall-go/rollcall/codes"
)

// Runner runs compiled conditions and templates. It holds the evaluation machine, so
// it is cheap to reuse; a Runner is not safe for concurrent use: give each goroutine
// its own (the zero value is ready).
type Runner struct {
	m vm.VM
}

// Condition is a compiled boolean expression of a pack: a count's, rule's, cap's or
// action's `when` over an [Event], a step's or designation's over [Facts], a sign-out
// rule's over [SignOut].
type Condition struct {
	Source string // the expression as written
	File   string // where it was written
	Line   int
	Column int

	program *vm.Program
	fast    fastBool   // the same condition as plain Go, for the shapes compileFast knows
	static  bool       // an Event condition that reads only the codes, status, excuse, span and tags
	guard   *Condition // the static terms of a conjunction that is not static itself
	// memo remembers a static condition's result by effective code and excuse (0 not
	// known, 1 held, 2 did not); nil when the condition reads original_code too.
	memo    []atomic.Uint32
	catalog *codes.Catalog
	guards  []codeGuard
	reads   []Read // the facts it reads, in the order written (Facts conditions)
	plain   []string
	varies  bool // it reads facts that change with the date alone
}

// memoryBudget bounds what one evaluation may allocate (expr counts it in elements).
const memoryBudget = 100_000

// Eval runs the condition on env, which must be of the type its section names (an
// [Event], [Facts] or [SignOut], by value or by a pointer that is not nil).
func (c *Condition) Eval(r *Runner, env any) (bool, error) {
	if e, ok := env.(*Event); ok && c.fast != nil {
		if e == nil {
			return false, errNilEnv
		}
		return c.fast(e), nil
	}
	if isNilPointer(env) {
		return false, errNilEnv
	}
	r.m.MemoryBudget = memoryBudget
	out, err := r.m.Run(c.program, env)
	if err != nil {
		return false, err
	}
	return out == true, nil
}

// errNilEnv is Eval's error for a nil pointer: an event a brief classification kept no
// Env of, say.
var errNilEnv = errors.New("policy: a condition evaluated on a nil pointer")

// isNilPointer reports whether env is a nil *Event, *Facts or *SignOut.
func isNilPointer(env any) bool {
	switch e := env.(type) {
	case *Event:
		return e == nil
	case *Facts:
		return e == nil
	case *SignOut:
		return e == nil
	}
	return false
}

// Reads returns the facts the condition reads, in the order written, each once.
func (c *Condition) Reads() []Read { return c.reads }

// Plain returns the student facts the condition reads by name: age, grade, flags,
// school_day, steps.
func (c *Condition) Plain() []string { return c.plain }

// Static reports whether an [Event] condition reads only the event's code,
// original_code, status, excuse, span and tags, so that its result is the same for every
// event alike in those.
func (c *Condition) Static() bool { return c.static }

// maxMemoCodes bounds the catalogs whose static conditions remember their results.
const maxMemoCodes = 4096

// excuses is the number of [codes.Excuse] values.
const excuses = int(codes.Unverified) + 1

// Recall returns the result a static condition (see [Condition.Static]) remembered for
// events whose effective code is code, from the condition's own version, and whose
// excuse is x; known is false when it has none yet, or remembers none (a condition
// that reads original_code, or a catalog of more than 4,096 codes). It is safe for
// concurrent use, like [Condition.Remember].
func (c *Condition) Recall(code *codes.Code, x codes.Excuse) (held, known bool) {
	i := c.memoIndex(code, x)
	if i < 0 {
		return false, false
	}
	m := c.memo[i].Load()
	return m == 1, m != 0
}

// Remember records a static condition's result for events whose effective code is code
// and whose excuse is x, for [Condition.Recall].
func (c *Condition) Remember(code *codes.Code, x codes.Excuse, held bool) {
	if i := c.memoIndex(code, x); i >= 0 {
		c.memo[i].Store(map[bool]uint32{true: 1, false: 2}[held])
	}
}

func (c *Condition) memoIndex(code *codes.Code, x codes.Excuse) int {
	if c == nil || c.memo == nil || int(x) < 0 || int(x) >= excuses {
		return -1
	}
	pos := c.catalog.Position(code)
	if pos < 0 {
		return -1
	}
	return pos*excuses + int(x)
}

// Guard returns, for an [Event] condition that is not static but is a conjunction
// some of whose terms are (`excuse == "excused" and reason matches "..."`), the
// conjunction of those terms: a static condition that is false whenever the whole
// condition is. It returns nil for other conditions. Callers remember the guard's
// result for events alike in what it reads, and skip the whole condition when it fails.
func (c *Condition) Guard() *Condition {
	if c == nil {
		return nil
	}
	return c.guard
}

// Excludes reports whether an [Event] condition is false, without running it, for an
// event whose effective code is code and recorded code is original: the condition is a
// conjunction one of whose terms compares code or original_code with a literal
// (`code == "PAA"`, `original_code in ["MED", "MDV"]`) that they fail. It is a quick
// test before [Condition.Eval]: a condition it excludes never holds.
func (c *Condition) Excludes(code, original string) bool {
	if c == nil {
		return false
	}
	for _, g := range c.guards {
		v := code
		if g.original {
			v = original
		}
		if !slices.Contains(g.in, v) {
			return true
		}
	}
	return false
}

// Varies reports whether the condition reads facts that change with the date alone
// (rates, school days, sliding windows, days since a step), not only when an absence
// or an intervention is recorded.
func (c *Condition) Varies() bool { return c.varies }

// Reading is the value of one fact a condition read.
type Reading struct {
	Fact  string `json:"fact"`
	Value any    `json:"value"`
}

// Explain returns the value of every fact the condition reads from f.
func (c *Condition) Explain(f *Facts) []Reading {
	out := make([]Reading, 0, len(c.reads)+len(c.plain))
	for _, rd := range c.reads {
		out = append(out, Reading{Fact: rd.Name, Value: f.value(rd)})
	}
	for _, name := range c.plain {
		switch name {
		case "age":
			out = append(out, Reading{Fact: name, Value: f.Age})
		case "grade":
			out = append(out, Reading{Fact: name, Value: f.Grade})
		case "flags":
			out = append(out, Reading{Fact: name, Value: f.Flags})
		case "school_day":
			out = append(out, Reading{Fact: name, Value: f.SchoolDay})
		}
	}
	return out
}

// Template is a text with {{expression}} placeholders over [Facts]:
// "{{unverified}} unverified absences (5-9)".
type Template struct {
	Source string
	parts  []string
	holes  []*vm.Program
	reads  []Read
}

// Reads returns the facts the template reads.
func (t *Template) Reads() []Read { return t.reads }

// Render fills the template's placeholders from f.
func (t *Template) Render(r *Runner, f *Facts) string {
	r.m.MemoryBudget = memoryBudget
	var b strings.Builder
	for i, part := range t.parts {
		b.WriteString(part)
		if i < len(t.holes) {
			v, err := r.m.Run(t.holes[i], *f)
			if err != nil {
				b.WriteString("?")
				continue
			}
			b.WriteString(FormatNumber(v))
		}
	}
	return b.String()
}

// FormatNumber prints numbers as people write them: 6, 0.85, 46.67.
func FormatNumber(v any) string {
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

// Limits on expressions, checked before they reach the parser.
const (
	maxNodes     = 2000
	maxExprBytes = 4000 // bytes of one expression's source
	maxExprDepth = 64   // nesting of brackets
)

// The names of windows, measures and step functions expressions may use over [Facts].
var (
	windowNames = map[string]WindowKind{"month": WindowMonth, "term": WindowTerm, "max_month": WindowMaxMonth,
		"enrolled": WindowEnrolled, "longest_run": WindowLongestRun, "year": WindowYear}
	windowFuncs = map[string]WindowKind{"previous": WindowPrevious, "previous_days": WindowPreviousDays,
		"since": WindowSince, "within": WindowWithin, "max_window": WindowMaxWindow, "max_days": WindowMaxDays}
	stepFuncs = map[string]ReadKind{"done": ReadBool, "times_done": ReadNumber, "days_since": ReadNumber,
		"school_days_since": ReadNumber, "outcome": ReadText}
	monthDay = regexp.MustCompile(`^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`)
	// Builtins are the calendar's measures, available on every window.
	Builtins = []string{"school_days", "calendar_days", "absent_days", "present_days", "attendance_rate", "absence_rate"}
	// reserved names cannot be count identifiers.
	reserved = []string{"age", "age_on", "grade", "flags", "steps", "school_day", "true", "false", "nil", "not", "and", "or", "in", "matches"}
)

func isReserved(name string) bool {
	_, w := windowNames[name]
	_, f := windowFuncs[name]
	_, s := stepFuncs[name]
	return w || f || s || slices.Contains(Builtins, name) || slices.Contains(reserved, name) || strings.HasPrefix(name, "__")
}

// exprCompiler compiles the expressions of one version: it knows its counts and steps,
// and assigns the slots of the facts its ladder reads.
type exprCompiler struct {
	readsYear bool // some event expression reads year counts
	codes     *codes.Catalog
	counts    []string // count identifiers, in order
	steps     []string // step identifiers
	reads     *[]Read
	nums      int
	bools     int
	texts     int
}

// slot returns the read for r, adding it when new.
func (x *exprCompiler) slot(r Read) Read {
	for _, have := range *x.reads {
		if have.Name == r.Name {
			return have
		}
	}
	switch r.Kind {
	case ReadNumber:
		r.Slot, x.nums = x.nums, x.nums+1
	case ReadBool:
		r.Slot, x.bools = x.bools, x.bools+1
	case ReadText:
		r.Slot, x.texts = x.texts, x.texts+1
	}
	*x.reads = append(*x.reads, r)
	return r
}

// exprError is a problem found while rewriting an expression, at a position in it.
type exprError struct {
	loc file.Location
	msg string
}

// factsPatcher rewrites what a [Facts] expression reads into slots: `unexcused`,
// `month.unexcused`, `previous(180).unexcused`, `done("warning-letter")`.
type factsPatcher struct {
	x      *exprCompiler
	reads  []Read
	plain  []string
	errs   []exprError
	varies bool
}

func (p *factsPatcher) fail(n ast.Node, format string, args ...any) {
	p.errs = append(p.errs, exprError{loc: n.Location(), msg: fmt.Sprintf(format, args...)})
}

func (p *factsPatcher) use(node *ast.Node, r Read) {
	r = p.x.slot(r)
	if !slices.ContainsFunc(p.reads, func(h Read) bool { return h.Name == r.Name }) {
		p.reads = append(p.reads, r)
	}
	if r.varies() {
		p.varies = true
	}
	arr := map[ReadKind]string{ReadNumber: "__num", ReadBool: "__bool", ReadText: "__str"}[r.Kind]
	ast.Patch(node, &ast.MemberNode{Node: &ast.IdentifierNode{Value: arr}, Property: &ast.IntegerNode{Value: r.Slot}})
}

// measure resolves a measure name (a count or a builtin) on a window.
func (p *factsPatcher) measure(n ast.Node, w Window, name string) (Read, bool) {
	r := Read{Kind: ReadNumber, Window: w, Count: -1}
	if i := slices.Index(p.x.counts, name); i >= 0 {
		r.Count, r.Measure = i, name
	} else if slices.Contains(Builtins, name) {
		r.Measure = name
	} else {
		p.fail(n, "unknown count %q%s", name, didYouMean(name, append(slices.Clone(p.x.counts), Builtins...)))
		return r, false
	}
	r.Name = w.prefix() + name
	if w.Kind == WindowYear {
		r.Name = name
	}
	return r, true
}

func (p *factsPatcher) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.IdentifierNode:
		switch {
		case strings.HasPrefix(n.Value, "__"):
			p.fail(n, "unknown name %q", n.Value)
		case slices.Contains(p.x.counts, n.Value) || slices.Contains(Builtins, n.Value):
			if r, ok := p.measure(n, Window{Kind: WindowYear}, n.Value); ok {
				p.use(node, r)
			}
		case slices.Contains([]string{"age", "grade", "flags", "school_day", "steps"}, n.Value):
			if !slices.Contains(p.plain, n.Value) {
				p.plain = append(p.plain, n.Value)
			}
			if n.Value == "school_day" {
				p.varies = true
			}
		}
	case *ast.MemberNode:
		w, ok := p.window(n.Node)
		if !ok {
			return
		}
		prop, isStr := n.Property.(*ast.StringNode)
		if !isStr {
			p.fail(n, "a window is read by a count's name: %s.COUNT", w.prefix())
			return
		}
		if r, ok := p.measure(n, w, prop.Value); ok {
			p.use(node, r)
		}
	case *ast.CallNode:
		id, ok := n.Callee.(*ast.IdentifierNode)
		if !ok {
			return
		}
		if id.Value == "age_on" {
			arg, isStr := (ast.Node)(nil), false
			if len(n.Arguments) == 1 {
				arg = n.Arguments[0]
				_, isStr = arg.(*ast.StringNode)
			}
			if !isStr || !monthDay.MatchString(arg.(*ast.StringNode).Value) {
				p.fail(n, "age_on takes a month and day written as a string, such as age_on(\"09-01\"): the age on that day of the school year")
				return
			}
			md := arg.(*ast.StringNode).Value
			p.use(node, Read{Name: fmt.Sprintf("age_on(%q)", md), Kind: ReadNumber, Func: "age_on", Step: md, Count: -1})
			return
		}
		if kind, ok := stepFuncs[id.Value]; ok {
			if len(n.Arguments) != 1 {
				p.fail(n, "%s takes one step name: %s(\"step\")", id.Value, id.Value)
				return
			}
			step, ok := p.stepArg(n.Arguments[0], id.Value)
			if !ok {
				return
			}
			p.use(node, Read{Name: fmt.Sprintf("%s(%q)", id.Value, step), Kind: kind, Func: id.Value, Step: step, Count: -1})
		}
	}
}

// window reports whether n is a window: `month`, `previous(180)`, `since("step")`.
func (p *factsPatcher) window(n ast.Node) (Window, bool) {
	switch t := n.(type) {
	case *ast.IdentifierNode:
		k, ok := windowNames[t.Value]
		return Window{Kind: k}, ok
	case *ast.CallNode:
		id, ok := t.Callee.(*ast.IdentifierNode)
		if !ok {
			return Window{}, false
		}
		k, ok := windowFuncs[id.Value]
		if !ok {
			return Window{}, false
		}
		w := Window{Kind: k}
		switch k {
		case WindowSince:
			if len(t.Arguments) != 1 {
				p.fail(t, "since takes one step name: since(\"step\").COUNT")
				return w, false
			}
			w.Step, ok = p.stepArg(t.Arguments[0], id.Value)
			return w, ok
		case WindowWithin:
			if len(t.Arguments) != 2 {
				p.fail(t, "within takes a step name and a number of school days: within(\"step\", 20).COUNT")
				return w, false
			}
			w.Step, ok = p.stepArg(t.Arguments[0], id.Value)
			if !ok {
				return w, false
			}
			w.N, ok = p.intArg(t.Arguments[1], id.Value)
			return w, ok
		default:
			if len(t.Arguments) != 1 {
				p.fail(t, "%s takes one whole number: %s(N).COUNT", id.Value, id.Value)
				return w, false
			}
			w.N, ok = p.intArg(t.Arguments[0], id.Value)
			return w, ok
		}
	}
	return Window{}, false
}

func (p *factsPatcher) stepArg(n ast.Node, fn string) (string, bool) {
	s, ok := n.(*ast.StringNode)
	if !ok {
		p.fail(n, "%s needs a step name written as a string, such as %s(\"warning-letter\")", fn, fn)
		return "", false
	}
	if !slices.Contains(p.x.steps, s.Value) {
		p.fail(n, "%s: unknown step %q%s", fn, s.Value, didYouMean(s.Value, p.x.steps))
		return "", false
	}
	return s.Value, true
}

func (p *factsPatcher) intArg(n ast.Node, fn string) (int, bool) {
	i, ok := n.(*ast.IntegerNode)
	if !ok || i.Value < 1 || i.Value > 3660 {
		p.fail(n, "%s needs a whole number from 1 to 3660 written in the expression", fn)
		return 0, false
	}
	return i.Value, true
}

// eventPatcher rewrites `year.COUNT` in an [Event] expression into its slot.
type eventPatcher struct {
	counts  []string
	noYear  bool // counts' own conditions may not read year counts
	errs    []exprError
	readsYr bool
}

func (p *eventPatcher) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.IdentifierNode:
		if strings.HasPrefix(n.Value, "__") {
			p.errs = append(p.errs, exprError{n.Location(), fmt.Sprintf("unknown name %q", n.Value)})
		}
	case *ast.MemberNode:
		id, ok := n.Node.(*ast.IdentifierNode)
		if !ok || id.Value != "year" {
			return
		}
		prop, ok := n.Property.(*ast.StringNode)
		if !ok {
			p.errs = append(p.errs, exprError{n.Location(), "year is read by a count's name: year.COUNT"})
			return
		}
		if p.noYear {
			p.errs = append(p.errs, exprError{n.Location(), "a count cannot read year counts (they are made of counts)"})
			return
		}
		i := slices.Index(p.counts, prop.Value)
		if i < 0 {
			p.errs = append(p.errs, exprError{n.Location(), fmt.Sprintf("unknown count %q%s", prop.Value, didYouMean(prop.Value, p.counts))})
			return
		}
		p.readsYr = true
		ast.Patch(node, &ast.MemberNode{Node: &ast.IdentifierNode{Value: "__year"}, Property: &ast.IntegerNode{Value: i}})
	}
}

// comparePatcher makes comparisons of numbers exact at their boundaries: 3 >= 0.1 * 30
// holds although 0.1 * 30 is 3.0000000000000004 in floating point.
type comparePatcher struct{}

var compareFuncs = map[string]string{"<": "__lt", "<=": "__le", ">": "__gt", ">=": "__ge", "==": "__eq", "!=": "__ne"}

func (comparePatcher) Visit(node *ast.Node) {
	n, ok := (*node).(*ast.BinaryNode)
	if !ok {
		return
	}
	fn, ok := compareFuncs[n.Operator]
	if !ok {
		return
	}
	lt, rt := n.Left.Type(), n.Right.Type()
	if lt == nil || rt == nil {
		return
	}
	isNum := func(k string) bool { return k == "float64" || k == "int" }
	if !isNum(lt.String()) || !isNum(rt.String()) || (lt.String() == "int" && rt.String() == "int") {
		return
	}
	ast.Patch(node, &ast.CallNode{Callee: &ast.IdentifierNode{Value: fn}, Arguments: []ast.Node{n.Left, n.Right}})
}

// tolerantCmp returns -1, 0 or 1, treating values within a billionth (relative) as
// equal: how a pack compares two numbers one of which is not an integer.
func tolerantCmp(a, b float64) int {
	if math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b))) {
		return 0
	}
	if a < b {
		return -1
	}
	return 1
}

// compareOptions registers the tolerant comparisons comparePatcher calls.
var compareOptions = func() []expr.Option {
	num := func(v any) float64 {
		switch x := v.(type) {
		case int:
			return float64(x)
		case float64:
			return x
		}
		return math.NaN()
	}
	var opts []expr.Option
	for op, name := range compareFuncs {
		test := compareTests[op]
		opts = append(opts, expr.Function(name, func(args ...any) (any, error) {
			return test(tolerantCmp(num(args[0]), num(args[1]))), nil
		}, new(func(float64, float64) bool), new(func(int, float64) bool), new(func(float64, int) bool)))
	}
	return opts
}()

// sandbox are the options every pack expression is compiled with: no clock, no
// unbounded allocation, bounded size.
var sandbox = []expr.Option{
	expr.DisableBuiltin("now"), expr.DisableBuiltin("date"), expr.DisableBuiltin("timezone"),
	expr.DisableBuiltin("duration"), expr.DisableBuiltin("repeat"),
	expr.MaxNodes(maxNodes),
}

// checkSource rejects expressions too long or too deeply nested to parse safely.
func checkSource(src string) string {
	if len(src) > maxExprBytes {
		return fmt.Sprintf("expression is %d bytes long; at most %d", len(src), maxExprBytes)
	}
	depth := 0
	for _, c := range src {
		switch c {
		case '(', '[', '{':
			depth++
			if depth > maxExprDepth {
				return fmt.Sprintf("expression nests brackets deeper than %d", maxExprDepth)
			}
		case ')', ']', '}':
			depth--
		}
	}
	if strings.Count(src, "!")+strings.Count(src, "not ") > maxExprDepth {
		return fmt.Sprintf("expression has more than %d negations", maxExprDepth)
	}
	return ""
}

// exprCheck reports a YAML comment that cut an unquoted expression short, and source
// too long or deep to parse; it returns false when the expression must not be compiled.
func exprCheck(src string, at pos, what string, d *diag) bool {
	if n := at.n; n != nil && n.Style == 0 && n.LineComment != "" {
		at.errorf(d, "%s: YAML read %q as a comment, cutting the expression short; quote the expression (when: '...') to keep the #", what, n.LineComment)
		return false
	}
	if msg := checkSource(src); msg != "" {
		at.errorf(d, "%s: %s", what, msg)
		return false
	}
	return true
}

// placeAt reports a problem found at a line and column inside an expression.
func placeAt(at pos, what string, line, col int, msg string, d *diag) {
	l, c := exprPosition(d.sources[at.file], at.n, line, col)
	e := &Error{File: at.file, Line: l, Column: c, Msg: fmt.Sprintf("%s: %s", what, msg), Err: &file.Error{Line: line, Column: col, Message: msg}}
	if l == 0 && at.n != nil {
		e.Line, e.Column = at.n.Line, at.n.Column
	}
	d.add(e)
}

func newCondition(src string, at pos) *Condition {
	c := &Condition{Source: src, File: at.file}
	if at.n != nil {
		c.Line, c.Column = at.n.Line, at.n.Column
	}
	return c
}

// compileBool compiles a boolean expression against env with a patcher that rewrites
// what it reads (and reports its own problems), the exact comparisons and the guard,
// reporting any problem at the expression's place in the file.
func compileBool(src string, at pos, what string, env any, patcher ast.Visitor, errs func() []exprError, d *diag) *vm.Program {
	if !exprCheck(src, at, what, d) {
		return nil
	}
	g := &guard{}
	opts := []expr.Option{expr.Env(env), expr.AsBool(), expr.WarnOnAny()}
	if patcher != nil {
		opts = append(opts, expr.Patch(patcher))
	}
	opts = append(append(append(opts, expr.Patch(comparePatcher{}), expr.Patch(g)), sandbox...), compareOptions...)
	prog, err := expr.Compile(src, opts...)
	var problems []exprError
	if errs != nil {
		problems = errs()
	}
	if problems = append(problems, g.errs...); len(problems) > 0 {
		line, col := runeLineCol(src, problems[0].loc.From)
		placeAt(at, what, line, col, problems[0].msg, d)
		return nil
	}
	if err != nil {
		placeError(err, at, what, d, env)
		return nil
	}
	return prog
}

// compileFacts compiles a boolean expression over [Facts] (a step's, a designation's
// or an involve's when).
func (x *exprCompiler) compileFacts(src string, at pos, what string, d *diag) *Condition {
	p := &factsPatcher{x: x}
	prog := compileBool(src, at, what, Facts{}, p, func() []exprError { return p.errs }, d)
	if prog == nil {
		return nil
	}
	c := newCondition(src, at)
	c.program, c.reads, c.plain, c.varies = prog, p.reads, p.plain, p.varies
	return c
}

// compileEvent compiles a boolean expression over [Event]. Counts' own conditions
// (noYear) may not read year counts.
func (x *exprCompiler) compileEvent(src string, at pos, what string, noYear bool, d *diag) *Condition {
	p := &eventPatcher{counts: x.counts, noYear: noYear}
	prog := compileBool(src, at, what, Event{}, p, func() []exprError { return p.errs }, d)
	if prog == nil {
		return nil
	}
	x.readsYear = x.readsYear || p.readsYr
	c := newCondition(src, at)
	c.program = prog
	c.static = staticEvent(src)
	if c.static && x.codes != nil && x.codes.Len() <= maxMemoCodes && !strings.Contains(src, "original_code") {
		c.memo, c.catalog = make([]atomic.Uint32, x.codes.Len()*excuses), x.codes
	}
	if tree, err := parser.Parse(src); err == nil {
		c.guards = codeGuards(tree.Node)
		c.fast = compileFast(tree.Node)
		if !c.static {
			c.guard = x.staticTerms(tree.Node, at, what, noYear)
		}
	}
	return c
}

// staticTerms compiles the conjunction of the terms of the top-level conjunction n
// that are static (see [Condition.Static]), or returns nil when there are none.
func (x *exprCompiler) staticTerms(n ast.Node, at pos, what string, noYear bool) *Condition {
	var terms []string
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		if b, ok := n.(*ast.BinaryNode); ok && (b.Operator == "and" || b.Operator == "&&") {
			walk(b.Left)
			walk(b.Right)
			return
		}
		if src := n.String(); staticEvent(src) {
			terms = append(terms, "("+src+")")
		}
	}
	walk(n)
	if len(terms) == 0 {
		return nil
	}
	var d diag
	g := x.compileEvent(strings.Join(terms, " and "), at, what, noYear, &d)
	if g == nil || !g.static {
		return nil // a term the printer wrote otherwise: judge the whole condition only
	}
	return g
}

// codeGuard is a term of a conjunction that holds only for some codes.
type codeGuard struct {
	original bool     // original_code, not code
	in       []string // the codes for which the term can hold
}

// codeGuards returns the terms of the top-level conjunction n that compare code or
// original_code with a string literal or a list of them.
func codeGuards(n ast.Node) []codeGuard {
	b, ok := n.(*ast.BinaryNode)
	if !ok {
		return nil
	}
	switch b.Operator {
	case "and", "&&":
		return append(codeGuards(b.Left), codeGuards(b.Right)...)
	case "==":
		for _, pair := range [][2]ast.Node{{b.Left, b.Right}, {b.Right, b.Left}} {
			if g, ok := guardOn(pair[0]); ok {
				if lit, ok := pair[1].(*ast.StringNode); ok {
					g.in = []string{lit.Value}
					return []codeGuard{g}
				}
			}
		}
	case "in":
		g, ok := guardOn(b.Left)
		list, isList := b.Right.(*ast.ArrayNode)
		if !ok || !isList {
			return nil
		}
		for _, el := range list.Nodes {
			lit, ok := el.(*ast.StringNode)
			if !ok {
				return nil
			}
			g.in = append(g.in, lit.Value)
		}
		return []codeGuard{g}
	}
	return nil
}

// guardOn reports whether n names the event's code or original code.
func guardOn(n ast.Node) (codeGuard, bool) {
	id, ok := n.(*ast.IdentifierNode)
	if !ok {
		return codeGuard{}, false
	}
	switch id.Value {
	case "code":
		return codeGuard{}, true
	case "original_code":
		return codeGuard{original: true}, true
	}
	return codeGuard{}, false
}

// compileSignOut compiles a sign-out rule's condition over [SignOut].
func compileSignOut(src string, at pos, what string, d *diag) *Condition {
	prog := compileBool(src, at, what, SignOut{}, nil, nil, d)
	if prog == nil {
		return nil
	}
	c := newCondition(src, at)
	c.program = prog
	return c
}

// staticEvent reports whether an Event expression names no field but the code,
// original_code, status, excuse, span and tags (predicates and their # included).
func staticEvent(src string) bool {
	tree, err := parser.Parse(src)
	if err != nil {
		return false
	}
	v := &identFinder{ok: true}
	ast.Walk(&tree.Node, v)
	return v.ok
}

type identFinder struct{ ok bool }

func (f *identFinder) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.IdentifierNode:
		switch n.Value {
		case "code", "original_code", "status", "excuse", "span", "tags":
		default:
			f.ok = false
		}
	case *ast.MemberNode, *ast.PointerNode, *ast.VariableDeclaratorNode:
		f.ok = false
	}
}

// compileTemplate compiles a because text with {{expression}} placeholders over
// [Facts].
func (x *exprCompiler) compileTemplate(src string, at pos, what string, d *diag) *Template {
	if src == "" {
		return nil
	}
	t := &Template{Source: src}
	last := 0
	for _, m := range hole.FindAllStringSubmatchIndex(src, -1) {
		t.parts = append(t.parts, src[last:m[0]])
		inner := src[m[2]:m[3]]
		if msg := checkSource(inner); msg != "" {
			at.errorf(d, "%s: in {{%s}}: %s", what, inner, msg)
			return nil
		}
		p := &factsPatcher{x: x}
		g := &guard{}
		opts := append([]expr.Option{expr.Env(Facts{}), expr.Patch(p), expr.Patch(g)}, sandbox...)
		prog, err := expr.Compile(inner, opts...)
		p.errs = append(p.errs, g.errs...)
		if len(p.errs) > 0 {
			at.errorf(d, "%s: in {{%s}}: %s", what, inner, p.errs[0].msg)
			return nil
		}
		if err != nil {
			msg := err.Error()
			var fe *file.Error
			if errors.As(err, &fe) {
				msg = friendly(fe.Message, Facts{})
			}
			at.errorf(d, "%s: in {{%s}}: %s", what, inner, msg)
			return nil
		}
		for _, r := range p.reads {
			if !slices.ContainsFunc(t.reads, func(h Read) bool { return h.Name == r.Name }) {
				t.reads = append(t.reads, r)
			}
		}
		t.holes = append(t.holes, prog)
		last = m[1]
	}
	t.parts = append(t.parts, src[last:])
	return t
}

var hole = regexp.MustCompile(`\{\{(.*?)\}\}`)

// runeLineCol turns a rune offset in src into expr's line (1-based) and column
// (0-based).
func runeLineCol(src string, from int) (int, int) {
	line, col, n := 1, 0, 0
	for _, r := range src {
		if n == from {
			break
		}
		if r == '\n' {
			line, col = line+1, 0
		} else {
			col++
		}
		n++
	}
	return line, col
}

// guard rejects the constructs whose work cannot be bounded: ranges without small
// literal bounds, predicates nested more than two deep, and strings built inside a
// predicate (reduce and map over a range build them without limit).
type guard struct {
	errs []exprError
}

const (
	maxRange      = 10_000 // elements of a literal range
	maxPredicates = 2      // predicates nested in one another
)

func (g *guard) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.BinaryNode:
		if n.Operator == ".." {
			lo, okLo := n.Left.(*ast.IntegerNode)
			hi, okHi := n.Right.(*ast.IntegerNode)
			if !okLo || !okHi || hi.Value-lo.Value > maxRange {
				g.errs = append(g.errs, exprError{n.Location(), fmt.Sprintf("a range must have whole-number bounds written in the expression, at most %d apart", maxRange)})
			}
		}
	case *ast.PredicateNode:
		if d := predicateDepth(n); d > maxPredicates {
			g.errs = append(g.errs, exprError{n.Location(), fmt.Sprintf("predicates are nested %d deep; at most %d", d, maxPredicates)})
		}
		var c concatFinder
		ast.Walk(&n.Node, &c)
		if c.found {
			g.errs = append(g.errs, exprError{n.Location(), "a predicate cannot build strings (its work would have no bound)"})
		}
	}
}

// predicateDepth is how many predicates are nested in p, p included.
func predicateDepth(p *ast.PredicateNode) int {
	var c depthFinder
	ast.Walk(&p.Node, &c)
	return 1 + c.max
}

type depthFinder struct{ max int }

func (f *depthFinder) Visit(node *ast.Node) {
	if p, ok := (*node).(*ast.PredicateNode); ok {
		f.max = max(f.max, predicateDepth(p))
	}
}

type concatFinder struct{ found bool }

func (f *concatFinder) Visit(node *ast.Node) {
	if b, ok := (*node).(*ast.BinaryNode); ok && b.Operator == "+" {
		isString := func(n ast.Node) bool {
			if _, lit := n.(*ast.StringNode); lit {
				return true
			}
			t := n.Type()
			return t != nil && t.Kind() == reflect.String
		}
		if isString(b) || isString(b.Left) || isString(b.Right) {
			f.found = true
		}
	}
}

// Clause is one part of a condition joined by its top-level `or` or `and`.
type Clause struct {
	Source  string     // the clause as the expression writes it
	When    *Condition // the clause alone
	Because *Template  // its text for people, when the pack gives one per clause
}

// splitClauses returns the top-level operator of src ("or", "and", or "" for one
// clause) and its clauses' sources.
func splitClauses(src string) (string, []string) {
	tree, err := parser.Parse(src)
	if err != nil {
		return "", nil
	}
	op := ""
	if b, ok := tree.Node.(*ast.BinaryNode); ok {
		switch b.Operator {
		case "or", "||":
			op = "or"
		case "and", "&&":
			op = "and"
		}
	}
	if op == "" {
		return "", []string{src}
	}
	var parts []string
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		if b, ok := n.(*ast.BinaryNode); ok {
			if (op == "or" && (b.Operator == "or" || b.Operator == "||")) || (op == "and" && (b.Operator == "and" || b.Operator == "&&")) {
				walk(b.Left)
				walk(b.Right)
				return
			}
		}
		parts = append(parts, n.String())
	}
	walk(tree.Node)
	return op, parts
}

// compileClauses compiles the clauses of a condition over [Facts], with one because
// text per clause when given.
func (x *exprCompiler) compileClauses(c *Condition, becauses []string, at pos, what string, d *diag) (string, []*Clause) {
	op, parts := splitClauses(c.Source)
	if len(becauses) > 0 && len(becauses) != len(parts) {
		at.errorf(d, "%s: because has %d texts but when has %d clauses (one text per clause joined by %s)", what, len(becauses), len(parts), cmpOr(op, "or"))
		return op, nil
	}
	var out []*Clause
	for i, src := range parts {
		sub := x.compileFacts(src, pos{c.File, nil}, what+": clause "+strconv.Itoa(i+1), d)
		if sub == nil {
			return op, nil
		}
		sub.Line, sub.Column = c.Line, c.Column
		cl := &Clause{Source: src, When: sub}
		if len(becauses) > 0 {
			cl.Because = x.compileTemplate(becauses[i], at, what+": because", d)
		}
		out = append(out, cl)
	}
	return op, out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
