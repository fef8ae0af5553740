package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/classify"
	"github.com/rollcall-go/rollcall/roster"
)

// A roster streamed: report reads the students in batches of a few hundred, each batch
// read by package roster from its own rows alone, so that the whole roster is never in
// memory. A first pass over each file finds its header and whether its rows come
// sorted by student id: a sorted file is then read in byte ranges, one per batch; an
// unsorted one is indexed (each row's offset, line and student) and its rows are read
// back by batch. Rows that belong to no student (a row roster reports: no id, a quote
// never closed, the wrong number of fields) are read too, so that every problem is
// reported as in a whole read, at its file and line.

// batchSize is how many students a batch holds.
var batchSize = 256

// wholeRoster makes report read every roster whole, as it did before it streamed
// (tests compare the two).
var wholeRoster = false

type fileKind uint8

const (
	kindStudents fileKind = iota
	kindEvents
	kindInterventions
	kindHistories
)

// inFile is one input file of a streamed roster.
type inFile struct {
	kind       fileKind
	name       string
	f          *os.File
	size       int64
	header     []byte // CSV: the header record, ending with a newline
	headerLine int32
	dataOff    int64 // after the header
	dataLine   int32
	fields     int // CSV: the header's number of fields
	idCol      int
	dateCol    int

	sorted bool
	cuts   []cut    // sorted: cuts[k] starts batch k+1
	byHi   [][]iloc // indexed: each batch's rows, in line order
	free   []iloc   // indexed: rows of no student
}

// cut is where a batch's rows start in a sorted file.
type cut struct {
	off  int64
	line int32
}

// iloc locates one record of an indexed file. It holds no pointer, so that the
// collector never reads an index of millions of rows.
type iloc struct {
	off   int64
	size  int64 // bytes; for recLong the line's length as roster reports it
	line  int32
	lines int32
	id    int32 // the student (streamPlan.ids), -1 for a row of no student
	kind  recKind
}

// streamPlan is a streamed roster: its files in reading order and its batches.
type streamPlan struct {
	eng   *rollcall.Engine
	cal   *calendar.Calendar
	files []*inFile
	his   []string // batch k holds the students with ids in (his[k-1], his[k]]; the last batch those after
	total int      // students in the driving file (for progress)
	// events (or histories): the latest date of a row with a student and the rows of
	// that date; noLatest: a history's latest date could not be read
	maxDate  string
	dateRecs []iloc
	noLatest bool
	// the students of indexed rows, by number
	ids    []string
	intern map[string]int32
}

// idIndex returns the number of a student id, -1 for none.
func (p *streamPlan) idIndex(b []byte) int32 {
	if len(b) == 0 {
		return -1
	}
	if i, ok := p.intern[string(b)]; ok {
		return i
	}
	if p.intern == nil {
		p.intern = map[string]int32{}
	}
	id, i := string(b), int32(len(p.ids))
	p.ids, p.intern[id] = append(p.ids, id), i
	return i
}

// idOf returns the student id of a number, "" for -1.
func (p *streamPlan) idOf(i int32) string {
	if i < 0 {
		return ""
	}
	return p.ids[i]
}

func (f *inFile) jsonl() bool { return f.kind == kindHistories }

// read returns roster's reader for the file.
func (f *inFile) read(ro *roster.Roster) func(io.Reader, string) error {
	switch f.kind {
	case kindStudents:
		return ro.ReadStudents
	case kindEvents:
		return ro.ReadEvents
	case kindInterventions:
		return ro.ReadInterventions
	}
	return ro.ReadHistories
}

