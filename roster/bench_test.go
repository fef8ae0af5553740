package roster_test

import (
	"bytes"
	"runtime"
	"testing"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/internal/district"
	"github.com/rollcall-go/rollcall/policy"
	"github.com/rollcall-go/rollcall/roster"
)

// Benchmarks of reading one batch of a generated district (internal/district) as
// `attendance report` reads a streamed roster: a new Roster, the batch's students,
// events and interventions (or its JSON Lines histories), then Entries. They report
// ns/row and allocs/row beside the usual figures: a row is a data row of the CSV files
// (students, events and interventions), or a line of JSON Lines.

// benchBatch is the number of students of a batch, as report reads them.
const benchBatch = 256

func benchDistrict(b *testing.B) (*rollcall.Engine, map[string][]byte) {
	b.Helper()
	p, err := policy.Embedded("il-roe-sop")
	if err != nil {
		b.Fatal(err)
	}
	files, err := district.Render(benchBatch, p, 1, 0)
	if err != nil {
		b.Fatal(err)
	}
	return rollcall.New(p), files
}

// dataRows counts the lines after the header of CSV data.
func dataRows(data []byte) int { return bytes.Count(data, []byte{'\n'}) - 1 }

// reportPerRow reports ns/row and allocs/row; allocs are counted over the whole run.
func reportPerRow(b *testing.B, rows int, allocs func() uint64) {
	n := float64(b.N) * float64(rows)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/row")
	b.ReportMetric(float64(allocs())/n, "allocs/row")
}

// mallocs returns a function that counts the allocations made since it was called.
func mallocs() func() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	start := m.Mallocs
	return func() uint64 {
		runtime.ReadMemStats(&m)
		return m.Mallocs - start
	}
}

func BenchmarkReadBatchCSV(b *testing.B) {
	eng, files := benchDistrict(b)
	cal, err := roster.ReadCalendar(files["calendar.json"], "calendar.json")
	if err != nil {
		b.Fatal(err)
	}
	students, events, ivs := files["students.csv"], files["events.csv"], files["interventions.csv"]
	rows := dataRows(students) + dataRows(events) + dataRows(ivs)
	b.ReportAllocs()
	allocs := mallocs()
	for b.Loop() {
		ro := roster.New(eng, cal)
		if err := ro.ReadStudents(bytes.NewReader(students), "students.csv"); err != nil {
			b.Fatal(err)
		}
		if err := ro.ReadEvents(bytes.NewReader(events), "events.csv"); err != nil {
			b.Fatal(err)
		}
		if err := ro.ReadInterventions(bytes.NewReader(ivs), "interventions.csv"); err != nil {
			b.Fatal(err)
		}
		if n := len(ro.Entries()); n != benchBatch || len(ro.Problems) > 0 {
			b.Fatalf("%d entries, problems %v", n, ro.Problems)
		}
	}
	reportPerRow(b, rows, allocs)
}

func BenchmarkReadBatchJSONL(b *testing.B) {
	eng, files := benchDistrict(b)
	lines := files["histories.jsonl"]
	b.ReportAllocs()
	allocs := mallocs()
	for b.Loop() {
		ro := roster.New(eng, nil)
		if err := ro.ReadHistories(bytes.NewReader(lines), "histories.jsonl"); err != nil {
			b.Fatal(err)
		}
		if n := len(ro.Entries()); n != benchBatch || len(ro.Problems) > 0 {
			b.Fatalf("%d entries, problems %v", n, ro.Problems)
		}
	}
	reportPerRow(b, benchBatch, allocs)
}
