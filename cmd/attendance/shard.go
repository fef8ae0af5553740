package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/roster"
)

// A run of report past one machine: `report --shard K/N` evaluates only the students
// whose id hashes to K (FNV-1a of the id, modulo N; the rows of no student go with
// shard 0) and writes a shard file; `attendance merge` merges the N shard files into
// the output the run without shards prints, byte for byte. Every shard reads every
// row (only its students are evaluated), so that the default as-of date is the whole
// roster's.

// shardFlag is --shard K/N (0 <= K < N).
type shardFlag struct{ set shardSet }

func (f *shardFlag) String() string {
	if f.set.n == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", f.set.k, f.set.n)
}

func (f *shardFlag) Set(s string) error {
	ks, ns, ok := strings.Cut(s, "/")
	k, err1 := strconv.Atoi(ks)
	n, err2 := strconv.Atoi(ns)
	if !ok || err1 != nil || err2 != nil || n < 1 || k < 0 || k >= n || n > 1<<20 {
		return fmt.Errorf("want K/N with 0 <= K < N, such as 0/4 (the batch system's array index / the number of tasks)")
	}
	f.set = shardSet{k, n}
	return nil
}

// shardRecord is one line of a shard file (JSON Lines): first the header, then one
// record per row of the report in order of student id, then the rows the shard
// could not use, then the counts.
type shardRecord struct {
	// the header
	Shard  string        `json:"rollcall_report_shard,omitempty"` // "K/N"
	Format string        `json:"format,omitempty"`
	Pack   string        `json:"pack,omitempty"`
	Digest string        `json:"sha256,omitempty"`
	AsOf   calendar.Date `json:"as_of,omitzero"`
	Order  []string      `json:"order,omitempty"`
	// a row: the student, the row as the report prints it, the decisions logged
	Student   string `json:"s,omitempty"`
	Row       string `json:"r,omitempty"`
	Decisions string `json:"d,omitempty"`
	// a row not used: as printed, with its file and line
	Problem *string `json:"p,omitempty"`
	File    string  `json:"file,omitempty"`
	Line    int     `json:"line,omitempty"`
	// the last line: the shard's counts
	End *shardCounts `json:"end,omitempty"`
}

// shardCounts are the counts of a shard's summary.
type shardCounts struct {
	Students       int            `json:"students"`
	WithDue        int            `json:"with_due"`
	Events         int            `json:"events"`
	RejectedEvents int            `json:"rejected_events"`
	Due            map[string]int `json:"due"`
	Problems       int            `json:"problems"`
}

// shardWriter writes a shard file.
type shardWriter struct {
	enc *json.Encoder
}

func newShardWriter(w io.Writer) *shardWriter {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &shardWriter{enc: enc}
}

func (s *shardWriter) header(sh shardSet, format, digest string, sum *summary) error {
	return s.enc.Encode(shardRecord{Shard: fmt.Sprintf("%d/%d", sh.k, sh.n), Format: format, Pack: sum.Pack, Digest: digest,
		AsOf: sum.AsOf, Order: sum.Order})
}

// rows writes a batch's rows, cut at the ends given.
func (s *shardWriter) rows(br *batchResult) error {
	start, dstart := 0, 0
	for _, r := range br.rows {
		rec := shardRecord{Student: r.student, Row: string(br.out[start:r.end]), Decisions: string(br.decisions[dstart:r.dend])}
		if err := s.enc.Encode(rec); err != nil {
			return err
		}
		start, dstart = r.end, r.dend
	}
	return nil
}

func (s *shardWriter) end(problems []roster.RowError, sum *summary) error {
	for _, p := range problems {
		text := p.Error()
		if err := s.enc.Encode(shardRecord{Problem: &text, File: p.File, Line: p.Line}); err != nil {
			return err
		}
	}
	return s.enc.Encode(shardRecord{End: &shardCounts{Students: sum.Students, WithDue: sum.WithDue, Events: sum.Events,
		RejectedEvents: sum.RejectedEvents, Due: sum.Due, Problems: len(problems)}})
}
