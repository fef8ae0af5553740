// Package policytest runs the tests a policy pack carries beside it (NAME_test.yaml),
// so that a district that edits its YAML knows, before the nightly run, that its policy
// still does what its handbook says; an SIS runs the same tests in its own CI.
//
// A test file names the pack it tests and holds cases: a short history, an as-of date and
// what must come out.
//
//	pack: il-roe-sop                  # an embedded pack, or a file beside this one (x.yaml)
//	calendar: {first_day: 2024-08-26, last_day: 2025-06-06, minutes_per_day: 400,
//	           closed: [2024-09-02]}  # the default calendar of every test
//	student: {birth_date: 2015-03-02, grade: "3"}   # the default student
//	tests:
//	  warning-letter-at-five:
//	    source: 'Attendance & Truancy SOP, step 3: "5-9 unverified absences: warning letter"'
//	    events:
//	      - ECE on school days 3-7                    # the 3rd to 7th school days
//	      - ILL on 2024-09-12 with parent-note
//	      - TDY on school day 9 for 30 minutes with late-arrival-log
//	      - {date: 2024-09-13, code: MED, documents: [medical-note], comment: flu}
//	    interventions:
//	      - {step: no-show-contact, date: 2024-09-05, outcome: reached}
//	    as_of: school day 20                          # or a date
//	    expect:
//	      next: warning-letter                        # or null
//	      due: [warning-letter]                       # every due step, in order
//	      not_due: [probation-letter]
//	      designations: [truant]                      # every designation that holds
//	      compulsory: true
//	      facts: {not_verified: 5, "max_month.unexcused": 2}
//	      events:                                     # by 1-based position in events
//	        - {event: 1, excuse: unverified, effective_code: ECE, missing: []}
//	      involve: {support-referral: [health, transportation]}   # whom a due step involves, by reason
//	      actions: [robocall]                         # daily actions on the as-of date
//	      signout: {requester: self, allow: true, rule: adult-self}  # an early-dismissal request on the as-of date
//	      error: unknown step                         # the evaluation fails, saying this
//
// A compact event is "CODE on WHEN [for N minutes] [with DOC, DOC] [reason "..."]
// [comment "..."] [occurrence KEY]", WHEN being "school day N", "school days A-B", a
// date, or "DATE..DATE" (every school day between).
//
//	results, err := policytest.RunFile("district_test.yaml")
//	for _, r := range results {
//		for _, f := range r.Failures {
//			fmt.Println(f) // district_test.yaml:42:9: test warning-letter-at-five: due: want [warning-letter], got []
//		}
//	}
package policytest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/history"
	"github.com/rollcall-go/rollcall/policy"
)

// Failure is one expectation of a test that did not hold, at its place in the test file.
type Failure struct {
	File   string
	Line   int
	Column int
	Test   string
	Msg    string
}

// Error writes the failure with the test file, line and column.
func (f Failure) Error() string {
	where := f.File
	if f.Line > 0 {
		where = fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)
	}
	if f.Test == "" {
		return where + ": " + f.Msg
	}
	return fmt.Sprintf("%s: test %s: %s", where, f.Test, f.Msg)
}

// Result is the outcome of one test.
type Result struct {
	File     string
	Pack     string
	Test     string
	Failures []Failure // empty when the test passed

	pack *policy.Pack
	hits map[string]bool // what the test exercised, for coverage
}

// Passed reports whether every expectation held.
func (r Result) Passed() bool { return len(r.Failures) == 0 }

// RunFile runs the tests of a test file on disk. Its pack is an embedded pack's name or a
// file relative to the test file. The error is for a file that cannot be read or
// decoded at all; a test that fails is a Result with Failures.
func RunFile(name string) ([]Result, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return run(name, data, func(pack string) (*policy.Pack, error) {
		if strings.HasSuffix(pack, ".yaml") || strings.HasSuffix(pack, ".yml") {
			return policy.LoadFile(filepath.Join(filepath.Dir(name), pack))
		}
		return policy.Embedded(pack)
	})
}

// RunFS runs the tests of the test file name in fsys; a pack named as a file is read
// from fsys too.
func RunFS(fsys fs.FS, name string) ([]Result, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	return run(name, data, func(pack string) (*policy.Pack, error) {
		if strings.HasSuffix(pack, ".yaml") || strings.HasSuffix(pack, ".yml") {
			return policy.LoadFS(fsys, path.Join(path.Dir(name), pack))
		}
		return policy.Embedded(pack)
	})
}

