package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/policy"
)

// A generated district of 200 students (testdata/district200, written by
//
//	go run ./internal/gendistrict -students 200 -pack il-roe-sop -seed 42 -out cmd/attendance/testdata/district200
//
// ) and its reports, reviewed by hand: at the end of the year as CSV, and in January as
// JSON Lines with every step's because, clauses and review. Each golden file holds the
// command, its exit status, standard output and standard error; go test -update
// rewrites them.
var districtDir = filepath.Join("testdata", "district200")

func districtArgs(extra ...string) []string {
	args := []string{"report", "--policy", "il-roe-sop"}
	for _, f := range []string{"calendar", "students", "events", "interventions"} {
		ext := ".csv"
		if f == "calendar" {
			ext = ".json"
		}
		args = append(args, "--"+f, filepath.Join(districtDir, f+ext))
	}
	return append(args, extra...)
}

func TestDistrictReportGolden(t *testing.T) {
	for _, tc := range []struct {
		golden string
		args   []string
	}{
		{"report.csv.golden", districtArgs()},
		{"report-2025-01-10.jsonl.golden", districtArgs("--as-of", "2025-01-10", "--format", "jsonl")},
	} {
		stdout, stderr, code := runCLI(t, "", tc.args...)
		got := "$ attendance " + strings.Join(tc.args[:3], " ") + " ROSTER " + strings.Join(tc.args[11:], " ") +
			"\nexit " + string(rune('0'+code)) + "\n-- stdout --\n" + stdout + "-- stderr --\n" + stderr
		path := filepath.Join(districtDir, tc.golden)
		if *update {
			require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
			continue
		}
		want, err := os.ReadFile(path)
		require.NoError(t, err, "run go test -update to write the golden file")
		assert.Equal(t, string(want), got, tc.golden)
		// The same district as JSON Lines histories gives the same report.
		hist := append([]string{"report", "--policy", "il-roe-sop", "--histories", filepath.Join(districtDir, "histories.jsonl")}, tc.args[11:]...)
		hOut, hErr, hCode := runCLI(t, "", hist...)
		assert.Equal(t, stdout, hOut, "histories: %v", hist)
		assert.Equal(t, stderr, hErr)
		assert.Equal(t, code, hCode)
	}
}

// The decisions log of the district in January: one line per step that fell due that
// day, with its because and the digests attendance version prints; appended, never
// rewritten.
func TestDistrictDecisions(t *testing.T) {
	log := filepath.Join(t.TempDir(), "decisions.jsonl")
	_, stderr, code := runCLI(t, "", districtArgs("--as-of", "2025-01-10", "--decisions", log)...)
	require.Equal(t, 0, code, stderr)
	sop, err := packDigest(policy.Packs, "il-roe-sop")
	require.NoError(t, err)
	ill, err := packDigest(policy.Packs, "illinois")
	require.NoError(t, err)
	tail := `,"pack":"il-roe-sop","sha256":"` + sop + `","extends":["illinois ` + ill + `"]}` + "\n"
	want := `{"date":"2025-01-10","student":"S0000038","step":"probation-letter","because":"10 absences not verified as excused (10 or more)"` + tail +
		`{"date":"2025-01-10","student":"S0000038","step":"roe-referral","because":"10 absences without a verified excuse (10-day threshold)"` + tail +
		`{"date":"2025-01-10","student":"S0000053","step":"probation-letter","because":"10 absences not verified as excused (10 or more)"` + tail +
		`{"date":"2025-01-10","student":"S0000053","step":"roe-referral","because":"10 absences without a verified excuse (10-day threshold)"` + tail +
		`{"date":"2025-01-10","student":"S0000186","step":"warning-letter","because":"5 absences not verified as excused (5-9)"` + tail
	got, err := os.ReadFile(log)
	require.NoError(t, err)
	assert.Equal(t, want, string(got))
	_, _, _ = runCLI(t, "", districtArgs("--as-of", "2025-01-10", "--decisions", log)...)
	got, err = os.ReadFile(log)
	require.NoError(t, err)
	assert.Equal(t, want+want, string(got), "a second run appends")
	// a day nothing fell due: nothing appended
	_, _, _ = runCLI(t, "", districtArgs("--as-of", "2024-12-20", "--decisions", log)...)
	got, err = os.ReadFile(log)
	require.NoError(t, err)
	assert.Equal(t, want+want, string(got))
}
