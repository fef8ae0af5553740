// Command attendance applies a school district's attendance policy, read from a rollcall
// policy pack, to exported attendance data: it classifies absences, evaluates the
// truancy ladder for one student or a whole roster, and lists and validates packs.
//
// Usage:
//
//	attendance eval     --policy NAME|FILE.yaml [--as-of YYYY-MM-DD] HISTORY.json|-
//	attendance classify --policy NAME|FILE.yaml HISTORY.json|-
//	attendance report   --policy P --calendar CAL.json --events EVENTS.csv [--students STUDENTS.csv]
//	                    [--interventions INTERVENTIONS.csv] [--as-of D] [--format csv|jsonl]
//	attendance codes    --policy P [--as-of D] [--json|--markdown]
//	attendance packs
//	attendance validate PACK.yaml...
//	attendance test     [-v] [PACK|FILE|DIR]...
//
// Run "attendance help" for every flag. Exit status: 0 success, 1 bad input (a line on
// standard error names the file, the line or event, and what is wrong), 2 bad usage.
//
// The program is thin: every decision is made by the rollcall library
// (github.com/rollcall-go/rollcall); this command reads flags and files and prints.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/policy"
)

const usage = `Usage:
  attendance eval     --policy NAME|FILE.yaml [--as-of YYYY-MM-DD] HISTORY.json|-
  attendance classify --policy NAME|FILE.yaml HISTORY.json|-
  attendance eval     --policy P ROSTER [--as-of YYYY-MM-DD]
  attendance classify --policy P ROSTER
  attendance report   --policy P ROSTER [--as-of YYYY-MM-DD] [--format csv|jsonl]
  attendance codes    --policy P [--as-of YYYY-MM-DD] [--json | --markdown]
  attendance packs
  attendance validate PACK.yaml...
  attendance test     [-v] [PACK|FILE|DIR]...
  attendance help

ROSTER is a whole roster, in one of two forms:
  --calendar CAL.json (--events EVENTS.csv | --edfi EVENTS.json)
      [--students STUDENTS.csv] [--interventions INTERVENTIONS.csv]
  --histories HISTORIES.jsonl            (one history per line, as HISTORY.json)

Commands:
  eval      evaluate a history as of a date: classifications, facts, designations,
            the ladder steps due and the next one (one JSON document; with a roster,
            JSON Lines, one evaluation per student, sorted by student id)
  classify  classify the events of a history (one JSON document; with a roster,
            JSON Lines, one classification per student)
  report    the students of a roster with a ladder step due, sorted by student id
            (CSV or JSON Lines on standard output; a summary on standard error)
  codes     print a pack's attendance codes (a table; --json; --markdown for a handbook)
  packs     list the embedded packs
  validate  load pack files and report every problem with file:line:col
  test      run the tests packs carry beside them (NAME_test.yaml): of every embedded
            pack with no argument, or of the packs, test files or directories given;
            each failure names the test file and line, what was expected and what came
            out; exit 1 on any failure

Flags:
  --policy NAME|FILE    an embedded pack (attendance packs lists them) or a pack file
                        (a name ending in .yaml or .yml, or an existing file), which
                        may extend an embedded pack
  --as-of YYYY-MM-DD    evaluate as of this date (eval: the last event's date by default;
                        with a roster and in report: the latest event's date in the input;
                        codes: the pack version in force then, the latest by default)
  --calendar FILE       the school calendar, JSON: {"first_day", "last_day", "closed",
                        "half_days", "minutes_per_day"}, or a list of such years
  --events FILE         events CSV: student_id,date,code,minutes,documents,comment,reason
                        (documents separated by ";"; minutes missed, empty: whole day)
  --edfi FILE           Ed-Fi StudentSchoolAttendanceEvent records (a JSON array)
                        instead of --events
  --students FILE       students CSV: student_id,birth_date,grade,school,enrolled_from,
                        enrolled_to,flags (flags: NAME or NAME:FROM:TO, separated by ";");
                        without it every student in the events is enrolled all year
  --interventions FILE  steps done, CSV: student_id,step,date
  --histories FILE      JSON Lines, one history per line, instead of the files above
  --format csv|jsonl    report's output (default csv: student,school,next,actor,due_by,
                        due,because; due lists every step due, separated by ";")
  --json, --markdown    codes' output format

Rows that cannot be used (a bad date, an unknown student, code or step, a day without
school, a duplicate event, more minutes than the day has) are reported on standard error
with file:line and counted; the other students are still evaluated and printed.

Exit status: 0 success; 1 bad input (including any rejected row); 2 bad usage.
`

