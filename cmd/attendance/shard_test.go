package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runSharded runs report in n shards, each writing its shard file, then report --merge
// over them; it returns what the merge printed and the files.
func runSharded(t *testing.T, n int, args ...string) (stdout, stderr string, code int, files []string) {
	t.Helper()
	dir := t.TempDir()
	for k := range n {
		out, errOut, code := runCLI(t, "", append(args, "--shard", fmt.Sprintf("%d/%d", k, n))...)
		require.Equal(t, 0, code, "shard %d/%d: %s", k, n, errOut)
		require.Empty(t, errOut)
		name := filepath.Join(dir, fmt.Sprintf("shard-%d", k))
		require.NoError(t, os.WriteFile(name, []byte(out), 0o644))
		files = append(files, name)
	}
	stdout, stderr, code = runCLI(t, "", append([]string{"report", "--merge"}, files...)...)
	return stdout, stderr, code, files
}

// requireShardsMerge requires the merge of the run in n shards, for each n, to print
// what the run without shards prints, byte for byte, with the same exit status.
func requireShardsMerge(t *testing.T, shards []int, args ...string) {
	t.Helper()
	wantOut, wantErr, wantCode := runCLI(t, "", args...)
	for _, n := range shards {
		out, errOut, code, _ := runSharded(t, n, args...)
		assert.Equal(t, wantOut, out, "stdout, %d shards: %v", n, args)
		assert.Equal(t, wantErr, errOut, "stderr, %d shards: %v", n, args)
		assert.Equal(t, wantCode, code, "exit status, %d shards: %v", n, args)
	}
}

// Sharded and merged, the report is the one of the run without shards, rows, rows not
// used, summary and exit status alike: on the rosters under testdata, on messy
// rosters sorted and not, on JSON Lines histories, in both formats, with and without
// --as-of.
func TestShardsMergeToTheSingleRun(t *testing.T) {
	messy := messyRoster(t, t.TempDir(), 120, 7, true)
	sorted := messyRoster(t, t.TempDir(), 90, 8, false)
	for _, format := range []string{"csv", "jsonl"} {
		for _, asOf := range [][]string{nil, {"--as-of", "2024-10-18"}} {
			base := join([]string{"report", "--policy", "il-roe-sop", "--format", format}, asOf)
			requireShardsMerge(t, []int{1, 2, 7}, join(base, rosterFlagArgs)...)
			requireShardsMerge(t, []int{3}, join(base, []string{"--histories", "testdata/histories.jsonl"})...)
			requireShardsMerge(t, []int{3}, join(base, messy)...)
			requireShardsMerge(t, []int{4}, join(base, sorted)...)
		}
	}
	// read whole (as Ed-Fi events are): sharded the same way
	wholeRoster = true
	requireShardsMerge(t, []int{3}, join([]string{"report", "--policy", "il-roe-sop"}, messy)...)
	wholeRoster = false
}

// The decisions the shards log, merged, are those of the run without shards.
func TestShardsMergeDecisions(t *testing.T) {
	dir := t.TempDir()
	files := messyRoster(t, dir, 150, 3, true)
	args := join([]string{"report", "--policy", "il-roe-sop", "--as-of", "2024-09-20"}, files)
	single := filepath.Join(dir, "single.jsonl")
	_, _, _ = runCLI(t, "", append(args, "--decisions", single)...)
	want, err := os.ReadFile(single)
	require.NoError(t, err)
	require.NotEmpty(t, want)

	_, _, _, shards := runSharded(t, 3, args...)
	merged := filepath.Join(dir, "merged.jsonl")
	_, _, _ = runCLI(t, "", append([]string{"report", "--merge", "--decisions", merged}, shards...)...)
	got, err := os.ReadFile(merged)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
}

// Shard files that are not those of one whole run are refused: a shard missing, one
// given twice, shards of two runs, a shard that did not finish, a file that is not one.
func TestMergeRefusesIncompleteRuns(t *testing.T) {
	args := join([]string{"report", "--policy", "il-roe-sop", "--as-of", "2024-10-18"}, rosterFlagArgs)
	_, _, _, three := runSharded(t, 3, args...)
	_, _, _, other := runSharded(t, 3, join([]string{"report", "--policy", "il-roe-sop", "--as-of", "2024-10-17"}, rosterFlagArgs)...)
	dir := t.TempDir()
	cut := filepath.Join(dir, "cut")
	data, err := os.ReadFile(three[2])
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(cut, data[:len(data)-10], 0o644))
	notShard := filepath.Join(dir, "report.csv")
	require.NoError(t, os.WriteFile(notShard, []byte("student,school\n"), 0o644))
	for _, tc := range []struct {
		files []string
		want  string
	}{
		{three[:2], "shard 2/3 is missing"},
		{[]string{three[0], three[1], three[1]}, "shard 1/3 is also"},
		{[]string{three[0], three[1], other[2]}, "not a shard of the same run"},
		{[]string{three[0], three[1], cut}, "not a shard file"},
		{[]string{notShard}, "not a shard file"},
	} {
		_, stderr, code := runCLI(t, "", append([]string{"report", "--merge"}, tc.files...)...)
		assert.Equal(t, 1, code, stderr)
		assert.Contains(t, stderr, tc.want)
	}
	_, stderr, code := runCLI(t, "", "report", "--merge")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "give the shard files")
	_, stderr, code = runCLI(t, "", append(args, "--shard", "3/3")...)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "want K/N with 0 <= K < N")
	_, stderr, code = runCLI(t, "", append(args, "--shard", "0/3", "--decisions", filepath.Join(dir, "d"))...)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "give --decisions to attendance")
	_, stderr, code = runCLI(t, "", "report", "--merge", "--policy", "ccs", three[0])
	assert.Equal(t, 2, code)
	assert.True(t, strings.Contains(stderr, "give them alone"), stderr)
}

// Every student is in exactly one shard, and the shards of a generated roster are of
// about equal size.
func TestShardsSplitStudents(t *testing.T) {
	counts := make([]int, 4)
	for i := range 4000 {
		id := fmt.Sprintf("S%07d", i+1)
		in := 0
		for k := range 4 {
			if (shardSet{k, 4}).has(id) {
				counts[k]++
				in++
			}
		}
		require.Equal(t, 1, in, id)
	}
	for _, c := range counts {
		assert.InDelta(t, 1000, c, 100)
	}
	assert.True(t, shardSet{0, 4}.has(""), "the rows of no student go with shard 0")
	assert.False(t, shardSet{1, 4}.has(""))
}
