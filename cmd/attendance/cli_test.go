package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"io"
	"io/fs"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/policy"
)

// attendance version: the module's version, then every embedded pack with the first 12
// hex digits of the SHA-256 of its YAML.
func TestVersion(t *testing.T) {
	stdout, stderr, code := runCLI(t, "", "version")
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stderr)
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	require.Len(t, lines, 2+len(policy.Names()), stdout)
	assert.Regexp(t, `^github\.com/rollcall-go/rollcall \S+, built with go`, lines[0])
	assert.Regexp(t, `^PACK +SHA-256$`, lines[1])
	for i, name := range policy.Names() {
		data, err := fs.ReadFile(policy.Packs, name+".yaml")
		require.NoError(t, err)
		sum := sha256.Sum256(data)
		assert.Regexp(t, "^"+regexp.QuoteMeta(name)+" +"+hex.EncodeToString(sum[:])[:12]+"$", lines[2+i])
	}
	for _, name := range []string{"illinois", "cps", "il-roe-sop", "ohio", "ccs", "pennsylvania", "washington"} {
		assert.Contains(t, policy.Names(), name, "the packs of v0.1.0 are listed")
	}

	_, stderr, code = runCLI(t, "", "version", "extra")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `unexpected argument "extra"`)
}

// The version printed is the main module's when the program is built in rollcall, the
// dependency's when it is installed with go install .../cmd/attendance@VERSION, and
// "(devel)" when the build records none.
func TestModuleVersion(t *testing.T) {
	assert.Equal(t, "(devel)", moduleVersion(nil))
	assert.Equal(t, "(devel)", moduleVersion(&debug.BuildInfo{Main: debug.Module{Path: modulePath}}))
	assert.Equal(t, "(devel)", moduleVersion(&debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "(devel)"}}))
	assert.Equal(t, "v0.1.0", moduleVersion(&debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "v0.1.0"}}))
	assert.Equal(t, "v0.1.0", moduleVersion(&debug.BuildInfo{
		Main: debug.Module{Path: "example.com/district/tools"},
		Deps: []*debug.Module{{Path: "gopkg.in/yaml.v3", Version: "v3.0.1"}, {Path: modulePath, Version: "v0.1.0"}},
	}))
}

// commandFlags returns the flag set a command parses, by asking it for its help.
func commandFlags(t *testing.T, name string) *flag.FlagSet {
	t.Helper()
	err := commands[name](&env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}, []string{"--help"})
	var he *helpError
	require.ErrorAs(t, err, &he, "%s --help", name)
	require.ErrorIs(t, err, flag.ErrHelp)
	return he.fs
}

// usageCommands returns the commands the usage text lists, in order, help included.
func usageCommands() []string {
	var names []string
	for _, l := range usageSections()["Usage:"] {
		if f := strings.Fields(l); len(f) > 1 && !slices.Contains(names, f[1]) {
			names = append(names, f[1])
		}
	}
	return names
}

// The commands of the usage text, help left out.
var documentedCommands = []string{"eval", "classify", "explain", "report", "letters", "codes", "packs", "validate", "test", "version"}

// COMMAND --help, COMMAND -h and help COMMAND print that command's usage lines, what it
// does and its flags (every one described), on standard output with exit status 0.
func TestCommandHelp(t *testing.T) {
	for _, name := range documentedCommands {
		t.Run(name, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "", name, "--help")
			require.Equal(t, 0, code, stderr)
			assert.Empty(t, stderr)
			assert.Regexp(t, `^Usage:\n  attendance `+name+`( |\n)`, stdout)
			assert.Regexp(t, `(?m)^  `+name+` +\S`, stdout, "what the command does")
			assert.NotContains(t, stdout, "Commands:", "not the whole usage text")
			for _, alt := range [][]string{{name, "-h"}, {"help", name}} {
				out, _, code := runCLI(t, "", alt...)
				assert.Equal(t, 0, code)
				assert.Equal(t, stdout, out, "%v", alt)
			}

			fs := commandFlags(t, name)
			_, undocumented := flagHelp(fs)
			assert.Empty(t, undocumented, "flags the usage text does not describe")
			_, flagsPart, _ := strings.Cut(stdout, "\nFlags:\n")
			fs.VisitAll(func(f *flag.Flag) {
				assert.Regexp(t, `(?m)^  (--?[a-z-]+, )*`+regexp.QuoteMeta(dashes(f.Name))+`( |,)`, flagsPart, "flag %s", f.Name)
			})
		})
	}

	eval, _, _ := runCLI(t, "", "eval", "--help")
	assert.Contains(t, eval, "  attendance eval     --policy P ROSTER")
	assert.Contains(t, eval, "ROSTER is a whole roster")
	assert.Contains(t, eval, "  --histories FILE ")
	assert.NotContains(t, eval, "--strict", "validate's flag")
	assert.NotContains(t, eval, "attendance classify")

	codes, _, _ := runCLI(t, "", "codes", "--help")
	assert.Contains(t, codes, "  --json, --markdown    codes' output format\n")
	assert.NotContains(t, codes, "ROSTER")
	assert.NotContains(t, codes, "--calendar")

	packs, _, _ := runCLI(t, "", "packs", "--help")
	assert.NotContains(t, packs, "Flags:", "packs takes no flags")

	// The flag given after the positional arguments asks for help too.
	out, _, code := runCLI(t, "", "eval", "--policy", "ccs", "testdata/history.json", "--help")
	assert.Equal(t, 0, code)
	assert.Equal(t, eval, out)

	// Every registered command answers --help, even one the usage text does not list yet.
	for name := range commands {
		out, stderr, code := runCLI(t, "", name, "--help")
		assert.Equal(t, 0, code, "%s --help: %s", name, stderr)
		assert.Regexp(t, `^Usage:\n  attendance `+name+`( |\n)`, out)
	}
}

