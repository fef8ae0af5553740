package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rollcall-go/rollcall/calendar"
)

// runWhole runs the program with every roster read whole, as before streaming.
func runWhole(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	wholeRoster = true
	defer func() { wholeRoster = false }()
	return runCLI(t, "", args...)
}

// runBatches runs the program with batches of n students. With batches of 1 and 3 the
// first pass reads each file in many small parts (n*4+1 parts of at least 16 bytes),
// so that the parts start inside quoted fields, records and students.
func runBatches(t *testing.T, n int, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	saved, savedMin, savedParts := batchSize, minPart, firstPassParts
	batchSize = n
	if n <= 3 {
		minPart, firstPassParts = 16, n*4+1
	}
	defer func() { batchSize, minPart, firstPassParts = saved, savedMin, savedParts }()
	return runCLI(t, "", args...)
}

// requireStreamedSame requires report to print the same, byte for byte, streamed in
// batches of 1, 3 and 256 students as read whole.
func requireStreamedSame(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	wantOut, wantErr, wantCode := runWhole(t, args...)
	for _, n := range []int{1, 3, 256} {
		out, errOut, code := runBatches(t, n, args...)
		assert.Equal(t, wantErr, errOut, "stderr, batches of %d: %v", n, args)
		assert.Equal(t, wantOut, out, "stdout, batches of %d: %v", n, args)
		assert.Equal(t, wantCode, code, "exit status, batches of %d: %v", n, args)
	}
	return wantOut, wantErr
}

// The rosters under testdata (rows of students in any order, rows that cannot be
// used) and every file of the hostile corpus, in each output format, with and without
// --as-of: streamed, the report is the one of the roster read whole (the HTML page
// too).
func TestReportStreamedEqualsWhole(t *testing.T) {
	for _, format := range []string{"csv", "jsonl", "html"} {
		for _, asOf := range [][]string{nil, {"--as-of", "2024-10-18"}} {
			base := join([]string{"report", "--policy", "il-roe-sop", "--format", format}, asOf)
			requireStreamedSame(t, join(base, rosterFlagArgs)...)
			requireStreamedSame(t, join(base, []string{"--histories", "testdata/histories.jsonl"})...)
			requireStreamedSame(t, join(base, []string{"--calendar", "testdata/calendar.json", "--events", "testdata/events.csv"})...)
			requireStreamedSame(t, join(base, []string{"--calendar", "testdata/calendar.json", "--events", "testdata/events.csv",
				"--interventions", "testdata/interventions.csv"})...)
		}
	}

	wants, err := filepath.Glob(filepath.Join(hostileDir, "*.want"))
	require.NoError(t, err)
	t.Chdir(hostileDir)
	n := 0
	for _, w := range wants {
		args := hostileArgs(strings.TrimSuffix(filepath.Base(w), ".want"))
		if args == nil {
			continue
		}
		args[0] = "report"
		for _, format := range []string{"csv", "jsonl", "html"} {
			requireStreamedSame(t, join(args, []string{"--format", format})...)
		}
		n++
	}
	assert.Greater(t, n, 10)
}

