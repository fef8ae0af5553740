// Package classify decides, under a policy pack, how each recorded attendance event
// of a student's history is classified as of a date: its effective code, whether it
// is excused, unexcused or not yet verified, which documents would excuse it, and
// what it adds to each count the pack declares.
//
// Events are decided in date order, since caps, documentation deadlines and the
// effects of ladder steps depend on what came before; the result keeps input order,
// one [Result] per event, rejected events included with their reason.
//
//	res := classify.Classify(pack, h, asOf)
//
// One school day is at most one day: identical events on a date collapse into one,
// different whole-day codes on a date are a conflict (the day counts once, as not
// excused, and both events say so), and partial absences on a day add up to at most
// the day's minutes.
package classify

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/codes"
	"github.com/rollcall-go/rollcall/history"
	"github.com/rollcall-go/rollcall/internal/suggest"
	"github.com/rollcall-go/rollcall/policy"
)

// Result is the classification of one event.
type Result struct {
	Date             calendar.Date `json:"date"`
	Code             string        `json:"code"`
	EffectiveCode    string        `json:"effective_code"`
	Status           string        `json:"status"` // present or absent
	Excuse           string        `json:"excuse"` // excused, unexcused, unverified or none
	Span             string        `json:"span"`
	Minutes          int           `json:"minutes"` // minutes missed
	Days             float64       `json:"days"`    // school days missed (0 for a day counted with another event)
	MissingDocuments []string      `json:"missing_documents"`
	MissingFlags     []string      `json:"missing_flags,omitempty"`
	CommentRequired  bool          `json:"comment_required"`
	EdFi             string        `json:"edfi_category,omitempty"`
	Notes            []Note        `json:"notes"`
	Rejected         string        `json:"rejected,omitempty"` // when not empty, why the event could not be classified

	// Counts holds what the event adds to each count the pack declares, in the count's
	// unit, in the order of [policy.Version.Counts] (nil for a rejected event). A day
	// two events share is counted on one of them.
	Counts []float64 `json:"-"`
	// Env is the event as the pack's expressions last saw it (rules, and the daily
	// actions that run on the classification), or nil: a rejected event has none, and
	// neither has any event of a [Brief] classification, which keeps the decisions only.
	Env *policy.Event `json:"-"`
	// Tags are the effective code's tags.
	Tags []string `json:"-"`
	// Caps names the pack's caps the event counts toward: each cap whose limit was
	// already reached when it came (whose past effect it took), then each cap that
	// counted it. A [Brief] classification keeps them.
	Caps []string `json:"-"`
	// Whole reports that the event covers the whole school day.
	Whole bool `json:"-"`
}

// Note says what decided part of a classification.
type Note struct {
	Source   string `json:"source"` // "code MED", "cap parent-authorized", "rule untyped-appointment", "step medical-letter"
	Text     string `json:"text"`
	Citation string `json:"citation,omitempty"`
}

// Classify classifies every event of h under p as of asOf (interventions after asOf
// have not happened; documentation deadlines are judged on asOf; a zero asOf judges
// none), and computes what each event adds to the pack's counts. It never fails: an
// event that cannot be classified comes out with Rejected set.
func Classify(p *policy.Pack, h *history.History, asOf calendar.Date, opts ...Option) []Result {
	return classifyWith(p, h, asOf, true, opts)
}

// Option changes what a classification includes.
type Option func(*classifier)

// Brief leaves the workings out: every Result's Notes is empty and its Env nil, and
// nothing else changes (effective codes, excuses, missing documents, counts and caps are
// decided the same way). It is for callers that keep the decisions only, such as a nightly report over
// a whole district, where writing every note costs a sixth of the time.
func Brief() Option { return func(c *classifier) { c.brief = true } }

// Decide classifies like [Classify] but leaves Counts nil unless the pack's rules,
// caps, deadlines or actions read the year's counts: for callers that want the
// classification only.
func Decide(p *policy.Pack, h *history.History, asOf calendar.Date, opts ...Option) []Result {
	return classifyWith(p, h, asOf, false, opts)
}

// classifiers keeps classifiers between calls, so that one history's buffers (its
// items, the expression runner, the caps' and the year's totals) serve the next; the
// results are never reused.
var classifiers = sync.Pool{New: func() any { return &classifier{caps: map[string]*capState{}, year: map[int][]float64{}} }}

// classifyWith classifies h with a classifier from the pool.
func classifyWith(p *policy.Pack, h *history.History, asOf calendar.Date, withCounts bool, opts []Option) []Result {
	c := classifiers.Get().(*classifier)
	c.reset(p, h, asOf, withCounts)
	for _, o := range opts {
		o(c)
	}
	c.run()
	out := c.out
	c.reset(nil, nil, calendar.Date{}, false) // keep no history alive in the pool
	classifiers.Put(c)
	return out
}

// reset makes c ready to classify h, keeping its buffers but nothing it handed out
// (the results, their counts and steps).
func (c *classifier) reset(p *policy.Pack, h *history.History, asOf calendar.Date, withCounts bool) {
	c.p, c.h, c.asOf, c.withCounts, c.brief = p, h, asOf, withCounts, false
	c.out = nil
	if h != nil {
		c.out = make([]Result, len(h.Events))
	}
	clear(c.items)
	c.items = c.items[:0]
	c.dup = c.dup[:0]
	c.wholeAbsent, c.wholeBuilt = c.wholeAbsent[:0], false
	c.steps, c.stepsN = nil, 0
	c.closed, c.grade = calendar.Date{}, ""
	c.pendingDate, c.pendingYear, c.pending = calendar.Date{}, 0, c.pending[:0]
	// The caps and the year's totals start empty; their entries are kept to be reused,
	// unless a run of packs has made them many.
	if len(c.caps) > 64 {
		clear(c.caps)
	}
	for _, st := range c.caps {
		clear(st.periods)
		st.lastOrd, st.run = -2, 0
	}
	if len(c.year) > 16 {
		clear(c.year)
	}
	for _, t := range c.year {
		clear(t)
	}
	c.envs, c.lazyR, c.lazyEnv = nil, nil, nil
	clear(c.dayEnvs)
	c.view, c.base = policy.Event{}, policy.Event{}
}

