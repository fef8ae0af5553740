package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/letters"
	"github.com/rollcall-go/rollcall/roster"
)

// report --format html goes through report's own pipeline (report.go, stream.go): each
// worker counts its batch's students into a letters.Report of its own, and with --out
// writes their pages and makes their rows of their schools' pages, so that no
// evaluation outlives its batch. The batches' reports are merged in order; the
// schools' rows go to a spool file in the output directory, a chunk per school and
// batch, read back once every student is counted to write the schools' pages, whose
// summaries come first. The district's page is written last, from the counts alone.

// htmlBrief lets report --format html without --out evaluate with a Brief engine (tests
// compare its page with the full engine's).
var htmlBrief = true

// htmlRun is the HTML side of a report run.
type htmlRun struct {
	eng  *rollcall.Engine // the full engine: notes and clauses
	asOf calendar.Date
	out  string          // --out DIR; "" writes the district's page on standard output
	rep  *letters.Report // the district, merged batch by batch

	mu   sync.Mutex
	dirs map[string]string // school -> the directory under out its pages are written in
	// closed: the run is over (close), and no school's directory is made any more
	closed bool

	spool    *os.File
	spoolW   *bufio.Writer
	spoolOff int64
	chunks   map[string][]spoolChunk // per school, its rows' chunks in order
	pages    int                     // student pages written

	// the student pages, written by writers of their own so that the workers evaluate
	// while a page waits on the disk (creating a file costs more than making its page)
	files    chan pageFile
	stop     chan struct{} // closed when the run stops on an error
	writers  sync.WaitGroup
	done     sync.Once // files closed
	stopped  sync.Once // stop closed
	writeErr error     // the first error of a writer (under mu)
}

// pageFile is a page to write.
type pageFile struct {
	name string
	data []byte
}

// spoolChunk is a run of a school's rows in the spool file.
type spoolChunk struct{ off, n int64 }

// htmlBatch is one batch's share of the HTML report.
type htmlBatch struct {
	part  *letters.Report
	rows  map[string][]byte // per school, its students' rows (with --out)
	pages int
}

func newHTMLRun(eng *rollcall.Engine, out string) (*htmlRun, error) {
	h := &htmlRun{eng: eng, out: out}
	if out == "" {
		return h, nil
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("%s: cannot make the directory: %v", out, pathErr(err))
	}
	f, err := os.CreateTemp(out, ".rows-*")
	if err != nil {
		return nil, fmt.Errorf("%s: cannot write: %v", out, pathErr(err))
	}
	h.spool, h.spoolW = f, bufio.NewWriterSize(f, 256<<10)
	h.dirs, h.chunks = map[string]string{}, map[string][]spoolChunk{}
	n := 4 * runtime.GOMAXPROCS(0)
	h.files, h.stop = make(chan pageFile, 4*n), make(chan struct{})
	for range n {
		h.writers.Go(func() {
			for {
				var f pageFile
				var ok bool
				select {
				case f, ok = <-h.files:
				case <-h.stop:
				}
				if !ok {
					return
				}
				if err := os.WriteFile(f.name, f.data, 0o644); err != nil {
					h.mu.Lock()
					if h.writeErr == nil {
						h.writeErr = fmt.Errorf("%s: cannot write: %v", f.name, pathErr(err))
					}
					h.mu.Unlock()
				}
			}
		})
	}
	return h, nil
}

// wait waits for the pages handed to the writers, once every batch is done, and
// returns the first error writing one.
func (h *htmlRun) wait() error {
	if h.files != nil {
		h.done.Do(func() { close(h.files) })
		h.writers.Wait()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.writeErr
}

// start is called once the as-of date is known, before any batch.
func (h *htmlRun) start(asOf calendar.Date) {
	h.asOf = asOf
	h.rep = letters.NewReport(h.eng.Pack(), asOf)
}

// close stops the writers, when the run stopped on an error (a worker may still be
// handing them a page), and removes the spool file and the directories of pages not
// placed under their school's name (none, once finish has placed them all).
func (h *htmlRun) close() {
	if h.stop != nil {
		h.stopped.Do(func() { close(h.stop) })
		h.writers.Wait()
	}
	h.mu.Lock()
	h.closed = true
	staging := slices.Collect(maps.Values(h.dirs))
	h.mu.Unlock()
	for _, d := range staging {
		os.RemoveAll(filepath.Join(h.out, d))
	}
	if h.spool != nil {
		h.spool.Close()
		os.Remove(h.spool.Name())
		h.spool = nil
	}
}

func (h *htmlRun) newBatch() *htmlBatch {
	hb := &htmlBatch{part: letters.NewReport(h.eng.Pack(), h.asOf)}
	if h.out != "" {
		hb.rows = map[string][]byte{}
	}
	return hb
}

// add counts one student in the batch's report and, with --out, writes the student's
// page and makes the student's row of the school's page.
func (h *htmlRun) add(hb *htmlBatch, en roster.Entry, ev *rollcall.Evaluation) error {
	hist := en.History
	if hist == nil || ev == nil {
		return nil
	}
	if h.out == "" {
		hb.part.Add(hist, ev, "")
		return nil
	}
	page := letters.PageName(hist.Student.ID) + ".html"
	row, ok := hb.part.AddStudent(hist, ev, page)
	if !ok {
		return nil
	}
	school := letters.SchoolOf(hist)
	dir, err := h.schoolDir(school)
	if err != nil {
		return err
	}
	name := filepath.Join(h.out, dir, page)
	data, err := letters.StudentPageHTML(letters.StudentPage{Engine: h.eng, History: hist, Eval: ev, Back: "index.html"})
	if err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	select {
	case h.files <- pageFile{name, data}:
	case <-h.stop:
		return errors.New("report stopped")
	}
	hb.rows[school] = letters.AppendStudentRow(hb.rows[school], row)
	hb.pages++
	return nil
}

// schoolDir returns the directory under out where a school's student pages are
// written while the students are evaluated, made at the school's first student:
// .school-HASH, a hash of the name. finish moves it to the school's own directory, its
// Slug (with -2, -3... after the first of schools whose names have the same slug, in
// order of name), so that the names do not depend on which worker met a school first.
func (h *htmlRun) schoolDir(school string) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if d, ok := h.dirs[school]; ok {
		return d, nil
	}
	if h.closed {
		return "", errors.New("report stopped")
	}
	d := fmt.Sprintf(".school-%016x", fnv1a(school))
	path := filepath.Join(h.out, d)
	if err := os.MkdirAll(path, 0o755); err != nil {
		return "", fmt.Errorf("%s: cannot make the directory: %v", path, pathErr(err))
	}
	h.dirs[school] = d
	return d, nil
}

