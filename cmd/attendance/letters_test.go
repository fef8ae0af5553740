package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const lettersDir = "../../testdata/letters/"

// lettersRoster is the sample roster of testdata/letters: nine students in two schools,
// one Spanish-speaking family, two guardians at two addresses, a family whose language
// the letters are not written in, one without an address.
func lettersRoster(interventions string) []string {
	return []string{"--policy", lettersDir + "district.yaml", "--as-of", "2024-12-13", "--calendar", lettersDir + "calendar.json",
		"--students", lettersDir + "students.csv", "--events", lettersDir + "events.csv", "--interventions", interventions}
}

// cmdArgs is a command over the sample roster.
func cmdArgs(cmd, interventions string) []string {
	return append([]string{cmd}, lettersRoster(interventions)...)
}

// private returns the names, addresses, phones and emails of the sample's students and
// guardians: what must never reach standard error.
func private(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(lettersDir + "students.csv")
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	var out []string
	for _, r := range rows[1:] {
		for i, col := range rows[0] {
			if (col == "name" || strings.HasSuffix(col, "_name") || strings.HasSuffix(col, "_address") || strings.HasSuffix(col, "_phone") || strings.HasSuffix(col, "_email")) && r[i] != "" {
				out = append(out, r[i])
				for _, line := range strings.Split(r[i], ";") {
					out = append(out, line)
				}
			}
		}
	}
	return out
}

func TestLettersCommand(t *testing.T) {
	out := t.TempDir()
	stdout, stderr, code := runCLI(t, "", append(cmdArgs("letters", lettersDir+"interventions.csv"), "--out", out)...)
	assert.Equal(t, 1, code, "a student whose letter cannot be written is bad input: %s", stderr)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "student S05: warning-letter: no en letter to one address: the record lacks .Guardian.AddressLines, which the letter prints\n")
	assert.Contains(t, stderr, "  letters        8 (en 5, es 3)\n")
	assert.Contains(t, stderr, "  in English     1 letter for families whose language the letter is not written in (vi 1)\n")
	assert.Contains(t, stderr, "  not written    1\n")
	for _, p := range private(t) {
		assert.NotContains(t, stderr, p, "names, addresses and phones never reach standard error")
	}

	files, err := filepath.Glob(filepath.Join(out, "*"))
	require.NoError(t, err)
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	assert.Equal(t, []string{"letters-lincoln-elementary.html", "letters-washington-elementary.html", "merge.csv"}, names)

	lincoln, err := os.ReadFile(filepath.Join(out, "letters-lincoln-elementary.html"))
	require.NoError(t, err)
	articles := regexp.MustCompile(`<article class="letter" lang="(\w+)" data-student="(\w+)" data-step="([\w-]+)"`).FindAllStringSubmatch(string(lincoln), -1)
	var got []string
	for _, a := range articles {
		got = append(got, a[2]+" "+a[3]+" "+a[1])
	}
	assert.Equal(t, []string{"S01 warning-letter es", "S02 warning-letter en", "S02 warning-letter en", "S03 probation-letter es", "S09 roe-third-letter es"}, got)
	assert.Contains(t, string(lincoln), "Estimado(a) María Hernández:")

	// the merge CSV: a row a letter, the same letters
	mf, err := os.Open(filepath.Join(out, "merge.csv"))
	require.NoError(t, err)
	defer mf.Close()
	rows, err := csv.NewReader(mf).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 9)
	assert.Equal(t, "school", rows[0][0])
	var students []string
	for _, r := range rows[1:] {
		students = append(students, r[1]+" "+r[4])
	}
	assert.Equal(t, []string{"S01 warning-letter", "S02 warning-letter", "S02 warning-letter", "S03 probation-letter", "S09 roe-third-letter",
		"S04 warning-letter", "S06 truancy-hearing", "S08 medical-letter"}, students)

	// usage
	_, stderr, code = runCLI(t, "", cmdArgs("letters", lettersDir+"interventions.csv")...)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "--out DIR is required")
}