// LastDate returns the date of the last event of h that can be classified under p
// (a school day inside the calendar and the enrolment, with a known code), or the
// zero Date when there is none. It is the as-of date when none is given.
func LastDate(p *policy.Pack, h *history.History) calendar.Date {
	c := &classifier{p: p, h: h}
	var last calendar.Date
	for i := range h.Events {
		ev := &h.Events[i]
		if !ev.Date.After(last) || c.check(ev) != "" {
			continue
		}
		if _, ok := p.At(ev.Date).Codes.Lookup(ev.Code); ok {
			last = ev.Date
		}
	}
	return last
}

type classifier struct {
	withCounts bool   // compute every event's counts (else only when expressions read them)
	brief      bool   // leave out the notes
	dup        []bool // events that repeat another of their date (made when a date has several)
	p          *policy.Pack
	h          *history.History
	asOf       calendar.Date
	out        []Result
	r          policy.Runner

	caps map[string]*capState
	// year totals of each count, by school year, on dates before the one being decided
	year map[int][]float64
	// totals of the date being decided, added to year when the date changes
	pendingDate calendar.Date
	pendingYear int
	pending     []float64
	wholeAbsent []calendar.Date // dates with a whole-day absence, in order, for return dates (built when needed)
	wholeBuilt  bool
	items       []item
	closed      calendar.Date // the case was closed then: steps done before no longer count
	applied     []bool        // the rules applied to it
	block       []float64     // what floats cuts counts from
	view        policy.Event  // the event being decided as expressions see it (see envOf)
	// the decided events as expressions saw them (see envFor): one for each event of the
	// history, handed out with the results, or under Brief one for each event of the
	// day being decided, reused
	envs, dayEnvs []policy.Event
	// the result decided last whose Env is left to be made, and where (see decide)
	lazyR   *Result
	lazyEnv *policy.Event
	base    policy.Event // its fields that do not change while it is decided
	// steps done before the date last asked (stepsBefore), and how many interventions
	// that was
	steps  []string
	stepsN int
	grade  string       // the student's grade, normalised
	ages   history.Ages // the student's age on each date
}

// floats returns n zeroed numbers for one event's counts, cut from a block made for
// the whole history (one allocation, not one an event).
func (c *classifier) floats(n int) []float64 {
	if len(c.block) < n {
		c.block = make([]float64, max(n, 2*n*len(c.out)))
	}
	out := c.block[:n:n]
	c.block = c.block[n:]
	return out
}

// capKey names the period a cap counts in: a school year, a term, an occurrence key or
// a run of consecutive school days.
type capKey struct {
	kind byte
	n    int
	date calendar.Date
	key  string
}

// period is what a cap has counted in one period.
type period struct {
	used float64
	days []calendar.Date
}

type capState struct {
	periods map[capKey]*period
	// runs without an occurrence key: the ordinal of the last school day of the group
	lastOrd int
	run     int
}

// item is one event on its way through classification.
type item struct {
	key     string // the canonical order of events that record the same thing
	i       int
	ev      *history.Event
	year    int
	ord     int
	version *policy.Version
	code    *codes.Code
}

func (c *classifier) run() {
	h := c.h
	if !c.asOf.IsZero() {
		c.closed = CaseClosed(c.p, h, c.asOf)
	}
	c.grade, c.ages = h.Student.GradeLevel(), h.Student.Ages()
	items := c.items[:0]
	for i := range h.Events {
		ev := &h.Events[i]
		if msg := c.check(ev); msg != "" {
			c.reject(i, msg)
			continue
		}
		v := c.p.At(ev.Date)
		code, ok := v.Codes.Lookup(ev.Code)
		if !ok {
			c.reject(i, fmt.Sprintf("unknown code %q%s", ev.Code, suggest.DidYouMean(ev.Code, codeIDs(v))))
			continue
		}
		year, _ := h.Calendar.YearOf(ev.Date)
		items = append(items, item{i: i, ev: ev, year: year, ord: h.Calendar.Ordinal(ev.Date), version: v, code: code})
	}
	// Date order; on one date an order that does not depend on the input's.
	// Items are in input order, which a stable sort keeps among equals.
	same := func(a, b item) int {
		if c := a.ev.Date.Compare(b.ev.Date); c != 0 {
			return c
		}
		if c := strings.Compare(a.ev.Code, b.ev.Code); c != 0 {
			return c
		}
		return cmp.Compare(a.ev.Minutes, b.ev.Minutes)
	}
	if !slices.IsSortedFunc(items, same) {
		slices.SortStableFunc(items, same)
	}
	// Events that record the same thing are put in an order of their own, not the input's.
	for k := 0; k < len(items); {
		j := k + 1
		for j < len(items) && same(items[k], items[j]) == 0 {
			j++
		}
		if j-k > 1 {
			for m := k; m < j; m++ {
				items[m].key = eventKey(items[m].ev)
			}
			slices.SortStableFunc(items[k:j], func(a, b item) int { return cmp.Or(strings.Compare(a.key, b.key), a.i-b.i) })
		}
		k = j
	}
	// The same code for the same time of one date is one event: the first keeps the
	// documents of all of them (whatever the order they came in), the others repeat it.
	for k := 0; k < len(items); {
		j := k + 1
		for j < len(items) && sameEvent(items[k].ev, items[j].ev) {
			j++
		}
		if j-k > 1 {
			merged := *items[k].ev
			for _, it := range items[k+1 : j] {
				merged.Documents = append(merged.Documents, it.ev.Documents...)
			}
			slices.Sort(merged.Documents)
			merged.Documents = slices.Compact(merged.Documents)
			items[k].ev = &merged
		}
		k = j
	}
	c.items = items
	for k := 0; k < len(items); {
		j := k + 1
		for j < len(items) && items[j].ev.Date == items[k].ev.Date {
			j++
		}
		c.day(items[k:j])
		k = j
	}
	c.flush(calendar.Date{})
}