// openStream plans a streamed read of the roster the flags name. It returns nil (and
// no error) when the roster must be read whole: Ed-Fi events, a file that is not a
// regular file, a file named twice, a CSV header of several lines or one roster would
// not read.
func openStream(e *env, rf *rosterFlags, eng *rollcall.Engine) (*streamPlan, error) {
	if rf.edfi != "" || rf.m.given() || wholeRoster { // a mapping: read whole (roll-ups, calendars by school)
		return nil, nil
	}
	p := &streamPlan{eng: eng}
	var names []struct {
		name string
		kind fileKind
	}
	if rf.histories != "" {
		names = append(names, struct {
			name string
			kind fileKind
		}{rf.histories, kindHistories})
	} else {
		data, name, err := readInput(e, rf.calendar)
		if err != nil {
			return nil, err
		}
		if p.cal, err = roster.ReadCalendar(data, name); err != nil {
			return nil, err
		}
		for _, n := range []struct {
			name string
			kind fileKind
		}{{rf.students, kindStudents}, {rf.events, kindEvents}, {rf.interventions, kindInterventions}} {
			if n.name != "" {
				names = append(names, n)
			}
		}
	}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n.name] {
			p.close()
			return nil, nil
		}
		seen[n.name] = true
		f, err := os.Open(n.name)
		if err != nil {
			p.close()
			if pe, ok := err.(*os.PathError); ok {
				err = pe.Err
			}
			return nil, fmt.Errorf("%s: cannot read: %v", n.name, err)
		}
		fi, err := f.Stat()
		if err != nil || !fi.Mode().IsRegular() {
			f.Close()
			p.close()
			return nil, nil
		}
		in := &inFile{kind: n.kind, name: n.name, f: f, size: fi.Size(), idCol: -1, dateCol: -1}
		p.files = append(p.files, in)
		ok, err := p.readHeader(in)
		if err != nil || !ok {
			p.close()
			return nil, err
		}
	}
	if err := p.scan(); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

func (p *streamPlan) close() {
	for _, f := range p.files {
		f.f.Close()
	}
}

// readHeader reads a CSV file's header and has roster check it, so that a header
// roster refuses stops the run with roster's own message before anything is printed.
func (p *streamPlan) readHeader(in *inFile) (bool, error) {
	if in.jsonl() {
		in.dataLine = 1
		return true, nil
	}
	sc := newScanner(io.NewSectionReader(in.f, 0, in.size), 0, 1, false)
	fields, r, ok, err := sc.header()
	if errors.Is(err, io.EOF) {
		ok, err = false, nil // roster says it is empty
	}
	if err != nil {
		return false, fmt.Errorf("%s: %w", in.name, err)
	}
	if !ok {
		return false, nil
	}
	prefix := make([]byte, r.end)
	if _, err := in.f.ReadAt(prefix, 0); err != nil {
		return false, fmt.Errorf("%s: %w", in.name, err)
	}
	if err := in.read(roster.New(p.eng, p.cal))(bytes.NewReader(prefix), in.name); err != nil {
		return false, err
	}
	in.header = withNewline(r.raw)
	in.headerLine, in.dataOff, in.dataLine, in.fields = r.line, r.end, r.line+1, len(fields)
	in.idCol, in.dateCol = slices.Index(fields, "student_id"), -1
	if in.kind == kindEvents {
		in.dateCol = slices.Index(fields, "date")
	}
	// roster requires student_id: a header it takes and this reading does not (another
	// delimiter, say) is read whole
	return in.idCol >= 0, nil
}

func withNewline(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] != '\n' {
		return append(slices.Clip(b), '\n')
	}
	return b
}

// scanner returns a scanner of the file's rows from off (at line).
func (in *inFile) scanner(rd io.Reader, off int64, line int32) *scanner {
	sc := newScanner(rd, off, line, in.jsonl())
	sc.fields, sc.idCol, sc.dateCol = in.fields, in.idCol, in.dateCol
	return sc
}

// rowsFrom returns a scanner of the file's rows from off, a record's start, at line.
func (in *inFile) rowsFrom(off int64, line int32) *scanner {
	return in.scanner(io.NewSectionReader(in.f, off, in.size-off), off, line)
}

// scan is the first pass: the first file (students, or else events, or histories)
// drives the batches; each file is then found sorted (read by ranges) or indexed.
func (p *streamPlan) scan() error {
	for i, in := range p.files {
		sorted, err := p.scanSorted(in, i == 0)
		if err != nil {
			return fmt.Errorf("%s: %w", in.name, err)
		}
		if sorted {
			in.sorted = true
			continue
		}
		if err := p.index(in, i == 0); err != nil {
			return fmt.Errorf("%s: %w", in.name, err)
		}
	}
	return nil
}

