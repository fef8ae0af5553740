package roster

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A JSON Lines line of any length is that line's problem: a line longer than MaxLine
// is reported as too long and skipped, a long line under it is decoded, and the other
// students are read either way.
func TestHistoriesLongLines(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 80 MiB")
	}
	line := func(id, extra string) string {
		return `{"student": {"id": "` + id + `"}, "calendar": ` + rosterCal + `, "events": [{"date": "2024-09-04", "code": "UNX"` + extra + `}]}` + "\n"
	}
	// Over the limit, and far over bufio.Scanner's default 64 KiB token and the
	// previous 64 MiB limit.
	huge := line("H2", `, "comment": "`+strings.Repeat("x", 64<<20+10)+`"`)
	// Under the limit: decoded (the comment is kept).
	big := line("H3", `, "comment": "`+strings.Repeat("y", 1<<20)+`"`)
	in := line("H1", "") + huge + big + line("H4", "")
	_, r := newTestRoster(t, "il-roe-sop")
	require.NoError(t, r.ReadHistories(strings.NewReader(in), "h.jsonl"))
	assert.Equal(t, []string{fmt.Sprintf("h.jsonl:2: line is longer than 16 MiB (%d bytes): skipped", len(huge)-1)}, problems(r))
	var ids []string
	for _, en := range r.Entries() {
		ids = append(ids, en.History.Student.ID)
	}
	assert.Equal(t, []string{"H1", "H3", "H4"}, ids)
	assert.Len(t, r.Entries()[1].History.Events[0].Comment, 1<<20)
}

// The last line needs no line break, and CRLF line endings are read.
func TestHistoriesLineEndings(t *testing.T) {
	h := func(id string) string {
		return `{"student": {"id": "` + id + `"}, "calendar": ` + rosterCal + `}`
	}
	_, r := newTestRoster(t, "il-roe-sop")
	require.NoError(t, r.ReadHistories(strings.NewReader(h("A")+"\r\n\r\n"+h("B")), "h.jsonl"))
	assert.Empty(t, r.Problems)
	require.Len(t, r.Entries(), 2)
	assert.Equal(t, Source{"h.jsonl", 3}, r.Entries()[1].Source)
}