// messyRoster writes a roster of n students with what real exports hold: quoted
// comments with commas and line breaks, quotes that never close, blank lines, CRLF line
// endings, a byte order mark, rows with too many fields or no id, students on two rows,
// unknown students, bad dates and codes, interventions. With shuffle, the rows of each
// file come in random order; otherwise in order of student id.
func messyRoster(t *testing.T, dir string, n int, seed uint64, shuffle bool) []string {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, seed+1))
	days := []string{}
	for d := 3; d <= 30; d++ {
		if wd := (d + 6) % 7; wd != 0 && wd != 6 { // September 2024 starts on a Sunday
			days = append(days, fmt.Sprintf("2024-09-%02d", d))
		}
	}
	codes := []string{"ECE", "ECE", "UNX", "ILL", "VAC", "MED", "TDY", "QQQ"}
	var students, events, interventions []string
	for i := range n {
		id := fmt.Sprintf("S%04d", i+1)
		if r.IntN(15) == 0 {
			id = fmt.Sprintf("s-%d", i) // ids that sort among the others
		}
		school := []string{"Lincoln", "Washington", `"Hayes, Rutherford"`}[r.IntN(3)]
		students = append(students, fmt.Sprintf("%s,2015-03-%02d,3,%s,,,", id, 1+r.IntN(28), school))
		if r.IntN(20) == 0 { // a transfer out and back
			students = append(students, fmt.Sprintf("%s,,,,2024-09-16,,", id))
		}
		for range r.IntN(12) {
			code := codes[r.IntN(len(codes))]
			minutes := ""
			if code == "TDY" {
				minutes = fmt.Sprint(10 + r.IntN(600))
			}
			comment := ""
			switch r.IntN(12) {
			case 0:
				comment = `"called in, will bring a note"`
			case 1:
				comment = "\"called in\nwill bring a note\""
			case 2:
				comment = `"said ""sick"""`
			}
			date := days[r.IntN(len(days))]
			if r.IntN(40) == 0 {
				date = "2024-09-31"
			}
			events = append(events, fmt.Sprintf("%s,%s,%s,%s,,%s,", id, date, code, minutes, comment))
		}
		if r.IntN(6) == 0 {
			step := []string{"warning-letter", "probation-letter", "warning-leter"}[r.IntN(3)]
			interventions = append(interventions, fmt.Sprintf("%s,%s,2024-09-%02d", id, step, 10+r.IntN(10)))
		}
	}
	events = append(events,
		"S9999,2024-09-04,UNX,,,,",              // an unknown student
		",2024-09-04,UNX,,,,",                   // no id
		"S0001,2024-09-05,UNX,,,,,",             // a field too many
		`S0002,2024-09-06,UNX,,,"never closed,`, // a quote that never closes
		"", "   ",
	)
	students = append(students, "S0003,bad-date,3,Lincoln,,,")
	interventions = append(interventions, "S0004,warning-letter,", "S9998,warning-letter,2024-09-10")
	if shuffle {
		for _, rows := range [][]string{students, events, interventions} {
			r.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		}
	} else {
		for _, rows := range [][]string{students, events, interventions} {
			slices.SortStableFunc(rows, func(a, b string) int {
				ia, _, _ := strings.Cut(a, ",")
				ib, _, _ := strings.Cut(b, ",")
				return strings.Compare(ia, ib)
			})
		}
	}
	write := func(name, header string, rows []string, crlf bool) string {
		path := filepath.Join(dir, name)
		eol := "\n"
		if crlf {
			eol = "\r\n"
		}
		require.NoError(t, os.WriteFile(path, []byte(header+eol+strings.Join(rows, eol)+eol), 0o644))
		return path
	}
	cal := filepath.Join(dir, "calendar.json")
	require.NoError(t, os.WriteFile(cal, []byte(`{"first_day": "2024-08-26", "last_day": "2025-06-06", "closed": ["2024-09-02"], "minutes_per_day": 400}`), 0o644))
	return []string{"--calendar", cal,
		"--students", write("students.csv", "\ufeffstudent_id,birth_date,grade,school,enrolled_from,enrolled_to,flags", students, false),
		"--events", write("events.csv", "student_id,date,code,minutes,documents,comment,reason", events, seed%2 == 0),
		"--interventions", write("interventions.csv", "student_id,step,date", interventions, false)}
}

// Messy rosters, sorted by student and not: streamed, the report is the one of the
// roster read whole, whatever the size of the batches.
func TestReportStreamedMessyRosters(t *testing.T) {
	for seed := range uint64(3) {
		for _, shuffle := range []bool{false, true} {
			t.Run(fmt.Sprintf("seed %d shuffled %v", seed, shuffle), func(t *testing.T) {
				files := messyRoster(t, t.TempDir(), 40+int(seed)*30, seed, shuffle)
				for _, format := range []string{"csv", "jsonl"} {
					out, errOut := requireStreamedSame(t, join([]string{"report", "--policy", "il-roe-sop", "--format", format}, files)...)
					assert.NotEmpty(t, out)
					assert.Contains(t, errOut, "rejected rows")
					requireStreamedSame(t, join([]string{"report", "--policy", "il-roe-sop", "--as-of", "2024-09-20", "--format", format}, files)...)
				}
				// without a students file: every student in the events is known
				requireStreamedSame(t, join([]string{"report", "--policy", "il-roe-sop"}, files[:2], files[4:])...)
			})
		}
	}
}