// scanSorted reads a file, finding whether its rows come in order of student id
// and, if so, where each batch starts. The driving file sets the batches. A large file
// is read in parts at once (see scanParts).
func (p *streamPlan) scanSorted(in *inFile, driver bool) (bool, error) {
	var his []string // the driver's batches, that another file's cuts are made against
	if !driver {
		his = p.his
	}
	parts, err := scanParts(in, driver, his)
	if err != nil {
		return false, err
	}
	if parts == nil {
		return false, nil
	}
	// The parts as one file: in order of student id across them too; the driver's
	// cuts every batchSize students, another file's cuts in order of batch; the rows of
	// the latest date.
	var (
		distinct int
		cuts     []cut
		prev     []byte // the driver's student before, in a part's ids
		dates    latest
		lines    int32
	)
	for j, pt := range parts {
		if pt.first != "" && pt.first < lastStudent(parts[:j]) {
			return false, nil
		}
		if driver {
			for i, st := range pt.starts {
				id := pt.ids[pt.idFrom(i):st.idEnd]
				if i == 0 && distinct > 0 && bytes.Equal(id, prev) {
					continue // a student whose rows began in the part before
				}
				if distinct > 0 && distinct%batchSize == 0 {
					his = append(his, string(prev))
					cuts = append(cuts, cut{st.off, st.line})
				}
				distinct++
				prev = id
			}
		} else {
			for _, kc := range pt.cuts {
				if int(kc.k) == len(cuts) { // the first place of each cut: a part starts from the first batch
					cuts = append(cuts, kc.at)
				}
			}
		}
		dates.join(&pt.latest)
		lines = pt.lines
	}
	if driver {
		p.his, p.total = his, distinct
	} else {
		for k := len(cuts); k < len(p.his); k++ {
			cuts = append(cuts, cut{in.size, lines + 1})
		}
	}
	in.cuts = cuts
	p.setLatest(in, &dates)
	return true, nil
}

// setLatest keeps what the parts of an events or histories file found of the latest
// date, its rows' students numbered.
func (p *streamPlan) setLatest(in *inFile, d *latest) {
	if in.kind != kindEvents && in.kind != kindHistories {
		return
	}
	p.noLatest = p.noLatest || d.noDate
	p.maxDate, p.dateRecs = string(d.date), make([]iloc, len(d.rows))
	for i, l := range d.rows {
		p.dateRecs[i] = l.loc
		p.dateRecs[i].id = p.idIndex([]byte(l.id))
	}
}

// scanPart is what the first pass finds in a byte range of a file read on its own.
// It keeps no string a student: a state's roster has millions.
type scanPart struct {
	partEnd            // stop: its rows of students do not come in order of student id
	first, last string // its first and last student ("" for none)
	// the driving file: where each student's rows start (the first row of each id),
	// with the ids one after another in ids
	starts []idStart
	ids    []byte
	// another file: where each batch's rows start, against the driver's batches,
	// counted from the first batch at the part's first student
	cuts   []kcut
	latest latest
}

func (pt *scanPart) end() *partEnd { return &pt.partEnd }

// idStart is where a student's rows start (16 bytes, no pointer); the id ends at
// idEnd in the part's ids.
type idStart struct {
	off         int64
	line, idEnd int32
}

// idFrom is where the i-th start's id begins in the part's ids.
func (pt *scanPart) idFrom(i int) int32 {
	if i == 0 {
		return 0
	}
	return pt.starts[i-1].idEnd
}

// lastStudent is the last student of parts, "" for none.
func lastStudent(parts []*scanPart) string {
	for j := len(parts) - 1; j >= 0; j-- {
		if parts[j].last != "" {
			return parts[j].last
		}
	}
	return ""
}

// kcut is where batch k's rows start.
type kcut struct {
	k  int32
	at cut
}

// latest is what a part finds of the latest date of the rows with a student.
type latest struct {
	date   []byte
	rows   []latestRec // the rows of that date
	noDate bool        // a history's latest date could not be read
}

// note keeps r if its date is the latest seen that is a date at all (dates are
// YYYY-MM-DD: their order is that of their text).
func (d *latest) note(r srec) {
	d.noDate = d.noDate || r.noDate
	if len(r.date) != 10 {
		return
	}
	switch c := bytes.Compare(r.date, d.date); {
	case c < 0:
		return
	case c > 0:
		if _, err := calendar.ParseDate(string(r.date)); err != nil {
			return
		}
		d.date, d.rows = append(d.date[:0], r.date...), d.rows[:0]
	}
	d.rows = append(d.rows, latestRec{iloc{off: r.off, size: r.end - r.off, line: r.line, lines: r.lines, kind: r.kind}, string(r.id)})
}

// join adds what a later part found.
func (d *latest) join(o *latest) {
	d.noDate = d.noDate || o.noDate
	switch c := bytes.Compare(o.date, d.date); {
	case c > 0:
		d.date, d.rows = o.date, o.rows
	case c == 0:
		d.rows = append(d.rows, o.rows...)
	}
}

// renumber adds shift to the rows' line numbers.
func (d *latest) renumber(shift int32) {
	for i := range d.rows {
		d.rows[i].loc.line += shift
	}
}