// --record appends the steps a letter was written for to the interventions file, so
// that the next night writes none of them again.
func TestLettersRecord(t *testing.T) {
	dir := t.TempDir()
	iv := filepath.Join(dir, "interventions.csv")
	data, err := os.ReadFile(lettersDir + "interventions.csv")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(iv, data, 0o644))
	args := append(cmdArgs("letters", iv), "--out", filepath.Join(dir, "out"), "--record", iv)
	_, stderr, _ := runCLI(t, "", args...)
	assert.Contains(t, stderr, "  recorded       7 steps in "+iv+"\n")
	after, err := os.ReadFile(iv)
	require.NoError(t, err)
	added := strings.TrimPrefix(string(after), string(data))
	assert.Equal(t, `S01,warning-letter,2024-12-13,,,building-secretary,letter (es) by attendance letters
S02,warning-letter,2024-12-13,,,building-secretary,letter (en) by attendance letters
S03,probation-letter,2024-12-13,,,building-secretary,letter (es) by attendance letters
S09,roe-third-letter,2024-12-13,,,truancy-interventionist,letter (es) by attendance letters
S04,warning-letter,2024-12-13,,,building-secretary,letter (en) by attendance letters
S06,truancy-hearing,2024-12-13,,,truancy-interventionist,letter (en) by attendance letters
S08,medical-letter,2024-12-13,,,truancy-interventionist,letter (en) by attendance letters
`, added)

	// the next run: only S05's letter, still without an address
	_, stderr, code := runCLI(t, "", args...)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "  letters        0 (none)\n")
	assert.Contains(t, stderr, "  recorded       0 steps in "+iv+"\n")
	assert.Contains(t, stderr, "student S05: warning-letter")

	// a new file gets a header
	fresh := filepath.Join(dir, "new.csv")
	_, _, _ = runCLI(t, "", append(cmdArgs("letters", lettersDir+"interventions.csv"), "--out", filepath.Join(dir, "out2"), "--record", fresh)...)
	f, err := os.Open(fresh)
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	require.True(t, sc.Scan())
	assert.Equal(t, "student_id,step,date,actor,note", sc.Text())

	// a file that is not an interventions file is refused before anything is written
	bad := filepath.Join(dir, "bad.csv")
	require.NoError(t, os.WriteFile(bad, []byte("a,b\n1,2\n"), 0o644))
	_, stderr, code = runCLI(t, "", append(cmdArgs("letters", lettersDir+"interventions.csv"), "--out", filepath.Join(dir, "out3"), "--record", bad)...)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, `bad.csv:1: no column "student_id"`)
	_, err = os.Stat(filepath.Join(dir, "out3"))
	assert.True(t, os.IsNotExist(err))
}

// report --format html counts what the JSON Lines report lists: the students with a
// step due, each step due and overdue.
func TestReportHTMLCountsEqualJSON(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"il-roe-sop", cmdArgs("report", lettersDir+"interventions.csv")},
		{"ccs", []string{"report", "--policy", "ccs", "--as-of", "2024-10-25", "--histories", lettersDir + "ohio.jsonl"}},
		{"cmd testdata", append([]string{"report", "--policy", "il-roe-sop", "--as-of", "2024-10-18"}, rosterFlagArgs...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			jsonl, _, codeJ := runCLI(t, "", append(slices.Clone(tc.args), "--format", "jsonl")...)
			page, stderr, codeH := runCLI(t, "", append(slices.Clone(tc.args), "--format", "html")...)
			assert.Equal(t, codeJ, codeH, stderr)
			due, overdue, withDue := map[string]int{}, map[string]int{}, 0
			for _, line := range strings.Split(strings.TrimSpace(jsonl), "\n") {
				if line == "" {
					continue
				}
				var row struct {
					Due []struct {
						Step    string `json:"step"`
						Overdue bool   `json:"overdue"`
					} `json:"due"`
				}
				require.NoError(t, json.Unmarshal([]byte(line), &row))
				withDue++
				for _, d := range row.Due {
					due[d.Step]++
					if d.Overdue {
						overdue[d.Step]++
					}
				}
			}
			district := regexp.MustCompile(`(?s)<table class="summary" id="district">.*?</table>`).FindString(page)
			require.NotEmpty(t, district)
			assert.Contains(t, district, `<td data-kind="with-due">`+strconv.Itoa(withDue)+`</td>`)
			cells := regexp.MustCompile(`data-step="([\w-]+)" data-due="(\d+)" data-overdue="(\d+)"`).FindAllStringSubmatch(district, -1)
			require.NotEmpty(t, cells)
			total := 0
			for _, c := range cells {
				n, _ := strconv.Atoi(c[2])
				o, _ := strconv.Atoi(c[3])
				assert.Equal(t, due[c[1]], n, c[1])
				assert.Equal(t, overdue[c[1]], o, c[1])
				total += n
			}
			sum := 0
			for _, n := range due {
				sum += n
			}
			assert.Equal(t, sum, total, "every step due is in the table")
			assert.NotContains(t, page, "<script")
			assert.NotRegexp(t, `(src|href)="https?://`, page)
		})
	}
}

