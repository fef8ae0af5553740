package roster

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/calendar"
)

// Reading and classifying is linear in the number of events whatever they hold: no
// step scans the events read before (Ed-Fi records are placed on their line by counting
// line breaks once over the input, not from its start for each record; did-you-mean
// hints are computed against the pack's fixed lists, and not at all for free text).
// These tests feed 30,000 events with distinct unknown codes (or categories) on one
// date through each reader and the engine, and check that every one is reported. They
// assert no time: the time each took is logged (go test -run Linear -v), and the
// benchmarks below measure it (go test -bench Unknown -run X).

const linearEvents = 30000

// unknownCodesCSV is an events CSV of n events of one student on one date, each with
// its own unknown code.
func unknownCodesCSV(n int) string {
	var b strings.Builder
	b.WriteString(eventsHeader)
	for i := range n {
		fmt.Fprintf(&b, "S1,2024-09-04,Z%06d,,,,\n", i)
	}
	return b.String()
}

// unknownCategoriesEdFi is an Ed-Fi array of n records of one student on one date,
// each with its own unknown category, one record a line.
func unknownCategoriesEdFi(n int) string {
	var b strings.Builder
	b.WriteString("[\n")
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"studentReference": {"studentUniqueId": "S1"}, "attendanceEventCategoryDescriptor": "Cat%06d", "eventDate": "2024-09-04"}`, i)
	}
	b.WriteString("\n]\n")
	return b.String()
}

// unknownCodesJSONL is one history, on one line, of n events with distinct unknown
// codes on one date.
func unknownCodesJSONL(n int) string {
	var b strings.Builder
	b.WriteString(`{"student": {"id": "S1"}, "calendar": ` + rosterCal + `, "events": [`)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `{"date": "2024-09-04", "code": "Z%06d"}`, i)
	}
	b.WriteString("]}\n")
	return b.String()
}

// readAndClassify reads input with the reader kind names, classifies every history,
// and returns the number of problems.
func readAndClassify(tb testing.TB, kind, input string) int {
	tb.Helper()
	pack := "il-roe-sop"
	if kind == "edfi" {
		pack = "ccs"
	}
	eng, r := newTestRoster(tb, pack)
	var err error
	switch kind {
	case "csv":
		err = r.ReadEvents(strings.NewReader(input), "e.csv")
	case "edfi":
		err = r.ReadEdFi(strings.NewReader(input), "e.json")
	case "jsonl":
		err = r.ReadHistories(strings.NewReader(input), "h.jsonl")
	}
	require.NoError(tb, err)
	n := len(r.Problems)
	for _, en := range r.Entries() {
		_, err := eng.Classify(en.History, calendar.Date{})
		n += len(en.RowErrors(err))
	}
	return n
}

func TestLinearUnknownCodes(t *testing.T) {
	if testing.Short() {
		t.Skip("30,000 events")
	}
	for _, c := range []struct {
		kind  string
		input func(int) string
	}{
		{"csv", unknownCodesCSV},
		{"edfi", unknownCategoriesEdFi},
		{"jsonl", unknownCodesJSONL},
	} {
		t.Run(c.kind, func(t *testing.T) {
			for _, size := range []int{linearEvents / 2, linearEvents} {
				input := c.input(size)
				start := time.Now()
				n := readAndClassify(t, c.kind, input)
				t.Logf("%s: %d events with distinct unknown codes on one date: %d problems in %v", c.kind, size, n, time.Since(start))
				assert.Equal(t, size, n, "every event reported, once")
			}
		})
	}
}

func BenchmarkUnknownCodes(b *testing.B) {
	for _, kind := range []string{"csv", "edfi", "jsonl"} {
		for _, size := range []int{linearEvents / 4, linearEvents / 2, linearEvents} {
			input := map[string]func(int) string{"csv": unknownCodesCSV, "edfi": unknownCategoriesEdFi, "jsonl": unknownCodesJSONL}[kind](size)
			b.Run(fmt.Sprintf("%s/%d", kind, size), func(b *testing.B) {
				for b.Loop() {
					readAndClassify(b, kind, input)
				}
			})
		}
	}
}