// latestRec is a row of the latest date, with its student.
type latestRec struct {
	loc iloc
	id  string
}

// The first pass reads a file in at most firstPassParts parts (0: one a core, at most
// 8), each of at least minPart bytes. Tests make them small and many.
var (
	minPart        int64 = 4 << 20
	firstPassParts       = 0
)

// partEnd is how the reading of one part of a file ended.
type partEnd struct {
	// next is the offset of the first record at or after the part's end (-1 for none)
	// and nextLine its line: the next part is read right when next is its start
	next     int64
	nextLine int32
	lines    int32 // the lines read, to the last
	err      error
	stop     bool // the part found what ends the reading of the file (rows out of order)
}

// filePart is what reading one part of a file finds.
type filePart interface {
	end() *partEnd
	renumber(shift int32) // adds shift to its line numbers
}

// readParts reads a file in parts, one a core, at once, with read, and returns them in
// order; it stops after a part that says stop. A part starts after a newline; its line
// numbers are counted from the part before's. What is found, and the error, are exactly
// those of one read: when a part does not start where the part before found its next
// record (the newline was inside a quoted field, or the file is not what roster reads),
// the rest of the file is read again in one part from that record; a part that met an
// error is read again, to the end, with its own line numbers.
func readParts[P filePart](in *inFile, read func(from, to int64, line int32) P) ([]P, error) {
	n := firstPassParts
	if n == 0 {
		n = min(runtime.GOMAXPROCS(0), 8)
	}
	n = int(min(int64(n), (in.size-in.dataOff)/minPart))
	bounds := []int64{in.dataOff}
	for j := 1; j < n; j++ {
		b, ok := in.lineStart(in.dataOff + int64(j)*(in.size-in.dataOff)/int64(n))
		if !ok || b <= bounds[len(bounds)-1] || b >= in.size {
			break
		}
		bounds = append(bounds, b)
	}
	bounds = append(bounds, in.size)
	parts := make([]P, len(bounds)-1)
	var wg sync.WaitGroup
	for j := range parts {
		line := int32(1) // renumbered below
		if j == 0 {
			line = in.dataLine
		}
		wg.Go(func() { parts[j] = read(bounds[j], bounds[j+1], line) })
	}
	wg.Wait()
	shift := int32(0) // what a part's line numbers are off by
	for j := 0; ; j++ {
		pt := parts[j]
		if pt.end().err != nil && shift != 0 {
			// read again with its own line numbers, which its error names, to the end
			pt = read(bounds[j], in.size, shift+1)
			parts, shift = append(parts[:j], pt), 0
		}
		e := pt.end()
		if e.err != nil {
			return nil, e.err
		}
		pt.renumber(shift)
		if e.stop || j+1 == len(parts) || e.next < 0 {
			return parts[:j+1], nil
		}
		shift = e.nextLine - 1
		if e.next != bounds[j+1] {
			// the next part started inside a record: read the rest in one part from the
			// record after this part's last
			parts, shift = append(parts[:j+1], read(e.next, in.size, e.nextLine)), 0
		}
	}
}

// scanParts reads the rows of a sorted file in parts (see readParts), or returns nil
// when its rows do not come in order of student id.
func scanParts(in *inFile, driver bool, his []string) ([]*scanPart, error) {
	parts, err := readParts(in, func(from, to int64, line int32) *scanPart { return in.scanPart(from, to, line, driver, his) })
	if err != nil || parts[len(parts)-1].stop {
		return nil, err
	}
	return parts, nil
}

// lineStart returns the offset after the first newline at or after off.
func (in *inFile) lineStart(off int64) (int64, bool) {
	buf := make([]byte, 64<<10)
	for at := off; at < in.size; at += int64(len(buf)) {
		n, err := in.f.ReadAt(buf, at)
		if i := bytes.IndexByte(buf[:n], '\n'); i >= 0 {
			return at + int64(i) + 1, true
		}
		if err != nil {
			break
		}
	}
	return 0, false
}