// place moves a school's pages from the directory they were written in to the school's
// own (file by file when a run before made it).
func (h *htmlRun) place(staging, dir string) error {
	from, to := filepath.Join(h.out, staging), filepath.Join(h.out, dir)
	if staging == "" {
		if err := os.MkdirAll(to, 0o755); err != nil {
			return fmt.Errorf("%s: cannot make the directory: %v", to, pathErr(err))
		}
		return nil
	}
	if err := os.Rename(from, to); err == nil {
		return nil
	}
	if err := os.MkdirAll(to, 0o755); err != nil {
		return fmt.Errorf("%s: cannot make the directory: %v", to, pathErr(err))
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		return fmt.Errorf("%s: cannot read: %v", from, pathErr(err))
	}
	for _, e := range entries {
		if err := os.Rename(filepath.Join(from, e.Name()), filepath.Join(to, e.Name())); err != nil {
			return fmt.Errorf("%s: cannot write: %v", filepath.Join(to, e.Name()), pathErr(err))
		}
	}
	return os.Remove(from)
}

// emit merges a batch's report into the district's and spools its rows, in the
// batches' order (that of student ids).
func (h *htmlRun) emit(hb *htmlBatch) error {
	h.mu.Lock()
	err := h.writeErr
	h.mu.Unlock()
	if err != nil {
		return err
	}
	h.rep.Merge(hb.part)
	h.pages += hb.pages
	for _, school := range slices.Sorted(mapKeys(hb.rows)) {
		rows := hb.rows[school]
		if _, err := h.spoolW.Write(rows); err != nil {
			return fmt.Errorf("%s: cannot write: %v", h.spool.Name(), err)
		}
		h.chunks[school] = append(h.chunks[school], spoolChunk{h.spoolOff, int64(len(rows))})
		h.spoolOff += int64(len(rows))
	}
	return nil
}

// finish writes the district's page (on stdout, a buffer, or with --out in the directory
// with each school's) and returns what it wrote, for the summary.
func (h *htmlRun) finish(stdout io.Writer, problems int) ([]string, error) {
	h.rep.Problems = problems
	if h.out == "" {
		return nil, h.rep.WriteHTML(stdout, false)
	}
	if err := h.wait(); err != nil {
		return nil, err
	}
	if err := h.spoolW.Flush(); err != nil {
		return nil, fmt.Errorf("%s: cannot write: %v", h.spool.Name(), err)
	}
	used := map[string]bool{}
	for _, school := range h.rep.SchoolNames() {
		slug := letters.Slug(school)
		d := slug
		for k := 2; used[d]; k++ {
			d = fmt.Sprintf("%s-%d", slug, k)
		}
		used[d] = true
		if err := h.place(h.dirs[school], d); err != nil {
			return nil, err
		}
		h.rep.Schools[school].Dir = d
	}
	index := filepath.Join(h.out, "index.html")
	if err := writeFile(index, func(w io.Writer) error { return h.rep.WriteHTML(w, true) }); err != nil {
		return nil, err
	}
	for _, school := range h.rep.SchoolNames() {
		dir := h.rep.Schools[school].Dir
		var parts []io.Reader
		for _, c := range h.chunks[school] {
			parts = append(parts, io.NewSectionReader(h.spool, c.off, c.n))
		}
		rows := io.MultiReader(parts...)
		if err := writeFile(filepath.Join(h.out, dir, "index.html"), func(w io.Writer) error {
			return h.rep.WriteSchoolPage(w, school, "../index.html", rows)
		}); err != nil {
			return nil, err
		}
	}
	return []string{index, fmt.Sprintf("%d school pages and %d student pages under %s", len(h.rep.Schools), h.pages, h.out)}, nil
}
