package rollcall

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/internal/district"
)

// The ccs classification through the pack (YAML, expressions) against the same
// classification written by hand in Go: every code of the pack with its documentation,
// the comment rule, the two caps, the rules (full-day codes, untyped appointments, late
// notes), the documentation deadline, the calendar and enrolment checks and one school
// day at most one day. TestHandClassifierMatchesEngine checks that both give the same
// key fields of every event on thousands of generated histories, so that the
// benchmarks compare like with like.

// benchHistory is a 180-school-day CCS year (the 2024-2025 calendar ending Wed
// 2025-06-04: 182 - 2 = 180 school days) with 20 absences of mixed codes: eleven
// parent-authorized days (the 10th past the cap, the 11th with more documents), a
// four-day Death of Relative run (the 4th past its cap), MED with and without a
// note and with "appointment" and a medical note, a TUX of 100 minutes and an UNX.
func benchHistory(t testing.TB) *History {
	t.Helper()
	y := year2425()
	y.LastDay = d("2025-06-04")
	cal := newCalendar(t, y)
	require.Equal(t, 180, cal.SchoolDays(cal.First(), cal.Last()), "180 school days")
	e := func(date, code string, minutes int, reason string, docs ...string) Event {
		return Event{Date: d(date), Code: code, Minutes: minutes, Reason: reason, Documents: docs, Comment: "details"}
	}
	return &History{Student: Student{ID: "B1", Grade: "7"}, Calendar: cal, Events: []Event{
		e("2024-09-03", "PAA", 0, "", "parent-note"),
		e("2024-09-10", "PAA", 0, "", "parent-note"),
		e("2024-09-17", "PAE", 90, "", "parent-note", "release-log"),
		e("2024-09-24", "PAA", 0, "", "parent-note"),
		e("2024-10-01", "PAL", 60, "", "parent-note", "release-log"),
		e("2024-10-08", "PAA", 0, "", "parent-note"),
		e("2024-10-15", "PAA", 0, "", "parent-note"),
		e("2024-10-22", "PAA", 0, "", "parent-note"),
		e("2024-10-29", "PAA", 0, "", "parent-note"), // 9th day
		e("2024-11-12", "PAA", 0, "", "parent-note"), // 10th: unverified
		e("2024-11-19", "PAA", 0, "", "parent-note", "principal-approval"),
		e("2024-12-02", "DOR", 0, "", "obituary"),
		e("2024-12-03", "DOR", 0, "", "obituary"),
		e("2024-12-04", "DOR", 0, "", "obituary"),
		e("2024-12-05", "DOR", 0, "", "obituary"), // 4th: unverified
		e("2025-01-13", "MED", 0, "flu", "medical-note"),
		e("2025-01-14", "MED", 0, "flu"),
		e("2025-02-04", "MED", 0, "appointment", "medical-note"),
		e("2025-02-05", "TUX", 100, "", "late-arrival-log"),
		e("2025-03-04", "UNX", 0, ""),
	}}
}

// benchWant is the excuse of each benchHistory event as of its last event (03-04), by
// hand (seed 004 and the pack's decisions): the 10th parent-authorized day, the 4th day
// of the death and the MED without a note were unverified, and their documentation was
// due within 2 school days of the student's return: by 03-04 they are unexcused. The
// MED whose medical note states the appointment is excused (decision 4).
var benchWant = []string{
	"excused", "excused", "excused", "excused", "excused", "excused", "excused", "excused", "excused",
	"unexcused", "excused",
	"excused", "excused", "excused", "unexcused",
	"excused", "unexcused", "excused", "unexcused", "unexcused",
}

func TestHandWrittenMatchesEngine(t *testing.T) {
	h := benchHistory(t)
	got := classifyH(t, "ccs", h)
	hand := handClassify(h, d("2025-03-04"))
	require.Len(t, hand, len(h.Events))
	for i := range h.Events {
		assert.Equal(t, benchWant[i], got.Events[i].Excuse, "engine, event %d (%s %s)", i+1, h.Events[i].Date, h.Events[i].Code)
		assert.Equal(t, benchWant[i], hand[i].Excuse, "hand-written, event %d (%s %s)", i+1, h.Events[i].Date, h.Events[i].Code)
		assert.Equal(t, handKey(got.Events[i]), hand[i], "event %d", i+1)
	}
}