// scanPart reads the records that start in [from, to), from at line: in the driving
// file, where each student's rows start; in another, where each of the batches his
// sets starts.
func (in *inFile) scanPart(from, to int64, line int32, driver bool, his []string) *scanPart {
	pt := &scanPart{}
	var last []byte
	k := 0
	for r := range in.records(from, to, line, &pt.partEnd) {
		if r.kind != recRow || len(r.id) == 0 {
			continue
		}
		c := bytes.Compare(r.id, last)
		if last != nil && c < 0 {
			pt.stop = true
			return pt
		}
		if last == nil || c > 0 {
			if last == nil {
				pt.first = string(r.id)
			}
			at := cut{r.off, r.line}
			if driver {
				pt.ids = append(pt.ids, r.id...)
				pt.starts = append(pt.starts, idStart{r.off, r.line, int32(len(pt.ids))})
			}
			for k < len(his) && string(r.id) > his[k] {
				pt.cuts = append(pt.cuts, kcut{int32(k), at})
				k++
			}
			last = append(last[:0], r.id...)
		}
		if in.kind == kindEvents || in.kind == kindHistories {
			pt.latest.note(r)
		}
	}
	if last != nil {
		pt.last = string(last)
	}
	return pt
}

// records yields the records that start in [from, to), from at line (each valid until
// the next), and notes in end how the reading ended.
func (in *inFile) records(from, to int64, line int32, end *partEnd) iter.Seq[srec] {
	return func(yield func(srec) bool) {
		sc := in.rowsFrom(from, line)
		end.next = -1
		for {
			r, err := sc.next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				end.err = err
				return
			}
			if r.off >= to {
				end.next, end.nextLine = r.off, r.line
				break
			}
			if !yield(r) {
				return
			}
		}
		end.lines = sc.n
	}
}

// renumber adds shift to the part's line numbers.
func (pt *scanPart) renumber(shift int32) {
	for i := range pt.starts {
		pt.starts[i].line += shift
	}
	for i := range pt.cuts {
		pt.cuts[i].at.line += shift
	}
	pt.latest.renumber(shift)
	pt.nextLine += shift
	pt.lines += shift
}

// index reads an unsorted file's rows and files each under its batch. A large file is
// read in parts at once (see readParts), each numbering its own students; the parts'
// numbers are then made the plan's, in order of first appearance as in one read.
func (p *streamPlan) index(in *inFile, driver bool) error {
	parts, err := readParts(in, in.indexPart)
	if err != nil {
		return err
	}
	var dates latest
	for _, pt := range parts {
		number := make([]int32, len(pt.ids))
		for i, id := range pt.ids {
			number[i] = p.idIndex([]byte(id))
		}
		for i := range pt.recs {
			if l := &pt.recs[i]; l.id >= 0 {
				l.id = number[l.id]
			}
		}
		dates.join(&pt.latest)
	}
	if driver { // the first file read: every id numbered so far is its
		ids := slices.Clone(p.ids)
		slices.Sort(ids)
		var his []string
		for i := batchSize; i < len(ids); i += batchSize {
			his = append(his, ids[i-1])
		}
		p.his, p.total = his, len(ids)
	}
	p.setLatest(in, &dates)
	// File the rows by batch, in line order: count, then place.
	batchOf := make([]int32, len(p.ids))
	for i, id := range p.ids {
		batchOf[i] = int32(sort.SearchStrings(p.his, id)) // the first hi >= id
	}
	counts := make([]int, len(p.his)+1)
	free := 0
	for _, pt := range parts {
		for _, l := range pt.recs {
			if l.id < 0 {
				free++
			} else {
				counts[batchOf[l.id]]++
			}
		}
	}
	in.byHi = make([][]iloc, len(p.his)+1)
	for k, n := range counts {
		in.byHi[k] = make([]iloc, 0, n)
	}
	in.free = make([]iloc, 0, free)
	for _, pt := range parts {
		for _, l := range pt.recs {
			if l.id < 0 {
				in.free = append(in.free, l)
			} else {
				k := batchOf[l.id]
				in.byHi[k] = append(in.byHi[k], l)
			}
		}
	}
	return nil
}

// indexPart is what the index finds in a byte range of a file read on its own.
type indexPart struct {
	partEnd
	recs   []iloc   // every record; a row's id is the part's own number of its student
	ids    []string // the part's students, by its numbers
	latest latest
}

func (pt *indexPart) end() *partEnd { return &pt.partEnd }

func (pt *indexPart) renumber(shift int32) {
	for i := range pt.recs {
		pt.recs[i].line += shift
	}
	pt.latest.renumber(shift)
	pt.nextLine += shift
	pt.lines += shift
}