func (c *classifier) reject(i int, msg string) {
	ev := c.h.Events[i]
	c.out[i] = Result{Date: ev.Date, Code: ev.Code, Rejected: msg, Notes: []Note{}, MissingDocuments: []string{}}
}

// check returns why an event cannot be classified, or "".
func (c *classifier) check(ev *history.Event) string {
	cal := c.h.Calendar
	switch {
	case ev.Date.IsZero():
		return "no date"
	case ev.Code == "":
		return "no code"
	case ev.Date.Before(cal.First()) || ev.Date.After(cal.Last()):
		return fmt.Sprintf("%s is outside the school calendar (%s to %s)", ev.Date, cal.First(), cal.Last())
	case !cal.IsSchoolDay(ev.Date):
		if wd := ev.Date.Weekday(); wd == 0 || wd == 6 {
			return fmt.Sprintf("%s is a %s, not a school day", ev.Date, wd)
		}
		return fmt.Sprintf("%s is not a school day (closed)", ev.Date)
	case len(c.h.Enrolment) > 0 && !c.h.Enrolment.Contains(ev.Date):
		return fmt.Sprintf("the student is not enrolled on %s", ev.Date)
	case ev.Minutes < 0:
		return fmt.Sprintf("minutes %d is negative", ev.Minutes)
	case ev.Minutes > cal.Minutes(ev.Date):
		return fmt.Sprintf("minutes %d is more than the day's %d", ev.Minutes, cal.Minutes(ev.Date))
	}
	return ""
}

// day decides the events of one date, then makes the day count at most once.
func (c *classifier) day(items []item) {
	first := items[0]
	c.flush(first.ev.Date)
	c.pendingDate, c.pendingYear = first.ev.Date, first.year
	if c.brief && len(c.dayEnvs) < len(items) {
		c.dayEnvs = make([]policy.Event, len(items))
	}
	if len(items) == 1 {
		r := &c.out[items[0].i]
		c.decide(items[0], r, c.envFor(items[0].i, 0), true)
		c.addPending(r)
		c.forget(items)
		return
	}
	if len(c.dup) == 0 {
		c.dup = slices.Grow(c.dup, len(c.out))[:len(c.out)]
		clear(c.dup)
	}
	for k, it := range items {
		if c.duplicateOf(items[:k], it) >= 0 {
			c.dup[it.i] = true // made below, once the event it repeats is settled
			continue
		}
		c.decide(it, &c.out[it.i], c.envFor(it.i, k), false)
	}
	c.settleDay(items)
	// A duplicate is the event it repeats, as settled, counted with it.
	for k, it := range items {
		if !c.dup[it.i] {
			continue
		}
		dup := c.duplicateOf(items[:k], it)
		r := c.out[dup]
		r.Code = it.ev.Code
		r.Minutes, r.Days = 0, 0
		r.Counts = make([]float64, len(r.Counts))
		r.Caps = nil // counted with that event
		if r.Env != nil {
			e := c.envFor(it.i, k)
			*e = *r.Env
			r.Env = e
		}
		if !c.brief {
			r.Notes = append(slices.Clone(r.Notes), Note{Source: "input", Text: fmt.Sprintf("duplicate of event %d (same date and code): the day is counted once, with that event", dup+1)})
		}
		c.out[it.i] = r
	}
	// The caps count the day as settled: an event a conflict made not excused is not
	// counted toward a cap of excused days.
	for _, it := range items {
		if r := &c.out[it.i]; r.Rejected == "" && !c.dup[it.i] {
			c.record(c.decided(it, r), r)
		}
		c.addPending(&c.out[it.i])
	}
	c.forget(items)
}

// envFor is where the decided event i, the k-th of its day, keeps what expressions saw:
// its own place in a full classification; under Brief a place for the day only.
func (c *classifier) envFor(i, k int) *policy.Event {
	if c.brief {
		return &c.dayEnvs[k]
	}
	if c.envs == nil {
		c.envs = make([]policy.Event, len(c.out))
	}
	return &c.envs[i]
}

// forget leaves the events of a decided day without Env under Brief, whose places the
// next day reuses.
func (c *classifier) forget(items []item) {
	if !c.brief {
		return
	}
	for _, it := range items {
		c.out[it.i].Env = nil
	}
}

// decided is what the caps and counts read of an event once decided: its effective
// code and its excuse.
func (c *classifier) decided(it item, r *Result) *state {
	code, ok := it.version.Codes.Lookup(r.EffectiveCode)
	if !ok {
		code = it.code
	}
	x, _ := codes.ParseExcuse(r.Excuse)
	return &state{it: it, code: code, excuse: x}
}

// addPending adds a decided event's counts to its date's totals.
func (c *classifier) addPending(r *Result) {
	if len(r.Counts) == 0 {
		return
	}
	if len(c.pending) < len(r.Counts) {
		c.pending = append(c.pending, make([]float64, len(r.Counts)-len(c.pending))...)
	}
	for k, v := range r.Counts {
		c.pending[k] += v
	}
}

// duplicateOf returns the index of an earlier event of the same date with the same
// code and minutes, or -1.
func (c *classifier) duplicateOf(before []item, it item) int {
	for _, b := range before {
		if sameEvent(b.ev, it.ev) {
			return b.i
		}
	}
	return -1
}

// sameEvent reports whether two events record the same thing: one date, one code, the
// same minutes.
func sameEvent(a, b *history.Event) bool {
	return a.Date == b.Date && a.Code == b.Code && a.Minutes == b.Minutes
}

// eventKey orders events that record the same thing, whatever their input order.
func eventKey(e *history.Event) string {
	docs := slices.Clone(e.Documents)
	slices.Sort(docs)
	return strings.Join(docs, ",") + "\x00" + e.Comment + "\x00" + e.Reason + "\x00" + e.Occurrence
}