// report --format html --out DIR writes the district's page, a page per school and a
// page per student, each link resolving to a file written.
func TestReportHTMLPages(t *testing.T) {
	out := t.TempDir()
	_, stderr, code := runCLI(t, "", append(cmdArgs("report", lettersDir+"interventions.csv"), "--format", "html", "--out", out)...)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "2 school pages and 9 student pages under "+out)
	index, err := os.ReadFile(filepath.Join(out, "index.html"))
	require.NoError(t, err)
	links := regexp.MustCompile(`href="([^"]+)"`).FindAllStringSubmatch(string(index), -1)
	require.Len(t, links, 2)
	for _, l := range links {
		school, err := os.ReadFile(filepath.Join(out, l[1]))
		require.NoError(t, err, l[1])
		for _, sl := range regexp.MustCompile(`href="([^"]+)"`).FindAllStringSubmatch(string(school), -1) {
			_, err := os.Stat(filepath.Join(out, filepath.Dir(l[1]), sl[1]))
			assert.NoError(t, err, sl[1])
		}
	}
	s01, err := os.ReadFile(filepath.Join(out, "lincoln-elementary", "s01.html"))
	require.NoError(t, err)
	assert.Contains(t, string(s01), "Sofía Hernández · student S01")
	assert.Contains(t, string(s01), `<svg xmlns="http://www.w3.org/2000/svg" class="calendar"`)
}

// eval --format html draws one student's year; a roster or two histories are usage
// errors; bad events still draw the page, and exit 1.
func TestEvalHTML(t *testing.T) {
	stdout, stderr, code := runCLI(t, "", "eval", "--policy", "il-roe-sop", "--as-of", "2024-10-18", "--format", "html", "testdata/history.json")
	require.Equal(t, 0, code, stderr)
	assert.True(t, strings.HasPrefix(stdout, "<!DOCTYPE html>"))
	assert.Contains(t, stdout, `class="calendar"`)
	assert.Regexp(t, `data-status="absent"`, stdout)
	assert.NotContains(t, stdout, "<script")

	_, stderr, code = runCLI(t, "", "eval", "--policy", "il-roe-sop", "--format", "html", "testdata/history.json", "testdata/history.json")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "one history at a time")

	// eval's other formats are untouched
	_, _, code = runCLI(t, "", "eval", "--policy", "il-roe-sop", "--as-of", "2024-10-18", "testdata/history.json")
	assert.Equal(t, 0, code)
}

// reviewRoster writes a roster of four students in two schools, as of 2024-10-18 under
// il-roe-sop (warning-letter: 5 to 9 absences not verified as excused):
//
//	R1 (Adams): 2 unexcused days; a warning letter sent on 2024-09-10, when its rule
//	   had never held: for review, no step due
//	R2 (Adams): 5 unexcused days, no letter: the warning letter is due
//	R3 (Adams): no absence: nothing
//	R4 (Birch): 1 unexcused day; a warning letter sent on 2024-09-05: for review
func reviewRoster(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	write := func(name, data string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(data), 0o644))
		return path
	}
	students := write("students.csv", "student_id,birth_date,grade,school,enrolled_from,enrolled_to,flags\n"+
		"R1,2014-07-02,3,Adams,,,\nR2,2014-03-02,3,Adams,,,\nR3,2013-01-02,4,Adams,,,\nR4,2012-05-06,5,Birch,,,\n")
	events := write("events.csv", "student_id,date,code,minutes,documents,comment,reason\n"+
		"R1,2024-09-03,UNX,,,,\nR1,2024-09-04,UNX,,,,\n"+
		"R2,2024-09-03,UNX,,,,\nR2,2024-09-04,UNX,,,,\nR2,2024-09-05,UNX,,,,\nR2,2024-09-06,UNX,,,,\nR2,2024-09-09,UNX,,,,\n"+
		"R4,2024-09-03,UNX,,,,\n")
	interventions := write("interventions.csv", "student_id,step,date\nR1,warning-letter,2024-09-10\nR4,warning-letter,2024-09-05\n")
	return []string{"report", "--policy", "il-roe-sop", "--as-of", "2024-10-18", "--calendar", "testdata/calendar.json",
		"--students", students, "--events", events, "--interventions", interventions}
}