// indexPart reads the records that start in [from, to), from at line.
func (in *inFile) indexPart(from, to int64, line int32) *indexPart {
	pt := &indexPart{recs: make([]iloc, 0, (to-from)/48)} // rows of about 48 bytes
	number := map[string]int32{}
	var lastID []byte
	for r := range in.records(from, to, line, &pt.partEnd) {
		l := iloc{off: r.off, size: r.end - r.off, line: r.line, lines: r.lines, kind: r.kind, id: -1}
		if r.kind == recLong {
			l.size = r.long
		}
		if r.kind == recRow && len(r.id) > 0 {
			if len(pt.recs) > 0 && pt.recs[len(pt.recs)-1].id >= 0 && bytes.Equal(r.id, lastID) { // the rows of a student together
				l.id = pt.recs[len(pt.recs)-1].id
			} else {
				n, ok := number[string(r.id)]
				if !ok {
					n = int32(len(pt.ids))
					pt.ids = append(pt.ids, string(r.id))
					number[pt.ids[n]] = n
				}
				l.id = n
				lastID = append(lastID[:0], r.id...)
			}
		}
		pt.recs = append(pt.recs, l)
		if (in.kind == kindEvents || in.kind == kindHistories) && l.id >= 0 {
			pt.latest.note(r)
		}
	}
	return pt
}

// batch is one batch of a streamed roster, or of a roster read whole.
type batch struct {
	seq     int
	k       int  // the batch's range of ids (see streamPlan.his); -1: the rows of no student
	prepass bool // read only what the as-of date needs (not the interventions of known students)

	entries  []roster.Entry    // a roster read whole: the batch's students
	problems []roster.RowError // and the rows it could not use (the first batch)
}

// batches returns the batches of the plan: the rows of no student of indexed files
// first, then one batch per range of ids.
func (p *streamPlan) batches() []*batch {
	var out []*batch
	free := false
	for _, in := range p.files {
		free = free || len(in.free) > 0
	}
	if free {
		out = append(out, &batch{k: -1})
	}
	for k := range len(p.his) + 1 {
		out = append(out, &batch{k: k})
	}
	for i, b := range out {
		b.seq = i
	}
	return out
}

// seg maps lines of the input handed to roster to lines of the file: from line synth
// on, line synth+i is line orig+i of the file.
type seg struct{ synth, orig int32 }

func mapLine(segs []seg, line int) int {
	i := sort.Search(len(segs), func(i int) bool { return int(segs[i].synth) > line }) - 1
	if i < 0 || line <= 0 {
		return line
	}
	return int(segs[i].orig) + line - int(segs[i].synth)
}

// feed is the input handed to roster for one file of a batch.
type feed struct {
	data []byte
	segs []seg
	next int32 // the next line of data
}

func (in *inFile) newFeed() *feed {
	fd := &feed{next: 1}
	if !in.jsonl() {
		fd.data = append(fd.data, in.header...)
		fd.segs = append(fd.segs, seg{1, in.headerLine})
		fd.next = 2
	}
	return fd
}

func (fd *feed) add(raw []byte, line, lines int32) {
	if n := len(fd.segs); n == 0 || fd.segs[n-1].orig+(fd.next-fd.segs[n-1].synth) != line {
		fd.segs = append(fd.segs, seg{fd.next, line})
	}
	fd.data = append(fd.data, raw...)
	if len(raw) > 0 && raw[len(raw)-1] != '\n' {
		fd.data = append(fd.data, '\n')
	}
	fd.next += lines
}

// addLong adds a line roster will find too long: its content does not matter.
func (fd *feed) addLong(length int64, line int32) {
	fd.add(append(bytes.Repeat([]byte{'x'}, int(length)), '\n'), line, 1)
}

// shardSet says which students a run evaluates: those whose id hashes to shard k of n
// (FNV-1a, 64 bits), and the rows of no student with shard 0.
type shardSet struct{ k, n int }

func (s shardSet) all() bool { return s.n <= 1 }

func (s shardSet) has(id string) bool {
	if s.all() {
		return true
	}
	if id == "" {
		return s.k == 0
	}
	return int(fnv1a(id)%uint64(s.n)) == s.k
}