// flush adds the totals of the date decided so far to its school year's totals.
func (c *classifier) flush(next calendar.Date) {
	if c.pendingDate.IsZero() || c.pendingDate == next {
		return
	}
	t := c.year[c.pendingYear]
	if len(t) < len(c.pending) {
		t = append(t, make([]float64, len(c.pending)-len(t))...)
	}
	for k, v := range c.pending {
		t[k] += v
	}
	c.year[c.pendingYear] = t
	c.pending = c.pending[:0]
	c.pendingDate = calendar.Date{}
}

// settleDay makes one school day at most one day: conflicting whole-day codes count
// once, as not excused; partial absences add up to at most the day's minutes.
func (c *classifier) settleDay(items []item) {
	var live []int // decided, not duplicates
	for _, it := range items {
		r := &c.out[it.i]
		if r.Rejected == "" && !c.dup[it.i] {
			live = append(live, it.i)
		}
	}
	if len(live) < 2 {
		return
	}
	itemOf := make(map[int]item, len(items))
	for _, it := range items {
		itemOf[it.i] = it
	}
	var whole []int
	for _, i := range live {
		if c.out[i].Whole {
			whole = append(whole, i)
		}
	}
	if len(whole) >= 2 {
		worst := "unverified"
		for _, i := range whole {
			if c.out[i].Excuse == "unexcused" {
				worst = "unexcused"
			}
		}
		counted := false
		for _, i := range whole {
			r := &c.out[i]
			var others []string
			for _, j := range whole {
				if j != i {
					others = append(others, fmt.Sprintf("event %d (%s)", j+1, c.out[j].Code))
				}
			}
			text := fmt.Sprintf("conflicts with %s on %s: two whole-day codes for one day; a person must resolve it", strings.Join(others, ", "), r.Date)
			if r.Status == "absent" {
				if r.Excuse != worst {
					text += fmt.Sprintf("; until then the day counts once, as %s", worst)
					c.downgrade(itemOf[i], r, worst)
				}
				if counted {
					r.Days, r.Minutes = 0, 0
					r.Counts = make([]float64, len(r.Counts))
				}
				counted = true
			}
			if !c.brief {
				r.Notes = append(r.Notes, Note{Source: "input", Text: text})
			}
		}
	}
	// Absences on one day add up to at most the day's minutes: a whole-day absence
	// first, then the partial ones in the day's canonical order.
	dayMin := c.h.Calendar.Minutes(items[0].ev.Date)
	order := slices.Clone(live)
	slices.SortStableFunc(order, func(a, b int) int {
		wa, wb := c.out[a].Whole && c.out[a].Days > 0, c.out[b].Whole && c.out[b].Days > 0
		switch {
		case wa && !wb:
			return -1
		case wb && !wa:
			return 1
		}
		return 0
	})
	total := 0
	for _, i := range order {
		r := &c.out[i]
		if r.Status != "absent" {
			continue
		}
		if total+r.Minutes > dayMin {
			keep := max(0, dayMin-total)
			scale := 0.0
			if r.Minutes > 0 {
				scale = float64(keep) / float64(r.Minutes)
			}
			if !c.brief {
				r.Notes = append(r.Notes, Note{Source: "input", Text: fmt.Sprintf("with the other absences of %s it adds up to more than the day's %d minutes: counted as %d minutes", r.Date, dayMin, keep)})
			}
			r.Minutes = keep
			r.Days = float64(keep) / float64(dayMin)
			for k := range r.Counts {
				r.Counts[k] *= scale
			}
		}
		total += r.Minutes
	}
}

// downgrade makes a decided event count as the excuse x (the worse excuse of a
// conflict): its excuse, Ed-Fi category, the event its expressions see, and what it
// adds to the counts.
func (c *classifier) downgrade(it item, r *Result, x string) {
	r.Excuse = x
	r.Env.Excuse = x
	s := c.decided(it, r)
	r.EdFi = edfiCategory(s.code, s.excuse)
	if r.Counts != nil {
		r.Counts = c.counts(it.version, r, s)
	}
}

// docNotes remembers the note on an unknown document of a version: an export that
// sends the same unknown document on many rows asks for the same suggestion each time.
var (
	docNotes     sync.Map // docKey -> string
	docNoteCount atomic.Int64
)

const maxDocNotes = 1 << 16

type docKey struct {
	v   *policy.Version
	doc string
}

// unknownDocument is the note on a document v does not know, with the closest it does.
func unknownDocument(v *policy.Version, doc string) string {
	key := docKey{v, doc}
	if text, ok := docNotes.Load(key); ok {
		return text.(string)
	}
	ids := make([]string, len(v.Documents))
	for i, t := range v.Documents {
		ids[i] = t.ID
	}
	text := fmt.Sprintf("unknown document %q ignored%s", doc, suggest.DidYouMean(doc, ids))
	if docNoteCount.Load() < maxDocNotes {
		if _, loaded := docNotes.LoadOrStore(key, text); !loaded {
			docNoteCount.Add(1)
		}
	}
	return text
}

// state is a classification in progress.
type state struct {
	it       item
	code     *codes.Code
	docs     codes.Requirement   // what excuses it
	instead  bool                // docs were set by an effect: they decide for any absent code
	extra    []codes.Requirement // also required
	forced   codes.Excuse        // the excuse an effect set, when isForced
	isForced bool
	excuse   codes.Excuse
	missing  codes.Missing     // what it lacks (see missingNow)
	lacking  codes.Requirement // what it lacks is what this requirement does, when lacks
	lacks    bool
	notes    []Note
	flags    []string
	steps    []string
	year     []float64
	received []string // the documents received by the as-of date
	caps     []string // the caps whose past effect it took
	viewOK   bool     // the classifier's view is the event as it stands (judge clears it)
}

