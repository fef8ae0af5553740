package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A scenario is one case of the command-line contract (DESIGN.md), written by hand from
// the seeds: testdata/scenarios at the root of the repository holds a copy of
// ../shared/scenarios.
type scenario struct {
	Policy    string                     `json:"policy"`
	History   json.RawMessage            `json:"history"`
	AsOf      string                     `json:"as_of"`
	Exit      int                        `json:"exit"`
	StderrHas string                     `json:"stderr_has"`
	Expect    map[string]json.RawMessage `json:"expect"`
}

// TestScenarios builds the program and runs every scenario through `attendance eval`.
func TestScenarios(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "scenarios", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no scenarios under testdata/scenarios")

	bin := filepath.Join(t.TempDir(), "attendance")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)

	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			var sc scenario
			require.NoError(t, json.Unmarshal(data, &sc))
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
			var doc any
			require.NoError(t, json.Unmarshal(stdout.Bytes(), &doc), "stdout: %s", stdout.String())
			for path, raw := range sc.Expect {
				var want any
				require.NoError(t, json.Unmarshal(raw, &want))
				got, err := lookup(doc, path)
				if !assert.NoError(t, err, path) {
					continue
				}
				if msg := check(got, want); msg != "" {
					t.Errorf("%s: %s", path, msg)
				}
			}
		})
	}
}

var segment = regexp.MustCompile(`^([^\[\]]*)((?:\[(?:\d+|\*)\])*)$`)
var index = regexp.MustCompile(`\[(\d+|\*)\]`)

// lookup returns the value at path in doc: "a.b[3].c" is one value, "due[*].step" the
// list of the values for every element (the syntax of scenarios/make.py).
func lookup(doc any, path string) (any, error) {
	parts := strings.Split(path, ".")
	return walk(doc, parts, path)
}

func walk(v any, parts []string, path string) (any, error) {
	if len(parts) == 0 {
		return v, nil
	}
	m := segment.FindStringSubmatch(parts[0])
	if m == nil {
		return nil, fmt.Errorf("bad path segment %q", parts[0])
	}
	if m[1] != "" {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: %q is not in an object", path, m[1])
		}
		if v, ok = obj[m[1]]; !ok {
			return nil, fmt.Errorf("%s: no field %q", path, m[1])
		}
	}
	idx := index.FindAllStringSubmatch(m[2], -1)
	for k, ix := range idx {
		list, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("%s: not a list at %s", path, parts[0])
		}
		if ix[1] == "*" {
			rest := append([]string{}, parts[1:]...)
			if k+1 < len(idx) {
				var more strings.Builder
				for _, x := range idx[k+1:] {
					more.WriteString(x[0])
				}
				rest = append([]string{more.String()}, rest...)
			}
			out := []any{}
			for _, el := range list {
				x, err := walk(el, rest, path)
				if err != nil {
					return nil, err
				}
				out = append(out, x)
			}
			return out, nil
		}
		n, _ := strconv.Atoi(ix[1])
		if n >= len(list) {
			return nil, fmt.Errorf("%s: index %d out of range (length %d)", path, n, len(list))
		}
		v = list[n]
	}
	return walk(v, parts[1:], path)
}

// check returns what is wrong with got against want: a value, or one of the tests
// {"not": X}, {"nonempty": true}, {"len": N}, {"contains": X}, {"excludes": X}.
func check(got, want any) string {
	if m, ok := want.(map[string]any); ok && len(m) == 1 {
		for k, x := range m {
			switch k {
			case "not":
				if reflect.DeepEqual(got, x) {
					return fmt.Sprintf("got %v, want anything else", got)
				}
				return ""
			case "nonempty":
				if (size(got) > 0) != (x == true) {
					return fmt.Sprintf("got %v, want nonempty=%v", got, x)
				}
				return ""
			case "len":
				if float64(size(got)) != x {
					return fmt.Sprintf("got length %d (%v), want %v", size(got), got, x)
				}
				return ""
			case "contains", "excludes":
				list, _ := got.([]any)
				has := slices.ContainsFunc(list, func(y any) bool { return reflect.DeepEqual(y, x) })
				if has != (k == "contains") {
					return fmt.Sprintf("got %v, want it to %s %v", got, strings.TrimSuffix(k, "s"), x)
				}
				return ""
			}
		}
	}
	if !reflect.DeepEqual(got, want) {
		return fmt.Sprintf("got %v, want %v", got, want)
	}
	return ""
}

func size(v any) int {
	switch x := v.(type) {
	case []any:
		return len(x)
	case map[string]any:
		return len(x)
	case string:
		return len(x)
	}
	return 0
}

func TestLookup(t *testing.T) {
	var doc any
	require.NoError(t, json.Unmarshal([]byte(`{"a": {"b": [{"c": 1}, {"c": 2}]}, "due": [{"step": "x"}, {"step": "y"}], "next": null}`), &doc))
	for path, want := range map[string]any{"a.b[1].c": 2.0, "due[*].step": []any{"x", "y"}, "next": nil} {
		got, err := lookup(doc, path)
		require.NoError(t, err, path)
		assert.Equal(t, want, got, path)
	}
	_, err := lookup(doc, "a.b[5].c")
	assert.Error(t, err)
	assert.Empty(t, check([]any{"x", "y"}, map[string]any{"contains": "x"}))
	assert.NotEmpty(t, check([]any{"x", "y"}, map[string]any{"excludes": "x"}))
	assert.Empty(t, check("unverified", map[string]any{"not": "excused"}))
	assert.Empty(t, check([]any{"a"}, map[string]any{"len": 1.0}))
}