// In a file out of order, a student's rows after a quote that never closes are still
// the student's (the index took them for rows of no student: "unknown student", and the
// as-of date was the day before theirs).
func TestReportStreamedRowsAfterOpenQuote(t *testing.T) {
	dir := t.TempDir()
	events := filepath.Join(dir, "events.csv")
	require.NoError(t, os.WriteFile(events, []byte("student_id,date,code,minutes,documents,comment,reason\n"+
		"S2,2024-09-04,UNX,,,,\n"+
		"S1,2024-09-03,UNX,,,,\n"+
		"S1,2024-09-05,UNX,,,\"never closed,\n"+
		"S1,2024-09-06,UNX,,,,\n"+
		"S1,2024-09-09,UNX,,,,\n"), 0o644))
	for _, format := range []string{"csv", "jsonl"} {
		_, stderr := requireStreamedSame(t, "report", "--policy", "il-roe-sop", "--format", format,
			"--calendar", "testdata/calendar.json", "--students", "testdata/students.csv", "--events", events)
		assert.NotContains(t, stderr, "unknown student")
		assert.Contains(t, stderr, "report as of 2024-09-09")
	}
}

// The rows of one day are enough to find the as-of date when an event of that day is
// accepted; when none is (a bad row dated later than every other), the roster is read
// once more for it.
func TestStreamedAsOf(t *testing.T) {
	dir := t.TempDir()
	cal := filepath.Join(dir, "calendar.json")
	require.NoError(t, os.WriteFile(cal, []byte(`{"first_day": "2024-08-26", "last_day": "2025-06-06", "closed": ["2024-09-02"], "minutes_per_day": 400}`), 0o644))
	for _, tc := range []struct{ events, want string }{
		{"S1,2024-09-03,UNX,\nS2,2024-09-05,UNX,\n", "2024-09-05"},
		{"S1,2024-09-03,UNX,\nS2,2024-09-05,QQQ,\n", "2024-09-03"},                     // the latest row's code is unknown
		{"S1,2024-09-03,UNX,\nS2,2024-09-07,UNX,\n", "2024-09-03"},                     // a Saturday
		{"S1,2024-09-03,UNX,\nS2,2024-09-05,UNX,500\n", "2024-09-03"},                  // more minutes than the day
		{"S1,2024-09-03,UNX,\nS3,2024-09-05,UNX,\n", "2024-09-03"},                     // S3 is not enrolled then
		{"S1,2024-09-03,UNX,\nS4,2024-09-05,UNX,\n", "2024-09-03"},                     // S4 is not a student
		{"S1,2024-09-06,QQQ,\n", "2024-08-26"},                                         // nothing accepted: the first day
		{"S2,2024-09-05,UNX,\nS1,2024-09-03,UNX,\nS2,2024-09-05,ILL,\n", "2024-09-05"}, // unsorted
	} {
		events := filepath.Join(dir, "events.csv")
		require.NoError(t, os.WriteFile(events, []byte("student_id,date,code,minutes\n"+tc.events), 0o644))
		students := filepath.Join(dir, "students.csv")
		require.NoError(t, os.WriteFile(students, []byte("student_id,birth_date,grade,enrolled_from\nS1,2015-01-01,3,\nS2,2015-01-01,3,\nS3,2015-01-01,3,2024-09-10\n"), 0o644))
		_, stderr := requireStreamedSame(t, "report", "--policy", "il-roe-sop", "--calendar", cal, "--students", students, "--events", events)
		assert.Contains(t, stderr, "report as of "+tc.want+" ", tc.events)
	}
}