// decide classifies the event of it into r. env is where r keeps the event as
// expressions saw it. alone says the event is the only one of its day, so that nothing can change its decision: decide also counts it
// toward the caps, and under Brief makes its Env only if a count or a cap reads it (see
// decidedEnv).
func (c *classifier) decide(it item, r *Result, env *policy.Event, alone bool) {
	v, ev := it.version, it.ev
	s := &state{it: it, code: it.code, docs: it.code.Documents, flags: c.h.Student.FlagsOn(ev.Date)}
	s.steps = c.stepsBefore(ev.Date)
	s.received = ev.Documents
	if !ev.Documented.IsZero() && !c.asOf.IsZero() && ev.Documented.After(c.asOf) {
		s.received = nil // documentation received after the as-of date has not come yet
	}
	if v.ReadsYear {
		s.year = c.floats(len(v.Counts))
		copy(s.year, c.year[it.year])
	}
	dayMin := c.h.Calendar.Minutes(ev.Date)
	c.base = policy.Event{
		DaysToDocument: c.daysToDocument(ev),
		Date:           ev.Date.String(), Weekday: ev.Date.Weekday().String(), Original: ev.Code,
		Minutes: ev.Minutes, DayMinutes: dayMin, Documents: s.received, Flags: s.flags,
		Comment: ev.Comment, Reason: ev.Reason, Occurrence: ev.Occurrence, Steps: s.steps,
		Age: c.ages.On(ev.Date), Grade: c.grade, Year: s.year,
	}
	c.judge(s)
	if !c.brief {
		s.note("code "+it.code.ID, describe(s), it.code.Citation)
	}

	applied := c.applied[:0]
	applied = append(applied, make([]bool, len(v.Rules))...)
	c.applied = applied
	c.rules(s, applied)
	if c.capsPast(s) {
		c.rules(s, applied) // a cap's effect may make another rule apply
	}
	c.deadlines(s)

	missing := s.missingNow()
	*r = Result{
		Date: ev.Date, Code: ev.Code, EffectiveCode: s.code.ID,
		Status: s.code.Status.String(), Excuse: s.excuse.String(), Span: s.code.Span.String(),
		MissingDocuments: missing.Documents, MissingFlags: missing.Flags,
		CommentRequired: it.code.Comment.Required, Notes: s.notes, Tags: s.code.Tags, Caps: s.caps,
	}
	if r.MissingDocuments == nil {
		r.MissingDocuments = []string{}
	}
	if !c.brief {
		if problem := it.code.Comment.Check(ev.Comment); problem != "" {
			r.Notes = append(r.Notes, Note{Source: "code " + it.code.ID + " comment", Text: problem, Citation: it.code.Citation})
		}
	}
	r.Minutes = ev.Minutes
	if s.code.Status == codes.Absent {
		if r.Minutes <= 0 || r.Minutes > dayMin {
			r.Minutes = dayMin
		}
	}
	if dayMin > 0 && (s.code.Status == codes.Absent || r.Minutes > 0) {
		r.Days = float64(r.Minutes) / float64(dayMin)
	}
	if s.code.Status == codes.Present {
		r.Days = 0
	}
	r.Whole = ev.Minutes == 0 && s.code.Span == codes.FullDay
	for _, doc := range ev.Documents {
		if !c.brief && !slices.ContainsFunc(v.Documents, func(t policy.Term) bool { return t.ID == doc }) {
			r.Notes = append(r.Notes, Note{Source: "input", Text: unknownDocument(v, doc)})
		}
	}
	if r.Notes == nil {
		r.Notes = []Note{}
	}
	r.EdFi = edfiCategory(s.code, s.excuse)
	c.lazyR, c.lazyEnv = nil, nil
	if alone && c.brief {
		c.lazyR, c.lazyEnv = r, env
	} else {
		c.keepEnv(r, env, s)
	}
	if c.withCounts || v.ReadsYear {
		r.Counts = c.counts(v, r, s)
	}
	if alone {
		c.record(s, r)
	}
}

// keepEnv keeps in env the event s as expressions saw it once decided as r.
func (c *classifier) keepEnv(r *Result, env *policy.Event, s *state) {
	*env = c.env(s)
	env.Minutes = r.Minutes
	r.Env = env
}

// decidedEnv is r's Env, made now from s, its decision, if decide left it to be made.
func (c *classifier) decidedEnv(r *Result, s *state) *policy.Event {
	if r.Env == nil && r == c.lazyR {
		c.keepEnv(r, c.lazyEnv, s)
	}
	return r.Env
}

// holds judges an Event condition on the event as it stands, remembering the result of
// a static condition (one that reads only the codes, status, excuse, span and tags) for
// every event alike in those.
func (c *classifier) holds(cond *policy.Condition, s *state) bool {
	ok, err := c.eval(cond, s)
	return ok && err == nil
}

// eval is holds with the condition's error; a condition whose static terms (its
// guard) fail is false without running.
func (c *classifier) eval(cond *policy.Condition, s *state) (bool, error) {
	if cond.Excludes(s.code.ID, s.it.ev.Code) {
		return false, nil
	}
	if g := cond.Guard(); g != nil && !c.holds(g, s) {
		return false, nil
	}
	if !cond.Static() {
		return cond.Eval(&c.r, c.envOf(s))
	}
	if held, known := cond.Recall(s.code, s.excuse); known {
		return held, nil
	}
	ok, err := cond.Eval(&c.r, c.envOf(s))
	if err != nil {
		return false, err
	}
	cond.Remember(s.code, s.excuse, ok)
	return ok, nil
}