// handKey is the key fields of a classified event: what the hand-written classifiers
// produce. Notes (the explanations) are the engine's alone.
func handKey(c Classified) Classified {
	out := Classified{Date: c.Date, Code: c.Code, EffectiveCode: c.EffectiveCode, Status: c.Status, Excuse: c.Excuse, Span: c.Span,
		Minutes: c.Minutes, Days: c.Days, MissingDocuments: c.MissingDocuments, MissingFlags: c.MissingFlags,
		CommentRequired: c.CommentRequired, Rejected: c.Rejected}
	if out.MissingDocuments == nil {
		out.MissingDocuments = []string{}
	}
	if len(out.MissingFlags) == 0 {
		out.MissingFlags = nil
	}
	return out
}

// generated draws n students of a synthetic district (internal/district, as
// `attendance report` is measured on) with the codes of pack, as histories, and with
// messy, some of what the generator never writes: reasons naming an appointment,
// late documentation, a student flag, enrolment from later in the year, the same event
// twice, two whole-day codes on one day, partial minutes on a full-day code, events on
// days without school or of more minutes than the day has, an occurrence key.
func generated(t testing.TB, pack string, n int, seed uint64, messy bool) []*History {
	t.Helper()
	g, err := district.New(engine(t, pack).Pack(), seed, max(1, n/600))
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(seed, 77))
	out := make([]*History, n)
	for i := range out {
		h := g.Next()
		out[i] = g.History(h)
		if messy && r.IntN(3) == 0 {
			mess(r, out[i], messCodes[pack])
		}
	}
	return out
}

// messCodes are the codes mess adds as a second code on a day, by pack.
var messCodes = map[string][]string{
	"ccs":        {"UNX", "MED", "PAA", "ABU", "EXC", "DOR", "PMD"},
	"il-roe-sop": {"UNX", "ECE", "ILL", "VAC", "MED", "VACU"},
}

func mess(r *rand.Rand, h *History, codes []string) {
	cal := h.Calendar
	evs := h.Events
	if len(evs) == 0 {
		return
	}
	pick := func() *Event { return &evs[r.IntN(len(evs))] }
	for range 1 + r.IntN(3) {
		switch r.IntN(14) {
		case 0:
			pick().Reason = []string{"appointment", "dentist appointment", "appts", "family"}[r.IntN(4)]
		case 1:
			e := pick()
			e.Documented = e.Date.AddDays(r.IntN(20))
		case 2:
			h.Student.Flags = append(h.Student.Flags, Flag{Name: "project-connect"})
		case 3:
			from, _ := cal.Day(r.IntN(40))
			h.Enrolment = calendar.Enrolment{{From: from}}
		case 4:
			e := *pick()
			h.Events = append(h.Events, e) // the same event twice
		case 5:
			e := *pick()
			e.Code, e.Minutes, e.Documents = codes[r.IntN(len(codes))], 0, nil
			h.Events = append(h.Events, e) // a second code on the day
		case 6:
			e := pick()
			e.Minutes = 1 + r.IntN(cal.Minutes(e.Date)+20)
		case 7:
			e := pick()
			e.Date = e.Date.AddDays(1 + r.IntN(3)) // maybe a weekend or a holiday
		case 8:
			e := pick()
			e.Occurrence = "o1"
		case 9:
			e := pick()
			e.Documents = append(e.Documents, []string{"medical-note", "principal-approval", "parent-note", "nurse-note", "reasonable-cause", "release-log"}[r.IntN(6)])
		case 10:
			e := *pick()
			e.Date = e.Date.AddDays(1)
			h.Events = append(h.Events, e) // a run of days
		case 11:
			e := pick()
			e.Comment = ""
		case 12: // a family that codes its absences with the pack's first codes
			for i := range h.Events {
				if e := &h.Events[i]; e.Minutes == 0 && r.IntN(4) > 0 {
					e.Code = codes[1+r.IntN(min(3, len(codes)-1))]
					e.Documents = []string{"parent-note", "medical-note", "obituary", "phone-report"}[:r.IntN(4)]
				}
			}
		case 13: // a run of school days on one code
			start := pick().Date
			code := codes[r.IntN(len(codes))]
			for k := range 2 + r.IntN(4) {
				if day, ok := cal.After(start, k+1); ok {
					h.Events = append(h.Events, Event{Date: day, Code: code, Documents: []string{"obituary", "parent-note", "reasonable-cause"}[:r.IntN(3)]})
				}
			}
		}
		evs = h.Events
	}
}