func fnv1a(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// readBatch reads one batch's rows with roster: the batch's students and the rows it
// could not use, at their lines in the files.
func (p *streamPlan) readBatch(b *batch, sh shardSet) ([]roster.Entry, []roster.RowError, error) {
	ro := roster.New(p.eng, p.cal)
	var problems []roster.RowError
	segsOf := map[string][]seg{}
	for _, in := range p.files {
		if b.prepass && in.kind == kindInterventions && p.files[0].kind == kindStudents {
			continue // the as-of date reads events and enrolment; interventions make no student here
		}
		fd := in.newFeed()
		var alone []iloc // quotes never closed: each read on its own
		var err error
		switch {
		case in.sorted && b.k >= 0:
			alone, err = p.feedRange(in, b.k, sh, fd)
		case !in.sorted && b.k >= 0:
			err = p.feedRecords(in, in.byHi[b.k], sh, fd, &alone)
		case !in.sorted && sh.has(""):
			err = p.feedRecords(in, in.free, sh, fd, &alone)
		}
		if err != nil {
			return nil, nil, err
		}
		if err := in.read(ro)(bytes.NewReader(fd.data), in.name); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", in.name, err)
		}
		segsOf[in.name] = fd.segs
		for _, l := range alone {
			one := in.newFeed()
			raw, err := readAt(in.f, l.off, l.size)
			if err != nil {
				return nil, nil, fmt.Errorf("%s: %w", in.name, err)
			}
			one.add(raw, l.line, l.lines)
			r1 := roster.New(p.eng, p.cal)
			if err := in.read(r1)(bytes.NewReader(one.data), in.name); err != nil {
				return nil, nil, fmt.Errorf("%s: %w", in.name, err)
			}
			for _, pr := range r1.Problems {
				pr.Line = mapLine(one.segs, pr.Line)
				problems = append(problems, pr)
			}
		}
	}
	for _, pr := range ro.Problems {
		segs := segsOf[pr.File]
		pr.Msg = firstAt(pr.Msg, pr.File, segs)
		pr.Line = mapLine(segs, pr.Line)
		problems = append(problems, pr)
	}
	entries := ro.Entries()
	for i := range entries {
		en := &entries[i]
		en.Source.Line = mapLine(segsOf[en.Source.File], en.Source.Line)
		if len(en.Sources) > 0 { // the batch's own roster: its entries are the batch's
			for j := range en.Sources {
				en.Sources[j].Line = mapLine(segsOf[en.Sources[j].File], en.Sources[j].Line)
			}
		}
		if id := en.History.Student.ID; !p.inBatch(b.k, id) {
			return nil, nil, fmt.Errorf("internal error: student %s read in the batch of another (a bug in attendance: please report it)", strconv.Quote(id))
		}
	}
	return entries, problems, nil
}

// inBatch reports whether id belongs in batch k.
func (p *streamPlan) inBatch(k int, id string) bool {
	if k < 0 {
		return false
	}
	return (k == 0 || id > p.his[k-1]) && (k == len(p.his) || id <= p.his[k])
}

// firstAt places the first history named in roster's "a second history (the first is
// at FILE:LINE)" at its line in the file.
func firstAt(msg, file string, segs []seg) string {
	const pre = "a second history (the first is at "
	rest, ok := strings.CutPrefix(msg, pre+file+":")
	if !ok {
		return msg
	}
	num, tail, ok := strings.Cut(rest, ")")
	n, err := strconv.Atoi(num)
	if !ok || err != nil {
		return msg
	}
	return pre + file + ":" + strconv.Itoa(mapLine(segs, n)) + ")" + tail
}

// feedRange adds batch k's range of a sorted file; with shards, only the shard's rows.
func (p *streamPlan) feedRange(in *inFile, k int, sh shardSet, fd *feed) ([]iloc, error) {
	off, line := in.dataOff, in.dataLine
	if k > 0 {
		off, line = in.cuts[k-1].off, in.cuts[k-1].line
	}
	end := in.size
	if k < len(in.cuts) {
		end = in.cuts[k].off
	}
	if sh.all() {
		fd.segs = append(fd.segs, seg{fd.next, line})
		n := len(fd.data)
		fd.data = slices.Grow(fd.data, int(end-off))[:n+int(end-off)]
		if _, err := in.f.ReadAt(fd.data[n:], off); err != nil && end > off {
			return nil, fmt.Errorf("%s: %w", in.name, err)
		}
		return nil, nil
	}
	buf, err := readAt(in.f, off, end-off)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.name, err)
	}
	var alone []iloc
	sc := in.scanner(bytes.NewReader(buf), off, line)
	for {
		r, err := sc.next()
		if errors.Is(err, io.EOF) {
			return alone, nil
		}
		if err != nil {
			return nil, err
		}
		if !sh.has(string(r.id)) {
			continue
		}
		switch r.kind {
		case recOpen:
			alone = append(alone, iloc{off: r.off, size: r.end - r.off, line: r.line, lines: 1, id: -1})
		case recLong:
			fd.addLong(r.long, r.line)
		default:
			fd.add(buf[r.off-off:r.end-off], r.line, r.lines)
		}
	}
}