// counts returns what a decided event adds to each declared count.
func (c *classifier) counts(v *policy.Version, r *Result, s *state) []float64 {
	out := c.floats(len(v.Counts))
	missed := r.Minutes
	var env any // the decided event, for a count that reads more than its code and excuse
	judge := func(cnt *policy.Count) bool {
		if cnt.When.Excludes(s.code.ID, s.it.ev.Code) {
			return false
		}
		if env == nil {
			env = c.decidedEnv(r, s)
		}
		held, err := cnt.When.Eval(&c.r, env)
		return held && err == nil
	}
	for k, cnt := range v.Counts {
		ok, known := cnt.When.Recall(s.code, s.excuse)
		if !known {
			ok = judge(cnt)
			cnt.When.Remember(s.code, s.excuse, ok) // kept only if the condition is static
		}
		if ok {
			out[k] = amount(cnt.Unit, missed, c.h.Calendar.Minutes(r.Date))
		}
	}
	return out
}

// amount is what an event of the given missed minutes adds in a unit.
func amount(u policy.Unit, minutes, dayMinutes int) float64 {
	switch u {
	case policy.Occasions:
		return 1
	case policy.Minutes:
		return float64(minutes)
	case policy.Hours:
		return float64(minutes) / 60
	}
	if dayMinutes <= 0 {
		return 0
	}
	return math.Min(1, float64(minutes)/float64(dayMinutes))
}

func (s *state) note(source, text, citation string) {
	s.notes = append(s.notes, Note{Source: source, Text: text, Citation: citation})
}

// judge sets the excuse from the current code, documentation and evidence.
func (c *classifier) judge(s *state) {
	s.viewOK = false
	s.missing, s.lacking, s.lacks = codes.Missing{}, codes.Requirement{}, false
	ev := codes.Evidence{Documents: s.received, Flags: s.flags}
	switch {
	case s.code.Status == codes.Present:
		s.excuse = codes.None
		// A present code's documentation is listed when missing; it never makes an absence.
		if !s.docs.IsZero() {
			s.lacking, s.lacks = s.docs, true
		}
	case s.code.Excuse == codes.Excused || s.instead:
		// An effect that says what excuses an absence instead (a medical letter) decides
		// for every absent code: documented, it excuses one that was not yet verified;
		// an unexcused code stays unexcused, and lists what would have excused it.
		req := s.docs
		if len(s.extra) > 0 {
			req = codes.All(append([]codes.Requirement{s.docs}, s.extra...)...)
		}
		ok := req.Satisfied(ev)
		switch {
		case ok && s.code.Excuse == codes.Unexcused:
			s.excuse = codes.Unexcused
		case ok:
			s.excuse = codes.Excused
		case s.code.Excuse == codes.Unexcused:
			s.excuse, s.lacking, s.lacks = codes.Unexcused, req, true
		default:
			s.excuse, s.lacking, s.lacks = codes.Unverified, req, true
		}
	default:
		s.excuse = s.code.Excuse
	}
	if s.isForced && s.code.Status == codes.Absent {
		s.excuse = s.forced
		if s.excuse != codes.Unverified && s.excuse != codes.Unexcused {
			s.lacks = false
		}
	}
}

// missingNow is what the event lacks as judged: judge leaves the list to be made when
// first asked, since a decision often judges again before anything reads it.
func (s *state) missingNow() codes.Missing {
	if s.lacks {
		s.missing = s.lacking.Lacks(codes.Evidence{Documents: s.received, Flags: s.flags})
		s.lacks = false
	}
	return s.missing
}

func describe(s *state) string {
	switch s.excuse {
	case codes.None:
		return "counts as present"
	case codes.Excused:
		if s.docs.IsZero() {
			return "excused"
		}
		return "excused: documented by " + s.docs.String()
	case codes.Unverified:
		if s.code.Excuse == codes.Excused {
			return "unverified until documented by " + s.docs.String()
		}
		return "unverified: the cause is not yet known to excuse it"
	}
	return s.excuse.String()
}

// apply carries out an effect and judges again.
func (c *classifier) apply(s *state, e policy.Effect) {
	if e.Recodes() {
		to, ok := e.RecodeTo(s.code.ID)
		if code, found := s.it.version.Codes.Lookup(to); ok && found && code.ID != s.code.ID {
			s.code = code
			if !s.instead {
				s.docs = code.Documents
			}
		}
	}
	if e.Documents != nil {
		s.docs, s.instead = *e.Documents, true
	}
	if e.Require != nil {
		s.extra = append(s.extra, *e.Require)
	}
	if e.ExcuseSet {
		s.forced, s.isForced = e.Excuse, true
	}
	c.judge(s)
}

// rules runs the classification rules and the effects of steps in force until none
// applies any more, each at most once.
func (c *classifier) rules(s *state, applied []bool) {
	v := s.it.version
	for changed := true; changed && len(v.Rules) > 0; {
		changed = false
		for k, ru := range v.Rules {
			if applied[k] || ru.When.Excludes(s.code.ID, s.it.ev.Code) || (ru.Step != "" && !c.inEffect(ru, s.it)) {
				continue
			}
			ok, err := c.eval(ru.When, s)
			if err != nil {
				applied[k] = true
				if !c.brief {
					s.note(ru.Source(), "not applied: the condition failed to run", ru.Citation)
				}
				continue
			}
			if !ok {
				continue
			}
			applied[k], changed = true, true
			before, beforeCode := s.excuse, s.code.ID
			c.apply(s, ru.Then)
			if c.brief {
				continue
			}
			text := ru.Then.Note
			if text == "" {
				text = effectText(ru.Then)
			}
			if s.code.ID != beforeCode {
				text += fmt.Sprintf(" (re-coded %s to %s)", beforeCode, s.code.ID)
			}
			if before != s.excuse {
				text += fmt.Sprintf(" (%s, not %s)", s.excuse, before)
			}
			s.note(ru.Source(), text, ru.Citation)
		}
	}
}

