package roster

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const eventsHeader = "student_id,date,code,minutes,documents,comment,reason\n"

// eventCodes returns "id date code" for every event read, by student.
func eventCodes(r *Roster) []string {
	var out []string
	for _, en := range r.Entries() {
		for _, ev := range en.History.Events {
			out = append(out, en.History.Student.ID+" "+ev.Date.String()+" "+ev.Code)
		}
	}
	return out
}

// A quote left open loses only the row where it opened: that row is reported with the
// line and column of the quote, and the rows after it are read.
func TestCSVOpenQuoteLosesOneRow(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"open to the end of the file", eventsHeader +
			"S1,2024-09-03,UNX,,,,\n" +
			"S1,2024-09-04,UNX,,,\"called in, said,\n" +
			"S2,2024-09-04,UNX,,,,\n" +
			"S2,2024-09-05,UNX,,,,\n",
			"e.csv:3: column 21: a quote opened here is not closed: the row is skipped, the lines after it are read as rows"},
		{"closed rows later", eventsHeader +
			"S1,2024-09-03,UNX,,,,\n" +
			"S1,2024-09-04,UNX,,,\"called in,\n" +
			"S2,2024-09-04,UNX,,,,\n" +
			"S2,2024-09-05,UNX,,,\"\",\"back\n",
			"e.csv:3: column 21: a quote opened here is not closed: the row is skipped, the lines after it are read as rows"},
		{"CRLF line endings", strings.ReplaceAll(eventsHeader+
			"S1,2024-09-03,UNX,,,,\n"+
			"S1,2024-09-04,UNX,,,\"called in, said,\n"+
			"S2,2024-09-04,UNX,,,,\n"+
			"S2,2024-09-05,UNX,,,,\n", "\n", "\r\n"),
			"e.csv:3: column 21: a quote opened here is not closed: the row is skipped, the lines after it are read as rows"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, r := newTestRoster(t, "il-roe-sop")
			require.NoError(t, r.ReadEvents(strings.NewReader(c.in), "e.csv"))
			require.NotEmpty(t, r.Problems)
			assert.Equal(t, c.want, r.Problems[0].Error())
			codes := eventCodes(r)
			assert.Contains(t, codes, "S1 2024-09-03 UNX")
			assert.Contains(t, codes, "S2 2024-09-04 UNX", "the row after the open quote is read")
			assert.NotContains(t, codes, "S1 2024-09-04 UNX", "the row with the open quote is not")
		})
	}
}

// A quoted field may hold line breaks (a comment on two lines): the record is read
// whole, at the line it starts on.
func TestCSVMultilineField(t *testing.T) {
	_, r := newTestRoster(t, "il-roe-sop")
	in := eventsHeader +
		"S1,2024-09-03,UNX,,,\"called in\nwill bring a note, \"\"maybe\"\"\",\n" +
		"S1,2024-09-04,UNX,,,,\n"
	require.NoError(t, r.ReadEvents(strings.NewReader(in), "e.csv"))
	assert.Empty(t, r.Problems)
	en := r.Entries()
	require.Len(t, en, 1)
	require.Len(t, en[0].History.Events, 2)
	assert.Equal(t, "called in\nwill bring a note, \"maybe\"", en[0].History.Events[0].Comment)
	assert.Equal(t, []Source{{"e.csv", 2}, {"e.csv", 4}}, en[0].Sources)
}

// A quote that never closes is given up after maxRecordLines lines: every line after
// the first is still read, each once more at most.
func TestCSVOpenQuoteManyLines(t *testing.T) {
	var b strings.Builder
	b.WriteString(eventsHeader)
	b.WriteString("S0,2024-09-03,UNX,,,\"open\n")
	const n = 3 * maxRecordLines
	for i := range n {
		fmt.Fprintf(&b, "S%d,2024-09-04,UNX,,,note %d,\n", i+1, i)
	}
	_, r := newTestRoster(t, "il-roe-sop")
	require.NoError(t, r.ReadEvents(strings.NewReader(b.String()), "e.csv"))
	assert.Equal(t, []string{"e.csv:2: column 21: a quote opened here is not closed: the row is skipped, the lines after it are read as rows"}, problems(r))
	assert.Equal(t, n, r.Events)
}

// Lines that each open or close a quote pair up as two-line records; none is lost
// that is not reported, and every line is read a bounded number of times.
func TestCSVAlternatingQuotes(t *testing.T) {
	var b strings.Builder
	b.WriteString(eventsHeader)
	const n = 2000
	for i := range n {
		fmt.Fprintf(&b, "S%d,2024-09-04,UNX,,,\"x,\n", i)
	}
	_, r := newTestRoster(t, "il-roe-sop")
	require.NoError(t, r.ReadEvents(strings.NewReader(b.String()), "e.csv"))
	// Each line is either read, or reported.
	assert.Equal(t, n, r.Events+len(r.Problems), "%v", problems(r)[:min(3, len(r.Problems))])
}

// Bare quotes and a quote in a field that is not quoted are reported at their column.
func TestCSVBareQuote(t *testing.T) {
	_, r := newTestRoster(t, "il-roe-sop")
	in := eventsHeader +
		"S1,2024-09-03,UNX,,,5\" of snow,\n" +
		"S1,2024-09-04,UNX,,,,\n" +
		"S1,2024-09-05,UNX,,,he said \"hi\",\n" +
		"S1,2024-09-06,UNX,,,\"ok\"x,\n"
	require.NoError(t, r.ReadEvents(strings.NewReader(in), "e.csv"))
	assert.Equal(t, []string{
		"e.csv:2: column 22: a quote inside a field that is not quoted is never closed: the row is skipped, the lines after it are read as rows (quote the field and double its quotes)",
		`e.csv:4: column 29: bare " in non-quoted-field`,
		`e.csv:5: column 24: extraneous or missing " in quoted-field`,
	}, problems(r))
	assert.Equal(t, []string{"S1 2024-09-04 UNX"}, eventCodes(r))
}

// A header whose quote never closes stops the file with its line.
func TestCSVHeaderOpenQuote(t *testing.T) {
	_, r := newTestRoster(t, "il-roe-sop")
	err := r.ReadEvents(strings.NewReader("student_id,date,\"code\nS1,2024-09-03,UNX\n"), "e.csv")
	assert.EqualError(t, err, "e.csv:1: the header row cannot be read: column 17: a quote opened here is not closed")
}

// A CSV line longer than MaxLine is one problem; the lines after it are read.
func TestCSVLineTooLong(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 17 MiB")
	}
	var b strings.Builder
	b.WriteString(eventsHeader)
	b.WriteString("S1,2024-09-03,UNX,,,")
	b.WriteString(strings.Repeat("x", MaxLine+1))
	b.WriteString(",\nS1,2024-09-04,UNX,,,,\n")
	_, r := newTestRoster(t, "il-roe-sop")
	require.NoError(t, r.ReadEvents(strings.NewReader(b.String()), "e.csv"))
	assert.Equal(t, []string{fmt.Sprintf("e.csv:2: line is longer than 16 MiB (%d bytes): skipped", MaxLine+22)}, problems(r))
	assert.Equal(t, []string{"S1 2024-09-04 UNX"}, eventCodes(r))
}