// feedRecords adds rows of an indexed file, reading runs of adjacent rows at once.
func (p *streamPlan) feedRecords(in *inFile, recs []iloc, sh shardSet, fd *feed, alone *[]iloc) error {
	for i := 0; i < len(recs); {
		l := recs[i]
		if !sh.has(p.idOf(l.id)) {
			i++
			continue
		}
		switch l.kind {
		case recOpen:
			*alone = append(*alone, l)
			i++
			continue
		case recLong:
			fd.addLong(l.size, l.line)
			i++
			continue
		}
		j, end := i+1, l.off+l.size
		for j < len(recs) && recs[j].kind == recRow && recs[j].off == end && sh.has(p.idOf(recs[j].id)) && recs[j].line == recs[j-1].line+recs[j-1].lines {
			end += recs[j].size
			j++
		}
		buf, err := readAt(in.f, l.off, end-l.off)
		if err != nil {
			return fmt.Errorf("%s: %w", in.name, err)
		}
		for _, r := range recs[i:j] {
			fd.add(buf[r.off-l.off:r.off-l.off+r.size], r.line, r.lines)
		}
		i = j
	}
	return nil
}

func readAt(f *os.File, off, n int64) ([]byte, error) {
	buf := make([]byte, n)
	if _, err := f.ReadAt(buf, off); err != nil && !(errors.Is(err, io.EOF) && n == 0) {
		return nil, err
	}
	return buf, nil
}

// latestRowsAccepted returns the latest date of the event rows when the engine accepts
// an event of that date (ok): then it is the date latestEvent would find, for no
// accepted event is later. It reads only rows of that date and the students rows of
// their students, a batch at a time, until one is accepted.
func (p *streamPlan) latestRowsAccepted() (d calendar.Date, ok bool, err error) {
	if p.maxDate == "" || len(p.dateRecs) == 0 || p.noLatest {
		return d, false, nil
	}
	if d, err = calendar.ParseDate(p.maxDate); err != nil {
		return d, false, nil
	}
	byBatch := map[int][]iloc{}
	var ks []int
	for _, l := range p.dateRecs {
		k := sort.SearchStrings(p.his, p.ids[l.id])
		if byBatch[k] == nil {
			ks = append(ks, k)
		}
		byBatch[k] = append(byBatch[k], l)
	}
	slices.Sort(ks)
	for _, k := range ks {
		ids := map[string]bool{}
		for _, l := range byBatch[k] {
			ids[p.ids[l.id]] = true
		}
		ro := roster.New(p.eng, p.cal)
		for _, in := range p.files {
			var recs []iloc
			switch in.kind {
			case kindEvents:
				recs = byBatch[k]
			case kindStudents, kindHistories: // every history of the students: the first counts
				if recs, err = p.rowsOf(in, k, ids); err != nil {
					return d, false, err
				}
			default:
				continue
			}
			fd := in.newFeed()
			var alone []iloc
			if err := p.feedRecords(in, recs, shardSet{0, 1}, fd, &alone); err != nil {
				return d, false, err
			}
			if err := in.read(ro)(bytes.NewReader(fd.data), in.name); err != nil {
				return d, false, fmt.Errorf("%s: %w", in.name, err)
			}
		}
		for _, en := range ro.Entries() {
			if classify.LastDate(p.eng.Pack(), en.History) == d {
				return d, true, nil
			}
		}
	}
	return d, false, nil
}

// rowsOf returns the rows of batch k of a file that belong to the students ids.
func (p *streamPlan) rowsOf(in *inFile, k int, ids map[string]bool) ([]iloc, error) {
	var out []iloc
	if !in.sorted {
		for _, l := range in.byHi[k] {
			if l.kind == recRow && ids[p.idOf(l.id)] {
				out = append(out, l)
			}
		}
		return out, nil
	}
	off, line := in.dataOff, in.dataLine
	if k > 0 {
		off, line = in.cuts[k-1].off, in.cuts[k-1].line
	}
	end := in.size
	if k < len(in.cuts) {
		end = in.cuts[k].off
	}
	sc := in.scanner(io.NewSectionReader(in.f, off, end-off), off, line)
	for {
		r, err := sc.next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", in.name, err)
		}
		if r.kind == recRow && ids[string(r.id)] {
			out = append(out, iloc{off: r.off, size: r.end - r.off, line: r.line, lines: r.lines, id: p.idIndex(r.id)})
		}
	}
}