// capsPast applies each cap whose limit was reached before this event, and reports
// whether any did.
func (c *classifier) capsPast(s *state) bool {
	spent := false
	for _, cp := range s.it.version.Caps {
		if !c.capMatches(cp, s, nil) {
			continue
		}
		pd := c.period(cp, s.it)
		if slices.Contains(pd.days, s.it.ev.Date) {
			continue // the day is already counted
		}
		used := pd.used
		if used+1e-9 < float64(cp.Limit) {
			continue
		}
		before := s.excuse
		spent = true
		s.caps = append(s.caps, cp.ID)
		c.apply(s, cp.Past)
		if c.brief {
			continue
		}
		text := fmt.Sprintf("%s %s used %s, the limit is %d: %s", policy.FormatNumber(used), capWhat(cp, used), perText(cp.Per), cp.Limit, effectText(cp.Past))
		if cp.Past.Note != "" {
			text = cp.Past.Note + " " + text
		}
		if before != s.excuse {
			text += fmt.Sprintf(" (%s, not %s)", s.excuse, before)
		}
		s.note("cap "+cp.ID, text, cp.Citation)
	}
	return spent
}

// record counts a decided event toward the caps that match it.
func (c *classifier) record(s *state, r *Result) {
	var env any // the decided event, for a cap with a condition
	for _, cp := range s.it.version.Caps {
		if !cp.CountsAll && s.excuse != codes.Excused || !cp.Covers(s.code) {
			continue
		}
		if cp.When != nil {
			if env == nil {
				env = c.decidedEnv(r, s)
			}
			if !c.capMatches(cp, s, env) {
				continue
			}
		}
		if !slices.Contains(r.Caps, cp.ID) {
			r.Caps = append(r.Caps, cp.ID)
		}
		pd := c.period(cp, s.it)
		first := !slices.Contains(pd.days, s.it.ev.Date)
		if first {
			pd.days = append(pd.days, s.it.ev.Date)
		}
		switch cp.Unit {
		case policy.Occasions:
			if first {
				pd.used++
			}
		case policy.Minutes:
			pd.used += float64(r.Minutes)
		default:
			pd.used += amount(policy.Days, r.Minutes, c.h.Calendar.Minutes(r.Date))
		}
	}
}

// period returns what cp has counted in the period of an event.
func (c *classifier) period(cp *policy.Cap, it item) *period {
	key := c.capKey(cp, it)
	st := c.capState(cp)
	pd := st.periods[key]
	if pd == nil {
		pd = &period{}
		st.periods[key] = pd
	}
	return pd
}

// capMatches reports whether cp counts the event; env is the event as decided, or nil
// for the event as it stands.
func (c *classifier) capMatches(cp *policy.Cap, s *state, env any) bool {
	if !cp.Covers(s.code) {
		return false
	}
	if cp.When != nil {
		if env == nil {
			env = c.envOf(s)
		}
		ok, err := cp.When.Eval(&c.r, env)
		return err == nil && ok
	}
	return true
}

// capKey names the period a cap counts an event in: its school year, its term, or its
// occurrence (the event's occurrence key, or else a run of consecutive school days of
// the group).
func (c *classifier) capKey(cp *policy.Cap, it item) capKey {
	switch cp.Per {
	case policy.PerTerm:
		return capKey{kind: 't', date: c.h.Calendar.Term(it.ev.Date).From}
	case policy.PerOccurrence:
		if it.ev.Occurrence != "" {
			return capKey{kind: 'o', key: it.ev.Occurrence}
		}
		st := c.capState(cp)
		if it.ord != st.lastOrd && it.ord != st.lastOrd+1 {
			st.run++
		}
		st.lastOrd = it.ord
		return capKey{kind: 'r', n: st.run}
	}
	return capKey{kind: 'y', n: it.year}
}

func (c *classifier) capState(cp *policy.Cap) *capState {
	st := c.caps[cp.ID]
	if st == nil {
		st = &capState{periods: map[capKey]*period{}, lastOrd: -2}
		c.caps[cp.ID] = st
	}
	return st
}

// deadlines applies the documentation deadlines passed by the as-of date.
func (c *classifier) deadlines(s *state) {
	if c.asOf.IsZero() {
		return
	}
	for _, dl := range s.it.version.Deadlines {
		if !c.holds(dl.When, s) {
			continue
		}
		from := s.it.ev.Date
		if dl.FromReturn {
			ret, returned := c.returnDate(from)
			if !returned {
				continue
			}
			from = ret
		}
		by := from
		if dl.SchoolDays > 0 {
			d, found := c.h.Calendar.After(from, dl.SchoolDays)
			if !found {
				continue
			}
			by = d
		}
		if !c.asOf.After(by) {
			continue
		}
		before := s.excuse
		c.apply(s, dl.Then)
		if c.brief {
			continue
		}
		text := dl.Then.Note
		if text == "" {
			text = effectText(dl.Then)
		}
		text += fmt.Sprintf(" (due by %s; as of %s)", by, c.asOf)
		if before != s.excuse {
			text += fmt.Sprintf(" (%s, not %s)", s.excuse, before)
		}
		s.note("deadline "+dl.ID, text, dl.Citation)
	}
}

// daysToDocument is how many calendar days after the student's return (or after the
// absence, while the student has not returned) the documentation of ev was received, or
// -1 when the history does not say.
func (c *classifier) daysToDocument(ev *history.Event) int {
	if ev.Documented.IsZero() {
		return -1
	}
	c.needWholeAbsent()
	from := ev.Date
	if ret, ok := c.returnDate(ev.Date); ok {
		from = ret
	}
	return max(0, ev.Documented.Sub(from))
}

// needWholeAbsent builds the dates the student missed whole, for return dates.
func (c *classifier) needWholeAbsent() {
	if c.wholeBuilt {
		return
	}
	c.wholeBuilt = true
	for _, it := range c.items { // in date order
		if it.code.Status == codes.Absent && (it.ev.Minutes == 0 || it.ev.Minutes >= c.h.Calendar.Minutes(it.ev.Date)) {
			if n := len(c.wholeAbsent); n == 0 || c.wholeAbsent[n-1] != it.ev.Date {
				c.wholeAbsent = append(c.wholeAbsent, it.ev.Date)
			}
		}
	}
}