// Students with a step done to review and none due have no row in the CSV report: the
// HTML report counts them and lists them by school, and a school's page links them.
func TestReportHTMLReview(t *testing.T) {
	args := reviewRoster(t)
	jsonl, stderr, code := runCLI(t, "", append(slices.Clone(args), "--format", "jsonl")...)
	require.Equal(t, 0, code, stderr)
	require.Equal(t, 1, strings.Count(jsonl, "\n"), "only R2 has a step due: %s", jsonl)
	assert.Contains(t, jsonl, `"student":"R2"`)

	page, stderr, code := runCLI(t, "", append(slices.Clone(args), "--format", "html")...)
	require.Equal(t, 0, code, stderr)
	district := regexp.MustCompile(`(?s)<table class="summary" id="district">.*?</table>`).FindString(page)
	assert.Contains(t, district, `<td data-kind="students">4</td><td data-kind="with-due">1</td><td data-kind="review">2</td>`)
	assert.Contains(t, district, `data-step="warning-letter" data-due="1" data-overdue="0"`)
	assert.Contains(t, page, `<tr data-school="Adams"><td class="name">Adams</td><td data-kind="students">3</td><td data-kind="with-due">1</td><td data-kind="review">1</td>`)
	assert.Contains(t, page, `<tr data-school="Birch"><td class="name">Birch</td><td data-kind="students">1</td><td data-kind="with-due">0</td><td data-kind="review">1</td>`)
	lists := regexp.MustCompile(`(?s)<section class="school" data-school="(\w+)">.*?<ul class="review">(.*?)</ul>`).FindAllStringSubmatch(page, -1)
	require.Len(t, lists, 2)
	assert.Equal(t, "Adams", lists[0][1])
	assert.Equal(t, "\n"+`<li data-student="R1">R1: <span data-step="warning-letter">warning-letter</span></li>`+"\n", lists[0][2])
	assert.Equal(t, "Birch", lists[1][1])
	assert.Contains(t, lists[1][2], `<li data-student="R4">R4: <span data-step="warning-letter">warning-letter</span></li>`)

	// the school's page: R1 for review, linked to its page; every student in the table
	out := t.TempDir()
	_, stderr, code = runCLI(t, "", append(slices.Clone(args), "--format", "html", "--out", out)...)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "2 school pages and 4 student pages under "+out)
	adams, err := os.ReadFile(filepath.Join(out, "adams", "index.html"))
	require.NoError(t, err)
	assert.Contains(t, string(adams), `<li data-student="R1"><a href="r1.html">R1</a>: <span data-step="warning-letter">warning-letter</span></li>`)
	rows := regexp.MustCompile(`<tr data-student="(\w+)"><td class="name"><a href="([\w.]+)">`).FindAllStringSubmatch(string(adams), -1)
	require.Len(t, rows, 3)
	for i, id := range []string{"R1", "R2", "R3"} {
		assert.Equal(t, []string{id, strings.ToLower(id) + ".html"}, rows[i][1:])
		_, err := os.Stat(filepath.Join(out, "adams", rows[i][2]))
		assert.NoError(t, err)
	}
	assert.Regexp(t, `<tr data-student="R1">.*<td class="name">warning-letter</td></tr>`, string(adams), "R1's row names the step to review")
	r1, err := os.ReadFile(filepath.Join(out, "adams", "r1.html"))
	require.NoError(t, err)
	assert.Contains(t, string(r1), "<h3>To review</h3><p>warning-letter was done on 2024-09-10")
	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.Equal(t, []string{"adams", "birch", "index.html"}, names, "the spool file is gone")
}

