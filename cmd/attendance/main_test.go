package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// runCLI runs the program in process and returns what it printed and its exit status.
func runCLI(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb})
	return out.String(), errb.String(), code
}

// The roster flags shared by the report cases.
var rosterFlagArgs = []string{"--calendar", "testdata/calendar.json", "--students", "testdata/students.csv",
	"--events", "testdata/events.csv", "--interventions", "testdata/interventions.csv"}

func join(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// Every subcommand's output on the inputs under testdata. Each golden file holds the
// command, its exit status, its standard output and its standard error.
var goldenCases = []struct {
	name  string
	why   string
	args  []string
	stdin string
}{
	{"eval", "the contract: one history as of a date, every output field",
		[]string{"eval", "--policy", "il-roe-sop", "--as-of", "2024-10-18", "testdata/history.json"}, ""},
	{"eval-bad-events", "three bad events: the evaluation on stdout, the rejected events marked; one line per problem on stderr",
		[]string{"eval", "--policy", "il-roe-sop", "-"}, mustRead("testdata/history-bad.json")},
	{"classify", "classifications only, input order",
		[]string{"classify", "testdata/history.json", "--policy", "il-roe-sop"}, ""},
	{"classify-edfi", "Ed-Fi records: mapped by category and reason, In Attendance skipped, minutes from the durations, bad records reported",
		[]string{"classify", "--policy", "ccs", "--edfi", "testdata/edfi.json", "--calendar", "testdata/calendar.json"}, ""},
	{"report-csv", "a roster with malformed rows: each reported with file:line, the others evaluated",
		join([]string{"report", "--policy", "il-roe-sop", "--as-of", "2024-10-18"}, rosterFlagArgs), ""},
	{"report-jsonl", "the same roster as JSON Lines",
		join([]string{"report", "--policy", "il-roe-sop", "--as-of", "2024-10-18", "--format", "jsonl"}, rosterFlagArgs), ""},
	{"report-histories", "JSON Lines histories: a broken line, a second history of one student, an unknown step",
		[]string{"report", "--policy", "il-roe-sop", "--as-of", "2024-10-18", "--histories", "testdata/histories.jsonl"}, ""},
	{"codes", "the table for people",
		[]string{"codes", "--policy", "illinois"}, ""},
	{"codes-json", "the codes as JSON",
		[]string{"codes", "--policy", "illinois", "--json"}, ""},
	{"codes-markdown", "a handbook table for a district pack file that extends illinois",
		[]string{"codes", "--policy", "testdata/district.yaml", "--markdown"}, ""},
	{"packs", "the embedded packs",
		[]string{"packs"}, ""},
	{"validate", "every problem of a broken pack with file:line:col; ok for a good one",
		[]string{"validate", "testdata/broken.yaml", "testdata/district.yaml"}, ""},
}

func mustRead(name string) string {
	data, err := os.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(data)
}

func TestGolden(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, tc.stdin, tc.args...)
			var b strings.Builder
			b.WriteString("# " + tc.why + "\n")
			b.WriteString("$ attendance " + strings.Join(tc.args, " ") + "\n")
			b.WriteString("exit " + string(rune('0'+code)) + "\n")
			b.WriteString("-- stdout --\n" + stdout)
			b.WriteString("-- stderr --\n" + stderr)
			got := b.String()
			path := filepath.Join("testdata", "golden", tc.name+".golden")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test -update to write the golden file")
			assert.Equal(t, string(want), got)
		})
	}
}

// The malformed rows change nothing for the other rows: the output is the same as a
// run on the roster without them.
func TestMalformedRowsDoNotChangeOthers(t *testing.T) {
	for _, format := range []string{"csv", "jsonl"} {
		base := []string{"report", "--policy", "il-roe-sop", "--as-of", "2024-10-18", "--format", format,
			"--calendar", "testdata/calendar.json", "--students", "testdata/students.csv"}
		dirty, dirtyErr, code := runCLI(t, "", join(base, []string{"--events", "testdata/events.csv", "--interventions", "testdata/interventions.csv"})...)
		assert.Equal(t, 1, code)
		assert.Contains(t, dirtyErr, "rejected rows  6") // a duplicate row is collapsed into its twin with a note, not rejected
		clean, cleanErr, code := runCLI(t, "", join(base, []string{"--events", "testdata/events-clean.csv", "--interventions", "testdata/interventions-clean.csv"})...)
		assert.Equal(t, 0, code, cleanErr)
		assert.Contains(t, cleanErr, "rejected rows  0")
		assert.Equal(t, clean, dirty, format)
		assert.NotEmpty(t, clean)
	}
	// The same for every student's evaluation, not only those with a step due.
	base := []string{"eval", "--policy", "il-roe-sop", "--as-of", "2024-10-18", "--calendar", "testdata/calendar.json", "--students", "testdata/students.csv"}
	dirty, _, _ := runCLI(t, "", join(base, []string{"--events", "testdata/events.csv", "--interventions", "testdata/interventions.csv"})...)
	clean, _, _ := runCLI(t, "", join(base, []string{"--events", "testdata/events-clean.csv", "--interventions", "testdata/interventions-clean.csv"})...)
	assert.Equal(t, withoutRejected(t, clean), withoutRejected(t, dirty))
	assert.Equal(t, 5, strings.Count(clean, "\n"), "one evaluation per student")
}