// returnDate returns the first school day after d, on or before the as-of date, that
// the student did not miss whole.
func (c *classifier) returnDate(d calendar.Date) (calendar.Date, bool) {
	c.needWholeAbsent()
	cal := c.h.Calendar
	for next, ok := cal.After(d, 1); ok && !next.After(c.asOf); next, ok = cal.After(next, 1) {
		if _, missed := slices.BinarySearchFunc(c.wholeAbsent, next, calendar.Date.Compare); !missed && (len(c.h.Enrolment) == 0 || c.h.Enrolment.Contains(next)) {
			return next, true
		}
	}
	return calendar.Date{}, false
}

// inEffect reports whether a step's effect applies to an event: the step was done
// before its date in the same school year, or, for an effect on the school year
// (applies: school-year), at any time in its school year up to the as-of date. An
// effect ends with the school year unless the step is done again.
func (c *classifier) inEffect(ru *policy.Rule, it item) bool {
	for _, iv := range c.h.Interventions {
		if iv.Step != ru.Step || (!c.asOf.IsZero() && iv.Date.After(c.asOf)) || !iv.Date.After(c.closed) {
			continue
		}
		if y, ok := c.h.Calendar.YearOf(iv.Date); !ok || y != it.year {
			continue
		}
		if ru.SchoolYear || iv.Date.Before(it.ev.Date) {
			return true
		}
	}
	return false
}

func (c *classifier) stepsBefore(d calendar.Date) []string {
	var out []string
	n := 0 // the interventions that count
	for _, iv := range c.h.Interventions {
		if iv.Date.Before(d) && (c.asOf.IsZero() || !iv.Date.After(c.asOf)) {
			n++
		}
	}
	if n == c.stepsN {
		return c.steps // the same interventions as for the date before (none at first): the same list
	}
	for _, iv := range c.h.Interventions {
		if iv.Date.Before(d) && (c.asOf.IsZero() || !iv.Date.After(c.asOf)) && !slices.Contains(out, iv.Step) {
			out = append(out, iv.Step)
		}
	}
	c.steps, c.stepsN = out, n
	return out
}

// env is the [policy.Event] the pack's expressions see for s, the event being decided.
func (c *classifier) env(s *state) policy.Event {
	e := c.base
	e.Code, e.Status, e.Excuse, e.Span = s.code.ID, s.code.Status.String(), s.excuse.String(), s.code.Span.String()
	e.Tags, e.Missing = s.code.Tags, s.missingNow().Documents
	if e.Minutes <= 0 && s.code.Status == codes.Absent {
		e.Minutes = e.DayMinutes
	}
	return e
}

// envOf is the event as it stands, for expressions: s's own copy, so that judging a
// condition boxes no new value.
func (c *classifier) envOf(s *state) *policy.Event {
	if !s.viewOK {
		c.view, s.viewOK = c.env(s), true
	}
	return &c.view
}

// edfiCategory is the Ed-Fi category of a decided event: the code's own, except that a
// code that excuses once documented, but was not excused (documentation missing, a cap
// spent, a rule), reports as an unexcused absence.
func edfiCategory(code *codes.Code, x codes.Excuse) string {
	if code.EdFi == codes.EdFiExcusedAbsence && code.Excuse == codes.Excused && x != codes.Excused {
		return codes.EdFiUnexcusedAbsence
	}
	return code.EdFi
}

// capWhat names what a cap counts, n of them: "days of PAA/PMD", "1 minute".
func capWhat(cp *policy.Cap, n float64) string {
	unit := "days"
	if cp.Unit == policy.Minutes {
		unit = "minutes"
	}
	if n == 1 {
		unit = strings.TrimSuffix(unit, "s")
	}
	if len(cp.Codes) > 8 {
		return unit
	}
	return unit + " of " + strings.Join(cp.Codes, "/")
}

func perText(p policy.Per) string {
	switch p {
	case policy.PerOccurrence:
		return "in this occurrence"
	case policy.PerTerm:
		return "this term"
	}
	return "this school year"
}

// effectText describes an effect for people.
func effectText(e policy.Effect) string {
	var parts []string
	if e.Recodes() {
		var pairs []string
		for _, pr := range e.RecodePairs() {
			if pr[0] == "*" {
				pairs = append(pairs, "re-code to "+pr[1])
			} else {
				pairs = append(pairs, pr[0]+" becomes "+pr[1])
			}
		}
		slices.Sort(pairs)
		parts = append(parts, strings.Join(pairs, ", "))
	}
	if e.Documents != nil {
		parts = append(parts, "only "+e.Documents.String()+" excuses it")
	}
	if e.Require != nil {
		parts = append(parts, "also requires "+e.Require.String())
	}
	if e.ExcuseSet {
		parts = append(parts, "counts as "+e.Excuse.String())
	}
	if e.Note != "" && len(parts) == 0 {
		return e.Note
	}
	return strings.Join(parts, "; ")
}

func codeIDs(v *policy.Version) []string {
	ids := make([]string, 0, v.Codes.Len())
	for _, c := range v.Codes.All() {
		ids = append(ids, c.ID)
	}
	return ids
}

// CaseClosed returns the date a case was closed as seen on at: the latest outcome date,
// on or before at, of an intervention whose outcome its step lists in resets_on (zero
// when none). Steps done on or before it no longer count as done, and the school
// year's counts start the day after it.
func CaseClosed(p *policy.Pack, h *history.History, at calendar.Date) calendar.Date {
	var out calendar.Date
	for _, iv := range h.Interventions {
		o := iv.OutcomeSeen(at)
		if o == "" || iv.Date.After(at) {
			continue
		}
		s, ok := p.At(iv.Date).Step(iv.Step)
		if !ok || !slices.Contains(s.ResetsOn, o) {
			continue
		}
		when := iv.OutcomeDate
		if when.IsZero() {
			when = iv.Date
		}
		if when.After(out) {
			out = when
		}
	}
	return out
}
