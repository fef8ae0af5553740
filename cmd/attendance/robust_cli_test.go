package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/history"
	"github.com/rollcall-go/rollcall/roster"
)

// The hostile corpus (testdata/hostile at the module's root): small inputs, each with
// the lines the program prints on stderr for it in NAME.want.
var hostileDir = filepath.Join("..", "..", "testdata", "hostile")

// hostileArgs returns the classify command that reads a corpus file, by its kind.
func hostileArgs(name string) []string {
	base := []string{"classify", "--policy", "il-roe-sop", "--calendar", "calendar.json"}
	switch {
	case strings.HasSuffix(name, ".events.csv"):
		return append(base, "--events", name)
	case strings.HasSuffix(name, ".students.csv"):
		return append(base, "--students", name, "--events", "header-only.events.csv")
	case strings.HasSuffix(name, ".interventions.csv"):
		return append(base, "--events", "header-only.events.csv", "--interventions", name)
	case strings.HasSuffix(name, ".edfi.json"):
		return []string{"classify", "--policy", "ccs", "--calendar", "calendar.json", "--edfi", name}
	case strings.HasSuffix(name, ".jsonl"):
		return []string{"classify", "--policy", "il-roe-sop", "--histories", name}
	case strings.HasSuffix(name, ".calendar.json"):
		return []string{"classify", "--policy", "il-roe-sop", "--calendar", name, "--events", "header-only.events.csv"}
	}
	return nil
}

// Every input of the corpus, read by attendance classify, prints exactly the lines of
// its .want file on stderr, and exits 1 when there are any.
func TestHostileCorpusCLI(t *testing.T) {
	wants, err := filepath.Glob(filepath.Join(hostileDir, "*.want"))
	require.NoError(t, err)
	require.NotEmpty(t, wants)
	t.Chdir(hostileDir)
	for _, w := range wants {
		name := strings.TrimSuffix(filepath.Base(w), ".want")
		t.Run(name, func(t *testing.T) {
			args := hostileArgs(name)
			require.NotNil(t, args, "no command for %s", name)
			want, err := os.ReadFile(filepath.Base(w))
			require.NoError(t, err)
			_, stderr, code := runCLI(t, "", args...)
			assert.Equal(t, string(want), stderr)
			if len(want) == 0 {
				assert.Equal(t, 0, code)
			} else {
				assert.Equal(t, 1, code)
			}
		})
	}
}

// Without --as-of, a roster is judged on the latest event the engine accepts: rows
// dated in June that are rejected (an unknown code, a day outside the calendar, more
// minutes than the day has) or cannot be read do not move the date to June.
func TestAsOfFromAcceptedEvents(t *testing.T) {
	events := filepath.Join(hostileDir, "june-bad-row.events.csv")
	cal := filepath.Join(hostileDir, "calendar.json")
	_, stderr, code := runCLI(t, "", "report", "--policy", "il-roe-sop", "--calendar", cal, "--events", events)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "report as of 2024-09-05 under pack il-roe-sop\n")

	stdout, _, code := runCLI(t, "", "eval", "--policy", "il-roe-sop", "--calendar", cal, "--events", events)
	assert.Equal(t, 1, code)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	require.Len(t, lines, 2)
	for _, line := range lines {
		var ev struct {
			AsOf string `json:"as_of"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &ev))
		assert.Equal(t, "2024-09-05", ev.AsOf)
	}

	// No event accepted at all: the first day of the calendar, as the engine takes it.
	dir := t.TempDir()
	only := filepath.Join(dir, "e.csv")
	require.NoError(t, os.WriteFile(only, []byte("student_id,date,code\nS1,2025-06-02,QQQ\n"), 0o644))
	_, stderr, _ = runCLI(t, "", "report", "--policy", "il-roe-sop", "--calendar", cal, "--events", only)
	assert.Contains(t, stderr, "report as of 2024-08-26 under pack il-roe-sop\n")
}

// eval and classify of a history with bad events print the evaluation, the rejected
// events marked, on stdout, one line per problem on stderr, and exit 1.
func TestBadEventsPrintEvaluation(t *testing.T) {
	for _, cmd := range []string{"eval", "classify"} {
		t.Run(cmd, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "", cmd, "--policy", "il-roe-sop", "testdata/history-bad.json")
			assert.Equal(t, 1, code)
			var out struct {
				Student string `json:"student"`
				Events  []struct {
					Code     string `json:"code"`
					Rejected string `json:"rejected"`
				} `json:"events"`
			}
			require.NoError(t, json.Unmarshal([]byte(stdout), &out), stdout)
			assert.Equal(t, "P8", out.Student)
			require.Len(t, out.Events, 3)
			for _, ev := range out.Events {
				assert.NotEmpty(t, ev.Rejected, "every event of this history is rejected, and printed")
			}
			assert.Equal(t, "testdata/history-bad.json: student P8: event 1 (2024-09-03 QQQ): unknown code \"QQQ\"\n"+
				"testdata/history-bad.json: student P8: event 2 (2024-09-07 ECE): 2024-09-07 is a Saturday, not a school day\n"+
				"testdata/history-bad.json: student P8: event 3 (2024-09-10 ECE): minutes 401 is more than the day's 400\n", stderr)
		})
	}

	// A history the engine cannot evaluate at all (a bad step): nothing on stdout, the
	// problem on stderr.
	in := `{"student": {"id": "P9"}, "calendar": {"first_day": "2024-08-26", "last_day": "2025-06-06", "minutes_per_day": 400}, "events": [],
		"interventions": [{"step": "warning-leter", "date": "2024-09-04"}, {"step": "x\u202e", "date": "2024-09-04"}]}`
	stdout, stderr, code := runCLI(t, in, "eval", "--policy", "il-roe-sop", "-")
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	require.Len(t, lines, 2, stderr)
	assert.Regexp(t, `^stdin: student P9: intervention 1 .*unknown step "warning-leter" for pack il-roe-sop \(did you mean "warning-letter"\?\)$`, lines[0])
	assert.Regexp(t, `^stdin: student P9: intervention 2 .*unknown step "x\\u202e" for pack il-roe-sop$`, lines[1])
	assert.NotContains(t, stderr, "\u202e", "the override is escaped")

	// A roster of JSON Lines: every history that can be read is printed.
	stdout, stderr, code = runCLI(t, "", "classify", "--policy", "il-roe-sop", "--histories", filepath.Join(hostileDir, "bad-lines.jsonl"))
	assert.Equal(t, 1, code)
	assert.Equal(t, 2, strings.Count(stdout, "\n"), "H1 and H6: %s", stdout)
	assert.Equal(t, 7, strings.Count(stderr, "\n"), stderr)
}

// Cells of the CSV report that a spreadsheet would run as a formula are prefixed with a
// single quote; the date column is left alone.
func TestReportCSVNeutralisesFormulas(t *testing.T) {
	stdout, stderr, code := runCLI(t, "", "report", "--policy", "il-roe-sop", "--as-of", "2024-09-20",
		"--calendar", filepath.Join(hostileDir, "calendar.json"),
		"--students", filepath.Join(hostileDir, "formula.students.csv"),
		"--events", filepath.Join(hostileDir, "formula.events.csv"))
	require.Equal(t, 0, code, stderr)
	rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 6, stdout)
	got := map[string]string{}
	for _, row := range rows[1:] {
		got[row[0]] = row[1]
		assert.Equal(t, "warning-letter", row[2])
		for _, cell := range row {
			if cell != "" {
				assert.NotContains(t, "=+-@\t\r", cell[:1], "cell %q", cell)
			}
		}
	}
	assert.Equal(t, map[string]string{
		`'+1`: `'@SUM(A1)`,
		`'-2`: "Lincoln", // a tab before a cell's text is trimmed on reading
		`'=HYPERLINK("http://x.example/","click")`: `'=cmd|' /C calc'!A0`,
		`'@S4`: `'-Lincoln`,
		`S5`:   `Lincoln`,
	}, got)

	// JSON Lines are data, not cells: left as they are.
	stdout, _, _ = runCLI(t, "", "report", "--policy", "il-roe-sop", "--as-of", "2024-09-20", "--format", "jsonl",
		"--calendar", filepath.Join(hostileDir, "calendar.json"),
		"--students", filepath.Join(hostileDir, "formula.students.csv"),
		"--events", filepath.Join(hostileDir, "formula.events.csv"))
	assert.Contains(t, stdout, `"student":"+1","school":"@SUM(A1)"`)
}