// RunEmbedded runs the tests of every embedded pack (policy/packs/NAME_test.yaml).
func RunEmbedded() ([]Result, error) {
	var out []Result
	for _, name := range TestFiles(policy.Packs) {
		rs, err := RunFS(policy.Packs, name)
		if err != nil {
			return out, err
		}
		out = append(out, rs...)
	}
	return out, nil
}

// TestFiles returns the test files (*_test.yaml) at the top of fsys, sorted.
func TestFiles(fsys fs.FS) []string {
	matches, _ := fs.Glob(fsys, "*_test.yaml")
	slices.Sort(matches)
	return matches
}

// suite is a test file as written.
type suite struct {
	Pack     string    `yaml:"pack"`
	Calendar yaml.Node `yaml:"calendar"`
	Student  yaml.Node `yaml:"student"`
	Tests    yaml.Node `yaml:"tests"`
}

type testCase struct {
	Source        string    `yaml:"source"`
	Calendar      yaml.Node `yaml:"calendar"`
	Student       yaml.Node `yaml:"student"`
	Enrolled      yaml.Node `yaml:"enrolled"`
	Events        yaml.Node `yaml:"events"`
	Interventions yaml.Node `yaml:"interventions"`
	AsOf          string    `yaml:"as_of"`
	Expect        yaml.Node `yaml:"expect"`
}

func run(file string, data []byte, open func(string) (*policy.Pack, error)) ([]Result, error) {
	var s suite
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("%s: %s", file, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if s.Pack == "" {
		return nil, fmt.Errorf("%s: missing key \"pack\" (the pack under test)", file)
	}
	p, err := open(s.Pack)
	if err != nil {
		return nil, fmt.Errorf("%s: pack %s: %w", file, s.Pack, err)
	}
	e := rollcall.New(p)
	if s.Tests.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: tests must be a mapping of test names to tests", file)
	}
	var out []Result
	for i := 0; i+1 < len(s.Tests.Content); i += 2 {
		name, node := s.Tests.Content[i].Value, s.Tests.Content[i+1]
		r := Result{File: file, Pack: p.Name, Test: name, pack: p}
		t := &tester{file: file, name: name, e: e, res: &r}
		t.run(&s, node)
		out = append(out, r)
	}
	return out, nil
}

type tester struct {
	file string
	name string
	e    *rollcall.Engine
	res  *Result
}

func (t *tester) fail(n *yaml.Node, format string, args ...any) {
	f := Failure{File: t.file, Test: t.name, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		f.Line, f.Column = n.Line, n.Column
	}
	t.res.Failures = append(t.res.Failures, f)
}

// yearJSON is a calendar year as the history JSON writes it.
type yearJSON struct {
	Name          string             `yaml:"name"`
	FirstDay      string             `yaml:"first_day"`
	LastDay       string             `yaml:"last_day"`
	Closed        []string           `yaml:"closed"`
	HalfDays      []calendar.HalfDay `yaml:"-"`
	MinutesPerDay int                `yaml:"minutes_per_day"`
	Terms         []struct {
		Name     string `yaml:"name"`
		FirstDay string `yaml:"first_day"`
		LastDay  string `yaml:"last_day"`
	} `yaml:"terms"`
}

func (t *tester) calendar(n *yaml.Node) (*calendar.Calendar, bool) {
	var ys []yearJSON
	switch n.Kind {
	case yaml.SequenceNode:
		if err := n.Decode(&ys); err != nil {
			t.fail(n, "calendar: %v", err)
			return nil, false
		}
	case yaml.MappingNode:
		var y yearJSON
		if err := n.Decode(&y); err != nil {
			t.fail(n, "calendar: %v", err)
			return nil, false
		}
		ys = []yearJSON{y}
	default:
		t.fail(n, "no calendar: give calendar at the top of the file or in the test")
		return nil, false
	}
	var years []calendar.Year
	var errs []string
	date := func(s string) calendar.Date {
		d, err := calendar.ParseDate(s)
		if err != nil {
			errs = append(errs, err.Error())
		}
		return d
	}
	for _, y := range ys {
		cy := calendar.Year{Name: y.Name, FirstDay: date(y.FirstDay), LastDay: date(y.LastDay), MinutesPerDay: y.MinutesPerDay}
		for _, c := range y.Closed {
			cy.Closed = append(cy.Closed, date(c))
		}
		for _, tm := range y.Terms {
			cy.Terms = append(cy.Terms, calendar.Term{Name: tm.Name, FirstDay: date(tm.FirstDay), LastDay: date(tm.LastDay)})
		}
		years = append(years, cy)
	}
	if len(errs) > 0 {
		t.fail(n, "calendar: %s", strings.Join(errs, "; "))
		return nil, false
	}
	cal, err := calendar.New(years...)
	if err != nil {
		t.fail(n, "%v", err)
		return nil, false
	}
	return cal, true
}

