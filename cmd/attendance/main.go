// Command attendance applies a school district's attendance policy, read from a rollcall
// policy pack, to exported attendance data: it classifies absences, evaluates the
// truancy ladder for one student or a whole roster, and lists and validates packs.
//
// Usage:
//
//	attendance eval     --policy NAME|FILE.yaml [--as-of YYYY-MM-DD] HISTORY.json|-
//	attendance classify --policy NAME|FILE.yaml HISTORY.json|-
//	attendance explain  --policy NAME|FILE.yaml [--as-of YYYY-MM-DD] HISTORY.json|- STEP
//	attendance report   --policy P --calendar CAL.json --events EVENTS.csv [--students STUDENTS.csv]
//	                    [--interventions INTERVENTIONS.csv] [--as-of D] [--format csv|jsonl]
//	attendance codes    --policy P [--as-of D] [--json|--markdown]
//	attendance packs
//	attendance validate [--strict] PACK.yaml...
//	attendance test     [-v] [--coverage] [--min-coverage PERCENT] [PACK|FILE|DIR]...
//	attendance version
//
// Run "attendance help" for every flag, "attendance COMMAND --help" (or "attendance help
// COMMAND") for one command's. Exit status: 0 success, 1 bad input (a line on
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
	"slices"
	"strings"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/internal/suggest"
	"github.com/rollcall-go/rollcall/policy"
)

