package district

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rollcall-go/rollcall/policy"
)

// Write writes a district of n students into dir: calendar.json, students.csv,
// events.csv and interventions.csv as `attendance report` reads them, and the same
// students as JSON Lines histories in histories.jsonl. schools <= 0 means one school
// per 600 students.
func Write(dir string, n int, p *policy.Pack, seed uint64, schools int) error {
	if schools <= 0 {
		schools = max(1, n/600)
	}
	g, err := New(p, seed, schools)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	calJSON, err := json.MarshalIndent(Year(), "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "calendar.json"), calJSON, 0o644); err != nil {
		return err
	}
	files := map[string]*bufio.Writer{}
	var closers []*os.File
	for name, header := range map[string]string{
		"students.csv":      "student_id,birth_date,grade,school,enrolled_from,enrolled_to,flags",
		"events.csv":        "student_id,date,code,minutes,documents,comment,reason",
		"interventions.csv": "student_id,step,date",
		"histories.jsonl":   "",
	} {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		closers = append(closers, f)
		w := bufio.NewWriterSize(f, 1<<20)
		if header != "" {
			fmt.Fprintln(w, header)
		}
		files[name] = w
	}
	for range n {
		writeStudent(g.Next(), files)
	}
	for _, w := range files {
		if err := w.Flush(); err != nil {
			return err
		}
	}
	for _, f := range closers {
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

// writeStudent writes one student's rows and history line.
func writeStudent(s Student, files map[string]*bufio.Writer) {
	fmt.Fprintf(files["students.csv"], "%s,%s,%d,%s,,,\n", s.ID, s.Birth, s.Grade, s.School)
	w := files["events.csv"]
	for _, e := range s.Events {
		mins := ""
		if e.Minutes > 0 {
			mins = fmt.Sprint(e.Minutes)
		}
		fmt.Fprintf(w, "%s,%s,%s,%s,%s,%s,\n", s.ID, e.Date, e.Code, mins, strings.Join(e.Documents, ";"), e.Comment)
	}
	for _, iv := range s.Interventions {
		fmt.Fprintf(files["interventions.csv"], "%s,%s,%s\n", s.ID, iv.Step, iv.Date)
	}
	h := map[string]any{
		"student":       map[string]any{"id": s.ID, "birth_date": s.Birth, "grade": fmt.Sprint(s.Grade), "school": s.School},
		"calendar":      map[string]any{"first_day": "2024-08-26", "last_day": "2025-05-16", "closed": Year().Closed, "minutes_per_day": 390},
		"events":        s.Events,
		"interventions": s.Interventions,
	}
	line, _ := json.Marshal(h)
	files["histories.jsonl"].Write(line)
	files["histories.jsonl"].WriteByte('\n')
}
