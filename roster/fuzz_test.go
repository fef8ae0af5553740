package roster_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rollcall-go/rollcall"
	"github.com/rollcall-go/rollcall/calendar"
	"github.com/rollcall-go/rollcall/roster"
)

// Fuzz targets for the readers of a district's exports: whatever the bytes, no panic;
// every data row is either read into a history or reported as a problem naming its
// file; no problem message spans two lines; and evaluating what was read never panics.

func fuzzCalendar(t testing.TB) *calendar.Calendar {
	cal, err := calendar.New(calendar.Year{FirstDay: calendar.MustParseDate("2024-08-26"), LastDay: calendar.MustParseDate("2025-06-06"), MinutesPerDay: 400})
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

func addSeeds(f *testing.F, glob string) {
	files, _ := filepath.Glob(glob)
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
}

func checkRoster(t *testing.T, e *rollcall.Engine, r *roster.Roster) {
	for _, p := range r.Problems {
		if p.Source.File == "" {
			t.Fatalf("problem without a file: %+v", p)
		}
		if strings.ContainsAny(p.Error(), "\n\r") {
			t.Fatalf("problem spans lines: %q", p.Error())
		}
	}
	for _, en := range r.Entries() {
		if en.History == nil {
			continue
		}
		ev, _ := e.Evaluate(en.History, calendar.Date{})
		if ev != nil && len(ev.Events) != len(en.History.Events) {
			t.Fatalf("%d events in, %d out", len(en.History.Events), len(ev.Events))
		}
	}
}

func FuzzReadEvents(f *testing.F) {
	addSeeds(f, "../cmd/attendance/testdata/events.csv")
	addSeeds(f, "../testdata/hostile/*.csv")
	f.Add([]byte("student_id,date,code,minutes,documents,comment,reason\nS1,2024-09-03,UNX,,,\"open quote\nS2,2024-09-04,ECE,,,,\n"))
	e, err := rollcall.Open("il-roe-sop")
	if err != nil {
		f.Fatal(err)
	}
	cal := fuzzCalendar(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r := roster.New(e, cal)
		_ = r.ReadEvents(bytes.NewReader(data), "events.csv")
		checkRoster(t, e, r)
	})
}

func FuzzReadEdFi(f *testing.F) {
	addSeeds(f, "../cmd/attendance/testdata/edfi.json")
	addSeeds(f, "../testdata/hostile/*.json")
	e, err := rollcall.Open("ccs")
	if err != nil {
		f.Fatal(err)
	}
	cal := fuzzCalendar(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r := roster.New(e, cal)
		_ = r.ReadEdFi(bytes.NewReader(data), "edfi.json")
		checkRoster(t, e, r)
	})
}

func FuzzReadHistories(f *testing.F) {
	addSeeds(f, "../cmd/attendance/testdata/histories.jsonl")
	addSeeds(f, "../testdata/hostile/*.jsonl")
	e, err := rollcall.Open("il-roe-sop")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := roster.New(e, nil)
		_ = r.ReadHistories(bytes.NewReader(data), "histories.jsonl")
		checkRoster(t, e, r)
	})
}

// An export read through a mapping (the PowerSchool preset, joined with its codes,
// with period records rolled up into days and calendars by school), then written back
// as Ed-Fi resources, each of which validates.
func FuzzReadMappedEvents(f *testing.F) {
	addSeeds(f, "../testdata/sis/*/*.csv")
	f.Add([]byte("StudentID,SchoolID,Att_Date,Att_Code,Presence_Status_CD,PeriodID\n1,100,9/3/2024,unx,Absent,0\n1,200,9/4/2024,UNX,Absent,7\n1,200,09/04/2024 00:00,tdy,Present,8\n"))
	e, err := rollcall.Open("il-roe-sop")
	if err != nil {
		f.Fatal(err)
	}
	m, err := roster.LoadMapping("powerschool")
	if err != nil {
		f.Fatal(err)
	}
	cal := fuzzCalendar(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r := roster.New(e, nil)
		if err := r.UseMapping(m); err != nil {
			t.Fatal(err)
		}
		r.SetSchoolCalendars(map[string]*calendar.Calendar{"100": cal, "*": cal})
		_ = r.ReadEvents(bytes.NewReader(data), "Attendance.csv")
		checkRoster(t, e, r)
		for _, en := range r.Entries() {
			if len(en.Sources) != len(en.History.Events) {
				t.Fatalf("%d sources for %d events", len(en.Sources), len(en.History.Events))
			}
			cls, _ := e.Classify(en.History, calendar.Date{})
			if cls == nil {
				continue
			}
			res, _ := en.EdFiEvents(e, cls.Events)
			for _, ev := range res {
				if err := ev.Validate(); err != nil {
					t.Fatalf("%+v: %v", ev, err)
				}
			}
		}
	})
}
