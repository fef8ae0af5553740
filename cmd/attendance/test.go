package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rollcall-go/rollcall/policy"
	"github.com/rollcall-go/rollcall/policytest"
)

// cmdTest runs the tests packs carry beside them: of the embedded packs with no
// argument; of an embedded pack by name; of a test file (NAME_test.yaml), of a pack file
// (its NAME_test.yaml beside it), or of every *_test.yaml in a directory.
func cmdTest(e *env, args []string) error {
	fs := flags("test")
	verbose := fs.Bool("v", false, "")
	coverage := fs.Bool("coverage", false, "")
	minCoverage := fs.Float64("min-coverage", -1, "")
	targets, err := parse(fs, args)
	if err != nil {
		return err
	}
	var results []policytest.Result
	var problems []string
	add := func(rs []policytest.Result, err error) {
		if err != nil {
			problems = append(problems, err.Error())
		}
		results = append(results, rs...)
	}
	if len(targets) == 0 {
		add(policytest.RunEmbedded())
	}
	for _, t := range targets {
		files, err := testFiles(t)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		for _, f := range files {
			if strings.HasPrefix(f, "embedded:") {
				add(policytest.RunFS(policy.Packs, strings.TrimPrefix(f, "embedded:")))
			} else {
				add(policytest.RunFile(f))
			}
		}
	}
	failed := 0
	for _, r := range results {
		if r.Passed() {
			if *verbose {
				fmt.Fprintf(e.stdout, "ok   %s %s\n", r.File, r.Test)
			}
			continue
		}
		failed++
		for _, f := range r.Failures {
			fmt.Fprintln(e.stdout, f.Error())
		}
	}
	for _, p := range problems {
		fmt.Fprintln(e.stderr, p)
	}
	low := false
	if *coverage || *minCoverage >= 0 {
		for _, c := range policytest.CoverageOf(results) {
			if *coverage {
				fmt.Fprint(e.stdout, c.String())
			} else {
				fmt.Fprintf(e.stdout, "coverage %s (%s): %.1f%% of %d items\n", c.Pack, c.File, c.Percent(), len(c.Items))
				for _, it := range c.Missed() {
					fmt.Fprintf(e.stdout, "  not exercised: %s:%d: %s %s\n", it.File, it.Line, it.Kind, it.ID)
				}
			}
			if *minCoverage >= 0 && c.Percent() < *minCoverage {
				low = true
				fmt.Fprintf(e.stderr, "coverage of %s is %.1f%%, below %.1f%%\n", c.File, c.Percent(), *minCoverage)
			}
		}
	}
	fmt.Fprintf(e.stdout, "%d passed, %d failed\n", len(results)-failed, failed)
	if failed > 0 || len(problems) > 0 || low {
		return silentError{}
	}
	return nil
}

// testFiles returns the test files a target names.
func testFiles(t string) ([]string, error) {
	fi, err := os.Stat(t)
	switch {
	case err == nil && fi.IsDir():
		return filepath.Glob(filepath.Join(t, "*_test.yaml"))
	case err == nil && strings.HasSuffix(t, "_test.yaml"):
		return []string{t}, nil
	case err == nil:
		beside := strings.TrimSuffix(strings.TrimSuffix(t, ".yaml"), ".yml") + "_test.yaml"
		if _, err := os.Stat(beside); err != nil {
			return nil, fmt.Errorf("%s: no tests beside it (want %s)", t, beside)
		}
		return []string{beside}, nil
	}
	for _, name := range policy.Names() {
		if name == t {
			f := name + "_test.yaml"
			for _, have := range policytest.TestFiles(policy.Packs) {
				if have == f {
					return []string{"embedded:" + f}, nil
				}
			}
			return nil, fmt.Errorf("pack %s: no tests", t)
		}
	}
	return nil, fmt.Errorf("%s: not a file, a directory or an embedded pack", t)
}