func pick(a, b *yaml.Node) *yaml.Node {
	if a.Kind != 0 {
		return a
	}
	return b
}

func (t *tester) run(s *suite, node *yaml.Node) {
	var tc testCase
	if err := node.Decode(&tc); err != nil {
		t.fail(node, "%s", strings.TrimPrefix(err.Error(), "yaml: "))
		return
	}
	cal, ok := t.calendar(pick(&tc.Calendar, &s.Calendar))
	if !ok {
		return
	}
	h := &history.History{Calendar: cal, Student: history.Student{ID: t.name}}
	if st := pick(&tc.Student, &s.Student); st.Kind != 0 {
		var sj struct {
			ID        string `yaml:"id"`
			BirthDate string `yaml:"birth_date"`
			Grade     string `yaml:"grade"`
			Flags     []struct {
				Name string `yaml:"name"`
				From string `yaml:"from"`
				To   string `yaml:"to"`
			} `yaml:"flags"`
		}
		if err := st.Decode(&sj); err != nil {
			t.fail(st, "student: %v", err)
			return
		}
		if sj.ID != "" {
			h.Student.ID = sj.ID
		}
		h.Student.Grade = sj.Grade
		if sj.BirthDate != "" {
			if h.Student.BirthDate, ok = t.date(st, sj.BirthDate); !ok {
				return
			}
		}
		for _, f := range sj.Flags {
			fl := history.Flag{Name: f.Name}
			if f.From != "" {
				fl.From, _ = t.date(st, f.From)
			}
			if f.To != "" {
				fl.To, _ = t.date(st, f.To)
			}
			h.Student.Flags = append(h.Student.Flags, fl)
		}
	}
	if tc.Enrolled.Kind == yaml.ScalarNode {
		from, ok := t.date(&tc.Enrolled, tc.Enrolled.Value)
		if !ok {
			return
		}
		h.Enrolment = calendar.Enrolment{{From: from}}
	}
	if !t.events(&tc.Events, h) || !t.interventions(&tc.Interventions, h) {
		return
	}
	asOf, ok := t.asOf(node, tc.AsOf, cal)
	if !ok {
		return
	}
	t.expect(&tc.Expect, h, asOf)
}

func (t *tester) date(n *yaml.Node, s string) (calendar.Date, bool) {
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.fail(n, "bad date %q (want YYYY-MM-DD)", s)
		return d, false
	}
	return d, true
}

var schoolDay = regexp.MustCompile(`^school day (\d+)$`)

func (t *tester) asOf(n *yaml.Node, s string, cal *calendar.Calendar) (calendar.Date, bool) {
	if s == "" {
		return calendar.Date{}, true
	}
	if m := schoolDay.FindStringSubmatch(s); m != nil {
		k, _ := strconv.Atoi(m[1])
		d, ok := cal.Day(k - 1)
		if !ok {
			t.fail(n, "as_of: the calendar has no school day %d", k)
		}
		return d, ok
	}
	return t.date(n, s)
}

// compact is the short form of an event.
var compact = regexp.MustCompile(`^([A-Za-z0-9_.-]+) on (school days? \d+(?:-\d+)?|\d{4}-\d\d-\d\d(?:\.\.\d{4}-\d\d-\d\d)?)` +
	`(?: for (\d+) minutes?)?(?: with ([\w, .-]+?))?(?: reason "([^"]*)")?(?: comment "([^"]*)")?(?: occurrence (\S+))?$`)

