package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/internal/scenario"
)

// TestScenarios builds the program and runs every public scenario (testdata/scenarios,
// a copy of ../shared/scenarios) through `attendance eval`.
func TestScenarios(t *testing.T) {
	cases, err := scenario.Load(filepath.Join("..", "..", "testdata", "scenarios"))
	require.NoError(t, err)
	// The state packs written in YAML alone (schema v2), each case with its statute.
	for _, state := range []string{"pennsylvania", "washington"} {
		more, err := scenario.Load(filepath.Join("..", "..", "testdata", "states", state))
		require.NoError(t, err)
		require.GreaterOrEqual(t, len(more), 8, "cases for %s", state)
		cases = append(cases, more...)
	}
	require.NotEmpty(t, cases, "no scenarios under testdata/scenarios")

	bin := filepath.Join(t.TempDir(), "attendance")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)

	for _, sc := range cases {
		t.Run(sc.Name, func(t *testing.T) {
			hist := filepath.Join(t.TempDir(), "history.json")
			require.NoError(t, os.WriteFile(hist, sc.History, 0o644))
			args := []string{"eval", "--policy", sc.Policy}
			if sc.AsOf != "" {
				args = append(args, "--as-of", sc.AsOf)
			}
			args = append(args, hist)
			cmd := exec.Command(bin, args...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err = cmd.Run()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else {
				require.NoError(t, err)
			}
			require.Equal(t, sc.Exit, code, "exit status; stderr: %s", stderr.String())
			if sc.StderrHas != "" {
				assert.Contains(t, stderr.String(), sc.StderrHas)
			}
			if len(sc.Expect) == 0 {
				return
			}
			for _, p := range sc.Problems(stdout.Bytes()) {
				t.Error(p)
			}
		})
	}
}