// jsonStudentID reads the student id as encoding/json does, wherever it tells at all.
func FuzzJSONStudentID(f *testing.F) {
	for _, seed := range []string{
		`{"student": {"id": "S1"}}`, `{"Student": {"ID": "S2", "grade": "3"}, "events": [{"student": {"id": "X"}}]}`,
		`{"student": {"id": "S1"}, "student": {"id": "S3"}}`, `{"student": {"id": "S1", "id": null}}`,
		`{"student": null}`, `{"student": {"id": 5}}`, `{"student": {"id": "S\u00e9"}}`, `{"studen": {"id": "S1"}}`,
		`{"calendar": {"closed": ["2024-09-02"]}, "student": {"birth_date": "2015-03-02", "id": "S4"}}`,
		`{"student": {"id": "S1"}`, `{"student": {"id": "S\"1"}}`, `{"ſtudent": {"id": "S5"}}`, ` {"student":{"id":"S6"}} `,
		`{"a": "}", "student": {"id": "S7"}}`, `{"a": [1, {"b": "]"}], "student": {"id": "S8"}}`,
		`{"student": {"id": "S9"}, "events": [{"date": "2024-09-03", "code": "UNX"}, {"Date": "2024-09-05"}, {"date": "2024-13-01"}]}`,
		`{"events": [{"date": "2024-09-06"}], "events": [{"date": "2024-09-04"}], "student": {"id": "S10"}}`,
		`{"events": [], "student": {"id": "S11"}}`, `{"events": null}`, `{"events": [{"date": "2024-09-0\u0036"}]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		id, date, ok, datesOK := jsonLine(line)
		if !ok {
			return
		}
		var v struct {
			Student struct {
				ID string `json:"id"`
			} `json:"student"`
			Events []struct {
				Date string `json:"date"`
			} `json:"events"`
		}
		if json.Unmarshal(line, &v) != nil {
			return // not JSON: roster reports the line, whatever its id
		}
		if string(id) != v.Student.ID {
			t.Fatalf("%q: read %q, encoding/json %q", line, id, v.Student.ID)
		}
		latest := ""
		for _, e := range v.Events {
			if _, err := calendar.ParseDate(e.Date); err == nil && e.Date > latest {
				latest = e.Date
			}
		}
		// the date read is the latest, or later (a duplicate key): never earlier
		if datesOK && string(date) < latest {
			t.Fatalf("%q: latest date read %q, encoding/json %q", line, date, latest)
		}
	})
}

// An events file of any content reads the same streamed, in batches of one student, as
// whole: the rows, the problems, the summary and the exit status.
func FuzzReportStreamed(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(hostileDir, "*.events.csv"))
	for _, name := range append(seeds, "testdata/events.csv") {
		data, err := os.ReadFile(name)
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add([]byte("student_id,date,code,comment\nS2,2024-09-04,UNX,\"a\nS1,2024-09-05,UNX,b\"\nS1,2024-09-06,UNX,\n"))
	f.Fuzz(func(t *testing.T, events []byte) {
		name := filepath.Join(t.TempDir(), "events.csv")
		require.NoError(t, os.WriteFile(name, events, 0o644))
		args := []string{"report", "--policy", "il-roe-sop", "--calendar", "testdata/calendar.json",
			"--students", "testdata/students.csv", "--events", name}
		wantOut, wantErr, wantCode := runWhole(t, args...)
		out, errOut, code := runBatches(t, 1, args...)
		if out != wantOut || errOut != wantErr || code != wantCode {
			t.Fatalf("streamed:\n%s%s(exit %d)\nwhole:\n%s%s(exit %d)", out, errOut, code, wantOut, wantErr, wantCode)
		}
	})
}

// The decisions log is the same whatever the format of the report: on 2024-10-04 S4's
// tenth unexcused day (September 23 to October 4, October 1 counted once) makes the
// probation letter and the ROE referral fall due.
func TestReportDecisionsEveryFormat(t *testing.T) {
	var logs []string
	for _, format := range []string{"csv", "jsonl", "edfi", "html"} {
		log := filepath.Join(t.TempDir(), "decisions.jsonl")
		args := append([]string{"report", "--policy", "il-roe-sop", "--as-of", "2024-10-04", "--format", format, "--decisions", log}, rosterFlagArgs...)
		_, _, _ = runCLI(t, "", args...)
		data, err := os.ReadFile(log)
		require.NoError(t, err, format)
		logs = append(logs, string(data))
	}
	var steps []string
	for _, line := range strings.Split(strings.TrimSpace(logs[0]), "\n") {
		var d struct{ Date, Student, Step string }
		require.NoError(t, json.Unmarshal([]byte(line), &d))
		steps = append(steps, d.Date+" "+d.Student+" "+d.Step)
	}
	assert.Equal(t, []string{"2024-10-04 S4 probation-letter", "2024-10-04 S4 roe-referral"}, steps)
	for i, format := range []string{"jsonl", "edfi", "html"} {
		assert.Equal(t, logs[0], logs[i+1], format)
	}
}
