package roster

import (
	"github.com/rollcall-go/rollcall/internal/safetext"

	"cmp"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
)

var updateHostile = flag.Bool("update-hostile", false, "rewrite the .want files of testdata/hostile from what the readers print")

// hostileDir holds small hostile inputs, each with NAME.want beside it: the lines a
// roster run prints on stderr for it (see its README.md).
const hostileDir = "../testdata/hostile"

// hostileCases returns the corpus's inputs: every file with a .want beside it.
func hostileCases(t *testing.T) []string {
	t.Helper()
	wants, err := filepath.Glob(filepath.Join(hostileDir, "*.want"))
	require.NoError(t, err)
	require.NotEmpty(t, wants)
	var out []string
	for _, w := range wants {
		out = append(out, strings.TrimSuffix(filepath.Base(w), ".want"))
	}
	return out
}

// readHostile reads one corpus file with the reader its name calls for, classifies
// every history as `attendance classify` does (as of each history's own last event),
// and returns the lines it would print on stderr: the problems sorted by file and line,
// or the error that stopped the reading.
func readHostile(t *testing.T, name string) []string {
	t.Helper()
	pack := "il-roe-sop"
	if strings.HasSuffix(name, ".edfi.json") {
		pack = "ccs"
	}
	eng, err := rollcall.Open(pack)
	require.NoError(t, err)
	calData, err := os.ReadFile(filepath.Join(hostileDir, "calendar.json"))
	require.NoError(t, err)
	if strings.HasSuffix(name, ".calendar.json") {
		calData, err = os.ReadFile(filepath.Join(hostileDir, name))
		require.NoError(t, err)
		if _, err := ReadCalendar(calData, name); err != nil {
			return strings.Split(err.Error(), "\n")
		}
		return nil
	}
	cal, err := ReadCalendar(calData, "calendar.json")
	require.NoError(t, err)
	r := New(eng, cal)
	if strings.HasSuffix(name, ".jsonl") {
		r = New(eng, nil)
	}
	var reader func(io.Reader, string) error
	for suffix, f := range map[string]func(io.Reader, string) error{
		".events.csv": r.ReadEvents, ".students.csv": r.ReadStudents, ".interventions.csv": r.ReadInterventions,
		".edfi.json": r.ReadEdFi, ".jsonl": r.ReadHistories,
	} {
		if strings.HasSuffix(name, suffix) {
			reader = f
		}
	}
	require.NotNil(t, reader, "%s: no reader for this kind of file", name)
	f, err := os.Open(filepath.Join(hostileDir, name))
	require.NoError(t, err)
	defer f.Close()
	if err := reader(f, name); err != nil {
		return []string{err.Error()}
	}
	problems := slices.Clone(r.Problems)
	for _, en := range r.Entries() {
		_, err := eng.Classify(en.History, calendar.Date{})
		problems = append(problems, en.RowErrors(err)...)
	}
	slices.SortStableFunc(problems, func(a, b RowError) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	var lines []string
	for _, p := range problems {
		lines = append(lines, p.Error())
	}
	return lines
}

// Every hostile input gives exactly the lines of its .want file, each one line with
// no control character, and no free text of the input.
func TestHostileCorpus(t *testing.T) {
	for _, name := range hostileCases(t) {
		t.Run(name, func(t *testing.T) {
			got := readHostile(t, name)
			wantFile := filepath.Join(hostileDir, name+".want")
			if *updateHostile {
				text := strings.Join(got, "\n")
				if text != "" {
					text += "\n"
				}
				require.NoError(t, os.WriteFile(wantFile, []byte(text), 0o644))
				return
			}
			data, err := os.ReadFile(wantFile)
			require.NoError(t, err)
			want := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
			if len(data) == 0 {
				want = nil
			}
			assert.Equal(t, want, got)
			for _, line := range got {
				assertSafeLine(t, line)
			}
		})
	}
}

// assertSafeLine checks that a line of stderr holds no character that could forge
// another line or reorder what a terminal shows, and no known free text of the corpus.
func assertSafeLine(t *testing.T, line string) {
	t.Helper()
	assert.Equal(t, -1, strings.IndexFunc(line, safetext.Unsafe), "a control or format character in %q", line)
	for _, text := range []string{"Jane Doe", "called in", "bus", "grandmother", "funeral", "please call", "sick", "forged", "twenty"} {
		assert.NotContains(t, line, text, "free text echoed")
	}
}