// asOfDates are the dates a generated history is classified or evaluated on: the end of
// the year and days during it.
var asOfDates = []string{"2025-05-16", "2024-10-31", "2025-02-14", "2025-03-31"}

// The hand-written ccs classifier gives the key fields of the engine's classification
// of every event of thousands of generated histories (some messy), as of several dates.
func TestHandClassifierMatchesEngine(t *testing.T) {
	e := engine(t, "ccs")
	n, events := 0, 0
	for _, h := range generated(t, "ccs", 3000, 11, true) {
		for _, a := range asOfDates {
			asOf := d(a)
			cls, _ := e.Classify(h, asOf)
			require.NotNil(t, cls)
			hand := handClassify(h, asOf)
			for i := range h.Events {
				if !assert.Equal(t, handKey(cls.Events[i]), hand[i], "%s event %d (%s %s) as of %s", h.Student.ID, i+1, h.Events[i].Date, h.Events[i].Code, a) {
					t.FailNow()
				}
			}
			events += len(h.Events)
		}
		n++
	}
	assert.Equal(t, 3000, n)
	assert.Greater(t, events, 100000)
}

// ccsDistrict is the roster the classification benchmarks run on: 2,000 students of a
// generated ccs district (about 24,000 events), classified as of the year's last day.
func ccsDistrict(b *testing.B) []*History { return generated(b, "ccs", 2000, 5, false) }

// BenchmarkClassify classifies every student of a generated ccs district: through the
// pack (engine, with its notes; engine-brief, without them, as the hand-written one)
// and by hand; one op is the whole roster.
func BenchmarkClassify(b *testing.B) {
	hs := ccsDistrict(b)
	asOf := d("2025-05-16")
	benchEngines(b, "ccs", hs, func(e *Engine, h *History) error {
		_, err := e.Classify(h, asOf)
		return err
	})
	b.Run("hand", func(b *testing.B) { perStudent(b, hs, func(h *History) { handClassify(h, asOf) }) })
}