func (t *tester) events(n *yaml.Node, h *history.History) bool {
	if n.Kind == 0 {
		return true
	}
	if n.Kind != yaml.SequenceNode {
		t.fail(n, "events must be a list")
		return false
	}
	for _, it := range n.Content {
		if it.Kind == yaml.ScalarNode {
			evs, ok := t.compactEvents(it, h.Calendar)
			if !ok {
				return false
			}
			h.Events = append(h.Events, evs...)
			continue
		}
		var ej struct {
			Date       string   `yaml:"date"`
			Code       string   `yaml:"code"`
			Minutes    int      `yaml:"minutes"`
			Documents  []string `yaml:"documents"`
			Comment    string   `yaml:"comment"`
			Reason     string   `yaml:"reason"`
			Occurrence string   `yaml:"occurrence"`
			Documented string   `yaml:"documented"`
		}
		if err := it.Decode(&ej); err != nil {
			t.fail(it, "event: %v", err)
			return false
		}
		d, ok := t.date(it, ej.Date)
		if !ok {
			return false
		}
		e := history.Event{Date: d, Code: ej.Code, Minutes: ej.Minutes, Documents: ej.Documents,
			Comment: ej.Comment, Reason: ej.Reason, Occurrence: ej.Occurrence}
		if ej.Documented != "" {
			if e.Documented, ok = t.date(it, ej.Documented); !ok {
				return false
			}
		}
		h.Events = append(h.Events, e)
	}
	return true
}

func (t *tester) compactEvents(n *yaml.Node, cal *calendar.Calendar) ([]history.Event, bool) {
	m := compact.FindStringSubmatch(n.Value)
	if m == nil {
		t.fail(n, `event %q: want "CODE on WHEN [for N minutes] [with DOC, ...] [reason "..."] [comment "..."] [occurrence KEY]"`, n.Value)
		return nil, false
	}
	var dates []calendar.Date
	when := m[2]
	switch {
	case strings.HasPrefix(when, "school day"):
		nums := strings.Fields(when)[2]
		a, b, _ := strings.Cut(nums, "-")
		from, _ := strconv.Atoi(a)
		to := from
		if b != "" {
			to, _ = strconv.Atoi(b)
		}
		for k := from; k <= to; k++ {
			d, ok := cal.Day(k - 1)
			if !ok {
				t.fail(n, "event %q: the calendar has no school day %d", n.Value, k)
				return nil, false
			}
			dates = append(dates, d)
		}
	default:
		a, b, _ := strings.Cut(when, "..")
		from, ok := t.date(n, a)
		if !ok {
			return nil, false
		}
		to := from
		if b != "" {
			if to, ok = t.date(n, b); !ok {
				return nil, false
			}
			for d := from; !d.After(to); d = d.AddDays(1) {
				if cal.IsSchoolDay(d) {
					dates = append(dates, d)
				}
			}
		} else {
			dates = []calendar.Date{from}
		}
	}
	minutes, _ := strconv.Atoi(m[3])
	var docs []string
	for _, doc := range strings.Split(m[4], ",") {
		if doc = strings.TrimSpace(doc); doc != "" {
			docs = append(docs, doc)
		}
	}
	var out []history.Event
	for _, d := range dates {
		out = append(out, history.Event{Date: d, Code: m[1], Minutes: minutes, Documents: docs, Reason: m[5], Comment: m[6], Occurrence: m[7]})
	}
	return out, true
}

func (t *tester) interventions(n *yaml.Node, h *history.History) bool {
	if n.Kind == 0 {
		return true
	}
	var ivs []struct {
		Step        string `yaml:"step"`
		Date        string `yaml:"date"`
		Outcome     string `yaml:"outcome"`
		OutcomeDate string `yaml:"outcome_date"`
		Actor       string `yaml:"actor"`
		Note        string `yaml:"note"`
	}
	if err := n.Decode(&ivs); err != nil {
		t.fail(n, "interventions: %v", err)
		return false
	}
	for _, iv := range ivs {
		d, ok := t.date(n, iv.Date)
		if !ok {
			return false
		}
		out := history.Intervention{Step: iv.Step, Date: d, Outcome: iv.Outcome, Actor: iv.Actor, Note: iv.Note}
		if iv.OutcomeDate != "" {
			if out.OutcomeDate, ok = t.date(n, iv.OutcomeDate); !ok {
				return false
			}
		}
		h.Interventions = append(h.Interventions, out)
	}
	return true
}

var expectKeys = []string{"next", "due", "not_due", "designations", "compulsory", "facts", "events", "involve", "actions", "signout", "error"}

