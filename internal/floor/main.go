// Command floor is the read-and-split floor of `attendance report`: it reads the same
// CSV files (students, events, interventions) with encoding/csv and groups their rows
// by student, and does nothing else. No report over those files can take less time;
// the README's Performance section compares report's wall time with this one.
//
//	go run ./internal/floor /tmp/district/students.csv /tmp/district/events.csv /tmp/district/interventions.csv
package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// student is one student's rows, by file.
type student struct {
	rows [][][]string
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: floor FILE.csv... (each with a student_id column)")
		os.Exit(2)
	}
	files := os.Args[1:]
	byID := map[string]*student{}
	rows := 0
	for i, name := range files {
		n, err := read(name, i, len(files), byID)
		if err != nil {
			fmt.Fprintln(os.Stderr, "floor:", err)
			os.Exit(1)
		}
		rows += n
	}
	fmt.Printf("%d students, %d rows\n", len(byID), rows)
}

// read reads one CSV file and files each row under its student.
func read(name string, file, files int, byID map[string]*student) (int, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	cr := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	col := slices.Index(header, "student_id")
	if col < 0 {
		return 0, fmt.Errorf("%s: no student_id column", name)
	}
	n := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, fmt.Errorf("%s: %w", name, err)
		}
		if col >= len(rec) {
			continue
		}
		s := byID[rec[col]]
		if s == nil {
			s = &student{rows: make([][][]string, files)}
			byID[rec[col]] = s
		}
		s.rows[file] = append(s.rows[file], rec)
		n++
	}
}