const usage = `Usage:
  attendance eval     --policy NAME|FILE.yaml [--as-of YYYY-MM-DD] HISTORY.json|-
  attendance classify --policy NAME|FILE.yaml HISTORY.json|-
  attendance eval     --policy P ROSTER [--as-of YYYY-MM-DD] [--format json|edfi|html]
  attendance classify --policy P ROSTER [--format json|edfi]
  attendance explain  --policy NAME|FILE.yaml [--as-of YYYY-MM-DD] HISTORY.json|- STEP
  attendance report   --policy P ROSTER [--as-of YYYY-MM-DD] [--format csv|jsonl|edfi]
  attendance report   --policy P ROSTER [--decisions FILE] [--shard K/N]
  attendance report   --merge [--decisions FILE] SHARD...
  attendance report   --policy P ROSTER [--as-of YYYY-MM-DD] --format html [--out DIR]
  attendance letters  --policy P ROSTER [--as-of YYYY-MM-DD] --out DIR [--record FILE]
  attendance codes    --policy P [--as-of YYYY-MM-DD] [--json | --markdown]
  attendance packs
  attendance validate [--strict] PACK.yaml...
  attendance test     [-v] [--coverage] [--min-coverage PERCENT] [PACK|FILE|DIR]...
  attendance version
  attendance help     [COMMAND]

ROSTER is a whole roster, in one of three forms:
  --calendar CAL.json (--events EVENTS.csv | --edfi EVENTS.json)
      [--students STUDENTS.csv] [--interventions INTERVENTIONS.csv]
  --histories HISTORIES.jsonl            (one history per line, as HISTORY.json)
  --mapping NAME|FILE.yaml [--codes CODES.csv] [--calendar CALS.json]
      (--events EXPORT.csv | --edfi EVENTS.json) [--students ...] [--interventions ...]
                                         (a SIS's own export, read through a mapping)

Commands:
  eval      evaluate a history as of a date: classifications, facts, designations,
            the ladder steps due and the next one (one JSON document; with a roster,
            JSON Lines, one evaluation per student, sorted by student id)
  classify  classify the events of a history (one JSON document; with a roster,
            JSON Lines, one classification per student)
  explain   one ladder step's reasoning for one history, as text a secretary can read
            to a parent: due or not and why, each clause of its rule with the values
            it read, the absences behind each count, the citation
  report    the students of a roster with a ladder step due, sorted by student id
            (CSV or JSON Lines on standard output; a summary on standard error)
  letters   the letters of the ladder steps due and not done, from the pack's
            templates: one printable HTML file per school in --out (one letter a
            page, per guardian address, in the guardian's language) and merge.csv
            for a mail merge; a student missing what a letter prints gets a line
            on standard error naming the fields, never their values
  codes     print a pack's attendance codes (a table; --json; --markdown for a handbook)
  packs     list the embedded packs
  validate  load pack files and report every problem with file:line:col, then the
            warnings of each pack that loads (a step no history can reach, a condition
            naming a code the pack lacks, an Ed-Fi category contradicting a code's excuse,
            an excused code without documentation, a count nothing reads); --strict makes
            warnings fail
  test      run the tests packs carry beside them (NAME_test.yaml): of every embedded
            pack with no argument, or of the packs, test files or directories given;
            each failure names the test file and line, what was expected and what came
            out; exit 1 on any failure
  version   print the rollcall module's version and each embedded pack with the
            first 12 hex digits of the SHA-256 of its YAML
  help      this text; with a command, that command's usage and flags (the same as
            attendance COMMAND --help)

Flags:
  --policy NAME|FILE    an embedded pack (attendance packs lists them) or a pack file
                        (a name ending in .yaml or .yml, or an existing file), which
                        may extend an embedded pack
  --as-of YYYY-MM-DD    evaluate as of this date (eval, explain: the date of the last event
                        that can be classified by default; with a roster and in report:
                        the latest such event's date in the input; codes: the pack
                        version in force then, the latest by default)
  --calendar FILE       the school calendar, JSON: {"first_day", "last_day", "closed",
                        "half_days", "minutes_per_day"}, or a list of such years
  --events FILE         events CSV: student_id,date,code,minutes,documents,comment,reason
                        (documents separated by ";"; minutes missed, empty: whole day)
  --edfi FILE           Ed-Fi StudentSchoolAttendanceEvent or StudentSectionAttendanceEvent
                        records (a JSON array, or JSON Lines) instead of --events
  --students FILE       students CSV: student_id,birth_date,grade,school,enrolled_from,
                        enrolled_to,flags (flags: NAME or NAME:FROM:TO, separated by ";");
                        without it every student in the events is enrolled all year
  --interventions FILE  steps done, CSV: student_id,step,date
  --histories FILE      JSON Lines, one history per line, instead of the files above
  --format FORMAT       eval, classify: json (default) or edfi; report: csv (default:
                        student,school,next,actor,due_by,due,because,review; due lists
                        every step due, review the steps done to review, separated by
                        ";"), jsonl, edfi or html (the district's page, with charts;
                        with --out, a page per school and per student; eval html: the
                        student's year as a calendar). edfi writes every
                        event classified as an Ed-Fi StudentSchoolAttendanceEvent, JSON
                        Lines (descriptor URIs, school and session references)
  --mapping NAME|FILE   read a SIS's own export through a mapping: a preset (powerschool,
                        infinite-campus, edfi) or a YAML file, which may extend one (columns,
                        date formats, code table, period roll-up, calendars by school,
                        Ed-Fi options; see the README); --calendar may then give
                        calendars by school id: {"SCHOOL": CALENDAR, ..., "*": CALENDAR}
  --codes FILE          with --mapping: the SIS's table of codes by id (PowerSchool's
                        Attendance_Code: ID, Att_Code, Presence_Status_CD)
  --out DIR             letters, report --format html: the directory written
  --record FILE         letters: append a row per letter written (student_id,step,date,
                        actor,note) to this interventions CSV, so the next run skips it
  --shard K/N           report: evaluate only the students whose id hashes to K of N
                        (0 <= K < N, FNV-1a) and write a shard file for attendance merge
  --merge               report: merge the shard files report --shard K/N wrote (one for
                        each K) into the output of the run without shards, byte for byte
  --decisions FILE      report: append the steps that fell due on the as-of date,
                        each with its because and the SHA-256 of the pack, to FILE
                        (JSON Lines; a log, never read back as steps done)
  --cpuprofile, --memprofile FILE
                        report: write a CPU profile, or the allocations, for go tool pprof
  --json, --markdown    codes' output format
  --strict              validate: warnings fail the pack (exit 1)
  -v                    test: name every test that passes, not only the failures
  --coverage            test: list every item of each pack (code, document, count, cap,
                        rule, deadline, designation, step, each clause true and false,
                        ...) with its line and whether a test exercised it
  --min-coverage PERCENT
                        test: print each pack's coverage and the items no test
                        exercised; exit 1 if a pack's is below PERCENT

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
	"version":  cmdVersion,
}

// commandNames returns every command: those of the usage text in its order, then any
// other registered command, sorted, then help.
func commandNames() []string {
	var names []string
	for _, l := range usageSections()["Usage:"] {
		if f := strings.Fields(l); len(f) > 1 && commands[f[1]] != nil && !slices.Contains(names, f[1]) {
			names = append(names, f[1])
		}
	}
	var more []string
	for name := range commands {
		if !slices.Contains(names, name) {
			more = append(more, name)
		}
	}
	slices.Sort(more)
	return append(append(names, more...), "help")
}

func run(args []string, e *env) (code int) {
	defer func() {
		// A crash is never bad usage: it exits 1, with one line naming the command.
		if v := recover(); v != nil {
			name := ""
			if len(args) > 0 {
				name = " " + args[0]
			}
			fmt.Fprintf(e.stderr, "attendance%s: internal error: %s (a bug in rollcall: please report it)\n", name, strings.ReplaceAll(fmt.Sprint(v), "\n", " "))
			code = 1
		}
	}()
	if len(args) == 0 {
		fmt.Fprint(e.stderr, usage)
		return 2
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) == 1 || name != "help" {
			fmt.Fprint(e.stdout, usage)
			return 0
		}
		topic := args[1]
		switch _, ok := commands[topic]; {
		case len(args) > 2:
			fmt.Fprintf(e.stderr, "attendance help: one command at a time (got %d)\n", len(args)-1)
			return 2
		case ok: // attendance help COMMAND is attendance COMMAND --help
			return run([]string{topic, "--help"}, e)
		case topic == "help" || strings.HasPrefix(topic, "-"):
			fmt.Fprint(e.stdout, usage)
			return 0
		}
		fmt.Fprintf(e.stderr, "attendance help: unknown command %q%s\n", topic, unknownCommandHint(topic))
		return 2
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(e.stderr, "attendance: unknown command %q%s\n", name, unknownCommandHint(name))
		return 2
	}
	err := cmd(e, args[1:])
	var ue *usageError
	var he *helpError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &he):
		fmt.Fprint(e.stdout, commandHelp(name, he.fs))
		return 0
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(e.stdout, usage)
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "attendance %s: %s (run attendance %s --help)\n", name, ue.msg, name)
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
				return nil, &helpError{fs}
			}
			return nil, &usageError{err.Error() + unknownFlagHint(fs, err)}
		}
		args = fs.Args()
		if len(args) == 0 {
			return append(pos, rest...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// unknownCommandHint is what follows `unknown command "NAME"`: the command NAME is
// probably a typo of, or the list of commands.
func unknownCommandHint(name string) string {
	names := commandNames()
	if m := suggest.Closest(name, names); m != "" {
		return fmt.Sprintf(" (did you mean %q?)", m)
	}
	last := len(names) - 1
	return fmt.Sprintf(" (want %s or %s)", strings.Join(names[:last], ", "), names[last])
}

// unknownFlagHint is " (did you mean --NAME?)" after the flag package's error for a flag
// fs does not define, when one of its flags is close; otherwise "".
func unknownFlagHint(fs *flag.FlagSet, err error) string {
	bad, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: ")
	if !ok {
		return ""
	}
	bad = strings.TrimLeft(bad, "-")
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if m := suggest.Closest(bad, names); m != "" {
		return " (did you mean " + dashes(m) + "?)"
	}
	return ""
}

// dashes spells a flag as the usage text does: -v, --policy.
func dashes(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// helpError is -h or --help given to a command: run prints that command's help
// (exit status 0). It wraps flag.ErrHelp.
type helpError struct{ fs *flag.FlagSet }

func (e *helpError) Error() string { return flag.ErrHelp.Error() }

func (e *helpError) Unwrap() error { return flag.ErrHelp }

// commandHelp is one command's help: its lines of the usage text, what it does, the
// ROSTER forms when it takes a roster, and the flags fs defines, each with its entry in
// the usage text, so that the two cannot disagree.
func commandHelp(name string, fs *flag.FlagSet) string {
	sections := usageSections()
	var b strings.Builder
	b.WriteString("Usage:\n")
	roster, listed := false, false
	for _, l := range sections["Usage:"] {
		if f := strings.Fields(l); len(f) > 1 && f[1] == name {
			b.WriteString(l + "\n")
			roster = roster || slices.Contains(f, "ROSTER")
			listed = true
		}
	}
	if !listed {
		b.WriteString("  attendance " + name + " [flags] [arguments]\n")
	}
	for _, en := range entries(sections["Commands:"]) {
		if slices.Contains(en.names, name) {
			b.WriteString("\n" + en.text)
		}
	}
	if roster {
		b.WriteString("\n" + strings.Join(sections["ROSTER"], "\n") + "\n")
	}
	if text, _ := flagHelp(fs); text != "" {
		b.WriteString("\nFlags:\n" + text)
	}
	return b.String()
}

// flagHelp returns the usage text's entries for the flags fs defines, in the usage
// text's order, and the names of any flag the usage text does not describe (listed bare).
func flagHelp(fs *flag.FlagSet) (text string, undocumented []string) {
	var b strings.Builder
	documented := map[string]bool{}
	for _, en := range entries(usageSections()["Flags:"]) {
		if slices.ContainsFunc(en.names, func(n string) bool { return fs.Lookup(n) != nil }) {
			b.WriteString(en.text)
		}
		for _, n := range en.names {
			documented[n] = true
		}
	}
	fs.VisitAll(func(f *flag.Flag) {
		if !documented[f.Name] {
			undocumented = append(undocumented, f.Name)
			b.WriteString("  " + dashes(f.Name) + "\n")
		}
	})
	return b.String(), undocumented
}

// usageSections splits the usage text into its paragraphs, keyed by their heading line
// ("Usage:", "Commands:", "Flags:"), which is left out, or else by their first word
// ("ROSTER").
func usageSections() map[string][]string {
	out := map[string][]string{}
	for _, para := range strings.Split(usage, "\n\n") {
		lines := strings.Split(strings.TrimRight(para, "\n"), "\n")
		if key := lines[0]; strings.HasSuffix(key, ":") && !strings.Contains(key, " ") {
			out[key] = lines[1:]
			continue
		}
		first, _, _ := strings.Cut(lines[0], " ")
		out[first] = lines
	}
	return out
}

// entry is one entry of an indented list of the usage text: the command or flag names
// of its head and its lines.
type entry struct {
	names []string
	text  string
}

// entries splits an indented list ("  head  text", continued on lines indented further)
// into its entries, in order. The names of a head are its words that do not look like a
// flag's value: "eval"; "--policy NAME|FILE" gives "policy"; "--json, --markdown" both.
func entries(lines []string) []entry {
	var out []entry
	for _, l := range lines {
		if strings.HasPrefix(l, "   ") && len(out) > 0 { // a continuation line
			out[len(out)-1].text += l + "\n"
			continue
		}
		head, _, _ := strings.Cut(strings.TrimSpace(l), "  ")
		var names []string
		for i, w := range strings.Fields(head) {
			if w = strings.TrimSuffix(w, ","); i == 0 || strings.HasPrefix(w, "-") {
				names = append(names, strings.TrimLeft(w, "-"))
			}
		}
		out = append(out, entry{names: names, text: l + "\n"})
	}
	return out
}

// checkAsOf reports an --as-of date outside a history's calendar as bad input (exit
// status 1), naming the file, the date and the calendar's range: such a date counts
// nothing the history holds. No date (a zero asOf) and a history without a calendar
// pass. eval and classify call it once the history is read.
func checkAsOf(file string, asOf calendar.Date, cal *calendar.Calendar) error {
	first, last := cal.First(), cal.Last()
	if asOf.IsZero() || first.IsZero() {
		return nil
	}
	if asOf.Before(first) || asOf.After(last) {
		return fmt.Errorf("%s: --as-of %s is outside the history's calendar (%s to %s)", file, asOf, first, last)
	}
	return nil
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

// readHistory reads one history from a named file, or standard input for "-", and
// checks the as-of date (zero: none given) against its calendar. file names the input
// in messages.
func readHistory(e *env, name string, asOf calendar.Date) (h *rollcall.History, file string, err error) {
	data, file, err := readInput(e, name)
	if err != nil {
		return nil, file, err
	}
	if h, err = rollcall.DecodeHistory(data, file); err != nil {
		return nil, file, err
	}
	return h, file, checkAsOf(file, asOf, h.Calendar)
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