// Every flag the usage text describes is one some command takes.
func TestUsageFlagsAreUsed(t *testing.T) {
	var defined []string
	for name := range commands {
		commandFlags(t, name).VisitAll(func(f *flag.Flag) { defined = append(defined, f.Name) })
	}
	for _, en := range entries(usageSections()["Flags:"]) {
		for _, n := range en.names {
			assert.Contains(t, defined, n, "the usage text describes %s, which no command takes", dashes(n))
		}
	}
	assert.Equal(t, append(slices.Clone(documentedCommands), "help"), usageCommands())
	for _, name := range usageCommands() {
		assert.Regexp(t, `(?m)^  `+name+` +\S`, usage, "the Commands section describes %s", name)
		if name != "help" {
			assert.Contains(t, commands, name)
		}
	}
}

// A mistyped command or flag gets a suggestion; bad usage, exit status 2.
func TestDidYouMean(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"evl"}, `attendance: unknown command "evl" (did you mean "eval"?)`},
		{[]string{"valdate", "x.yaml"}, `attendance: unknown command "valdate" (did you mean "validate"?)`},
		{[]string{"verison"}, `attendance: unknown command "verison" (did you mean "version"?)`},
		{[]string{"clasify", "--policy", "ccs"}, `attendance: unknown command "clasify" (did you mean "classify"?)`},
		{[]string{"Report"}, `attendance: unknown command "Report" (did you mean "report"?)`},
		{[]string{"frobnicate"}, `attendance: unknown command "frobnicate" (want eval, classify, explain, report, letters, codes, packs, validate, test, version or help)`},
		{[]string{"help", "codse"}, `attendance help: unknown command "codse" (did you mean "codes"?)`},
		{[]string{"eval", "--polcy", "ccs", "x.json"}, `attendance eval: flag provided but not defined: -polcy (did you mean --policy?) (run attendance eval --help)`},
		{[]string{"codes", "--policy", "ccs", "--mardown"}, `flag provided but not defined: -mardown (did you mean --markdown?)`},
		{[]string{"report", "--policy", "ccs", "--sudents", "s.csv"}, `(did you mean --students?)`},
		{[]string{"test", "--verbose"}, `attendance test: flag provided but not defined: -verbose (run attendance test --help)`},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "", tc.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tc.want)
			assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line: %q", stderr)
		})
	}
}

// An --as-of date outside the history's calendar is bad input, named with the range.
func TestCheckAsOf(t *testing.T) {
	h, err := rollcall.DecodeHistory([]byte(mustRead("testdata/history.json")), "testdata/history.json")
	require.NoError(t, err)
	require.Equal(t, "2024-08-26", h.Calendar.First().String())
	require.Equal(t, "2025-06-06", h.Calendar.Last().String())
	for _, ok := range []string{"2024-08-26", "2024-10-18", "2024-12-25", "2025-06-06"} {
		assert.NoError(t, checkAsOf("testdata/history.json", calendar.MustParseDate(ok), h.Calendar), ok)
	}
	assert.NoError(t, checkAsOf("testdata/history.json", calendar.Date{}, h.Calendar), "no --as-of")
	assert.NoError(t, checkAsOf("x.json", calendar.MustParseDate("2030-01-01"), nil), "no calendar")
	for _, bad := range []string{"2024-08-25", "2025-06-07", "2026-10-18"} {
		err := checkAsOf("testdata/history.json", calendar.MustParseDate(bad), h.Calendar)
		require.Error(t, err, bad)
		assert.Equal(t, "testdata/history.json: --as-of "+bad+" is outside the history's calendar (2024-08-26 to 2025-06-06)", err.Error())
		var ue *usageError
		assert.False(t, errors.As(err, &ue), "bad input (exit 1), not bad usage")
	}
}

// commandNames lists the usage text's commands in its order, then any other registered
// command, then help; every registered command once.
func TestCommandNames(t *testing.T) {
	names := commandNames()
	assert.Equal(t, documentedCommands, names[:len(documentedCommands)])
	assert.Equal(t, "help", names[len(names)-1])
	assert.Len(t, names, len(commands)+1)
	for name := range commands {
		assert.Contains(t, names, name)
	}
}

// A crash of any command exits 1, never the usage status 2.
func TestPanicIsNotBadUsage(t *testing.T) {
	commands["zz-panic"] = func(*env, []string) error { panic("boom\nsecond line") }
	defer delete(commands, "zz-panic")
	var stdout, stderr strings.Builder
	code := run([]string{"zz-panic"}, &env{stdout: &stdout, stderr: &stderr})
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if got := stderr.String(); got != "attendance zz-panic: internal error: boom second line (a bug in rollcall: please report it)\n" {
		t.Fatalf("stderr %q", got)
	}
}

// eval, like explain, takes --as-of outside the history's calendar as bad input.
func TestEvalAsOfOutsideCalendar(t *testing.T) {
	var stdout, stderr strings.Builder
	code := run([]string{"eval", "--policy", "illinois", "--as-of", "2031-01-01", "testdata/history.json"}, &env{stdout: &stdout, stderr: &stderr})
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout.String(), "no evaluation printed")
	assert.Contains(t, stderr.String(), "--as-of 2031-01-01 is outside the history's calendar (2024-08-26 to 2025-06-06)")
}