func (t *tester) expect(n *yaml.Node, h *history.History, asOf calendar.Date) {
	if n.Kind != yaml.MappingNode {
		t.fail(n, "expect must be a mapping (want any of %s)", strings.Join(expectKeys, ", "))
		return
	}
	ev, err := t.e.Evaluate(h, asOf)
	wantErr := false
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "error" {
			wantErr = true
			if err == nil || !strings.Contains(err.Error(), n.Content[i+1].Value) {
				t.fail(n.Content[i+1], "error: want one saying %q, got %v", n.Content[i+1].Value, errText(err))
			}
		}
	}
	if err != nil && !wantErr {
		var herr *rollcall.HistoryError
		if !errors.As(err, &herr) || ev == nil {
			t.fail(n, "the evaluation failed: %v", err)
			return
		}
		t.fail(n, "events were rejected: %v", err)
	}
	if ev == nil {
		return
	}
	t.record(h, ev, ev.AsOf)
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		switch key.Value {
		case "next":
			got := "null"
			if ev.Next != nil {
				got = ev.Next.Step
			}
			want := val.Value
			if val.Tag == "!!null" {
				want = "null"
			}
			if got != want {
				t.fail(val, "next: want %s, got %s%s", want, got, becauseOf(ev.Next))
			}
		case "due":
			t.list(val, "due", dueSteps(ev), true)
		case "not_due":
			var want []string
			if t.decode(val, "not_due", &want) {
				for _, s := range want {
					if slices.Contains(dueSteps(ev), s) {
						t.fail(val, "not_due: %s is due", s)
					}
				}
			}
		case "designations":
			var got []string
			for _, d := range ev.Designations {
				got = append(got, d.ID)
			}
			t.list(val, "designations", got, true)
		case "compulsory":
			var want bool
			if t.decode(val, "compulsory", &want) && (ev.Compulsory == nil || *ev.Compulsory != want) {
				got := "not decided (the pack has no compulsory rule)"
				if ev.Compulsory != nil {
					got = strconv.FormatBool(*ev.Compulsory)
				}
				t.fail(val, "compulsory: want %v, got %s", want, got)
			}
		case "facts":
			t.facts(val, ev)
		case "events":
			t.eventExpectations(val, ev)
		case "actions":
			acts, err := t.e.Actions(h, ev.AsOf)
			var got []string
			for _, a := range acts {
				got = append(got, a.Action)
			}
			if err != nil {
				var herr *rollcall.HistoryError
				if !errors.As(err, &herr) {
					t.fail(val, "actions: %v", err)
				}
			}
			t.list(val, "actions", got, true)
		case "involve":
			t.involve(val, ev)
		case "signout":
			t.signout(val, h, ev.AsOf)
		case "error":
		default:
			t.fail(key, "expect: unknown key %q (want one of %s)", key.Value, strings.Join(expectKeys, ", "))
		}
	}
}

func errText(err error) string {
	if err == nil {
		return "none"
	}
	return strconv.Quote(err.Error())
}

func becauseOf(d *rollcall.Due) string {
	if d == nil {
		return ""
	}
	return " (" + d.Because + ")"
}

func dueSteps(ev *rollcall.Evaluation) []string {
	var out []string
	for _, d := range ev.Due {
		out = append(out, d.Step)
	}
	return out
}

func (t *tester) decode(n *yaml.Node, what string, v any) bool {
	if err := n.Decode(v); err != nil {
		t.fail(n, "%s: %s", what, strings.TrimPrefix(err.Error(), "yaml: "))
		return false
	}
	return true
}

func (t *tester) list(n *yaml.Node, what string, got []string, ordered bool) {
	var want []string
	if !t.decode(n, what, &want) {
		return
	}
	if want == nil {
		want = []string{}
	}
	if got == nil {
		got = []string{}
	}
	if !slices.Equal(want, got) {
		t.fail(n, "%s: want [%s], got [%s]", what, strings.Join(want, " "), strings.Join(got, " "))
	}
}

func (t *tester) facts(n *yaml.Node, ev *rollcall.Evaluation) {
	if n.Kind != yaml.MappingNode {
		t.fail(n, "facts must be a mapping of fact names to values")
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		name, val := n.Content[i].Value, n.Content[i+1]
		want, err := strconv.ParseFloat(val.Value, 64)
		if err != nil {
			t.fail(val, "facts: %s: want a number, not %q", name, val.Value)
			continue
		}
		got, ok := ev.Facts.Get(name)
		if !ok {
			t.fail(n.Content[i], "facts: no fact %q (a count of the pack, a built-in, or a fact one of its expressions reads)", name)
			continue
		}
		if diff := got - want; diff > 1e-6 || diff < -1e-6 {
			t.fail(val, "facts: %s: want %s, got %s", name, policy.FormatNumber(want), policy.FormatNumber(got))
		}
	}
}

