package main

import (
	"bufio"
	"cmp"
	"container/heap"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/rollcall-go/rollcall/roster"
)

// mergeShards is report --merge: it merges the shard files of a run of report --shard
// K/N (every K from 0 to N-1, each once) into what the run without shards prints: the
// rows in order of student id on standard output, then on standard error the rows not
// used and the summary; the exit status is the run's. With --decisions, the shards'
// decisions are appended to the log, in order of student id.
func mergeShards(e *env, files []string, decisionsFile *string) error {
	if len(files) == 0 {
		return usagef("--merge: give the shard files report --shard K/N wrote, one for each K")
	}
	shards := make([]*shardReader, len(files))
	for i, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("%s: cannot read: %v", name, withoutPathErr(err))
		}
		defer f.Close()
		if shards[i], err = openShard(f, name); err != nil {
			return err
		}
	}
	first := shards[0].head
	var k, n int
	fmt.Sscanf(first.Shard, "%d/%d", &k, &n)
	seen := make([]string, n)
	for _, s := range shards {
		h := s.head
		if h.Format != first.Format || h.Pack != first.Pack || h.Digest != first.Digest || h.AsOf != first.AsOf ||
			!slices.Equal(h.Order, first.Order) || !strings.HasSuffix(h.Shard, fmt.Sprintf("/%d", n)) {
			return fmt.Errorf("%s: not a shard of the same run as %s (shard %s, format %s, pack %s %s, as of %s; %s has shard %s, format %s, pack %s %s, as of %s)",
				s.name, shards[0].name, h.Shard, h.Format, h.Pack, h.Digest, h.AsOf, shards[0].name, first.Shard, first.Format, first.Pack, first.Digest, first.AsOf)
		}
		fmt.Sscanf(h.Shard, "%d/%d", &k, &n)
		if seen[k] != "" {
			return fmt.Errorf("%s: shard %s is also %s", s.name, h.Shard, seen[k])
		}
		seen[k] = s.name
	}
	if i := slices.Index(seen, ""); i >= 0 {
		return fmt.Errorf("shard %d/%d is missing: give the %d files of the run, one for each shard", i, n, n)
	}

	w := bufio.NewWriterSize(e.stdout, 64<<10)
	if first.Format == "csv" {
		w.WriteString(csvLine(reportColumns))
	}
	var decisions []byte
	h := &shardHeap{}
	for _, s := range shards {
		if err := s.next(); err != nil {
			return err
		}
		if s.row != nil {
			heap.Push(h, s)
		}
	}
	for h.Len() > 0 {
		s := (*h)[0]
		w.WriteString(s.row.Row)
		decisions = append(decisions, s.row.Decisions...)
		s.rows++
		if err := s.next(); err != nil {
			return err
		}
		if s.row == nil {
			heap.Pop(h)
		} else {
			heap.Fix(h, 0)
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	sum := summary{AsOf: first.AsOf, Pack: first.Pack, Order: first.Order, Due: map[string]int{}}
	var problems []roster.RowError
	for _, s := range shards {
		if s.rows != s.end.WithDue {
			return fmt.Errorf("%s: %d rows, its counts say %d: the file is not a whole shard", s.name, s.rows, s.end.WithDue)
		}
		problems = append(problems, s.problems...)
		sum.add(&batchResult{students: s.end.Students, withDue: s.end.WithDue, events: s.end.Events,
			rejectedEvents: s.end.RejectedEvents, due: s.end.Due})
	}
	// A file's line belongs to one student, and so to one shard: the shards' problems,
	// each already in the run's order, interleave by file and line alone.
	slices.SortStableFunc(problems, func(a, b roster.RowError) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	if *decisionsFile != "" && len(decisions) > 0 {
		if err := writeDecisions(*decisionsFile, decisions); err != nil {
			return err
		}
	}
	for _, p := range problems {
		fmt.Fprintln(e.stderr, p.Msg)
	}
	sum.Problems = len(problems)
	sum.print(e.stderr)
	if len(problems) > 0 {
		return silentError{}
	}
	return nil
}

// csvLine is a record as report's CSV writer prints it.
func csvLine(rec []string) string {
	var b strings.Builder
	cw := csv.NewWriter(&b)
	cw.Write(rec)
	cw.Flush()
	return b.String()
}

// shardReader reads one shard file: its header, its rows one at a time, then the rows
// it could not use and its counts.
type shardReader struct {
	name     string
	dec      *json.Decoder
	head     shardRecord
	row      *shardRecord // the current row, nil after the last
	rows     int
	problems []roster.RowError // Msg holds the problem as printed
	end      *shardCounts
}

func openShard(r io.Reader, name string) (*shardReader, error) {
	s := &shardReader{name: name, dec: json.NewDecoder(bufio.NewReaderSize(r, 1<<20))}
	if err := s.dec.Decode(&s.head); err != nil || s.head.Shard == "" {
		return nil, fmt.Errorf("%s: not a shard file of attendance report --shard K/N", name)
	}
	return s, nil
}

// next reads the next row; after the last, it reads the rest of the file.
func (s *shardReader) next() error {
	var rec shardRecord
	if err := s.dec.Decode(&rec); err != nil {
		return s.broken(err)
	}
	if rec.Student != "" {
		s.row = &rec
		return nil
	}
	s.row = nil
	for {
		switch {
		case rec.Problem != nil:
			s.problems = append(s.problems, roster.RowError{Source: roster.Source{File: rec.File, Line: rec.Line}, Msg: *rec.Problem})
		case rec.End != nil:
			s.end = rec.End
			if s.dec.More() {
				return fmt.Errorf("%s: more after the shard's counts", s.name)
			}
			return nil
		default:
			return fmt.Errorf("%s: a row after the rows not used", s.name)
		}
		rec = shardRecord{}
		if err := s.dec.Decode(&rec); err != nil {
			return s.broken(err)
		}
	}
}

func (s *shardReader) broken(err error) error {
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: the shard file ends before its counts: the shard did not finish", s.name)
	}
	return fmt.Errorf("%s: not a shard file of attendance report --shard K/N: %v", s.name, err)
}

// shardHeap orders the shards by their current row's student.
type shardHeap []*shardReader

func (h shardHeap) Len() int           { return len(h) }
func (h shardHeap) Less(i, j int) bool { return h[i].row.Student < h[j].row.Student }
func (h shardHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *shardHeap) Push(x any)        { *h = append(*h, x.(*shardReader)) }
func (h *shardHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