// report --format html reads a roster as report does, a few students at a time: the
// page, and every file --out writes, are those of the roster read whole.
func TestReportHTMLStreamedEqualsWhole(t *testing.T) {
	for _, args := range [][]string{
		cmdArgs("report", lettersDir+"interventions.csv"),
		append([]string{"report", "--policy", "il-roe-sop", "--as-of", "2024-10-18"}, rosterFlagArgs...),
		reviewRoster(t),
	} {
		html := append(slices.Clone(args), "--format", "html")
		wOut, wErr, wCode := runWhole(t, html...)
		for _, n := range []int{1, 3} {
			out, errs, code := runBatches(t, n, html...)
			assert.Equal(t, wCode, code)
			assert.Equal(t, wOut, out, "batches of %d", n)
			assert.Equal(t, wErr, errs)
		}
		wholeDir, streamDir := t.TempDir(), t.TempDir()
		_, _, _ = runWhole(t, append(slices.Clone(html), "--out", wholeDir)...)
		_, _, _ = runBatches(t, 3, append(slices.Clone(html), "--out", streamDir)...)
		assert.Equal(t, readTree(t, wholeDir), readTree(t, streamDir))
	}
}

// readTree returns the files under dir by path, with their contents.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	require.NoError(t, filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		out[rel] = string(data)
		return err
	}))
	require.NotEmpty(t, out)
	return out
}

// attendance letters reads a roster as report does, a few students at a time: every
// file it writes, the rows --record appends and its messages are those of the roster
// read whole.
func TestLettersStreamedEqualsWhole(t *testing.T) {
	data, err := os.ReadFile(lettersDir + "interventions.csv")
	require.NoError(t, err)
	run := func(t *testing.T, runner func(t *testing.T, args ...string) (string, string, int)) (map[string]string, string, int) {
		dir := t.TempDir()
		iv := filepath.Join(dir, "interventions.csv")
		require.NoError(t, os.WriteFile(iv, data, 0o644))
		out := filepath.Join(dir, "out")
		_, stderr, code := runner(t, append(cmdArgs("letters", iv), "--out", out, "--record", iv)...)
		files := readTree(t, out)
		rec, err := os.ReadFile(iv)
		require.NoError(t, err)
		files["(interventions)"] = string(rec)
		return files, strings.ReplaceAll(stderr, dir, "DIR"), code
	}
	wFiles, wErr, wCode := run(t, runWhole)
	assert.Equal(t, 1, wCode, "S05's letter cannot be written")
	for _, n := range []int{1, 3} {
		files, stderr, code := run(t, func(t *testing.T, args ...string) (string, string, int) { return runBatches(t, n, args...) })
		assert.Equal(t, wCode, code)
		assert.Equal(t, wFiles, files, "batches of %d", n)
		assert.Equal(t, wErr, stderr)
	}
}

// Two schools whose names have the same slug get directories of their own, the first in
// order of name the plain slug, whichever batch met them first; a second run into the
// same directory writes the same files.
func TestReportHTMLSchoolDirs(t *testing.T) {
	dir := t.TempDir()
	students := filepath.Join(dir, "students.csv")
	require.NoError(t, os.WriteFile(students, []byte("student_id,birth_date,grade,school,enrolled_from,enrolled_to,flags\n"+
		"A1,2014-07-02,3,Adams,,,\nA2,2014-03-02,3,ADAMS,,,\nA3,2013-01-02,4,Adams,,,\n"), 0o644))
	events := filepath.Join(dir, "events.csv")
	require.NoError(t, os.WriteFile(events, []byte("student_id,date,code,minutes,documents,comment,reason\nA1,2024-09-03,UNX,,,,\n"), 0o644))
	args := []string{"report", "--policy", "il-roe-sop", "--as-of", "2024-10-18", "--calendar", "testdata/calendar.json",
		"--students", students, "--events", events, "--format", "html", "--out"}
	var trees []map[string]string
	for _, runner := range []func(t *testing.T, args ...string) (string, string, int){
		runWhole,
		func(t *testing.T, args ...string) (string, string, int) { return runBatches(t, 1, args...) },
	} {
		out := t.TempDir()
		_, stderr, code := runner(t, append(slices.Clone(args), out)...)
		require.Equal(t, 0, code, stderr)
		trees = append(trees, readTree(t, out))
		_, stderr, code = runner(t, append(slices.Clone(args), out)...) // again, over the first run's files
		require.Equal(t, 0, code, stderr)
		assert.Equal(t, trees[len(trees)-1], readTree(t, out))
	}
	assert.Equal(t, trees[0], trees[1])
	var paths []string
	for p := range trees[0] {
		paths = append(paths, filepath.ToSlash(p))
	}
	slices.Sort(paths)
	assert.Equal(t, []string{"adams-2/a1.html", "adams-2/a3.html", "adams-2/index.html", "adams/a2.html", "adams/index.html", "index.html"}, paths)
	assert.Contains(t, trees[0]["index.html"], `<a href="adams/index.html">ADAMS</a>`)
	assert.Contains(t, trees[0]["index.html"], `<a href="adams-2/index.html">Adams</a>`)
}

