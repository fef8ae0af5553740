package main

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/classify"
	"github.com/rollcall-go/rollcall/escalation"
	"github.com/rollcall-go/rollcall/roster"
)

// reportRow is one student with a step due, as a JSON Lines record.
type reportRow struct {
	Student string           `json:"student"`
	School  string           `json:"school,omitempty"`
	AsOf    calendar.Date    `json:"as_of"`
	Next    *escalation.Due  `json:"next"`
	Due     []escalation.Due `json:"due"`
	// Review lists the steps done that would no longer have been due (see
	// rollcall.Evaluation.Review).
	Review []escalation.Review `json:"review,omitempty"`
}

var reportColumns = []string{"student", "school", "next", "actor", "due_by", "due", "because", "review"}

// textCell neutralises a text cell of the CSV report that a spreadsheet would run as a
// formula (one starting with =, +, -, @, a tab or a carriage return) by prefixing a
// single quote, as OWASP advises. Only text columns go through it: due_by is a date
// (or empty), and a numeric column would keep its minus sign.
func textCell(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// cmdReport prints the students of a roster with a ladder step due.
func cmdReport(e *env, args []string) (err error) {
	defer recoverAs(&err, "report")
	fs := flags("report")
	pol := fs.String("policy", "", "")
	format := fs.String("format", "csv", "")
	var asOf dateFlag
	fs.Var(&asOf, "as-of", "")
	var rf rosterFlags
	rf.register(fs)
	cpuProfile := fs.String("cpuprofile", "", "")
	memProfile := fs.String("memprofile", "", "")
	var shard shardFlag
	fs.Var(&shard, "shard", "")
	decisions := fs.String("decisions", "", "")
	merge := fs.Bool("merge", false, "")
	out := fs.String("out", "", "")
	pos, perr := parse(fs, args)
	if perr != nil {
		return perr
	}
	if *merge {
		if rf.given() || shard.set.n > 0 || *pol != "" || asOf.d != (calendar.Date{}) {
			return usagef("--merge merges shard files: give them alone (the shards name the policy, the date and the format)")
		}
		return mergeShards(e, pos, decisions)
	}
	if shard.set.n > 0 && *format != "csv" && *format != "jsonl" {
		return usagef("--shard with --format %s: a shard holds the rows of the csv or jsonl report", *format)
	}
	if shard.set.n > 0 && *decisions != "" {
		return usagef("--decisions with --shard: give --decisions to attendance merge, which appends the decisions of every shard in order")
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q: name the roster's files with --calendar, --events, --edfi, --students, --interventions or --histories", pos[0])
	}
	if *format != "csv" && *format != "jsonl" && *format != "edfi" && *format != "html" {
		return usagef("--format %q: want csv, jsonl, edfi or html", *format)
	}
	if *out != "" && *format != "html" {
		return usagef("--out with --format %s: --out DIR writes the pages of --format html", *format)
	}
	if !rf.given() {
		return usagef("no roster: give --calendar CAL.json with --events EVENTS.csv or --edfi EVENTS.json, or --histories FILE.jsonl")
	}
	if err := rf.check(); err != nil {
		return err
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if *memProfile != "" {
		defer writeHeapProfile(*memProfile)
	}
	eng, err := openEngine(*pol)
	if err != nil {
		return err
	}
	full := eng
	if *format == "csv" || *format == "edfi" || *format == "html" && *out == "" && htmlBrief {
		// These rows keep the steps due and their reasons, not the workings: no event's
		// notes, no clause's values (JSON Lines prints the clauses, the student pages of
		// --out too; the HTML report finds a spent cap by its note, and classifies again
		// with notes the students whose caps need them: see htmlRun.add).
		eng = eng.With(rollcall.Brief())
	}
	run := &reportRun{e: e, eng: eng, format: *format, asOf: asOf.d, shard: shardSet{0, 1}, decisionsFile: *decisions}
	if shard.set.n > 0 {
		run.shard, run.sharded = shard.set, true
	}
	if run.pack, err = identify(*pol, eng.Pack()); err != nil {
		return err
	}
	run.logDecisions = run.sharded || *decisions != ""
	if *format == "html" {
		if run.html, err = newHTMLRun(full, *out); err != nil {
			return err
		}
		defer run.html.close()
	}
	return run.run(&rf)
}

// writeHeapProfile writes the heap's allocations since the start (--memprofile).
func writeHeapProfile(name string) {
	f, err := os.Create(name)
	if err != nil {
		return
	}
	defer f.Close()
	pprof.Lookup("allocs").WriteTo(f, 0)
}

// reportRun is one run of report over a roster, streamed or read whole (and of
// letters: see html_letters.go).
type reportRun struct {
	e      *env
	cmd    string // for the progress line: "report" when empty
	eng    *rollcall.Engine
	format string
	asOf   calendar.Date
	shard  shardSet
	// sharded: write a shard file for attendance merge (see shard.go)
	sharded       bool
	pack          packIdentity
	decisionsFile string
	logDecisions  bool // the decisions of the run are wanted (--decisions, or a shard's)

	plan    *streamPlan    // a streamed roster, or
	entries []roster.Entry // the students of a roster read whole

	html    *htmlRun    // --format html
	letters *lettersRun // attendance letters

	done atomic.Int64 // students evaluated, for progress
}

// batchResult is one batch's share of the report: its rows as printed and its counts.
type batchResult struct {
	out            []byte
	rows           []rowEnd // where each student's row ends in out, and its decisions in decisions
	decisions      []byte   // the decisions log's lines
	problems       []roster.RowError
	students       int
	withDue        int
	events         int
	rejectedEvents int
	due            map[string]int
	html           *htmlBatch    // --format html: the batch's counts and rows
	letters        *lettersBatch // attendance letters: the batch's letters
	// the as-of pass: the latest date that can be classified, the latest first day
	last, first calendar.Date
}

// rowEnd is where a student's row ends in a batch's output.
type rowEnd struct {
	student   string
	end, dend int
}

func (r *reportRun) run(rf *rosterFlags) error {
	e := r.e
	plan, err := openStream(e, rf, r.eng)
	if err != nil {
		return err
	}
	var batches []*batch
	total := 0
	if plan != nil {
		defer plan.close()
		r.plan = plan
		batches = plan.batches()
		total = plan.total
	} else {
		ro, err := rf.load(e, r.eng)
		if err != nil {
			return err
		}
		r.entries = ro.Entries()
		batches = wholeBatches(r.entries, ro.Problems)
		total = len(r.entries)
	}
	if r.asOf.IsZero() {
		if r.asOf, err = r.latest(); err != nil {
			return err
		}
	}
	growth := 1000
	if r.html != nil {
		// the HTML report keeps more alive (its counts, the students for review, a
		// batch's counts in flight): fourfold keeps its peak near report's (330,000
		// students: 165-177 MiB instead of 414-473) for about 9% more CPU time
		growth = 400
	}
	defer tuneGC(growth)()

	if r.sharded {
		total = (total + r.shard.n - 1) / r.shard.n // about
	}
	stopProgress := progress(e, cmp.Or(r.cmd, "report"), &r.done, total)
	sum := summary{AsOf: r.asOf, Pack: r.eng.Pack().Name, Due: map[string]int{}}
	for _, s := range r.eng.Pack().At(r.asOf).Steps {
		sum.Order = append(sum.Order, s.ID)
	}
	w := bufio.NewWriterSize(e.stdout, 64<<10)
	var sw *shardWriter
	switch {
	case r.sharded:
		sw = newShardWriter(w)
		if err := sw.header(r.shard, r.format, r.pack.digest, &sum); err != nil {
			return err
		}
	case r.html != nil:
		r.html.start(r.asOf)
	case r.letters != nil:
		if err := r.letters.start(r.asOf); err != nil {
			return err
		}
	case r.format == "csv":
		cw := csv.NewWriter(w)
		cw.Write(reportColumns)
		cw.Flush()
	}
	var problems []roster.RowError
	var decisions []byte
	err = pipeline(batches, r.evaluate, func(br *batchResult) error {
		problems = append(problems, br.problems...)
		sum.add(br)
		if sw != nil {
			return sw.rows(br)
		}
		if r.html != nil {
			decisions = append(decisions, br.decisions...)
			return r.html.emit(br.html)
		}
		if r.letters != nil {
			return r.letters.emit(br.letters)
		}
		decisions = append(decisions, br.decisions...)
		_, err := w.Write(br.out)
		return err
	})
	stopProgress()
	if err != nil {
		return err
	}
	sortProblems(problems)
	if r.letters != nil {
		return lettersDone(e, r.letters, sum.Students, problems)
	}
	if r.html != nil {
		if sum.Wrote, err = r.html.finish(w, len(problems)); err != nil {
			return err
		}
	}
	if sw != nil {
		// a shard's problems and counts go to its file, for attendance merge
		if err := sw.end(problems, &sum); err != nil {
			return err
		}
		return w.Flush()
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if r.decisionsFile != "" && len(decisions) > 0 {
		if err := writeDecisions(r.decisionsFile, decisions); err != nil {
			return err
		}
	}
	for _, p := range problems {
		fmt.Fprintln(e.stderr, p.Error())
	}
	sum.Problems = len(problems)
	sum.print(e.stderr)
	if len(problems) > 0 {
		return silentError{}
	}
	return nil
}

// wholeBatches cuts a roster read whole into batches; the first carries the rows it
// could not use.
func wholeBatches(entries []roster.Entry, problems []roster.RowError) []*batch {
	out := []*batch{{problems: problems}}
	for i := 0; i < len(entries); i += batchSize {
		out = append(out, &batch{entries: entries[i:min(i+batchSize, len(entries))]})
	}
	for i, b := range out {
		b.seq = i
	}
	return out
}

// batchEntries returns a batch's students and the rows it could not use.
func (r *reportRun) batchEntries(b *batch, sh shardSet) ([]roster.Entry, []roster.RowError, error) {
	if r.plan != nil {
		return r.plan.readBatch(b, sh)
	}
	var problems []roster.RowError
	for _, p := range b.problems {
		if sh.has(p.Student) {
			problems = append(problems, p)
		}
	}
	entries := b.entries
	if !sh.all() {
		entries = nil
		for _, en := range b.entries {
			if sh.has(en.History.Student.ID) {
				entries = append(entries, en)
			}
		}
	}
	return entries, problems, nil
}

// latest is the as-of date of a run without --as-of: see latestEvent. A streamed
// roster is read twice for it, unless the latest date of any event row is that of an
// event the engine accepts, which the rows of that date alone tell.
func (r *reportRun) latest() (calendar.Date, error) {
	if r.plan == nil {
		return latestEvent(r.eng, r.entries), nil
	}
	if d, ok, err := r.plan.latestRowsAccepted(); err != nil || ok {
		return d, err
	}
	var last, first calendar.Date
	batches := r.plan.batches()
	for _, b := range batches {
		b.prepass = true
	}
	err := pipeline(batches, func(b *batch) (*batchResult, error) {
		entries, _, err := r.plan.readBatch(b, shardSet{0, 1})
		if err != nil {
			return nil, err
		}
		var br batchResult
		for _, en := range entries {
			if en.History == nil || en.History.Calendar == nil {
				continue
			}
			if d := classify.LastDate(r.eng.Pack(), en.History); d.After(br.last) {
				br.last = d
			}
			if f := en.History.Calendar.First(); f.After(br.first) {
				br.first = f
			}
		}
		return &br, nil
	}, func(br *batchResult) error {
		if br.last.After(last) {
			last = br.last
		}
		if br.first.After(first) {
			first = br.first
		}
		return nil
	})
	if err != nil {
		return calendar.Date{}, err
	}
	if last.IsZero() {
		return first, nil
	}
	return last, nil
}

// evaluate evaluates one batch's students and reduces each evaluation to its row.
func (r *reportRun) evaluate(b *batch) (*batchResult, error) {
	entries, problems, err := r.batchEntries(b, r.shard)
	if err != nil {
		return nil, err
	}
	br := &batchResult{problems: problems, due: map[string]int{}}
	if r.html != nil {
		br.html = r.html.newBatch()
	}
	if r.letters != nil {
		br.letters = r.letters.newBatch()
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, en := range entries {
		res := evaluateOne(r.eng, en, dateFlag{r.asOf}, false)
		r.done.Add(1)
		br.students++
		br.problems = append(br.problems, res.problems...)
		if en.History != nil {
			br.events += len(en.History.Events)
		}
		ev := res.ev
		if ev == nil {
			continue
		}
		for _, c := range ev.Events {
			if c.Rejected != "" {
				br.rejectedEvents++
			}
		}
		if err := reportEdFi(r.format, enc, r.eng, res, &br.problems); err != nil {
			return nil, err
		}
		if r.html != nil {
			if err := r.html.add(br.html, en, ev); err != nil {
				return nil, err
			}
		}
		if r.letters != nil {
			if err := r.letters.add(br.letters, en, ev); err != nil {
				return nil, err
			}
			continue
		}
		if ev.Next == nil {
			continue
		}
		br.withDue++
		steps := make([]string, len(ev.Due))
		for i, d := range ev.Due {
			steps[i] = d.Step
			br.due[d.Step]++
		}
		school := en.History.Student.School
		if r.logDecisions {
			if br.decisions, err = appendDecisions(br.decisions, ev, r.pack); err != nil {
				return nil, err
			}
		}
		switch r.format {
		case "edfi", "html":
			continue // written or counted above
		case "jsonl":
			if err := enc.Encode(reportRow{Student: ev.Student, School: school, AsOf: ev.AsOf, Next: ev.Next, Due: ev.Due, Review: ev.Review}); err != nil {
				return nil, err
			}
		default:
			review := make([]string, len(ev.Review))
			for i, rv := range ev.Review {
				review[i] = rv.Step
			}
			cw.Write([]string{textCell(ev.Student), textCell(school), textCell(ev.Next.Step), textCell(ev.Next.Actor),
				ev.Next.DueBy.String(), textCell(strings.Join(steps, ";")), textCell(ev.Next.Because), textCell(strings.Join(review, ";"))})
			cw.Flush()
		}
		br.rows = append(br.rows, rowEnd{student: ev.Student, end: buf.Len(), dend: len(br.decisions)})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return nil, err
	}
	br.out = buf.Bytes()
	return br, nil
}

// summary is what report prints on standard error after its rows.
type summary struct {
	AsOf           calendar.Date
	Pack           string
	Order          []string // the ladder's steps, in order
	Students       int
	WithDue        int
	Events         int
	RejectedEvents int
	Due            map[string]int
	Problems       int
	Wrote          []string // the files written (report --format html --out)
}

func (s *summary) add(br *batchResult) {
	s.Students += br.students
	s.WithDue += br.withDue
	s.Events += br.events
	s.RejectedEvents += br.rejectedEvents
	for k, v := range br.due {
		s.Due[k] += v
	}
}

func (s *summary) print(w io.Writer) {
	// The steps due: in ladder order, then any others by name.
	var kinds []string
	for step := range s.Due {
		kinds = append(kinds, step)
	}
	slices.SortFunc(kinds, func(a, b string) int {
		ia, ib := slices.Index(s.Order, a), slices.Index(s.Order, b)
		if ia < 0 {
			ia = len(s.Order)
		}
		if ib < 0 {
			ib = len(s.Order)
		}
		if ia != ib {
			return ia - ib
		}
		return strings.Compare(a, b)
	})
	due := "none"
	if len(kinds) > 0 {
		parts := make([]string, len(kinds))
		for i, k := range kinds {
			parts[i] = fmt.Sprintf("%s %d", k, s.Due[k])
		}
		due = strings.Join(parts, ", ")
	}
	on := s.AsOf.String()
	if on == "" {
		on = "(no date: no students)"
	}
	fmt.Fprintf(w, "report as of %s under pack %s\n", on, s.Pack)
	fmt.Fprintf(w, "  students       %d (%d with a step due)\n", s.Students, s.WithDue)
	fmt.Fprintf(w, "  events         %d (%d rejected)\n", s.Events, s.RejectedEvents)
	fmt.Fprintf(w, "  steps due      %s\n", due)
	for _, f := range s.Wrote {
		fmt.Fprintf(w, "  wrote          %s\n", f)
	}
	fmt.Fprintf(w, "  rejected rows  %d\n", s.Problems)
}

// tuneGC has the collector run when the heap has grown by growth percent since the last
// one (1000: tenfold), or by gcRoom when more is alive (the index of a large unsorted file), unless GOGC says
// otherwise; it returns the function that restores the setting. A streamed report
// keeps little alive (what the plan holds, a few batches in flight) and allocates a
// lot while it evaluates: with Go's default the collector would run after every few
// megabytes (GOGC=400 costs 15% more time than 1000 on 330,000 students).
func tuneGC(growth int) (restore func()) {
	const gcRoom, inFlight = 512 << 20, 16 << 20
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	runtime.GC() // what the plan keeps alive, measured now: a few MiB, or an index
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	var live uint64
	if sample[0].Value.Kind() == metrics.KindUint64 {
		live = sample[0].Value.Uint64()
	}
	old := debug.SetGCPercent(int(min(max(100, gcRoom*100/(live+inFlight)), uint64(growth))))
	return func() { debug.SetGCPercent(old) }
}

// pipeline runs work on every batch with GOMAXPROCS workers and hands the results to
// emit in the batches' order, with a bounded number of batches in flight. The first
// error stops it. A panic in work (a bug) is an error naming the batch.
func pipeline(batches []*batch, work func(*batch) (*batchResult, error), emit func(*batchResult) error) error {
	workers := runtime.GOMAXPROCS(0)
	type result struct {
		br  *batchResult
		err error
	}
	slots := make([]chan result, len(batches))
	for i := range slots {
		slots[i] = make(chan result, 1)
	}
	window := make(chan struct{}, 2*workers+2)
	quit := make(chan struct{})
	jobs := make(chan int)
	go func() {
		defer close(jobs)
		for i := range batches {
			select {
			case window <- struct{}{}:
			case <-quit:
				return
			}
			select {
			case jobs <- i:
			case <-quit:
				return
			}
		}
	}()
	for range workers {
		go func() {
			for i := range jobs {
				slots[i] <- func() (res result) {
					defer func() {
						if v := recover(); v != nil {
							res.err = fmt.Errorf("internal error: %s (a bug in attendance: please report it)", panicText(v))
						}
					}()
					br, err := work(batches[i])
					return result{br, err}
				}()
			}
		}()
	}
	defer close(quit)
	for i := range batches {
		res := <-slots[i]
		if res.err != nil {
			return res.err
		}
		if err := emit(res.br); err != nil {
			return err
		}
		<-window
	}
	return nil
}