func (t *tester) eventExpectations(n *yaml.Node, ev *rollcall.Evaluation) {
	if n.Kind != yaml.SequenceNode {
		t.fail(n, "events must be a list of {event: N, ...}")
		return
	}
	for _, it := range n.Content {
		var e struct {
			Event         int       `yaml:"event"`
			Excuse        string    `yaml:"excuse"`
			EffectiveCode string    `yaml:"effective_code"`
			Status        string    `yaml:"status"`
			Missing       *[]string `yaml:"missing"`
			Days          *float64  `yaml:"days"`
			Note          string    `yaml:"note"`
			Rejected      string    `yaml:"rejected"`
		}
		if !t.decode(it, "events", &e) {
			continue
		}
		if e.Event < 1 || e.Event > len(ev.Events) {
			t.fail(it, "events: no event %d (the test has %d)", e.Event, len(ev.Events))
			continue
		}
		got := ev.Events[e.Event-1]
		check := func(what, want, have string) {
			if want != "" && want != have {
				t.fail(it, "event %d (%s %s): %s: want %s, got %s", e.Event, got.Date, got.Code, what, want, have)
			}
		}
		check("excuse", e.Excuse, got.Excuse)
		check("effective_code", e.EffectiveCode, got.EffectiveCode)
		check("status", e.Status, got.Status)
		if e.Rejected != "" && !strings.Contains(got.Rejected, e.Rejected) {
			t.fail(it, "event %d: rejected: want one saying %q, got %q", e.Event, e.Rejected, got.Rejected)
		}
		if e.Missing != nil {
			want, have := slices.Sorted(slices.Values(*e.Missing)), slices.Sorted(slices.Values(got.MissingDocuments))
			if !reflect.DeepEqual(want, have) && !(len(want) == 0 && len(have) == 0) {
				t.fail(it, "event %d (%s %s): missing: want [%s], got [%s]", e.Event, got.Date, got.Code, strings.Join(want, " "), strings.Join(have, " "))
			}
		}
		if e.Days != nil && (got.Days-*e.Days > 1e-6 || *e.Days-got.Days > 1e-6) {
			t.fail(it, "event %d: days: want %s, got %s", e.Event, policy.FormatNumber(*e.Days), policy.FormatNumber(got.Days))
		}
		if e.Note != "" && !slices.ContainsFunc(got.Notes, func(n rollcall.Note) bool { return strings.Contains(n.Text, e.Note) }) {
			t.fail(it, "event %d (%s %s): no note saying %q", e.Event, got.Date, got.Code, e.Note)
		}
	}
}

func (t *tester) involve(n *yaml.Node, ev *rollcall.Evaluation) {
	var want map[string][]string
	if !t.decode(n, "involve", &want) {
		return
	}
	for step, reasons := range want {
		i := slices.IndexFunc(ev.Due, func(d rollcall.Due) bool { return d.Step == step })
		if i < 0 {
			t.fail(n, "involve: %s is not due", step)
			continue
		}
		var got []string
		for _, iv := range ev.Due[i].Involve {
			got = append(got, iv.Reason)
		}
		if !slices.Equal(reasons, got) {
			t.fail(n, "involve: %s: want [%s], got [%s]", step, strings.Join(reasons, " "), strings.Join(got, " "))
		}
	}
}

func (t *tester) signout(n *yaml.Node, h *history.History, asOf calendar.Date) {
	var req struct {
		Requester       string `yaml:"requester"`
		OnEmergencyForm bool   `yaml:"on_emergency_form"`
		ByPhone         bool   `yaml:"by_phone"`
		Allow           *bool  `yaml:"allow"`
		Rule            string `yaml:"rule"`
	}
	if !t.decode(n, "signout", &req) {
		return
	}
	got, err := t.e.SignOut(rollcall.SignOutRequest{Student: h.Student, Date: asOf, Requester: req.Requester, OnEmergencyForm: req.OnEmergencyForm, ByPhone: req.ByPhone})
	if err != nil {
		t.fail(n, "signout: %v", err)
		return
	}
	if req.Allow != nil && got.Allow != *req.Allow {
		t.fail(n, "signout: allow: want %v, got %v (rule %s)", *req.Allow, got.Allow, got.Rule)
	}
	if t.res.hits != nil && got.Rule != "" {
		t.res.hits["signout "+got.Rule] = true
	}
	if req.Rule != "" && got.Rule != req.Rule {
		t.fail(n, "signout: rule: want %s, got %s", req.Rule, got.Rule)
	}
}
