package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/internal/safetext"
	"github.com/rollcall-go/rollcall/letters"
	"github.com/rollcall-go/rollcall/policy"
	"github.com/rollcall-go/rollcall/roster"
)

// attendance letters goes through report's pipeline, as report --format html does
// (html_report.go): each worker makes its batch's letters, their merge rows and the
// rows --record appends, school by school, as bytes; the batches' bytes go to a spool
// file in the output directory, a chunk per school and batch, in the order of student
// ids. Once every student is done, each school's file is its page's head, its chunks
// and its tail; merge.csv and the interventions file are their header and every
// school's chunks in order of school. Only the counts and the letters that could not
// be written stay in memory.

// lettersRun is the letters side of a run.
type lettersRun struct {
	eng    *rollcall.Engine
	v      *policy.Version
	asOf   calendar.Date
	dir    string
	rec    *recorder
	counts []string // the merge CSV's columns of counts

	spool   *os.File
	spoolW  *bufio.Writer
	off     int64
	schools map[string]*schoolLetters
	sum     lettersSummary
}

// schoolLetters is a school's letters, spooled.
type schoolLetters struct {
	html, merge, record []spoolChunk
	letters, recorded   int
	problems            []letters.Problem
}

// lettersBatch is one batch's letters, by school.
type lettersBatch struct {
	schools map[string]*batchLetters
	sum     lettersSummary
}

type batchLetters struct {
	html, merge, record bytes.Buffer
	mw                  *letters.MergeWriter
	rw                  *csv.Writer
	letters, recorded   int
	problems            []letters.Problem
}

func newLettersSummary() lettersSummary {
	return lettersSummary{byLang: map[string]int{}, bySteps: map[string]int{}, fallbacks: map[string]int{}}
}

func newLettersRun(eng *rollcall.Engine, dir string, rec *recorder) *lettersRun {
	return &lettersRun{eng: eng, dir: dir, rec: rec, schools: map[string]*schoolLetters{}, sum: newLettersSummary()}
}

// start makes the output directory and the spool, once the roster's files are known
// good and the as-of date is known.
func (lr *lettersRun) start(asOf calendar.Date) error {
	lr.asOf = asOf
	lr.v = lr.eng.Pack().At(asOf)
	lr.counts = letters.CountNames(lr.v)
	if err := os.MkdirAll(lr.dir, 0o755); err != nil {
		return fmt.Errorf("%s: cannot make the directory: %v", lr.dir, pathErr(err))
	}
	f, err := os.CreateTemp(lr.dir, ".letters-*")
	if err != nil {
		return fmt.Errorf("%s: cannot write: %v", lr.dir, pathErr(err))
	}
	lr.spool, lr.spoolW = f, bufio.NewWriterSize(f, 256<<10)
	return nil
}

// close removes the spool file.
func (lr *lettersRun) close() {
	if lr.spool != nil {
		lr.spool.Close()
		os.Remove(lr.spool.Name())
		lr.spool = nil
	}
}

func (lr *lettersRun) newBatch() *lettersBatch {
	return &lettersBatch{schools: map[string]*batchLetters{}, sum: newLettersSummary()}
}

// add makes a student's letters, in the order of the ladder's steps.
func (lr *lettersRun) add(lb *lettersBatch, en roster.Entry, ev *rollcall.Evaluation) error {
	h := en.History
	if h == nil || ev == nil || len(ev.Due) == 0 {
		return nil
	}
	school := strings.TrimSpace(h.Student.School)
	bl := lb.schools[school]
	if bl == nil {
		bl = &batchLetters{}
		bl.mw = letters.NewMergeRows(&bl.merge, lr.counts)
		if lr.rec != nil {
			bl.rw = csv.NewWriter(&bl.record)
		}
		lb.schools[school] = bl
	}
	made := letters.Make(letters.Input{Engine: lr.eng, History: h, Eval: ev})
	bl.problems = append(bl.problems, made.Problems...)
	for _, f := range made.Fallbacks {
		lb.sum.fallbacks[f.Wanted]++
		lb.sum.fellBack++
	}
	if len(made.Letters) > 0 {
		lb.sum.students++
	}
	var steps []string
	for _, l := range made.Letters {
		if !slices.Contains(steps, l.Step) {
			steps = append(steps, l.Step)
		}
	}
	for _, s := range steps {
		lb.sum.bySteps[s]++
		if bl.rw == nil {
			continue
		}
		var langs []string
		actor := ""
		for _, l := range made.Letters {
			if l.Step == s {
				actor = l.Actor
				if !slices.Contains(langs, l.Lang) {
					langs = append(langs, l.Lang)
				}
			}
		}
		bl.rw.Write(lr.rec.row(h.Student.ID, s, lr.asOf, actor, "letter ("+strings.Join(langs, ", ")+") by attendance letters"))
		bl.recorded++
	}
	ls := made.Letters
	letters.SortLetters(ls, lr.v) // one student's: by step
	for i := range ls {
		if err := letters.WriteLetterHTML(&bl.html, &ls[i]); err != nil {
			return fmt.Errorf("student %s: %s: %v", safetext.ShowID(h.Student.ID), ls[i].Step, err)
		}
		if err := bl.mw.Write(&ls[i]); err != nil {
			return err
		}
		bl.letters++
		lb.sum.letters++
		lb.sum.byLang[ls[i].Lang]++
	}
	return nil
}