// withoutRejected drops the rejected events from JSON Lines of evaluations.
func withoutRejected(t *testing.T, jsonl string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(jsonl), "\n") {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &m))
		var kept []any
		for _, ev := range m["events"].([]any) {
			if _, rejected := ev.(map[string]any)["rejected"]; !rejected && !strings.Contains(fmt.Sprint(ev.(map[string]any)["notes"]), "duplicate of event") {
				kept = append(kept, ev)
			}
		}
		m["events"] = kept
		out = append(out, m)
	}
	return out
}

// The exit status: 2 for bad usage, 1 for bad input, with a one-line message.
func TestExitStatus(t *testing.T) {
	cases := []struct {
		why    string
		args   []string
		stdin  string
		code   int
		stderr string
	}{
		{"no command", nil, "", 2, "Usage:"},
		{"unknown command", []string{"evaluate"}, "", 2, `unknown command "evaluate"`},
		{"unknown flag", []string{"eval", "--polcy", "ccs", "x.json"}, "", 2, "flag provided but not defined: -polcy"},
		{"missing history", []string{"eval", "--policy", "ccs"}, "", 2, "no history"},
		{"two histories", []string{"eval", "--policy", "ccs", "a.json", "b.json"}, "", 2, "one history at a time"},
		{"missing policy", []string{"eval", "testdata/history.json"}, "", 2, "--policy is required"},
		{"bad as-of", []string{"eval", "--policy", "ccs", "--as-of", "2024-13-01", "testdata/history.json"}, "", 2, "want YYYY-MM-DD"},
		{"bad format", join([]string{"report", "--policy", "il-roe-sop", "--format", "xml"}, rosterFlagArgs), "", 2, `--format "xml"`},
		{"report without roster", []string{"report", "--policy", "il-roe-sop"}, "", 2, "no roster"},
		{"events and edfi", []string{"report", "--policy", "ccs", "--calendar", "testdata/calendar.json", "--events", "a", "--edfi", "b"}, "", 2, "not both"},
		{"histories with calendar", []string{"report", "--policy", "ccs", "--histories", "h", "--calendar", "c"}, "", 2, "give it alone"},
		{"validate nothing", []string{"validate"}, "", 2, "no pack files"},
		{"codes json and markdown", []string{"codes", "--policy", "ccs", "--json", "--markdown"}, "", 2, "not both"},
		{"unknown pack", []string{"eval", "--policy", "ilinois", "testdata/history.json"}, "", 1, `no embedded pack named "ilinois" (did you mean "illinois"?)`},
		{"missing file", []string{"eval", "--policy", "ccs", "testdata/nope.json"}, "", 1, "testdata/nope.json: cannot read: no such file or directory"},
		{"student is not an object", []string{"eval", "--policy", "ccs", "-"}, "{\n  \"student\": 3\n}", 1, "stdin"},
		{"not JSON", []string{"eval", "--policy", "ccs", "-"}, "{\n  \"student\": {\"id\": \"P1\"},,\n}", 1, "stdin:2:"},
		{"unknown code", []string{"eval", "--policy", "il-roe-sop", "testdata/history-bad.json"}, "", 1,
			`testdata/history-bad.json: student P8: event 1 (2024-09-03 QQQ): unknown code "QQQ"` + "\n" +
				`testdata/history-bad.json: student P8: event 2 (2024-09-07 ECE): 2024-09-07 is a Saturday, not a school day` + "\n"},
		{"unknown step in a history", []string{"eval", "--policy", "il-roe-sop", "-"},
			`{"student": {"id": "P9"}, "calendar": {"first_day": "2024-08-26", "last_day": "2025-06-06", "minutes_per_day": 400}, "events": [], "interventions": [{"step": "warning-leter", "date": "2024-09-04"}]}`,
			1, `stdin: student P9: intervention 1 (2024-09-04 warning-leter): unknown step "warning-leter"`},
		{"broken pack file", []string{"eval", "--policy", "testdata/broken.yaml", "testdata/history.json"}, "", 1,
			`testdata/broken.yaml:8:13: code FLD: unknown status "presnt" (want one of present, absent) (and 2 more problems; run attendance validate for all)`},
		{"help", []string{"help"}, "", 0, ""},
		{"flag help", []string{"eval", "-h"}, "", 0, ""},
		{"good", []string{"eval", "--policy", "il-roe-sop", "testdata/history.json"}, "", 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.why, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, tc.stdin, tc.args...)
			assert.Equal(t, tc.code, code, "stderr: %s", stderr)
			if tc.stderr != "" {
				assert.Contains(t, stderr, tc.stderr)
			}
			if tc.code == 1 && tc.args[0] == "eval" && tc.why != "unknown code" { // bad events: the evaluation is printed (robust_cli_test.go)
				assert.Empty(t, stdout, "nothing on stdout for bad input")
				assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line: %q", stderr)
			}
			if tc.code == 0 && tc.stderr == "" {
				assert.Empty(t, stderr)
			}
		})
	}
}
