// Nightly-batch is the nightly run of a district's tooling: it reads the day's SIS
// export (a calendar, students, events and the letters already sent, under testdata/),
// evaluates every student's truancy ladder as of a date with the embedded il-roe-sop
// pack, and prints who has a step due and why. Run it with
//
//	go run ./examples/nightly-batch
package main

import (
	"embed"
	"fmt"
	"io"
	"io/fs"
	"log"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/roster"
)

//go:embed testdata
var export embed.FS

func main() {
	engine, err := rollcall.Open("il-roe-sop")
	if err != nil {
		log.Fatal(err)
	}
	data, err := fs.ReadFile(export, "testdata/calendar.json")
	if err != nil {
		log.Fatal(err)
	}
	cal, err := roster.ReadCalendar(data, "calendar.json")
	if err != nil {
		log.Fatal(err)
	}

	// Read the students first, so that an event of an unknown student is caught.
	district := roster.New(engine, cal)
	for _, f := range []struct {
		name string
		read func(io.Reader, string) error
	}{
		{"students.csv", district.ReadStudents},
		{"events.csv", district.ReadEvents},
		{"interventions.csv", district.ReadInterventions},
	} {
		file, err := export.Open("testdata/" + f.name)
		if err != nil {
			log.Fatal(err)
		}
		if err := f.read(file, f.name); err != nil {
			log.Fatal(err) // a file that cannot be read at all (no header, I/O)
		}
		file.Close()
	}

	asOf := calendar.MustParseDate("2024-10-18")
	fmt.Printf("Ladder steps due on %s (pack %s)\n\n", asOf, engine.Pack().Name)
	for _, entry := range district.Entries() {
		ev, err := engine.Evaluate(entry.History, asOf)
		district.Problems = append(district.Problems, entry.RowErrors(err)...)
		if ev == nil || ev.Next == nil {
			continue
		}
		fmt.Printf("%-3s %-10s %-17s %-19s %s\n", ev.Student, entry.History.Student.School, ev.Next.Step, ev.Next.Actor, ev.Next.Because)
		for _, d := range ev.Due[1:] {
			fmt.Printf("%-3s %-10s %-17s %-19s %s\n", "", "", d.Step, d.Actor, d.Because)
		}
	}
	fmt.Printf("\n%d students, %d events, %d rows not used\n", len(district.Entries()), district.Events, len(district.Problems))
	for _, p := range district.Problems {
		fmt.Println("  ", p)
	}
}
