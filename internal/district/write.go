package district

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
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
	if _, err := New(p, seed, schools); err != nil { // before anything is written
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	calJSON, err := CalendarJSON()
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "calendar.json"), calJSON, 0o644); err != nil {
		return err
	}
	ws := map[string]io.Writer{}
	var closers []*os.File
	for _, name := range FileNames {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		closers = append(closers, f)
		ws[name] = f
	}
	if err := WriteTo(ws, n, p, seed, schools); err != nil {
		return err
	}
	for _, f := range closers {
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

// FileNames are the files of a district besides calendar.json, as [Write] names them.
var FileNames = []string{"students.csv", "events.csv", "interventions.csv", "histories.jsonl"}

// headers are the CSV files' header lines.
var headers = map[string]string{
	"students.csv":      "student_id,birth_date,grade,school,enrolled_from,enrolled_to,flags",
	"events.csv":        "student_id,date,code,minutes,documents,comment,reason",
	"interventions.csv": "student_id,step,date",
}

// CalendarJSON returns calendar.json as [Write] writes it.
func CalendarJSON() ([]byte, error) {
	return json.MarshalIndent(Year(), "", " ")
}

// WriteTo writes the files of a district of n students (those of [FileNames]) to the
// writers named by file, byte for byte as [Write] writes them. schools <= 0 means one
// school per 600 students.
func WriteTo(files map[string]io.Writer, n int, p *policy.Pack, seed uint64, schools int) error {
	if schools <= 0 {
		schools = max(1, n/600)
	}
	g, err := New(p, seed, schools)
	if err != nil {
		return err
	}
	bw := map[string]*bufio.Writer{}
	for _, name := range FileNames {
		w, ok := files[name]
		if !ok {
			return fmt.Errorf("district: no writer for %s", name)
		}
		b := bufio.NewWriterSize(w, 1<<20)
		if h := headers[name]; h != "" {
			fmt.Fprintln(b, h)
		}
		bw[name] = b
	}
	for range n {
		writeStudent(g.Next(), bw)
	}
	for _, name := range FileNames {
		if err := bw[name].Flush(); err != nil {
			return err
		}
	}
	return nil
}

// Render returns the files of a district of n students in memory, by name: those of
// [FileNames] and calendar.json, as [Write] writes them.
func Render(n int, p *policy.Pack, seed uint64, schools int) (map[string][]byte, error) {
	bufs := map[string]*bytes.Buffer{}
	ws := map[string]io.Writer{}
	for _, name := range FileNames {
		bufs[name] = &bytes.Buffer{}
		ws[name] = bufs[name]
	}
	if err := WriteTo(ws, n, p, seed, schools); err != nil {
		return nil, err
	}
	cal, err := CalendarJSON()
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{"calendar.json": cal}
	for name, b := range bufs {
		out[name] = b.Bytes()
	}
	return out, nil
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