// emit spools a batch's letters, in the batches' order.
func (lr *lettersRun) emit(lb *lettersBatch) error {
	s := &lr.sum
	s.students += lb.sum.students
	s.letters += lb.sum.letters
	s.fellBack += lb.sum.fellBack
	for _, m := range []struct{ to, from map[string]int }{{s.byLang, lb.sum.byLang}, {s.bySteps, lb.sum.bySteps}, {s.fallbacks, lb.sum.fallbacks}} {
		for k, n := range m.from {
			m.to[k] += n
		}
	}
	for _, school := range slices.Sorted(mapKeys(lb.schools)) {
		bl := lb.schools[school]
		sl := lr.schools[school]
		if sl == nil {
			sl = &schoolLetters{}
			lr.schools[school] = sl
		}
		if err := bl.mw.Flush(); err != nil {
			return err
		}
		if bl.rw != nil {
			if bl.rw.Flush(); bl.rw.Error() != nil {
				return bl.rw.Error()
			}
		}
		for _, part := range []struct {
			b      *bytes.Buffer
			chunks *[]spoolChunk
		}{{&bl.html, &sl.html}, {&bl.merge, &sl.merge}, {&bl.record, &sl.record}} {
			if part.b.Len() == 0 {
				continue
			}
			if _, err := lr.spoolW.Write(part.b.Bytes()); err != nil {
				return fmt.Errorf("%s: cannot write: %v", lr.spool.Name(), err)
			}
			*part.chunks = append(*part.chunks, spoolChunk{lr.off, int64(part.b.Len())})
			lr.off += int64(part.b.Len())
		}
		sl.letters += bl.letters
		sl.recorded += bl.recorded
		sl.problems = append(sl.problems, bl.problems...)
	}
	return nil
}

// chunks returns a reader of spooled chunks in order.
func (lr *lettersRun) chunks(cs []spoolChunk) io.Reader {
	var parts []io.Reader
	for _, c := range cs {
		parts = append(parts, io.NewSectionReader(lr.spool, c.off, c.n))
	}
	return io.MultiReader(parts...)
}

// finish writes each school's letters, merge.csv and the rows --record appends, school
// by school in order of name, and returns what it wrote with the letters not written.
func (lr *lettersRun) finish() (lettersSummary, int, error) {
	sum := lr.sum
	if err := lr.spoolW.Flush(); err != nil {
		return sum, 0, fmt.Errorf("%s: cannot write: %v", lr.spool.Name(), err)
	}
	schools := slices.Sorted(mapKeys(lr.schools))
	used := map[string]bool{}
	for _, school := range schools {
		sl := lr.schools[school]
		sum.problems = append(sum.problems, sl.problems...)
		if sl.letters == 0 {
			continue
		}
		path := filepath.Join(lr.dir, schoolFile(school, used))
		title := "Letters"
		if school != "" {
			title += ", " + school
		}
		if err := writeFile(path, func(w io.Writer) error {
			page := letters.NewPage(w, title+", "+lr.asOf.String())
			page.AddHTML(lr.chunks(sl.html))
			return page.Close()
		}); err != nil {
			return sum, 0, err
		}
		sum.files = append(sum.files, fmt.Sprintf("%s (%d letters)", path, sl.letters))
	}
	mergeName := filepath.Join(lr.dir, "merge.csv")
	if err := writeFile(mergeName, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(letters.MergeHeader(lr.counts))
		if cw.Flush(); cw.Error() != nil {
			return cw.Error()
		}
		for _, school := range schools {
			if _, err := io.Copy(w, lr.chunks(lr.schools[school].merge)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return sum, 0, err
	}
	sum.files = append(sum.files, mergeName)
	recorded := 0
	if lr.rec != nil {
		var rows []io.Reader
		for _, school := range schools {
			rows = append(rows, lr.chunks(lr.schools[school].record))
			recorded += lr.schools[school].recorded
		}
		if err := lr.rec.write(io.MultiReader(rows...), recorded); err != nil {
			return sum, 0, err
		}
	}
	return sum, recorded, nil
}