// Without --out the HTML report evaluates with a Brief engine, which leaves the events'
// notes out, and classifies again with notes the students whose caps need them (a day
// past a cap is found by its note): the page is the full engine's. Under ccs, P1 took
// 11 parent-authorized days with a parent's note (at the cap of 9, the last two past
// it), P2 4 (near it: from 40% of 9, rounded up), P3 2 (neither).
func TestReportHTMLBriefSamePage(t *testing.T) {
	cal := `"calendar": {"first_day": "2024-08-21", "last_day": "2025-05-30", "minutes_per_day": 390, "closed": ["2024-09-02", "2024-10-18"]}`
	days := []string{"2024-09-03", "2024-09-04", "2024-09-05", "2024-09-06", "2024-09-09", "2024-09-10", "2024-09-11", "2024-09-12", "2024-09-13", "2024-09-16", "2024-09-17"}
	var lines []string
	for _, s := range []struct {
		id string
		n  int
	}{{"P1", 11}, {"P2", 4}, {"P3", 2}} {
		var events []string
		for _, d := range days[:s.n] {
			events = append(events, `{"date": "`+d+`", "code": "PAA", "documents": ["parent-note"], "comment": "family trip"}`)
		}
		lines = append(lines, `{"student": {"id": "`+s.id+`", "birth_date": "2013-02-10", "grade": "6", "school": "Linden"}, `+cal+`, "events": [`+strings.Join(events, ", ")+`]}`)
	}
	histories := filepath.Join(t.TempDir(), "caps.jsonl")
	require.NoError(t, os.WriteFile(histories, []byte(strings.Join(lines, "\n")+"\n"), 0o644))

	for _, args := range [][]string{
		{"report", "--policy", "ccs", "--as-of", "2024-10-25", "--histories", histories},
		{"report", "--policy", "ccs", "--as-of", "2024-10-25", "--histories", lettersDir + "ohio.jsonl"},
		cmdArgs("report", lettersDir+"interventions.csv"),
		append([]string{"report", "--policy", "il-roe-sop", "--as-of", "2024-10-18"}, rosterFlagArgs...),
		reviewRoster(t),
	} {
		html := append(slices.Clone(args), "--format", "html")
		brief, briefErr, briefCode := runCLI(t, "", html...)
		htmlBrief = false
		full, fullErr, fullCode := runCLI(t, "", html...)
		htmlBrief = true
		assert.Equal(t, full, brief, "%v", args)
		assert.Equal(t, fullErr, briefErr)
		assert.Equal(t, fullCode, briefCode)
		if args[2] == "ccs" && args[6] == histories {
			district := regexp.MustCompile(`(?s)<table class="designations">.*?</table>`).FindString(brief)
			assert.Contains(t, district, `<td data-cap="parent-authorized" data-near="1" data-at="1">1 / 1</td>`)
		}
	}
}

// A report --out that fails partway (a school's directory cannot be made: a file has
// its name) exits with the error and leaves none of the directories its pages were
// written in while the students were evaluated.
func TestReportHTMLFailureLeavesNoStaging(t *testing.T) {
	out := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(out, "lincoln-elementary"), []byte("in the way\n"), 0o644))
	_, stderr, code := runCLI(t, "", append(cmdArgs("report", lettersDir+"interventions.csv"), "--format", "html", "--out", out)...)
	require.Equal(t, 1, code, stderr)
	assert.Contains(t, stderr, "lincoln-elementary: cannot make the directory")
	left, err := filepath.Glob(filepath.Join(out, ".school-*"))
	require.NoError(t, err)
	assert.Empty(t, left, "staging directories")
}