func TestTextCell(t *testing.T) {
	for in, want := range map[string]string{
		"":         "",
		"S1":       "S1",
		"=1+1":     "'=1+1",
		"+1":       "'+1",
		"-1":       "'-1",
		"@A1":      "'@A1",
		"\tx":      "'\tx",
		"\rx":      "'\rx",
		"Lincoln":  "Lincoln",
		"a=b":      "a=b",
		"'already": "'already",
	} {
		assert.Equal(t, want, textCell(in), "%q", in)
	}
}

// A panic is an internal error with exit status 1, never 2 (bad usage): in a command,
// and in the evaluation of one student, whose row reports it while the others are
// evaluated.
func TestPanicIsNotUsage(t *testing.T) {
	var out, errb bytes.Buffer
	// No standard input at all: reading it panics.
	code := run([]string{"eval", "--policy", "il-roe-sop", "-"}, &env{stdin: nil, stdout: &out, stderr: &errb})
	assert.Equal(t, 1, code)
	assert.Contains(t, errb.String(), "attendance eval: internal error: ")
	assert.Contains(t, errb.String(), "(a bug in attendance: please report it")

	// A panic while evaluating one student is that student's problem.
	en := roster.Entry{Source: roster.Source{File: "e.csv", Line: 3}, History: &history.History{Student: history.Student{ID: "S2\u202e"}}}
	r := func() (r result) {
		defer recoverStudent(en, &r)
		panic("index out of range [3] with length 3\nforged line")
	}()
	require.Len(t, r.problems, 1)
	assert.Equal(t, `e.csv:3: student "S2\u202e": internal error, the student is not evaluated: "index out of range [3] with length 3\nforged line" (a bug in rollcall: please report it)`, r.problems[0].Error())
	assert.Nil(t, r.ev)

	// The others are evaluated.
	eng, err := rollcall.Open("il-roe-sop")
	require.NoError(t, err)
	cal, err := calendar.New(calendar.Year{FirstDay: calendar.MustParseDate("2024-08-26"), LastDay: calendar.MustParseDate("2025-06-06"), MinutesPerDay: 400})
	require.NoError(t, err)
	good := roster.Entry{Source: roster.Source{File: "e.csv", Line: 2}, History: &history.History{
		Student: history.Student{ID: "S1", BirthDate: calendar.MustParseDate("2014-01-01"), Grade: "4"}, Calendar: cal,
		Events: []history.Event{{Date: calendar.MustParseDate("2024-09-04"), Code: "UNX"}}}}
	results := evaluateAll(&env{stderr: &errb}, "report", eng, []roster.Entry{good}, dateFlag{calendar.MustParseDate("2024-09-30")}, false)
	require.Len(t, results, 1)
	assert.NotNil(t, results[0].ev)
	assert.Empty(t, results[0].problems)
}