// benchEngines runs each over every history of hs through the engine of pack, as the
// sub-benchmarks engine (with its notes and clauses) and engine-brief (Brief: without
// them, as the hand-written versions).
func benchEngines(b *testing.B, pack string, hs []*History, each func(*Engine, *History) error) {
	full := engine(b, pack)
	for _, e := range []struct {
		name string
		e    *Engine
	}{{"engine", full}, {"engine-brief", full.With(Brief())}} {
		b.Run(e.name, func(b *testing.B) {
			perStudent(b, hs, func(h *History) {
				if err := each(e.e, h); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// perStudent runs each over every history of a roster as one op, and reports the
// allocations and the time a student.
func perStudent(b *testing.B, hs []*History, each func(*History)) {
	b.ReportAllocs()
	for b.Loop() {
		for _, h := range hs {
			each(h)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(hs)), "ns/student")
}

// The hand-written classifier: the ccs pack (seed 004, over ohio) as plain Go: a table
// of codes, document checks, cap counting, the rules as conditions in code. No expr, no
// YAML.

// handCode is one code of the ccs pack.
type handCode struct {
	present bool
	excuse  string   // absent: the excuse once documented (excused, unexcused, unverified)
	span    string   // full-day, early-leave, late-arrival, class-period
	all     []string // every one of these documents
	any     []string // and one of these
	flag    string   // and this student flag
	comment bool     // a comment is required
}

var (
	handEXC = []string{"court-document", "religious-note", "college-visit-note", "principal-approval"}
	handMED = []string{"medical-note", "principal-approval"}
	handCVE = []string{"parent-email", "absence-notification-form", "nurse-note", "parent-letter-sent-home", "medical-note"}
	handSSK = []string{"district-calendar", "school-letter"}
	// past the 9 parent-authorized days
	handPAPast = []string{"medical-note", "principal-approval", "court-document", "religious-note", "college-visit-note"}
)

func handAbsent(excuse, span string, all []string, any ...string) *handCode {
	if span == "" {
		span = "full-day"
	}
	return &handCode{excuse: excuse, span: span, all: all, any: any, comment: true}
}

func one(doc string) []string { return []string{doc} }

var handCodes = map[string]*handCode{
	"CEX": {present: true, span: "full-day", all: one("activity-roster"), comment: true},
	"DOR": handAbsent("excused", "", one("obituary")),
	"EXC": handAbsent("excused", "", nil, handEXC...),
	"ELV": handAbsent("excused", "early-leave", one("release-log"), handEXC...),
	"ELU": handAbsent("unexcused", "early-leave", one("release-log")),
	"FCE": handAbsent("excused", "", nil, "foster-care-agreement", "court-document"),
	"HIN": handAbsent("excused", "", one("home-instruction-letter")),
	"INS": handAbsent("excused", "", nil, "court-document", "facility-document"),
	"SSK": handAbsent("excused", "", nil, handSSK...),
	"LBS": handAbsent("excused", "late-arrival", nil, "bus-log", "transport-verification"),
	"MED": handAbsent("excused", "", nil, handMED...),
	"MEL": handAbsent("excused", "early-leave", one("release-log"), handMED...),
	"MLA": handAbsent("excused", "late-arrival", one("late-arrival-log"), handMED...),
	"MCW": handAbsent("excused", "", nil, "medical-note", "iep", "classwork-note"),
	"NCH": handAbsent("excused", "", nil, "nch-report", "nch-notification"),
	"CVE": handAbsent("excused", "", nil, handCVE...),
	"CVP": handAbsent("excused", "", nil, handCVE...),
	"CVS": handAbsent("excused", "", nil, "nurse-note", "parent-letter-sent-home"),
	"PAA": handAbsent("excused", "", one("parent-note")),
	"PAE": handAbsent("excused", "early-leave", []string{"parent-note", "release-log"}),
	"PAL": handAbsent("excused", "late-arrival", []string{"parent-note", "release-log"}),
	"PCE": {excuse: "excused", span: "full-day", all: one("parent-note"), flag: "project-connect", comment: true},
	"SSP": handAbsent("excused", "", nil, handSSK...),
	"PMD": handAbsent("excused", "", one("parent-note")),
	"PME": handAbsent("excused", "early-leave", []string{"parent-note", "release-log"}),
	"PML": handAbsent("excused", "late-arrival", []string{"parent-note", "release-log"}),
	"TEX": handAbsent("excused", "late-arrival", one("late-arrival-log"), handEXC...),
	"TIC": handAbsent("unexcused", "", one("tic-document")),
	"TTC": {present: true, span: "class-period", comment: true},
	"TUX": handAbsent("unexcused", "late-arrival", one("late-arrival-log")),
	"TWP": handAbsent("excused", "", one("transport-verification")),
	"UNX": {excuse: "unexcused", span: "full-day"},
	"PVD": {present: true, span: "full-day", all: one("change-request"), comment: true},
	"TPD": handAbsent("unexcused", "", one("plp-contact-log")),
	"FIC": handAbsent("excused", "", one("faculty-icd-email")),
	"SIC": handAbsent("excused", "", one("student-icd-notification")),
	"ISS": {present: true, span: "full-day", any: []string{"behavior-resolution", "iss-roster"}, comment: true},
	"OSH": handAbsent("excused", "", one("oss-documentation")),
	"PAS": handAbsent("excused", "", one("pals-assignment")),
	"DRM": handAbsent("excused", "", nil, "hearing-resolution", "behavior-letter"),
	"ABU": {excuse: "unverified", span: "full-day"},
}

// check reports whether documents and flags satisfy the code's documentation, and if
// not what is missing (every alternative of a group), with extra requirements after.
func (c *handCode) check(docs, flags []string, extra [][]string) (bool, []string, []string) {
	var miss, missFlags []string
	add := func(names ...string) {
		for _, n := range names {
			if !slices.Contains(miss, n) {
				miss = append(miss, n)
			}
		}
	}
	for _, doc := range c.all {
		if !slices.Contains(docs, doc) {
			add(doc)
		}
	}
	if len(c.any) > 0 && !handHasAny(docs, c.any...) {
		add(c.any...)
	}
	if c.flag != "" && !slices.Contains(flags, c.flag) {
		missFlags = append(missFlags, c.flag)
	}
	for _, x := range extra {
		if !handHasAny(docs, x...) {
			add(x...)
		}
	}
	return len(miss) == 0 && len(missFlags) == 0, miss, missFlags
}

var (
	handAppointment = regexp.MustCompile(`(?i)\b(appointment|appt)s?\b`)
	handTyped       = regexp.MustCompile(`(?i)\b(doctor|dr|dentist|dental|orthodont\w*|medical|physician|pediatric\w*|clinic|hospital|therap\w*|counsel\w*|psychiatr\w*|psycholog\w*|optometr\w*|eye|vision|hearing|surgery|court|legal|immigration)\b`)
)

func handHasAny(docs []string, names ...string) bool {
	for _, n := range names {
		if slices.Contains(docs, n) {
			return true
		}
	}
	return false
}

// handCap is what a cap has counted in one period.
type handCap struct {
	used float64
	days []calendar.Date
}

// handClassifier classifies one history as of a date.
type handClassifier struct {
	h     *History
	cal   *calendar.Calendar
	asOf  calendar.Date
	whole map[calendar.Date]bool // days missed whole, for return dates
	pa    map[int]*handCap       // parent-authorized days by school year
	dor   map[string]*handCap    // death-of-relative days by occurrence
	run   int                    // death of relative: the current run of consecutive days
	last  int                    // and the ordinal of its last day
}

// handState is one event being decided.
type handState struct {
	code       *handCode
	id         string
	ev         *Event
	docs       []string // received by the as-of date
	extra      [][]string
	forced     string
	excuse     string
	miss, flag []string
}

func (c *handClassifier) judge(s *handState) {
	s.miss, s.flag = nil, nil
	switch {
	case s.code.present:
		s.excuse = "none"
		if ok, m, f := s.code.check(s.docs, c.h.Student.FlagsOn(s.ev.Date), nil); !ok {
			s.miss, s.flag = m, f
		}
	case s.code.excuse == "excused":
		ok, m, f := s.code.check(s.docs, c.h.Student.FlagsOn(s.ev.Date), s.extra)
		if ok {
			s.excuse = "excused"
		} else {
			s.excuse, s.miss, s.flag = "unverified", m, f
		}
	default:
		s.excuse = s.code.excuse
	}
	if s.forced != "" && !s.code.present {
		s.excuse = s.forced
	}
}

// returnDate is the first school day after day, on or before the as-of date, that the
// student did not miss whole.
func (c *handClassifier) returnDate(day calendar.Date) (calendar.Date, bool) {
	for next, ok := c.cal.After(day, 1); ok && !next.After(c.asOf); next, ok = c.cal.After(next, 1) {
		if !c.whole[next] && (len(c.h.Enrolment) == 0 || c.h.Enrolment.Contains(next)) {
			return next, true
		}
	}
	return calendar.Date{}, false
}

// rules applies the pack's four classification rules, each at most once, until none
// applies.
func (c *handClassifier) rules(s *handState, applied *[4]bool) {
	dayMin := c.cal.Minutes(s.ev.Date)
	for changed := true; changed; {
		changed = false
		for k := range applied {
			if applied[k] {
				continue
			}
			var holds bool
			switch k {
			case 0: // parent-authorized-full-day
				holds = s.id == "PAA" && s.ev.Minutes > 0 && s.ev.Minutes < dayMin
			case 1: // parent-medical-full-day
				holds = s.id == "PMD" && s.ev.Minutes > 0 && s.ev.Minutes < dayMin
			case 2: // untyped-appointment
				if s.excuse == "excused" && (s.ev.Reason != "" || s.ev.Comment != "") {
					text := s.ev.Reason + " " + s.ev.Comment
					holds = handAppointment.MatchString(text) && !handHasAny(s.docs, "medical-note", "nurse-note", "court-document") && !handTyped.MatchString(text)
				}
			case 3: // late-note-needs-principal-approval
				holds = s.excuse == "excused" && c.daysToDocument(s.ev) > 7
			}
			if !holds {
				continue
			}
			applied[k], changed = true, true
			if k == 3 {
				s.extra = append(s.extra, one("principal-approval"))
			} else {
				s.forced = "unverified"
			}
			c.judge(s)
		}
	}
}

func (c *handClassifier) daysToDocument(ev *Event) int {
	if ev.Documented.IsZero() {
		return -1
	}
	from := ev.Date
	if ret, ok := c.returnDate(ev.Date); ok {
		from = ret
	}
	return max(0, ev.Documented.Sub(from))
}

// capsPast applies the caps whose limit was reached before this event.
func (c *handClassifier) capsPast(s *handState, ord int) bool {
	spent := false
	switch s.id {
	case "PAA", "PAE", "PAL", "PMD", "PME", "PML":
		y, _ := c.cal.YearOf(s.ev.Date)
		p := c.pa[y]
		if p == nil {
			p = &handCap{}
			c.pa[y] = p
		}
		if !slices.Contains(p.days, s.ev.Date) && p.used >= 9 {
			s.extra = append(s.extra, handPAPast)
			spent = true
			c.judge(s)
		}
	case "DOR":
		p := c.dorPeriod(s.ev, ord)
		if !slices.Contains(p.days, s.ev.Date) && p.used+1e-9 >= 3 {
			s.extra = append(s.extra, one("reasonable-cause"))
			spent = true
			c.judge(s)
		}
	}
	return spent
}

// dorPeriod is the occurrence of a death of relative: its key, or the run of
// consecutive school days it is in.
func (c *handClassifier) dorPeriod(ev *Event, ord int) *handCap {
	key := "o" + ev.Occurrence
	if ev.Occurrence == "" {
		if ord != c.last && ord != c.last+1 {
			c.run++
		}
		c.last = ord
		key = fmt.Sprint("r", c.run)
	}
	p := c.dor[key]
	if p == nil {
		p = &handCap{}
		c.dor[key] = p
	}
	return p
}

// record counts a decided event toward the caps.
func (c *handClassifier) record(s *handState, ord int, minutes, dayMin int) {
	switch s.id {
	case "PAA", "PAE", "PAL", "PMD", "PME", "PML":
		if s.excuse != "excused" {
			return
		}
		y, _ := c.cal.YearOf(s.ev.Date)
		p := c.pa[y]
		if p == nil {
			p = &handCap{}
			c.pa[y] = p
		}
		if !slices.Contains(p.days, s.ev.Date) {
			p.days = append(p.days, s.ev.Date)
			p.used++
		}
	case "DOR":
		p := c.dorPeriod(s.ev, ord)
		if !slices.Contains(p.days, s.ev.Date) {
			p.days = append(p.days, s.ev.Date)
		}
		p.used += min(1, float64(minutes)/float64(dayMin))
	}
}

func (c *handClassifier) decide(ev *Event, ord int) Classified {
	code := handCodes[ev.Code]
	s := &handState{code: code, id: ev.Code, ev: ev, docs: ev.Documents}
	if !ev.Documented.IsZero() && ev.Documented.After(c.asOf) {
		s.docs = nil // not received yet
	}
	c.judge(s)
	var applied [4]bool
	c.rules(s, &applied)
	if c.capsPast(s, ord) {
		c.rules(s, &applied)
	}
	// documentation-due: within 2 school days of the return, or unexcused
	if !c.asOf.IsZero() && !code.present && s.excuse == "unverified" {
		if ret, ok := c.returnDate(ev.Date); ok {
			if by, found := c.cal.After(ret, 2); found && c.asOf.After(by) {
				s.forced = "unexcused"
				c.judge(s)
			}
		}
	}
	dayMin := c.cal.Minutes(ev.Date)
	r := Classified{Date: ev.Date, Code: ev.Code, EffectiveCode: ev.Code, Excuse: s.excuse, Span: code.span,
		MissingDocuments: s.miss, MissingFlags: s.flag, CommentRequired: code.comment, Minutes: ev.Minutes, Status: "absent"}
	if r.MissingDocuments == nil {
		r.MissingDocuments = []string{}
	}
	if code.present {
		r.Status = "present"
	} else {
		if r.Minutes <= 0 || r.Minutes > dayMin {
			r.Minutes = dayMin
		}
		r.Days = float64(r.Minutes) / float64(dayMin)
	}
	r.Whole = ev.Minutes == 0 && code.span == "full-day"
	c.record(s, ord, r.Minutes, dayMin)
	return r
}

// handReject returns why an event cannot be classified, or "".
func handReject(h *History, ev *Event) string {
	cal := h.Calendar
	switch {
	case ev.Date.Before(cal.First()) || ev.Date.After(cal.Last()):
		return fmt.Sprintf("%s is outside the school calendar (%s to %s)", ev.Date, cal.First(), cal.Last())
	case !cal.IsSchoolDay(ev.Date):
		if wd := ev.Date.Weekday(); wd == 0 || wd == 6 {
			return fmt.Sprintf("%s is a %s, not a school day", ev.Date, wd)
		}
		return fmt.Sprintf("%s is not a school day (closed)", ev.Date)
	case len(h.Enrolment) > 0 && !h.Enrolment.Contains(ev.Date):
		return fmt.Sprintf("the student is not enrolled on %s", ev.Date)
	case ev.Minutes < 0:
		return fmt.Sprintf("minutes %d is negative", ev.Minutes)
	case ev.Minutes > cal.Minutes(ev.Date):
		return fmt.Sprintf("minutes %d is more than the day's %d", ev.Minutes, cal.Minutes(ev.Date))
	}
	return ""
}

// handClassify classifies the events of h under the ccs pack as of asOf, by hand: the
// key fields of Classified (no notes), in the history's order.
func handClassify(h *History, asOf calendar.Date) []Classified {
	out := make([]Classified, len(h.Events))
	c := &handClassifier{h: h, cal: h.Calendar, asOf: asOf, whole: map[calendar.Date]bool{}, pa: map[int]*handCap{}, dor: map[string]*handCap{}, last: -2}
	order := handOrder(h, out, func(code string) bool { return handCodes[code] != nil })
	for _, i := range order {
		ev := &h.Events[i]
		if !handCodes[ev.Code].present && (ev.Minutes == 0 || ev.Minutes >= c.cal.Minutes(ev.Date)) {
			c.whole[ev.Date] = true
		}
	}
	for k := 0; k < len(order); {
		j := k + 1
		for j < len(order) && h.Events[order[j]].Date == h.Events[order[k]].Date {
			j++
		}
		ord := c.cal.Ordinal(h.Events[order[k]].Date)
		handDay(h, order[k:j], out, nil, nil, func(_ int, ev *Event) Classified { return c.decide(ev, ord) })
		k = j
	}
	return out
}

// day decides the events of one date and makes the day count at most once: the same
// event twice is counted once (the second is the first as the day settled it), two
// whole-day codes are a conflict counted once as not excused, and partial absences add
// up to at most the day's minutes. counts, when not
// nil, holds what each decided event adds to the pack's counts: they are zeroed or
// scaled with the event's minutes, as decided, and an event a conflict makes not
// excused adds what recount says an event of its new excuse adds.
func handDay(h *History, idx []int, out []Classified, counts [][]float64, recount func(r Classified) []float64, decide func(i int, ev *Event) Classified) {
	if len(idx) == 1 {
		out[idx[0]] = decide(idx[0], &h.Events[idx[0]])
		out[idx[0]].Whole = false
		return
	}
	var live []int
	var dups [][2]int // a repeated event and the one it repeats, made once the day is settled
	for k, i := range idx {
		ev := &h.Events[i]
		dup := -1
		for _, j := range idx[:k] {
			if h.Events[j].Code == ev.Code && h.Events[j].Minutes == ev.Minutes {
				dup = j
				break
			}
		}
		if dup >= 0 {
			dups = append(dups, [2]int{i, dup})
			continue
		}
		// the first of several same events carries the documents of all of them
		merged := *ev
		for _, j := range idx[k+1:] {
			if h.Events[j].Code == ev.Code && h.Events[j].Minutes == ev.Minutes {
				merged.Documents = append(slices.Clip(merged.Documents), h.Events[j].Documents...)
			}
		}
		if len(merged.Documents) != len(ev.Documents) {
			slices.Sort(merged.Documents)
			merged.Documents = slices.Compact(merged.Documents)
		}
		out[i] = decide(i, &merged)
		out[i].Code = ev.Code
		live = append(live, i)
	}
	var whole []int
	for _, i := range live {
		if out[i].Whole {
			whole = append(whole, i)
		}
	}
	if len(whole) >= 2 {
		worst := "unverified"
		for _, i := range whole {
			if out[i].Excuse == "unexcused" {
				worst = "unexcused"
			}
		}
		counted := false
		for _, i := range whole {
			if r := &out[i]; r.Status == "absent" {
				changed := r.Excuse != worst
				r.Excuse = worst
				if changed && counts != nil {
					counts[i] = recount(*r)
				}
				if counted {
					r.Days, r.Minutes = 0, 0
					if counts != nil {
						clear(counts[i])
					}
				}
				counted = true
			}
		}
	}
	dayMin := h.Calendar.Minutes(h.Events[idx[0]].Date)
	order := slices.Clone(live)
	slices.SortStableFunc(order, func(a, b int) int {
		wa, wb := out[a].Whole && out[a].Days > 0, out[b].Whole && out[b].Days > 0
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
		if r := &out[i]; r.Status == "absent" {
			if total+r.Minutes > dayMin {
				keep := max(0, dayMin-total)
				if counts != nil && r.Minutes > 0 {
					for k := range counts[i] {
						counts[i][k] *= float64(keep) / float64(r.Minutes)
					}
				}
				r.Minutes = keep
				r.Days = float64(keep) / float64(dayMin)
			}
			total += r.Minutes
		}
	}
	for _, d := range dups {
		r := out[d[1]]
		r.Code, r.Minutes, r.Days = h.Events[d[0]].Code, 0, 0
		out[d[0]] = r
		if counts != nil {
			counts[d[0]] = make([]float64, len(counts[d[1]]))
		}
	}
	for _, i := range idx {
		out[i].Whole = false
	}
}

// handOrder returns the events of h that can be classified in the order they are
// decided: by date, then code and minutes, the same event by its documents, comment
// and reason; the others get their rejection in out.
func handOrder(h *History, out []Classified, known func(code string) bool) []int {
	var order []int
	for i := range h.Events {
		ev := &h.Events[i]
		msg := handReject(h, ev)
		if msg == "" && !known(ev.Code) {
			msg = fmt.Sprintf("unknown code %q", ev.Code)
		}
		if msg != "" {
			out[i] = Classified{Date: ev.Date, Code: ev.Code, Rejected: msg, MissingDocuments: []string{}}
			continue
		}
		order = append(order, i)
	}
	key := func(e *Event) string {
		docs := slices.Sorted(slices.Values(e.Documents))
		return strings.Join(docs, ",") + "\x00" + e.Comment + "\x00" + e.Reason + "\x00" + e.Occurrence
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ea, eb := &h.Events[a], &h.Events[b]
		if c := cmp.Or(ea.Date.Compare(eb.Date), strings.Compare(ea.Code, eb.Code), cmp.Compare(ea.Minutes, eb.Minutes)); c != 0 {
			return c
		}
		return cmp.Or(strings.Compare(key(ea), key(eb)), a-b)
	})
	return order
}