func main() {
	progress := false
	if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
		progress = true
	}
	os.Exit(run(os.Args[1:], &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, progress: progress}))
}

// env is what a command reads and writes.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	progress       bool // stderr is a terminal: show progress on long runs
}

// usageError is bad usage (exit status 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// silentError is bad input already reported on stderr (exit status 1).
type silentError struct{}

func (silentError) Error() string { return "" }

var commands = map[string]func(*env, []string) error{
	"eval":     func(e *env, a []string) error { return cmdHistory(e, "eval", a) },
	"classify": func(e *env, a []string) error { return cmdHistory(e, "classify", a) },
	"report":   cmdReport,
	"codes":    cmdCodes,
	"packs":    cmdPacks,
	"validate": cmdValidate,
	"test":     cmdTest,
}

func run(args []string, e *env) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, usage)
		return 2
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.stdout, usage)
		return 0
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(e.stderr, "attendance: unknown command %q (want eval, classify, report, codes, packs, validate, test or help)\n", name)
		return 2
	}
	err := cmd(e, args[1:])
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(e.stdout, usage)
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "attendance %s: %s (run attendance help)\n", name, ue.msg)
		return 2
	case errors.Is(err, silentError{}):
		return 1
	}
	fmt.Fprintln(e.stderr, err)
	return 1
}

// flags is a flag set whose errors are returned as usage errors.
func flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parse parses flags that may come before or after the positional arguments ("-" is
// a positional argument; everything after "--" is).
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos, rest []string
	for i, a := range args {
		if a == "--" {
			args, rest = args[:i], args[i+1:]
			break
		}
	}
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return append(pos, rest...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// dateFlag is a --as-of flag.
type dateFlag struct{ d calendar.Date }

func (f *dateFlag) String() string { return f.d.String() }

func (f *dateFlag) Set(s string) error {
	d, err := calendar.ParseDate(s)
	if err != nil {
		return fmt.Errorf("want YYYY-MM-DD")
	}
	f.d = d
	return nil
}

// openPack loads --policy: a pack file when the argument ends in .yaml or .yml or
// names an existing file, else an embedded pack.
func openPack(arg string) (*policy.Pack, error) {
	if arg == "" {
		return nil, usagef("--policy is required (an embedded pack: %s; or a pack file)", strings.Join(policy.Names(), ", "))
	}
	isFile := strings.HasSuffix(arg, ".yaml") || strings.HasSuffix(arg, ".yml")
	if !isFile {
		if fi, err := os.Stat(arg); err == nil && fi.Mode().IsRegular() {
			isFile = true
		}
	}
	var p *policy.Pack
	var err error
	if isFile {
		p, err = policy.LoadFile(arg)
	} else {
		p, err = policy.Embedded(arg)
	}
	if err != nil {
		return nil, errors.New(oneLine(err, "problems; run attendance validate for all"))
	}
	return p, nil
}

func openEngine(arg string) (*rollcall.Engine, error) {
	p, err := openPack(arg)
	if err != nil {
		return nil, err
	}
	return rollcall.New(p), nil
}

// oneLine returns the first line of a multi-line error, with "(and N more WHAT)".
func oneLine(err error, what string) string {
	lines := strings.Split(strings.TrimSpace(err.Error()), "\n")
	if len(lines) == 1 {
		return lines[0]
	}
	if what != "" {
		what = " " + what
	}
	return fmt.Sprintf("%s (and %d more%s)", lines[0], len(lines)-1, what)
}

// readInput reads a named file, or standard input for "-".
func readInput(e *env, name string) ([]byte, string, error) {
	if name == "-" {
		data, err := io.ReadAll(e.stdin)
		if err != nil {
			return nil, "stdin", fmt.Errorf("stdin: %w", err)
		}
		return data, "stdin", nil
	}
	data, err := os.ReadFile(name)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, name, fmt.Errorf("%s: cannot read: %v", name, err)
	}
	return data, name, nil
}
